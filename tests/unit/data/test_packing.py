"""Packing: every conversation once within capacity, and the packed loss equal to the conversations' loss alone."""

from __future__ import annotations

import datasets
import numpy as np
import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

from supportbot.data.batches import PackedBatch, conversations_in
from supportbot.data.packing import PackedDataset, pack_into_rows
from supportbot.data.tokenize import IGNORE_INDEX
from supportbot.model.build import configure_for_training
from supportbot.model.losses import HiddenStatesHead, install_target_only_loss

VOCAB = 211


def conversations(count: int, seed: int = 0) -> datasets.Dataset:
    """Token ids with assistant-only labels: a prompt part (-100) then an answer part."""
    rng = np.random.default_rng(seed)
    rows = {"input_ids": [], "labels": [], "length": []}
    for _ in range(count):
        prompt, answer = int(rng.integers(3, 12)), int(rng.integers(2, 15))
        ids = rng.integers(0, VOCAB, prompt + answer).tolist()
        rows["input_ids"].append(ids)
        rows["labels"].append([IGNORE_INDEX] * prompt + ids[prompt:])
        rows["length"].append(len(ids))
    return datasets.Dataset.from_dict(rows)


def tiny_llama(attn_implementation: str) -> LlamaForCausalLM:
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=VOCAB, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
                         attn_implementation=attn_implementation)
    model = LlamaForCausalLM(config)
    configure_for_training(model)  # what build_model does
    return model.eval()


def per_conversation_loss(model, examples) -> torch.Tensor:
    """Token-weighted mean loss of the conversations run one at a time, unpadded."""
    total, targets = 0.0, 0
    for row in examples:
        ids, labels = torch.tensor([row["input_ids"]]), torch.tensor([row["labels"]])
        count = int((labels[:, 1:] != IGNORE_INDEX).sum())
        total = total + model(input_ids=ids, labels=labels).loss * count
        targets += count
    return total / targets


def test_rows_hold_every_conversation_once_within_capacity():
    lengths = np.random.default_rng(1).integers(60, 500, 3000).tolist()
    rows = pack_into_rows(lengths, 1024, seed=7)
    assert sorted(index for row in rows for index in row) == list(range(len(lengths)))
    assert max(sum(lengths[index] for index in row) for row in rows) <= 1024
    assert sum(lengths) / (len(rows) * 1024) > 0.97  # best-fit decreasing leaves little room unused
    assert rows == pack_into_rows(lengths, 1024, seed=7)
    with pytest.raises(ValueError, match="more than a packed row"):
        pack_into_rows([10, 2000], 1024, seed=0)


@pytest.mark.parametrize("attn_implementation", ["sdpa", "eager"])
def test_packed_loss_equals_token_weighted_loss_of_conversations_alone(attn_implementation):
    model = tiny_llama(attn_implementation)
    examples = conversations(9)
    packed = PackedDataset(examples, capacity=48, seed=3)
    assert 1 < len(packed) < 9  # several conversations share a row, more than one row
    batch = PackedBatch(pad_token_id=0, pad_to_multiple_of=8)([packed[row] for row in range(len(packed))])
    assert "attention_mask" not in batch and conversations_in(batch) == 9
    with torch.no_grad():
        expected = per_conversation_loss(model, examples)
        packed_loss = model(**batch).loss
        torch.testing.assert_close(packed_loss, expected, rtol=1e-5, atol=1e-6)

        # The same rows with positions that do not restart let conversations see each other: the
        # loss moves, which is what the restart prevents (and shows this test can fail).
        leaky = dict(batch, position_ids=torch.arange(batch["input_ids"].shape[1]).expand_as(batch["input_ids"]))
        assert abs(model(**leaky).loss - expected) > 1e-3
        model.config.use_cache = True  # with a KV cache transformers ignores the restarts, as the leak above
        assert abs(model(**batch).loss - expected) > 1e-3
        configure_for_training(model)

        # The target-only chunked loss on the model's hidden states gives the same number.
        loss = install_target_only_loss(model, "chunked")
        assert isinstance(model.get_output_embeddings(), HiddenStatesHead)
        outputs = model(**{key: value for key, value in batch.items() if key != "labels"})
        torch.testing.assert_close(loss(outputs, batch["labels"]), expected, rtol=1e-5, atol=1e-6)
