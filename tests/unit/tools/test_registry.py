"""The tool registry: the shipped one maps the issue's intents, a user's bad YAML stops with the problem and the fix,
and arguments are checked against their JSON schema."""

from __future__ import annotations

import pytest
from unit.tools.conftest import registry_config

from helpers import compose_config
from supportbot.errors import ConfigError
from supportbot.tools.registry import Registry


def test_the_support_registry_maps_lookup_intents_to_tools_and_the_rest_to_none(support_tools):
    registry = Registry(support_tools)
    for intent, tool in {"track_order": "track_order", "cancel_order": "cancel_order", "change_order": "change_order",
                         "change_shipping_address": "change_shipping_address", "get_invoice": "get_invoice",
                         "check_invoice": "get_invoice", "get_refund": "get_refund", "track_refund": "track_refund",
                         "check_cancellation_fee": "check_cancellation_fee", "delivery_period": "track_order"}.items():
        assert registry.tool_for(intent).name == tool
    for intent in ("contact_customer_service", "newsletter_subscription", "review", "out_of_scope", None):
        assert registry.tool_for(intent) is None
    schema = registry.schemas()[0]
    assert schema["type"] == "function" and set(schema["function"]) == {"name", "description", "parameters"}
    assert schema["function"]["parameters"]["required"] == ["order_number"]


def test_tools_support_is_the_default_of_both_entrypoints_and_tool_calls_composes():
    cfg = compose_config("data.format=tool_calls")
    assert cfg.tools.name == "support" and cfg.data.format == "tool_calls" and len(cfg.tools.tools) == 8
    assert compose_config().data.format == "plain"


def _tool(raw: dict, name: str) -> dict:
    return next(tool for tool in raw["tools"] if tool["name"] == name)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda raw: _tool(raw, "track_order")["intents"].append("track_ordr"),
     "tool 'track_order': it names the unknown intent 'track_ordr'. Fix it in that file: did you mean "
     "'track_order'? use one of `intents:` or add 'track_ordr' there."),
    (lambda raw: _tool(raw, "cancel_order")["parameters"].update(required=["order_numbr"]),
     "tool 'cancel_order', parameters.required: the required parameter 'order_numbr' is not in `properties`. "
     "Fix it in that file: did you mean 'order_number'? add 'order_numbr' to `properties`"),
    (lambda raw: _tool(raw, "get_invoice")["parameters"]["anyOf"].append({"required": ["email"]}),
     "parameters.anyOf[3].required: the required parameter 'email' is not in `properties`"),
    (lambda raw: _tool(raw, "track_refund")["intents"].append("cancel_order"),
     "intent 'cancel_order' is already served by tool 'cancel_order'"),
    (lambda raw: _tool(raw, "track_refund").update(handler="track_refnd"),
     "no handler 'track_refnd' in supportbot/tools/store.py runs it. Fix it in that file: did you mean "
     "'track_refund'?"),
    (lambda raw: _tool(raw, "track_order")["answers"].pop("shipped"),
     "no answer for the result status 'shipped'"),
    (lambda raw: _tool(raw, "track_order")["slots"].update(order_number="Website URL"),
     "'Website URL' is a company slot, not a value the customer gives"),
])
def test_bad_registry_yaml_names_the_problem_and_the_fix(edit, message):
    with pytest.raises(ConfigError) as error:
        registry_config(edit)
    assert str(error.value).startswith("conf/tools/support.yaml: ") and message in str(error.value)


def test_a_tool_added_in_yaml_alone_serves_its_intent(support_tools):
    def add(raw):
        raw["tools"].append({"name": "order_total", "description": "What an order cost.", "intents": ["payment_issue"],
                             "handler": "track_order", "slots": {"order_number": "Order Number"},
                             "parameters": {"type": "object", "properties": {"order_number": {"type": "string"}},
                                            "required": ["order_number"]},
                             "answers": {status: ["Order {order_number}: {status}."]
                                         for status in ("placed", "processing", "shipped", "delivered", "cancelled",
                                                        "not_found")}})

    registry = Registry(registry_config(add))
    assert registry.tool_for("payment_issue").name == "order_total" and registry.handler("order_total") == "track_order"


def test_arguments_are_checked_against_the_schema(support_tools):
    registry = Registry(support_tools)
    assert registry.argument_problems("track_order", {"order_number": "ORD-1"}) == []
    assert registry.argument_problems("track_order", {"order_number": 17628484, "note": "x"}) == [
        "note is not a parameter of track_order", "order_number must be a string"]
    assert registry.argument_problems("track_order", {}) == ["missing order_number"]
    assert registry.argument_problems("get_invoice", {"customer_name": "Priya Sharma"}) == []
    assert registry.argument_problems("get_invoice", {}) == ["missing invoice_number or order_number or customer_name"]
    assert registry.argument_problems("get_refund", {"order_number": "1", "amount": "ten"}) == [
        "amount must be a number"]
    assert registry.argument_problems("send_email", {}) == ["there is no tool 'send_email'"]
    assert registry.argument_problems("track_order", "order 5") == ["the arguments are not a JSON object"]
