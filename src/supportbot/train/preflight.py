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
from supportbot.distributed import Placement, resolve_placement
from supportbot.errors import DiskSpaceError
from supportbot.model.build import check_target_modules
from supportbot.model.losses import require_liger
from supportbot.run.folders import free_bytes

# What one checkpoint holds per trainable parameter: the adapter in fp32 (4 bytes) and the
# optimizer's two moments (8-bit AdamW: 2 bytes, 32-bit: 8). Tokenizer files and trainer state
# add a few MB, rounded up to a fixed allowance.
OPTIMIZER_BYTES_PER_PARAMETER = {"paged_adamw_8bit": 2, "adamw_8bit": 2, "paged_adamw_32bit": 8, "adamw_torch": 8}
FILES_PER_CHECKPOINT = 64 * 2**20


def output_bytes_needed(trainable_parameters: int, optimizer: str, save_total_limit: int) -> int:
    """Checkpoints kept (the limit, plus the best one, plus one being written) and the final adapter."""
    checkpoint = trainable_parameters * (4 + OPTIMIZER_BYTES_PER_PARAMETER[optimizer]) + FILES_PER_CHECKPOINT
    adapter = trainable_parameters * 4 + FILES_PER_CHECKPOINT
    return int(((save_total_limit + 2) * checkpoint + adapter) * 1.1)  # 10% for logs and events


def check_disk(run_dir: Path, needed: int) -> None:
    free = free_bytes(run_dir)
    if free < needed:
        raise DiskSpaceError(
            f"The disk of {run_dir} has {free / 2**30:.2f} GB free, and this run will write about "
            f"{needed / 2**30:.2f} GB (checkpoints x train.save_total_limit, the best one and the final adapter). "
            "Free some space, keep fewer checkpoints (train.save_total_limit=1), or write the run elsewhere "
            "(hydra.run.dir=/a/bigger/disk/run)."
        )


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
