"""Every config option and experiment composes and passes validation; parameter counts are exact."""

from __future__ import annotations

import pytest

from conftest import CONF, compose_config

GROUPS = ("model", "data", "lora", "hardware", "train")


def options(group: str) -> list[str]:
    return sorted(path.stem for path in (CONF / group).glob("*.yaml"))


@pytest.mark.parametrize("group,option", [(group, option) for group in GROUPS for option in options(group)])
def test_every_group_option_composes(group, option):
    cfg = compose_config(f"{group}={option}")
    assert getattr(cfg, group).name == option if hasattr(getattr(cfg, group), "name") else True


@pytest.mark.parametrize("experiment", options("experiment"))
def test_every_experiment_composes(experiment):
    cfg = compose_config(f"experiment={experiment}")
    assert cfg.run_name == experiment


def test_experiments_say_how_to_launch_them():
    for path in (CONF / "experiment").glob("*.yaml"):
        text = path.read_text()
        assert text.startswith("# @package _global_"), path
        assert "train.py" in text.split("\n\n")[0], f"{path.name}: the header comment gives the launch command"


def test_defaults_are_the_llama_plan_recipe():
    cfg = compose_config()
    assert cfg.model.path == "meta-llama/Llama-3.2-3B-Instruct"
    assert (cfg.lora.r, cfg.lora.alpha, cfg.lora.dropout) == (16, 16, 0.05)
    assert cfg.lora.target_modules == ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    assert (cfg.data.val_fraction, cfg.data.seed, cfg.data.max_seq_length) == (0.05, 42, 512)
    assert cfg.data.system_prompt == "You are a helpful customer support assistant."
    assert (cfg.train.optimizer, cfg.train.learning_rate, cfg.train.lr_scheduler) == ("paged_adamw_8bit", 2e-4, "cosine")
    assert (cfg.train.eval_steps, cfg.train.save_steps, cfg.train.save_total_limit) == (100, 100, 2)


def test_2xT4_is_two_fp16_processes():
    hw = compose_config("hardware=2xT4").hardware
    cfg = compose_config("hardware=2xT4")
    # 8 packed rows per GPU: the measured fit for a T4 (benchmarks/RESULTS.md)
    assert (hw.num_processes, hw.precision, hw.per_device_batch_size, hw.gradient_accumulation_steps) == (2, "fp16", 8, 1)
    assert hw.attn_implementation == "sdpa" and cfg.data.packing and cfg.train.cross_entropy == "auto"


def test_qwen_report_recipe():
    cfg = compose_config("experiment=qwen4b_report")
    assert cfg.model.name == "qwen3-4b" and cfg.hardware.name == "2xT4"
    assert (cfg.train.epochs, cfg.data.val_fraction, cfg.train.warmup) == (3, 0.1, 50)


@pytest.mark.parametrize("model,trainable,total", [
    ("llama3.2-3b", 24_313_856, 3_237_063_680),
    ("qwen3-4b", 33_030_144, 4_055_498_240),
])
def test_lora_r16_parameter_counts_on_the_meta_device(model, trainable, total):
    from supportbot.model import count_parameters

    cfg = compose_config(f"model={model}", "model.weights=random")
    assert count_parameters(cfg.model, cfg.lora) == (trainable, total)


def test_lora_rank_scales_the_adapter():
    from supportbot.model import count_parameters

    r16 = compose_config("model=tiny")
    r32 = compose_config("model=tiny", "lora.r=32")
    assert count_parameters(r32.model, r32.lora)[0] == 2 * count_parameters(r16.model, r16.lora)[0]
