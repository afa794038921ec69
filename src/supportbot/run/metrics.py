"""Where a run's metrics are written: config.yaml, metrics.json and TensorBoard's HParams, in the run folder.

The folder's layout is in supportbot.run.folders; the curves (loss, learning rate, tokens/s) are
written by the Trainer's TensorBoard callback (supportbot.train.trainer) into the same run.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

from supportbot.config import RunConfig

log = logging.getLogger(__name__)


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(json.dumps(payload, indent=2, sort_keys=False) + "\n")


def write_resolved_config(run_dir: Path, cfg: RunConfig) -> str:
    text = OmegaConf.to_yaml(OmegaConf.structured(cfg))
    (run_dir / "config.yaml").write_text(text)
    return text


def run_summary(trainer, train_output, final_eval: dict[str, float], parameters: tuple[int, int],
                quantized_layers: int, ranks: list[dict[str, Any]], data_report: dict[str, Any], placement,
                wall_seconds: float, peak_memory_gb: float) -> dict[str, Any]:
    """metrics.json: one flat record per run that sweeps and evaluate.py read back.

    ranks: one record per process (supportbot.run.rank_evidence), in rank order; peak_memory_gb is this
    (the main) process's.
    """
    from supportbot.run.rank_evidence import compare_ranks

    state = trainer.state
    history = state.log_history
    train_losses = [entry["loss"] for entry in history if "loss" in entry]
    eval_curve = [[entry["step"], entry["eval_loss"]] for entry in history if "eval_loss" in entry]
    # [step, train loss, tokens/s]: the loss is the mean over all ranks since the previous log, the tokens/s
    # (SupportTrainer.log) all ranks' non-padding tokens over that window's wall time.
    train_curve = [[entry["step"], entry["loss"], entry.get("tokens_per_second")]
                   for entry in history if "loss" in entry]
    eval_losses = [loss for _, loss in eval_curve]
    trainable, total = parameters
    runtime = train_output.metrics.get("train_runtime") or wall_seconds
    return {
        "train_loss": train_losses[-1] if train_losses else None,
        "train_loss_mean": train_output.training_loss,
        "eval_loss": final_eval.get("eval_loss"),
        "best_eval_loss": min(eval_losses) if eval_losses else None,
        "eval_curve": eval_curve,  # [step, eval loss]
        "train_curve": train_curve,  # [step, train loss, tokens/s], every train.logging_steps
        "best_checkpoint": state.best_model_checkpoint,
        "global_step": state.global_step,
        "epoch": state.epoch,
        "trainable_parameters": trainable,
        "total_parameters": total,
        "quantized_layers": quantized_layers,  # nn.Linear layers held in 4-bit NF4
        "tokens_seen": state.num_input_tokens_seen,
        "tokens_per_second": round(state.num_input_tokens_seen / max(runtime, 1e-9), 1),  # non-padding, all ranks
        "train_runtime_seconds": runtime,
        "wall_seconds": round(wall_seconds, 1),
        "peak_memory_gb": round(peak_memory_gb, 3),
        "device": placement.gpu_name or placement.device,
        "precision": placement.precision,
        "world_size": placement.world_size,
        "examples_per_rank": [rank["examples"] for rank in ranks],
        **compare_ranks(ranks, placement.shards_weights),  # adapters_identical, batches_distinct
        "ranks": ranks,  # per process: pid, device, examples, peak memory, batch and adapter checksums
        "train_rows": data_report["splits"]["train"]["rows"],
        "validation_rows": data_report["splits"]["validation"]["rows"],
        "split_hash": data_report["split_hash"],
    }


# The hyperparameters every run records for TensorBoard's HParams table, so a sweep compares; the keys
# set on the command line (a sweep's varying ones among them) are added. The table's column order is the
# sweep's (supportbot.run.tensorboard.write_experiment).
HPARAM_KEYS = ("model.name", "model.weights", "data.name", "data.placeholders", "data.max_seq_length",
               "data.val_fraction", "lora.r", "lora.alpha", "lora.dropout", "train.learning_rate",
               "train.lr_scheduler", "train.epochs", "train.max_steps", "hardware.name",
               "hardware.per_device_batch_size", "hardware.gradient_accumulation_steps")


def _overridden_keys() -> list[str]:
    """Keys set on the command line (a sweep's varying ones among them), so the HParams table shows them."""
    from hydra.core.hydra_config import HydraConfig

    if not HydraConfig.initialized():
        return []
    keys = [override.split("=", 1)[0].lstrip("+~") for override in HydraConfig.get().overrides.task]
    return [key for key in keys if "." in key and not key.startswith("hydra.")]


def hparam_values(cfg: RunConfig, keys: tuple[str, ...] = ()) -> dict[str, Any]:
    """{key: value} of HPARAM_KEYS and `keys` in this config, plain values only (what TensorBoard can show)."""
    config = OmegaConf.structured(cfg)
    values = {key: OmegaConf.select(config, key) for key in (*HPARAM_KEYS, *keys)}
    return {key: value for key, value in values.items() if isinstance(value, (bool, int, float, str))}


def write_hparams(log_dir: Path, cfg: RunConfig, summary: dict[str, Any], trial: str) -> None:
    """This run's row of TensorBoard's HParams table, in its own TensorBoard run (one run per job; the torch
    helper SummaryWriter.add_hparams would open a second one). trial: the row's name (the run name)."""
    from supportbot.run.tensorboard import HPARAM_METRICS, write_session

    metrics = {key: summary[key] for key in HPARAM_METRICS if summary.get(key) is not None}
    write_session(log_dir, hparam_values(cfg, tuple(_overridden_keys())), metrics, summary["global_step"], trial)
