"""What a run leaves in its folder (Hydra picks the folder; nothing here invents paths).

    <run>/config.yaml          the resolved config, every default filled in
    <run>/data_report.json     rows read, dropped by reason, kept, per split and intent, split hash
    <run>/tensorboard/<name>/  train/eval loss, learning rate, grad norm, tokens/s, memory
    <run>/checkpoints/         the last `save_total_limit` checkpoints (and the best)
    <run>/adapter/             the final LoRA adapter (PEFT format) with the tokenizer
    <run>/metrics.json         the summary below
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
                quantized_layers: int, examples_per_rank: list[int], data_report: dict[str, Any], placement, wall_seconds: float,
                peak_memory_gb: float) -> dict[str, Any]:
    """metrics.json: one flat record per run that sweeps and evaluate.py read back."""
    state = trainer.state
    history = state.log_history
    train_losses = [entry["loss"] for entry in history if "loss" in entry]
    eval_losses = [entry["eval_loss"] for entry in history if "eval_loss" in entry]
    trainable, total = parameters
    runtime = train_output.metrics.get("train_runtime") or wall_seconds
    return {
        "train_loss": train_losses[-1] if train_losses else None,
        "train_loss_mean": train_output.training_loss,
        "eval_loss": final_eval.get("eval_loss"),
        "best_eval_loss": min(eval_losses) if eval_losses else None,
        "eval_losses": eval_losses,
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
        "examples_per_rank": examples_per_rank,
        "train_rows": data_report["splits"]["train"]["rows"],
        "validation_rows": data_report["splits"]["validation"]["rows"],
        "split_hash": data_report["split_hash"],
    }
