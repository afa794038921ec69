"""Tokenizer and 4-bit LoRA model builders.

`load_quantized` is the one 4-bit loader: training (`build_model`), evaluation and export all load
the base through it, so trust_remote_code, the precision and the device map are the same wherever a
model is loaded. The model: NF4 weights with double quantisation (bitsandbytes), compute in the
hardware's dtype, each rank's copy on its own device, k-bit preparation (fp32 norms and adapter,
input grads for checkpointing), then a peft LoRA adapter on the configured projections. On CPU the
same path runs through bitsandbytes' CPU backend with fp32 compute, which is what the tests exercise.

Under ZeRO-3 and FSDP (`placement.shards_weights`, read from the launch by supportbot.distributed) the
weights are split across ranks, which changes three things: the 4-bit weights are packed into a float
dtype (`bnb_4bit_quant_storage`) so they can be sharded with the rest; no device map (the strategy
places the shards); and no k-bit preparation, whose fp32 casts would leave one wrapped layer with
several dtypes -- checkpointing is reentrant there, with input grads enabled (the launch files' headers).
"""

from __future__ import annotations

import logging
from pathlib import Path

import torch

from supportbot.compat import apply_liger_kernels_to_instance
from supportbot.config import GgufSource, LoraSettings, ModelConfig
from supportbot.distributed import Placement
from supportbot.model.sources import converted_gguf, hub_error, tokenizer_source, weights_source

log = logging.getLogger(__name__)


def build_tokenizer(cfg: ModelConfig, cache_dir: Path):
    """The model's own tokenizer, with its end-of-turn token as eos so generation stops."""
    from transformers import AutoTokenizer

    source = tokenizer_source(cfg, cache_dir)
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, trust_remote_code=cfg.trust_remote_code,
                                                  local_files_only=cfg.weights == "random")
    except Exception as exc:
        if cfg.weights != "random":
            raise hub_error("tokenizer of", source, exc) from exc
        # Random weights must not download anything; lengths differ a little from the real tokenizer's.
        fallback = converted_gguf(GgufSource(), cache_dir)
        log.warning("model.weights=random: the tokenizer of %s is not on this machine; using SmolLM2's "
                    "(token counts differ somewhat from the real tokenizer's)", source)
        tokenizer = AutoTokenizer.from_pretrained(fallback)
    if cfg.chat_template is not None:
        tokenizer.chat_template = cfg.chat_template
    align_special_tokens(tokenizer)
    return tokenizer


def align_special_tokens(tokenizer) -> None:
    """Make eos the token the chat template ends an assistant turn with, and give padding a token.

    A GGUF-converted SmolLM2 can come back with eos and pad set to <|im_start|>; trained that way
    the model never learns to stop. The template itself says which token ends a turn.
    """
    probe = "SUPPORTBOT_END_OF_TURN_PROBE"
    rendered = tokenizer.apply_chat_template([{"role": "assistant", "content": probe}], tokenize=False)
    after = rendered[rendered.index(probe) + len(probe):]
    ids = tokenizer(after, add_special_tokens=False)["input_ids"] if after else []
    if ids and ids[0] in tokenizer.all_special_ids:
        end_of_turn = tokenizer.convert_ids_to_tokens(ids[0])
        if tokenizer.eos_token != end_of_turn:
            log.info("tokenizer: eos %r -> %r (the chat template's end of turn)", tokenizer.eos_token, end_of_turn)
            tokenizer.eos_token = end_of_turn
    if tokenizer.pad_token is None or tokenizer.pad_token == tokenizer.bos_token:
        tokenizer.pad_token = tokenizer.eos_token


def quantization_config(placement: Placement):
    from transformers import BitsAndBytesConfig

    storage = {} if placement.quant_storage_dtype is None else {"bnb_4bit_quant_storage": placement.quant_storage_dtype}
    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=placement.compute_dtype,
        **storage,
    )


def loading_dtype(placement: Placement):
    """The dtype of the float weights: the compute dtype, or under sharding the 4-bit storage dtype, which every
    weight of a wrapped layer must share (PEFT's FSDP-QLoRA guide loads with dtype=quant_storage)."""
    return placement.quant_storage_dtype or placement.compute_dtype


