"""`data.format=tool_calls`: Bitext rows of intents with a tool become conversations that call it.

A row whose intent the registry maps to a tool (conf/tools/*.yaml) becomes one of two conversations:

- call: the customer's question names every argument, the assistant calls the tool with those values, the
  tool's result comes back, and the final answer uses it:
      user       "I want to cancel order WEB-2023-737404"
      assistant  cancel_order(order_number="WEB-2023-737404")
      tool       {"order_number": "WEB-2023-737404", "status": "cancelled", "refund_amount": "€54.99", ...}
      assistant  "Done: order WEB-2023-737404 is cancelled. The refund of €54.99 goes back to your ..."
  Where Bitext's question gives no value (its change_shipping_address rows never do), the customer gives it in
  a sentence of their own ("My order number is 48213021.");
- ask: the question names no number (Bitext's own wording, or the generic words for the slot it had: "cancel my
  order"), so the assistant asks for what the tool needs instead of calling with an invented value; the customer
  gives it, and the conversation goes on as a call. tools.ask_share of the conversations are of this kind.

Values are realistic (supportbot.data.values) whatever data.placeholders says: a call needs a real argument,
and the argument is the value the customer's text names (`realise_with_values`). A parameter without a slot (a
string like change_order's `change`) is the customer's request itself. The result comes from the side's own
SQLite store (supportbot.tools.store), which makes the order the customer named (an amount they ask back fits its
total), so question, call, result and answer agree; the answer is one of the tool's `answers` for the result's
status, filled from the result and the arguments.

Every assistant turn (the ask, the call, the answer) is trained; the tool's result is not (formats.render_conversation
gives it no span). Rows of intents without a tool stay plain rows, rendered with the tools in the prompt, so the
model also learns when not to call.
"""

from __future__ import annotations

import hashlib
import random
import string
from collections import Counter
from dataclasses import dataclass, field

from supportbot.config import ToolSpec
from supportbot.data.placeholders import apply_policy
from supportbot.data.values import realise_with_values
from supportbot.errors import DataError
from supportbot.tools.formats import call_message, result_message
from supportbot.tools.registry import Registry
from supportbot.tools.store import OrderStore, parse_money, result_text

KINDS = ("call", "ask")
_OPENERS = ("I can look that up for you.", "I'd be glad to help with that.", "Sure, I can check that.",
            "Happy to help.", "Of course, let me take care of it.", "I can help with that.")
_ASKS = ("Could you tell me the {nouns}?", "What is the {nouns}, please?", "Could you share the {nouns}?",
         "Please send me the {nouns} so I can check.", "To look it up, I'll need the {nouns}.")
_GIVES = ("{parts}", "Sure, {parts}", "ok, {parts}", "{Parts}.", "Here you go: {parts}")
_ADDS = (" My {noun} is {slot}.", " The {noun} is {slot}.", " {Noun}: {slot}.", " It's {noun} {slot}.",
         " It's about {noun} {slot}.")


def _rng(seed: int, *parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join([str(seed), "tool_calls", *parts]).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _noun(tool: ToolSpec, parameter: str) -> str:
    """How the assistant and the customer name a parameter: its slot's words ('order number')."""
    return tool.slots.get(parameter, parameter.replace("_", " ")).lower().replace("person name", "name on it")


@dataclass
class ToolConversations:
    """One side's tool conversations and what was made."""

    kinds: Counter = field(default_factory=Counter)
    tools: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)

    def report(self) -> dict:
        return {"rows": sum(self.kinds.values()), "kinds": dict(sorted(self.kinds.items())),
                "tools": dict(sorted(self.tools.items())), "result_statuses": dict(sorted(self.statuses.items()))}


