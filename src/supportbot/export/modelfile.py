"""The Ollama Modelfile: the run's chat template, system prompt and stop tokens, for a GGUF of the merged model.

The TEMPLATE is derived from the tokenizer's own chat template rather than written by hand: a system and
a user message made of sentinel strings are rendered as training rendered them (add_generation_prompt),
and the sentinels become Ollama's `{{ .System }}` and `{{ .Prompt }}`. Whatever the family's template adds
(Llama 3.2's date lines in the system turn, for instance) is then in the Modelfile exactly as trained.
The family (ChatML or Llama 3 headers) is detected to choose the stop tokens and to refuse a template
this module does not know.
"""

from __future__ import annotations

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


def modelfile(tokenizer, system_prompt: str, gguf_name: str, others: tuple[str, ...] = ()) -> str:
    """An Ollama Modelfile for `gguf_name` (beside it) that chats as the run trained; `others` are the other
    GGUFs beside it, named in a comment so a user knows the FROM line is the only thing to change."""
    lines = [
        f"# Ollama Modelfile for {gguf_name}, written by supportbot's export beside it:",
        "#   ollama create support-bot -f Modelfile && ollama run support-bot",
        *([f"# Another precision: change FROM to one of {', '.join('./' + name for name in others)}"]
          if others else []),
        f"FROM ./{gguf_name}",
        f'TEMPLATE """{ollama_template(tokenizer)}"""',
        f'SYSTEM """{system_prompt}"""',
        *(f'PARAMETER stop "{token}"' for token in stop_tokens(tokenizer)),
    ]
    return "\n".join(lines) + "\n"
