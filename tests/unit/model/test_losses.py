"""Target-only cross-entropy: equal to full-logit CE in value and gradient, divided by the accumulated target count."""

from __future__ import annotations

import torch

from supportbot.data.tokenize import IGNORE_INDEX
from supportbot.model.losses import TargetOnlyLoss, chunked_loss_sum

VOCAB = 211


def test_chunked_loss_matches_full_logits_in_value_and_gradient():
    torch.manual_seed(0)
    hidden = torch.randn(37, 16, requires_grad=True)
    weight = torch.randn(VOCAB, 16)
    targets = torch.randint(0, VOCAB, (37,))
    full = torch.nn.functional.cross_entropy(hidden @ weight.T, targets, reduction="sum")
    (full_grad,) = torch.autograd.grad(full, hidden)
    chunked = chunked_loss_sum(hidden, weight, targets, chunk_tokens=8)  # 5 chunks, the last partial
    (chunked_grad,) = torch.autograd.grad(chunked, hidden)
    torch.testing.assert_close(chunked, full)
    torch.testing.assert_close(chunked_grad, full_grad)


def test_chunked_loss_takes_fp32_hidden_states_with_a_16_bit_head():
    """Under mixed precision accelerate hands the loss fp32 hidden states; with train.upcast_frozen_weights=false
    the tied head is bf16 (measured on an H100: `expected mat1 and mat2 to have the same dtype`)."""
    torch.manual_seed(0)
    hidden = torch.randn(12, 16, requires_grad=True)
    weight = torch.randn(VOCAB, 16).to(torch.bfloat16)
    targets = torch.randint(0, VOCAB, (12,))
    loss = chunked_loss_sum(hidden, weight, targets, chunk_tokens=8)
    (grad,) = torch.autograd.grad(loss, hidden)
    expected = torch.nn.functional.cross_entropy((hidden.to(torch.bfloat16) @ weight.T).float(), targets,
                                                 reduction="sum")
    (expected_grad,) = torch.autograd.grad(expected, hidden)
    assert loss.dtype == torch.float32 and grad.dtype == torch.float32
    torch.testing.assert_close(loss, expected)
    torch.testing.assert_close(grad, expected_grad, rtol=2e-2, atol=2e-2)  # bf16 matmuls on both sides


def test_target_only_loss_divides_by_the_accumulated_target_count():
    torch.manual_seed(0)
    head = torch.nn.Linear(8, VOCAB, bias=False)
    hidden = torch.randn(2, 6, 8)
    labels = torch.full((2, 6), IGNORE_INDEX)
    labels[0, 3:], labels[1, 5] = torch.randint(0, VOCAB, (3,)), 4
    loss = TargetOnlyLoss(head, "chunked")
    per_batch = loss({"logits": hidden}, labels)  # evaluation: the mean over this batch's 4 targets
    accumulated = loss({"logits": hidden}, labels, num_items_in_batch=torch.tensor(16))  # 4 of 16 targets
    torch.testing.assert_close(accumulated, per_batch * 4 / 16)


def test_chunked_loss_gives_the_head_weight_its_gradient_when_it_trains():
    """An adapter that trains the head (lm_head in modules_to_save) needs d loss / d weight, scaled like hidden's."""
    torch.manual_seed(0)
    hidden = torch.randn(21, 16, requires_grad=True)
    weight = torch.randn(VOCAB, 16, requires_grad=True)
    targets = torch.randint(0, VOCAB, (21,))
    full = 0.25 * torch.nn.functional.cross_entropy(hidden @ weight.T, targets, reduction="sum")
    expected = torch.autograd.grad(full, (hidden, weight))
    chunked = 0.25 * chunked_loss_sum(hidden, weight, targets, chunk_tokens=4)
    got = torch.autograd.grad(chunked, (hidden, weight))
    torch.testing.assert_close(chunked, full)
    for got_grad, expected_grad in zip(got, expected, strict=True):
        torch.testing.assert_close(got_grad, expected_grad)


def test_chunked_loss_keeps_no_gradient_without_grad_mode():
    """Evaluation: the value alone; nothing computed or kept for a backward that never comes."""
    torch.manual_seed(0)
    hidden = torch.randn(9, 16, requires_grad=True)
    weight = torch.randn(VOCAB, 16)
    targets = torch.randint(0, VOCAB, (9,))
    with torch.no_grad():
        loss = chunked_loss_sum(hidden, weight, targets)
    assert loss.grad_fn is None
    expected = torch.nn.functional.cross_entropy(hidden.detach() @ weight.T, targets, reduction="sum")
    torch.testing.assert_close(loss, expected)


def test_chunk_size_follows_the_vocabulary():
    """One chunk's logits are bounded in elements, so a 128K vocabulary takes fewer positions per chunk."""
    from supportbot.model.losses import CHUNK_LOGITS, chunk_positions

    assert chunk_positions(128_256) == 1046 and chunk_positions(49_152) == 2730
    assert chunk_positions(128_256) * 128_256 <= CHUNK_LOGITS
    assert chunk_positions(10**9) == 128
