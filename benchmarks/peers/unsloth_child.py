"""One Unsloth measurement for benchmarks/peers.py, as Unsloth's docs write QLoRA.

    PYTHONPATH=/tmp/unsloth-site:... python benchmarks/peers/unsloth_child.py --model llama3.2-3b \
        --model-dir DIR --rows-file rows.npz --rows 8 --precision bf16 --budget-gb 8 --result out.json [--dry-run]

FastLanguageModel.from_pretrained(load_in_4bit=True) on the prepared folder (the same weights every system
loads), get_peft_model(r16, alpha 16, dropout 0.05, the 7 projections, use_gradient_checkpointing="unsloth"),
then TRL's SFTTrainer (Unsloth's own pin, trl 1.15, which Unsloth patches on import) with packing, paged 8-bit
AdamW. Unsloth must be imported before transformers and trl, and after the memory budget is set.
"""

from __future__ import annotations

import os
import sys
import tempfile

from child import LORA, SEED, load_conversations, measured, parse, run, sft_config, torch_dtype, versions
from throughput import memory_after_load

SYSTEM = "unsloth"


def measure(args, plan) -> dict:
    os.environ.setdefault("UNSLOTH_COMPILE_LOCATION", os.path.join(tempfile.gettempdir(), "unsloth_compiled_cache"))
    from throughput import measure as timed
    from trl import SFTTrainer
    from unsloth import FastLanguageModel  # first: it patches transformers, peft and trl

    model, tokenizer = FastLanguageModel.from_pretrained(
        model_name=args.model_dir, max_seq_length=args.seq, dtype=torch_dtype(args.precision), load_in_4bit=True,
        use_exact_model_name=True, random_state=SEED)
    model = FastLanguageModel.get_peft_model(
        model, r=LORA["r"], lora_alpha=LORA["alpha"], lora_dropout=LORA["dropout"],
        target_modules=LORA["target_modules"], bias="none", use_gradient_checkpointing="unsloth", random_state=SEED)
    loaded = memory_after_load()
    with tempfile.TemporaryDirectory() as output_dir:
        # Checkpointing is Unsloth's own (set on the model above); the Trainer must not wrap it a second time.
        config = sft_config(args, plan, output_dir, gradient_checkpointing=False, gradient_checkpointing_kwargs=None)
        trainer = SFTTrainer(model=model, args=config, processing_class=tokenizer,
                             train_dataset=load_conversations(args.rows_file))
        timed(trainer, plan, SYSTEM).train()
    return {**measured(trainer, plan, loaded), "packing": "Unsloth's (SFTTrainer packing=True)",
            "versions": versions("unsloth", "unsloth_zoo", "trl", "transformers", "peft", "bitsandbytes", "torch",
                                 "datasets")}


if __name__ == "__main__":
    arguments = parse(SYSTEM, sys.argv[1:])
    if not arguments.dry_run:
        run(SYSTEM, arguments, measure)
