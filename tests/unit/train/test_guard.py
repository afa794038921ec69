"""The step guard: a loss that stays NaN stops with advice."""

from __future__ import annotations

import pytest
import torch

from supportbot.errors import NonFiniteLoss
from supportbot.train.guard import StepGuard


def test_a_loss_that_stays_nan_stops_with_advice():
    guard = StepGuard("python train.py", grace_seconds=60, max_nonfinite_steps=3)

    class Control:
        should_save = should_training_stop = False

    class State:
        global_step = 7

    guard.record_loss(torch.tensor(float("nan")))
    guard.on_step_end(None, State(), Control())
    guard.record_loss(torch.tensor(1.0))  # a finite step resets the count (the fp16 scaler skips bad steps)
    guard.on_step_end(None, State(), Control())
    for _ in range(2):
        guard.record_loss(torch.tensor(float("inf")))
        guard.on_step_end(None, State(), Control())
    guard.record_loss(torch.tensor(float("nan")))  # one bad micro-batch of an accumulated step is a bad step
    guard.record_loss(torch.tensor(2.0))
    with pytest.raises(NonFiniteLoss, match="NaN or infinite for 3 steps.*lower learning rate.*bf16"):
        guard.on_step_end(None, State(), Control())
