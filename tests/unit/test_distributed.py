"""Process layout and placement: a launch that does not match the hardware option says the command."""

from __future__ import annotations

import pytest

from helpers import compose_config
from supportbot.errors import LaunchError


def test_a_hardware_option_started_with_the_wrong_process_count_says_the_command(monkeypatch):
    from supportbot.distributed import resolve_placement

    monkeypatch.setenv("WORLD_SIZE", "1")
    with pytest.raises(LaunchError) as error:
        resolve_placement(compose_config("hardware=2xT4").hardware)
    text = str(error.value)
    assert "hardware=2xT4 expects 2 process(es), but 1 were started" in text
    assert "accelerate launch --multi_gpu --num_processes 2 train.py hardware=2xT4" in text
    assert "--config_file launch/accelerate/2xT4.yaml" in text


def test_a_strategy_option_started_with_too_few_processes_is_told_its_launch_file(monkeypatch):
    from supportbot.distributed import resolve_placement

    monkeypatch.setenv("WORLD_SIZE", "1")
    with pytest.raises(LaunchError) as error:
        resolve_placement(compose_config("hardware=2xT4-zero3").hardware)
    text = str(error.value)
    assert ("accelerate launch --config_file launch/accelerate/zero3-qlora.yaml --num_processes 2 train.py "
            "hardware=2xT4-zero3") in text and "--multi_gpu" not in text, "--multi_gpu would start DDP there"


@pytest.mark.parametrize("hardware,processes,multi_gpu", [
    ("cpu", 2, True),          # gloo ranks: --multi_gpu, since `--cpu --num_processes 2` starts one
    ("2xT4", 2, True),         # DDP's file, and the flag agrees with it
    ("1xT4", 2, True),         # a one-process file made two ranks by the launcher's num_processes
    ("1xT4", 1, False),
    ("2xT4-zero2", 2, False),  # the strategy's file decides: a flag would start DDP instead
    ("2xT4-zero3", 2, False),
    ("2xT4-fsdp", 2, False),
])
def test_the_sweep_launch_names_a_strategy_only_through_its_file(hardware, processes, multi_gpu):
    from accelerate.commands.launch import launch_command_parser

    from helpers import ROOT
    from supportbot.distributed import accelerate_launch_args

    hw = compose_config(f"hardware={hardware}").hardware
    config_file = ROOT / hw.accelerate_config if hw.accelerate_config else None
    args = accelerate_launch_args(processes, "fp16", config_file, hw.strategy)
    assert ("--multi_gpu" in args) == multi_gpu
    parsed = launch_command_parser().parse_args([*args, "train.py"])
    assert parsed.num_processes == processes and parsed.config_file == (str(config_file) if config_file else None)


@pytest.mark.parametrize("layout,main", [({}, True), ({"WORLD_SIZE": "2", "RANK": "0", "LOCAL_RANK": "0"}, True),
                                         ({"WORLD_SIZE": "2", "RANK": "1", "LOCAL_RANK": "1"}, False),
                                         ({"WORLD_SIZE": "4", "RANK": "2", "LOCAL_RANK": "0"}, False)])
def test_the_main_process_is_global_rank_0_before_a_placement_exists_and_after(layout, main, monkeypatch):
    """train.py prints the validate=true plan and removes an unused run folder from this process only: the same
    one that Placement.is_main names once the run has resolved its placement (rank 0 of the second machine is not)."""
    from supportbot.distributed import is_main_process, resolve_placement

    for name in ("WORLD_SIZE", "RANK", "LOCAL_RANK"):
        monkeypatch.delenv(name, raising=False)
    for name, value in layout.items():
        monkeypatch.setenv(name, value)
    assert is_main_process() is main
    assert resolve_placement(compose_config("hardware=cpu").hardware).is_main is main


ACCELERATE_STRATEGY_ENV = ("ACCELERATE_USE_DEEPSPEED", "ACCELERATE_DEEPSPEED_ZERO_STAGE", "ACCELERATE_USE_FSDP",
                           "ACCELERATE_MIXED_PRECISION")