def load_quantized(path: str, cfg: ModelConfig, placement: Placement, *, attn_implementation: str):
    """The model at `path` with 4-bit NF4 weights on this rank's device, computing in its precision."""
    from transformers import AutoModelForCausalLM

    try:
        return AutoModelForCausalLM.from_pretrained(
            path,
            quantization_config=quantization_config(placement),
            device_map=placement.device_map,
            dtype=loading_dtype(placement),
            attn_implementation=attn_implementation,
            trust_remote_code=cfg.trust_remote_code,
        )
    except (OSError, ValueError) as exc:
        raise hub_error("model", path, exc) from exc


def build_model(cfg: ModelConfig, lora: LoraSettings, tokenizer, placement: Placement, cache_dir: Path,
                *, attn_implementation: str, gradient_checkpointing: bool, seed: int,
                upcast_frozen_weights: bool = True):
    """The frozen 4-bit base with a trainable LoRA adapter, on this rank's device. upcast_frozen_weights:
    train.upcast_frozen_weights (prepare_for_4bit_training)."""
    from peft import get_peft_model

    path = weights_source(cfg, tokenizer, cache_dir, seed, placement.compute_dtype)
    model = load_quantized(path, cfg, placement, attn_implementation=attn_implementation)
    for config in (model.config, model.generation_config):
        config.eos_token_id = tokenizer.eos_token_id
        config.pad_token_id = tokenizer.pad_token_id
    if cfg.kernels == "liger":
        apply_liger_kernels(model)
    configure_for_training(model)
    if placement.device == "cpu":
        keep_4bit_storage_layout(model)
    if placement.shards_weights:
        # TRL's SFTTrainer does the same for sharded QLoRA: no k-bit preparation (its fp32 casts of norms and
        # embeddings would mix dtypes inside one sharded layer); reentrant checkpointing needs input grads.
        if gradient_checkpointing:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": True})
            model.enable_input_require_grads()
    else:
        model = prepare_for_4bit_training(model, upcast_frozen_weights, gradient_checkpointing)
    # Sharded: the adapter in the weights' own dtype, so that a wrapped layer holds one dtype.
    model = get_peft_model(model, lora_config(lora), autocast_adapter_dtype=not placement.shards_weights)
    if lora.share_dropout:
        from supportbot.model.dropout import share_lora_dropout

        if not share_lora_dropout(model):
            log.info("model: lora.share_dropout has nothing to share: lora.dropout is 0")
    return model


def prepare_for_4bit_training(model, upcast_frozen_weights: bool, gradient_checkpointing: bool):
    """Freeze the base and turn on non-reentrant checkpointing; with upcast_frozen_weights, PEFT's k-bit preparation.

    PEFT's `prepare_model_for_kbit_training` also casts every 16-bit weight that is not 4-bit (the embeddings,
    which Llama 3.2 and SmolLM2 tie to the head, and the norms) to fp32. The embeddings' output is then fp32, and
    under autocast so is everything added to it: the whole residual stream, and with it every decoder layer's input
    that gradient checkpointing keeps, takes twice the bytes of the compute dtype, on top of the fp32 copy of the
    embedding matrix. Without the upcast they stay in the compute dtype, as the model was shipped and as inference
    runs it; RMSNorm still computes its statistics in fp32, the adapter stays fp32 (get_peft_model's
    autocast_adapter_dtype) and the loss takes its log-sum-exp in fp32 (model/losses.py)."""
    if upcast_frozen_weights:
        from peft import prepare_model_for_kbit_training

        return prepare_model_for_kbit_training(model, use_gradient_checkpointing=gradient_checkpointing,
                                               gradient_checkpointing_kwargs={"use_reentrant": False})
    for parameter in model.parameters():
        parameter.requires_grad = False
    if gradient_checkpointing:
        # Non-reentrant checkpointing needs no input grads on the frozen embeddings (PEFT skips them too).
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    return model


