"""Batches: what the Trainer iterates over (packed rows or single conversations) and the collator for it.

`training_batches` makes the choice from data.packing: rows of packed conversations with
`PackedBatch`, or one conversation per row with `PadBatch`. `PadBatch` pads rows of one
conversation each and says which tokens are real with an attention mask. `PackedBatch` pads packed
rows (supportbot.data.packing) and gives position ids instead of a mask, from which transformers
builds the per-conversation attention. Padding is never a target.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

import torch

from supportbot.config import DataConfig
from supportbot.data.packing import PackedDataset
from supportbot.data.tokenize import IGNORE_INDEX

log = logging.getLogger(__name__)


@dataclass
class TrainingBatches:
    train: Any  # a torch Dataset of rows: PackedDataset, or the tokenised split itself
    validation: Any
    collator: Callable[[list[dict]], dict[str, torch.Tensor]]


def training_batches(datasets, cfg: DataConfig, pad_token_id: int, device: str, seed: int) -> TrainingBatches:
    """The rows the Trainer batches and the collator that batches them, as data.packing/data.padding say."""
    pad_to_multiple_of = 8 if device == "cuda" else None  # tensor-core friendly shapes
    if cfg.packing:
        train = PackedDataset(datasets.train, cfg.max_seq_length, seed=seed)
        validation = PackedDataset(datasets.validation, cfg.max_seq_length, seed=seed)
        log.info("packing: %d train conversations in %d rows of up to %d tokens (%.1f%% full)", len(datasets.train),
                 len(train), cfg.max_seq_length, 100 * train.fill_ratio())
        return TrainingBatches(train, validation, PackedBatch(pad_token_id, pad_to_multiple_of))
    fixed_length = cfg.max_seq_length if cfg.padding == "max_length" else None
    return TrainingBatches(datasets.train, datasets.validation,
                           PadBatch(pad_token_id, pad_to_multiple_of, fixed_length))


def _pad_tokens(features: list[dict], pad_token_id: int, length: int) -> tuple[torch.Tensor, torch.Tensor]:
    """input_ids (padded with pad_token_id) and labels (padded with -100), right-padded to `length`."""
    input_ids = torch.full((len(features), length), pad_token_id, dtype=torch.long)
    labels = torch.full((len(features), length), IGNORE_INDEX, dtype=torch.long)
    for row, feature in enumerate(features):
        n = len(feature["input_ids"])
        input_ids[row, :n] = torch.as_tensor(feature["input_ids"])
        labels[row, :n] = torch.as_tensor(feature["labels"])
    return input_ids, labels


def _longest(features: list[dict], pad_to_multiple_of: int | None) -> int:
    longest = max(len(feature["input_ids"]) for feature in features)
    if pad_to_multiple_of:
        longest = -(-longest // pad_to_multiple_of) * pad_to_multiple_of
    return longest


class PadBatch:
    """Right-pad a batch (labels with -100) to its longest row, or to a fixed length.

    Padding to the longest row is what the default collators do and wastes least; a fixed length
    (data.padding=max_length) is what notebook recipes do, and shows worst-case memory.
    """

    def __init__(self, pad_token_id: int, pad_to_multiple_of: int | None = None, fixed_length: int | None = None):
        self.pad_token_id = pad_token_id
        self.pad_to_multiple_of = pad_to_multiple_of
        self.fixed_length = fixed_length

    def __call__(self, features: list[dict]) -> dict[str, torch.Tensor]:
        length = self.fixed_length or _longest(features, self.pad_to_multiple_of)
        input_ids, labels = _pad_tokens(features, self.pad_token_id, length)
        attention_mask = torch.zeros((len(features), length), dtype=torch.long)
        for row, feature in enumerate(features):
            attention_mask[row, :len(feature["input_ids"])] = 1
        return {"input_ids": input_ids, "labels": labels, "attention_mask": attention_mask}


class PackedBatch:
    """Stack packed rows into one batch without an attention mask.

    Rows are right-padded to the batch's longest; the padding continues the last conversation's
    positions (it is causal and comes last, so no real token sees it) and is never a target.
    """

    def __init__(self, pad_token_id: int, pad_to_multiple_of: int | None = None):
        self.pad_token_id = pad_token_id
        self.pad_to_multiple_of = pad_to_multiple_of

    def __call__(self, features: list[dict]) -> dict[str, torch.Tensor]:
        length = _longest(features, self.pad_to_multiple_of)
        input_ids, labels = _pad_tokens(features, self.pad_token_id, length)
        position_ids = torch.zeros((len(features), length), dtype=torch.long)
        for row, feature in enumerate(features):
            n = len(feature["input_ids"])
            positions = torch.as_tensor(feature["position_ids"])
            position_ids[row, :n] = positions
            position_ids[row, n:] = torch.arange(1, length - n + 1) + positions[-1]
        return {"input_ids": input_ids, "labels": labels, "position_ids": position_ids}


def conversations_in(batch: dict[str, torch.Tensor], as_tensor: bool = False) -> int | torch.Tensor:
    """How many conversations a batch holds, packed or not. as_tensor: a count on the batch's device,
    so that a caller counting every micro-batch does not make the host wait for the GPU each time."""
    if "position_ids" in batch:
        count = (batch["position_ids"] == 0).sum()
        return count if as_tensor else int(count)
    return int(batch["input_ids"].shape[0])
