"""`train.profile_from=N`: torch.profiler over a few optimizer steps on every rank.

Where a step's time goes is the first question when a run is slower than expected (one GPU idle while
the host launches kernels, the two ranks of a data-parallel run waiting on each other). The callback
profiles optimizer steps N .. N+train.profile_steps-1 and writes, per rank, into <run>/profile/:

    rank<R>.txt            wall time per step, GPU busy time per step (kernels and copies; collectives apart,
                           as they include waiting for the other ranks), the busy share,
                           and the operators by self CPU time and by GPU time
    rank<R>.trace.json.gz  the timeline for chrome://tracing or https://ui.perfetto.dev
and returns the same figures for metrics.json (`ranks[].profile`).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Optional

import torch
from transformers import TrainerCallback

log = logging.getLogger(__name__)

TABLE_ROWS = 30


SELF_DEVICE_TIME = "self_device_time_total"  # GPU time of an event (torch >= 2.4, which pyproject.toml requires)


class StepProfiler(TrainerCallback):
    """Profiles optimizer steps [first_step, first_step + steps) of this rank (global_step counts from 0).
    Files: <out_dir>/<name>.txt and <name>.trace.json.gz, name rank<R> unless given."""

    def __init__(self, first_step: int, steps: int, out_dir: Path, rank: int, device: str, name: str | None = None):
        self.first_step, self.steps = first_step, steps
        self.out_dir, self.rank, self.device = Path(out_dir), rank, device
        self.name = name or f"rank{rank}"
        self.profiler: Optional[torch.profiler.profile] = None
        self.started_at = 0.0
        self.summary: Optional[dict[str, Any]] = None

    def _synchronize(self) -> None:
        if self.device == "cuda":
            torch.cuda.synchronize()

    def on_step_begin(self, args, state, control, **kwargs):
        if self.profiler is None and self.summary is None and state.global_step == self.first_step:
            activities = [torch.profiler.ProfilerActivity.CPU]
            if self.device == "cuda":
                activities.append(torch.profiler.ProfilerActivity.CUDA)
            self._synchronize()  # earlier steps' queued kernels are not this window's
            self.profiler = torch.profiler.profile(activities=activities)
            self.profiler.__enter__()
            self.started_at = time.perf_counter()

    def on_step_end(self, args, state, control, **kwargs):
        if self.profiler is not None and state.global_step >= self.first_step + self.steps:
            self._finish(state.global_step - self.first_step)

    def on_train_end(self, args, state, control, **kwargs):
        if self.profiler is not None:  # training ended inside the window: keep what was recorded
            self._finish(max(state.global_step - self.first_step, 1))
        elif self.summary is None and self.rank == 0:
            log.warning("train.profile_from=%d: training ended at step %d before the profiled window began; "
                        "nothing was profiled (lower train.profile_from)", self.first_step, state.global_step)

    def _finish(self, steps: int) -> None:
        self._synchronize()
        wall_seconds = time.perf_counter() - self.started_at
        profiler, self.profiler = self.profiler, None
        profiler.__exit__(None, None, None)
        self.summary = self._write(profiler, wall_seconds, steps)

    def _write(self, profiler, wall_seconds: float, steps: int) -> dict[str, Any]:
        events = profiler.key_averages()
        kernels = [e for e in events if e.device_type == torch.autograd.DeviceType.CUDA]
        # A collective's kernel runs while it waits for the other ranks, often beside compute on another
        # stream: counted apart, or "busy" would exceed 100% and include the waiting.
        collective = sum(getattr(e, SELF_DEVICE_TIME) for e in kernels if "nccl" in e.key.lower()) / 1e6
        gpu_busy = sum(getattr(e, SELF_DEVICE_TIME) for e in kernels) / 1e6 - collective
        cpu_self = sum(e.self_cpu_time_total for e in events) / 1e6
        summary = {
            "steps": [self.first_step + 1, self.first_step + steps],  # as the logs number them (1-based)
            "wall_seconds_per_step": round(wall_seconds / steps, 4),
            "gpu_busy_seconds_per_step": round(gpu_busy / steps, 4) if self.device == "cuda" else None,
            "gpu_busy_pct": round(100 * gpu_busy / wall_seconds, 1) if self.device == "cuda" else None,
            "collective_seconds_per_step": round(collective / steps, 4) if self.device == "cuda" else None,
            "cpu_op_seconds_per_step": round(cpu_self / steps, 4),
            "table": str(self.out_dir / f"{self.name}.txt"),
        }
        self.out_dir.mkdir(parents=True, exist_ok=True)
        lines = [f"rank {self.rank}: optimizer steps {summary['steps'][0]}-{summary['steps'][1]} ({steps} steps)",
                 *(f"{key}: {value}" for key, value in summary.items() if key not in ("steps", "table")), "",
                 "operators by self CPU time:",
                 events.table(sort_by="self_cpu_time_total", row_limit=TABLE_ROWS)]
        if self.device == "cuda":
            lines += ["", "operators by GPU time:", events.table(sort_by=SELF_DEVICE_TIME, row_limit=TABLE_ROWS)]
        (self.out_dir / f"{self.name}.txt").write_text("\n".join(lines) + "\n")
        profiler.export_chrome_trace(str(self.out_dir / f"{self.name}.trace.json.gz"))
        log.info("profile of steps %d-%d written to %s (%.3f s/step, GPU busy %s%%)", *summary["steps"],
                 self.out_dir, summary["wall_seconds_per_step"], summary["gpu_busy_pct"])
        return summary
