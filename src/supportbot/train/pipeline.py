"""One training run, step by step: checks, data, model, Trainer, training, the adapter and the run's records.

    from supportbot.train.pipeline import train
    metrics = train(cfg, run_dir)          # cfg: a RunConfig (supportbot.config.to_run_config)

train.py wraps this in Hydra; the tests call it in-process on a composed config.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from supportbot.config import RunConfig

log = logging.getLogger(__name__)


def train(cfg: RunConfig, run_dir: Path, resume_command: str = "python train.py ...") -> dict:
    """One training run; returns what it also writes to <run_dir>/metrics.json."""
    from supportbot.train.preflight import planned_steps, preflight, quick_checks

    # The data file and the hub first: a wrong data.path stops in about a second, before torch is imported.
    rows, _ = quick_checks(cfg)
    from accelerate import PartialState
    from accelerate.utils import gather_object
    from transformers import set_seed

    from supportbot.data import build_datasets
    from supportbot.distributed import peak_memory_gb, skip_fsdp_writeback_check
    from supportbot.export.card import adapter_card
    from supportbot.model.build import build_model, build_tokenizer, quantized_layers, trainable_parameters
    from supportbot.model.sources import record_base
    from supportbot.run.logs import FILE_ONLY, quiet_console, setup_logging
    from supportbot.run.metrics import run_summary, write_hparams, write_json, write_resolved_config
    from supportbot.train.checkpointing import resolve_resume
    from supportbot.train.guard import StepGuard
    from supportbot.train.trainer import build_trainer, final_evaluation

    started = time.time()
    quiet_console()  # before preflight: its checks already touch transformers, which warns
    run_dir.mkdir(parents=True, exist_ok=True)
    placement = preflight(cfg, run_dir)  # wrong launch, GPU, LoRA targets or disk: stop before anything loads
    setup_logging(placement)
    if skip_fsdp_writeback_check(placement):  # before the Trainer wraps the model: FSDP reads it then
        log.info("FSDP runs NO_SHARD here (one process, or chosen): its writeback check is off, a torch bug's "
                 "workaround (supportbot.distributed.skip_fsdp_writeback_check)")
    # On CPU, say so: a bare PartialState() there is not distributed, so local_main_process_first below would
    # let every rank build the caches at once (and under DeepSpeed, whose process group already exists,
    # save_pretrained on rank 1 skips the weights of the random checkpoint it is writing).
    state = PartialState(cpu=placement.device == "cpu")
    cache_dir = Path(cfg.cache_dir).expanduser()
    run_name = cfg.run_name or f"{cfg.model.name}-{cfg.data.name}"
    if placement.is_main:
        # The console gets a few lines (run_header, steps below); the whole config goes to config.yaml and train.log.
        log.info("resolved config (also %s):\n%s", run_dir / "config.yaml", write_resolved_config(run_dir, cfg),
                 extra=FILE_ONLY)
        log.info("%s", run_header(cfg, run_dir))

    set_seed(cfg.train.seed)  # the adapter's random init too: same seed, same run
    # Conversions, downloads and tokenisation happen once per machine; the other ranks reuse them.
    with state.local_main_process_first():
        tokenizer = build_tokenizer(cfg.model, cache_dir)
        datasets = build_datasets(cfg.data, tokenizer, cache_dir, rows, cfg.tools)
        model = build_model(cfg.model, cfg.lora, tokenizer, placement, cache_dir,
                            attn_implementation=cfg.hardware.attn_implementation,
                            gradient_checkpointing=cfg.train.gradient_checkpointing, seed=cfg.train.seed,
                            upcast_frozen_weights=cfg.train.upcast_frozen_weights)
    if placement.is_main:
        write_json(run_dir / "data_report.json", datasets.report)
    parameters = trainable_parameters(model)
    log.info("trainable parameters: %s of %s (%.3f%%) | %s, %s x %d process(es)", f"{parameters[0]:,}",
             f"{parameters[1]:,}", 100 * parameters[0] / parameters[1], placement.gpu_name or placement.device,
             placement.precision, placement.world_size)

    guard = StepGuard(resume_command, cfg.train.preemption_grace_seconds, cfg.train.max_nonfinite_steps)
    trainer = build_trainer(model, tokenizer, datasets, cfg.data, cfg.train, cfg.hardware, placement, run_dir, run_name,
                            guard)
    # The rows the Trainer iterates (packed ones, with data.packing), counted as validate=true's plan counts them.
    log.info("steps: %s | %d train / %d validation rows | batch %d x %d accumulation x %d process(es)",
             planned_steps(cfg, placement.world_size, len(trainer.train_dataset)), len(datasets.train),
             len(datasets.validation),
             cfg.hardware.per_device_batch_size, cfg.hardware.gradient_accumulation_steps, placement.world_size)
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
    if cfg.train.torch_compile:
        from supportbot.model.compile import compile_counts

        summary["torch_compile"] = compile_counts()  # a graph break leaves part of each layer to eager Python
        log.info("train.torch_compile: %(graphs)d compiled graph(s), %(graph_breaks)d graph break(s)",
                 summary["torch_compile"])
    if placement.is_main:
        write_json(run_dir / "metrics.json", summary)
        # PEFT names this machine's cache folder as the base (a converted GGUF, random weights) and leaves a card
        # template of "[More Information Needed]": name a base others can load, and say what was trained.
        base = record_base(run_dir / "adapter", cfg.model)
        (run_dir / "adapter" / "README.md").write_text(adapter_card(cfg, datasets.report, summary, run_name, base))
        write_hparams(run_dir / "tensorboard" / run_name, cfg, summary, run_name)
        log.info("done: eval loss %.4f (best %.4f), adapter in %s", summary["eval_loss"], summary["best_eval_loss"],
                 run_dir / "adapter")
        log.info("next:\n%s", next_commands(run_dir))
    return summary


def next_commands(run_dir: Path) -> str:
    """What to do with a finished run, in the README's order: measure it, talk to it, see its curves, ship it."""
    return "\n".join(f"  {command:<58} # {why}" for command, why in (
        (f"python evaluate.py run={run_dir}", "base vs fine-tuned on held-out questions"),
        (f"python evaluate.py run={run_dir} mode=chat", "talk to it"),
        (f"tensorboard --logdir {run_dir}/tensorboard", "the training curves"),
        (f"python -m supportbot.export run={run_dir} format=all", "merged 16-bit, GGUF and an Ollama Modelfile"),
    ))


def run_header(cfg: RunConfig, run_dir: Path) -> str:
    """The console's first lines: where the run goes and what it trains on what."""
    model = cfg.model.path or (cfg.model.gguf.hub_id if cfg.model.gguf else None) or cfg.model.name
    data = cfg.data.path or cfg.data.hub_id or cfg.data.builtin or cfg.data.name
    return (f"run folder: {run_dir} (config.yaml, train.log, tensorboard/)\n"
            f"model: {cfg.model.name} ({model}, {cfg.model.weights} weights) | data: {cfg.data.name} ({data}), "
            f"seq {cfg.data.max_seq_length}, placeholders={cfg.data.placeholders} | lora r={cfg.lora.r} "
            f"alpha={cfg.lora.alpha} | lr {cfg.train.learning_rate:g}")
