"""train.torch_compile on the tiny 4-bit LoRA model (CPU, inductor's C++ backend): the compiled layers train like
the eager ones (loss and gradients, dropout and gradient checkpointing on), one graph serves every layer, and
evaluation and generation run eager; what the launch needs is checked before loading."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import torch

from helpers import compose_config
from supportbot.distributed import Placement
from supportbot.errors import ConfigError
from supportbot.model.compile import (
    CompiledLayerForward,
    check_can_compile,
    compile_counts,
    compile_decoder_layers,
    decoder_layers,
    own_forward_of,
)

ROWS, SEQ = 2, 24


def tiny_model(dropout: float):
    from supportbot.model.build import build_model, build_tokenizer

    cfg = compose_config("model=tiny", f"lora.dropout={dropout}")
    cache = Path(cfg.cache_dir).expanduser()
    torch.manual_seed(0)
    model = build_model(cfg.model, cfg.lora, build_tokenizer(cfg.model, cache),
                        Placement("cpu", "fp32", world_size=1, rank=0, local_rank=0), cache,
                        attn_implementation="sdpa", gradient_checkpointing=True, seed=cfg.train.seed)
    return model.train()


def loss_and_gradients(model, seed: int):
    from supportbot.model.losses import install_target_only_loss

    ids = torch.randint(10, 1000, (ROWS, SEQ), generator=torch.Generator().manual_seed(1))
    loss_fn = install_target_only_loss(model, "chunked")
    model.zero_grad()
    torch.manual_seed(seed)  # the dropout masks
    loss = loss_fn(model(input_ids=ids), ids.clone())
    loss.backward()
    return loss.detach(), {name: p.grad.clone() for name, p in model.named_parameters() if p.requires_grad}


@pytest.fixture
def fresh_dynamo():
    import torch._dynamo
    import torch._inductor.config

    torch._dynamo.reset()
    torch._dynamo.utils.counters.clear()
    # Compiled dropout draws from torch's generator as eager does, so the two runs see the same masks.
    with torch._inductor.config.patch(fallback_random=True):
        yield
    torch._dynamo.reset()


def test_compiled_layers_train_like_eager_and_one_graph_serves_them_all(fresh_dynamo):
    model = tiny_model(dropout=0.2)
    eager_loss, eager_grads = loss_and_gradients(model, seed=3)

    assert compile_decoder_layers(model) == len(decoder_layers(model)) == 2
    # Trainer turns checkpointing on again at train(); the layers read it at every call
    model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    compiled_loss, compiled_grads = loss_and_gradients(model, seed=3)

    assert compile_counts() == {"graphs": 1, "graph_breaks": 0}  # both layers, one graph, nothing left to Python
    # The checkpoint's recompute replays the compiled forward's dropout masks: a different mask in backward than
    # in forward would give other gradients than eager.
    torch.testing.assert_close(compiled_loss, eager_loss)
    assert eager_grads.keys() == compiled_grads.keys()
    for name, grad in eager_grads.items():
        torch.testing.assert_close(compiled_grads[name], grad, rtol=1e-4, atol=1e-6, msg=name)
    assert any(grad.abs().sum() > 0 for grad in compiled_grads.values())

    # A second step reuses the graph.
    loss_and_gradients(model, seed=4)
    assert compile_counts()["graphs"] == 1


def test_inductors_own_random_numbers_replay_in_the_recompute():
    """Training's setting (inductor draws dropout masks from its own seeds, not torch's generator): the gradients
    with checkpointing, whose recompute must draw the forward's masks again, equal those without it."""
    import torch._dynamo

    runs = {}
    for checkpointing in (True, False):
        torch._dynamo.reset()
        model = tiny_model(dropout=0.3)
        if not checkpointing:
            model.gradient_checkpointing_disable()
        compile_decoder_layers(model)
        runs[checkpointing] = loss_and_gradients(model, seed=5)
    torch._dynamo.reset()
    torch.testing.assert_close(runs[True][0], runs[False][0])
    for name, grad in runs[False][1].items():
        torch.testing.assert_close(runs[True][1][name], grad, msg=name)


