"""launch/accelerate/: every file parses as an accelerate config, says how to launch it, and holds neither
hyperparameters nor precision (hardware.precision is the one place: supportbot.distributed)."""

from __future__ import annotations

import pytest
import yaml

from helpers import CONF, ROOT

LAUNCH = ROOT / "launch" / "accelerate"
FILES = sorted(LAUNCH.glob("*.yaml"))
# Keys an accelerate / DeepSpeed config could set that belong to conf/ (train.*, hardware.*) instead.
HYPERPARAMETERS = {"learning_rate", "lr", "train_batch_size", "train_micro_batch_size_per_gpu",
                   "gradient_accumulation_steps", "gradient_clipping", "optimizer", "scheduler", "epochs",
                   "max_steps", "weight_decay", "seed"}


def _keys(node, prefix=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{prefix}{key}"
            yield from _keys(value, f"{prefix}{key}.")


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_launch_file_parses_and_names_no_precision_or_hyperparameter(path):
    from accelerate.commands.config.config_args import load_config_from_file

    load_config_from_file(str(path))
    keys = list(_keys(yaml.safe_load(path.read_text())))
    assert not [key for key in keys if "mixed_precision" in key or key.endswith(("fp16", "bf16"))]
    assert not [key for key in keys if key.split(".")[-1] in HYPERPARAMETERS]
    header = path.read_text().split("\ncompute_environment")[0]
    assert f"accelerate launch --config_file launch/accelerate/{path.name}" in header


def test_every_hardware_option_names_an_existing_launch_file():
    options = (CONF / "hardware").glob("*.yaml")
    named = {yaml.safe_load(option.read_text()).get("accelerate_config") for option in options}
    for config in named - {None}:
        assert (ROOT / config).is_file(), config


@pytest.mark.parametrize("option,strategy,config", [("2xT4-zero2", "zero2", "2xT4-zero2.yaml"),
                                                    ("2xT4-zero3", "zero3", "zero3-qlora.yaml"),
                                                    ("2xT4-fsdp", "fsdp", "fsdp-qlora.yaml")])
def test_strategy_options_name_their_launch_file(option, strategy, config):
    from helpers import compose_config

    hw = compose_config(f"hardware={option}").hardware
    assert hw.strategy == strategy and hw.accelerate_config == f"launch/accelerate/{config}"
    assert hw.precision == "fp16" and hw.num_processes == 2
