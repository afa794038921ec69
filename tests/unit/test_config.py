"""The typed boundary: every option and experiment composes, defaults are the recipe's, bad values stop with the fix."""

from __future__ import annotations

import pytest
from omegaconf import OmegaConf

from helpers import CONF, compose_config
from supportbot.errors import ConfigError

GROUPS = ("model", "data", "lora", "hardware", "train")


def options(group: str) -> list[str]:
    return sorted(path.stem for path in (CONF / group).glob("*.yaml"))


@pytest.mark.parametrize("group,option", [(group, option) for group in GROUPS for option in options(group)])
def test_every_group_option_composes(group, option):
    """The option's typed group holds every value its file sets; a file that sets none gives the schema's defaults."""
    node = getattr(compose_config(f"{group}={option}"), group)
    written = OmegaConf.to_container(OmegaConf.load(CONF / group / f"{option}.yaml")) or {}
    written.pop("defaults", None)  # an option built on another (1xA100 on 1xH100) is checked through that one
    composed = OmegaConf.to_container(OmegaConf.structured(node))
    assert {key: composed[key] for key in written} == written
    if not written and "defaults" not in (CONF / group / f"{option}.yaml").read_text():
        assert node == type(node)(), f"{group}/{option}.yaml sets nothing, so it must be the schema's defaults"
    if hasattr(node, "name"):
        assert node.name == option


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
    assert (cfg.train.optimizer, cfg.train.learning_rate,
            cfg.train.lr_scheduler) == ("paged_adamw_8bit", 2e-4, "cosine")
    assert (cfg.train.eval_steps, cfg.train.save_steps, cfg.train.save_total_limit) == (100, 100, 2)


def test_2xT4_is_two_fp16_processes():
    hw = compose_config("hardware=2xT4").hardware
    cfg = compose_config("hardware=2xT4")
    # 8 packed rows per GPU: the measured fit for a T4 (benchmarks/RESULTS.md)
    assert (hw.num_processes, hw.precision, hw.per_device_batch_size,
            hw.gradient_accumulation_steps) == (2, "fp16", 8, 1)
    assert hw.attn_implementation == "sdpa" and cfg.data.packing and cfg.train.cross_entropy == "auto"


def test_qwen_report_recipe():
    cfg = compose_config("experiment=qwen4b_report")
    assert cfg.model.name == "qwen3-4b" and cfg.hardware.name == "2xT4"
    assert (cfg.train.epochs, cfg.data.val_fraction, cfg.train.warmup) == (3, 0.1, 50)


# (overrides, what the message must say): the key, the bad value, what is allowed, an example fix.
BAD_CONFIGS = [
    (["lora.r=0"], "lora.r=0 is not valid: the rank must be a positive integer. "
     "Fix it on the command line, e.g. `lora.r=16`."),
    (["lora.alpha=-1"], "lora.alpha=-1 is not valid: alpha must be positive"),
    (["data.format=json"], "data.format='json' is not valid: allowed values are plain, tool_calls"),
    (["data.format=tool_calls", "tools.tools=[]"], "data.format='tool_calls' is not valid: tools=support has no tools "
     "to train. Fix it on the command line, e.g. `data.format=tool_calls tools=support`."),
    (["data.columns.response=' '"], "data.columns.response=' ' is not valid: a column name of the data file. "
     "Fix it on the command line, e.g. `data.columns.response=response`."),
    (["lora.dropout=1.0"], "lora.dropout=1.0 is not valid: dropout must be in [0, 1)"),
    (["data.val_fraction=0.7"], "data.val_fraction=0.7 is not valid: it must be in (0, 0.5]"),
    (["data.val_fraction=0"], "data.val_fraction=0.0 is not valid: it must be in (0, 0.5]"),
    (["data.max_seq_length=32"], "data.max_seq_length=32 is not valid: it must be at least 64 tokens"),
    (["model=smollm2-135m", "data.max_seq_length=16384"],
     "data.max_seq_length=16384 is not valid: model=smollm2-135m handles at most 8192 tokens"),
    (["data.placeholders=hide"], "data.placeholders='hide' is not valid: allowed values are keep, generic, strip"),
    (["hardware.per_device_batch_size=0"], "hardware.per_device_batch_size=0 is not valid: it must be >= 1"),
    (["hardware.gradient_accumulation_steps=0"],
     "hardware.gradient_accumulation_steps=0 is not valid: it must be >= 1"),
    (["hardware=cpu", "hardware.precision=bf16"], "hardware.precision='bf16' is not valid: CPU training runs in fp32"),
    (["train.save_steps=150"], "train.save_steps=150 is not valid: with load_best_at_end it must be a multiple of "
     "train.eval_steps=100"),
    (["train.optimizer=sgd"], "train.optimizer='sgd' is not valid: allowed values are paged_adamw_8bit"),
    (["model=tiny", "model.weights=pretrained"], "model=tiny is a random test architecture with no pretrained weights"),
    (["model.weights=trained"], "model.weights='trained' is not valid: allowed values are pretrained, random"),
]


@pytest.mark.parametrize("overrides,message", BAD_CONFIGS, ids=[" ".join(o) for o, _ in BAD_CONFIGS])
def test_bad_values_fail_at_the_boundary_with_the_fix(overrides, message):
    with pytest.raises(ConfigError) as error:
        compose_config(*overrides)
    assert message in str(error.value)


def test_a_wrong_type_fails_at_composition():
    with pytest.raises(Exception, match="lora.r"):
        compose_config("lora.r=sixteen")


def test_data_columns_default_to_bitexts_names_and_take_overrides():
    columns = compose_config().data.columns
    assert (columns.instruction, columns.response, columns.intent, columns.category) == (
        "instruction", "response", "intent", "category")
    mapped = compose_config("data.columns.instruction=question", "data.columns.intent=null").data.columns
    assert mapped.instruction == "question" and mapped.intent is None
