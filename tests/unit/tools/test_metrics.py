"""Tool-use scores on hand-written answers: each metric counts only where it applies, per intent."""

from __future__ import annotations

from supportbot.tools.metrics import ToolCase, score_answer, summarise
from supportbot.tools.registry import Registry

CALL = '<tool_call>\n{{"name": "{name}", "arguments": {arguments}}}\n</tool_call>'
CANCEL = ToolCase("cancel_order", "cancel_order", {"order_number": "WEB-2023-737404"})
REFUND = ToolCase("get_refund", "get_refund", {"order_number": "17628484", "amount": 42.5})
ASK = ToolCase("track_order", "track_order", None)
NONE = ToolCase("newsletter_subscription", None)


def test_each_answer_is_scored_where_the_metric_applies(support_tools):
    registry = Registry(support_tools)
    right = score_answer(CANCEL, CALL.format(name="cancel_order", arguments='{"order_number": "web-2023-737404"}'),
                         registry)
    assert right == {"call_rate": True, "right_tool": True, "valid_json": True, "schema_valid": True,
                     "argument_match": True, "no_call_rate": None, "asked_for_missing": None}
    wrong_tool = score_answer(CANCEL, CALL.format(name="track_order", arguments='{"order_number": "1"}'), registry)
    assert wrong_tool["right_tool"] is False and wrong_tool["argument_match"] is None
    invented = score_answer(CANCEL, CALL.format(name="cancel_order", arguments='{"order_number": "12345"}'), registry)
    assert invented["schema_valid"] and invented["argument_match"] is False
    llama = score_answer(
        REFUND, '{"name": "get_refund", "parameters": {"order_number": "17628484", "amount": "42.50"}}', registry)
    assert llama["argument_match"] and llama["schema_valid"] is False  # "42.50" is the number, but not a JSON number
    broken = score_answer(CANCEL, '<tool_call>{"name": "cancel_order", "arguments": {</tool_call>', registry)
    assert broken["valid_json"] is False and broken["right_tool"] is False
    no_call = score_answer(CANCEL, "I can help you cancel your order.", registry)
    assert no_call["call_rate"] is False and no_call["valid_json"] is None
    assert score_answer(NONE, "You can subscribe on our website.", registry)["no_call_rate"] is True
    assert score_answer(NONE, CALL.format(name="track_order", arguments="{}"), registry)["no_call_rate"] is False
    assert score_answer(ASK, "Sure! Could you tell me your order number?", registry)["asked_for_missing"] is True
    assert score_answer(ASK, CALL.format(name="track_order", arguments='{"order_number": "123"}'),
                        registry)["asked_for_missing"] is False  # an invented number
    assert score_answer(ASK, "Your order will arrive soon.", registry)["asked_for_missing"] is False


def test_summary_is_overall_and_per_intent(support_tools):
    registry = Registry(support_tools)
    cases = [CANCEL, CANCEL, NONE, ASK]
    answers = [CALL.format(name="cancel_order", arguments='{"order_number": "WEB-2023-737404"}'),
               "Let me check.", "Subscribe on the website.", "What is the order number?"]
    summary = summarise(cases, [score_answer(c, a, registry) for c, a in zip(cases, answers, strict=True)])
    overall = summary["overall"]
    assert (overall["answers"], overall["call_rate"], overall["call_rate_n"]) == (4, 0.5, 2)
    assert overall["right_tool"] == 1.0 and overall["no_call_rate"] == 1.0 and overall["asked_for_missing"] == 1.0
    assert set(summary["per_intent"]) == {"cancel_order", "newsletter_subscription", "track_order"}
    assert summary["per_intent"]["cancel_order"]["argument_match"] == 1.0
    assert summary["per_intent"]["track_order"]["call_rate"] is None
