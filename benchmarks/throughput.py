"""Training throughput: the plain QLoRA recipe against this project's path, same GPU, same data.

    python benchmarks/throughput.py model=llama3.2-3b model.weights=random hardware=1xH100 \
        data.path=bitext.csv data.max_seq_length=1024 [hardware.precision=fp16] [benchmark.steps=10]

The config is composed from conf/ exactly as for train.py (same groups, same overrides); keys under
`benchmark.` belong to this script:

  benchmark.variants   which runs, in order (default: baseline,baseline_padded,project)
  benchmark.steps      optimizer steps measured per run (default 10), after
  benchmark.warmup     optimizer steps not measured (default 2: allocator, autotuning, paging)
  benchmark.output     JSON file to write (default benchmarks/results/throughput-<model>-<precision>.json)
  benchmark.label      a name for the project run (default "project")
  benchmark.profile    true: one more optimizer step of each run under torch.profiler; its top
                       operators (by CPU and GPU time) go to <output>.<run>.profile.txt, its trace beside it

Runs:
  baseline         the plain recipe at its strongest ordinary form: transformers Trainer + peft +
                   bitsandbytes 4-bit NF4, per-device batch 2 x accumulation 4, each batch padded to
                   its longest row (DataCollatorForSeq2Seq), SDPA, gradient checkpointing, paged
                   8-bit AdamW, the model's own loss over full logits
  baseline_padded  the same with every row padded to data.max_seq_length (what notebook code does)
  project          supportbot.train.trainer.build_trainer with the composed config's settings
                   (packing, target-only chunked/Liger loss, model.kernels, the hardware's batch)

Each run reports real (non-padding) tokens per second, padding share, optimizer-step time, peak GPU
memory (torch's max allocated; reserved beside it) and model FLOPs utilisation: 6 x parameters x
real tokens / time / the dense matmul peak this script measures on the device in the run's
precision. Ratios are project / baseline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

VARIANTS = ("baseline", "baseline_padded", "project")
DEFAULTS = {"variants": "baseline,baseline_padded,project", "steps": "10", "warmup": "2", "output": "",
            "label": "project", "profile": "false"}


def split_arguments(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    """benchmark.* keys for this script; everything else is a Hydra override for conf/train.yaml."""
    options, overrides = dict(DEFAULTS), []
    for argument in argv:
        if argument.startswith("benchmark."):
            key, _, value = argument[len("benchmark."):].partition("=")
            if key not in DEFAULTS:
                raise SystemExit(f"benchmark.{key} is not an option of this script; it knows {', '.join(DEFAULTS)}")
            options[key] = value.strip("[]")
        else:
            overrides.append(argument)
    unknown = [name for name in options["variants"].split(",") if name not in VARIANTS]
    if unknown:
        raise SystemExit(f"benchmark.variants has {unknown}; choose from {', '.join(VARIANTS)}")
    return options, overrides


def compose(overrides: list[str]):
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    from supportbot.config import register_configs, to_run_config

    register_configs()
    with initialize_config_dir(config_dir=str(ROOT / "conf"), version_base="1.3"):
        return to_run_config(hydra_compose(config_name="train", overrides=overrides))


def matmul_peak_tflops(dtype, device: str) -> float | None:
    """Dense matmul throughput of this device in the run's precision (8192^3, mean of 10 after 3 warm-ups)."""
    import torch

    if device != "cuda":
        return None
    a = torch.randn(8192, 8192, device="cuda", dtype=dtype)
    b = torch.randn(8192, 8192, device="cuda", dtype=dtype)
    for _ in range(3):
        a @ b
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(10):
        a @ b
    torch.cuda.synchronize()
    seconds = (time.perf_counter() - start) / 10
    del a, b
    torch.cuda.empty_cache()
    return 2 * 8192**3 / seconds / 1e12


class CountRealTokens:
    """Wraps a collator: each batch also carries how many of its tokens are conversation, not padding."""

    def __init__(self, collator):
        self.collator = collator

    def __call__(self, features):
        import torch

        batch = self.collator(features)
        batch["real_tokens"] = torch.tensor(sum(len(feature["input_ids"]) for feature in features))
        return batch


