"""Nothing lost: whole checkpoints, automatic resume, preemption, and runs that stop diverging.

Checkpoints are written under `checkpoints/.incomplete/` and renamed into place once every rank
has written its part; a marker listing each file's size is the last thing written, so a folder
cut short by a kill (or a truncated file) is recognised and skipped with a warning.

`train.resume=auto` (the default) continues from the newest complete checkpoint in the run
folder, so re-running the same command with the same `hydra.run.dir` (sweep jobs, SLURM and
Kaggle scripts, the line printed on preemption) picks up where it stopped: global step,
optimizer, scheduler, RNG and data order all come back from the checkpoint.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Optional

import torch
from transformers import TrainerCallback

from supportbot.errors import ConfigError, SupportbotError

log = logging.getLogger(__name__)

MARKER = "supportbot-complete.json"
STAGING = ".incomplete"


class Preempted(SupportbotError):
    """SIGTERM/SIGINT arrived; a checkpoint was saved and the run stopped cleanly."""

    def __init__(self, message: str, signal_number: int):
        super().__init__(message)
        self.exit_code = 128 + signal_number


class DiskSpaceError(SupportbotError):
    """The output folder's disk cannot hold the checkpoints and the adapter this run will write."""


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
    import shutil

    free = shutil.disk_usage(run_dir).free
    if free < needed:
        raise DiskSpaceError(
            f"The disk of {run_dir} has {free / 2**30:.2f} GB free, and this run will write about "
            f"{needed / 2**30:.2f} GB (checkpoints x train.save_total_limit, the best one and the final adapter). "
            "Free some space, keep fewer checkpoints (train.save_total_limit=1), or write the run elsewhere "
            "(hydra.run.dir=/a/bigger/disk/run)."
        )


class NonFiniteLoss(SupportbotError):
    """The loss stayed NaN/inf for too many steps in a row."""


def mark_complete(folder: Path) -> None:
    files = {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}
    (folder / MARKER).write_text(json.dumps({"files": files}, indent=1))


def is_complete(folder: Path) -> tuple[bool, str]:
    marker = folder / MARKER
    if not marker.is_file():
        return False, "no completion marker (the save was cut short)"
    for name, size in json.loads(marker.read_text())["files"].items():
        path = folder / name
        if not path.is_file():
            return False, f"{name} is missing"
        if path.stat().st_size != size:
            return False, f"{name} is {path.stat().st_size} bytes, {size} were written"
    return True, ""


