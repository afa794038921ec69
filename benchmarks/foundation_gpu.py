"""GPU proof of the foundation: real runs of train.py on one GPU, summarised into one JSON file.

    python benchmarks/foundation_gpu.py --data /path/to/bitext_sample.csv --out results/ smollm2
    python benchmarks/foundation_gpu.py --data /path/to/bitext_sample.csv --out results/ llama

smollm2: SmolLM2-135M-Instruct (real weights) on the real Bitext rows, fp16 as a T4 runs it and
         bf16, a few hundred steps with evaluations, so the eval loss can be seen falling.
llama:   Llama-3.2-3B's architecture with random weights, 4-bit, a few optimiser steps at sequence
         length 512 and 1024 with every row padded to that length (worst-case memory), T4 settings
         (fp16, batch 2 x accumulation 4) and one bf16 batch 4 x 1024 run.
Each run is a separate `python train.py ...` process, as a user would start it.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SMOLLM2 = {
    f"smollm2-{precision}": [
        "model=smollm2-135m", "hardware=1xT4", f"hardware.precision={precision}",
        "hardware.per_device_batch_size=8", "hardware.gradient_accumulation_steps=1",
        "train.max_steps=300", "train.eval_steps=50", "train.save_steps=50", "train.eval_on_start=true",
        "train.logging_steps=10", "train.gradient_checkpointing=false", "train.warmup=20",
    ]
    for precision in ("fp16", "bf16")
}
LLAMA_COMMON = ["model=llama3.2-3b", "model.weights=random", "data.max_samples=600", "data.padding=max_length",
                "train.max_steps=6", "train.eval_steps=6", "train.save_steps=6", "train.logging_steps=1",
                "train.warmup=1"]
LLAMA = {
    "llama3.2-3b-t4-fp16-seq512": [*LLAMA_COMMON, "hardware=1xT4", "data.max_seq_length=512"],
    "llama3.2-3b-t4-fp16-seq1024": [*LLAMA_COMMON, "hardware=1xT4", "data.max_seq_length=1024"],
    "llama3.2-3b-bf16-b4-seq1024": [*LLAMA_COMMON, "hardware=1xH100", "hardware.per_device_batch_size=4",
                                    "hardware.gradient_accumulation_steps=1", "data.max_seq_length=1024"],
}


def versions() -> dict:
    import torch
    import transformers

    found = {"python": platform.python_version(), "torch": torch.__version__, "cuda": torch.version.cuda,
             "transformers": transformers.__version__}
    for name in ("peft", "accelerate", "bitsandbytes"):
        found[name] = __import__(name).__version__
    if torch.cuda.is_available():
        found["gpu"] = torch.cuda.get_device_name(0)
    return found


def run(name: str, overrides: list[str], data: Path, out: Path) -> dict:
    run_dir = out / "runs" / name
    command = [sys.executable, "train.py", f"data.path={data}", f"hydra.run.dir={run_dir}", f"run_name={name}",
               *overrides]
    started = time.time()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    record = {"command": " ".join(["python", *command[1:]]), "returncode": result.returncode,
              "seconds": round(time.time() - started, 1)}
    if result.returncode != 0:
        record["log_tail"] = (result.stdout + result.stderr)[-4000:]
        return record
    metrics = json.loads((run_dir / "metrics.json").read_text())
    state = json.loads(sorted((run_dir / "checkpoints").glob("checkpoint-*/trainer_state.json"))[-1].read_text())
    record["metrics"] = metrics
    record["eval_curve"] = [(e["step"], round(e["eval_loss"], 4)) for e in state["log_history"] if "eval_loss" in e]
    record["train_curve"] = [(e["step"], round(e["loss"], 4), e.get("tokens_per_second"), e.get("memory_gb"))
                             for e in state["log_history"] if "loss" in e]
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="Bitext CSV (the sample or the full file)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("suite", choices=["smollm2", "llama"])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    results = {"date": time.strftime("%Y-%m-%d"), "versions": versions(), "runs": {}}
    for name, overrides in (SMOLLM2 if args.suite == "smollm2" else LLAMA).items():
        results["runs"][name] = run(name, overrides, args.data.resolve(), args.out)
        print(name, json.dumps({k: v for k, v in results["runs"][name].items() if k != "log_tail"})[:600], flush=True)
        (args.out / f"{args.suite}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
