"""The model builder on the meta device: exact LoRA parameter counts, target modules checked before any load."""

from __future__ import annotations

import pytest

from helpers import compose_config
from supportbot.errors import ConfigError


@pytest.mark.parametrize("model,trainable,total", [
    ("llama3.2-3b", 24_313_856, 3_237_063_680),
    ("qwen3-4b", 33_030_144, 4_055_498_240),
])
def test_lora_r16_parameter_counts_on_the_meta_device(model, trainable, total):
    from supportbot.model.build import count_parameters

    cfg = compose_config(f"model={model}", "model.weights=random")
    assert count_parameters(cfg.model, cfg.lora) == (trainable, total)


def test_lora_rank_scales_the_adapter():
    from supportbot.model.build import count_parameters

    r16 = compose_config("model=tiny")
    r32 = compose_config("model=tiny", "lora.r=32")
    assert count_parameters(r32.model, r32.lora)[0] == 2 * count_parameters(r16.model, r16.lora)[0]


@pytest.mark.parametrize("model", ["tiny", "llama3.2-3b", "qwen3-4b"])
def test_unknown_target_modules_are_named_before_any_load(model):
    from supportbot.model.build import check_target_modules

    cfg = compose_config(f"model={model}", "lora.target_modules=[q_proj,qkv_proj]")
    with pytest.raises(ConfigError) as error:
        check_target_modules(cfg.model, cfg.lora)
    assert f"names ['qkv_proj'], which model={model} does not have" in str(error.value)
    assert "down_proj, gate_proj, k_proj, o_proj, q_proj, up_proj, v_proj" in str(error.value)
    check_target_modules(cfg.model, compose_config(f"model={model}").lora)  # the defaults pass


class LoadStopped(Exception):
    """Raised by the stand-in for from_pretrained once it has seen its arguments."""


def test_one_4bit_loader_gets_trust_remote_code_and_precision_from_training_and_evaluation(tmp_path, monkeypatch):
    import json
    from pathlib import Path

    import torch
    from transformers import AutoModelForCausalLM

    from supportbot.distributed import Placement
    from supportbot.evaluation import inference
    from supportbot.evaluation.runs import TrainedRun
    from supportbot.model.build import build_model, build_tokenizer
    from supportbot.model.sources import weights_source

    calls = []

    def from_pretrained(path, **kwargs):
        calls.append((path, kwargs))
        raise LoadStopped

    bf16 = Placement("cpu", "bf16", world_size=1, rank=0, local_rank=0)
    cfg = compose_config("model=tiny", "model.trust_remote_code=true", "hardware.attn_implementation=eager")
    cache = Path(cfg.cache_dir).expanduser()
    tokenizer = build_tokenizer(cfg.model, cache)
    base = weights_source(cfg.model, tokenizer, cache, cfg.train.seed, torch.bfloat16)  # made before loads stop
    monkeypatch.setattr(AutoModelForCausalLM, "from_pretrained", from_pretrained)

    with pytest.raises(LoadStopped):  # training
        build_model(cfg.model, cfg.lora, tokenizer, bf16, cache, attn_implementation="eager",
                    gradient_checkpointing=True, seed=cfg.train.seed)
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    (adapter / "adapter_config.json").write_text(json.dumps({"base_model_name_or_path": base}))
    monkeypatch.setattr(inference, "resolve_placement", lambda hardware: bf16)
    with pytest.raises(LoadStopped):  # evaluation
        inference.Evaluator(TrainedRun(folder=tmp_path, cfg=cfg, adapter=adapter, split=None, report={}))

    assert len(calls) == 2 and calls[0][0] == calls[1][0] == base
    for _, kwargs in calls:
        assert kwargs["trust_remote_code"] is True and kwargs["attn_implementation"] == "eager"
        assert kwargs["dtype"] == torch.bfloat16 and kwargs["device_map"] == {"": "cpu"}
        quantization = kwargs["quantization_config"]
        assert quantization.load_in_4bit and quantization.bnb_4bit_quant_type == "nf4"
        assert quantization.bnb_4bit_compute_dtype == torch.bfloat16


def test_dora_reaches_the_adapter_config():
    from supportbot.model.build import lora_config

    assert lora_config(compose_config("lora.use_dora=true").lora).use_dora is True
    assert lora_config(compose_config().lora).use_dora is False


