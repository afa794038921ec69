"""Each model's tool format, rendered through its real chat template and parsed back out; tool results never
trained on."""

from __future__ import annotations

import json

import pytest

from supportbot.data.tokenize import IGNORE_INDEX, tokenize_rows
from supportbot.tools.formats import (
    TOOLS_HEADER,
    call_message,
    parse_call,
    render,
    render_conversation,
    result_message,
    tool_style,
)
from supportbot.tools.registry import Registry

SYSTEM = "You are a helpful customer support assistant."
ARGUMENTS = {"order_number": "WEB-2023-737404"}
RESULT = json.dumps({"order_number": "WEB-2023-737404", "status": "shipped", "carrier": "DHL"})
ANSWER = "Order WEB-2023-737404 is on its way with DHL."


def conversation(arguments) -> list[dict]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "where is order WEB-2023-737404?"},
            call_message("track_order", arguments), result_message(RESULT), {"role": "assistant", "content": ANSWER}]


# (template, style, what the format puts where)
FORMATS = [
    ("llama-3.2-3b-instruct", "llama3_json",
     ['<|start_header_id|>user<|end_header_id|>\n\nGiven the following functions',  # tools in the first user turn
      '{"name": "track_order", "parameters": {"order_number": "WEB-2023-737404"}}<|eot_id|>',
      "<|start_header_id|>ipython<|end_header_id|>"]),
    ("qwen3-4b-instruct-2507", "hermes",
     [f"<|im_start|>system\n{SYSTEM}\n\n# Tools", "<|im_start|>assistant\n<tool_call>\n"
      '{"name": "track_order", "arguments": {"order_number": "WEB-2023-737404"}}\n</tool_call><|im_end|>',
      f"<|im_start|>user\n<tool_response>\n{RESULT}\n</tool_response><|im_end|>"]),
    ("smollm2", "supportbot",
     [f"<|im_start|>system\n{SYSTEM}\n\n{TOOLS_HEADER}", "<|im_start|>assistant\n<tool_call>\n"
      '{"name": "track_order", "arguments": {"order_number": "WEB-2023-737404"}}\n</tool_call><|im_end|>',
      f"<|im_start|>user\n<tool_response>\n{RESULT}\n</tool_response><|im_end|>"]),
]


@pytest.mark.parametrize(("template", "style", "expected"), FORMATS, ids=[f[0] for f in FORMATS])
def test_each_format_renders_the_call_and_parses_it_back(template, style, expected, template_tokenizer,
                                                         support_tools):
    tokenizer = template_tokenizer(template)
    tools = Registry(support_tools).schemas()
    assert tool_style(tokenizer.chat_template) == style
    full, spans = render_conversation(tokenizer, conversation(ARGUMENTS), tools)
    for text in expected:
        assert text in full, text
    assert full.count('"name": "get_refund"') == 1  # every tool once, in the prompt
    call, answer = (full[start:end] for start, end in spans)
    assert answer == ANSWER
    parsed = parse_call(call)
    assert (parsed.name, parsed.arguments, parsed.valid_json) == ("track_order", ARGUMENTS, True)
    # OpenAI-style string arguments render as the dict does (Llama's template would otherwise double-encode them).
    assert render_conversation(tokenizer, conversation(json.dumps(ARGUMENTS)), tools)[0] == full
    prompt = render(tokenizer, conversation(ARGUMENTS)[:2], tools, add_generation_prompt=True)
    assert full.startswith(prompt) and parse_call(full[len(prompt):].split("<|")[0]).name == "track_order"


def test_parse_call_takes_every_format_and_reports_broken_json():
    assert parse_call(ANSWER) is None
    for text in ('<tool_call>\n{"name": "cancel_order", "arguments": {"order_number": "9"}}\n</tool_call>',
                 '{"name": "cancel_order", "parameters": {"order_number": "9"}}',
                 '<tool_call>{"name": "cancel_order", "arguments": "{\\"order_number\\": \\"9\\"}"}</tool_call>',
                 '{"name": "cancel_order", "parameters": {"order_number": "9"}} I have cancelled it.'):
        parsed = parse_call(text)
        assert (parsed.name, parsed.arguments, parsed.valid_json) == ("cancel_order", {"order_number": "9"}, True), text
    broken = parse_call('<tool_call>\n{"name": "cancel_order", "arguments": {"order_number": 9\n</tool_call>')
    assert broken is not None and not broken.valid_json and broken.name is None


@pytest.mark.parametrize("template", ["smollm2", "qwen3-4b-instruct-2507"])
def test_calls_and_answers_are_labelled_and_tool_results_are_not(template, template_tokenizer, support_tools):
    tokenizer = template_tokenizer(template)
    tools = Registry(support_tools).schemas()
    row = {"instruction": "where is order WEB-2023-737404?", "response": ANSWER, "turns": conversation(ARGUMENTS)[1:]}
    columns, kept, _ = tokenize_rows([row], tokenizer, SYSTEM, 2048, tools)
    ids, labels = columns["input_ids"][0], columns["labels"][0]
    trained, runs, run = [], [], []
    for token, label in zip(ids, labels, strict=True):
        if label != IGNORE_INDEX:
            run.append(token)
        elif run:
            runs.append(tokenizer.decode(run))
            run = []
    assert runs == ['<tool_call>\n{"name": "track_order", "arguments": {"order_number": "WEB-2023-737404"}}\n'
                    "</tool_call><|im_end|>", ANSWER + "<|im_end|>"]
    trained = "".join(runs)
    assert "tool_response" not in trained and '"carrier"' not in trained and "# Tools" not in trained
