"""The chat template an exported tool_calls run is served with, so servers prompt it the way it trained.

A template with no tool support (SmolLM2's ChatML: tool style "supportbot", see supportbot/tools/formats.py)
trained on tools and calls written as plain messages by `formats.as_plain_messages`. A server knows nothing of
that: transformers' `apply_chat_template(messages, tools=...)`, vLLM, and llama.cpp's `--jinja` (which reads
the template from the GGUF) hand `tools` and OpenAI-style `tool_calls` / `role: tool` messages to the template
itself. So the export writes the original template behind a prelude that does, in Jinja, what
`as_plain_messages` does in Python, and then sets `messages` to the result:

    tools given    the system prompt gets TOOLS_HEADER and one `tool | tojson` line per tool inside <tools>;
                   a call becomes `<tool_call>\\n{"name": ..., "arguments": ...}\\n</tool_call>` assistant text;
                   a result a user turn `<tool_response>\\n...\\n</tool_response>`;
    no tools       (None or []) nothing is touched: the original template renders as before.

The prelude is generated from formats.TOOLS_HEADER, so the two cannot drift; tests render both on the same
conversations and compare them character for character. JSON is the same text because transformers' `tojson`
is `json.dumps(ensure_ascii=False)` with the default separators, which is what formats.py writes (llama.cpp's
minja writes the same separators). Arguments given as a JSON string (OpenAI's wire format) are written as
they are: Jinja cannot parse JSON, so they equal render()'s re-dumped dict when the string is json.dumps'
text, as the servers' own parsers produce; a string with other spacing keeps its spacing.

Templates that render tools themselves (Llama 3.x: llama3_json, Qwen: hermes, others: native) are exported
unchanged: their own rendering is what training used.
"""

from __future__ import annotations

import copy

from supportbot.tools.formats import TOOLS_HEADER, tool_style


def _jinja_string(text: str) -> str:
    """`text` as a single-quoted Jinja literal; newlines stay literal, as in the ChatML templates themselves."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


# formats.as_plain_messages, step for step. Every tag opens with `{%-` so that the newlines laid out here are
# not output; the last one closes with `%}` so the original template's own first character is untouched.
_PRELUDE = """{%- if tools %}
{%- set ns = namespace(block=HEADER, messages=[], text='') %}
{%- for tool in tools %}
{%- set ns.block = ns.block + '\\n' + tool | tojson %}
{%- endfor %}
{%- set ns.block = ns.block + '\\n</tools>' %}
{%- for message in messages %}
{%- if message.role == 'system' and loop.first %}
{%- set ns.messages = ns.messages + [{'role': 'system', 'content': message.content + '\\n\\n' + ns.block}] %}
{%- elif message.tool_calls %}
{%- set ns.text = (message.content + '\\n') if message.content else '' %}
{%- for call in message.tool_calls %}
{%- set function = call.function if call.function is defined else call %}
{%- set arguments = function.arguments if function.arguments is defined else {} %}
{%- set ns.text = ns.text + ('\\n' if not loop.first else '') + '<tool_call>\\n{"name": ' + function.name | tojson
    + ', "arguments": ' + (arguments if arguments is string else arguments | tojson) + '}\\n</tool_call>' %}
{%- endfor %}
{%- set ns.messages = ns.messages + [{'role': 'assistant', 'content': ns.text}] %}
{%- elif message.role == 'tool' %}
{%- set ns.messages = ns.messages + [{'role': 'user',
    'content': '<tool_response>\\n' + message.content + '\\n</tool_response>'}] %}
{%- else %}
{%- set ns.messages = ns.messages + [{'role': message.role, 'content': message.content}] %}
{%- endif %}
{%- endfor %}
{%- if not ns.messages or ns.messages[0].role != 'system' %}
{%- set ns.messages = [{'role': 'system', 'content': ns.block}] + ns.messages %}
{%- endif %}
{%- set messages = ns.messages %}
{%- endif %}"""


def supportbot_tool_template(chat_template: str) -> str:
    """`chat_template` (one with no tool support) that also renders `tools` in the supportbot format."""
    return _PRELUDE.replace("HEADER", _jinja_string(TOOLS_HEADER), 1) + chat_template


def needs_tool_template(tokenizer, data_format: str) -> bool:
    """Whether a run of `data_format` with this tokenizer trained on the supportbot format (so it needs the
    prelude); a template that renders tools itself, or a plain run, is served with its template as it is."""
    return data_format == "tool_calls" and isinstance(tokenizer.chat_template, str) \
        and tool_style(tokenizer.chat_template) == "supportbot"


def served_tokenizer(tokenizer, data_format: str):
    """The tokenizer the export saves: a copy with the tool template for a supportbot-format tool_calls run,
    else `tokenizer` itself. A copy, because the Modelfile and card are written from the training template."""
    if not needs_tool_template(tokenizer, data_format):
        return tokenizer
    served = copy.deepcopy(tokenizer)
    served.chat_template = supportbot_tool_template(tokenizer.chat_template)
    return served