@dataclass(frozen=True)
class Plan:
    """What every run measures: optimizer steps warmup..warmup+steps, then one profiled step if asked."""

    warmup: int
    steps: int
    profile_prefix: Path | None  # <output>: profiles go to <output>.<run>.profile.txt

    @property
    def max_steps(self) -> int:
        return self.warmup + self.steps + (1 if self.profile_prefix else 0)

    def profile_to(self, run: str) -> Path | None:
        return self.profile_prefix.with_suffix(f".{run}.profile.txt") if self.profile_prefix else None


def measure(trainer, plan: Plan, run: str):
    """Time optimizer steps warmup..warmup+steps of an already-built trainer and count their tokens.

    The trainer's class is swapped for a subclass that takes each batch's real-token count out
    before the model sees it (so the project's own Trainer subclass is measured as it is).
    """
    import torch
    from transformers import TrainerCallback

    from supportbot.run.profiling import StepProfiler

    device = trainer.args.device.type
    warmup, steps, profile_to = plan.warmup, plan.steps, plan.profile_to(run)

    class Clock(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            if device == "cuda":
                torch.cuda.synchronize()
            if state.global_step in (warmup, warmup + steps):
                trainer.marks[state.global_step] = time.perf_counter()

    class Measured(type(trainer)):
        def training_step(self, model, inputs, num_items_in_batch=None):
            real = int(inputs.pop("real_tokens"))
            if warmup <= self.state.global_step < warmup + steps:
                self.real_tokens += real
                self.slots += int(inputs["input_ids"].numel())
            return super().training_step(model, inputs, num_items_in_batch)

    trainer.__class__ = Measured
    # Time and memory of training alone: no evaluation or checkpoint at the last step.
    trainer.args.eval_strategy = trainer.args.save_strategy = "no"
    trainer.marks, trainer.real_tokens, trainer.slots = {}, 0, 0
    trainer.add_callback(Clock())
    if profile_to:  # the step after the timed window: profile_to, and its trace beside it
        trainer.add_callback(StepProfiler(warmup + steps, 1, profile_to.parent, 0, device,
                                          name=profile_to.name.removesuffix(".txt")))
    trainer.data_collator = CountRealTokens(trainer.data_collator)
    return trainer


def timed_only(train, max_steps: int, **changes):
    """The train config for a measurement: max_steps, and no evaluation, checkpoint or log inside it."""
    return dataclasses.replace(train, max_steps=max_steps, eval_steps=10**6, save_steps=10**6, load_best_at_end=False,
                               eval_on_start=False, logging_steps=10**6, **changes)


def baseline_trainer(model, tokenizer, datasets, cfg, placement, output_dir: Path, padded: bool, max_steps: int):
    """The plain recipe, written the way its guides write it."""
    from transformers import DataCollatorForSeq2Seq, Trainer, TrainingArguments

    from supportbot.train.arguments import training_arguments

    # The project's argument builder only to get the renamed-argument compatibility; every speed
    # choice is the plain recipe's: batch 2 x 4, no length grouping, checkpointing on.
    hardware = dataclasses.replace(cfg.hardware, per_device_batch_size=2, gradient_accumulation_steps=4)
    train = timed_only(cfg.train, max_steps, gradient_checkpointing=True, group_by_length=False)
    args: TrainingArguments = training_arguments(train, hardware, placement, output_dir, "baseline")
    collator = DataCollatorForSeq2Seq(tokenizer, padding="max_length" if padded else True,
                                      max_length=cfg.data.max_seq_length if padded else None, label_pad_token_id=-100)
    trainer = Trainer(model=model, args=args, train_dataset=datasets.train.remove_columns("length"),
                      eval_dataset=datasets.validation.remove_columns("length"),  # never reached: eval_steps is
                                                                                  # out of range
                      data_collator=collator, processing_class=tokenizer)
    return trainer


def project_trainer(model, tokenizer, datasets, cfg, placement, output_dir: Path, max_steps: int):
    from supportbot.train.guard import StepGuard
    from supportbot.train.trainer import build_trainer

    train = timed_only(cfg.train, max_steps)
    guard = StepGuard("", train.preemption_grace_seconds, train.max_nonfinite_steps)
    return build_trainer(model, tokenizer, datasets, cfg.data, train, cfg.hardware, placement, output_dir, "project",
                         guard)


def memory_after_load() -> dict:
    """What loading took (its peak) and kept, in GiB; then torch's peak counters restart, so that memory_peaks can
    tell a peak that does not grow with the rows (the load's) from the training's."""
    import torch

    loaded = {"load_peak_gb": round(torch.cuda.max_memory_allocated() / 2**30, 2),
              "load_peak_reserved_gb": round(torch.cuda.max_memory_reserved() / 2**30, 2),
              "loaded_model_gb": round(torch.cuda.memory_allocated() / 2**30, 2)}
    torch.cuda.reset_peak_memory_stats()
    return loaded


def memory_peaks(loaded: dict) -> dict:
    """After training: its peak, the load's (memory_after_load), and peak_memory_gb / peak_reserved_gb as the larger
    of the two, as a memory budget sees them (the budget cap holds for the load too)."""
    import torch

    training_peak = round(torch.cuda.max_memory_allocated() / 2**30, 2)
    training_reserved = round(torch.cuda.max_memory_reserved() / 2**30, 2)
    return {"peak_memory_gb": max(training_peak, loaded["load_peak_gb"]),
            "peak_reserved_gb": max(training_reserved, loaded["load_peak_reserved_gb"]),
            "training_peak_gb": training_peak, **loaded}


def run_variant(name: str, plan: Plan, cfg, placement, tokenizer, datasets, parameters: int,
                peak_tflops: float | None) -> dict:
    import torch

    from supportbot.model.build import build_model

    if placement.device == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    model_cfg = cfg.model if name == "project" else dataclasses.replace(cfg.model, kernels="none")
    checkpointing = cfg.train.gradient_checkpointing if name == "project" else True
    model = build_model(model_cfg, cfg.lora, tokenizer, placement, Path(cfg.cache_dir).expanduser(),
                        attn_implementation="sdpa" if name != "project" else cfg.hardware.attn_implementation,
                        gradient_checkpointing=checkpointing, seed=cfg.train.seed,
                        upcast_frozen_weights=cfg.train.upcast_frozen_weights if name == "project" else True)
    loaded = memory_after_load() if placement.device == "cuda" else {}
    with tempfile.TemporaryDirectory() as output_dir:
        if name == "project":
            trainer = project_trainer(model, tokenizer, datasets, cfg, placement, Path(output_dir), plan.max_steps)
        else:
            trainer = baseline_trainer(model, tokenizer, datasets, cfg, placement, Path(output_dir) / "checkpoints",
                                       padded=name == "baseline_padded", max_steps=plan.max_steps)
        measure(trainer, plan, name).train()
    seconds = trainer.marks[plan.warmup + plan.steps] - trainer.marks[plan.warmup]
    args = trainer.args
    result = {
        "variant": name,
        "per_device_batch_size": args.per_device_train_batch_size,
        "gradient_accumulation_steps": args.gradient_accumulation_steps,
        "packing": name == "project" and cfg.data.packing,
        "gradient_checkpointing": checkpointing,
        "kernels": model_cfg.kernels,
        "cross_entropy": (type(trainer.compute_loss_func).__name__ if trainer.compute_loss_func
                          else "standard (full logits)"),
        "steps_measured": plan.steps,
        "real_tokens": trainer.real_tokens,
        "real_tokens_per_second": round(trainer.real_tokens / seconds, 1),
        "padding_share": round(1 - trainer.real_tokens / max(1, trainer.slots), 4),
        "step_seconds": round(seconds / plan.steps, 4),
        "real_tokens_per_step": trainer.real_tokens // plan.steps,
    }
    if getattr(trainer.compute_loss_func, "implementation", None):
        result["cross_entropy"] = trainer.compute_loss_func.implementation
    if name == "project" and cfg.train.torch_compile:
        from supportbot.model.compile import compile_counts

        result["torch_compile"] = compile_counts()  # graphs and graph breaks: a break leaves part of a layer eager
    if placement.device == "cuda":
        result.update(memory_peaks(loaded))
    if peak_tflops:
        result["model_tflops"] = round(6 * parameters * result["real_tokens_per_second"] / 1e12, 1)
        result["mfu"] = round(result["model_tflops"] / peak_tflops, 4)
    del trainer, model
    gc.collect()
    if placement.device == "cuda":
        torch.cuda.empty_cache()
    return result


def versions() -> dict:
    import torch
    import transformers

    found = {"python": platform.python_version(), "torch": torch.__version__, "cuda": torch.version.cuda,
             "transformers": transformers.__version__}
    for name in ("peft", "accelerate", "bitsandbytes", "liger_kernel"):
        try:
            module = __import__(name)
            found[name] = getattr(module, "__version__", None) or _distribution_version(name)
        except ImportError:
            found[name] = None
    if torch.cuda.is_available():
        found["gpu"] = torch.cuda.get_device_name(0)
    return found


def _distribution_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name.replace("_", "-"))
    except PackageNotFoundError:
        return None


