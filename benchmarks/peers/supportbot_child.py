"""One supportbot measurement for benchmarks/peers.py: throughput.py's "project" run, under the memory budget.

    python benchmarks/peers/supportbot_child.py --model llama3.2-3b --model-dir DIR --rows-file rows.npz \
        --rows 8 --precision bf16 --budget-gb 8 --data bitext_sample.csv --cache-dir /tmp/peers/cache \
        --result out.json [--override model.kernels=liger ...] [--dry-run]

Nothing is measured here: throughput.main composes the config (the overrides below), builds the project's
trainer and times it. The weights are the prepared folder's (model.path, so every system loads the same file);
the conversations are the ones prepare_child.py dumped for the peers (same tokenizer, data config and cache).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from child import parse, run

SYSTEM = "supportbot"
# Models whose prepared folder is a random-weight checkpoint that the project must load by path; SmolLM2 loads
# its converted GGUF from the shared cache_dir by itself.
RANDOM = ("llama3.2-3b", "qwen3-4b", "llama3.2-1b")


def overrides(model: str, model_dir: str | None, data: str, cache_dir: str, seq: int) -> list[str]:
    """The Hydra overrides that make the project read what the peers read (prepare_child.py uses them too)."""
    chosen = [f"model={model}", f"data.path={data}", f"data.max_seq_length={seq}", "hardware=1xH100",
              f"cache_dir={cache_dir}"]
    if model in RANDOM and model_dir:
        chosen += [f"model.path={model_dir}", "model.weights=pretrained"]
    return chosen


def throughput_arguments(args, output: Path) -> list[str]:
    return [*overrides(args.model, args.model_dir, args.data, args.cache_dir, args.seq),
            f"hardware.precision={args.precision}", f"hardware.per_device_batch_size={args.rows}",
            "hardware.gradient_accumulation_steps=1", "hardware.dataloader_num_workers=1",
            "train.gradient_checkpointing=true", *args.override,
            "benchmark.variants=project", f"benchmark.warmup={args.warmup}", f"benchmark.steps={args.steps}",
            f"benchmark.output={output}"]


def measure(args, plan) -> dict:
    import throughput

    with tempfile.TemporaryDirectory() as folder:
        report = throughput.main(throughput_arguments(args, Path(folder) / "throughput.json"))
    run_ = report["runs"][0]
    keep = ("real_tokens", "real_tokens_per_second", "padding_share", "step_seconds", "real_tokens_per_step",
            "peak_memory_gb", "peak_reserved_gb", "training_peak_gb", "load_peak_gb", "load_peak_reserved_gb",
            "loaded_model_gb", "kernels", "cross_entropy", "per_device_batch_size", "torch_compile")
    result = {key: run_[key] for key in keep if key in run_}
    result.update({"mfu_own_peak": run_.get("mfu"), "packing": "supportbot (best-fit decreasing rows)",
                   "versions": report["versions"], "overrides": report["overrides"]})
    return result


if __name__ == "__main__":
    arguments = parse(SYSTEM, sys.argv[1:])
    if not arguments.dry_run:
        if not (arguments.data and arguments.cache_dir):
            raise SystemExit("supportbot_child.py needs --data and --cache-dir")
        run(SYSTEM, arguments, measure)
