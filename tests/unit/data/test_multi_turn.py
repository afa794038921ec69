"""Multi-turn conversations from Bitext rows: the agent asks for the number, the customer gives it, the answer
uses it; or a follow-up in the same intent. Every turn alternates user/assistant and is deterministic."""

from __future__ import annotations

import re

from helpers import compose_config
from supportbot.data.multi_turn import build_multi_turn
from supportbot.data.rows import load_rows

IDENTIFIER_SLOT = re.compile(r"\{\{(?:Order|Invoice|Tracking) Number\}\}")  # company slots may stay


def sample_rows():
    return load_rows(compose_config("data=sample").data).kept


def test_the_number_given_in_turn_two_is_the_one_the_answer_uses():
    conversations = build_multi_turn(sample_rows(), 30, seed=7, policy="realistic", side="train")
    asked = [c for c in conversations if c["multi_turn"] == "ask_then_use"]
    assert len(conversations) == 30 and len(asked) == 20
    for conversation in asked:
        question, ask, give, answer = (turn["content"] for turn in conversation["turns"])
        assert [t["role"] for t in conversation["turns"]] == ["user", "assistant", "user", "assistant"]
        assert not re.search(r"\d{4,}", question), "the first question names no number: the agent asks for it"
        assert "number" in ask.lower()
        value = re.search(r"[A-Z0-9][A-Z0-9#/-]*\d{3,}[A-Z0-9-]*", give).group(0).lstrip("#")
        assert value in answer, (give, answer)
        assert not IDENTIFIER_SLOT.search(question + give + answer)
        assert conversation["instruction"] == question and conversation["response"] == answer


def test_follow_ups_stay_in_one_intent_and_everything_is_seeded():
    rows = sample_rows()
    first = build_multi_turn(rows, 12, seed=3, policy="keep", side="validation")
    again = build_multi_turn(rows, 12, seed=3, policy="keep", side="validation")
    other = build_multi_turn(rows, 12, seed=4, policy="keep", side="validation")
    assert first == again and first != other
    follow_ups = [c for c in first if c["multi_turn"] == "follow_up"]
    assert follow_ups and all(len(c["turns"]) == 4 for c in follow_ups)
    assert build_multi_turn(rows, 0, seed=3, policy="keep", side="train") == []
