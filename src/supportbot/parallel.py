"""Where each process runs and in what precision: the one place that knows about ranks and GPUs.

Applied in this order, before any model is loaded:
1. read the process layout that `accelerate launch` / `torchrun` exported (WORLD_SIZE, RANK, LOCAL_RANK);
2. check it against the hardware option (a 2xT4 option started as one process is a mistake
   worth stopping for: it would silently train at half speed with a different effective batch);
3. pick the device (each rank its own GPU: `device_map={"": local_rank}`, never "auto" under DDP);
4. pick the precision: bf16 from compute capability 8.0 (A100, H100), fp16 below (T4, V100)
   -- by capability, not `torch.cuda.is_bf16_supported()`, which says yes on a T4 and then
   emulates bf16 slowly; fp32 on CPU, where bitsandbytes computes 4-bit layers in fp32.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import torch

from supportbot.config import HardwareConfig
from supportbot.errors import LaunchError

log = logging.getLogger(__name__)

DTYPES = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}


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
    def compute_dtype(self) -> torch.dtype:
        return DTYPES[self.precision]

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


def resolve_placement(hw: HardwareConfig) -> Placement:
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


def setup_logging(placement: Placement) -> None:
    """Log once: the main process at INFO, the others only warnings and errors."""
    import datasets
    import transformers

    level = logging.INFO if placement.is_main else logging.WARNING
    logging.getLogger().setLevel(level)
    logging.getLogger("supportbot").setLevel(level)
    # transformers at INFO prints every config it loads; warnings are what a user needs from it.
    transformers.utils.logging.set_verbosity(logging.WARNING if placement.is_main else logging.ERROR)
    datasets.utils.logging.set_verbosity(logging.WARNING if placement.is_main else logging.ERROR)
    if not placement.is_main:
        transformers.utils.logging.disable_progress_bar()
        datasets.disable_progress_bars()


def peak_memory_gb(placement: Placement) -> float:
    """Peak memory this process used: GPU memory allocated by torch, or the CPU process's peak RSS."""
    if placement.device == "cuda":
        return torch.cuda.max_memory_allocated(placement.local_rank) / 2**30
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # Linux reports KiB
