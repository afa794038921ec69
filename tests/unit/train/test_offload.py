"""train.offload_checkpoints and train.upcast_frozen_weights on the tiny 4-bit model (CPU): what gradient
checkpointing keeps for backward, in which dtype, and where; the same loss and gradients either way."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from helpers import compose_config
from supportbot.distributed import Placement
from supportbot.errors import ConfigError

ROWS, SEQ = 2, 24


def tiny_model(precision: str = "fp32", upcast_frozen_weights: bool = True):
    from supportbot.model.build import build_model, build_tokenizer

    cfg = compose_config("model=tiny", "lora.dropout=0")
    cache = Path(cfg.cache_dir).expanduser()
    torch.manual_seed(0)
    model = build_model(cfg.model, cfg.lora, build_tokenizer(cfg.model, cache),
                        Placement("cpu", precision, world_size=1, rank=0, local_rank=0), cache,
                        attn_implementation="eager", gradient_checkpointing=True, seed=cfg.train.seed,
                        upcast_frozen_weights=upcast_frozen_weights)
    model.train()
    return model, cfg.model.architecture


def batch():
    ids = torch.randint(10, 1000, (ROWS, SEQ), generator=torch.Generator().manual_seed(1))
    return {"input_ids": ids, "labels": ids.clone()}


def training_loss(model):
    """The loss as training computes it: the target-only chunked loss on the model's hidden states."""
    from supportbot.model.losses import install_target_only_loss

    loss = getattr(model, "_test_loss", None) or install_target_only_loss(model, "chunked")
    model._test_loss = loss
    inputs = batch()
    return loss(model(input_ids=inputs["input_ids"]), inputs["labels"])


def loss_and_gradients(model, context=None):
    model.zero_grad()
    if context is None:
        loss = training_loss(model)
    else:
        with context:
            loss = training_loss(model)
    loss.backward()
    return loss.detach(), {name: p.grad.clone() for name, p in model.named_parameters() if p.requires_grad}


class SavedOutsideLayers(torch.autograd.graph.saved_tensors_hooks):
    """Records what a forward keeps for backward outside the checkpointed layers (dtype, shape)."""

    def __init__(self):
        self.saved = []
        super().__init__(self._pack, lambda tensor: tensor)

    def _pack(self, tensor):
        if not isinstance(tensor, torch.nn.Parameter):
            self.saved.append((tensor.dtype, tuple(tensor.shape)))
        return tensor


def test_offloaded_checkpoints_give_the_same_loss_and_gradients_and_move_the_layer_inputs():
    from supportbot.train.offload import OffloadToHost

    model, architecture = tiny_model()
    reference_loss, reference_grads = loss_and_gradients(model)
    # The CPU stands in for the GPU: the same hooks, the copies into fresh host tensors.
    offload = OffloadToHost(devices=("cpu",), min_bytes=1024)
    loss, grads = loss_and_gradients(model, offload)

    torch.testing.assert_close(loss, reference_loss, rtol=0, atol=0)
    assert grads.keys() == reference_grads.keys() and len(grads) == 2 * 7 * 2  # A and B, 7 projections, 2 layers
    for name, gradient in grads.items():
        torch.testing.assert_close(gradient, reference_grads[name], rtol=0, atol=0, msg=name)
    # What moved: each decoder layer's input (fp32 here) and a few more hidden-sized tensors (the final norm's, the
    # loss's); never a weight: the tied embedding (12.6 MB here) is a checkpoint input of the loss.
    layer_input = ROWS * SEQ * architecture["hidden_size"] * 4
    moved = offload.reset_count()
    layers = architecture["num_hidden_layers"]
    assert layers * layer_input < moved < (layers + 4) * layer_input
    assert offload.offloaded_bytes == 0


def test_parameters_and_small_tensors_stay_where_they_are():
    from supportbot.train.offload import OffloadToHost

    offload = OffloadToHost(devices=("cpu",), min_bytes=1024)
    weight = torch.nn.Parameter(torch.randn(64, 64), requires_grad=False)
    assert offload._pack(weight) is weight and offload._pack(weight.t())._base is weight
    cast_copy = weight.to(torch.bfloat16)  # autocast's copy of a frozen weight
    assert offload._pack(cast_copy) is cast_copy
    small = torch.randn(8)
    assert offload._pack(small) is small
    large = torch.randn(64, 64, requires_grad=True) * 2  # an activation
    packed = offload._pack(large)
    assert packed[1] is not large and torch.equal(offload._unpack(packed), large)
    assert OffloadToHost()._pack(large) is large  # training moves CUDA tensors only


def test_offload_needs_gradient_checkpointing():
    with pytest.raises(ConfigError, match="train.offload_checkpoints=True is not valid.*gradient_checkpointing"):
        compose_config("train.offload_checkpoints=true", "train.gradient_checkpointing=false")
    assert compose_config("train.offload_checkpoints=true").train.offload_checkpoints


@pytest.mark.parametrize("upcast,kept", [(True, torch.float32), (False, torch.bfloat16)])
def test_without_the_upcast_the_frozen_weights_and_the_residual_stream_stay_in_the_compute_dtype(upcast, kept):
    # PEFT's k-bit preparation puts the embeddings and norms in fp32, so under bf16 autocast every decoder layer's
    # input (what checkpointing keeps) is fp32: twice the bytes. The adapter is fp32 either way.
    model, architecture = tiny_model("bf16", upcast_frozen_weights=upcast)
    embeddings = model.get_input_embeddings().weight
    norms = [p for name, p in model.named_parameters() if name.endswith("norm.weight")]
    adapter = [p for p in model.parameters() if p.requires_grad]
    assert embeddings.dtype == kept and {p.dtype for p in norms} == {kept}
    assert adapter and {p.dtype for p in adapter} == {torch.float32}

    recorder = SavedOutsideLayers()
    with torch.autocast("cpu", dtype=torch.bfloat16), recorder:
        loss = training_loss(model)
    loss.backward()
    hidden = (ROWS, SEQ, architecture["hidden_size"])
    layer_inputs = [dtype for dtype, shape in recorder.saved if shape == hidden]
    layers = architecture["num_hidden_layers"]
    assert layer_inputs[:layers] == [kept] * layers  # then the final norm's own fp32 statistics input
    assert all(p.grad is not None for p in adapter)


def test_the_trainer_offloads_during_training_forwards_only(monkeypatch):
    from transformers import Trainer

    from supportbot.train.offload import OffloadToHost
    from supportbot.train.trainer import SupportTrainer

    def stock_compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        x = torch.randn(64, 64, requires_grad=True)
        return x.sin().sum()  # keeps x (16 KB) for backward

    monkeypatch.setattr(Trainer, "compute_loss", stock_compute_loss)
    trainer = SupportTrainer.__new__(SupportTrainer)  # no Trainer set-up: compute_loss alone
    trainer.offload, trainer._offloaded_bytes = OffloadToHost(devices=("cpu",), min_bytes=1024), 0
    model = torch.nn.Linear(2, 2)

    SupportTrainer.compute_loss(trainer, model.train(), {}).backward()
    assert trainer._offloaded_bytes == 64 * 64 * 4
    trainer._offloaded_bytes = 0
    SupportTrainer.compute_loss(trainer, model.eval(), {}).backward()  # evaluation: nothing moves
    assert trainer._offloaded_bytes == 0 and trainer.offload.offloaded_bytes == 0
