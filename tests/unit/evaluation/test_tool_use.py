"""Tool use in the report: the held-out tool suite loads and bad entries are explained; fake generations are
scored per source and per intent; the report's section exists for tool runs only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
import yaml
from omegaconf import OmegaConf

from helpers import CONF
from supportbot.config import GenerationSettings, ToolsConfig
from supportbot.errors import ConfigError
from supportbot.evaluation import tool_use
from supportbot.evaluation.report import tool_use_lines
from supportbot.tools.formats import call_message, call_text
from supportbot.tools.metrics import METRICS
from supportbot.tools.registry import Registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    raw = OmegaConf.load(CONF / "tools" / "support.yaml")
    return Registry(OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(ToolsConfig), raw)))


def _suite(tmp_path, *entries: dict) -> str:
    path = tmp_path / "suite.yaml"
    path.write_text(yaml.safe_dump(list(entries)))
    return str(path)


def test_the_heldout_tool_suite_covers_every_tool_asking_and_no_call(registry):
    prompts = tool_use.load_tool_prompts("heldout", registry)
    assert len(prompts) >= 60
    kinds = Counter(p.kind for p in prompts)
    assert set(kinds) == {"call", "ask", "no_tool", "out_of_scope"} and kinds["out_of_scope"] >= 3
    calls = Counter(p.case.tool for p in prompts if p.kind == "call")
    asks = Counter(p.case.tool for p in prompts if p.kind == "ask")
    assert set(calls) == set(asks) == set(registry.tools) and min(calls.values()) >= 3
    assert all(p.case.arguments for p in prompts if p.kind == "call")
    assert all(p.case.tool is None for p in prompts if p.kind in ("no_tool", "out_of_scope"))
    assert {p.case.intent for p in prompts if p.kind == "out_of_scope"} == {tool_use.OUT_OF_SCOPE}
    # Values in formats the training generators do not write, numbers as numbers.
    assert any(p.case.arguments == {"order_number": "#A10293"} for p in prompts if p.case.arguments)
    assert any(isinstance(p.case.arguments.get("amount"), float) for p in prompts if p.case.arguments)


GOOD = {"kind": "call", "expect": "call", "intent": "track_order", "tool": "track_order",
        "prompt": "where is order #A10293", "arguments": {"order_number": "#A10293"}}


@pytest.mark.parametrize(("change", "message"), [
    ({"tool": "track_ordr"}, r"`tool` is 'track_ordr', which conf/tools/support.yaml does not have.*did you mean "
                             r"'track_order'"),
    ({"arguments": None}, r"`expect: call` needs the expected `arguments`.*order_number"),
    ({"arguments": {"order_number": "99999"}}, r"the expected order_number '99999' is not in the prompt"),
    ({"arguments": {"order_id": "#A10293"}}, r"'order_id' is not a parameter of 'track_order'"),
    ({"expect": "maybe"}, r"`expect` is 'maybe'"),
    ({"intent": "cancel_order"}, r"intent 'cancel_order' is served by tool 'cancel_order', not 'track_order'"),
    ({"intent": "trak_order"}, r"intent 'trak_order' is not one of the registry's.*did you mean 'track_order'"),
    ({"expect": "none", "tool": None, "arguments": None},
     r"intent 'track_order' is served by tool 'track_order', so its answer is a call"),
    ({"expect": "ask"}, r"`expect: ask` takes no `arguments`"),
    ({"expected_tool": "x"}, r"unknown key 'expected_tool'"),
    ({"prompt": ""}, r"every entry needs a non-empty `prompt`"),
])
def test_a_bad_tool_prompt_names_its_entry_and_the_fix(tmp_path, registry, change, message):
    path = _suite(tmp_path, GOOD, {**GOOD, **change})
    with pytest.raises(ConfigError, match=rf"suite.yaml, entry 2: {message}"):
        tool_use.load_tool_prompts(path, registry)


def test_missing_values_for_the_schema_and_missing_files_are_explained(tmp_path, registry):
    address = {"kind": "call", "expect": "call", "intent": "change_shipping_address", "tool": "change_shipping_address",
               "prompt": "send order #B20417 elsewhere", "arguments": {"order_number": "#B20417"}}
    with pytest.raises(ConfigError, match=r"`arguments` lack what 'change_shipping_address' needs \(order_number, "
                                          r"address\).*expect: ask"):
        tool_use.load_tool_prompts(_suite(tmp_path, address), registry)
    with pytest.raises(ConfigError, match="eval.tool_prompts=.nonexistent.: no such prompt file.*Available: heldout"):
        tool_use.load_tool_prompts("nonexistent", registry)
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(ConfigError, match="holds no prompts"):
        tool_use.load_tool_prompts(str(empty), registry)
    # change_order's `change` is the request itself: not required among the expected arguments.
    change = {"kind": "call", "expect": "call", "intent": "change_order", "tool": "change_order",
              "prompt": "on order #A55810 swap the shirt", "arguments": {"order_number": "#A55810"}}
    out_of_scope = {"kind": "out_of_scope", "expect": "none", "intent": None, "prompt": "tell me a joke"}
    loaded = tool_use.load_tool_prompts(_suite(tmp_path, change, out_of_scope), registry)
    assert loaded[0].case.arguments == {"order_number": "#A55810"} and loaded[1].case.tool is None


def _conversation(intent: str, tool: str, question: str, arguments: dict | None, kind: str = "call") -> dict:
    turns = [{"role": "user", "content": question}]
    if kind == "ask":
        turns += [{"role": "assistant", "content": "Could you tell me the order number?"},
                  {"role": "user", "content": "It is 3065219."}]
    turns += [call_message(tool, arguments), {"role": "tool", "content": "{}"},
              {"role": "assistant", "content": "Done."}]
    return {"intent": intent, "instruction": question, "response": "Done.", "turns": turns, "tool_calls": kind,
            "tool": tool}


@dataclass
class FakeAnswer:
    text: str


class FakeEvaluator:
    """Answers by the user's message, as a model would: a call, a question or a plain answer."""

    def __init__(self, answers: dict[str, str]):
        self.answers, self.prompts = answers, []

    def conversation(self, question: str):
        return [{"role": "user", "content": question}]

    def generate(self, conversations, settings, finetuned: bool, progress=None):
        self.prompts += [c[-1]["content"] for c in conversations]
        return [FakeAnswer(self.answers.get(c[-1]["content"], "Sorry?")) for c in conversations]