def main(argv: list[str]) -> dict:
    options, overrides = split_arguments(argv)
    cfg = compose(overrides)
    output = Path(options["output"] or ROOT / "benchmarks" / "results" /
                  f"throughput-{cfg.model.name}-{cfg.hardware.precision}.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    plan = Plan(int(options["warmup"]), int(options["steps"]), output if options["profile"] == "true" else None)

    from supportbot.data import build_datasets
    from supportbot.model.build import build_tokenizer, count_parameters
    from supportbot.run.logs import setup_logging
    from supportbot.train.preflight import preflight

    placement = preflight(cfg, Path(tempfile.gettempdir()))
    setup_logging(placement)
    cache_dir = Path(cfg.cache_dir).expanduser()
    tokenizer = build_tokenizer(cfg.model, cache_dir)
    datasets = build_datasets(cfg.data, tokenizer, cache_dir)
    parameters = count_parameters(cfg.model, cfg.lora)[1] if cfg.model.architecture else 0
    peak = matmul_peak_tflops(placement.compute_dtype, placement.device)
    report = {
        "date": dt.date.today().isoformat(),
        "versions": versions(),
        "model": cfg.model.name,
        "weights": cfg.model.weights,
        "precision": placement.precision,
        "max_seq_length": cfg.data.max_seq_length,
        "data": datasets.report["source"],
        "train_rows": len(datasets.train),
        "parameters": parameters,
        "matmul_peak_tflops": round(peak, 1) if peak else None,
        "overrides": overrides,
        "runs": [],
    }
    for name in options["variants"].split(","):
        result = run_variant(name, plan, cfg, placement, tokenizer, datasets, parameters, peak)
        if name == "project":
            result["variant"] = options["label"]
        report["runs"].append(result)
        print(json.dumps(result), flush=True)
    baseline = next((run for run in report["runs"] if run["variant"] == "baseline"), None)
    if baseline:
        for run in report["runs"]:
            run["ratio_real_tokens_per_second"] = round(run["real_tokens_per_second"]
                                                        / baseline["real_tokens_per_second"], 2)
            if "peak_memory_gb" in run:
                run["ratio_peak_memory"] = round(run["peak_memory_gb"] / baseline["peak_memory_gb"], 2)
    output.write_text(json.dumps(report, indent=2))
    print_table(report)
    return report


def print_table(report: dict) -> None:
    print(f"\n{report['model']} ({report['weights']} weights), {report['precision']}, seq {report['max_seq_length']}, "
          f"{report['versions'].get('gpu', 'cpu')}, matmul peak {report['matmul_peak_tflops']} TFLOP/s")
    header = ("variant", "batch", "real tok/s", "padding", "step s", "peak GB", "MFU", "x baseline")
    print(" | ".join(header))
    for run in report["runs"]:
        print(" | ".join(str(value) for value in (
            run["variant"], f"{run['per_device_batch_size']}x{run['gradient_accumulation_steps']}",
            run["real_tokens_per_second"], f"{100 * run['padding_share']:.1f}%", run["step_seconds"],
            run.get("peak_memory_gb", "-"), f"{100 * run['mfu']:.1f}%" if "mfu" in run else "-",
            run.get("ratio_real_tokens_per_second", "-"))))


if __name__ == "__main__":
    main(sys.argv[1:])
