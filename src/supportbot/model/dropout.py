"""`lora.share_dropout`: one dropout mask for the LoRA adapters that read the same input.

PEFT gives each adapter its own `nn.Dropout`, so in a Llama or Qwen block q, k and v each draw a mask over the same
normed hidden states and keep their own masked copy for the backward pass, and gate and up do the same over the MLP's
input: seven dropout kernels and seven saved copies a block, where two distinct inputs are shared by five of them.
Shared, a block runs four (q/k/v, o, gate/up, down). Each adapter still sees its input dropped at rate p, as before;
what changes is that the adapters reading one tensor see the same mask, as they would if the dropout sat on the
block's input rather than inside each adapter. PEFT, and with it TRL and axolotl, keeps the masks apart, so this is
an option, off by default, until the quality benchmark has measured what it does to the answers.

Correctness under gradient checkpointing: the recompute replays a block with the random state it started with, and
it must draw the same masks in the same order. It does: the first adapter of a group draws, the others reuse, in
both passes, because an adapter reuses the last mask only if it reads the very same tensor object (not a copy, not
modified in place since) within the same parent module. tests/unit/model/test_dropout.py checks the gradients with
and without checkpointing against each other.
"""

from __future__ import annotations

import logging
import weakref

import torch
from torch import nn

log = logging.getLogger(__name__)


class _LastMask:
    """The most recent dropout output: at most one tensor is held, and it is dropped after each forward pass."""

    def __init__(self) -> None:
        self.clear()

    def clear(self, *_ignored) -> None:  # also a forward hook: (module, args[, output])
        self.group: str | None = None
        self.source = None  # weak reference to the input the output was drawn for
        self.version = -1
        self.output: torch.Tensor | None = None


class SharedDropout(nn.Module):
    """Dropout that hands the previous adapter's output on when it reads the same input in the same group."""

    def __init__(self, p: float, group: str, last: _LastMask) -> None:
        super().__init__()
        self.p = p
        self.group = group
        self._last = last  # shared by every SharedDropout of the model (a plain attribute, not a submodule)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0:
            return x
        last = self._last
        if (last.group == self.group and last.source is not None and last.source() is x
                and last.version == x._version):
            return last.output
        output = nn.functional.dropout(x, self.p, training=True)
        last.group, last.source, last.version, last.output = self.group, weakref.ref(x), x._version, output
        return output

    def extra_repr(self) -> str:
        return f"p={self.p}, group={self.group}"


def share_lora_dropout(model: nn.Module) -> int:
    """Replace every LoRA layer's `nn.Dropout` with a SharedDropout grouped by the layer's parent module (a block's
    attention, its MLP). Returns how many were replaced; a model without dropout is left as it is."""
    last = _LastMask()
    replaced = 0
    for name, module in model.named_modules():
        dropouts = getattr(module, "lora_dropout", None)
        if not isinstance(dropouts, nn.ModuleDict):
            continue
        group = name.rsplit(".", 1)[0] if "." in name else ""
        for adapter, dropout in list(dropouts.items()):
            if isinstance(dropout, nn.Dropout) and dropout.p > 0:
                dropouts[adapter] = SharedDropout(dropout.p, group, last)
                replaced += 1
    if replaced:
        # Nothing outlives a forward pass: the last output is released when the model's forward returns (and, after
        # a backward pass's recompute, when the next one starts).
        model.register_forward_pre_hook(last.clear)
        model.register_forward_hook(last.clear)
        log.info("model: lora.share_dropout: %d adapters' dropout shared by the adapters that read the same input",
                 replaced)
    return replaced
