"""evaluate.py's held-out loss: on a plain-head architecture the head is applied to the labelled positions only,
and the loss equals the one from the model's full logits."""

from __future__ import annotations

import pytest
import torch

from supportbot.evaluation.inference import answer_loss

COLUMNS = {"input_ids": [[1, 2, 3, 4, 5, 6], [7, 8, 9], [10, 11, 12, 13]],
           "labels": [[-100, -100, 3, 4, 5, 6], [-100, 8, 9], [-100, -100, -100, 13]]}


def tiny_llama():
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    return LlamaForCausalLM(LlamaConfig(vocab_size=64, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                                        num_attention_heads=4, num_key_value_heads=2)).eval()


def full_logits_loss(model) -> float:
    total, count = 0.0, 0
    for ids, labels in zip(COLUMNS["input_ids"], COLUMNS["labels"], strict=True):
        logits = model(input_ids=torch.tensor([ids])).logits[0, :-1]
        targets = torch.tensor(labels[1:])
        total += float(torch.nn.functional.cross_entropy(logits, targets, ignore_index=-100, reduction="sum"))
        count += int((targets != -100).sum())
    return total / count


@pytest.mark.parametrize("batch_size", [1, 2, 3])
def test_the_loss_on_labelled_positions_equals_the_full_logits_one(batch_size):
    model = tiny_llama()
    expected = full_logits_loss(model)
    head = model.get_output_embeddings()
    full_vocabulary = []
    head.register_forward_hook(lambda module, args, output: full_vocabulary.append(output.shape))
    loss, count = answer_loss(model, COLUMNS, pad_token_id=0, batch_size=batch_size, device="cpu")
    assert count == 4 + 2 + 1
    assert loss == pytest.approx(expected, rel=1e-5)
    assert not full_vocabulary, "the model's head ran on every position"
    assert model.get_output_embeddings() is head  # put back


def test_another_head_takes_the_model_logits(monkeypatch):
    model = tiny_llama()
    monkeypatch.setattr(model.config, "model_type", "gemma2")  # soft-capped logits: the model's own head only
    expected = full_logits_loss(model)
    loss, _ = answer_loss(model, COLUMNS, pad_token_id=0, batch_size=2, device="cpu")
    assert loss == pytest.approx(expected, rel=1e-5)
