"""Fault injection through the entrypoint: SIGKILL and resume, SIGTERM preemption, a loss that turns NaN,
determinism, secrets. Tiny model, 4-bit path, CPU."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from helpers import ROOT, run_entrypoint, train_command
from supportbot.run.folders import MARKER
from supportbot.train.checkpointing import newest_complete_checkpoint

RUN = ("model=tiny", "data=sample", "hardware=cpu", "data.max_seq_length=256", "train.eval_steps=2",
       "train.save_steps=2", "train.logging_steps=1", "train.save_total_limit=10", "train.sample_max_new_tokens=4")


def start(run_dir: Path, *overrides: str, session: bool = False) -> subprocess.Popen:
    return subprocess.Popen(train_command(run_dir, *RUN, *overrides), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=session)


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.time() + timeout
    while not path.exists():
        assert process.poll() is None, process.stdout.read()[-3000:]
        assert time.time() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def adapter_tensors(run_dir: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    return load_file(str(run_dir / "adapter" / "adapter_model.safetensors"))


def logged_steps(run_dir: Path, tag: str = "train/loss") -> list[int]:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(next((run_dir / "tensorboard").iterdir())))
    events.Reload()
    return sorted({event.step for event in events.Scalars(tag)})


def test_sigkill_then_the_same_command_resumes_to_the_same_adapter(tmp_path):
    steps = ("train.max_steps=8", "train.load_best_at_end=false")
    reference = run_entrypoint(train_command(tmp_path / "reference", *RUN, *steps))
    assert reference.returncode == 0, reference.log[-3000:]

    crashed = tmp_path / "crashed"
    process = start(crashed, *steps)
    wait_for(crashed / "checkpoints" / "checkpoint-4" / MARKER, process)
    process.kill()  # SIGKILL: no handler runs, no checkpoint is saved on the way out
    process.wait()
    assert not (crashed / "adapter").exists()

    resumed = run_entrypoint(train_command(crashed, *RUN, *steps))  # the same command, train.resume=auto
    assert resumed.returncode == 0, resumed.log[-3000:]
    assert "resuming from" in resumed.log
    metrics = json.loads((crashed / "metrics.json").read_text())
    assert metrics["global_step"] == 8
    expected, got = adapter_tensors(tmp_path / "reference"), adapter_tensors(crashed)
    assert expected.keys() == got.keys()
    for name in expected:
        torch.testing.assert_close(got[name], expected[name], rtol=1e-4, atol=1e-5, msg=name)
    assert logged_steps(crashed) == list(range(1, 9)), "one continuous curve over the crash"


@pytest.mark.parametrize("to_the_group", [False, True], ids=["to-the-process", "to-its-process-group"])
def test_sigterm_saves_a_checkpoint_and_says_how_to_resume(tmp_path, to_the_group):
    """The signal to the training process (a launcher passing it on), or to its whole process group with a data
    loader worker in it (`timeout`, a terminal's Ctrl-C, a scheduler signalling the job's processes): the worker
    must not die before the checkpoint is saved (2026-12-07: a killed worker stopped the save on the GPU machine)."""
    run_dir = tmp_path / "run"
    process = start(run_dir, "train.max_steps=500", "train.save_steps=200", "train.eval_steps=200",
                    f"hardware.dataloader_num_workers={int(to_the_group)}", session=to_the_group)
    wait_for(run_dir / "tensorboard", process)
    time.sleep(3)  # well inside training
    if to_the_group:
        os.killpg(process.pid, signal.SIGTERM)
    else:
        process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, output[-3000:]
    checkpoints = list((run_dir / "checkpoints").glob("checkpoint-*"))
    assert len(checkpoints) == 1, "the checkpoint at the step boundary after the signal"
    assert newest_complete_checkpoint(run_dir / "checkpoints") == checkpoints[0]
    assert "To resume, run the same command in the same folder: python train.py" in output
    assert f"hydra.run.dir={run_dir}" in output


INJECT_NAN = """
import functools, runpy, sys
import transformers.models.llama.modeling_llama as llama
forward, calls = llama.LlamaForCausalLM.forward, [0]
@functools.wraps(forward)  # the Trainer reads the signature to find the labels
def poisoned(self, *args, **kwargs):
    out = forward(self, *args, **kwargs)
    if self.training:
        calls[0] += 1
        if calls[0] > 2:  # what the loss is computed from (logits, or hidden states for the target-only loss)
            out.logits = out.logits * float("nan")
    return out
