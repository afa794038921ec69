"""`train.neftune_noise_alpha`: NEFTune (Jain et al., 2023, "NEFTune: Noisy Embeddings Improve Instruction
Finetuning"), with each packed conversation noised at its own scale.

While training, every input embedding gets uniform noise in [-1, 1] scaled by alpha / sqrt(L * d), where d is the
hidden size and L the length of the sequence the token belongs to: the longer the sequence, the smaller each
token's noise, so that the noise's norm over the sequence stays about alpha / sqrt(3). The paper's code takes L
from the attention mask, one row per sequence. transformers' Trainer (`neftune_noise_alpha`, which TRL, axolotl
and Unsloth pass on) takes L as the row's padded width; with packing, a row of 512 holding five conversations of
~100 tokens gets noise sqrt(5) times too small for each of them (transformers#34659, open). Here L comes from the
row's position ids, which restart at every packed conversation (data/packing.py), or else from the attention mask,
and padding gets none. The padding that batches.py puts after a packed row's last conversation continues its
position ids, so it counts towards that conversation's L: at most one row's tail, slightly less noise for one
conversation.

Evaluation, sampling and generation run the embeddings in eval mode and get no noise.
"""

from __future__ import annotations

import logging

import torch
from torch import nn

log = logging.getLogger(__name__)


def sequence_lengths(shape: torch.Size, position_ids: torch.Tensor | None,
                     attention_mask: torch.Tensor | None) -> torch.Tensor:
    """Per token (rows x positions), the length of the sequence it belongs to; 0 for padding.

    With position ids, a sequence starts at every 0 (and at each row's first token); with an attention mask, a
    row is one sequence of its unmasked tokens; with neither, the row is one sequence."""
    rows, width = shape
    mask = attention_mask.bool() if attention_mask is not None else None
    if position_ids is not None:
        positions = position_ids.expand(rows, width) if position_ids.shape[0] == 1 else position_ids
        starts = positions == 0
        starts[:, 0] = True
        segment = starts.long().cumsum(dim=1)  # 1, 1, 1, 2, 2, ...: which sequence of its row a token is in
        counts = torch.zeros(rows, width + 1, dtype=torch.long, device=positions.device)
        counts.scatter_add_(1, segment, torch.ones_like(segment))
        lengths = counts.gather(1, segment)
    elif mask is not None:
        lengths = mask.sum(dim=1, keepdim=True).expand(rows, width)
    else:
        lengths = torch.full((rows, width), width, dtype=torch.long)
    if mask is not None:
        lengths = lengths.masked_fill(~mask, 0)
    return lengths


class NoisyEmbeddings:
    """The hooks: the model's forward pre-hook keeps the step's position ids and attention mask, the embedding
    layer's forward hook adds the noise. Nothing is held after the model's forward returns."""

    def __init__(self, alpha: float) -> None:
        self.alpha = alpha
        self.release()

    def keep_layout(self, _module, args, kwargs) -> None:  # model forward pre-hook, with_kwargs=True
        self.position_ids = kwargs.get("position_ids")
        mask = kwargs.get("attention_mask")
        # a 2-D padding mask tells the lengths; a 4-D one (a prepared attention pattern) does not: the row's width
        self.attention_mask = mask if mask is not None and mask.dim() == 2 else None

    def release(self, *_ignored) -> None:  # model forward hook
        self.position_ids: torch.Tensor | None = None
        self.attention_mask: torch.Tensor | None = None

    def add_noise(self, module: nn.Module, _args, output: torch.Tensor) -> torch.Tensor:  # embedding forward hook
        if not module.training or self.alpha == 0:
            return output
        lengths = sequence_lengths(output.shape[:2], self.position_ids, self.attention_mask).to(output.device)
        hidden = output.shape[-1]
        # alpha / sqrt(L * d) per token; padding (L = 0) gets none
        scale = self.alpha * (lengths > 0) / torch.sqrt(lengths.clamp(min=1).float() * hidden)
        noise = torch.empty_like(output).uniform_(-1, 1) * scale.unsqueeze(-1).to(output.dtype)
        return output + noise


def add_neftune_noise(model: nn.Module, alpha: float) -> NoisyEmbeddings | None:
    """Noise the input embeddings of `model` (a PeftModel or a transformers model) in training; None at alpha 0."""
    if not alpha:
        return None
    hooks = NoisyEmbeddings(alpha)
    model.register_forward_pre_hook(hooks.keep_layout, with_kwargs=True)
    model.register_forward_hook(hooks.release)
    model.get_input_embeddings().register_forward_hook(hooks.add_noise)
    log.info("train.neftune_noise_alpha=%g: NEFTune noise on the input embeddings while training, scaled by each "
             "packed conversation's own length", alpha)
    return hooks
