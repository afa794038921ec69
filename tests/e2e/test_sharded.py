"""ZeRO-3 and FSDP with QLoRA through launch/accelerate/: two gloo ranks on CPU, the tiny 4-bit model.

The same files the GPUs use; on CPU the precision is fp32 (hardware=cpu), so the 4-bit weights are packed
into fp32 storage and sharded with the rest. Each run must switch the default paged 8-bit AdamW to torch's
AdamW and say so, and save one adapter that PEFT loads back."""

from __future__ import annotations

import json
import sys

import pytest

from helpers import ROOT, TINY_RUN, run_entrypoint

THREE_STEPS = (*TINY_RUN, "train.max_steps=3", "train.eval_steps=3", "train.save_steps=3",
               "train.load_best_at_end=false")


def _launch(config: str, tmp_path, *launch_flags: str):
    command = [sys.executable, "-m", "accelerate.commands.launch",
               "--config_file", str(ROOT / "launch" / "accelerate" / config), *launch_flags,
               str(ROOT / "train.py"), *THREE_STEPS]
    result = run_entrypoint(command, cwd=tmp_path)
    assert result.returncode == 0, result.log[-4000:]
    runs = list((tmp_path / "outputs").glob("*/*"))
    assert len(runs) == 1, "both ranks write into one run folder"
    return result, runs[0]


def _assert_reloadable_adapter(run_dir):
    from peft import PeftModel
    from safetensors.torch import load_file

    from helpers import compose_config
    from supportbot.model.build import _meta_model

    tensors = load_file(run_dir / "adapter" / "adapter_model.safetensors")
    assert tensors and all(tensor.numel() > 0 for tensor in tensors.values()), "whole LoRA tensors, not shards"
    assert all("lora_" in name for name in tensors), "the adapter only, no base weights"
    config = _meta_model(compose_config("model=tiny").model).config
    from transformers import AutoModelForCausalLM

    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_config(config), str(run_dir / "adapter"))
    assert any("lora_A" in name for name, _ in model.named_parameters())


def test_zero3_with_two_ranks_trains_and_saves_one_reloadable_adapter(tmp_path):
    pytest.importorskip("deepspeed")
    result, run_dir = _launch("zero3-qlora.yaml", tmp_path)
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["world_size"] == 2 and metrics["global_step"] == 3
    assert metrics["quantized_layers"] == 14, "ZeRO-3 trains the 4-bit QLoRA model, not a float copy"
    assert metrics["batches_distinct"] is True and all(rank["adapter_trained"] for rank in metrics["ranks"])
    assert metrics["adapters_identical"] is None, "each rank holds part of the adapter: no identity claimed"
    assert "training with adamw_torch instead" in result.log, "the optimizer switch is said, not silent"
    assert (run_dir / "checkpoints" / "checkpoint-3" / "global_step3").is_dir(), "DeepSpeed's sharded state"
    _assert_reloadable_adapter(run_dir)


def test_fsdp_with_two_ranks_trains_and_saves_one_reloadable_adapter(tmp_path):
    # torch 2.13's FSDP refuses sync_module_states on CPU ("FSDP parameter initialization with
    # `sync_module_states=True` is not supported on cpu"), and cpu_ram_efficient_loading needs it: on CPU each
    # rank loads its own copy instead. Everything else is the GPU file.
    result, run_dir = _launch("fsdp-qlora.yaml", tmp_path, "--fsdp_sync_module_states", "false",
                              "--fsdp_cpu_ram_efficient_loading", "false")
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["world_size"] == 2 and metrics["global_step"] == 3
    assert metrics["quantized_layers"] == 14, "FSDP trains the 4-bit QLoRA model, not a float copy"
    assert "training with adamw_torch instead" in result.log
    assert metrics["adapters_identical"] is None
    _assert_reloadable_adapter(run_dir)
