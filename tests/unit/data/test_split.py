"""The train/validation split: stratified by intent, grouped by question, deterministic."""

from __future__ import annotations

import pytest

from helpers import compose_config
from supportbot.data.rows import load_rows
from supportbot.data.split import split_rows
from supportbot.errors import DataError


def data_config(*overrides: str):
    return compose_config("data=sample", *overrides).data


def test_split_is_stratified_grouped_and_deterministic(bitext_sample):
    cfg = data_config(f"data.path={bitext_sample}")
    rows = load_rows(cfg).kept
    split = split_rows(rows, cfg.val_fraction, cfg.seed)
    assert {r["intent"] for r in split.train} == {r["intent"] for r in split.validation} == {r["intent"] for r in rows}
    assert len(split.train) + len(split.validation) == len(rows)
    questions = lambda part: {" ".join(r["instruction"].lower().split()) for r in part}  # noqa: E731
    assert not questions(split.train) & questions(split.validation), "an identical question is on both sides"
    assert abs(len(split.validation) / len(rows) - cfg.val_fraction) < 0.01
    again = split_rows(list(reversed(rows)), cfg.val_fraction, cfg.seed)
    assert again.hash == split.hash
    assert split_rows(rows, cfg.val_fraction, cfg.seed + 1).hash != split.hash


def test_an_intent_with_one_row_cannot_be_stratified():
    rows = [{"instruction": f"q{i}", "response": "a", "intent": "a"} for i in range(5)]
    rows.append({"instruction": "lonely", "response": "b", "intent": "rare"})
    with pytest.raises(DataError, match=r"\['rare'\] have a single row.*data.intents"):
        split_rows(rows, 0.2, 42)
