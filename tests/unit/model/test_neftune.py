"""train.neftune_noise_alpha on a tiny random Llama in fp32: each packed conversation's tokens are noised at
alpha / sqrt(its own length x hidden), padding and evaluation get none, and nothing is held between steps."""

from __future__ import annotations

import math

import pytest
import torch

from supportbot.model.neftune import add_neftune_noise, sequence_lengths

HIDDEN = 32


def tiny_lora_llama():
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=64, hidden_size=HIDDEN, intermediate_size=48, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512)
    model = LlamaForCausalLM(config)
    model.config.use_cache = False
    return get_peft_model(model, LoraConfig(r=4, lora_alpha=4, target_modules=["q_proj", "v_proj"]))


def embedding_noise(model, ids, **kwargs) -> torch.Tensor:
    """What the hooks added to the embeddings in one forward pass of `model` (the first layer's input - clean)."""
    seen = {}

    def keep_input(module, args, kwargs):  # returns None: the input stays as it is
        seen["x"] = kwargs["hidden_states"] if "hidden_states" in kwargs else args[0]

    handle = model.get_base_model().model.layers[0].register_forward_pre_hook(keep_input, with_kwargs=True)
    model(input_ids=ids, **kwargs)
    handle.remove()
    return seen["x"] - torch.nn.functional.embedding(ids, model.get_input_embeddings().weight).detach()


def test_lengths_come_from_the_position_ids_of_each_packed_conversation():
    positions = torch.tensor([[0, 1, 2, 0, 1, 0, 1, 2, 3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]])
    assert sequence_lengths(positions.shape, positions, None).tolist() == [[3, 3, 3, 2, 2, 5, 5, 5, 5, 5], [10] * 10]
    # one row of position ids for the whole batch (broadcast, as transformers builds them)
    assert sequence_lengths(torch.Size([2, 4]), torch.tensor([[0, 1, 0, 1]]), None).tolist() == [[2, 2, 2, 2]] * 2


def test_lengths_come_from_the_attention_mask_without_position_ids_and_padding_gets_zero():
    mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    assert sequence_lengths(mask.shape, None, mask).tolist() == [[0, 0, 3, 3, 3], [5] * 5]
    assert sequence_lengths(torch.Size([1, 4]), None, None).tolist() == [[4, 4, 4, 4]]


def test_each_packed_conversation_gets_noise_at_its_own_scale():
    model = tiny_lora_llama()
    add_neftune_noise(model.train(), alpha=5.0)
    # One row of 400 tokens: a conversation of 16, then one of 384. The Trainer's NEFTune would scale both by
    # sqrt(400), 5x too little noise for the short one.
    positions = torch.cat([torch.arange(16), torch.arange(384)]).unsqueeze(0)
    ids = torch.randint(0, 64, (1, 400))
    noise = embedding_noise(model, ids, position_ids=positions)[0]
    for span, length in ((slice(0, 16), 16), (slice(16, 400), 384)):
        bound = 5.0 / math.sqrt(length * HIDDEN)
        assert noise[span].abs().max() <= bound * (1 + 1e-5)
        # uniform in [-bound, bound]: its standard deviation is bound / sqrt(3)
        assert noise[span].std().item() == pytest.approx(bound / math.sqrt(3), rel=0.15)


def test_padding_and_evaluation_get_no_noise_and_nothing_is_held():
    model = tiny_lora_llama()
    hooks = add_neftune_noise(model.train(), alpha=5.0)
    ids = torch.randint(0, 64, (2, 8))
    mask = torch.tensor([[0, 0, 0, 1, 1, 1, 1, 1], [1] * 8])
    noise = embedding_noise(model, ids, attention_mask=mask)
    assert noise[0, :3].abs().max() == 0 and noise[0, 3:].abs().min() > 0
    assert noise[1].abs().max() <= 5.0 / math.sqrt(8 * HIDDEN) * (1 + 1e-5)
    assert hooks.position_ids is None and hooks.attention_mask is None
    assert embedding_noise(model.eval(), ids, attention_mask=mask).abs().max() == 0
    # a 4-D attention pattern is no padding mask: every token is noised at the row's width
    hooks.keep_layout(model, (), {"attention_mask": torch.ones(2, 1, 8, 8)})
    assert hooks.attention_mask is None


def test_zero_is_off_and_a_negative_scale_is_refused():
    from helpers import compose_config
    from supportbot.config_errors import ConfigError

    model = tiny_lora_llama()
    assert add_neftune_noise(model, alpha=0.0) is None
    assert embedding_noise(model.train(), torch.randint(0, 64, (1, 8))).abs().max() == 0
    assert compose_config().train.neftune_noise_alpha == 0
    with pytest.raises(ConfigError, match="train.neftune_noise_alpha=-1.0 is not valid.*>= 0"):
        compose_config("train.neftune_noise_alpha=-1")


def test_the_gradient_flows_through_the_noised_embeddings():
    model = tiny_lora_llama()
    add_neftune_noise(model.train(), alpha=5.0)
    ids = torch.randint(0, 64, (2, 8))
    model(input_ids=ids, labels=ids).loss.backward()
    assert all(p.grad is not None for n, p in model.named_parameters() if "lora_" in n)
