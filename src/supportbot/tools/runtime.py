"""The tool loop of a chat: the model's call runs against the store, its result goes back, the model answers.

    answer, steps = answer_with_tools(generate, conversation, registry, store)

`generate(messages) -> text` is the model (evaluate.py mode=chat: the fine-tuned adapter, prompted in its tool
format); each call it writes is parsed (formats.parse_call), checked against the tool's schema and run by the
tool's handler; the result (or, for a call that cannot run, an error result saying why, as a real tool server
answers) is appended as a `tool` message and the model goes on. At most `max_calls` calls: a model that keeps
calling stops there with what it last wrote.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from supportbot.tools.formats import call_message, parse_call, result_message
from supportbot.tools.registry import Registry
from supportbot.tools.store import OrderStore, result_text


@dataclass
class Step:
    """One call the model made and what the store answered."""

    name: str | None
    arguments: Any
    result: dict[str, Any]


def run_call(name: str | None, arguments: Any, valid_json: bool, registry: Registry,
             store: OrderStore) -> dict[str, Any]:
    """The result of one parsed call: the handler's, or an error result the model can read and recover from."""
    if not valid_json:
        return {"status": "error", "error": "the call is not valid JSON: write {\"name\": ..., \"arguments\": {...}}"}
    problems = registry.argument_problems(name, arguments)
    if problems:
        return {"status": "error", "error": "; ".join(problems)}
    return store.call(registry.handler(name), arguments)


def answer_with_tools(generate: Callable[[list[dict]], str], conversation: list[dict], registry: Registry,
                      store: OrderStore, max_calls: int = 3) -> tuple[str, list[Step]]:
    """The model's final answer to `conversation` (its last message the customer's) after running its calls;
    `conversation` gains the calls and results, so the next question follows them."""
    steps: list[Step] = []
    text = generate(conversation)
    while (parsed := parse_call(text)) is not None and len(steps) < max_calls:
        arguments = parsed.arguments if parsed.valid_json else parsed.text
        result = run_call(parsed.name, arguments, parsed.valid_json, registry, store)
        steps.append(Step(parsed.name, arguments, result))
        conversation += [call_message(parsed.name or "unknown", arguments if isinstance(arguments, dict) else {}),
                         result_message(result_text(result))]
        text = generate(conversation)
    return text, steps


def describe(step: Step) -> str:
    """One line for a person watching the chat: the call and what came back."""
    arguments = json.dumps(step.arguments, ensure_ascii=False) if isinstance(step.arguments, dict) else step.arguments
    return f"[tool] {step.name}({arguments}) -> {result_text(step.result)}"
