"""The Ollama Modelfile: the run's chat template, system prompt and stop tokens, for a GGUF of the merged model.

The TEMPLATE is derived from the tokenizer's own chat template rather than written by hand: a system and
a user message made of sentinel strings are rendered as training rendered them (add_generation_prompt),
and the sentinels become Ollama's `{{ .System }}` and `{{ .Prompt }}`. Whatever the family's template adds
(Llama 3.2's date lines in the system turn, for instance) is then in the Modelfile exactly as trained.
The family (ChatML or Llama 3 headers) is detected to choose the stop tokens and to refuse a template
this module does not know.

A data.format=tool_calls run whose template has no tools (SmolLM2: formats.py's "supportbot" format) gets a
TEMPLATE over Ollama's `.Messages`, `.Tools` and `.ToolCalls` (`ollama_tool_template`), written like Ollama's
own Qwen2.5 template: the system turn gets formats.TOOLS_HEADER and one JSON line per tool inside <tools>, a
call is `<tool_call>` text in the assistant turn, a `tool` message a user turn inside <tool_response>. The turn
markers come from the same sentinel renderings. Ollama parses the model's calls from `<tool_call>` blocks: it
takes the first text after `{{ if .ToolCalls }}` in the TEMPLATE as the call's tag, then reads the JSON object
after it whose name is one of the request's tools. Two things Ollama prints itself, in Go's compact JSON
(`{"a":1}`, in its structs' key order and with only their fields): the tools and the arguments of earlier calls.
So each of the run's tools is written as the very line training wrote, chosen by its name, and only a tool the
run never saw falls back to Ollama's JSON; earlier calls' arguments keep Ollama's spacing, so a prompt is exact
up to the first call in its history.
A run whose template renders tools itself (Llama 3.2, Qwen3) keeps the plain TEMPLATE: serve its tools
through the GGUF's own template (`llama-server --jinja`), vLLM or transformers.
"""

from __future__ import annotations

import json

SYSTEM_SENTINEL = "SUPPORTBOT_SYSTEM_SENTINEL"
PROMPT_SENTINEL = "SUPPORTBOT_PROMPT_SENTINEL"
RESPONSE_SENTINEL = "SUPPORTBOT_RESPONSE_SENTINEL"

# Tokens that end a turn or start the next one: generation stops at any of them.
STOP_TOKENS = {
    "chatml": ("<|im_end|>", "<|im_start|>", "<|endoftext|>"),
    "llama3": ("<|eot_id|>", "<|eom_id|>", "<|start_header_id|>", "<|end_header_id|>", "<|end_of_text|>"),
}


def chat_family(tokenizer) -> str:
    """chatml (SmolLM2, Qwen: <|im_start|>role ... <|im_end|>) or llama3 (<|start_header_id|> ... <|eot_id|>)."""
    from supportbot.errors import ConfigError

    template = tokenizer.chat_template or ""
    if "<|im_start|>" in template:
        return "chatml"
    if "<|start_header_id|>" in template:
        return "llama3"
    raise ConfigError(
        "The tokenizer's chat template is neither ChatML (<|im_start|>) nor Llama 3 (<|start_header_id|>), "
        "so no Ollama TEMPLATE can be written for it. Set model.chat_template in the run's config.yaml to "
        "the template it trained with, or export format=merged and write the Modelfile by hand."
    )


def ollama_template(tokenizer) -> str:
    """The chat template in Ollama's Go-template syntax: system, user, then the answer and its end of turn."""
    prompt = tokenizer.apply_chat_template(
        [{"role": "system", "content": SYSTEM_SENTINEL}, {"role": "user", "content": PROMPT_SENTINEL}],
        tokenize=False, add_generation_prompt=True,
    )
    # Ollama (llama.cpp) adds the BOS token itself; a template that repeats it would start with two. A BOS that
    # is the turn marker itself (a GGUF-converted SmolLM2's is <|im_start|>) is part of the turn and stays.
    bos = tokenizer.bos_token
    if bos and bos not in STOP_TOKENS[chat_family(tokenizer)] and prompt.startswith(bos):
        prompt = prompt[len(bos):]
    whole = tokenizer.apply_chat_template(
        [{"role": "system", "content": SYSTEM_SENTINEL}, {"role": "user", "content": PROMPT_SENTINEL},
         {"role": "assistant", "content": RESPONSE_SENTINEL}], tokenize=False,
    )
    end_of_turn = whole[whole.rindex(RESPONSE_SENTINEL) + len(RESPONSE_SENTINEL):]
    return (prompt.replace(SYSTEM_SENTINEL, "{{ .System }}").replace(PROMPT_SENTINEL, "{{ .Prompt }}")
            + "{{ .Response }}" + end_of_turn)


