"""hydra/launcher=slurm through submitit's real path (its LocalExecutor, hydra/launcher=slurm_local): a 2-job
sweep of the tiny model, each job an `accelerate launch`, with the sweep summary."""

from __future__ import annotations

import csv
import json
import sys

import pytest

from helpers import ROOT, TINY_RUN, run_entrypoint

pytest.importorskip("hydra_plugins.hydra_submitit_launcher")


def test_a_two_job_sweep_runs_each_job_as_an_accelerate_launch_through_submitit(tmp_path):
    result = run_entrypoint([sys.executable, str(ROOT / "train.py"), "-m", "hydra/launcher=slurm_local",
                             *TINY_RUN, "lora.r=4,8"], cwd=tmp_path)
    assert result.returncode == 0, result.log[-3000:]
    (sweep_dir,) = (tmp_path / "multirun").glob("*/*")
    assert (sweep_dir / ".submitit").is_dir(), "the jobs went through submitit"
    for job, rank in (("0", 4), ("1", 8)):
        record = json.loads((sweep_dir / job / "job.json").read_text())
        assert record["status"] == "completed" and record["run_name"] == f"lora.r={rank}"
        assert "accelerate.commands.launch" in record["command"]
        assert f"hydra.run.dir={sweep_dir.relative_to(tmp_path)}/{job}" in record["command"]
        assert (sweep_dir / job / "adapter" / "adapter_model.safetensors").is_file()
        assert list((sweep_dir / job / "tensorboard").glob(f"lora.r={rank}/events.out.tfevents.*"))
    with (sweep_dir / "summary.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["run"] for row in rows) == ["lora.r=4", "lora.r=8"]
    assert [row["status"] for row in rows] == ["completed", "completed"]
    assert "2 of 2 jobs completed" in (sweep_dir / "summary.md").read_text()
