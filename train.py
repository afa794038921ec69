"""Fine-tune a small chat model into a customer-support assistant with 4-bit QLoRA.

    python train.py experiment=quickstart                 # SmolLM2-135M on the bundled sample, ~2 min on CPU
    accelerate launch train.py hardware=2xT4              # Llama-3.2-3B-Instruct on Bitext, 2 GPUs data-parallel
    python train.py model=qwen3-4b lora.r=32 data.placeholders=generic data.max_seq_length=1024

Everything a run makes lands in the folder Hydra gives it (outputs/<date>/<time>/): see
src/supportbot/outputs.py. conf/ holds every option; README.md has the table.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from supportbot.config import RunConfig, register_configs, to_run_config
from supportbot.errors import SupportbotError
from supportbot.sweeps import refuse_multirun_under_distributed

log = logging.getLogger("supportbot.train")
register_configs()


def train(cfg: RunConfig, run_dir: Path, resume_command: str = "python train.py ...") -> dict:
    """One training run; returns what it also writes to <run_dir>/metrics.json."""
    from accelerate import PartialState
    from accelerate.utils import gather_object
    from transformers import set_seed

    from supportbot.data import build_datasets
    from supportbot.model import build_model, build_tokenizer, quantized_layers, trainable_parameters
    from supportbot.outputs import run_summary, write_hparams, write_json, write_resolved_config
    from supportbot.parallel import peak_memory_gb, setup_logging
    from supportbot.preflight import preflight
    from supportbot.resilience import StepGuard, resolve_resume
    from supportbot.training import build_trainer, final_evaluation

    started = time.time()
    placement = preflight(cfg, run_dir)  # wrong launch, GPU, LoRA targets or disk: stop before anything loads
    setup_logging(placement)
    # On CPU, say so: a bare PartialState() there is not distributed, so local_main_process_first below would
    # let every rank build the caches at once (and under DeepSpeed, whose process group already exists,
    # save_pretrained on rank 1 skips the weights of the random checkpoint it is writing).
    state = PartialState(cpu=placement.device == "cpu")
    cache_dir = Path(cfg.cache_dir).expanduser()
    run_name = cfg.run_name or f"{cfg.model.name}-{cfg.data.name}"
    if placement.is_main:
        log.info("run folder: %s\n%s", run_dir, write_resolved_config(run_dir, cfg))

    set_seed(cfg.train.seed)  # the adapter's random init too: same seed, same run
    # Conversions, downloads and tokenisation happen once per machine; the other ranks reuse them.
    with state.local_main_process_first():
        tokenizer = build_tokenizer(cfg.model, cache_dir)
        datasets = build_datasets(cfg.data, tokenizer, cache_dir)
        model = build_model(cfg.model, cfg.lora, tokenizer, placement, cache_dir,
                            attn_implementation=cfg.hardware.attn_implementation,
                            gradient_checkpointing=cfg.train.gradient_checkpointing, seed=cfg.train.seed)
    if placement.is_main:
        write_json(run_dir / "data_report.json", datasets.report)
    parameters = trainable_parameters(model)
    log.info("trainable parameters: %s of %s (%.3f%%) | %s, %s x %d process(es)", f"{parameters[0]:,}",
             f"{parameters[1]:,}", 100 * parameters[0] / parameters[1], placement.gpu_name or placement.device,
             placement.precision, placement.world_size)

    guard = StepGuard(resume_command, cfg.train.preemption_grace_seconds, cfg.train.max_nonfinite_steps)
    trainer = build_trainer(model, tokenizer, datasets, cfg.data, cfg.train, cfg.hardware, placement, run_dir, run_name,
                            guard)
    guard.install()
    try:
        train_output = trainer.train(resume_from_checkpoint=resolve_resume(cfg.train.resume, run_dir / "checkpoints"))
    finally:
        guard.uninstall()
    preempted = guard.stopped_by_signal(trainer.state.global_step, run_dir / "checkpoints")
    if preempted:
        raise preempted
    final_eval = final_evaluation(trainer)
    trainer.save_model(str(run_dir / "adapter"))
    # What each rank trained on and its adapter's checksum, one record per rank in rank order.
    ranks = gather_object([trainer.rank_evidence.record(trainer, placement, peak_memory_gb(placement))])
    summary = run_summary(trainer, train_output, final_eval, parameters, quantized_layers(model), ranks,
                          datasets.report, placement, time.time() - started, peak_memory_gb(placement))
    if placement.is_main:
        write_json(run_dir / "metrics.json", summary)
        write_hparams(run_dir / "tensorboard" / run_name, cfg, summary)
        log.info("done: eval loss %.4f (best %.4f), adapter in %s", summary["eval_loss"], summary["best_eval_loss"],
                 run_dir / "adapter")
    return summary


def resume_command(run_dir: Path) -> str:
    """This run's own command line, pinned to its folder: what to type to continue it."""
    overrides = " ".join(HydraConfig.get().overrides.task)
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    launcher = f"accelerate launch --multi_gpu --num_processes {world_size}" if world_size > 1 else "python"
    return f"{launcher} train.py {overrides} hydra.run.dir={run_dir}".replace("  ", " ")


@hydra.main(version_base="1.3", config_path="conf", config_name="train")
def main(cfg: DictConfig) -> float:
    run_dir = Path(HydraConfig.get().runtime.output_dir)
    try:
        summary = train(to_run_config(cfg), run_dir, resume_command(run_dir))
    except SupportbotError as error:
        log.error("%s", error)
        raise SystemExit(getattr(error, "exit_code", 2)) from None
    return summary["eval_loss"]  # what a sweeper minimises


if __name__ == "__main__":
    refuse_multirun_under_distributed(sys.argv[1:])
    main()
