"""Where each process runs and in what precision: the one place that knows about ranks and GPUs.

Applied in this order, before any model is loaded:
1. read the process layout that `accelerate launch` / `torchrun` exported (WORLD_SIZE, RANK,
   LOCAL_RANK; `launched_layout` is the only reader of those variables);
2. check it against the hardware option (a 2xT4 option started as one process is a mistake
   worth stopping for: it would silently train at half speed with a different effective batch);
3. pick the device (each rank its own GPU: `device_map={"": local_rank}`, never "auto" under DDP);
4. pick the precision: bf16 from compute capability 8.0 (A100, H100), fp16 below (T4, V100)
   -- by capability, not `torch.cuda.is_bf16_supported()`, which says yes on a T4 and then
   emulates bf16 slowly; fp32 on CPU, where bitsandbytes computes 4-bit layers in fp32.

It also says how to start a given layout (`accelerate_launch_args`, `launch_prefix`), for the sweep
launcher and for the resume command printed on preemption. torch is imported only where a GPU is
asked about, so that reading the layout (run folder names, sweep refusal) stays cheap.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from supportbot.config import HardwareConfig
from supportbot.errors import LaunchError

log = logging.getLogger(__name__)

# accelerate launch --mixed_precision for each hardware.precision (fp32 is "no" mixed precision; auto is decided
# per rank from the GPU, so the launcher leaves it out).
MIXED_PRECISION_FLAG = {"fp16": "fp16", "bf16": "bf16", "fp32": "no"}


@dataclass(frozen=True)
class Placement:
    """The resolved layout of this process."""

    device: str  # "cuda" or "cpu"
    precision: str  # "fp16", "bf16" or "fp32"
    world_size: int
    rank: int
    local_rank: int
    gpu_name: str | None = None

    @property
    def compute_dtype(self):
        import torch

        return {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}[self.precision]

    @property
    def device_map(self) -> dict[str, int | str]:
        return {"": self.local_rank if self.device == "cuda" else "cpu"}

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def launched_layout() -> tuple[int, int, int]:
    """(world_size, rank, local_rank) as exported by accelerate launch or torchrun; 1, 0, 0 alone."""
    env = os.environ
    return int(env.get("WORLD_SIZE", 1)), int(env.get("RANK", 0)), int(env.get("LOCAL_RANK", 0))


def world_size() -> int:
    return launched_layout()[0]


def is_main_process() -> bool:
    """Whether this process speaks for the launch (global rank 0), before a Placement exists: what
    `Placement.is_main` says once one does. For train.py's steps that come before (or instead of) a run: the
    validate=true plan, which every rank checks but one prints, and removing an unused run folder."""
    return launched_layout()[1] == 0


def resolve_placement(hw: HardwareConfig) -> Placement:
    import torch

    world_size, rank, local_rank = launched_layout()
    _check_process_count(hw, world_size)
    device = hw.device if hw.device != "auto" else ("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cpu":
        return Placement("cpu", "fp32" if hw.precision == "auto" else hw.precision, world_size, rank, local_rank)
    if not torch.cuda.is_available():
        raise LaunchError(
            f"hardware={hw.name} needs CUDA GPUs, but torch {torch.__version__} sees none "
            f"(CUDA build: {torch.version.cuda or 'no, this is the CPU build'}). On a GPU machine run `make install` "
            "(it picks the CUDA build when nvidia-smi finds a GPU); to train on this machine use hardware=cpu."
        )
    if local_rank >= torch.cuda.device_count():
        raise LaunchError(
            f"Process with local rank {local_rank} has no GPU: this machine has {torch.cuda.device_count()}. "
            f"Start at most that many processes: accelerate launch --num_processes {torch.cuda.device_count()} ..."
        )
    capability = torch.cuda.get_device_capability(local_rank)
    gpu_name = torch.cuda.get_device_name(local_rank)
    has_bf16 = capability >= (8, 0)
    precision = hw.precision
    if precision == "auto":
        precision = "bf16" if has_bf16 else "fp16"
    elif precision == "bf16" and not has_bf16:
        raise LaunchError(
            f"hardware.precision=bf16, but {gpu_name} (compute capability {capability[0]}.{capability[1]}) has no "
            "native bf16; it needs 8.0 or newer. Use fp16 on this GPU: hardware.precision=fp16 (or hardware=1xT4)."
        )
    return Placement("cuda", precision, world_size, rank, local_rank, gpu_name)


def _check_process_count(hw: HardwareConfig, world_size: int) -> None:
    expected = hw.num_processes
    if expected is None or expected == world_size:
        return
    if expected > 1:
        fix = (f"accelerate launch --multi_gpu --num_processes {expected} train.py hardware={hw.name} ..."
               + (f" (or: accelerate launch --config_file {hw.accelerate_config} train.py hardware={hw.name} ...)"
                  if hw.accelerate_config else ""))
    else:
        fix = f"python train.py hardware={hw.name} ..."
    raise LaunchError(
        f"hardware={hw.name} expects {expected} process(es), but {world_size} were started. "
        f"Start it as: {fix}. Or keep this launch and pick a matching option (hardware=auto takes any number)."
    )


def launch_prefix(processes: int) -> str:
    """How to start a script with this many processes on one machine, as a user types it."""
    return f"accelerate launch --multi_gpu --num_processes {processes}" if processes > 1 else "python"


def accelerate_launch_args(processes: int, precision: str, config_file: Optional[Path] = None) -> list[str]:
    """`accelerate launch` arguments (before the script) for `processes` ranks on one machine."""
    args = ["--num_machines", "1", "--num_processes", str(processes), "--dynamo_backend", "no"]
    if processes > 1:
        args.append("--multi_gpu")  # on CPU too: gloo ranks (`--cpu --num_processes 2` would start only one)
    if precision in MIXED_PRECISION_FLAG:
        args += ["--mixed_precision", MIXED_PRECISION_FLAG[precision]]
    if config_file is not None:
        args += ["--config_file", str(config_file)]
    return args


def visible_gpus() -> int:
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def peak_memory_gb(placement: Placement) -> float:
    """Peak memory this process used: GPU memory allocated by torch, or the CPU process's peak RSS."""
    if placement.device == "cuda":
        import torch

        return torch.cuda.max_memory_allocated(placement.local_rank) / 2**30
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # Linux reports KiB