@pytest.mark.parametrize("env,strategy", [({}, "ddp"),
                                          ({"ACCELERATE_USE_DEEPSPEED": "true", "ACCELERATE_DEEPSPEED_ZERO_STAGE": "2"},
                                           "zero2"),
                                          ({"ACCELERATE_USE_DEEPSPEED": "true", "ACCELERATE_DEEPSPEED_ZERO_STAGE": "3"},
                                           "zero3"),
                                          ({"ACCELERATE_USE_FSDP": "true"}, "fsdp")])
def test_the_strategy_is_read_from_what_accelerate_launch_exported(env, strategy, monkeypatch):
    from supportbot.distributed import launched_strategy, resolve_placement

    for name in ACCELERATE_STRATEGY_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert launched_strategy() == strategy
    if strategy == "fsdp":  # accelerate would run it on CPU as unsharded DDP: refused there, with what works
        with pytest.raises(LaunchError, match="FSDP needs GPUs here.*zero3-qlora.yaml"):
            resolve_placement(compose_config("hardware=cpu").hardware)
        return
    placement = resolve_placement(compose_config("hardware=cpu").hardware)
    assert placement.strategy == strategy
    assert placement.shards_weights is (strategy in ("zero3", "fsdp"))


@pytest.mark.parametrize("strategy,precision,storage", [("ddp", "fp16", None), ("zero2", "bf16", None),
                                                        ("zero3", "fp16", "float16"), ("zero3", "bf16", "bfloat16"),
                                                        ("fsdp", "bf16", "bfloat16"), ("fsdp", "fp16", "float32"),
                                                        ("fsdp", "fp32", "float32"), ("zero3", "fp32", "float32")])
def test_4bit_storage_is_a_float_dtype_only_where_the_weights_are_sharded(strategy, precision, storage):
    import torch

    from supportbot.distributed import Placement
    from supportbot.model.build import loading_dtype, quantization_config

    placement = Placement("cuda", precision, 2, 0, 0, strategy=strategy)
    expected = None if storage is None else getattr(torch, storage)
    assert placement.quant_storage_dtype == expected
    assert quantization_config(placement).bnb_4bit_quant_storage == (expected or torch.uint8)
    assert loading_dtype(placement) == (expected or placement.compute_dtype)
    assert (placement.device_map is None) is (storage is not None), "no device_map under ZeRO-3 / FSDP"
    assert placement.reentrant_checkpointing is (storage is not None)


@pytest.mark.parametrize("strategy,device,expected", [("ddp", "cuda", "paged_adamw_8bit"),
                                                      ("zero2", "cuda", "paged_adamw_8bit"),
                                                      ("zero3", "cuda", "adamw_torch"),
                                                      ("fsdp", "cuda", "adamw_torch"),
                                                      ("fsdp", "cpu", "adamw_torch")])
def test_a_bitsandbytes_optimizer_is_switched_with_a_warning_under_sharded_state(strategy, device, expected, caplog):
    from supportbot.distributed import Placement
    from supportbot.train.arguments import training_optimizer

    placement = Placement(device, "fp32" if device == "cpu" else "bf16", 2, 0, 0, strategy=strategy)
    with caplog.at_level("WARNING"):
        assert training_optimizer("paged_adamw_8bit", placement) == expected
    switched = expected != "paged_adamw_8bit"
    assert (f"training with {expected} instead" in caplog.text) is switched
    assert training_optimizer("adamw_torch", placement) == "adamw_torch"


@pytest.mark.parametrize("strategy,precision,expected", [("fsdp", "fp16", "adamw_torch"),
                                                         ("fsdp", "bf16", "adamw_torch_fused"),
                                                         ("zero3", "fp16", "adamw_torch_fused"),
                                                         ("ddp", "fp16", "adamw_torch_fused")])
