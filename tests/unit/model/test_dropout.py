"""lora.share_dropout on a tiny random Llama in fp32: the adapters that read one input get one mask, the others
keep their own, and the gradients with gradient checkpointing (whose recompute replays the masks) equal those
without it."""

from __future__ import annotations

import torch

from supportbot.model.dropout import SharedDropout, share_lora_dropout

ALL_PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def tiny_lora_llama(dropout: float = 0.5, checkpointing: bool = False, share: bool = True):
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=64, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64)
    model = LlamaForCausalLM(config)
    model.config.use_cache = False
    if checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    lora = LoraConfig(r=4, lora_alpha=4, lora_dropout=dropout, target_modules=ALL_PROJECTIONS, init_lora_weights=False)
    model = get_peft_model(model, lora)
    if share:
        share_lora_dropout(model)
    return model.train()


def adapter_inputs(model):
    """What each adapter's lora_A read in one forward pass, by module name."""
    seen = {}

    def record(name):
        def hook(module, args, output):  # returns None: the output stays as it is
            seen.setdefault(name, args[0])
        return hook

    for name, module in model.named_modules():
        if name.endswith(".lora_A.default"):
            module.register_forward_hook(record(name.split(".lora_A")[0]))
    return seen


def test_adapters_reading_one_input_share_a_mask_and_the_others_do_not():
    model = tiny_lora_llama()
    seen = adapter_inputs(model)
    model(torch.randint(0, 64, (2, 16)))
    block = "base_model.model.model.layers.0"
    q, k, v = (seen[f"{block}.self_attn.{p}"] for p in ("q_proj", "k_proj", "v_proj"))
    assert q is k is v  # the very same dropped tensor, kept once for backward
    assert seen[f"{block}.mlp.gate_proj"] is seen[f"{block}.mlp.up_proj"]
    assert seen[f"{block}.mlp.gate_proj"] is not q
    # The next block draws its own masks.
    assert seen["base_model.model.model.layers.1.self_attn.q_proj"] is not q
    # p=0.5 drops about half of each input (zeros are the mask).
    assert 0.3 < (q == 0).float().mean().item() < 0.7


def test_without_sharing_each_adapter_draws_its_own_mask():
    model = tiny_lora_llama(share=False)
    seen = adapter_inputs(model)
    model(torch.randint(0, 64, (2, 16)))
    block = "base_model.model.model.layers.0.self_attn"
    assert not torch.equal(seen[f"{block}.q_proj"] == 0, seen[f"{block}.k_proj"] == 0)


def test_four_dropouts_a_block_instead_of_seven(monkeypatch):
    model = tiny_lora_llama()
    calls = []
    real = torch.nn.functional.dropout
    monkeypatch.setattr(torch.nn.functional, "dropout", lambda *a, **k: calls.append(1) or real(*a, **k))
    model(torch.randint(0, 64, (2, 16)))
    assert len(calls) == 2 * 4  # 2 blocks: q/k/v, o, gate/up, down
    assert sum(isinstance(m, SharedDropout) for m in model.modules()) == 2 * 7


def test_gradients_with_checkpointing_equal_those_without():
    """The recompute must draw the masks the forward pass drew, in the same order: else the gradients belong to
    another function than the loss. Same seed, same data, checkpointing on and off."""
    ids = torch.randint(0, 64, (2, 16), generator=torch.Generator().manual_seed(1))
    grads = []
    for checkpointing in (False, True):
        model = tiny_lora_llama(checkpointing=checkpointing)
        torch.manual_seed(123)
        loss = model(ids, labels=ids).loss
        loss.backward()
        grads.append({n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad})
    assert grads[0].keys() == grads[1].keys() and grads[0]
    for name in grads[0]:
        torch.testing.assert_close(grads[1][name], grads[0][name], msg=name)


def test_evaluation_mode_and_no_dropout_leave_the_model_as_it_is():
    ids = torch.randint(0, 64, (2, 16))
    shared, plain = tiny_lora_llama(), tiny_lora_llama(share=False)
    with torch.no_grad():
        torch.testing.assert_close(shared.eval()(ids).logits, plain.eval()(ids).logits)
    assert share_lora_dropout(tiny_lora_llama(dropout=0.0, share=False)) == 0


def test_nothing_is_held_after_a_forward_pass():
    model = tiny_lora_llama()
    model(torch.randint(0, 64, (2, 16)))
    last = next(m for m in model.modules() if isinstance(m, SharedDropout))._last
    assert last.output is None and last.source is None


def test_the_builder_applies_the_setting():
    """build_model on the tiny 4-bit model (CPU): lora.share_dropout=true swaps PEFT's dropouts, the default not."""
    from pathlib import Path

    from helpers import compose_config
    from supportbot.distributed import Placement
    from supportbot.model.build import build_model, build_tokenizer

    counts = []
    for share in (True, False):
        cfg = compose_config("model=tiny", f"lora.share_dropout={str(share).lower()}")
        cache = Path(cfg.cache_dir).expanduser()
        model = build_model(cfg.model, cfg.lora, build_tokenizer(cfg.model, cache),
                            Placement("cpu", "fp32", world_size=1, rank=0, local_rank=0), cache,
                            attn_implementation="eager", gradient_checkpointing=True, seed=cfg.train.seed)
        counts.append(sum(isinstance(module, SharedDropout) for module in model.modules()))
    assert counts == [14, 0]