def test_sharded_4bit_weights_keep_their_storage_layout_through_a_cpu_evaluation():
    # ZeRO-3 and FSDP hold the 4-bit weights in float storage inside their partitioned buffers; bitsandbytes'
    # CPU backend would repack them to uint8 on the first eval forward (on CPUs with AVX512-BF16), and the next
    # checkpoint then failed. After keep_4bit_storage_layout an evaluation leaves dtype and shape as loaded.
    import bitsandbytes as bnb
    import torch

    from supportbot.model.build import keep_4bit_storage_layout

    layer = bnb.nn.Linear4bit(64, 64, bias=False, compute_dtype=torch.float32, quant_storage=torch.float32,
                              quant_type="nf4")
    layer.weight = bnb.nn.Params4bit(torch.randn(64, 64), requires_grad=False, quant_type="nf4",
                                     quant_storage=torch.float32, module=layer)
    model = torch.nn.Sequential(layer.to("cpu"), torch.nn.Linear(64, 2))
    stored = (layer.weight.dtype, tuple(layer.weight.shape))
    inputs = torch.randn(3, 64)
    reference = model(inputs).detach()

    assert keep_4bit_storage_layout(model) == 1
    model.eval()
    with torch.no_grad():
        torch.testing.assert_close(model(inputs), reference)
    assert (layer.weight.dtype, tuple(layer.weight.shape)) == stored == (torch.float32, (512, 1))
    assert not getattr(layer.weight.quant_state, "packing_format_for_cpu", False)
    assert any(name.endswith("weight.quant_state.bitsandbytes__nf4") for name in model.state_dict())


def _four_bit_stack():
    """A float layer under a frozen 4-bit NF4 layer, as a LoRA'd decoder has below each projection."""
    import bitsandbytes as bnb
    import torch

    torch.manual_seed(0)
    quantized = bnb.nn.Linear4bit(64, 64, bias=False, compute_dtype=torch.float32, quant_type="nf4")
    quantized.weight = bnb.nn.Params4bit(torch.randn(64, 64), requires_grad=False, quant_type="nf4",
                                         module=quantized)
    return torch.nn.Sequential(torch.nn.Linear(64, 64), quantized.to("cpu"))


def _gradient_after_an_evaluation(model, inputs):
    import torch

    model.eval()
    with torch.no_grad():  # the Trainer's evaluation and the sample answers
        model(inputs)
    model.train()
    model(inputs).sum().backward()
    return model[0].weight.grad


def test_training_after_a_cpu_evaluation_gets_the_gradient_through_the_4bit_layers():
    # On CPUs with AVX512-BF16, bitsandbytes repacks a 4-bit weight on its first eval forward and then runs it
    # through gemv_4bit, which has no autograd kernel: the layer below got no gradient at all (None) once the
    # run had evaluated. build_model turns the repacking off on every CPU run (keep_4bit_storage_layout).
    import bitsandbytes as bnb
    import torch

    from supportbot.model.build import keep_4bit_storage_layout

    inputs = torch.randn(4, 64)
    reference = _four_bit_stack()
    reference(inputs).sum().backward()

    guarded = _four_bit_stack()
    assert keep_4bit_storage_layout(guarded) == 1
    torch.testing.assert_close(_gradient_after_an_evaluation(guarded, inputs), reference[0].weight.grad)

    if bnb.functional.has_avx512bf16():  # this CPU shows the failure the guard prevents
        unguarded = _four_bit_stack()
        with pytest.warns(UserWarning, match="gemv_4bit: an autograd kernel was not registered"):
            assert _gradient_after_an_evaluation(unguarded, inputs) is None


def test_cpu_training_models_keep_the_4bit_layout(tmp_path):
    from pathlib import Path

    import bitsandbytes as bnb

    from supportbot.distributed import Placement
    from supportbot.model.build import build_model, build_tokenizer

    cfg = compose_config("model=tiny")
    cache = Path(cfg.cache_dir).expanduser()
    tokenizer = build_tokenizer(cfg.model, cache)
    model = build_model(cfg.model, cfg.lora, tokenizer, Placement("cpu", "fp32", world_size=1, rank=0, local_rank=0),
                        cache, attn_implementation="eager", gradient_checkpointing=True, seed=cfg.train.seed)
    layers = [module for module in model.modules() if isinstance(module, bnb.nn.Linear4bit)]
    assert len(layers) == 14 and not any(layer.support_avx512bf16_for_cpu for layer in layers)
