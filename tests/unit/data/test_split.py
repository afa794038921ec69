"""The train/validation split: stratified by intent, grouped by question or family, deterministic."""

from __future__ import annotations

import functools
import random
import string

import pytest

from helpers import compose_config
from supportbot.data.rows import load_rows
from supportbot.data.split import (
    Split,
    _tfidf,
    family_labels,
    near_twins,
    near_twins_by_method,
    normalise,
    split_hash,
    split_rows,
)
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


# --- the family split: near-duplicates on one side ---------------------------------------------------------------

# Identical once normalised (case, punctuation, spacing, "wanna"), or similar (cosine 0.96, 0.85 here).
PARAPHRASES = ["i want to cancel my order", "I want to cancel my order!!", "i wanna cancel my order",
               "i want to  cancel my ORDER.", "I want to cancel order", "i want to cancel my order now"]


def filler(intent: str, count: int, seed: int = 0) -> list[dict[str, str]]:
    """Rows whose instructions share nothing: random words, no two alike."""
    rng = random.Random(f"{intent}:{seed}")
    words = lambda: " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(3))  # noqa: E731
    return [{"instruction": words(), "response": f"{intent} answer {i}", "intent": intent} for i in range(count)]


def paraphrase_rows() -> list[dict[str, str]]:
    rows = [{"instruction": text, "response": f"cancel answer {i}", "intent": "cancel_order"}
            for i, text in enumerate(PARAPHRASES)]
    return rows + filler("cancel_order", 15) + filler("track_refund", 20)


def sides(split: Split, instructions) -> set[str]:
    found = {"train" for r in split.train if r["instruction"] in instructions}
    return found | {"validation" for r in split.validation if r["instruction"] in instructions}


def test_family_split_keeps_paraphrases_on_one_side():
    rows = paraphrase_rows()
    labels = family_labels([r for r in rows if r["intent"] == "cancel_order"], 0.8)
    assert len(set(labels[:len(PARAPHRASES)])) == 1 and len(set(labels)) == 16, "the paraphrases are one family"
    by_question = set()
    for seed in range(30):
        split = split_rows(rows, 0.2, seed)
        assert len(sides(split, PARAPHRASES)) == 1, f"seed {seed}: a paraphrase on each side"
        assert near_twins(split.train, split.validation) == 0
        by_question.add(len(sides(split_rows(rows, 0.2, seed, method="question"), PARAPHRASES)))
    assert 2 in by_question, "the question split does put them on both sides (the leak this prevents)"


def test_rows_sharing_a_family_value_stay_together_and_empty_values_link_nothing():
    out_of_scope = [{"instruction": text, "response": f"I can help with orders ({i})", "intent": "out_of_scope",
                     "family": "weather"} for i, text in enumerate(["what is the weather", "will it rain tomorrow",
                                                                     "is it sunny in paris", "forecast please"])]
    loose = [dict(row, family="") for row in filler("out_of_scope", 16)]
    rows = out_of_scope + loose + filler("track_refund", 20)
    labels = family_labels(out_of_scope + loose, 0.8)
    assert len(set(labels[:4])) == 1 and len(set(labels)) == 17
    for seed in range(20):
        assert len(sides(split_rows(rows, 0.2, seed), {r["instruction"] for r in out_of_scope})) == 1


def test_family_split_is_stratified_deterministic_and_hashed(bitext_sample):
    rows = real_rows(bitext_sample)
    split = split_rows(rows, 0.05, 42)
    assert {r["intent"] for r in split.train} == {r["intent"] for r in split.validation} == {r["intent"] for r in rows}
    assert sorted(map(id, split.train + split.validation)) == sorted(map(id, rows)), "every row once"
    assert abs(len(split.validation) / len(rows) - 0.05) < 0.01
    assert split_rows(list(reversed(rows)), 0.05, 42).hash == split.hash == split_hash(split.train, split.validation)
    assert split_rows(rows, 0.05, 43).hash != split.hash
    assert split_rows(rows, 0.05, 42, similarity=0.9).hash != split.hash
    assert split_rows(rows, 0.05, 42, method="question").hash != split.hash


