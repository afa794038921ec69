"""data.rewrite: extra training copies of the in-scope questions in customers' own styles; answers, placeholders
and the validation side untouched."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from helpers import compose_config
from supportbot.data.augment import (
    REWRITES,
    rewrite_questions,
    terse,
    untold_values,
    with_context,
    with_details,
    with_typos,
)
from supportbot.data.placeholders import SLOT
from supportbot.data.rows import OUT_OF_SCOPE_INTENT, load_rows
from supportbot.data.values import realise


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
        assert copy["intent"] == source["intent"]
        if "details" in copy["rewrite"]:
            assert copy["response"].endswith(source["response"]), "at most an acknowledgement before the answer"
            assert set(SLOT.findall(source["instruction"])) < set(SLOT.findall(copy["instruction"]))
        else:
            assert copy["response"] == source["response"]
            assert sorted(SLOT.findall(copy["instruction"])) == sorted(SLOT.findall(source["instruction"])), copy
    assert set(rewritten.counts) == set(REWRITES), "every style is used"
    assert sum(rewritten.counts.values()) >= len(rows)
    assert rewritten.report()["copies"] == len(rows)


def test_details_gives_the_values_the_answer_names_and_the_question_lacks():
    row = {"instruction": "I need to see my bill", "intent": "check_invoice",
           "response": "Hello {{Salutation}} {{Client Last Name}}, invoice {{Invoice Number}} is in "
                       "{{Online Company Portal Info}}."}
    assert untold_values(row) == ["{{Salutation}}", "{{Client Last Name}}", "{{Invoice Number}}"]
    for seed in range(10):
        question, answer = with_details(row, row["instruction"], random.Random(seed))
        assert answer == row["response"], "the answer already uses them"
        assert {"{{Salutation}}", "{{Client Last Name}}", "{{Invoice Number}}"} <= set(SLOT.findall(question))
        assert "{{Online Company Portal Info}}" not in question, "a company slot is not the customer's to give"
        assert "I need to see my bill" in question


def test_details_adds_a_value_the_request_asks_for_and_the_answer_acknowledges_it():
    row = {"instruction": "Can you change the shipping address?", "intent": "change_shipping_address",
           "response": "Sure, go to Settings."}
    question, answer = with_details(row, row["instruction"], random.Random(0))
    assert "{{Delivery City}}" in question and answer.endswith(" Sure, go to Settings.")
    assert "{{Delivery City}}" in answer.removesuffix("Sure, go to Settings.")
    told = {"instruction": "cancel order {{Order Number}}", "intent": "cancel_order", "response": "Done."}
    assert with_details(told, told["instruction"], random.Random(0)) is None, "an order number is there already"
    nothing = {"instruction": "hello?", "intent": "x", "response": "Hi."}
    assert with_details(nothing, nothing["instruction"], random.Random(0)) is None


def test_details_never_contradicts_a_number_bitext_wrote_into_the_question():
    row = {"instruction": "cancel purchase732201349959", "intent": "cancel_order",
           "response": "I can help you cancel order {{Order Number}}."}
    assert with_details(row, row["instruction"], random.Random(0)) is None


def test_with_realistic_values_the_customer_value_reaches_the_answer():
    rows = sample_rows()
    copies = [copy for copy in rewrite_questions(rows, 1.0, seed=5).rows if "details" in copy["rewrite"]]
    assert len(copies) > len(rows) / 10
    for copy in copies:
        added = set(SLOT.findall(copy["instruction"])) - set(SLOT.findall(rows[copy["id"]]["instruction"]))
        assert added and added <= set(SLOT.findall(copy["response"])), copy
        question, answer = realise(copy["instruction"], copy["response"], copy["instruction"], 1)
        for slot in added - {"{{Salutation}}"}:  # the same realistic value on both sides (values are seeded by key)
            value = realise(slot, "", copy["instruction"], 1)[0]
            assert value in question and value in answer, (slot, value, question, answer)
        assert "{{" not in question and "My salutation" not in question and "person name" not in question


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
