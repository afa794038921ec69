"""The version shims: every private Trainer method that SupportTrainer overrides exists in the installed
transformers with the parameters the override expects, and a removed or renamed one stops with its name."""

from __future__ import annotations

import inspect

import pytest
from transformers import Trainer, TrainingArguments

from supportbot import compat
from supportbot.errors import IncompatibleVersion
from supportbot.train.trainer import SupportTrainer


@pytest.mark.parametrize("name,parameters", sorted(compat.TRAINER_OVERRIDES.items()))
def test_every_overridden_private_trainer_method_is_in_this_transformers(name, parameters):
    compat.check_trainer_method(name, parameters)  # raises, naming the method, if an upgrade removed or changed it
    assert tuple(inspect.signature(getattr(Trainer, name)).parameters)[:len(parameters)] == parameters


def test_supporttrainer_overrides_no_private_method_outside_the_list():
    overridden = {name for klass in SupportTrainer.__mro__ if klass.__module__.startswith("supportbot")
                  for name in vars(klass) if name.startswith("_") and not name.startswith("__")
                  and hasattr(Trainer, name)}
    assert overridden == set(compat.TRAINER_OVERRIDES)


def test_a_removed_private_method_fails_loudly_and_names_it(monkeypatch):
    monkeypatch.delattr(Trainer, "_save_checkpoint")
    with pytest.raises(IncompatibleVersion, match=r"has no Trainer\._save_checkpoint, a private method"):
        compat.check_trainer_method("_save_checkpoint", compat.TRAINER_OVERRIDES["_save_checkpoint"])


def test_a_private_method_with_other_parameters_fails_loudly_and_names_it(monkeypatch):
    monkeypatch.setattr(Trainer, "_get_output_dir", lambda self, run, trial=None: "")
    with pytest.raises(IncompatibleVersion, match=r"changed Trainer\._get_output_dir: it takes \('self', 'run'"):
        compat.check_trainer_method("_get_output_dir", compat.TRAINER_OVERRIDES["_get_output_dir"])


def test_an_override_missing_from_the_list_is_refused():
    def _prediction_step(self, model, inputs):
        pass

    with pytest.raises(IncompatibleVersion, match="_prediction_step overrides a private Trainer method"):
        compat.overrides_trainer(_prediction_step)


def test_checkpointing_and_length_grouping_get_this_transformers_names():
    arguments: dict = {}
    compat.training_argument_names(arguments, gradient_checkpointing=True, group_by_length=True)
    TrainingArguments(output_dir="unused", use_cpu=True, **arguments)  # every name exists in this version
    checkpointing = next(key for key in arguments if key.endswith("checkpointing"))
    assert arguments[checkpointing] is True and arguments[f"{checkpointing}_kwargs"] == {"use_reentrant": False}
    assert arguments.get("train_sampling_strategy") == "group_by_length" or arguments.get("group_by_length") is True
