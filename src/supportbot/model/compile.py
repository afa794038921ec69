"""`train.torch_compile`: the decoder layer's forward compiled by torch.compile, once for every layer of the model.

Why the layers and not the whole model (regional compilation, as torchtitan and accelerate's `compile_regions` do):
the 28-36 decoder layers run the same code on the same shapes, and with their weights as inputs of the graph
(dynamo's inlined nn.Modules) one compiled graph serves them all, so compiling costs one layer's time, not the
model's. What a layer's graph takes in: PEFT's Python around each of the 7 LoRA layers, and the elementwise work
around them (RMSNorm, RoPE, SiLU x up, the adapters' dropout, scaling and adds, the residual adds), fused into
fewer kernels; bitsandbytes' 4-bit ops are opaque calls inside it. The GPU profile of 2026-11-28 found a 3B step
partly host-bound (CPU time above GPU time at 8 rows), which is what fewer Python calls and launches address.
The embeddings, the head and the (chunked) loss stay eager.

Gradient checkpointing stays outside the compiled region. transformers checkpoints the layer either in its
`__call__` (up to 5.1x) or by wrapping the class's `forward` (5.2x); dynamo cannot trace that checkpoint around
code with side effects (transformers' hub-kernel wrappers set a context variable: "HOP: Unsafe side effect"), so
the compiled function is the layer's own forward, below the checkpoint. Where the class wraps `forward`, the
wrapper is bypassed and the same checkpoint function (`_gradient_checkpointing_func`, as configured) is applied
from outside. The recompute in backward runs the compiled forward again with the RNG state restored, so dropout
masks replay (tests/unit/model/test_compile.py compares gradients with the eager model's, dropout on).

Only training runs compiled: in eval mode or without gradients (the Trainer's evaluation, the TensorBoard
samples, generation with a growing KV cache) the layer runs eager, so no new shape ever triggers a recompile.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import shutil

import torch
from torch import nn

from supportbot.errors import ConfigError

log = logging.getLogger(__name__)

# The shape's name in transformers >= 5.2x: GradientCheckpointingLayer replaces each subclass's forward by this.
_CHECKPOINTING_WRAPPER = "forward_with_checkpointing"


def check_can_compile(device: str, shards_weights: bool, strategy: str) -> None:
    """Before loading anything: what train.torch_compile needs on this launch, or a ConfigError that says how."""
    if shards_weights:
        raise ConfigError(
            f"train.torch_compile=true with {strategy}: the compiled layers are not set up for weights that "
            f"{strategy} gathers and frees around every layer. Fix: train.torch_compile=false with {strategy}, "
            "or a DDP / ZeRO-2 launch (hardware=2xT4 or hardware=2xT4-zero2) to compile")
    if device == "cpu":
        compiler = os.environ.get("CXX") or "g++"  # what inductor runs: $CXX, else g++
        if shutil.which(compiler) is None:
            raise ConfigError(
                f"train.torch_compile=true on CPU: torch.compile builds C++ kernels and no C++ compiler was found "
                f"({compiler}). Fix: install one (apt install g++) or set CXX, or train.torch_compile=false")
    elif importlib.util.find_spec("triton") is None:
        raise ConfigError(
            "train.torch_compile=true on a GPU: torch.compile builds Triton kernels and triton is not installed. "
            "Fix: pip install triton (it comes with torch's CUDA wheels), or train.torch_compile=false")


def decoder_layers(model: nn.Module) -> list[nn.Module]:
    """The model's repeated blocks: the modules of its `layers` list (Llama, Qwen, SmolLM2 and their kin)."""
    for name, module in model.named_modules():
        if name.endswith(".layers") and isinstance(module, nn.ModuleList) and len(module):
            return list(module)
    return []


def own_forward_of(cls: type) -> tuple[object, bool]:
    """The layer class's own forward, and whether transformers wrapped it with checkpointing (5.2x)."""
    forward = cls.forward
    code = getattr(forward, "__code__", None)
    if code is not None and code.co_name == _CHECKPOINTING_WRAPPER:
        return forward.__wrapped__, True
    return forward, False


class CompiledLayerForward:
    """A layer's `forward` (an instance attribute, so other models and layers are untouched): compiled in training,
    eager otherwise, checkpointed from outside where transformers would have checkpointed inside."""

    def __init__(self, layer: nn.Module, compiled, checkpoints_in_forward: bool) -> None:
        self.layer = layer
        self.compiled = compiled  # torch.compile of the class's own forward, taking the layer as its first argument
        self.checkpoints_in_forward = checkpoints_in_forward

    def __call__(self, *args, **kwargs):
        layer = self.layer
        if not (layer.training and torch.is_grad_enabled()):
            return type(layer).forward(layer, *args, **kwargs)  # as shipped, checkpointing wrapper included
        if self.checkpoints_in_forward and getattr(layer, "gradient_checkpointing", False):
            # what transformers' wrapper does, with the compiled forward inside the (eager) checkpoint
            return layer._gradient_checkpointing_func(functools.partial(self.compiled, layer, **kwargs), *args)
        # no checkpointing, or transformers' __call__ already checkpoints around this call
        return self.compiled(layer, *args, **kwargs)


def compile_decoder_layers(model: nn.Module) -> int:
    """Compile the decoder layers' forward for training (one compiled function per layer class); returns how many
    layers run it. The compilation itself happens at the first training step."""
    layers = decoder_layers(model)
    if not layers:
        raise ConfigError(f"train.torch_compile=true: no decoder layers (a `layers` list) found in "
                          f"{type(model).__name__}. Fix: train.torch_compile=false for this model")
    if any(getattr(config, "use_dora", False) for config in getattr(model, "peft_config", {}).values()):
        # measured on CPU: 22 graph breaks for 2 layers (PEFT's DoRA reads the 4-bit weight's tensor subclass)
        log.warning("train.torch_compile with lora.use_dora: DoRA's weight norm of a 4-bit layer cannot be traced, "
                    "so each layer is cut into pieces that run between compiled graphs (metrics.json torch_compile "
                    "counts the breaks); it still trains the same")
    compiled_by_class: dict[type, tuple] = {}
    for layer in layers:
        cls = type(layer)
        if cls not in compiled_by_class:
            own_forward, checkpoints_in_forward = own_forward_of(cls)
            compiled_by_class[cls] = (torch.compile(own_forward), checkpoints_in_forward)
        layer.forward = CompiledLayerForward(layer, *compiled_by_class[cls])
    log.info("model: train.torch_compile: %d decoder layers (%s) share one compiled forward; the first training "
             "step compiles it", len(layers), ", ".join(sorted(cls.__name__ for cls in compiled_by_class)))
    return len(layers)


def compile_counts() -> dict[str, int]:
    """What dynamo compiled in this process: graphs, and graph breaks (each one a piece left to eager Python)."""
    from torch._dynamo.utils import counters

    return {"graphs": int(counters["stats"].get("unique_graphs", 0)),
            "graph_breaks": int(sum(counters["graph_break"].values()))}
