"""The Modelfile's TEMPLATE, rendered as Ollama renders it, is the chat template the run trained with."""

from __future__ import annotations

import copy
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
