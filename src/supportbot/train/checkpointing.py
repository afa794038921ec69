"""Training checkpoints, whole or not at all: staging, the completion marker, rotation and resume.

A checkpoint is written under `checkpoints/.incomplete/checkpoint-N`, marked complete once every
rank has written its part (supportbot.run.folders: the marker lists each file's size and is written
last), then renamed into place; the rotation to `train.save_total_limit` runs after the rename, so it
sees only whole checkpoints. A folder cut short by a kill, or a truncated file, is recognised and
skipped with a warning.

`train.resume=auto` (the default) continues from the newest complete checkpoint in the run
folder, so re-running the same command with the same `hydra.run.dir` (sweep jobs, SLURM and
Kaggle scripts, the line printed on preemption) picks up where it stopped: global step,
optimizer, scheduler, RNG and data order all come back from the checkpoint.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Optional

from transformers import Trainer

from supportbot.compat import overrides_trainer, rotate_checkpoints
from supportbot.errors import ConfigError
from supportbot.run.folders import MARKER, is_complete, mark_complete

log = logging.getLogger(__name__)

STAGING = ".incomplete"


class StagedCheckpoints(Trainer):
    """Trainer whose checkpoints are staged, marked complete and renamed into place (SupportTrainer's base)."""

    _staging = False

    def before_checkpoint(self) -> None:
        """Called on every rank before a checkpoint is written: bring state that lives elsewhere up to date."""

    @overrides_trainer
    def _get_output_dir(self, trial) -> str:
        root = super()._get_output_dir(trial)
        return os.path.join(root, STAGING) if self._staging else root

    @overrides_trainer
    def _save_checkpoint(self, model, trial) -> None:
        """Save into checkpoints/.incomplete/checkpoint-N, then mark it complete and rename it into place."""
        self.before_checkpoint()
        root = Path(self.args.output_dir)
        name = f"checkpoint-{self.state.global_step}"
        staged, final = root / STAGING / name, root / name
        if self.args.should_save:
            shutil.rmtree(staged, ignore_errors=True)
        self.accelerator.wait_for_everyone()
        self._staging = True
        try:
            super()._save_checkpoint(model, trial)
        finally:
            self._staging = False
        self.accelerator.wait_for_everyone()  # every rank's RNG state is in the folder
        if self.args.should_save:
            if self.state.best_model_checkpoint == str(staged):
                self.state.best_model_checkpoint = str(final)
                self.state.save_to_json(str(staged / "trainer_state.json"))
            mark_complete(staged)
            shutil.rmtree(final, ignore_errors=True)
            staged.rename(final)
            if not any((root / STAGING).iterdir()):
                (root / STAGING).rmdir()
            # The rotation inside the save saw only the staging folder: keep save_total_limit (and the best) here.
            rotate_checkpoints(self, root)
        self.accelerator.wait_for_everyone()


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
