"""Train/validation split: stratified by intent, grouped by instruction, deterministic, hashed.

Stratified: every intent is in both splits, so validation loss speaks for all 27.
Grouped: 2,237 rows of the full Bitext file repeat an earlier instruction word for word; a row
split would put the same question on both sides and flatter the validation loss, so identical
instructions (case and spacing aside) always land on the same side.
The hash names exactly which rows are in which split; evaluate.py refuses a mismatch.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass

from supportbot.errors import DataError


@dataclass
class Split:
    train: list[dict[str, str]]
    validation: list[dict[str, str]]
    hash: str


def split_rows(rows: list[dict[str, str]], val_fraction: float, seed: int) -> Split:
    by_intent: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_intent[row["intent"]].append(row)
    singletons = sorted(intent for intent, group in by_intent.items() if len(group) < 2)
    if singletons:
        raise DataError(
            f"Intent(s) {singletons} have a single row, so they cannot be in both the train and the validation "
            "split. Add rows for them, or leave them out with data.intents=[...] listing the others."
        )
    train, validation = [], []
    for intent in sorted(by_intent):
        intent_train, intent_val = _split_intent(by_intent[intent], val_fraction, random.Random(f"{seed}:{intent}"))
        train += intent_train
        validation += intent_val
    return Split(train=train, validation=validation, hash=split_hash(train, validation))


def _split_intent(group: list[dict[str, str]], val_fraction: float, rng: random.Random):
    by_question: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in group:
        by_question[" ".join(row["instruction"].lower().split())].append(row)
    questions = sorted(by_question)
    rng.shuffle(questions)
    target = max(1, round(len(group) * val_fraction))
    if len(questions) < 2:
        # One question asked many ways is still one question: split its rows, there is no other choice.
        rows = group[:]
        rng.shuffle(rows)
        return rows[target:], rows[:target]
    validation: list[dict[str, str]] = []
    taken = 0
    while len(validation) < target and taken < len(questions) - 1:  # leave train at least one question
        validation += by_question[questions[taken]]
        taken += 1
    train = [row for question in questions[taken:] for row in by_question[question]]
    return train, validation


def split_hash(train: list[dict[str, str]], validation: list[dict[str, str]]) -> str:
    """Order-independent fingerprint of which (instruction, response) pairs are in each split."""
    digest = hashlib.sha256()
    for name, rows in (("train", train), ("validation", validation)):
        digest.update(name.encode())
        for key in sorted(row["instruction"] + "\x1f" + row["response"] for row in rows):
            digest.update(key.encode())
            digest.update(b"\x1e")
    return digest.hexdigest()[:16]