def stop_tokens(tokenizer) -> list[str]:
    """The family's end-of-turn (and start-of-turn) tokens this vocabulary has, and its eos."""
    vocab = tokenizer.get_vocab()
    stops = [token for token in STOP_TOKENS[chat_family(tokenizer)] if token in vocab]
    if tokenizer.eos_token and tokenizer.eos_token not in stops:
        stops.insert(0, tokenizer.eos_token)
    return stops


def modelfile(tokenizer, system_prompt: str, gguf_name: str, others: tuple[str, ...] = (),
              tools: list[dict] | None = None) -> str:
    """An Ollama Modelfile for `gguf_name` (beside it) that chats as the run trained; `others` are the other
    GGUFs beside it, named in a comment so a user knows the FROM line is the only thing to change. `tools`: the
    schemas a supportbot-format tool_calls run trained with (export/tool_template.py says which runs)."""
    template = ollama_tool_template(tokenizer, tools) if tools else ollama_template(tokenizer)
    lines = [
        f"# Ollama Modelfile for {gguf_name}, written by supportbot's export beside it:",
        "#   ollama create support-bot -f Modelfile && ollama run support-bot",
        *([f"# Another precision: change FROM to one of {', '.join('./' + name for name in others)}"]
          if others else []),
        f"FROM ./{gguf_name}",
        f'TEMPLATE """{template}"""',
        f'SYSTEM """{system_prompt}"""',
        *(f'PARAMETER stop "{token}"' for token in stop_tokens(tokenizer)),
    ]
    return "\n".join(lines) + "\n"


def _rendered(tokenizer, messages: list[dict], add_generation_prompt: bool = False) -> str:
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)


def turn_markers(tokenizer) -> dict[str, tuple[str, str]]:
    """What the template writes before and after the content of a system, user and assistant turn, and under
    "generation" the prompt that opens the answer (with ""), read off renderings of sentinel messages. Each
    turn is the rendering with it minus the rendering before it, as formats.render_conversation relies on."""
    from supportbot.errors import ConfigError

    system = [{"role": "system", "content": SYSTEM_SENTINEL}]
    before = _rendered(tokenizer, system)
    start, end = before.split(SYSTEM_SENTINEL)
    bos = tokenizer.bos_token  # as in ollama_template: Ollama adds BOS itself
    if bos and bos not in STOP_TOKENS[chat_family(tokenizer)] and start.startswith(bos):
        start = start[len(bos):]
    markers = {"system": (start, end)}
    for role in ("user", "assistant"):
        after = _rendered(tokenizer, system + [{"role": role, "content": PROMPT_SENTINEL}])
        if not after.startswith(before):
            raise ConfigError(f"The chat template writes the system turn differently once a {role} turn follows, "
                              "so no Ollama tool TEMPLATE can be read off it; export format=merged and serve the "
                              "tools through its tokenizer.")
        markers[role] = tuple(after[len(before):].split(PROMPT_SENTINEL))
    question = system + [{"role": "user", "content": PROMPT_SENTINEL}]
    markers["generation"] = (_rendered(tokenizer, question, True)[len(_rendered(tokenizer, question)):], "")
    return markers


def _go_text(text: str) -> str:
    """`text` as literal Go-template text: a `{{` in it (a tool description's `{{Order Number}}`) is printed."""
    return text.replace("{{", '{{ "{{" }}')