def test_every_intent_is_on_both_sides_whatever_its_families():
    tiny = [{"instruction": text, "response": f"a{i}", "intent": "tiny"} for i, text in enumerate(PARAPHRASES[:2])]
    spellings = [str.lower, str.upper, str.title, lambda text: text + "?", lambda text: text + "!!", str.capitalize]
    lumpy = [{"instruction": spell(text), "response": f"b{i}{j}", "intent": "lumpy"}
             for i, (text, count) in enumerate([("where is my refund", 4), ("how do i leave a review", 6)])
             for j, spell in enumerate(spellings[:count])]
    for seed in range(10):
        split = split_rows(tiny + lumpy + filler("other", 10), 0.1, seed)
        intents = {"tiny", "lumpy", "other"}
        assert {r["intent"] for r in split.train} == {r["intent"] for r in split.validation} == intents
        # lumpy is two families, 4 and 6 rows, both larger than its share of 1: the smaller one goes
        assert sorted(r["instruction"].lower() for r in split.validation if r["intent"] == "lumpy") == [
            "where is my refund"] * 3 + ["where is my refund?"]


def test_the_question_method_is_the_split_of_before():
    rows = [{"instruction": f"{intent} question {i % 7}" + " please" * (i % 2), "response": f"answer {i}",
             "intent": intent} for intent, n in (("cancel_order", 30), ("track_refund", 12), ("review", 3))
            for i in range(n)]
    # Hashes of the split before the family method existed: runs trained then still evaluate.
    assert split_rows(rows, 0.2, 42, method="question").hash == "d49009c20080e02c"
    assert split_rows(rows, 0.2, 7, method="question").hash == "a2e59e275bfa225b"


def test_near_twins_counts_validation_rows_with_a_near_duplicate_in_train():
    train = [{"instruction": "i want to cancel my order", "intent": "cancel_order"},
             {"instruction": "where is my refund", "intent": "track_refund"}]
    validation = [{"instruction": "I want to cancel my order!!", "intent": "cancel_order"},
                  {"instruction": "i wanna cancel my order", "intent": "cancel_order"},
                  {"instruction": "how do i leave a review", "intent": "cancel_order"},
                  {"instruction": "i want to cancel my order", "intent": "track_refund"},  # another intent
                  {"instruction": "Where is my refund?", "intent": "track_refund"}]
    assert near_twins(train, validation) == 3
    assert near_twins(train, validation, similarity=0.0) == 5, "at 0, every row of an intent train has"
    assert near_twins(train, []) == near_twins([], validation) == 0


def test_the_question_split_leaves_near_twins_that_the_family_split_does_not(bitext_sample):
    twins = near_twins_by_method(real_rows(bitext_sample), 0.05, 42)
    assert set(twins) == {"question", "family"}
    assert twins["question"] > 50 and twins["family"] == 0


@functools.lru_cache
def real_rows(path) -> list[dict[str, str]]:
    # Slots as written: the split sees them as one token whatever the policy.
    return load_rows(data_config(f"data.path={path}", "data.placeholders=keep")).kept


def test_the_ngram_vectors_are_sklearns_char_wb_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = sorted({normalise(text) for text in PARAPHRASES + ["a b", "i d like help", "x", "", "ok"]})
    expected = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(texts).toarray()
    assert abs(_tfidf(texts).toarray() - expected).max() < 1e-6
    spoken = "I DON'T wanna cancel {{Order Number}} #123, could ya?!"
    assert normalise(spoken) == "i dont want to cancel slot 0 could you"


def test_rows_without_intents_are_one_stratum_and_still_grouped(bitext_sample):
    # A file without an intent column (intent "" on every row) is split as one stratum: identical questions, and
    # with method=family near-duplicates, still land on one side; only the per-intent stratification goes.
    rows = [{**row, "intent": ""} for row in real_rows(bitext_sample)]
    questions = lambda part: {" ".join(r["instruction"].lower().split()) for r in part}  # noqa: E731
    for method in ("question", "family"):
        split = split_rows(rows, 0.05, 42, method=method)
        assert len(split.train) + len(split.validation) == len(rows)
        assert abs(len(split.validation) / len(rows) - 0.05) < 0.01
        assert not questions(split.train) & questions(split.validation), method
    twins = near_twins_by_method(rows, 0.05, 42)
    assert twins["question"] > 50 and twins["family"] == 0  # why family stays the default without intents too
