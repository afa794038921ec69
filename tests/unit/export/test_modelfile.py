"""The Modelfile's TEMPLATE, rendered as Ollama renders it, is the chat template the run trained with."""

from __future__ import annotations

import copy
import json
import re

import pytest

from supportbot.export.modelfile import chat_family, modelfile

LLAMA3_TEMPLATE = (
    "{{- bos_token }}{%- for message in messages %}"
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim"
    " + '<|eot_id|>' }}{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}"
)
SYSTEM = "You are a helpful customer support assistant."
QUESTION = "where is my order 77120?"
ANSWER = "It left our warehouse yesterday; you will get a tracking link by email."


def render(text: str, system: str, prompt: str, response: str) -> str:
    """Ollama's substitution of .System/.Prompt/.Response into a template without conditionals."""
    template = re.search(r'^TEMPLATE """(.*?)"""$', text, re.S | re.M).group(1)
    assert "{{ if" not in template and "{{-" not in template  # the plain substitution below is all it needs
    return template.replace("{{ .System }}", system).replace("{{ .Prompt }}", prompt).replace("{{ .Response }}",
                                                                                            response)


def check(tokenizer, strip_bos: bool) -> str:
    text = modelfile(tokenizer, SYSTEM, "model.gguf")
    conversation = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}]
    prompt = tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)
    whole = tokenizer.apply_chat_template(conversation + [{"role": "assistant", "content": ANSWER}], tokenize=False)
    if strip_bos:  # llama.cpp adds BOS itself, so the Modelfile leaves it out
        prompt, whole = prompt.removeprefix(tokenizer.bos_token), whole.removeprefix(tokenizer.bos_token)
    rendered = render(text, SYSTEM, QUESTION, ANSWER)
    # What Ollama sends at inference (the template up to .Response), with the answer it generates appended ...
    assert rendered[: rendered.index(ANSWER) + len(ANSWER)] == prompt + ANSWER
    # ... and the whole turn, end of turn included, is what training saw.
    assert rendered == whole
    assert re.search(r'^SYSTEM """' + re.escape(SYSTEM) + '"""$', text, re.M)
    assert text.startswith("# Ollama Modelfile for model.gguf")
    assert "FROM ./model.gguf" in text.splitlines()
    return text


def test_chatml_modelfile_matches_smollm2s_template(smollm2_tokenizer):
    assert chat_family(smollm2_tokenizer) == "chatml"
    text = check(smollm2_tokenizer, strip_bos=False)
    assert 'PARAMETER stop "<|im_end|>"' in text and "<|im_start|>system\n{{ .System }}<|im_end|>" in text


def test_llama3_modelfile_matches_a_llama3_template(smollm2_tokenizer):
    tokenizer = copy.deepcopy(smollm2_tokenizer)
    tokenizer.add_special_tokens({"additional_special_tokens": ["<|start_header_id|>", "<|end_header_id|>",
                                                                "<|eot_id|>", "<|begin_of_text|>"]})
    tokenizer.bos_token = "<|begin_of_text|>"
    tokenizer.eos_token = "<|eot_id|>"
    tokenizer.chat_template = LLAMA3_TEMPLATE
    assert chat_family(tokenizer) == "llama3"
    text = check(tokenizer, strip_bos=True)
    assert 'PARAMETER stop "<|eot_id|>"' in text and "<|begin_of_text|>" not in text
    assert "<|start_header_id|>user<|end_header_id|>\n\n{{ .Prompt }}<|eot_id|>" in text


def test_an_unknown_template_is_refused(smollm2_tokenizer):
    from supportbot.errors import ConfigError

    tokenizer = copy.deepcopy(smollm2_tokenizer)
    tokenizer.chat_template = "{% for m in messages %}{{ m['content'] }}{% endfor %}"
    with pytest.raises(ConfigError, match="neither ChatML"):
        modelfile(tokenizer, SYSTEM, "model.gguf")


# --- a data.format=tool_calls run (SmolLM2: the supportbot format) ---------------------------------------------