class ConversationBuilder:
    """Builds the tool conversations of one split side against its own store (so validation's orders never
    come from training's)."""

    def __init__(self, registry: Registry, seed: int, ask_share: float, side: str):
        self.registry, self.seed, self.ask_share, self.side = registry, seed, ask_share, side
        self.store = OrderStore(":memory:", seed)
        self.made = ToolConversations()

    def build(self, row: dict, copy: int) -> dict | None:
        """The row as a tool conversation, or None when its intent needs no tool (it stays a plain row)."""
        tool = self.registry.tool_for(row.get("intent"))
        if tool is None or row.get("turns"):
            return None
        key = f"{row['instruction']}\x1f{row['response']}\x1f{copy}\x1f{self.side}"
        rng = _rng(self.seed, key)
        kind = "ask" if rng.random() < self.ask_share else "call"
        raw = row["instruction"]
        if kind == "ask":
            raw = apply_policy(raw, "generic", speaker="user")  # the number goes: "cancel order {{..}}" -> "my order"
        question, _, values = realise_with_values(raw, "", key, self.seed)
        free = {name for name, spec in tool.parameters["properties"].items()
                if name not in tool.slots and spec["type"] == "string"}
        given = {name for name, slot in tool.slots.items() if self._named(values.value(slot), question)}
        options = self.registry.alternatives(tool.name)
        chosen = next((option for option in options if set(option) <= given | free), None)
        turns: list[dict] = []
        if chosen is None:
            chosen = options[0]
            missing = [name for name in chosen if name not in given | free]
            if kind == "call":  # the customer names them in their own question
                raw = raw.rstrip() + ("" if raw.rstrip()[-1:] in ".?!)" else ".")
                raw += "".join(self._added(tool, name, rng) for name in missing)
                question, _, values = realise_with_values(raw, "", key, self.seed)
                turns = [{"role": "user", "content": question}]
            else:
                nouns = " or the ".join(" and the ".join(_noun(tool, name) for name in option if name not in free)
                                        for option in options if any(name not in free for name in option))
                ask = f"{rng.choice(_OPENERS)} {rng.choice(_ASKS).format(nouns=nouns)}"
                parts = " and ".join(f"the {_noun(tool, name)} is {{{{{tool.slots[name]}}}}}" for name in missing)
                give = rng.choice(_GIVES).format(parts=parts, Parts=parts[:1].upper() + parts[1:])
                give, _, values = realise_with_values(give, "", key, self.seed)
                turns = [{"role": "user", "content": question}, {"role": "assistant", "content": ask},
                         {"role": "user", "content": give}]
        else:
            kind = "call"  # the question names every argument (or the tool needs none of the customer's values)
            turns = [{"role": "user", "content": question}]
        arguments = self._arguments(tool, chosen, given, values, turns[0]["content"])
        result = self._run(tool, arguments, values)
        answer = self._answer(tool, result, arguments, rng)
        turns += [call_message(tool.name, arguments), result_message(result_text(result)),
                  {"role": "assistant", "content": answer}]
        self.made.kinds[kind] += 1
        self.made.tools[tool.name] += 1
        self.made.statuses[f"{tool.name}:{result['status']}"] += 1
        return {**row, "instruction": turns[0]["content"], "response": answer, "turns": turns, "tool_calls": kind,
                "tool": tool.name}

    @staticmethod
    def _named(value: str, text: str) -> bool:
        """Whether the customer's text names this value (an amount by its number: "42.50 dollars")."""
        if value in text:
            return True
        amount = parse_money(value) if value[:1] in "$€£" else None  # "{{Refund Amount}} dollars" drops the "$"
        return amount is not None and value.lstrip("$€£") in text

    def _added(self, tool: ToolSpec, name: str, rng: random.Random) -> str:
        noun = _noun(tool, name)
        slot = "{{" + tool.slots[name] + "}}"
        return rng.choice(_ADDS).format(noun=noun, Noun=noun[:1].upper() + noun[1:], slot=slot)

    def _arguments(self, tool: ToolSpec, chosen: list[str], given: set[str], values, request: str) -> dict:
        """The call's arguments: the values the customer named (and the request itself for free-text ones), in
        the schema's property order; optional ones only where the customer named them."""
        wanted = set(chosen) | {name for name in given if name in tool.slots}
        arguments = {}
        for name, spec in tool.parameters["properties"].items():
            if name not in wanted:
                continue
            if name not in tool.slots:
                arguments[name] = request
            elif spec["type"] in ("number", "integer"):
                cents, _ = parse_money(values.value(tool.slots[name])) or (0, "")
                arguments[name] = cents / 100 if spec["type"] == "number" else cents // 100
            else:
                arguments[name] = values.value(tool.slots[name])
        return arguments

    def _run(self, tool: ToolSpec, arguments: dict, values) -> dict:
        """The call against the side's store, after making the order the conversation is about."""
        amount = next((arguments[name] for name, spec in tool.parameters["properties"].items()
                       if name in arguments and spec["type"] == "number"), None)
        currency = None
        if amount is not None:
            currency = (parse_money(values.value("Refund Amount")) or (0, ""))[1] or None
        order_number = arguments.get("order_number") or values.value("Order Number")
        self.store.ensure_order(order_number, min_total_cents=round((amount or 0) * 100), currency=currency,
                                customer_name=arguments.get("customer_name"),
                                invoice_number=arguments.get("invoice_number"),
                                refunded=self.registry.handler(tool.name) == "track_refund")
        return self.store.call(self.registry.handler(tool.name), arguments)

    @staticmethod
    def _answer(tool: ToolSpec, result: dict, arguments: dict, rng: random.Random) -> str:
        template = rng.choice(tool.answers[result["status"]])
        fields = {**arguments, **result}
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        absent = [name for name in names if name not in fields]
        if absent:
            raise DataError(
                f"conf/tools: tool {tool.name!r}'s answer for status {result['status']!r} uses "
                f"{', '.join('{' + name + '}' for name in absent)}, which its result does not have (it has "
                f"{', '.join(sorted(fields))}). Fix that answer in conf/tools/*.yaml.")
        return template.format_map(fields)


def side_conversations(rows: list[tuple[int, dict]], registry: Registry, seed: int, ask_share: float,
                       side: str) -> tuple[dict[int, dict], ToolConversations]:
    """The tool conversation of each (copy, row) whose intent has a tool, by position in `rows`."""
    builder = ConversationBuilder(registry, seed, ask_share, side)
    built = {}
    for index, (copy, row) in enumerate(rows):
        conversation = builder.build(row, copy)
        if conversation is not None:
            built[index] = conversation
    builder.store.close()
    return built, builder.made


def has_tool_calls(row: dict) -> bool:
    return any(message.get("tool_calls") for message in row.get("turns") or [])
