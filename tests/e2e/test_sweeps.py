"""Sweeps through the accelerate launcher: one process group per job, failures recorded, summary,
TensorBoard (read back through a real TensorBoard server), resume, and Optuna search."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import ROOT, TINY_RUN, run_entrypoint

# 2 x 2 grid; (eval 4, save 2) is impossible (save must be a multiple of eval), the rest is fine.
GRID = ("train.eval_steps=2,4", "train.save_steps=2,4")


BASE = [o for o in TINY_RUN if not o.startswith(("train.eval_steps", "train.save_steps"))]


def sweep(workdir: Path, *overrides: str) -> subprocess.CompletedProcess:
    return run_entrypoint([sys.executable, str(ROOT / "train.py"), "-m", *BASE, *overrides], cwd=workdir)


@pytest.fixture(scope="module")
def grid_sweep(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("sweep")
    result = sweep(workdir, "hydra.launcher.num_processes=2", *GRID)
    folders = list((workdir / "multirun").glob("*/*"))
    assert len(folders) == 1, folders
    return result, folders[0]


def test_every_job_ran_as_its_own_two_rank_process_group(grid_sweep):
    result, sweep_dir = grid_sweep
    jobs = sorted(p for p in sweep_dir.iterdir() if p.is_dir())
    assert [p.name for p in jobs] == ["0", "1", "2", "3"]
    for job in (jobs[0], jobs[1], jobs[3]):
        metrics = json.loads((job / "metrics.json").read_text())
        assert metrics["world_size"] == 2 and min(metrics["examples_per_rank"]) > 16, job  # 4 steps x 4 packed rows
        assert (job / "adapter" / "adapter_model.safetensors").is_file()
        command = json.loads((job / "job.json").read_text())["command"]
        assert "accelerate.commands.launch" in command and "--num_processes 2" in command and "--multi_gpu" in command
        assert len(list(job.glob("*/*/events.out.tfevents.*"))) >= 1


def test_a_failed_job_is_recorded_and_the_sweep_goes_on(grid_sweep):
    result, sweep_dir = grid_sweep
    assert result.returncode != 0, "the exit status says some jobs failed"
    assert "1 of 4 sweep job(s) failed" in result.log
    failed = json.loads((sweep_dir / "2" / "job.json").read_text())
    assert failed["status"] == "failed" and failed["overrides"][-2:] == ["train.eval_steps=4", "train.save_steps=2"]
    assert "train.save_steps=2 is not valid" in failed["error"]
    assert "train.save_steps=2 is not valid" in (sweep_dir / "2" / "launcher.log").read_text()
    assert (sweep_dir / "3" / "metrics.json").is_file(), "the job after the failed one still ran"


def test_summary_has_a_row_per_job_best_first(grid_sweep):
    _, sweep_dir = grid_sweep
    with (sweep_dir / "summary.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4
    assert [row["status"] for row in rows] == ["completed"] * 3 + ["failed"]
    losses = [float(row["best_eval_loss"]) for row in rows[:3]]
    assert losses == sorted(losses)
    assert ({row["run"] for row in rows}
            == {f"train.eval_steps={e},train.save_steps={s}" for e in (2, 4) for s in (2, 4)})
    for row in rows[:3]:
        assert int(row["trainable_parameters"]) == 32_768 and float(row["tokens_per_second"]) > 0
        assert float(row["peak_memory_gb"]) > 0 and float(row["wall_seconds"]) > 0
    markdown = (sweep_dir / "summary.md").read_text()
    assert "3 of 4 jobs completed" in markdown and "## Failed" in markdown
    assert (sweep_dir / "summary.png").stat().st_size > 10_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_a_real_tensorboard_shows_the_runs_their_curves_and_hparams(grid_sweep):
    _, sweep_dir = grid_sweep
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "tensorboard"), "--logdir", str(sweep_dir),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        runs, deadline = [], time.time() + 90
        while len(runs) < 4 and time.time() < deadline:
            time.sleep(1)
            try:
                runs = get_json(f"{base}/data/runs")
            except OSError:
                continue
        jobs = sorted(f"{job}/tensorboard/train.eval_steps={e},train.save_steps={s}"
                      for job, e, s in (("0", 2, 2), ("1", 2, 4), ("3", 4, 4)))
        assert sorted(runs) == sorted([".", *jobs])  # ".": the sweep's own run, holding the HParams columns
        tags = get_json(f"{base}/data/plugin/scalars/tags")
        for run in jobs:
            assert {"train/loss", "eval/loss", "train/learning_rate", "z_hparams/eval_loss"} <= set(tags[run])
            assert not {"eval/runtime", "eval/samples_per_second", "train/epoch"} & set(tags[run])
        experiment = get_json(f"{base}/data/plugin/hparams/experiment", {"experimentName": ""})
        infos = experiment["hparamInfos"]
        names = [info["name"] for info in infos]
        # The swept keys first, marked `differs`: the dashboard shows those by default.
        assert names[:2] == ["train.eval_steps", "train.save_steps"] and all(i.get("differs") for i in infos[:2])
        assert {"lora.r", "train.learning_rate", "data.max_seq_length"} <= set(names)
        assert {m["name"]["tag"] for m in experiment["metricInfos"]} >= {"z_hparams/eval_loss",
                                                                          "z_hparams/best_eval_loss"}
        groups = get_json(f"{base}/data/plugin/hparams/session_groups", {
            "experimentName": "",
            "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"],
            "colParams": [], "startIndex": 0, "sliceSize": 100})
        assert groups["totalSize"] == 3
        # Trial names read as the overrides, not as the job's folder path.
        assert ({group["name"] for group in groups["sessionGroups"]}
                == {f"train.eval_steps={e},train.save_steps={s}" for e, s in ((2, 2), (2, 4), (4, 4))})
        assert all(group["metricValues"] for group in groups["sessionGroups"]), "the metric cells are filled"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_resume_skips_finished_jobs_and_reruns_the_rest(grid_sweep):
    _, sweep_dir = grid_sweep
    finished = {job: (sweep_dir / job / "launcher.log").stat().st_mtime for job in ("0", "1", "3")}
    result = sweep(sweep_dir.parents[2], "hydra.launcher.num_processes=2", *GRID,
                   f"hydra.sweep.dir={sweep_dir}", "hydra.launcher.resume=true")
    assert result.log.count("finished earlier") == 3
    assert {job: (sweep_dir / job / "launcher.log").stat().st_mtime for job in finished} == finished
    assert "1 of 4 sweep job(s) failed" in result.log  # the failed one ran again, and failed again
    assert len(list(csv.DictReader((sweep_dir / "summary.csv").open()))) == 4


def test_optuna_search_runs_trials_through_the_launcher(tmp_path):
    result = sweep(tmp_path, "hparams_search=optuna", "hydra.sweeper.n_trials=3", "train.eval_steps=2",
                   "train.save_steps=2", "train.max_steps=2")
    assert result.returncode == 0, result.log[-3000:]
    sweep_dir = next((tmp_path / "multirun").glob("*/*"))
    best = (sweep_dir / "optimization_results.yaml").read_text()
    assert "best_value" in best and "lora.r" in best
    rows = list(csv.DictReader((sweep_dir / "summary.csv").open()))
    assert len(rows) == 3 and all(row["status"] == "completed" for row in rows)
    assert all("lora.r=" in row["run"] and "train.learning_rate=" in row["run"] for row in rows)


def test_a_sweep_inside_accelerate_launch_stops_with_the_right_command(tmp_path):
    command = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2",
               "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no",
               str(ROOT / "train.py"), "-m", "lora.r=8,16", "model=tiny"]
    result = run_entrypoint(command, cwd=tmp_path, env={"PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode != 0
    assert "a sweep cannot run inside `accelerate launch`" in result.log
    assert "python train.py -m lora.r=8,16 model=tiny" in result.log
    assert not (tmp_path / "multirun").exists()