def go_render(template: str, data: dict) -> str:
    """Go's text/template, the subset the tool TEMPLATE uses (if/else if/else, range with variables, :=, eq ne
    and or not len slice, fields, strings, integers), with Ollama's data: a test of the template's logic, not of Ollama.
    A map or struct prints as json.dumps would (Ollama prints Go's compact JSON there: the module docstring)."""
    tokens = re.findall(r'\{\{((?:[^}"]|"[^"]*"|}(?!}))*)\}\}|((?:(?!\{\{).)+)', template, re.S)
    nodes, stack = [], []
    current = nodes
    for action, text in tokens:
        action = action.strip()
        if not action:
            current.append(("text", text))
        elif action.startswith(("if ", "range ")):
            node = ["if", [[action[3:], []]], None] if action.startswith("if ") else ["range", action[6:], []]
            current.append(node)
            stack.append((node, current))
            current = node[1][0][1] if node[0] == "if" else node[2]
        elif action.startswith("else if "):
            stack[-1][0][1].append([action[8:], []])
            current = stack[-1][0][1][-1][1]
        elif action == "else":
            stack[-1][0][2] = current = []
        elif action == "end":
            current = stack.pop()[1]
        else:
            current.append(("action", action))
    assert not stack, "unbalanced template"

    def value(expression: str, dot, variables):
        words = re.findall(r'"[^"]*"|\((?:[^()]|\([^()]*\))*\)|[^\s()]+', expression.strip())
        functions = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "not": lambda a: not a, "len": len,
                     "slice": lambda a, i: a[i:], "and": lambda *a: all(a), "or": lambda *a: any(a)}
        if words[0] in functions:
            return functions[words[0]](*(value(word, dot, variables) for word in words[1:]))
        word = words[0]
        if word.startswith("("):
            return value(word[1:-1], dot, variables)
        if word.startswith('"'):
            return word[1:-1]
        if word in ("true", "false"):
            return word == "true"
        if word.isdigit():
            return int(word)
        base, _, path = word.partition(".") if word.startswith("$") else ("", "", word[1:])
        found = dot if not base else variables[base]
        for field in filter(None, path.split(".")):
            found = found[field]
        return found

    def run(body, dot, variables) -> str:
        out = []
        for node in body:
            if node[0] == "text":
                out.append(node[1])
            elif node[0] == "action":
                name, assign, expression = node[1].partition(":=")
                if assign:
                    variables[name.strip()] = value(expression, dot, variables)
                else:
                    printed = value(node[1], dot, variables)
                    out.append(printed if isinstance(printed, str) else json.dumps(printed, ensure_ascii=False))
            elif node[0] == "if":
                branch = next((part for condition, part in node[1] if value(condition, dot, variables)), node[2])
                out.append(run(branch or [], dot, dict(variables)))
            else:
                names, _, expression = node[1].rpartition(":=")
                index_name, _, item_name = (name.strip() for name in names.partition(","))
                for index, item in enumerate(value(expression, dot, variables)):
                    out.append(run(node[2], item, {**variables, index_name: index, item_name: item}))
        return "".join(out)

    return run(nodes, data, {"$": data})


def ollama_data(messages: list[dict], tools: list[dict], system: str) -> dict:
    """What Ollama hands the template for /api/chat: the Modelfile's SYSTEM first unless the messages have one,
    .System the system messages' text, .Messages all of them, calls with .Function.Name and .Arguments."""
    if messages[0]["role"] != "system":
        messages = [{"role": "system", "content": system}, *messages]
    return {
        "System": "\n\n".join(m["content"] for m in messages if m["role"] == "system"),
        "Tools": [{"Type": "function", "Function": {"Name": tool["function"]["name"], **tool["function"]}}
                  for tool in tools],
        "Messages": [{"Role": m["role"], "Content": m.get("content") or "",
                      "ToolCalls": [{"Function": {"Name": call["function"]["name"],
                                                  "Arguments": call["function"]["arguments"]}}
                                    for call in m.get("tool_calls", [])]} for m in messages],
    }


@pytest.fixture(scope="module")
def support_tools() -> list[dict]:
    from omegaconf import OmegaConf

    from helpers import CONF
    from supportbot.config import ToolsConfig
    from supportbot.tools.registry import Registry

    raw = OmegaConf.load(CONF / "tools" / "support.yaml")
    return Registry(OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(ToolsConfig), raw))).schemas()


def tool_template(text: str) -> str:
    return re.search(r'^TEMPLATE """(.*?)"""$', text, re.S | re.M).group(1)


CALL = {"role": "assistant", "content": "", "tool_calls": [
    {"type": "function", "function": {"name": "track_order", "arguments": {"order_number": "77120"}}}]}
RESULT = {"role": "tool", "content": '{"status": "shipped"}'}
TOOL_CONVERSATIONS = {
    "question": [{"role": "user", "content": QUESTION}],
    "question with the system in the messages": [{"role": "system", "content": "Be brief."},
                                                 {"role": "user", "content": QUESTION}],
    "call and result": [{"role": "user", "content": QUESTION}, CALL, RESULT],
    "answer, then a second question": [{"role": "user", "content": QUESTION}, CALL, RESULT,
                                       {"role": "assistant", "content": ANSWER},
                                       {"role": "user", "content": "and my refund?"}],
    "two calls after text": [{"role": "user", "content": QUESTION}, {
        "role": "assistant", "content": "Checking both.", "tool_calls": CALL["tool_calls"] * 2}, RESULT],
}


