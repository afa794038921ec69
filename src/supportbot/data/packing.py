"""Padding-free packing: several conversations per row, each attending only to itself.

Bitext conversations are ~100-400 tokens, so a batch padded to its longest row is mostly padding
and a batch of two rows is too small to keep a GPU busy. Packing puts conversations end to end in
rows of up to `data.max_seq_length` tokens (best-fit decreasing: rows come out ~97-99% full) and
restarts `position_ids` at every conversation. Given position ids and no attention mask,
transformers builds a block-diagonal causal mask from the restarts (masking_utils'
find_packed_sequence_indices), so no token attends across conversations and RoPE positions are
the ones each conversation would have alone. Labels stay assistant-only; the first token of each
conversation is never a target, so no conversation is trained to predict the next one.
"""

from __future__ import annotations

import random
from typing import Sequence

import numpy as np
import torch

from supportbot.data.tokenize import IGNORE_INDEX


def pack_into_rows(lengths: Sequence[int], capacity: int, seed: int) -> list[list[int]]:
    """Group example indices into rows of at most `capacity` tokens (best-fit decreasing).

    Examples are shuffled with `seed` first so equal lengths do not always land together; the
    trainer's sampler shuffles the rows themselves every epoch.
    """
    order = list(range(len(lengths)))
    random.Random(seed).shuffle(order)
    order.sort(key=lambda index: -lengths[index])  # stable: ties keep the shuffled order
    rows: list[list[int]] = []
    # rows_with_room[r]: rows that have exactly r tokens free. Best fit = the smallest r >= length.
    rows_with_room: list[list[int]] = [[] for _ in range(capacity + 1)]
    for index in order:
        length = lengths[index]
        if length > capacity:
            raise ValueError(f"example {index} has {length} tokens, more than a packed row's {capacity}")
        room = next((r for r in range(length, capacity + 1) if rows_with_room[r]), None)
        if room is None:
            row = len(rows)
            rows.append([])
            room = capacity
        else:
            row = rows_with_room[room].pop()
        rows[row].append(index)
        rows_with_room[room - length].append(row)
    return rows


class PackedDataset(torch.utils.data.Dataset):
    """Rows of packed conversations over a tokenised split (a datasets.Dataset with input_ids, labels, length).

    The token columns are held as flat numpy arrays with offsets (Arrow's own layout): a row is a
    few slices, and 27K conversations cost ~50 MB rather than millions of Python ints.
    """

    def __init__(self, examples, capacity: int, seed: int):
        self.input_ids, self.offsets = _flat_column(examples, "input_ids")
        self.labels, _ = _flat_column(examples, "labels")
        self.rows = pack_into_rows(np.diff(self.offsets).tolist(), capacity, seed)
        self.capacity = capacity

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, row: int) -> dict[str, np.ndarray]:
        spans = [(self.offsets[index], self.offsets[index + 1]) for index in self.rows[row]]
        input_ids = np.concatenate([self.input_ids[start:end] for start, end in spans])
        labels = np.concatenate([self.labels[start:end] for start, end in spans])
        starts = np.cumsum([0] + [end - start for start, end in spans[:-1]])
        labels[starts] = IGNORE_INDEX  # the first token is never predicted from the previous conversation
        position_ids = np.concatenate([np.arange(end - start) for start, end in spans])
        return {"input_ids": input_ids, "labels": labels, "position_ids": position_ids}

    def fill_ratio(self) -> float:
        """Share of the rows' token slots that hold conversation tokens."""
        return float(self.offsets[-1] - self.offsets[0]) / max(1, len(self.rows) * self.capacity)


def _flat_column(examples, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, offsets) of a list column: row i is values[offsets[i]:offsets[i+1]]."""
    column = examples.data.column(name).combine_chunks()
    offsets = column.offsets.to_numpy()  # absolute into .values, which ignores any slice of the column
    values = column.values.to_numpy()[offsets[0]:offsets[-1]].astype(np.int64)
    return values, offsets - offsets[0]
