"""Conversations -> token ids through the model's own chat template, with assistant-only labels.

Labels: the prompt (system + user turns and the assistant header) and padding are -100; the
assistant's answer and its end-of-turn token are trained on. Templates without
`{% generation %}` markers (SmolLM2's has none) cannot report assistant tokens, so the answer is
located by character offsets in the rendered text, which works for any template that renders the
prompt as a prefix of the whole conversation (Llama 3, Qwen3, ChatML all do; we check).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from supportbot.errors import ModelSourceError

IGNORE_INDEX = -100


def chat_messages(system_prompt: str, instruction: str, response: str | None = None) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": system_prompt}, {"role": "user", "content": instruction}]
    if response is not None:
        messages.append({"role": "assistant", "content": response})
    return messages


@dataclass
class TokenStats:
    """What tokenisation did to one split (the plan wants truncation watched)."""

    rows: int = 0
    dropped_prompt_too_long: int = 0
    truncated_rows: int = 0
    response_tokens: int = 0
    response_tokens_lost: int = 0
    tokens: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def render(tokenizer, system_prompt: str, instruction: str, response: str) -> tuple[str, int, int]:
    """The conversation as text, and where the answer starts and ends in it."""
    messages = chat_messages(system_prompt, instruction, response)
    prompt = tokenizer.apply_chat_template(messages[:-1], tokenize=False, add_generation_prompt=True)
    full = tokenizer.apply_chat_template(messages, tokenize=False)
    if not full.startswith(prompt):
        raise ModelSourceError(
            f"The chat template of {tokenizer.name_or_path!r} does not render the prompt as a prefix of the "
            "whole conversation, so the answer's tokens cannot be located for assistant-only labels. "
            "Set model.chat_template to a template that does (e.g. ChatML)."
        )
    start = full.find(response, len(prompt))
    if start < 0:
        raise ModelSourceError(
            f"The chat template of {tokenizer.name_or_path!r} changes the answer's text while rendering it, "
            "so its tokens cannot be located. Set model.chat_template to a template that keeps content verbatim."
        )
    return full, start, start + len(response)


def tokenize_rows(rows: list[dict[str, str]], tokenizer, system_prompt: str, max_seq_length: int):
    """Token ids and labels for each row; rows whose prompt alone fills max_seq_length are left out.

    Returns (columns, kept_row_indices, stats).
    """
    from tqdm.auto import tqdm

    progress = tqdm(rows, desc="chat template", unit="row", disable=len(rows) < 2000)  # only where it takes a while
    rendered = [render(tokenizer, system_prompt, row["instruction"], row["response"]) for row in progress]
    encoded = tokenizer(
        [text for text, _, _ in rendered],
        add_special_tokens=False,  # the template already wrote BOS where the model wants one
        return_offsets_mapping=True,
        return_attention_mask=False,
    )
    columns: dict[str, list] = {"input_ids": [], "labels": [], "length": []}
    kept: list[int] = []
    stats = TokenStats(rows=len(rows))
    for index, ((_, start, end), ids, offsets) in enumerate(
        zip(rendered, encoded["input_ids"], encoded["offset_mapping"])
    ):
        ids = np.asarray(ids, dtype=np.int64)
        offsets = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
        in_answer = (offsets[:, 1] > start) & (offsets[:, 0] < end)
        answer_positions = np.flatnonzero(in_answer)
        if answer_positions.size == 0:
            raise ModelSourceError(f"Row {index}: no token of the answer was found after tokenising; "
                                   "the tokenizer's offsets do not match its chat template.")
        end_of_turn = answer_positions[-1] + 1
        if end_of_turn < len(ids):
            in_answer[end_of_turn] = True  # the end-of-turn token teaches the model to stop
        labels = np.where(in_answer, ids, IGNORE_INDEX)
        trained = int(in_answer.sum())
        stats.response_tokens += trained
        if len(ids) > max_seq_length:
            lost = int(in_answer[max_seq_length:].sum())
            if lost == trained:
                stats.dropped_prompt_too_long += 1
                continue
            stats.truncated_rows += 1
            stats.response_tokens_lost += lost
            ids, labels = ids[:max_seq_length], labels[:max_seq_length]
        columns["input_ids"].append(ids.tolist())
        columns["labels"].append(labels.tolist())
        columns["length"].append(len(ids))
        stats.tokens += len(ids)
        kept.append(index)
    return columns, kept, stats