def supportbot_pieces() -> dict[str, str]:
    """The texts formats.as_plain_messages writes around the system prompt and its tools, a call and a result,
    read off it with sentinels so that the Modelfile cannot drift from training ("call": the call's JSON with
    Ollama's name and arguments in it)."""
    from supportbot.tools.formats import TOOLS_HEADER, as_plain_messages, call_message, result_message

    name, arguments, result = "SUPPORTBOT_NAME_SENTINEL", "SUPPORTBOT_ARGUMENTS_SENTINEL", RESPONSE_SENTINEL
    system, call, response = as_plain_messages([{"role": "system", "content": SYSTEM_SENTINEL},
                                                call_message(name, arguments), result_message(result)], [])
    after_system = system["content"][len(SYSTEM_SENTINEL):]  # joiner, header, (no tools), footer
    joiner, footer = after_system.split(TOOLS_HEADER)
    text = call["content"]
    body = slice(text.index("{"), text.rindex("}") + 1)
    return {
        "system_joiner": joiner, "tools_header": TOOLS_HEADER, "tools_footer": footer,
        "call_open": text[:body.start],
        # arguments that are not JSON stay a string, so json.dumps quoted their sentinel
        "call": text[body].replace(f'"{arguments}"', "{{ .Function.Arguments }}")
                          .replace(name, "{{ .Function.Name }}"),
        "call_close": text[body.stop:],
        "result_open": response["content"].split(result)[0], "result_close": response["content"].split(result)[1],
    }


def ollama_tool_template(tokenizer, tools: list[dict]) -> str:
    """The TEMPLATE of a supportbot-format tool run: chat, tools and calls as formats.as_plain_messages writes
    them (see the module docstring); without .Messages (a bare prompt), ollama_template's plain turn."""
    markers = turn_markers(tokenizer)
    system, user, assistant = markers["system"], markers["user"], markers["assistant"]
    pieces = supportbot_pieces()
    # Training's line of each of the run's tools, picked by name: Ollama would re-encode them in Go's JSON.
    tool_line = "".join(f'{{{{ {"else if" if index else "if"} eq .Function.Name "{tool["function"]["name"]}" }}}}'
                        + _go_text(json.dumps(tool, ensure_ascii=False)) for index, tool in enumerate(tools))
    tool_line += '{{ else }}{"type": "function", "function": {{ .Function }}}{{ end }}'
    # No `{{-` trimming anywhere: every newline here is one the model trained on, and a trim marker would eat the
    # newline ending the turn before it. `$calls` (not `.ToolCalls`) in the content's `if` keeps the calls' own
    # `{{ if .ToolCalls }}` the first one, and its first text the call tag Ollama parses by.
    return "".join([
        "{{ if .Messages }}",
        "{{ if or .System .Tools }}", system[0],
        "{{ if .System }}{{ .System }}{{ if .Tools }}", pieces["system_joiner"], "{{ end }}{{ end }}",
        "{{ if .Tools }}", _go_text(pieces["tools_header"]), "{{ range .Tools }}\n", tool_line, "{{ end }}",
        pieces["tools_footer"], "{{ end }}", system[1], "{{ end }}",
        "{{ range $i, $_ := .Messages }}{{ $last := eq (len (slice $.Messages $i)) 1 }}",
        '{{ if eq .Role "user" }}', user[0], "{{ .Content }}", user[1],
        '{{ else if eq .Role "assistant" }}', assistant[0],
        "{{ $calls := .ToolCalls }}{{ if .Content }}{{ .Content }}{{ if $calls }}\n{{ end }}{{ end }}",
        "{{ if .ToolCalls }}", pieces["call_open"], "{{ range $j, $call := .ToolCalls }}",
        "{{ if $j }}", pieces["call_close"], "\n", pieces["call_open"], "{{ end }}",  # calls one a line
        pieces["call"], "{{ end }}", pieces["call_close"], "{{ end }}",
        "{{ if not $last }}", assistant[1], "{{ end }}",  # Ollama continues a last assistant message
        '{{ else if eq .Role "tool" }}', user[0], pieces["result_open"], "{{ .Content }}", pieces["result_close"],
        user[1], "{{ end }}",
        '{{ if and (ne .Role "assistant") $last }}', markers["generation"][0], "{{ end }}",
        "{{ end }}",
        "{{ else }}", ollama_template(tokenizer), "{{ end }}",
    ])
