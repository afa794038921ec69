"""train.offload_checkpoints: what gradient checkpointing keeps for backward waits in host memory, not on the GPU.

With (non-reentrant) checkpointing, what a training forward keeps until backward is little more than each decoder
layer's input: layers x rows x seq x hidden values, 1.4 GB in bf16 for Llama-3.2-3B at 8 rows of 1024 tokens (28 x
8192 x 3072 x 2 bytes), twice that where the residual stream runs in fp32 (train.upcast_frozen_weights). Everything
inside a layer is recomputed in backward. Those layer inputs are the tensors that reach an autograd
`saved_tensors_hooks` pair installed around the forward: torch.utils.checkpoint saves its inputs under the hooks
around it, and installs its own hooks inside the layer, which take precedence there. So one pair of hooks around
the model's forward moves exactly those inputs to pinned host memory and brings each back when backward
recomputes its layer. Unsloth ("unsloth" gradient checkpointing) and axolotl (activation_offloading) do the same.

- Weights are never moved: parameters, views of them (the head's transposed weight) and leaf tensors that need
  no gradient (autocast's 16-bit copy of an fp32 weight) stay where they are, as do tensors under `min_bytes`
  (masks, position ids: the copy would cost more than it frees). Activations are the tensors that autograd
  tracks; the one exception, a first layer input that needs no gradient, stays too (one layer's worth).
- The copy to the host runs on a side stream, so the next layer's forward overlaps it; the side stream waits for
  the layer that produced the tensor, and the tensor is recorded on that stream so its memory is not reused before
  the copy ends. The copy back runs on the compute stream, which first waits for the side stream.
- Exact: the same values come back (tests/unit/train/test_offload.py compares losses and gradients).
"""

from __future__ import annotations

import torch


def is_weight(tensor: torch.Tensor) -> bool:
    """A parameter, a view of one, or a tensor outside autograd's graph (a cast copy of a frozen weight)."""
    return (isinstance(tensor, torch.nn.Parameter) or isinstance(tensor._base, torch.nn.Parameter)
            or (tensor.is_leaf and not tensor.requires_grad))


class OffloadToHost(torch.autograd.graph.saved_tensors_hooks):
    """Saved-tensor hooks that keep large non-parameter tensors of `devices` in (pinned) host memory until
    backward. `devices`: the device types moved ("cuda" in training; the tests use "cpu" to run the same path).
    `offloaded_bytes` counts what was moved since the last `reset_count`."""

    def __init__(self, devices: tuple[str, ...] = ("cuda",), min_bytes: int = 1 << 20):
        self.devices = devices
        self.min_bytes = min_bytes
        self.offloaded_bytes = 0
        self._copy_stream = None
        super().__init__(self._pack, self._unpack)

    def reset_count(self) -> int:
        moved, self.offloaded_bytes = self.offloaded_bytes, 0
        return moved

    def _side_stream(self):
        if self._copy_stream is None:
            self._copy_stream = torch.cuda.Stream()
        return self._copy_stream

    def _pack(self, tensor: torch.Tensor):
        size = tensor.numel() * tensor.element_size()
        if tensor.device.type not in self.devices or size < self.min_bytes or is_weight(tensor):
            return tensor
        self.offloaded_bytes += size
        on_gpu = tensor.device.type == "cuda"
        host = torch.empty(tensor.size(), dtype=tensor.dtype, layout=tensor.layout, device="cpu", pin_memory=on_gpu)
        if on_gpu:
            stream = self._side_stream()
            stream.wait_stream(torch.cuda.current_stream(tensor.device))
            with torch.cuda.stream(stream):
                host.copy_(tensor, non_blocking=True)
            tensor.record_stream(stream)
        else:
            host.copy_(tensor)
        return tensor.device, host

    def _unpack(self, packed):
        if isinstance(packed, torch.Tensor):
            return packed
        device, host = packed
        if device.type == "cuda":
            torch.cuda.current_stream(device).wait_stream(self._side_stream())
            return host.to(device, non_blocking=True)
        return host.to(device)
