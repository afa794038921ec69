"""What every measurement child of benchmarks/peers.py shares: its command line, the memory budget, the result.

A child measures one system at one (model, precision, memory budget, packed rows) and writes one JSON object to
--result: the measurement, `{"oom": true, "error": ...}` when the budget did not hold it, or `{"error": ...}`.
Heavy imports (torch, transformers, the peers) happen inside functions, after the command line is read, so
`--dry-run` and the tests need none of them.

The timing is throughput.py's own (`measure`, imported from benchmarks/): the same clock, the same real-token
count and the same warm-up/timed window for every system.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1]
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

# The recipe every system runs (issue 17): LoRA r16 / alpha 16 / dropout 0.05 on the 7 projections.
LORA = {"r": 16, "alpha": 16, "dropout": 0.05,
        "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]}
LEARNING_RATE = 2e-4  # the project's default; speed does not depend on it
SEED = 42


def parser(system: str) -> argparse.ArgumentParser:
    """The one command line the harness gives every child (benchmarks/peers.py child_command)."""
    p = argparse.ArgumentParser(prog=f"{system}_child.py", description=f"One {system} measurement for peers.py")
    p.add_argument("--model", required=True, help="the project's model name (conf/model/<name>.yaml)")
    p.add_argument("--model-dir", required=True, help="folder with config, weights and tokenizer (prepare_child.py)")
    p.add_argument("--rows-file", required=True, help="rows.npz: the tokenised train conversations (prepare_child.py)")
    p.add_argument("--rows", type=int, required=True, help="packed rows of --seq tokens per optimizer step")
    p.add_argument("--precision", choices=("fp16", "bf16"), required=True)
    p.add_argument("--budget-gb", type=float, required=True, help="GiB the caching allocator may hold")
    p.add_argument("--seq", type=int, default=1024, help="tokens per packed row")
    p.add_argument("--warmup", type=int, default=2, help="optimizer steps before the timed window (>= 1)")
    p.add_argument("--steps", type=int, default=5, help="optimizer steps timed")
    p.add_argument("--result", required=True, help="where the JSON result goes")
    p.add_argument("--data", default=None, help="supportbot: the Bitext CSV (data.path)")
    p.add_argument("--cache-dir", default=None, help="supportbot: its cache_dir (converted and tokenised data)")
    p.add_argument("--override", action="append", default=[], help="supportbot: one more Hydra override")
    p.add_argument("--dry-run", action="store_true", help="print the parsed arguments as JSON and stop")
    return p


def parse(system: str, argv: list[str]) -> argparse.Namespace:
    args = parser(system).parse_args(argv)
    if args.warmup < 1:
        raise SystemExit("--warmup must be at least 1: the clock starts at the end of a step")
    if args.dry_run:
        print(json.dumps({"system": system, **vars(args)}))
    return args


def torch_dtype(precision: str):
    import torch

    return {"fp16": torch.float16, "bf16": torch.bfloat16}[precision]


def apply_budget(budget_gb: float) -> dict:
    """Cap torch's caching allocator at the budget, before anything is allocated: over it, the run raises OOM.

    The CUDA context and bitsandbytes' paged (managed) optimizer memory lie outside the cap, as they lie outside
    torch's peak counters.
    """
    import torch

    total = torch.cuda.get_device_properties(0).total_memory
    fraction = min(1.0, budget_gb * 2**30 / total)
    torch.cuda.set_per_process_memory_fraction(fraction, 0)
    return {"budget_fraction": round(fraction, 5), "device_total_gb": round(total / 2**30, 2)}


def measured(trainer, plan, loaded: dict) -> dict:
    """The numbers of a finished throughput.measure(...).train(): as throughput.py's run_variant reports them.
    loaded: throughput.memory_after_load's, taken once the model was loaded."""
    from throughput import memory_peaks

    seconds = trainer.marks[plan.warmup + plan.steps] - trainer.marks[plan.warmup]
    return {
        "real_tokens": trainer.real_tokens,
        "real_tokens_per_second": round(trainer.real_tokens / seconds, 1),
        "padding_share": round(1 - trainer.real_tokens / max(1, trainer.slots), 4),
        "step_seconds": round(seconds / plan.steps, 4),
        "real_tokens_per_step": trainer.real_tokens // plan.steps,
        **memory_peaks(loaded),
    }


def load_conversations(rows_file: str):
    """The tokenised train conversations as a datasets.Dataset (input_ids, labels), in the peer's own datasets."""
    import numpy as np
    from datasets import Dataset

    arrays = np.load(rows_file)
    offsets, input_ids, labels = arrays["offsets"], arrays["input_ids"], arrays["labels"]
    spans = list(zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True))
    return Dataset.from_dict({"input_ids": [input_ids[a:b].tolist() for a, b in spans],
                              "labels": [labels[a:b].tolist() for a, b in spans]})


def sft_config(args, plan, output_dir: str, **changes):
    """TRL's SFTConfig for the recipe: packed rows of --seq (BFD, padding-free), paged 8-bit AdamW, no eval/save."""
    from trl import SFTConfig

    settings = dict(
        output_dir=output_dir, per_device_train_batch_size=args.rows, gradient_accumulation_steps=1,
        max_steps=plan.max_steps, learning_rate=LEARNING_RATE, lr_scheduler_type="constant", warmup_steps=0,
        optim="paged_adamw_8bit", gradient_checkpointing=True, gradient_checkpointing_kwargs={"use_reentrant": False},
        bf16=args.precision == "bf16", fp16=args.precision == "fp16",
        packing=True, packing_strategy="bfd", padding_free=True, max_length=args.seq,
        logging_steps=10**6, save_strategy="no", eval_strategy="no", report_to="none",
        dataloader_num_workers=0, seed=SEED,
    )
    settings.update(changes)
    return SFTConfig(**settings)


def failure(exc: BaseException) -> dict:
    """An exception as a result: OOM (the budget did not hold it) or the error's line, for the record."""
    text = f"{type(exc).__name__}: {exc}".strip()
    line = next((part for part in text.splitlines() if part.strip()), text)[:500]
    oom = type(exc).__name__ == "OutOfMemoryError" or "out of memory" in text.lower()
    result = {"oom": True, "error": line} if oom else {"error": line}
    result["traceback_tail"] = traceback.format_exception(exc)[-3:] if not oom else []
    return result


def run(system: str, args: argparse.Namespace, measure) -> dict:
    """Budget, then measure(args, plan) -> dict; write the result (a failure too) to --result."""
    from throughput import Plan

    started = time.time()
    result = {"system": system, "model": args.model, "precision": args.precision, "budget_gb": args.budget_gb,
              "rows": args.rows, "seq": args.seq, "warmup": args.warmup, "steps": args.steps}
    try:
        result.update(apply_budget(args.budget_gb))
        result.update(measure(args, Plan(args.warmup, args.steps, None)))
    except Exception as exc:  # noqa: BLE001 - every failure is a result for the table
        result.update(failure(exc))
    result["child_seconds"] = round(time.time() - started, 1)
    Path(args.result).parent.mkdir(parents=True, exist_ok=True)
    Path(args.result).write_text(json.dumps(result, indent=2))
    print(json.dumps(result), flush=True)
    return result


def versions(*names: str) -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found