def _step(folder: Path) -> int:
    try:
        return int(folder.name.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return -1


def newest_complete_checkpoint(checkpoint_dir: Path) -> Optional[Path]:
    """The newest whole checkpoint; every torn one on the way is named in a warning."""
    torn = sorted((checkpoint_dir / STAGING).glob("checkpoint-*")) if (checkpoint_dir / STAGING).is_dir() else []
    for folder in torn:
        log.warning("skipping %s: a checkpoint save that never finished", folder)
    for folder in sorted(checkpoint_dir.glob("checkpoint-*"), key=_step, reverse=True):
        complete, why = is_complete(folder)
        if complete:
            return folder
        log.warning("skipping torn checkpoint %s: %s", folder, why)
    return None


def resolve_resume(setting: str, checkpoint_dir: Path) -> Optional[str]:
    """train.resume: auto (newest complete checkpoint, if any) | never | a checkpoint folder."""
    if setting == "never":
        return None
    if setting == "auto":
        found = newest_complete_checkpoint(checkpoint_dir)
        if found is not None:
            log.info("resuming from %s (train.resume=auto; train.resume=never starts over)", found)
        return str(found) if found else None
    folder = Path(setting).expanduser()
    complete, why = is_complete(folder) if folder.is_dir() else (False, "it does not exist")
    if not complete:
        raise ConfigError(
            f"train.resume={setting!r} cannot be resumed from: {why}. Give a complete checkpoint folder "
            f"(one holding {MARKER}), or train.resume=auto to take the newest complete one, or train.resume=never."
        )
    return str(folder)


class StepGuard(TrainerCallback):
    """At every step boundary, all ranks agree on two things: stop for a signal, stop for a diverged loss.

    One all-reduce of two numbers per step: a signal may reach one rank only, and a rank that
    stops alone leaves the others waiting for it forever.
    """

    def __init__(self, resume_command: str, grace_seconds: float, max_nonfinite_steps: int):
        self.resume_command = resume_command
        self.grace_seconds = grace_seconds
        self.max_nonfinite_steps = max_nonfinite_steps
        self.signal_number: Optional[int] = None
        self.nonfinite_steps = 0
        self.step_finite: Optional[torch.Tensor] = None  # every micro-batch loss of this step finite, on its device
        self.previous_handlers: dict[int, object] = {}

    def install(self) -> None:
        for number in (signal.SIGTERM, signal.SIGINT):
            self.previous_handlers[number] = signal.signal(number, self._on_signal)

    def uninstall(self) -> None:
        for number, handler in self.previous_handlers.items():
            signal.signal(number, handler)

    def _on_signal(self, number: int, frame) -> None:
        if self.signal_number is None:
            self.signal_number = number
            log.warning("%s received: saving a checkpoint at the end of this step, then stopping "
                        "(train.preemption_grace_seconds=%s)", signal.Signals(number).name, self.grace_seconds)
            # If the save cannot finish in time, leave before the scheduler's SIGKILL does it for us.
            timer = threading.Timer(self.grace_seconds, self._give_up)
            timer.daemon = True
            timer.start()

    def _give_up(self) -> None:
        sys.stderr.write(f"preemption grace period of {self.grace_seconds}s ran out before the checkpoint was "
                         "saved; exiting. The newest complete checkpoint is still there for train.resume=auto.\n")
        sys.stderr.flush()
        os._exit(128 + (self.signal_number or signal.SIGTERM))

    def record_loss(self, loss: torch.Tensor) -> None:
        # Stays on the loss's device: reading it here would make the host wait for the GPU on every
        # micro-batch (and, data-parallel, for the other ranks); on_step_end reads it once per step.
        finite = torch.isfinite(loss).all()
        self.step_finite = finite if self.step_finite is None else self.step_finite & finite

    def on_step_end(self, args, state, control, **kwargs):
        device = self.step_finite.device if self.step_finite is not None else torch.device("cpu")
        distributed = torch.distributed.is_available() and torch.distributed.is_initialized()
        if distributed:
            backend = torch.distributed.get_backend()
            device = torch.device("cuda", torch.cuda.current_device()) if backend == "nccl" else torch.device("cpu")
        finite = self.step_finite.to(device) if self.step_finite is not None else torch.tensor(True, device=device)
        self.step_finite = None
        flags = torch.stack([torch.tensor(float(self.signal_number or 0), device=device), (~finite).float()])
        if distributed:
            torch.distributed.all_reduce(flags, op=torch.distributed.ReduceOp.MAX)
        signal_number, nonfinite = (int(value) for value in flags.tolist())  # the step's one host-device sync
        self.nonfinite_steps = self.nonfinite_steps + 1 if nonfinite else 0
        if self.nonfinite_steps >= self.max_nonfinite_steps:
            raise NonFiniteLoss(
                f"The training loss was NaN or infinite for {self.nonfinite_steps} steps in a row (step "
                f"{state.global_step}); training stopped instead of saving garbage. Try, in this order: a lower "
                "learning rate (train.learning_rate=1e-4 or 5e-5) with more warm-up (train.warmup=0.1); bf16 instead "
                "of fp16 where the GPU has it (compute capability 8.0+: hardware.precision=bf16); fp32 "
                "(hardware.precision=fp32) to find the layer that overflows; shorter rows (data.max_seq_length). "
                f"Change how many steps are tolerated with train.max_nonfinite_steps (now {self.max_nonfinite_steps})."
            )
        if signal_number and self.signal_number is None:
            self.signal_number = signal_number  # another rank got it
        if signal_number:
            control.should_save = True
            control.should_training_stop = True
        return control

    def stopped_by_signal(self, step: int, checkpoint_dir: Path) -> Optional[Preempted]:
        if self.signal_number is None:
            return None
        name = signal.Signals(self.signal_number).name
        return Preempted(
            f"Stopped by {name} at step {step}; checkpoint saved in {checkpoint_dir}/checkpoint-{step}. "
            f"To resume, run the same command in the same folder: {self.resume_command}", self.signal_number)
