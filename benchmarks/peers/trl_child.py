"""One TRL measurement for benchmarks/peers.py: transformers + peft + bitsandbytes 4-bit + TRL's SFTTrainer.

    python benchmarks/peers/trl_child.py --model llama3.2-3b --model-dir DIR --rows-file rows.npz --rows 8 \
        --precision bf16 --budget-gb 8 --result out.json [--dry-run]

TRL as its docs write QLoRA: NF4 with double quantisation, LoRA through `peft_config`, packing with BFD (which
TRL makes padding-free), paged 8-bit AdamW, gradient checkpointing. The dataset is the project's tokenised
conversations with their assistant-only labels, so TRL packs the same token ids the project packs.
"""

from __future__ import annotations

import sys
import tempfile

from child import LORA, SEED, load_conversations, measured, parse, run, sft_config, torch_dtype, versions
from throughput import memory_after_load

SYSTEM = "trl"


def measure(args, plan) -> dict:
    import torch
    from peft import LoraConfig
    from throughput import measure as timed
    from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig
    from trl import SFTTrainer

    dtype = torch_dtype(args.precision)
    torch.manual_seed(SEED)
    tokenizer = AutoTokenizer.from_pretrained(args.model_dir)
    model = AutoModelForCausalLM.from_pretrained(
        args.model_dir, dtype=dtype, attn_implementation="sdpa", device_map={"": 0},
        quantization_config=BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
                                               bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=dtype))
    loaded = memory_after_load()
    lora = LoraConfig(r=LORA["r"], lora_alpha=LORA["alpha"], lora_dropout=LORA["dropout"],
                      target_modules=LORA["target_modules"], bias="none", task_type="CAUSAL_LM")
    with tempfile.TemporaryDirectory() as output_dir:
        trainer = SFTTrainer(model=model, args=sft_config(args, plan, output_dir), processing_class=tokenizer,
                             train_dataset=load_conversations(args.rows_file), peft_config=lora)
        timed(trainer, plan, SYSTEM).train()
    return {**measured(trainer, plan, loaded), "attn_implementation": "sdpa", "packing": "bfd, padding-free",
            "versions": versions("trl", "transformers", "peft", "bitsandbytes", "torch", "datasets")}


if __name__ == "__main__":
    arguments = parse(SYSTEM, sys.argv[1:])
    if not arguments.dry_run:
        run(SYSTEM, arguments, measure)
