"""DeepSpeed ZeRO-2 through launch/accelerate/2xT4-zero2.yaml: two gloo ranks on CPU, the tiny 4-bit model.

The same file the GPUs use, with fp32 instead of fp16 (CPU); DeepSpeed shards the Trainer's own
8-bit AdamW state and the gradients across the two ranks. deepspeed is in the `test` extra; skipped without it
(`pip install -e '.[deepspeed]'`)."""

from __future__ import annotations

import json
import sys

import pytest

from helpers import ROOT, TINY_RUN, run_entrypoint


def test_zero2_with_two_ranks_trains_one_adapter_from_different_batches(tmp_path):
    pytest.importorskip("deepspeed")
    command = [sys.executable, "-m", "accelerate.commands.launch",
               "--config_file", str(ROOT / "launch" / "accelerate" / "2xT4-zero2.yaml"), "--mixed_precision", "no",
               str(ROOT / "train.py"), *TINY_RUN, "train.load_best_at_end=false"]
    result = run_entrypoint(command, cwd=tmp_path)
    assert result.returncode == 0, result.log[-3000:]

    run_dir = next((tmp_path / "outputs").glob("*/*"))
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["world_size"] == 2 and metrics["global_step"] == 4
    assert metrics["quantized_layers"] == 14, "ZeRO-2 trains the 4-bit QLoRA model, not a float copy"
    assert metrics["adapters_identical"] is True and all(rank["adapter_trained"] for rank in metrics["ranks"])
    assert metrics["batches_distinct"] is True
    # DeepSpeed's own checkpoint (sharded optimizer state) inside each whole checkpoint folder.
    assert (run_dir / "checkpoints" / "checkpoint-4" / "global_step4").is_dir()
    assert (run_dir / "adapter" / "adapter_model.safetensors").is_file()
    assert "untested optimizer" in result.log, "DeepSpeed wraps the Trainer's optimizer, not one of its own"
