"""Causal-LM loss without materialising the logits of the whole batch.

Llama-3.2's and Qwen3's vocabularies (128K, 152K) make the logits the largest activation: a
batch of 4 x 1024 tokens has 0.5 G logits, 2 GB in fp32 before its gradient. Here the model's
head is replaced by `HiddenStatesHead`, so the model returns its last hidden states, and the
loss applies the real head only to the positions that are targets (assistant tokens: about
half), either

- `chunked`: a chunk of positions at a time, its gradient taken in the forward pass (the fused
  linear cross-entropy of Liger and cut-cross-entropy, in plain torch), so at most one chunk's
  logits exist, once, and backward only scales what the forward kept; any device, any precision; or
- `liger`: Liger kernels' fused linear cross-entropy (CUDA + Triton), which never writes the
  logits to memory at all. In fp16 on T4-class GPUs; its bf16 path needs sm80+.

Both return the sum of token losses divided by the number of target tokens of the whole
accumulated batch (the Trainer's `num_items_in_batch`), the same token-weighted mean that
transformers' own loss gives, so switching implementation does not change the training signal.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Callable

import torch
import torch.nn.functional as F

from supportbot.data.tokenize import IGNORE_INDEX

log = logging.getLogger(__name__)

# Architectures whose head is a plain linear layer on the last hidden state (no logit soft-capping
# or scaling), so applying it outside the model gives the model's own logits.
PLAIN_HEAD_MODEL_TYPES = ("llama", "qwen2", "qwen3", "mistral")
# Logit elements one chunk may hold: its fp32 logits (turned into their gradient in place) and that gradient's copy
# in the head's dtype take 6 bytes each, so 2^27 elements is 0.75 GB: 1,024 positions of Llama-3.2's 128K vocabulary,
# 2,730 of SmolLM2's 49K. The chunk's matmuls stay large enough to run at full speed.
CHUNK_LOGITS = 2**27


class HiddenStatesHead(torch.nn.Module):
    """Stands in for the model's lm_head: returns the hidden states; the loss applies the real head."""

    def __init__(self, head: torch.nn.Linear):
        super().__init__()
        self.head = head

    @property
    def weight(self) -> torch.Tensor:
        return self.head.weight

    def forward(self, hidden_states: torch.Tensor) -> torch.Tensor:
        return hidden_states


class _ChunkedLinearCrossEntropy(torch.autograd.Function):
    """sum_i CE(hidden_i @ weight.T, target_i), one chunk of positions at a time, with the gradients of hidden (and
    of weight when it trains) computed in the forward pass.

    Why: with a 128K vocabulary, the logits and their gradient are the largest tensors of a step. Checkpointing
    each chunk (what this did until 2026-12-07) recomputed a chunk in backward with its 16-bit logits, fp32 logits,
    log-softmax and their gradients alive at once (~4 GB for 2,048 positions of Llama-3.2's vocabulary, whatever
    the batch) and ran the head's matmul three times. Here a chunk's fp32 logits become their own gradient in
    place (softmax - one-hot), and backward scales the kept gradients by the incoming scalar: two matmuls, and one
    chunk's logits plus a 16-bit copy alive at a time.
    """

    @staticmethod
    def forward(ctx, hidden, weight, targets, chunk_tokens: int, needs_grad: bool):
        total = torch.zeros((), dtype=torch.float32, device=hidden.device)
        grad_hidden = torch.empty_like(hidden) if needs_grad and ctx.needs_input_grad[0] else None
        grad_weight = (torch.zeros(weight.shape, dtype=torch.float32, device=weight.device)
                       if needs_grad and ctx.needs_input_grad[1] else None)
        for start in range(0, targets.numel(), chunk_tokens):
            end = start + chunk_tokens
            # The head in the weight's dtype, as the model's own head runs. The hidden states arrive in fp32
            # whatever the head's dtype: accelerate converts the model's outputs (here the hidden states) to fp32
            # under mixed precision, and with train.upcast_frozen_weights=false the tied head stays bf16/fp16.
            chunk = hidden[start:end].to(weight.dtype)
            logits = F.linear(chunk, weight).float()  # fp32 softmax: fp16 logits overflow in the log-sum-exp
            target = targets[start:end]
            target_logit = logits.gather(1, target[:, None]).squeeze(1)
            # The log-sum-exp by hand, in place: torch.logsumexp would allocate a second chunk-sized buffer.
            row_max = logits.amax(dim=-1, keepdim=True)
            logits.sub_(row_max).exp_()
            sum_exp = logits.sum(dim=-1, keepdim=True)
            total += (sum_exp.log().add_(row_max).squeeze(1) - target_logit).sum()
            if grad_hidden is None and grad_weight is None:
                continue
            # d(sum CE)/d logits = softmax - one-hot, written over the logits
            logits.div_(sum_exp)
            logits[torch.arange(target.numel(), device=target.device), target] -= 1
            grad_logits = logits.to(weight.dtype)
            del logits
            if grad_hidden is not None:
                grad_hidden[start:end] = grad_logits @ weight
            if grad_weight is not None:
                grad_weight += (grad_logits.t() @ chunk).float()
        ctx.save_for_backward(grad_hidden, grad_weight)
        ctx.weight_dtype = weight.dtype
        return total

    @staticmethod
    def backward(ctx, grad_total):
        grad_hidden, grad_weight = ctx.saved_tensors
        if grad_hidden is not None:
            grad_hidden = grad_hidden * grad_total.to(grad_hidden.dtype)
        if grad_weight is not None:
            grad_weight = (grad_weight * grad_total).to(ctx.weight_dtype)
        return grad_hidden, grad_weight, None, None, None


