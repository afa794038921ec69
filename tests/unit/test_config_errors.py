"""Hydra's composition errors in the project's words: an unknown key gets a suggestion, a wrong type its type."""

from __future__ import annotations

import pytest

from helpers import CONF, compose_config
from supportbot.config_errors import _one_value_per_sweep, check_overrides
from supportbot.errors import ConfigError


def refused(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        check_overrides("train", list(argv), CONF)
    assert exit_info.value.code == 2
    return capsys.readouterr().err


def test_a_mistyped_key_gets_the_key_it_meant_and_exit_2(capsys):
    message = refused(capsys, "lora.rank=8")
    assert message.startswith("error: unknown key lora.rank; did you mean lora.r?")
    assert "`lora.r=8`" in message and "+lora.rank" not in message  # not Hydra's "To append to your config"


@pytest.mark.parametrize("override,meant", [("train.learning_rat=1e-4", "train.learning_rate"),
                                            ("data.columns.instrucion=q", "data.columns.instruction"),
                                            ("hardware.per_device_batch=4", "hardware.per_device_batch_size"),
                                            ("validat=true", "validate")])
def test_suggestions_come_from_the_schema_at_any_depth(capsys, override, meant):
    assert f"did you mean {meant}?" in refused(capsys, override)


def test_a_wrong_type_names_the_key_the_value_and_the_type(capsys):
    message = refused(capsys, "train.learning_rate=abc")
    assert "train.learning_rate='abc' is not valid: expected a float" in message
    assert "`train.learning_rate=0.0002`" in message


@pytest.mark.parametrize("override,expected", [("data.max_samples=many", "expected an int (a whole number) or null"),
                                               ("data.packing=maybe", "expected a bool (true or false)"),
                                               ("lora.target_modules=q_proj", "expected a list of strings")])
def test_wrong_types_say_what_the_schema_expects(capsys, override, expected):
    assert expected in refused(capsys, override)


def test_a_sweep_is_checked_with_its_first_value(capsys):
    assert "did you mean lora.r?" in refused(capsys, "-m", "lora.rank=8,16")
    assert _one_value_per_sweep(["lora.r=8,16", "train.learning_rate=interval(1e-4,1e-3)", "data=sample"]) == [
        "lora.r=8", "data=sample"]


def test_a_free_mapping_says_how_to_add_a_key(capsys):
    assert "`+model.architecture.foo=1`" in refused(capsys, "model.architecture.foo=1")


def test_what_is_not_a_key_or_type_error_is_left_to_hydra(capsys):
    check_overrides("train", ["model=llama9"], CONF)  # Hydra lists the options itself
    check_overrides("train", ["lora.r=8", "--cfg", "job"], CONF)
    assert capsys.readouterr().err == ""


def test_an_added_key_the_schema_lacks_is_refused_not_dropped():
    with pytest.raises(ConfigError, match=r"unknown key lora\.rank; did you mean lora\.r\?.*`lora\.r=8`"):
        compose_config("+lora.rank=8")
