"""Each model's own tool format: a conversation with calls and results through its chat template, and the call
parsed back out of what the model generates.

Conversations are OpenAI-style messages: an assistant call is
`{"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": {"name", "arguments"}}]}`
and a result `{"role": "tool", "content": "<the result as JSON>"}`. Which format a template has is read from the
template itself (`tool_style`):

- llama3_json (Llama 3.1-3.3): the template's own rendering with `tools=`. It puts the tools into the first user
  message (its default, `tools_in_user_message`, is kept: what vLLM and transformers serve), the call is the bare
  JSON `{"name": ..., "parameters": {...}}` as the assistant turn, the result an `ipython` turn.
- hermes (Qwen2.5, Qwen3, Qwen3-Instruct-2507): the template's own rendering with `tools=`: a `# Tools` block
  with `<tools>` in the system prompt, `<tool_call>{"name": ..., "arguments": {...}}</tool_call>` in the answer,
  the result inside `<tool_response>` in a user turn.
- supportbot: templates with no tool support (SmolLM2's ChatML). This project's format, which is hermes written
  as plain messages so that any template renders it: the system prompt gets TOOLS_HEADER and the tools, one JSON
  object a line, inside `<tools></tools>`; the call is the assistant's text `<tool_call>\\n{"name": ..., "arguments":
  {...}}\\n</tool_call>`; the result a user turn `<tool_response>\\n...\\n</tool_response>`. Training, evaluate.py and
  chat all render through `render`, so the model sees one format everywhere.

Arguments are a dict inside the project; OpenAI-style servers send a JSON string. Llama's template `tojson`s them
either way (a string would come out double-encoded), so `normalise` parses strings to dicts before any template
sees them, and `parse_call` takes both from generated text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from supportbot.errors import ModelSourceError

STYLES = ("llama3_json", "hermes", "native", "supportbot")
TOOLS_HEADER = ("# Tools\n\nYou may call one of these functions to help the customer. To call one, answer with "
                "nothing but\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n"
                "</tool_call>\nand its result comes back inside <tool_response></tool_response>.\n<tools>")
_TOOL_CALL = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.S)


def tool_style(chat_template: str | None) -> str:
    """Which tool format a chat template has (see the module docstring)."""
    template = chat_template or ""
    if "<tool_call>" in template and "tools" in template:
        return "hermes"
    if "tool_calls" in template and '"parameters": ' in template:
        return "llama3_json"
    if "tools" in template and "tool_calls" in template:
        return "native"  # another template with tools: its own rendering; the JSON is parsed generically
    return "supportbot"


def call_message(name: str, arguments: dict[str, Any] | str, content: str = "") -> dict[str, Any]:
    """The assistant turn that calls `name` (OpenAI's shape)."""
    return {"role": "assistant", "content": content,
            "tool_calls": [{"type": "function", "function": {"name": name, "arguments": arguments}}]}


def result_message(content: str) -> dict[str, str]:
    return {"role": "tool", "content": content}


def _arguments(arguments: Any) -> Any:
    if isinstance(arguments, str):
        try:
            return json.loads(arguments)
        except json.JSONDecodeError:
            return arguments
    return arguments


def normalise(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages with every call's arguments a dict (OpenAI's JSON strings parsed) and `function` nesting."""
    out = []
    for message in messages:
        if message.get("tool_calls"):
            calls = []
            for call in message["tool_calls"]:
                function = call.get("function", call)
                calls.append({"type": "function", "function": {"name": function["name"],
                                                               "arguments": _arguments(function.get("arguments", {}))}})
            message = {**message, "content": message.get("content") or "", "tool_calls": calls}
        out.append(message)
    return out


def call_text(name: str, arguments: Any) -> str:
    """A call as the supportbot format writes it in the assistant's text."""
    return "<tool_call>\n" + json.dumps({"name": name, "arguments": arguments}, ensure_ascii=False) + "\n</tool_call>"


def as_plain_messages(messages: list[dict[str, Any]], tools: list[dict]) -> list[dict[str, str]]:
    """The supportbot format: calls, results and the tools as the text of ordinary system/user/assistant turns."""
    block = TOOLS_HEADER + "".join("\n" + json.dumps(tool, ensure_ascii=False) for tool in tools) + "\n</tools>"
    out: list[dict[str, str]] = []
    for message in normalise(messages):
        if message["role"] == "system" and not out:
            out.append({"role": "system", "content": message["content"] + "\n\n" + block})
        elif message.get("tool_calls"):
            text = "\n".join(call_text(call["function"]["name"], call["function"]["arguments"])
                             for call in message["tool_calls"])
            out.append({"role": "assistant", "content": (message["content"] + "\n" if message["content"] else "")
                        + text})
        elif message["role"] == "tool":
            out.append({"role": "user", "content": f"<tool_response>\n{message['content']}\n</tool_response>"})
        else:
            out.append({"role": message["role"], "content": message["content"]})
    if not out or out[0]["role"] != "system":
        out.insert(0, {"role": "system", "content": block})
    return out


def render(tokenizer, messages: list[dict[str, Any]], tools: list[dict], add_generation_prompt: bool = False) -> str:
    """The conversation as text in the tokenizer's own tool format (training, evaluation and chat alike)."""
    if tool_style(tokenizer.chat_template) == "supportbot":
        return tokenizer.apply_chat_template(as_plain_messages(messages, tools), tokenize=False,
                                             add_generation_prompt=add_generation_prompt)
    return tokenizer.apply_chat_template(normalise(messages), tools=tools, tokenize=False,
                                         add_generation_prompt=add_generation_prompt)


def render_conversation(tokenizer, messages: list[dict[str, Any]],
                        tools: list[dict]) -> tuple[str, list[tuple[int, int]]]:
    """The conversation as text and where each assistant turn (an answer or a call) starts and ends in it,
    its end-of-turn token left out (supportbot.data.tokenize labels the token after the span). Tool results are
    not assistant turns: they get no span, so they are never trained on.

    Each turn is the rendering of the conversation up to it minus the prompt before it, so a call is located
    however the template writes it; both must be prefixes of the whole conversation (checked)."""
    full = render(tokenizer, messages, tools)
    eos = tokenizer.eos_token or ""
    spans = []
    for index, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        prompt = render(tokenizer, messages[:index], tools, add_generation_prompt=True)
        upto = render(tokenizer, messages[:index + 1], tools)
        if not (full.startswith(upto) and upto.startswith(prompt)):
            raise ModelSourceError(
                f"The chat template of {tokenizer.name_or_path!r} does not render a tool conversation's prompt as a "
                "prefix of the whole conversation, so its assistant turns cannot be located for labels. Set "
                "model.chat_template to a template that does (e.g. ChatML), or train with data.format=plain.")
        end = len(upto.rstrip())
        if eos and upto[:end].endswith(eos):
            end -= len(eos)
        spans.append((len(prompt), end))
    return full, spans


@dataclass
class ParsedCall:
    """A call found in generated text. valid_json False: the model tried to call but wrote no JSON object."""

    name: str | None
    arguments: Any
    valid_json: bool
    text: str  # the call's JSON as written


def parse_call(text: str) -> ParsedCall | None:
    """The first call in a generated answer, in any of the formats above; None when the answer calls nothing.
    `arguments` (or Llama's `parameters`) may be an object or a JSON string of one."""
    found = _TOOL_CALL.search(text)
    if found:
        body = found.group(1)
    else:
        stripped = text.strip()
        if not (stripped.startswith("{") and '"name"' in stripped):
            return None
        body = stripped
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        data = _first_object(body)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return ParsedCall(None, None, False, body)
    arguments = data.get("arguments", data.get("parameters", {}))
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except json.JSONDecodeError:
            return ParsedCall(data["name"], arguments, False, body)
    return ParsedCall(data["name"], arguments, True, body)


def _first_object(text: str) -> Any:
    """The first JSON object at the start of `text` (the model may go on after its call)."""
    try:
        data, _ = json.JSONDecoder().raw_decode(text.lstrip())
        return data
    except json.JSONDecodeError:
        return None
