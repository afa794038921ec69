"""Every step boundary: stop cleanly for a signal (preemption), stop for a loss that stays NaN/inf.

SIGTERM/SIGINT (a scheduler's preemption, Ctrl-C) makes all ranks save a checkpoint at the end of
the step and exit 128+signal with the exact command that resumes the run; a watchdog exits if the
save cannot finish within `train.preemption_grace_seconds`. A loss that is non-finite for
`train.max_nonfinite_steps` steps in a row stops the run with advice instead of saving garbage.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Optional

import torch
from transformers import TrainerCallback

from supportbot.errors import NonFiniteLoss, Preempted

log = logging.getLogger(__name__)


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
