"""The exported chat template of a tool_calls run: served with `tools=` it renders exactly what training rendered
(formats.render), without tools exactly what the original template renders, and native tool templates stay."""

from __future__ import annotations

import copy
import json

import pytest
from omegaconf import OmegaConf

from helpers import CONF, ROOT
from supportbot.config import ToolsConfig
from supportbot.export.tool_template import served_tokenizer
from supportbot.tools.formats import call_message, render, result_message, tool_style
from supportbot.tools.registry import Registry

SYSTEM = {"role": "system", "content": "You are a helpful customer support assistant."}
ASK = {"role": "user", "content": "where is my order 77120?"}
CALL = call_message("track_order", {"order_number": "77120"})
RESULT = result_message(json.dumps({"status": "shipped", "carrier": "DHL", "delivery": "2026-03-02"}))
ANSWER = {"role": "assistant", "content": "It shipped with DHL and arrives on 2 March."}
ASK_REFUND = {"role": "user", "content": "Und die Rückerstattung für Zoë, 12,50 €?"}  # non-ASCII: ensure_ascii
REFUND_CALL = call_message("get_refund", {"order_number": "77120", "amount": 12.5, "note": "für Zoë"})

CONVERSATIONS = {
    "system and question": [SYSTEM, ASK],
    "question, no system": [ASK],
    "call": [SYSTEM, ASK, CALL],
    "call, result, answer": [SYSTEM, ASK, CALL, RESULT, ANSWER],
    "no system, call, result, answer": [ASK, CALL, RESULT, ANSWER],
    "two turns": [SYSTEM, ASK, CALL, RESULT, ANSWER, ASK_REFUND, REFUND_CALL,
                  result_message('{"status": "requested"}'), {"role": "assistant", "content": "Done."}],
    # OpenAI's wire format: arguments as a JSON string, as servers' parsers write it (json.dumps)
    "arguments as a string": [SYSTEM, ASK, call_message("track_order", json.dumps({"order_number": "77120"})),
                              RESULT, ANSWER],
    "non-ASCII arguments as a string": [SYSTEM, ASK_REFUND, call_message(
        "get_refund", json.dumps({"order_number": "77120", "note": "für Zoë"}, ensure_ascii=False))],
    "text before two calls in one turn": [SYSTEM, ASK, {
        "role": "assistant", "content": "Let me check both.",
        "tool_calls": [CALL["tool_calls"][0], REFUND_CALL["tool_calls"][0]]}, RESULT],
    "call with content None, without function nesting": [SYSTEM, ASK, {
        "role": "assistant", "content": None, "tool_calls": [{"name": "track_order",
                                                              "arguments": {"order_number": "77120"}}]}],
    "answer without a call": [SYSTEM, {"role": "user", "content": "thanks!"},
                              {"role": "assistant", "content": "You're welcome."}],
}


@pytest.fixture(scope="module")
def tools() -> list[dict]:
    raw = OmegaConf.load(CONF / "tools" / "support.yaml")
    return Registry(OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(ToolsConfig), raw))).schemas()


@pytest.fixture(scope="module")
def served(smollm2_tokenizer):
    return served_tokenizer(smollm2_tokenizer, "tool_calls")


def serve(tokenizer, messages, tools, add_generation_prompt):
    """What transformers (and vLLM through it) send the model: the template given the tools."""
    return tokenizer.apply_chat_template(messages, tools=tools, tokenize=False,
                                         add_generation_prompt=add_generation_prompt)


@pytest.mark.parametrize("add_generation_prompt", [False, True])
@pytest.mark.parametrize("name", CONVERSATIONS)
def test_served_with_tools_it_renders_what_training_rendered(name, add_generation_prompt, smollm2_tokenizer,
                                                             served, tools):
    messages = CONVERSATIONS[name]
    trained = render(smollm2_tokenizer, messages, tools, add_generation_prompt)
    assert serve(served, messages, tools, add_generation_prompt) == trained
    # The exported template renders tools itself: render() (chat, evaluate.py on the merged model) takes the
    # template's path for it and still writes the training text.
    assert tool_style(served.chat_template) != "supportbot"
    assert render(served, messages, tools, add_generation_prompt) == trained


def test_the_rendering_holds_what_it_must(served, tools):
    text = serve(served, CONVERSATIONS["two turns"], tools, add_generation_prompt=False)
    assert text.count("<tools>") == 1 and text.count('{"type": "function"') == len(tools)
    assert '<tool_call>\n{"name": "track_order", "arguments": {"order_number": "77120"}}\n</tool_call>' in text
    assert '"note": "für Zoë"' in text and "\\u" not in text  # JSON as written, not ASCII-escaped
    assert "<|im_start|>user\n<tool_response>\n{\"status\": \"shipped\"" in text


@pytest.mark.parametrize("add_generation_prompt", [False, True])
@pytest.mark.parametrize("name", ["system and question", "question, no system", "answer without a call"])
@pytest.mark.parametrize("no_tools", [None, []])
def test_without_tools_it_renders_what_the_original_renders(name, add_generation_prompt, no_tools,
                                                            smollm2_tokenizer, served):
    messages = CONVERSATIONS[name]
    assert serve(served, messages, no_tools, add_generation_prompt) == smollm2_tokenizer.apply_chat_template(
        messages, tokenize=False, add_generation_prompt=add_generation_prompt)


def test_the_template_survives_save_and_load(served, tools, tmp_path):
    from transformers import AutoTokenizer

    served.save_pretrained(tmp_path)  # what export/merged.py's save_merged does; the GGUF converter reads it
    loaded = AutoTokenizer.from_pretrained(tmp_path)
    assert loaded.chat_template == served.chat_template
    messages = CONVERSATIONS["call, result, answer"]
    assert serve(loaded, messages, tools, True) == serve(served, messages, tools, True)


def test_a_plain_run_keeps_its_template(smollm2_tokenizer):
    assert served_tokenizer(smollm2_tokenizer, "plain") is smollm2_tokenizer


@pytest.mark.parametrize("template", ["llama-3.2-3b-instruct", "qwen3-4b-instruct-2507"])
def test_templates_that_render_tools_themselves_are_exported_unchanged(template, smollm2_tokenizer):
    tokenizer = copy.deepcopy(smollm2_tokenizer)
    tokenizer.chat_template = (ROOT / "tests" / "data" / "templates" / f"{template}.jinja").read_text()
    original = tokenizer.chat_template
    assert tool_style(original) in ("llama3_json", "hermes")
    served = served_tokenizer(tokenizer, "tool_calls")
    assert served is tokenizer and served.chat_template == original