llama.LlamaForCausalLM.forward = poisoned
sys.argv = ["train.py", *sys.argv[1:]]
runpy.run_path("train.py", run_name="__main__")
"""


def test_an_injected_nan_loss_stops_the_run_through_the_entrypoint(tmp_path):
    result = run_entrypoint([sys.executable, "-c", INJECT_NAN, f"hydra.run.dir={tmp_path / 'run'}", *RUN,
                             "train.max_steps=20", "train.max_nonfinite_steps=3"])
    assert result.returncode == 2, result.log[-3000:]
    assert "NaN or infinite for 3 steps in a row (step 5)" in result.log
    assert "Traceback" not in result.log


def test_same_seed_same_split_and_same_first_ten_losses(tmp_path):
    losses = []
    for name in ("a", "b"):
        result = run_entrypoint(train_command(tmp_path / name, *RUN, "train.max_steps=10", "train.eval_steps=10",
                                              "train.save_steps=10"))
        assert result.returncode == 0, result.log[-3000:]
        state = json.loads((tmp_path / name / "checkpoints" / "checkpoint-10" / "trainer_state.json").read_text())
        losses.append([entry["loss"] for entry in state["log_history"] if "loss" in entry])
    # Equal to float rounding, not to the bit: seen once in CI (2026-12-08), two of the ten losses differed in the
    # 7th digit and the steps after them were equal to the bit. The cause is not pinned down (the loss function alone
    # repeats to the bit, 60 times over); CPU threading under load is the suspect. train.seed=43 instead of 42 moves
    # the first loss by 5e-4 and the next ones by up to 2.5e-2: 50x the tolerance and more.
    assert len(losses[0]) == 10 and losses[0] == pytest.approx(losses[1], rel=1e-6, abs=0)
    hashes = {json.loads((tmp_path / n / "data_report.json").read_text())["split_hash"] for n in ("a", "b")}
    assert len(hashes) == 1


def test_sigterm_with_two_ranks_stops_both_and_leaves_a_whole_checkpoint(tmp_path):
    run_dir = tmp_path / "run"
    command = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2",
               "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no", str(ROOT / "train.py"),
               f"hydra.run.dir={run_dir}", *RUN, "train.max_steps=500", "train.save_steps=200", "train.eval_steps=200"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wait_for(run_dir / "tensorboard", process)
    time.sleep(3)
    process.send_signal(signal.SIGTERM)  # to the launcher, which passes it on to both ranks
    output, _ = process.communicate(timeout=180)
    assert process.returncode != 0
    checkpoint = newest_complete_checkpoint(run_dir / "checkpoints")
    assert checkpoint is not None, output[-3000:]
    assert {p.name for p in checkpoint.glob("rng_state_*.pth")} == {"rng_state_0.pth", "rng_state_1.pth"}
    assert ("To resume, run the same command in the same folder: accelerate launch --multi_gpu --num_processes 2"
            in output)
    assert not (run_dir / "checkpoints" / ".incomplete").exists()


def test_the_token_stays_secret_and_weights_are_safetensors(tmp_path):
    secret = "hf_supportbotTestSecret0123456789"
    run_dir = tmp_path / "run"
    result = run_entrypoint(train_command(run_dir, *RUN, "train.max_steps=2"), env={"HF_TOKEN": secret})
    assert result.returncode == 0, result.log[-3000:]
    assert secret not in result.log
    for path in run_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), f"the token leaked into {path}"
    assert (run_dir / "adapter" / "adapter_model.safetensors").is_file()
    assert not list(run_dir.rglob("*.bin")) or all(p.name == "training_args.bin" for p in run_dir.rglob("*.bin"))
    assert "trust_remote_code: false" in (run_dir / "config.yaml").read_text()
