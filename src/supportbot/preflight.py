"""Checks that need no model and no download, run by train.py before anything heavy.

In this order: the launch matches the hardware option (process count, GPU, bf16 support), the
speed options can run here (Liger needs CUDA and its package), the LoRA targets exist in the
architecture, and the disk can hold what the run will write. Config values were already checked
at the typed boundary; data problems surface next, while the tokenised data is built, still
before the model loads.
"""

from __future__ import annotations

from pathlib import Path

from supportbot.config import RunConfig
from supportbot.losses import require_liger
from supportbot.model import check_target_modules
from supportbot.parallel import Placement, resolve_placement
from supportbot.resilience import check_disk, output_bytes_needed


def preflight(cfg: RunConfig, run_dir: Path) -> Placement:
    placement = resolve_placement(cfg.hardware)
    if cfg.model.kernels == "liger":
        require_liger("model.kernels=liger", placement.device, instead="model.kernels=none")
    if cfg.train.cross_entropy == "liger":
        require_liger("train.cross_entropy=liger", placement.device, instead="train.cross_entropy=chunked")
    trainable = check_target_modules(cfg.model, cfg.lora)
    if trainable is not None and placement.is_main:  # a full disk found at the first save loses the run
        check_disk(run_dir, output_bytes_needed(trainable, cfg.train.optimizer, cfg.train.save_total_limit))
    return placement
