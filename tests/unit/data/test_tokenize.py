"""Tokenisation: assistant-only labels, truncation counted, the fast template path equal to per-row rendering,
and data text never run as a template."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from helpers import compose_config
from supportbot.data.rows import load_rows
from supportbot.data.tokenize import IGNORE_INDEX, conversation_layout, render, tokenize_rows
from supportbot.errors import ModelSourceError
from supportbot.model.build import build_tokenizer


def data_config(*overrides: str):
    return compose_config("data=sample", *overrides).data


def test_labels_are_exactly_the_answer_and_its_end_of_turn(smollm2_tokenizer):
    tok = smollm2_tokenizer
    rows = [{"instruction": "Where is order 77120?", "response": "Order 77120 ships tomorrow.\n1. Track it online."}]
    columns, kept, stats = tokenize_rows(rows, tok, "You are a helpful customer support assistant.", 512)
    ids, labels = columns["input_ids"][0], columns["labels"][0]
    trained = [token for token, label in zip(ids, labels, strict=True) if label != IGNORE_INDEX]
    assert tok.decode(trained) == rows[0]["response"] + "<|im_end|>"
    first = labels.index(next(label for label in labels if label != IGNORE_INDEX))
    assert tok.decode(ids[:first]).endswith("<|im_start|>assistant\n")  # the whole prompt is masked
    assert kept == [0] and stats.truncated_rows == 0 and stats.response_tokens == len(trained)


def test_truncation_is_counted_and_prompt_only_rows_are_dropped(smollm2_tokenizer):
    long_answer = " ".join(["word"] * 400)
    rows = [{"instruction": "short", "response": long_answer}, {"instruction": "x " * 200, "response": "ok"}]
    columns, kept, stats = tokenize_rows(rows, smollm2_tokenizer, "system", 128)
    assert kept == [0] and len(columns["input_ids"][0]) == 128
    assert stats.truncated_rows == 1 and stats.dropped_prompt_too_long == 1
    assert 0 < stats.response_tokens_lost < stats.response_tokens


SYSTEM = "You are a helpful customer support assistant."


LOGGER = "supportbot.data.tokenize"


# ChatML as SmolLM2 writes it, with the message text expression left open for variants.
CHATML = ("{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ CONTENT }}<|im_end|>\n{% endfor %}"
          "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


# Llama 3.2's layout: today's date in the system turn, and every message text trimmed.
LLAMA_32_STYLE = (
    "{{- bos_token }}"
    "{%- if strftime_now is defined %}{%- set date_string = strftime_now('%d %b %Y') %}"
    "{%- else %}{%- set date_string = '26 Jul 2024' %}{%- endif %}"
    "{%- set system_message = messages[0]['content'] | trim %}"
    "{{- '<|start_header_id|>system<|end_header_id|>\\n\\nCutting Knowledge Date: December 2023\\n' }}"
    "{{- 'Today Date: ' + date_string + '\\n\\n' + system_message + '<|eot_id|>' }}"
    "{%- for message in messages[1:] %}"
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
    " + message['content'] | trim + '<|eot_id|>' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}"
)


def per_row_reference(rows, tokenizer, system_prompt: str, max_seq_length: int):
    """Tokenisation as it was: the template and the tokenizer once per row, labels row by row."""
    columns, kept = {"input_ids": [], "labels": [], "length": []}, []
    for index, row in enumerate(rows):
        text, start, end = render(tokenizer, system_prompt, row["instruction"], row["response"])
        encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        ids = encoded["input_ids"]
        in_answer = [token_end > start and token_start < end for token_start, token_end in encoded["offset_mapping"]]
        end_of_turn = max(position for position, trained in enumerate(in_answer) if trained) + 1
        if end_of_turn < len(ids):
            in_answer[end_of_turn] = True
        if not any(in_answer[:max_seq_length]):
            continue  # the prompt alone fills max_seq_length
        labels = [token if trained else IGNORE_INDEX for token, trained in zip(ids, in_answer, strict=True)]
        columns["input_ids"].append(ids[:max_seq_length])
        columns["labels"].append(labels[:max_seq_length])
        columns["length"].append(min(len(ids), max_seq_length))
        kept.append(index)
    return columns, kept


@pytest.fixture
def sample_rows(bitext_sample) -> list[dict[str, str]]:
    """600 real Bitext rows, every intent among them."""
    return load_rows(compose_config(f"data.path={bitext_sample}", "data.max_samples=600").data).kept


def model_tokenizer(model: str, chat_template: str | None = None):
    cfg = compose_config(f"model={model}")
    tokenizer = build_tokenizer(cfg.model, Path(cfg.cache_dir).expanduser())
    if chat_template is not None:
        tokenizer.chat_template = chat_template
    return tokenizer


def assert_same_as_per_row(rows, tokenizer, system_prompt: str, max_seq_length: int):
    columns, kept, stats = tokenize_rows(rows, tokenizer, system_prompt, max_seq_length)
    expected_columns, expected_kept = per_row_reference(rows, tokenizer, system_prompt, max_seq_length)
    assert kept == expected_kept
    assert columns == expected_columns
    assert stats.rows == len(rows) and stats.dropped_prompt_too_long == len(rows) - len(kept)
    assert stats.tokens == sum(columns["length"])
    return stats


def row_by_row_messages(caplog) -> list[str]:
    return [message for message in caplog.messages if "once per row" in message]


@pytest.mark.parametrize("model", ["smollm2-135m", "tiny"])
def test_fast_path_gives_the_per_row_ids_and_labels_on_real_rows(model, sample_rows, caplog):
    tokenizer = model_tokenizer(model)
    layout, why_not = conversation_layout(tokenizer, SYSTEM, sample_rows)
    assert layout is not None and not layout.trims, why_not
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert_same_as_per_row(sample_rows, tokenizer, SYSTEM, 512)
        # Short enough that rows are truncated, and with a long system prompt some prompts fill it all.
        stats = assert_same_as_per_row(sample_rows, tokenizer, SYSTEM + " Answer briefly and politely.", 44)
    assert stats.truncated_rows > 0 and stats.dropped_prompt_too_long > 0
    assert not row_by_row_messages(caplog)


def test_a_dated_trimming_template_keeps_the_fast_path_and_renders_padded_texts_row_by_row(sample_rows, caplog):
    tokenizer = model_tokenizer("tiny", LLAMA_32_STYLE)
    layout, why_not = conversation_layout(tokenizer, SYSTEM, sample_rows)
    assert layout is not None and layout.trims, why_not
    # Every 7th instruction (the first included, so the check of real rows sees one) with whitespace around it.
    padded = [{**row, "instruction": f"  {row['instruction']}\n"} if index % 7 == 0 else row
              for index, row in enumerate(sample_rows)]
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert_same_as_per_row(padded, tokenizer, SYSTEM, 512)
    assert not row_by_row_messages(caplog)


@pytest.mark.parametrize("content,reason", [
    # The stand-in texts come out changed.
    ("message['content'] | upper if message['role'] == 'user' else message['content']", "stand-in texts"),
    # The stand-ins come out unchanged, but real rows do not: only the spread of real rows shows it.
    ("message['content'] | replace('order', 'purchase') if message['role'] == 'user' else message['content']",
     "renders differently"),
])
def test_a_template_that_changes_the_text_is_rendered_row_by_row(content, reason, sample_rows, caplog):
    tokenizer = model_tokenizer("tiny", CHATML.replace("CONTENT", content))
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert_same_as_per_row(sample_rows, tokenizer, SYSTEM, 512)
    assert any(reason in message for message in row_by_row_messages(caplog)), caplog.messages


def test_a_template_whose_prompt_is_not_the_conversations_start_still_says_so(sample_rows):
    tokenizer = model_tokenizer("tiny", CHATML.replace("CONTENT", "message['content']").replace(
        "<|im_start|>assistant\n{% endif %}", "<|im_start|>bot\n{% endif %}"))
    with pytest.raises(ModelSourceError, match="does not render the prompt as a prefix"):
        tokenize_rows(sample_rows[:3], tokenizer, SYSTEM, 512)


def test_no_rows_give_empty_columns(smollm2_tokenizer):
    columns, kept, stats = tokenize_rows([], smollm2_tokenizer, SYSTEM, 512)
    assert columns == {"input_ids": [], "labels": [], "length": []} and kept == [] and stats.rows == 0


def test_text_from_the_data_is_never_run_as_a_template(smollm2_tokenizer):
    from supportbot.data.tokenize import render

    text, start, end = render(smollm2_tokenizer, "system", "{{ 7 * 7 }} {% for x in range(3) %}x{% endfor %}",
                              "{{ cycler.__init__.__globals__ }}")
    assert "{{ 7 * 7 }}" in text and "49" not in text and "xxx" not in text
    assert text[start:end] == "{{ cycler.__init__.__globals__ }}"


@pytest.mark.parametrize("template", [None, LLAMA_32_STYLE], ids=["chatml", "llama3.2-style"])
def test_every_assistant_turn_of_a_multi_turn_row_is_trained_and_nothing_else(smollm2_tokenizer, template):
    tokenizer = model_tokenizer("smollm2-135m", template)
    end_of_turn = "<|im_end|>" if template is None else "<|eot_id|>"
    if template is not None:  # SmolLM2's vocabulary has no Llama markers: make them single tokens
        tokenizer.add_special_tokens({"additional_special_tokens": ["<|start_header_id|>", "<|end_header_id|>",
                                                                    "<|eot_id|>"]})
    turns = [{"role": "user", "content": "I want to cancel an order"},
             {"role": "assistant", "content": "Sure. What is the order number?"},
             {"role": "user", "content": "It's 48213021"},
             {"role": "assistant", "content": "Order 48213021 is cancelled."}]
    single = {"instruction": "Where is order 77120?", "response": "It ships tomorrow."}
    rows = [single, {"instruction": turns[0]["content"], "response": turns[-1]["content"], "turns": turns}]
    columns, kept, _ = tokenize_rows(rows, tokenizer, SYSTEM, 512)
    assert kept == [0, 1]
    ids, labels = columns["input_ids"][1], columns["labels"][1]
    trained = [token for token, label in zip(ids, labels, strict=True) if label != IGNORE_INDEX]
    assert tokenizer.decode(trained) == ("Sure. What is the order number?" + end_of_turn
                                         + "Order 48213021 is cancelled." + end_of_turn)
    # The single-turn row beside it is labelled as before: its answer and end of turn only.
    single_trained = [t for t, label in zip(columns["input_ids"][0], columns["labels"][0], strict=True)
                      if label != IGNORE_INDEX]
    assert tokenizer.decode(single_trained) == "It ships tomorrow." + end_of_turn