def chunk_positions(vocab_size: int) -> int:
    """Positions per chunk: CHUNK_LOGITS logits at most, and at least 128 positions for any vocabulary."""
    return max(128, CHUNK_LOGITS // vocab_size)


def chunked_loss_sum(hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor,
                     chunk_tokens: int | None = None) -> torch.Tensor:
    """The summed cross-entropy of `targets` under `hidden @ weight.T`, in fp32; chunk_tokens: positions per chunk
    (default: chunk_positions of the vocabulary)."""
    if chunk_tokens is None:
        chunk_tokens = chunk_positions(weight.shape[0])
    needs_grad = torch.is_grad_enabled() and (hidden.requires_grad or weight.requires_grad)
    return _ChunkedLinearCrossEntropy.apply(hidden, weight, targets, chunk_tokens, needs_grad)


def liger_loss_sum() -> Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]:
    from liger_kernel.transformers import LigerFusedLinearCrossEntropyLoss

    fused = LigerFusedLinearCrossEntropyLoss(reduction="sum")

    def loss_sum(hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return fused(weight, hidden.to(weight.dtype), targets)

    return loss_sum


class TargetOnlyLoss:
    """Trainer `compute_loss_func`: (outputs whose logits are hidden states, labels) -> mean token loss."""

    def __init__(self, head: torch.nn.Linear, implementation: str):
        self.head = head
        self.implementation = implementation
        self.loss_sum = liger_loss_sum() if implementation == "liger" else chunked_loss_sum

    def __call__(self, outputs, labels: torch.Tensor, num_items_in_batch=None) -> torch.Tensor:
        hidden = outputs["logits"]
        targets = labels[:, 1:].reshape(-1)
        hidden = hidden[:, :-1].reshape(-1, hidden.shape[-1])
        selected = targets != IGNORE_INDEX
        total = self.loss_sum(hidden[selected], self.head.weight, targets[selected])
        if num_items_in_batch is None:  # evaluation: the mean over this batch's targets
            num_items_in_batch = selected.sum()
        if torch.is_tensor(num_items_in_batch):
            num_items_in_batch = num_items_in_batch.to(total.device)
        return total / num_items_in_batch


def require_liger(setting: str, device: str, instead: str) -> None:
    """Refuse, before anything loads, a setting that needs Liger's kernels where they cannot run."""
    from supportbot.errors import ConfigError

    if device != "cuda":
        raise ConfigError(f"{setting} needs a CUDA GPU: Liger's Triton kernels have no CPU driver. "
                          f"Use `{instead}` here.")
    if not liger_installed():
        raise ConfigError(f"{setting} needs the liger-kernel package. Install it with "
                          f"`pip install -e '.[liger]'`, or use `{instead}`.")


def resolve_cross_entropy(requested: str, device: str, model_type: str, shards_weights: bool = False) -> str:
    """What `train.cross_entropy=auto` means here: Liger's fused kernel on CUDA where it is installed,
    else chunked; standard for architectures whose head is not a plain linear layer, and under ZeRO-3 /
    FSDP, whose head weight is a shard outside the head's own forward (chunked and Liger read it there)."""
    from supportbot.errors import ConfigError

    if shards_weights and requested in ("chunked", "liger"):
        raise ConfigError(f"train.cross_entropy={requested} reads the output head's weight outside the head, where "
                          "ZeRO-3 and FSDP hold only this rank's shard of it. Use `train.cross_entropy=auto` "
                          "(standard under these strategies).")
    if shards_weights:
        return "standard"
    if requested == "liger":
        require_liger("train.cross_entropy=liger", device, instead="train.cross_entropy=chunked")
    if requested == "standard":
        return "standard"
    if model_type not in PLAIN_HEAD_MODEL_TYPES:
        if requested != "auto":
            raise ConfigError(f"train.cross_entropy={requested} supports the architectures "
                              f"{', '.join(PLAIN_HEAD_MODEL_TYPES)}; this model is {model_type!r}. "
                              "Use `train.cross_entropy=standard`.")
        return "standard"
    if requested == "auto":
        return "liger" if device == "cuda" and liger_installed() else "chunked"
    return requested


def liger_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("liger_kernel") is not None


def _transformers_model(model):
    """The transformers model under a PEFT wrapper (or the model itself): the one that holds the head."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def install_target_only_loss(model, implementation: str) -> TargetOnlyLoss:
    """Swap the model's head for HiddenStatesHead; return the loss that applies the real head."""
    base = _transformers_model(model)
    head = base.get_output_embeddings()
    base.set_output_embeddings(HiddenStatesHead(head))
    log.info("loss: %s cross-entropy on target tokens only (no full-batch logits)", implementation)
    return TargetOnlyLoss(head, implementation)


@contextmanager
def real_head(model):
    """The model's own head in place for a while (generation during training needs logits, not hidden states)."""
    base = _transformers_model(model)
    installed = base.get_output_embeddings()
    if not isinstance(installed, HiddenStatesHead):
        yield model
        return
    base.set_output_embeddings(installed.head)
    try:
        yield model
    finally:
        base.set_output_embeddings(installed)


@contextmanager
def hidden_states_head(model):
    """HiddenStatesHead in place of the model's head for a while, where the head is a plain linear layer (the model
    then returns hidden states as its logits); yields the real head, or None where the model keeps its own."""
    base = _transformers_model(model)
    head = base.get_output_embeddings()
    if getattr(base.config, "model_type", None) not in PLAIN_HEAD_MODEL_TYPES or not isinstance(head, torch.nn.Linear):
        yield None
        return
    base.set_output_embeddings(HiddenStatesHead(head))
    try:
        yield head
    finally:
        base.set_output_embeddings(head)
