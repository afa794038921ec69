"""data.format=tool_calls: Bitext rows become tool conversations whose call takes its arguments from the customer's
text, whose result agrees with them, whose answer uses the result, and which ask when no number was given."""

from __future__ import annotations

import json

import pytest

from helpers import compose_config
from supportbot.data import prepare_rows
from supportbot.data.rows import load_rows
from supportbot.tools.conversations import side_conversations
from supportbot.tools.formats import parse_call
from supportbot.tools.registry import Registry


@pytest.fixture(scope="module")
def built():
    cfg = compose_config("data=sample")
    rows = load_rows(cfg.data).kept
    registry = Registry(cfg.tools)
    conversations, made = side_conversations([(0, row) for row in rows], registry, 42, 0.3, "train")
    return registry, rows, conversations, made


def test_every_row_of_a_tool_intent_becomes_a_call_or_an_ask(built):
    registry, rows, conversations, made = built
    with_tool = [index for index, row in enumerate(rows) if registry.tool_for(row["intent"])]
    assert sorted(conversations) == with_tool
    assert set(made.kinds) == {"call", "ask"} and 0.15 < made.kinds["ask"] / len(with_tool) < 0.45
    assert set(made.tools) == set(registry.tools)


def test_arguments_come_from_the_customer_and_fit_the_schema(built):
    registry, _, conversations, _ = built
    for conversation in conversations.values():
        turns = conversation["turns"]
        call = next(turn for turn in turns if turn.get("tool_calls"))["tool_calls"][0]["function"]
        assert registry.argument_problems(call["name"], call["arguments"]) == [], conversation
        customer = " ".join(turn["content"] for turn in turns if turn["role"] == "user")
        tool = registry.tools[call["name"]]
        for name, value in call["arguments"].items():
            if name in tool.slots and isinstance(value, str):
                assert value in customer, (name, value, customer)
        result = json.loads(next(turn for turn in turns if turn["role"] == "tool")["content"])
        if "order_number" in call["arguments"]:
            assert result["order_number"] == call["arguments"]["order_number"]
            assert call["arguments"]["order_number"] in turns[-1]["content"]  # the answer uses the result
        assert turns[-1]["role"] == "assistant" and "{" not in turns[-1]["content"]


def test_an_ask_conversation_asks_before_it_calls_and_invents_nothing(built):
    registry, _, conversations, _ = built
    asks = [c for c in conversations.values() if c["tool_calls"] == "ask"]
    assert asks
    for conversation in asks:
        question, ask, give, call = conversation["turns"][:4]
        assert question["role"] == "user" and ask["role"] == "assistant" and not ask.get("tool_calls")
        assert parse_call(ask["content"]) is None and "number" in ask["content"]
        arguments = call["tool_calls"][0]["function"]["arguments"]
        tool = registry.tools[call["tool_calls"][0]["function"]["name"]]
        for name, value in arguments.items():
            if name in tool.slots and isinstance(value, str):
                assert value not in question["content"] and value in give["content"]


def test_conversations_are_the_same_for_a_seed(built):
    registry, rows, conversations, _ = built
    again, _ = side_conversations([(0, row) for row in rows], registry, 42, 0.3, "train")
    assert again == conversations
    other, _ = side_conversations([(0, row) for row in rows], registry, 7, 0.3, "train")
    assert other != conversations


def test_prepare_rows_counts_the_tool_conversations_per_side():
    cfg = compose_config("data=sample", "data.format=tool_calls")
    prepared = prepare_rows(cfg.data, tools=cfg.tools)
    report = prepared.report["tool_calls"]
    assert report["tools"] == "support" and report["train"]["rows"] > 0 and report["validation"]["rows"] > 0
    assert sum(row.get("tool_calls") is not None for row in prepared.train) == report["train"]["rows"]
    # The multi-turn conversations come from intents without a tool, which answer in text.
    registry = Registry(cfg.tools)
    assert all(registry.tool_for(row["intent"]) is None for row in prepared.train if row.get("multi_turn"))
    # The tools every conversation is rendered with ride along (build_datasets and evaluation read them there).
    assert prepared.tools == registry.schemas()
    # Without a registry the rows stay plain, as many: a tool conversation replaces its row.
    plain = prepare_rows(cfg.data)
    assert "not_built" in plain.report["tool_calls"] and not any(row.get("tool_calls") for row in plain.train)
    assert plain.hash == prepared.hash and len(plain.train) == len(prepared.train) and plain.tools is None
    assert prepare_rows(compose_config("data=sample").data, tools=cfg.tools).tools is None  # plain: no tools
