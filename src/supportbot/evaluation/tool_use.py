"""Tool use in evaluate.py's report: for a run trained with data.format=tool_calls, base and fine-tuned alike.

    python evaluate.py run=outputs/<date>/<time>                          # a tool_calls run: report.md's "Tool use"
    python evaluate.py run=outputs/<date>/<time> eval.tool_prompts=path/to/suite.yaml

Two sources, each scored by supportbot.tools.metrics (call rate, right tool, valid JSON, schema, arguments, no
call, asking for what is missing) overall and per intent:

- suite: the held-out tool suite (conf/eval/tool_prompts/heldout.yaml, written by this project, never trained
  on): every tool asked for in new wordings with its values in new formats, the same requests without a number
  (the model must ask), in-scope questions no tool serves and out-of-scope ones (no call);
- validation: the run's own validation split. Its tool conversations (data.format=tool_calls made them) say what
  the first assistant turn must be: the call, with the values the customer named (free-text arguments such as
  change_order's `change` are the request itself and are left out), or the question for the missing number.
  The validation answers the report generates anyway, of intents with no tool, must call nothing.

Only the first assistant turn is generated: what the customer's message makes the model do. The prompt is
rendered with the run's registry through supportbot.tools.formats.render (Evaluator.prompt), the format training
used; the base model gets the same prompt.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supportbot.data.rows import balanced_sample
from supportbot.errors import ConfigError
from supportbot.evaluation.prompts import prompt_file_entries
from supportbot.tools.metrics import METRICS, ToolCase, score_answer, summarise
from supportbot.tools.registry import Registry

CONF = Path(__file__).resolve().parents[3] / "conf" / "eval" / "tool_prompts"
EXPECTS = ("call", "ask", "none")
KEYS = {"prompt", "kind", "intent", "expect", "tool", "arguments"}
OUT_OF_SCOPE = "out_of_scope"  # the intent an out-of-scope prompt (intent: null) is reported under
SOURCES = ("suite", "validation")


@dataclass(frozen=True)
class ToolPrompt:
    prompt: str
    kind: str
    case: ToolCase  # what the first answer must do


@dataclass
class ToolPlan:
    """What a side is scored on: the suite's prompts and the validation split's tool rows (question, expected)."""

    prompts: list[ToolPrompt]
    validation: list[tuple[str, ToolCase]] = field(default_factory=list)


def _suggest(word: str, known) -> str:
    close = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}? " if close else ""


def _named(value: Any, prompt: str) -> bool:
    """Whether the prompt names an expected argument: a string as written, a number by its digits."""
    text = " ".join(prompt.lower().split())
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        numbers = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", prompt)}
        return any(abs(n - float(value)) < 0.005 for n in numbers)
    return isinstance(value, str) and " ".join(value.lower().split()) in text


def load_tool_prompts(name_or_path: str, registry: Registry) -> list[ToolPrompt]:
    """The tool suite's prompts, every entry checked against the run's registry; a bad entry raises ConfigError
    naming the file, the entry and the fix (before any model loads)."""
    path, entries = prompt_file_entries(
        name_or_path, CONF, "eval.tool_prompts", "{prompt, intent, expect, tool, arguments}",
        "- {kind: call, expect: call, prompt: \"where is order #A10293\", intent: track_order, tool: track_order, "
        "arguments: {order_number: \"#A10293\"}}")
    return [_entry(path, number, entry, registry) for number, entry in enumerate(entries, 1)]


def _entry(path: Path, number: int, entry: Any, registry: Registry) -> ToolPrompt:
    def fail(problem: str, fix: str) -> ConfigError:
        return ConfigError(f"{path}, entry {number}: {problem}. Fix the entry: {fix}.")

    if not isinstance(entry, dict) or not str(entry.get("prompt") or "").strip():
        raise fail(f"every entry needs a non-empty `prompt` (got {entry!r})",
                   "write {kind: call, expect: call, prompt: ..., intent: ..., tool: ..., arguments: {...}}")
    unknown = sorted(set(entry) - KEYS)
    if unknown:
        raise fail(f"unknown key {unknown[0]!r}", f"{_suggest(unknown[0], KEYS)}use only {', '.join(sorted(KEYS))}")
    expect, tool, arguments, intent = (entry.get(key) for key in ("expect", "tool", "arguments", "intent"))
    if expect not in EXPECTS:
        raise fail(f"`expect` is {expect!r}", "set `expect:` to call (the prompt names the values), ask (it names "
                   "none: the model must ask) or none (no tool serves it)")
    if intent is not None and intent not in registry.cfg.intents:
        raise fail(f"intent {intent!r} is not one of the registry's (conf/tools/{registry.cfg.name}.yaml)",
                   f"{_suggest(intent, registry.cfg.intents)}use one of its `intents:`, or `intent: null` for out "
                   "of scope")
    needed = registry.tool_for(intent)
    if expect == "none":
        if tool is not None or arguments is not None:
            raise fail("`expect: none` takes no `tool` or `arguments`", "remove them, or set `expect: call`")
        if needed is not None:
            raise fail(f"intent {intent!r} is served by tool {needed.name!r}, so its answer is a call or a question",
                       "set `expect: call` (with the tool and arguments) or `expect: ask`, or pick the intent the "
                       "prompt really is")
        return ToolPrompt(entry["prompt"], entry.get("kind", "custom"), ToolCase(intent or OUT_OF_SCOPE, None))
    if tool not in registry.tools:
        raise fail(f"`tool` is {tool!r}, which conf/tools/{registry.cfg.name}.yaml does not have",
                   f"{_suggest(tool, registry.tools)}name one of {', '.join(registry.tools)}")
    if intent is None:
        raise fail(f"`expect: {expect}` needs the intent the request is", "add `intent:` (one the tool serves)")
    if needed is None or needed.name != tool:
        served_by = f"tool {needed.name!r}" if needed else "no tool"
        raise fail(f"intent {intent!r} is served by {served_by}, not {tool!r}",
                   f"set `tool: {needed.name}`" if needed else "set `expect: none`, or pick the intent the prompt is")
    spec = registry.tools[tool]
    if expect == "ask":
        if arguments is not None:
            raise fail("`expect: ask` takes no `arguments` (the prompt gives none)",
                       "remove them, or set `expect: call`")
        return ToolPrompt(entry["prompt"], entry.get("kind", "custom"), ToolCase(intent, tool, None))
    if not isinstance(arguments, dict) or not arguments:
        raise fail(f"`expect: call` needs the expected `arguments` (got {arguments!r})",
                   f"add `arguments: {{{next(iter(spec.slots), 'order_number')}: <the value in the prompt>}}`")
    for name, value in arguments.items():
        if name not in spec.parameters["properties"]:
            raise fail(f"{name!r} is not a parameter of {tool!r}",
                       f"{_suggest(name, spec.parameters['properties'])}use one of "
                       f"{', '.join(spec.parameters['properties'])}")
        if not _named(value, entry["prompt"]):
            raise fail(f"the expected {name} {value!r} is not in the prompt", "write the value exactly as the "
                       "prompt does (a number as a number), or change the prompt")
    # The values the customer gives must satisfy the schema; free-text ones (no slot) are the request itself.
    options = [[key for key in option if key in spec.slots] for option in registry.alternatives(tool)]
    if not any(all(key in arguments for key in option) for option in options):
        raise fail(f"`arguments` lack what {tool!r} needs ({' or '.join(', '.join(o) for o in options)})",
                   "add the missing values, or set `expect: ask` if the prompt does not give them")
    return ToolPrompt(entry["prompt"], entry.get("kind", "custom"), ToolCase(intent, tool, dict(arguments)))


def expected_case(row: dict, registry: Registry) -> ToolCase | None:
    """What the first assistant turn of a validation tool conversation is: its call (with the values the customer
    named) or a question for the number (an `ask` conversation). None for a row without a tool conversation."""
    turns = row.get("turns") or []
    if not row.get("tool_calls") or len(turns) < 2 or turns[0]["role"] != "user":
        return None
    tool = registry.tools.get(row.get("tool"))
    first = turns[1]
    if tool is None or first["role"] != "assistant":
        return None
    if not first.get("tool_calls"):
        return ToolCase(row["intent"], tool.name, None)
    function = first["tool_calls"][0].get("function", first["tool_calls"][0])
    arguments = function.get("arguments") or {}
    return ToolCase(row["intent"], function["name"], {k: v for k, v in arguments.items() if k in tool.slots})


def plan(prompts: list[ToolPrompt], validation_rows: list[dict], registry: Registry, max_samples: int,
         seed: int) -> ToolPlan:
    """The suite and a sample of the validation tool conversations (balanced over intents, as the report's)."""
    rows = [row for row in validation_rows if expected_case(row, registry) is not None]
    chosen = balanced_sample(rows, min(max_samples, len(rows)), seed)
    return ToolPlan(prompts, [(row["turns"][0]["content"], expected_case(row, registry)) for row in chosen])


def about(tool_plan: ToolPlan | None, tool_prompts: str, cfg) -> dict[str, Any]:
    """metrics.json's top-level `tool_use`: what was measured, or why nothing was (a plain run: no tool rows)."""
    if tool_plan is None:
        return {"not_applicable": f"the run trained with data.format={cfg.data.format}; tool use is measured for "
                                  "runs trained with data.format=tool_calls"}
    return {"tool_prompts": tool_prompts, "registry": cfg.tools.name, "suite_prompts": len(tool_plan.prompts),
            "validation_conversations": len(tool_plan.validation)}


def play(evaluator, tool_plan: ToolPlan, settings, finetuned: bool, progress: str | None = None) -> dict[str, list]:
    """Each side's first answers: to the suite's prompts and to the validation conversations' first message."""
    answers = {}
    for source, questions in (("suite", [p.prompt for p in tool_plan.prompts]),
                              ("validation", [question for question, _ in tool_plan.validation])):
        answers[source] = evaluator.generate([evaluator.conversation(q) for q in questions], settings, finetuned,
                                             progress=f"{progress}: tool {source}" if progress else None) \
            if questions else []
    return answers


def score(tool_plan: ToolPlan, texts: dict[str, list[str]], registry: Registry, no_tool_rows: list[dict],
          no_tool_texts: list[str]) -> tuple[dict[str, Any], dict[str, list[dict]]]:
    """One side's summaries ({"suite": ..., "validation": ...}, each overall and per intent) and each answer's
    scores. `no_tool_rows`/`no_tool_texts`: the report's validation answers; those of intents no tool serves
    count for validation's no-call rate."""
    suite_cases = [p.case for p in tool_plan.prompts]
    extra = [(ToolCase(row["intent"], None), text) for row, text in zip(no_tool_rows, no_tool_texts, strict=True)
             if registry.tool_for(row["intent"]) is None]
    validation_cases = [case for _, case in tool_plan.validation] + [case for case, _ in extra]
    validation_texts = list(texts["validation"]) + [text for _, text in extra]
    scores = {"suite": [score_answer(c, t, registry) for c, t in zip(suite_cases, texts["suite"], strict=True)],
              "validation": [score_answer(c, t, registry)
                             for c, t in zip(validation_cases, validation_texts, strict=True)]}
    summary = {"suite": _floats(summarise(suite_cases, scores["suite"])) if suite_cases else None,
               "validation": _floats(summarise(validation_cases, scores["validation"])) if validation_cases else None}
    return summary, scores


def _floats(summary: dict[str, Any]) -> dict[str, Any]:
    """Shares as floats in metrics.json (statistics.mean of all-equal booleans is the int 0 or 1)."""
    def table(row: dict[str, Any]) -> dict[str, Any]:
        return {key: float(value) if key in METRICS and value is not None else value for key, value in row.items()}

    return {"overall": table(summary["overall"]),
            "per_intent": {intent: table(row) for intent, row in summary["per_intent"].items()}}


def records(tool_plan: ToolPlan, generations: dict[str, dict], scores: dict[str, dict]) -> list[dict]:
    """generations.jsonl's lines for the tool answers: the prompt, what was expected, each side's answer and scores."""
    out = []
    items = [("tool_suite", p.prompt, p.kind, p.case) for p in tool_plan.prompts]
    items += [("tool_validation", question, "validation", case) for question, case in tool_plan.validation]
    offsets = {"tool_suite": 0, "tool_validation": 0}
    for source, prompt, kind, case in items:
        index = offsets[source]
        offsets[source] += 1
        key = "suite" if source == "tool_suite" else "validation"
        record = {"source": source, "kind": kind, "intent": case.intent, "prompt": prompt,
                  "expected": {"tool": case.tool, "arguments": case.arguments,
                               "expect": "none" if case.tool is None else "ask" if case.arguments is None else "call"}}
        for side, generated in generations.items():
            record[side] = {"answer": generated[key][index].text, **scores[side][key][index]}
        out.append(record)
    return out
