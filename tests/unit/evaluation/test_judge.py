"""The intent judge on real held-out responses, and placeholder fidelity."""

from __future__ import annotations

from collections import Counter

import pytest

from helpers import compose_config


def test_the_judge_tells_intents_apart_on_real_held_out_responses(bitext_sample):
    from supportbot.data.rows import load_rows
    from supportbot.data.split import split_rows
    from supportbot.evaluation.judge import IntentJudge

    cfg = compose_config(f"data.path={bitext_sample}").data
    split = split_rows(load_rows(cfg).kept, 0.1, cfg.seed)
    judge = IntentJudge([r["response"] for r in split.train], [r["intent"] for r in split.train])
    predicted = judge.predict([r["response"] for r in split.validation])
    accuracy = sum(p == r["intent"] for p, r in zip(predicted, split.validation, strict=True)) / len(split.validation)
    assert accuracy >= 0.9, accuracy


def test_placeholder_fidelity_counts_what_was_invented():
    from supportbot.evaluation.judge import placeholder_fidelity

    known = {"{{Order Number}}", "{{Website URL}}"}
    answers = ["Visit {{Website URL}} about order {{Order Number}}.",
               "Your order {{Order Nmber}} ships from {{Warehouse City}}.",  # two invented slots
               "Order VALUE8541 is on its way, like order 12345."]  # one made-up value; 12345 came from the prompt
    fidelity = placeholder_fidelity(answers, ["a", "b", "where is 12345"], known, policy="keep")
    assert fidelity.invented == Counter({"{{Order Nmber}}": 1, "{{Warehouse City}}": 1})
    assert fidelity.answers_with_only_known == pytest.approx(2 / 3)
    assert fidelity.invented_values == 1


def test_without_intents_the_on_intent_metrics_are_not_available_with_the_reason():
    from supportbot.evaluation.judge import NEEDS_INTENTS, NoIntentJudge, trained_intents, without_intents

    assert trained_intents([{"intent": ""}, {"intent": "out_of_scope"}]) == set()
    assert trained_intents([{"intent": "cancel_order"}, {"intent": ""}]) == {"cancel_order"}
    assert NoIntentJudge().predict(["a", "b"]) == [None, None] and NoIntentJudge().confidence(["a"]) == [None]
    metrics = {side: {"rouge_l": 0.4, "intent_consistency": 0.0, "in_scope_refusal_rate": 0.0}
               for side in ("base", "finetuned")}
    reasons = without_intents(metrics)
    assert all(metrics[side][key] is None for side in metrics for key in NEEDS_INTENTS)
    assert metrics["finetuned"]["rouge_l"] == 0.4  # what needs no intents stays
    assert set(reasons) == {*NEEDS_INTENTS, "per_intent"}
    assert "no intents (data.columns.intent)" in reasons["intent_consistency"]