def test_evaluation_and_generation_run_eager(fresh_dynamo):
    model = tiny_model(dropout=0.0)
    compile_decoder_layers(model)
    model.eval()
    with torch.no_grad():
        logits = model(input_ids=torch.randint(10, 1000, (1, 7))).logits
        model.generate(input_ids=torch.randint(10, 1000, (1, 5)), max_new_tokens=3, do_sample=False)
    assert compile_counts()["graphs"] == 0  # no training step, no compilation
    model.train()
    with torch.no_grad():  # training mode without gradients (a sample answer mid-training) stays eager too
        assert model(input_ids=torch.randint(10, 1000, (1, 7))).logits.shape == logits.shape
    assert compile_counts()["graphs"] == 0


class _Layer(torch.nn.Module):
    """A stand-in decoder layer: doubles its input; counts checkpoint calls."""

    def __init__(self) -> None:
        super().__init__()
        self.gradient_checkpointing = True
        self.checkpoints = 0
        self._gradient_checkpointing_func = self._checkpoint

    def _checkpoint(self, function, *args):
        self.checkpoints += 1
        return function(*args)

    def forward(self, x, scale=1.0):
        return 2 * x * scale


def _wrapped(forward):
    """transformers 5.2x's shape: the class's forward replaced by a checkpointing wrapper of it."""
    @functools.wraps(forward)
    def forward_with_checkpointing(self, *args, **kwargs):
        return self._gradient_checkpointing_func(functools.partial(forward, self, **kwargs), *args)
    return forward_with_checkpointing


def test_checkpointing_is_applied_once_whichever_way_transformers_does_it():
    x = torch.ones(3, requires_grad=True)

    # Checkpointing in the class's forward (5.2x): bypassed, and applied from outside the compiled function.
    wrapped = type("Wrapped", (_Layer,), {"forward": _wrapped(_Layer.forward)})
    own, in_forward = own_forward_of(wrapped)
    assert own is _Layer.forward and in_forward
    layer = wrapped().train()
    layer.forward = CompiledLayerForward(layer, own, in_forward)
    assert torch.equal(layer(x, scale=3.0), 6 * x) and layer.checkpoints == 1

    # Checkpointing in __call__ (up to 5.1x) or none: the forward is called as it is, inside that checkpoint.
    own, in_forward = own_forward_of(_Layer)
    assert own is _Layer.forward and not in_forward
    layer = _Layer().train()
    layer.forward = CompiledLayerForward(layer, own, in_forward)
    assert torch.equal(layer(x), 2 * x) and layer.checkpoints == 0

    # Eval mode: the class's own forward, checkpointing wrapper and all (which passes through outside training).
    layer = wrapped().eval()
    layer.forward = CompiledLayerForward(layer, lambda *a, **k: pytest.fail("compiled in eval"), True)
    with torch.no_grad():
        assert torch.equal(layer(x), 2 * x)


def test_what_the_launch_needs_is_checked_before_loading(monkeypatch):
    with pytest.raises(ConfigError, match=r"train.torch_compile=true with fsdp.*train.torch_compile=false"):
        check_can_compile("cuda", shards_weights=True, strategy="fsdp")

    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(ConfigError, match=r"no C\+\+ compiler.*apt install g\+\+"):
        check_can_compile("cpu", shards_weights=False, strategy="ddp")

    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(ConfigError, match=r"triton is not installed.*pip install triton"):
        check_can_compile("cuda", shards_weights=False, strategy="ddp")


def test_a_model_without_decoder_layers_is_refused():
    with pytest.raises(ConfigError, match="no decoder layers"):
        compile_decoder_layers(torch.nn.Sequential(torch.nn.Linear(2, 2)))


def test_shared_dropout_is_refused_with_the_fix():
    with pytest.raises(ConfigError, match=r"train.torch_compile=True is not valid: lora.share_dropout.*"
                                          r"lora.share_dropout=false"):
        compose_config("train.torch_compile=true", "lora.share_dropout=true", "lora.dropout=0.05")
    assert compose_config("train.torch_compile=true", "lora.share_dropout=true", "lora.dropout=0").train.torch_compile
