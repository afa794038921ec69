"""FSDP's one-process failure, narrowed: a small Llama under FSDP (torch's own, no accelerate, no Trainer), one
variant at a time, each a forward and backward; prints one JSON line per variant.

    python benchmarks/fsdp_minimal.py [--device cuda|cpu] [--variants plain,untied,no-lora,4bit,...]
    torchrun --nproc_per_node 2 benchmarks/fsdp_minimal.py --device cpu      # FULL_SHARD across two gloo ranks

Why: on the H100 (torch 2.11), `accelerate launch --config_file launch/accelerate/fsdp-qlora.yaml --num_processes 1`
stops in the root module's post-forward reshard (`_use_unsharded_views(as_params=True)`: a shared parameter's
primary is a plain Tensor) in fp16, bf16 and fp32, with and without sync_module_states. The same launch on CPU
told nothing: accelerate runs it as DDP there. With one process FSDP runs NO_SHARD, whose reshard is the only
caller of that path. The variants take away one ingredient each: the tied
embedding (shared parameters), the LoRA adapter, the 4-bit weights, mixed precision, checkpointing.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import traceback

VARIANTS = {
    "plain": {},                      # tied embeddings, LoRA, fp32 weights, no mixed precision
    "untied": {"tied": False},
    "no-lora": {"lora": False},
    "4bit": {"quant4": True},         # bitsandbytes NF4 with fp32 storage, as hardware=2xT4-fsdp loads it
    "fp16": {"mixed": "fp16"},        # FSDP's own parameter casting (not with 4-bit: it would recast the packed bytes)
    "checkpointing": {"checkpointing": True},  # reentrant, with input grads: supportbot/model/build.py's sharded path
    "4bit-checkpointing": {"quant4": True, "checkpointing": True},
}


def build(device: str, tied: bool = True, lora: bool = True, quant4: bool = False, checkpointing: bool = False):
    import torch
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig, LlamaConfig

    config = LlamaConfig(hidden_size=256, intermediate_size=512, num_hidden_layers=2, num_attention_heads=4,
                         num_key_value_heads=2, vocab_size=512, tie_word_embeddings=tied)
    if quant4:
        import tempfile

        folder = tempfile.mkdtemp()
        AutoModelForCausalLM.from_config(config).save_pretrained(folder)
        quantization = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
                                          bnb_4bit_compute_dtype=torch.float32,
                                          bnb_4bit_quant_storage=torch.float32)
        model = AutoModelForCausalLM.from_pretrained(folder, quantization_config=quantization, dtype=torch.float32,
                                                     device_map={"": torch.device(device)})
    else:
        model = AutoModelForCausalLM.from_config(config).to(device)
    for parameter in model.parameters():
        parameter.requires_grad = False
    if checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": True})
        model.enable_input_require_grads()
    if lora:
        from peft import LoraConfig, get_peft_model

        model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj", "gate_proj"],
                                                 task_type="CAUSAL_LM"), autocast_adapter_dtype=False)
    else:
        for parameter in model.parameters():
            parameter.requires_grad = True
    return model


def run_variant(name: str, device: str) -> dict:
    import torch
    from torch.distributed.fsdp import FullyShardedDataParallel, MixedPrecision, ShardingStrategy
    from torch.distributed.fsdp.wrap import transformer_auto_wrap_policy
    from transformers.models.llama.modeling_llama import LlamaDecoderLayer

    settings = dict(VARIANTS[name])
    mixed = settings.pop("mixed", None)
    try:
        model = build(device, **settings)
        precision = None
        if mixed:
            dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}[mixed]
            precision = MixedPrecision(param_dtype=dtype, reduce_dtype=dtype, buffer_dtype=dtype)
        wrapped = FullyShardedDataParallel(
            model, auto_wrap_policy=functools.partial(transformer_auto_wrap_policy,
                                                      transformer_layer_cls={LlamaDecoderLayer}),
            sharding_strategy=ShardingStrategy.FULL_SHARD, use_orig_params=True, mixed_precision=precision,
            device_id=torch.device(device) if device == "cpu" else torch.cuda.current_device())
        wrapped.train()
        ids = torch.randint(0, 512, (2, 32)).to(device)
        for _ in range(2):
            loss = wrapped(input_ids=ids, labels=ids).loss
            loss.backward()
        return {"variant": name, "ok": True, "loss": round(loss.item(), 4)}
    except Exception as exc:  # noqa: BLE001 - each variant's failure is its result
        frames = traceback.extract_tb(exc.__traceback__)
        return {"variant": name, "ok": False, "error": f"{type(exc).__name__}: {exc}"[:300],
                "where": [f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno} {frame.name}"
                          for frame in frames[-4:]]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    import torch
    import torch.distributed as dist

    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29541")
    rank, world_size = int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))  # torchrun's, or one
    dist.init_process_group("gloo" if args.device == "cpu" else "nccl", rank=rank, world_size=world_size)
    if args.device == "cuda":
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))
    versions = {"torch": torch.__version__, "world_size": world_size}
    for package in ("transformers", "peft", "bitsandbytes"):
        versions[package] = __import__(package).__version__
    if rank == 0:
        print(json.dumps({"device": args.device, **versions}), flush=True)
    for name in args.variants.split(","):
        torch.manual_seed(0)  # every rank builds the same model and batch
        result = run_variant(name, args.device)
        if rank == 0:
            print(json.dumps(result), flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
