"""Tool-use scores of generated answers: pure functions, so the report and the tests share them.

    case = ToolCase(intent="cancel_order", tool="cancel_order", arguments={"order_number": "17628484"})
    score = score_answer(case, '<tool_call>{"name": "cancel_order", ...}</tool_call>', registry)
    summary = summarise(cases, scores)       # overall and per intent

A case says what the answer should do: call `tool` with `arguments` (the entities the question names), ask
for what is missing (`tool` set, `arguments` None: the question gives no number), or call nothing (`tool` None).
The scores, each over the answers where it applies:

- call_rate:        a call where one is needed;
- right_tool:       of the calls where one is needed, the right tool;
- valid_json:       of all call attempts, the JSON parsed (a name and an arguments object);
- schema_valid:     of the right-tool calls, arguments that fit the tool's JSON schema;
- argument_match:   of the right-tool calls, every expected argument equal to the question's entity (as written,
                    case and surrounding space aside; numbers as numbers);
- no_call_rate:     no call where none is needed (the issue's "calls where none was needed" is 1 - this);
- asked_for_missing: where the number is missing, no call and a question naming what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean
from typing import Any

from supportbot.tools.formats import parse_call
from supportbot.tools.registry import Registry

METRICS = ("call_rate", "right_tool", "valid_json", "schema_valid", "argument_match", "no_call_rate",
           "asked_for_missing")


@dataclass(frozen=True)
class ToolCase:
    intent: str
    tool: str | None  # the tool the request needs; None: no lookup
    arguments: dict[str, Any] | None = None  # the entities the question names; None with a tool: it gives none


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        try:
            return abs(float(actual) - float(expected)) < 0.005
        except (TypeError, ValueError):
            return False
    return str(actual).strip().lower() == str(expected).strip().lower()


def asks_for(text: str, nouns: list[str]) -> bool:
    """Whether an answer asks the customer for one of `nouns` ('order number'), rather than going on without it."""
    lowered = text.lower()
    return any(noun in lowered for noun in nouns) and ("?" in text or any(
        word in lowered for word in ("please", "could you", "can you", "i'll need", "i need", "share", "send")))


def score_answer(case: ToolCase, text: str, registry: Registry) -> dict[str, bool | None]:
    """One answer's scores; None where a score does not apply to it."""
    parsed = parse_call(text)
    called = parsed is not None
    needs_call = case.tool is not None and case.arguments is not None
    scores: dict[str, bool | None] = dict.fromkeys(METRICS)
    if called:
        scores["valid_json"] = parsed.valid_json
    if needs_call:
        scores["call_rate"] = called
        right = called and parsed.valid_json and parsed.name == case.tool
        scores["right_tool"] = right if called else None
        if right:
            scores["schema_valid"] = not registry.argument_problems(parsed.name, parsed.arguments)
            scores["argument_match"] = isinstance(parsed.arguments, dict) and all(
                _same(value, parsed.arguments.get(key)) for key, value in case.arguments.items())
    elif case.tool is None:
        scores["no_call_rate"] = not called
    else:  # the tool is needed but the question gave no number: ask, never invent one
        tool = registry.tools[case.tool]
        nouns = [tool.slots[name].lower() for name in tool.slots] + ["number"]
        scores["asked_for_missing"] = not called and asks_for(text, nouns)
    return scores


def _share(values: list[bool | None]) -> float | None:
    scored = [bool(value) for value in values if value is not None]
    return mean(scored) if scored else None


def summarise(cases: list[ToolCase], scores: list[dict[str, bool | None]]) -> dict[str, Any]:
    """Each metric over all answers (`overall`, with the count it was taken over) and per intent."""
    def table(pairs) -> dict[str, Any]:
        pairs = list(pairs)
        row: dict[str, Any] = {"answers": len(pairs)}
        for metric in METRICS:
            values = [score[metric] for _, score in pairs]
            row[metric] = _share(values)
            row[f"{metric}_n"] = sum(value is not None for value in values)
        return row

    pairs = list(zip(cases, scores, strict=True))
    intents = sorted({case.intent for case in cases})
    return {"overall": table(pairs),
            "per_intent": {intent: table(p for p in pairs if p[0].intent == intent) for intent in intents}}
