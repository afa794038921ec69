"""data.rewrite: extra training copies of the in-scope questions in customers' own styles; answers, placeholders
and the validation side untouched."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from helpers import compose_config
from supportbot.data.augment import REWRITES, rewrite_questions, terse, with_context, with_typos
from supportbot.data.placeholders import SLOT
from supportbot.data.rows import OUT_OF_SCOPE_INTENT, load_rows


def sample_rows():
    rows = load_rows(compose_config("data=sample").data).kept
    return [{**row, "id": index} for index, row in enumerate(rows)]  # as prepare_rows numbers them


def test_copies_keep_answers_and_placeholders_and_change_the_question():
    rows = sample_rows()
    rewritten = rewrite_questions(rows, 1.0, seed=3)
    assert len(rewritten.rows) == len(rows)
    assert sorted(copy["id"] for copy in rewritten.rows) == list(range(len(rows))), "every row once"
    for copy in rewritten.rows:
        source = rows[copy["id"]]
        assert copy["instruction"] != source["instruction"]
        assert (copy["response"], copy["intent"]) == (source["response"], source["intent"])
        assert sorted(SLOT.findall(copy["instruction"])) == sorted(SLOT.findall(source["instruction"])), copy
    assert set(rewritten.counts) == set(REWRITES), "every style is used"
    assert sum(rewritten.counts.values()) >= len(rows)
    assert rewritten.report()["copies"] == len(rows)


def test_every_row_is_rewritten_once_before_any_twice_and_the_result_is_deterministic():
    rows = sample_rows()
    twice = rewrite_questions(rows, 1.5, seed=3)
    per_source = Counter(copy["id"] for copy in twice.rows)
    assert len(twice.rows) == round(1.5 * len(rows))
    assert set(per_source.values()) == {1, 2}
    again = rewrite_questions(rows, 1.5, seed=3)
    assert [row["instruction"] for row in again.rows] == [row["instruction"] for row in twice.rows]
    other_seed = rewrite_questions(rows, 1.5, seed=4)
    assert [row["instruction"] for row in other_seed.rows] != [row["instruction"] for row in twice.rows]
    assert rewrite_questions(rows, 0, seed=3).rows == []


def test_terse_keeps_content_words_and_slots():
    rng = __import__("random").Random(0)
    assert terse("I would like to cancel my order {{Order Number}} please", rng) == "cancel order {{Order Number}}"
    assert terse("help me", rng) == "help me"  # nothing left to keep: the question stays as it was


@pytest.mark.parametrize("seed", range(20))
def test_typos_change_a_few_letters_inside_words_only(seed):
    rng = __import__("random").Random(seed)
    text = "where is my refund for order {{Order Number}}"
    typo = with_typos(text, rng)
    assert "{{Order Number}}" in typo and typo != text
    assert abs(len(typo) - len(text)) <= 3 and typo.split()[0][0] == "w"
    assert re.fullmatch(r"[a-z {}A-Z]+", typo)


@pytest.mark.parametrize("seed", range(40))
def test_context_lowercases_a_capital_after_an_opener_but_never_a_shouted_word(seed):
    import random

    shouted = with_context("CAN YOU HELP ME EDIT PURCHASE {{Order Number}}?!", random.Random(seed))
    assert "CAN YOU HELP ME EDIT PURCHASE {{Order Number}}?!" in shouted
    plain = with_context("Can you help me?", random.Random(seed))
    assert "Can you help me?" in plain or "can you help me?" in plain
    assert ", Can you" not in plain  # "Hi there, Can you" reads wrong


def test_the_pipeline_rewrites_the_training_side_only():
    from supportbot.data import prepare_rows

    plain = prepare_rows(compose_config("data=sample", "data.max_samples=120").data)
    prepared = prepare_rows(compose_config("data=sample", "data.max_samples=120", "data.rewrite=0.5").data)
    assert prepared.validation == plain.validation and prepared.hash == plain.hash
    copies = [row for row in prepared.train if row.get("rewrite")]
    in_scope = [row for row in plain.train if "turns" not in row and row["intent"] != OUT_OF_SCOPE_INTENT]
    assert len(copies) == prepared.report["rewrite"]["copies"] == round(0.5 * len(in_scope)) > 0
    assert len(prepared.train) == len(plain.train) + len(copies)
    assert not any("{{" in row["instruction"] for row in copies), "realistic values fill the copies' slots too"


def test_the_data_report_counts_the_rewritten_rows(smollm2_tokenizer, tmp_path):
    from supportbot.data import build_datasets

    cfg = compose_config("data=sample", "data.max_samples=120", "data.rewrite=1").data
    report = build_datasets(cfg, smollm2_tokenizer, tmp_path).report
    assert report["splits"]["train"]["rewritten_rows"] == report["rewrite"]["copies"] > 0
    assert report["splits"]["validation"]["rewritten_rows"] == 0
    assert sum(report["rewrite"]["by_rewrite"].values()) >= report["rewrite"]["copies"]


def test_a_bad_share_names_the_setting():
    from supportbot.errors import ConfigError

    with pytest.raises(ConfigError, match="data.rewrite"):
        compose_config("data=sample", "data.rewrite=-1")
