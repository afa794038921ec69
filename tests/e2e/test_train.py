"""train.py end to end: the quickstart path with the tiny model (4-bit, CPU), and a real two-rank run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import ROOT, TINY_RUN, run_entrypoint, train_command


def scalar_tags(tensorboard_dir: Path, kind: str = "scalars") -> set[str]:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    tags = set()
    for run in tensorboard_dir.iterdir():
        accumulator = EventAccumulator(str(run))
        accumulator.Reload()
        tags |= set(accumulator.Tags()[kind])
    return tags


def test_quickstart_path_with_the_tiny_model(tmp_path):
    run_dir = tmp_path / "run"
    result = run_entrypoint(train_command(run_dir, "experiment=quickstart", *TINY_RUN, "train.eval_on_start=true"))
    assert result.returncode == 0, result.log[-3000:]

    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["global_step"] == 4 and metrics["world_size"] == 1
    assert metrics["trainable_parameters"] == 32_768  # r16 on 7 projections x 2 layers of width 64
    assert metrics["quantized_layers"] == 14, "the base model's projections must be 4-bit NF4"
    assert metrics["eval_loss"] == min(loss for _, loss in metrics["eval_curve"]) == metrics["best_eval_loss"]
    assert [step for step, _ in metrics["eval_curve"]] == [0, 2, 4]  # at the start, then every 2 steps
    assert metrics["tokens_per_second"] > 0 and metrics["peak_memory_gb"] > 0

    report = json.loads((run_dir / "data_report.json").read_text())
    assert report["source"] == "builtin:sample" and report["rows_read"] == report["kept"] + report["dropped_total"]
    assert metrics["split_hash"] == report["split_hash"]

    config = (run_dir / "config.yaml").read_text()
    assert "name: tiny" in config and "max_steps: 4" in config
    assert sorted(p.name for p in (run_dir / "checkpoints").glob("checkpoint-*")) == ["checkpoint-2", "checkpoint-4"]
    assert {"train/loss", "eval/loss", "train/learning_rate", "train/grad_norm", "train/tokens_per_second",
            "train/memory_gb"} <= scalar_tags(run_dir / "tensorboard")
    assert [p.name for p in (run_dir / "tensorboard").iterdir()] == ["quickstart"]
    # train.sample_prompts: the answers to the three default prompts at every evaluation, in the Text tab.
    assert {"samples/0/text_summary", "samples/1/text_summary", "samples/2/text_summary"} <= scalar_tags(
        run_dir / "tensorboard", "tensors")
    assert "samples at step 4" in result.log
    # The Trainer's bookkeeping is not top-level noise (run/tensorboard.py).
    assert not {"eval/runtime", "eval/samples_per_second", "train/epoch"} & scalar_tags(run_dir / "tensorboard")

    # A quiet console: a few summary lines; the resolved config and the known library warnings go to train.log.
    assert "run folder:" in result.log and "trainable parameters:" in result.log
    assert "steps: 4 (train.max_steps) |" in result.log  # the count validate=true's plan gives (planned_steps)
    # transformers' "Loading weights" bar is off the console (run/logs.py); the training bar stays.
    assert "Loading weights" not in result.log and "| 4/4 [" in result.log
    assert "model: tiny" in result.log and "fp32" in result.log
    assert "sample_prompts:" not in result.log, "the config dump belongs in config.yaml and train.log"
    assert "is deprecated" not in result.log and "Paged optimizers are not supported" not in result.log
    train_log = (run_dir / "train.log").read_text()
    assert "sample_prompts:" in train_log and "Paged optimizers are not supported on CPU" in train_log

    # The adapter is standard PEFT: it loads onto its base with PeftModel.from_pretrained.
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    adapter = run_dir / "adapter"
    base_path = json.loads((adapter / "adapter_config.json").read_text())["base_model_name_or_path"]
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base_path), adapter)
    assert sum(p.numel() for n, p in model.named_parameters() if "lora_" in n) == 32_768
    assert AutoTokenizer.from_pretrained(adapter).eos_token == "<|im_end|>"


def test_two_ranks_share_one_run_folder(tmp_path):
    # --multi_gpu with gloo on CPU: `--cpu --num_processes 2` would silently start one process.
    command = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2",
               "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no",
               str(ROOT / "train.py"), *TINY_RUN, "train.load_best_at_end=false", "train.profile_from=2",
               "train.profile_steps=1"]
    result = run_entrypoint(command, cwd=tmp_path)
    assert result.returncode == 0, result.log[-3000:]

    runs = list((tmp_path / "outputs").glob("*/*"))
    assert len(runs) == 1, f"each rank picked its own folder: {runs}"
    run_dir = runs[0]
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["world_size"] == 2
    conversations = metrics["examples_per_rank"]
    assert len(conversations) == 2 and min(conversations) > 16, "both ranks trained: 4 steps x 4 packed rows each"
    assert (run_dir / "adapter" / "adapter_model.safetensors").is_file()
    assert len(list((run_dir / "tensorboard").rglob("events.out.tfevents.*"))) >= 1
    assert "train/loss" in scalar_tags(run_dir / "tensorboard")
    assert len(list(run_dir.rglob("adapter_model.safetensors"))) == 1 + 2  # the adapter and two checkpoints

    # Per-rank evidence of data parallelism: different batches in, one adapter out, on both ranks.
    ranks = metrics["ranks"]
    assert [rank["rank"] for rank in ranks] == [0, 1] and len({rank["pid"] for rank in ranks}) == 2
    assert [rank["micro_batches"] for rank in ranks] == [4, 4] and all(rank["peak_memory_gb"] > 0 for rank in ranks)
    assert ranks[0]["adapter_sha256"] == ranks[1]["adapter_sha256"] and metrics["adapters_identical"] is True
    assert all(rank["adapter_trained"] for rank in ranks), "the checksums compare trained adapters, not two inits"
    assert ranks[0]["batch_sha256"] != ranks[1]["batch_sha256"] and metrics["batches_distinct"] is True
    assert not set(ranks[0]["first_batches"]) & set(ranks[1]["first_batches"])

    # train.profile_from=2: every rank profiled step 3 and says where its time went.
    for rank in ranks:
        profile = rank["profile"]
        assert profile["steps"] == [3, 3] and profile["wall_seconds_per_step"] > 0, profile
        assert profile["cpu_op_seconds_per_step"] > 0 and profile["gpu_busy_pct"] is None  # CPU run: no GPU figures
        table = (run_dir / "profile" / f"rank{rank['rank']}.txt").read_text()
        assert "operators by self CPU time" in table and "aten::" in table
        assert (run_dir / "profile" / f"rank{rank['rank']}.trace.json.gz").stat().st_size > 0


def test_an_error_is_the_last_thing_on_the_screen(tmp_path):
    """A run that fails after it started (its summary printed, the model built) ends with the error."""
    command = train_command(tmp_path / "run", *TINY_RUN, f"train.resume={tmp_path / 'no-such-checkpoint'}")
    result = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=300, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert result.returncode == 2, result.stdout[-2000:]
    assert "trainable parameters:" in result.stdout and "steps: 4 (train.max_steps) |" in result.stdout  # started
    last = [line for line in result.stdout.splitlines() if line.strip()][-1]
    assert "[ERROR]" in last and "cannot be resumed from" in last, result.stdout[-2000:]


def test_neftune_noise_changes_training_and_not_evaluation(tmp_path):
    """train.neftune_noise_alpha through the real pipeline: the same seed and data with and without the noise give
    the same loss at the start (evaluation: no noise) and different training losses (the first step is noised)."""
    from helpers import train_in_process

    runs = {alpha: train_in_process(tmp_path / str(alpha), *TINY_RUN, "train.max_steps=2", "train.eval_on_start=true",
                                    f"train.neftune_noise_alpha={alpha}")
            for alpha in (0, 50)}
    assert runs[0]["eval_curve"][0] == runs[50]["eval_curve"][0]
    assert runs[0]["train_curve"][0][1] != runs[50]["train_curve"][0][1]


def test_torch_compile_trains_like_eager_through_the_pipeline(tmp_path):
    """train.torch_compile through the real pipeline (the Trainer turns checkpointing on again at train(), and
    evaluates and samples in between): one compiled graph, no graph break, the adapter saved, and the same losses as
    the eager run of the same seed (no dropout, so that both draw nothing at random)."""
    import torch._dynamo

    from helpers import train_in_process

    runs = {}
    for compiled in (False, True):
        torch._dynamo.reset()
        torch._dynamo.utils.counters.clear()  # the counts are this process's; a train.py run has one process
        runs[compiled] = train_in_process(tmp_path / str(compiled), *TINY_RUN, "train.max_steps=3", "lora.dropout=0",
                                          f"train.torch_compile={str(compiled).lower()}")
    assert runs[True]["torch_compile"] == {"graphs": 1, "graph_breaks": 0}
    assert "torch_compile" not in runs[False]
    assert (tmp_path / "True" / "adapter" / "adapter_model.safetensors").is_file()
    eager, compiled = ([loss for _, loss, _ in runs[flag]["train_curve"]] for flag in (False, True))
    assert len(eager) == len(compiled) == 3
    for a, b in zip(eager, compiled, strict=True):
        assert abs(a - b) < 1e-3 * abs(a), (eager, compiled)
    assert abs(runs[True]["eval_loss"] - runs[False]["eval_loss"]) < 1e-3 * runs[False]["eval_loss"]