def test_the_fused_adamw_is_switched_only_where_the_fsdp_fp16_scaler_breaks_it(strategy, precision, expected, caplog):
    # The H200 run of launch/accelerate/fsdp-qlora.yaml with hardware=2xT4-fsdp (fp16) failed in the first step
    # of torch's fused AdamW; bf16 has no gradient scaler and DeepSpeed scales the loss itself.
    from supportbot.distributed import Placement
    from supportbot.train.arguments import training_optimizer

    placement = Placement("cuda", precision, 2, 0, 0, strategy=strategy)
    cfg = compose_config("train.optimizer=adamw_torch_fused")  # a value the config accepts, not only this function
    with caplog.at_level("WARNING"):
        assert training_optimizer(cfg.train.optimizer, placement) == expected
    assert ("pytorch#140514" in caplog.text) is (expected != "adamw_torch_fused")


def test_a_strategy_option_launched_with_another_strategy_says_the_command(monkeypatch):
    from supportbot.distributed import resolve_placement

    for name in ACCELERATE_STRATEGY_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WORLD_SIZE", "2")
    hw = compose_config("hardware=2xT4-zero3").hardware
    with pytest.raises(LaunchError) as error:
        resolve_placement(hw)
    assert "expects the zero3 strategy, but accelerate launch started ddp" in str(error.value)
    assert "--config_file launch/accelerate/zero3-qlora.yaml train.py hardware=2xT4-zero3" in str(error.value)


@pytest.mark.parametrize("launched,ok", [("no", True), ("fp16", False), ("bf16", False)])
def test_a_launch_mixed_precision_that_disagrees_with_the_hardware_option_stops(launched, ok, monkeypatch):
    from supportbot.distributed import resolve_placement

    monkeypatch.setenv("ACCELERATE_MIXED_PRECISION", launched)
    hw = compose_config("hardware=cpu").hardware
    if ok:
        assert resolve_placement(hw).precision == "fp32"
    else:
        with pytest.raises(LaunchError, match=f"--mixed_precision {launched}, but hardware=cpu resolves to fp32"):
            resolve_placement(hw)


@pytest.mark.parametrize(("strategy", "world_size", "chosen", "skips"), [
    ("fsdp", 1, "FULL_SHARD", True),   # one process: torch runs NO_SHARD whatever the file says
    ("fsdp", 2, "NO_SHARD", True),
    ("fsdp", 2, "3", True),            # accelerate's number for NO_SHARD
    ("fsdp", 2, "FULL_SHARD", False),  # sharded: the bug does not reach it, the check stays
    ("ddp", 1, "", False),
    ("zero3", 1, "", False),
])
def test_fsdp_writeback_check_is_skipped_exactly_where_fsdp_runs_no_shard(strategy, world_size, chosen, skips):
    from supportbot.distributed import Placement, skip_fsdp_writeback_check

    env = {"FSDP_SHARDING_STRATEGY": chosen}
    placement = Placement("cuda", "fp16", world_size, 0, 0, strategy=strategy)
    assert skip_fsdp_writeback_check(placement, env) is skips
    assert env.get("FSDP_SKIP_WRITEBACK_CHECK") == ("1" if skips else None)


def test_fsdp_no_shard_trains_tied_lora_models_with_the_check_skipped():
    """The torch bug the skip works around, on CPU in one gloo process: FSDP NO_SHARD, a tied embedding, LoRA and
    4-bit weights, two steps each (benchmarks/fsdp_minimal.py; without the skip the tied variants stop in the second
    step's post-forward reshard)."""
    import json
    import os
    import subprocess
    import sys

    from helpers import ROOT
    from supportbot.distributed import Placement, skip_fsdp_writeback_check

    env = dict(os.environ, MASTER_PORT="29547")
    assert skip_fsdp_writeback_check(Placement("cpu", "fp32", 1, 0, 0, strategy="fsdp"), env)
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fsdp_minimal.py"), "--device", "cpu",
                             "--variants", "plain,4bit,4bit-checkpointing"], env=env, capture_output=True, text=True,
                            timeout=600)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    variants = {line["variant"]: line for line in lines if "variant" in line}
    assert set(variants) == {"plain", "4bit", "4bit-checkpointing"}, result.stderr[-2000:]
    assert all(variant["ok"] for variant in variants.values()), variants
