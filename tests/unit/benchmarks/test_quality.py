"""benchmarks/quality.py on CPU with fake children: --parallel caps the jobs at once, and a job is trained, then
evaluated, then written into the tables."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from helpers import ROOT, load_script

quality = load_script("quality_harness", ROOT / "benchmarks" / "quality.py")


def fake_children(monkeypatch):
    """run_logged stand-in: train.py writes the run's metrics.json, evaluate.py its report; both record how many
    jobs were running at the time."""
    lock = threading.Lock()
    state = {"running": 0, "most": 0, "commands": []}

    def run_logged(command, log, env):
        script = command[1]
        state.setdefault("argv", []).append(command)
        folder = Path(next(a.split("=", 1)[1] for a in command if a.startswith("hydra.run.dir=")))
        with lock:
            state["running"] += 1
            state["most"] = max(state["most"], state["running"])
            state["commands"].append(script)
        time.sleep(0.05)
        folder.mkdir(parents=True, exist_ok=True)
        if script == "train.py":
            (folder / "metrics.json").write_text(json.dumps({"eval_loss": 1.0}))
        else:
            (folder / "metrics.json").write_text(json.dumps({"finetuned": {"heldout_loss": 1.0}}))
        with lock:
            state["running"] -= 1
        return 0

    monkeypatch.setattr(quality, "run_logged", run_logged)
    return state


@pytest.mark.parametrize(("parallel", "most"), [(1, 1), (2, 2), (0, 6)])
def test_parallel_caps_the_jobs_running_at_once(tmp_path, monkeypatch, parallel, most):
    state = fake_children(monkeypatch)
    exit_code = quality.main(["--data", "rows.csv", "--out", str(tmp_path), "--set", "paraphrases",
                              "--variants", "support", "support, paraphrases 0.4", "--seeds", "1", "2", "3",
                              "--parallel", str(parallel)])
    assert exit_code == 0
    # Each job holds its slot from training through evaluation, so at most `parallel` children run at once.
    assert state["most"] <= most and (parallel != 1 or state["most"] == 1)
    assert state["commands"].count("train.py") == 6 and state["commands"].count("evaluate.py") == 6
    table = json.loads((tmp_path / "quality.json").read_text())
    assert list(table["variants"]) == [f"{name}, seed {seed}" for name in ("support", "support, paraphrases 0.4")
                                       for seed in (1, 2, 3)]


def test_a_negative_parallel_is_refused_with_the_fix(tmp_path, capsys):
    with pytest.raises(SystemExit):
        quality.main(["--data", "rows.csv", "--out", str(tmp_path), "--parallel", "-1"])
    assert "--parallel -1" in capsys.readouterr().err


def test_a_variant_name_means_what_its_set_says(tmp_path, monkeypatch):
    """"support" is the one-line r16 recipe in `rewrite` and the r64 one in `tools`: each call trains its own set's."""
    fake_children(monkeypatch)
    trained = {}

    def record(command, log, env, _real=quality.run_logged):
        if command[1] == "train.py":
            trained[log.parent.parent.name] = [a for a in command if a.startswith("lora.r=")]
        return _real(command, log, env)

    monkeypatch.setattr(quality, "run_logged", record)
    for name in ("rewrite", "tools"):
        assert quality.main(["--data", "rows.csv", "--out", str(tmp_path / name), "--set", name,
                             "--variants", "support"]) == 0
    assert trained == {"rewrite": [], "tools": ["lora.r=64"]}


def test_extra_overrides_given_twice_all_reach_training(tmp_path, monkeypatch):
    """device_quality.sh passes its own --extra; a caller's --extra after it must add to it, not replace it."""
    state = fake_children(monkeypatch)
    assert quality.main(["--data", "rows.csv", "--out", str(tmp_path), "--set", "paraphrases", "--variants", "support",
                         "--extra", "hardware.dataloader_num_workers=1", "--extra", "train.torch_compile=true"]) == 0
    (train,) = [command for command in state["argv"] if command[1] == "train.py"]
    assert "hardware.dataloader_num_workers=1" in train and "train.torch_compile=true" in train