def test_fake_generations_are_scored_per_source_and_intent(registry):
    rows = [_conversation("change_order", "change_order", "swap the shirt on order 19274247",
                          {"order_number": "19274247", "change": "swap the shirt on order 19274247"}),
            _conversation("cancel_order", "cancel_order", "cancel my order", {"order_number": "3065219"}, "ask"),
            {"intent": "review", "instruction": "where do I leave a review", "response": "On the site."}]
    prompts = tool_use.load_tool_prompts("heldout", registry)[:2] + [
        p for p in tool_use.load_tool_prompts("heldout", registry) if p.kind == "out_of_scope"][:1]
    plan = tool_use.plan(prompts, rows, registry, max_samples=10, seed=1)
    # The validation rows' expected first turns: the call without its free-text argument, and the ask.
    assert [case for _, case in plan.validation] == [
        tool_use.ToolCase("change_order", "change_order", {"order_number": "19274247"}),
        tool_use.ToolCase("cancel_order", "cancel_order", None)]
    first, second, joke = (p.prompt for p in prompts)
    answers = {first: call_text("track_order", {"order_number": "#A10293"}),  # right tool, right value
               second: call_text("track_order", {"order_number": "NX-4471"}),  # right tool, the value cut short
               joke: call_text("track_order", {"order_number": "1"}),  # a call where none is needed
               "swap the shirt on order 19274247": call_text("change_order", {"order_number": "19274247",
                                                                               "change": "shirt"}),
               "cancel my order": "Sure, could you tell me the order number?"}
    evaluator = FakeEvaluator(answers)
    played = tool_use.play(evaluator, plan, GenerationSettings(), finetuned=True)
    assert evaluator.prompts == [first, second, joke, "swap the shirt on order 19274247", "cancel my order"]
    texts = {source: [a.text for a in found] for source, found in played.items()}
    summary, scores = tool_use.score(plan, texts, registry, rows[2:], ["You can write one on the product page."])
    suite = summary["suite"]["overall"]
    assert (suite["answers"], suite["call_rate"], suite["right_tool"], suite["argument_match"]) == (3, 1.0, 1.0, 0.5)
    assert suite["no_call_rate"] == 0.0 and suite["no_call_rate_n"] == 1 and suite["asked_for_missing"] is None
    assert set(summary["suite"]["per_intent"]) == {"track_order", tool_use.OUT_OF_SCOPE}
    validation = summary["validation"]
    assert validation["overall"]["answers"] == 3  # two tool conversations and the review answer (no call)
    assert validation["per_intent"]["change_order"]["argument_match"] == 1.0
    assert validation["per_intent"]["change_order"]["schema_valid"] == 1.0
    assert validation["per_intent"]["cancel_order"]["asked_for_missing"] == 1.0
    assert validation["per_intent"]["review"]["no_call_rate"] == 1.0
    assert isinstance(suite["no_call_rate"], float)  # metrics.json's shares: 0.0, not the int mean() of booleans
    for source in ("suite", "validation"):
        for metric in METRICS:
            value = summary[source]["overall"][metric]
            assert value is None or 0.0 <= value <= 1.0
    lines = tool_use.records(plan, {"finetuned": played}, {"finetuned": scores})
    assert [r["source"] for r in lines] == ["tool_suite"] * 3 + ["tool_validation"] * 2
    assert lines[-1]["expected"] == {"tool": "cancel_order", "arguments": None, "expect": "ask"}
    assert lines[0]["finetuned"]["argument_match"] is True and lines[1]["finetuned"]["argument_match"] is False

    metrics = {"tool_use": tool_use.about(plan, "heldout", _Cfg()),
               "base": {"tool_use": summary}, "finetuned": {"tool_use": summary}}
    section = tool_use_lines(metrics)
    assert "## Tool use" in section and "### Tool use per intent" in section
    assert any(line.startswith("| no call where none is needed | 1 | 0.0000 | 0.0000 |") for line in section)
    assert any(line.startswith("| review | validation | 1 |") for line in section)


class _Cfg:
    class data:
        format = "plain"

    class tools:
        name = "support"


def test_a_plain_run_has_no_tool_section_and_says_why():
    about = tool_use.about(None, "heldout", _Cfg())
    assert set(about) == {"not_applicable"} and "data.format=plain" in about["not_applicable"]
    assert tool_use_lines({"tool_use": about, "base": {"rouge_l": 0.1}, "finetuned": {"rouge_l": 0.2}}) == []