@pytest.mark.parametrize("name", TOOL_CONVERSATIONS)
def test_the_tool_template_renders_what_training_rendered(name, smollm2_tokenizer, support_tools):
    from supportbot.tools.formats import render as training_render

    messages = TOOL_CONVERSATIONS[name]
    template = tool_template(modelfile(smollm2_tokenizer, SYSTEM, "model.gguf", tools=support_tools))
    sent = go_render(template, ollama_data(messages, support_tools, SYSTEM))
    with_system = messages if messages[0]["role"] == "system" else [{"role": "system", "content": SYSTEM},
                                                                    *messages]
    assert sent == training_render(smollm2_tokenizer, with_system, support_tools, add_generation_prompt=True)


def test_the_tool_template_without_tools_is_the_plain_chat(smollm2_tokenizer, support_tools):
    template = tool_template(modelfile(smollm2_tokenizer, SYSTEM, "model.gguf", tools=support_tools))
    conversation = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}]
    sent = go_render(template, ollama_data(conversation, [], SYSTEM))
    assert sent == smollm2_tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)
    # Without .Messages (a bare prompt) the plain TEMPLATE of a plain run
    plain = tool_template(modelfile(smollm2_tokenizer, SYSTEM, "model.gguf"))
    assert template.endswith("{{ else }}" + plain + "{{ end }}")


def test_a_tool_the_run_never_saw_is_written_by_ollama(smollm2_tokenizer, support_tools):
    template = tool_template(modelfile(smollm2_tokenizer, SYSTEM, "model.gguf", tools=support_tools))
    other = {"type": "function", "function": {"name": "weather", "description": "-", "parameters": {}}}
    sent = go_render(template, ollama_data([{"role": "user", "content": "hi"}], [other], SYSTEM))
    assert '\n{"type": "function", "function": {"Name": "weather"' in sent


def test_the_tool_modelfile_is_built_from_the_training_format(smollm2_tokenizer, support_tools):
    from supportbot.tools.formats import TOOLS_HEADER, call_text

    text = modelfile(smollm2_tokenizer, SYSTEM, "model.gguf", tools=support_tools)
    template = tool_template(text)
    assert TOOLS_HEADER in template and "\n</tools>{{ end }}" in template
    for tool in support_tools:  # each tool's line exactly as training wrote it
        assert f'eq .Function.Name "{tool["function"]["name"]}" }}}}{json.dumps(tool, ensure_ascii=False)}{{{{' \
            in template
    name_and_arguments = call_text("{{ .Function.Name }}", {}).replace("{}", "{{ .Function.Arguments }}")
    open_tag, call, close_tag = re.match(r"(.*?)(\{.*\})(.*)", name_and_arguments, re.S).groups()
    assert "{{ if .ToolCalls }}" + open_tag in template and call + "{{ end }}" + close_tag in template
    assert "<tool_response>\n{{ .Content }}\n</tool_response><|im_end|>" in template
    # Ollama takes the first text after the first `if` on .ToolCalls for the call tag it parses output by.
    first = template.index("{{ if .ToolCalls }}")
    assert ".ToolCalls" not in template[:first].replace("{{ $calls := .ToolCalls }}", "")
    assert template[first + len("{{ if .ToolCalls }}"):].startswith("<tool_call>")
    assert "{{-" not in template and "-}}" not in template  # every newline is one the model trained on
    # The rest of the Modelfile is the plain run's
    plain = modelfile(smollm2_tokenizer, SYSTEM, "model.gguf")
    assert [line for line in text.splitlines() if line.startswith(("FROM", "SYSTEM", "PARAMETER"))] == \
        [line for line in plain.splitlines() if line.startswith(("FROM", "SYSTEM", "PARAMETER"))]


def test_braces_in_a_tool_description_are_printed_not_parsed(smollm2_tokenizer, support_tools):
    tools = copy.deepcopy(support_tools)
    tools[0]["function"]["description"] = "Where {{Order Number}} is."
    template = tool_template(modelfile(smollm2_tokenizer, SYSTEM, "model.gguf", tools=tools))
    sent = go_render(template, ollama_data([{"role": "user", "content": QUESTION}], tools, SYSTEM))
    assert "\n" + json.dumps(tools[0], ensure_ascii=False) + "\n" in sent
