"""The chat's tool loop with a scripted model: its call becomes a SQLite query, the result goes back in its tool
format, and the answer it then writes is the one shown."""

from __future__ import annotations

import json

from supportbot.tools.registry import Registry
from supportbot.tools.runtime import answer_with_tools, describe
from supportbot.tools.store import OrderStore


class ScriptedModel:
    """Answers from a script, and keeps every conversation it was shown."""

    def __init__(self, *answers: str):
        self.answers, self.seen = list(answers), []

    def __call__(self, messages: list[dict]) -> str:
        self.seen.append([dict(message) for message in messages])
        return self.answers.pop(0)


def test_call_query_result_answer(support_tools):
    store = OrderStore(seed=5)
    store.ensure_order("17628484", status="shipped")
    model = ScriptedModel('<tool_call>\n{"name": "track_order", "arguments": {"order_number": "17628484"}}\n'
                          "</tool_call>", "Order 17628484 is on its way.")
    conversation = [{"role": "system", "content": "s"}, {"role": "user", "content": "where is order 17628484?"}]
    answer, steps = answer_with_tools(model, conversation, Registry(support_tools), store)
    assert answer == "Order 17628484 is on its way."
    row = store.order("17628484")
    assert steps[0].result["tracking_number"] == row["tracking_number"] and steps[0].result["status"] == "shipped"
    shown = model.seen[1]  # the second generation saw the call and the store's result
    assert shown[2]["tool_calls"][0]["function"] == {"name": "track_order", "arguments": {"order_number": "17628484"}}
    assert shown[3]["role"] == "tool" and json.loads(shown[3]["content"])["carrier"] == row["carrier"]
    assert "track_order" in describe(steps[0]) and "17628484" in describe(steps[0])


def test_a_call_that_cannot_run_gets_an_error_result_and_no_call_gets_none(support_tools):
    store, registry = OrderStore(seed=5), Registry(support_tools)
    model = ScriptedModel('{"name": "cancel_order", "parameters": {"order": "1"}}', "Could you give me the number?")
    answer, steps = answer_with_tools(model, [{"role": "user", "content": "cancel it"}], registry, store)
    assert answer == "Could you give me the number?"
    assert steps[0].result["status"] == "error" and "missing order_number" in steps[0].result["error"]
    plain = ScriptedModel("We open at 9.")
    assert answer_with_tools(plain, [{"role": "user", "content": "hours?"}], registry, store) == ("We open at 9.", [])
    looping = ScriptedModel(*['{"name": "track_order", "parameters": {"order_number": "9"}}'] * 5)
    _, steps = answer_with_tools(looping, [{"role": "user", "content": "x"}], registry, store, max_calls=2)
    assert len(steps) == 2 and steps[0].result == {"status": "not_found", "order_number": "9"}