def keep_4bit_storage_layout(model) -> int:
    """Stop bitsandbytes' CPU backend from repacking 4-bit weights in place; returns how many layers it touched.

    On a CPU with AVX512-BF16, a Linear4bit's first no-grad forward in eval mode (the Trainer's evaluation, the
    sample answers) replaces `weight.data` with a CPU inference layout, and keeps it when training resumes.
    Two failures follow (bitsandbytes 0.50.2), so every CPU training run turns the repacking off:
    - wrong gradients: in that layout matmul_4bit calls `gemv_4bit`, an op with no autograd kernel, so no gradient
      flows back through the frozen base layer. Every layer below it then trains on the LoRA path's gradient
      alone; torch only warns ("an autograd kernel was not registered ... silently incorrect behavior").
      Measured on a 2-core Xeon with AMX: the input gradient of a 4-bit layer went from a real one to None.
    - under ZeRO-3 and FSDP (float quant_storage in the strategy's partitioned buffers) the inverse repacking,
      run when the state dict is saved, asserts uint8 storage, so the first checkpoint failed.
    The repacking only speeds up CPU inference, which evaluate.py and the export still get."""
    import bitsandbytes as bnb

    layers = [module for module in model.modules() if isinstance(module, bnb.nn.Linear4bit)]
    for module in layers:
        module.support_avx512bf16_for_cpu = False
    return len(layers)


def configure_for_training(model) -> None:
    """No KV cache in training. Besides wasting memory, a cache stops transformers from reading packed
    conversations out of the position ids: with one, a packed row silently becomes one long
    conversation (tests/test_packing.py shows the difference)."""
    model.config.use_cache = False


def apply_liger_kernels(model) -> None:
    """Liger's fused RMSNorm, RoPE and SwiGLU on this model instance (its loss is handled in
    supportbot.model.losses). The SwiGLU kernel fuses only the activation; the projections stay the
    4-bit LoRA layers."""
    apply_liger_kernels_to_instance(model)
    log.info("model: Liger kernels (RMSNorm, RoPE, SwiGLU) on %s", model.config.model_type)


def lora_config(lora: LoraSettings):
    from peft import LoraConfig

    return LoraConfig(
        r=lora.r,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        target_modules=list(lora.target_modules),
        bias=lora.bias,
        use_rslora=lora.use_rslora,
        use_dora=lora.use_dora,
        task_type="CAUSAL_LM",
    )


def meta_model(config, trust_remote_code: bool = False):
    """The model of a transformers config on the meta device: its shape without memory or a download."""
    from accelerate import init_empty_weights
    from transformers import AutoModelForCausalLM

    with init_empty_weights():
        model = AutoModelForCausalLM.from_config(config, trust_remote_code=trust_remote_code)
    model.tie_weights()  # tied input/output embeddings are one tensor, counted once (no-op inside the context)
    return model


def _meta_model(cfg: ModelConfig):
    """The configured architecture (model.architecture) on the meta device."""
    from transformers import AutoConfig

    architecture = dict(cfg.architecture)
    return meta_model(AutoConfig.for_model(architecture.pop("model_type"), **architecture))


def count_parameters(cfg: ModelConfig, lora: LoraSettings) -> tuple[int, int]:
    """(trainable, total) of the architecture with its adapter, built on the meta device."""
    from peft import get_peft_model

    return get_peft_model(_meta_model(cfg), lora_config(lora)).get_nb_trainable_parameters()


def check_target_modules(cfg: ModelConfig, lora: LoraSettings) -> int | None:
    """Every lora.target_modules entry must name linear layers the architecture has (checked on meta).

    Returns the adapter's trainable parameter count, which sizes the checkpoints (None without an
    architecture in the config: a model known only by its path, whose names peft checks at load).
    """
    from peft import get_peft_model

    from supportbot.errors import ConfigError

    if not cfg.architecture:
        return None
    meta = _meta_model(cfg)
    linear = sorted({name.rsplit(".", 1)[-1] for name, module in meta.named_modules()
                     if isinstance(module, torch.nn.Linear) and name != "lm_head"})
    unknown = [target for target in lora.target_modules if target not in linear]
    if unknown:
        raise ConfigError(
            f"lora.target_modules={list(lora.target_modules)} names {unknown}, which model={cfg.name} does not have. "
            f"Its linear layers are: {', '.join(linear)}. Fix it on the command line, e.g. "
            f"`lora.target_modules=[{','.join(linear[:2])}]`."
        )
    return get_peft_model(meta, lora_config(lora)).get_nb_trainable_parameters()[0]


def quantized_layers(model) -> int:
    """How many linear layers hold 4-bit weights (proof that the QLoRA path, not a float copy, ran)."""
    import bitsandbytes as bnb

    return sum(isinstance(module, bnb.nn.Linear4bit) for module in model.modules())


def trainable_parameters(model) -> tuple[int, int]:
    """(trainable, total) of a loaded peft model; 4-bit weights counted as the parameters they stand for."""
    return model.get_nb_trainable_parameters()
