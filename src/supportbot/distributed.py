"""Where each process runs and in what precision: the one place that knows about ranks and GPUs.

Applied in this order, before any model is loaded:
1. read the process layout that `accelerate launch` / `torchrun` exported (WORLD_SIZE, RANK,
   LOCAL_RANK; `launched_layout` is the only reader of those variables);
2. read the strategy that launch chose (`launched_strategy`: ddp, DeepSpeed zero1-3 or fsdp, from the
   ACCELERATE_* variables `accelerate launch` exports for its config file);
3. check both against the hardware option (a 2xT4 option started as one process is a mistake
   worth stopping for: it would silently train at half speed with a different effective batch; a
   2xT4-zero3 option started without ZeRO-3 would load whole 4-bit copies that were meant to be shards);
4. pick the device (each rank its own GPU: `device_map={"": local_rank}`, never "auto" under DDP);
5. pick the precision: bf16 from compute capability 8.0 (A100, H100), fp16 below (T4, V100)
   -- by capability, not `torch.cuda.is_bf16_supported()`, which says yes on a T4 and then
   emulates bf16 slowly; fp32 on CPU, where bitsandbytes computes 4-bit layers in fp32. This is the
   one place precision is decided: launch/ files name none, the Trainer's fp16/bf16 flags come from
   here, and transformers hands them to accelerate (DDP autocast, DeepSpeed's fp16/bf16 sections,
   FSDP's mixed-precision policy). An `accelerate launch --mixed_precision` that disagrees stops the run.

The resulting `Placement` is the one description the model and Trainer code read: its device map,
compute dtype and, from the strategy, whether the weights are sharded (`shards_weights`: no device map,
4-bit storage in a float dtype, reentrant checkpointing) and whether optimizer state is
(`shards_optimizer_state`: no bitsandbytes optimizer under ZeRO-3/FSDP).

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
    strategy: str = "ddp"  # ddp | zero1 | zero2 | zero3 | fsdp (launched_strategy)

    @property
    def compute_dtype(self):
        import torch

        return {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}[self.precision]

    @property
    def shards_weights(self) -> bool:
        """ZeRO-3 and FSDP split the model's weights (the 4-bit base among them) across the ranks."""
        return self.strategy in ("zero3", "fsdp")

    @property
    def device_map(self) -> dict[str, int | str] | None:
        """Each rank's whole copy on its own device; None where the strategy places the shards itself
        (ZeRO-3 refuses a device_map). transformers then puts a 4-bit model on the current GPU whole, and the
        strategy shards it when it wraps it: the 4-bit model must fit one GPU at load either way."""
        if self.shards_weights:
            return None
        return {"": self.local_rank if self.device == "cuda" else "cpu"}

    @property
    def quant_storage_dtype(self):
        """The float dtype 4-bit weights are packed into, so that a sharding strategy can split them with the
        rest: None (bitsandbytes' uint8) unless the weights are sharded. ZeRO-3: the compute dtype, which
        DeepSpeed casts every weight to. FSDP: the dtype the float weights are held in -- the compute dtype
        under bf16 and fp32, but fp32 under fp16, whose autocast and gradient scaler need fp32 trainable
        weights (PEFT's FSDP-QLoRA guide) and FSDP flattens one dtype per wrapped layer."""
        import torch

        if not self.shards_weights:
            return None
        if self.strategy == "fsdp" and self.precision == "fp16":
            return torch.float32
        return self.compute_dtype

    @property
    def reentrant_checkpointing(self) -> bool:
        """Reentrant gradient checkpointing under ZeRO-3 and FSDP (PEFT's sharded-QLoRA recipes): non-reentrant
        checkpointing checks that recomputed tensors match the forward's, and these gather and free the weights
        between the two. Non-reentrant everywhere else (it needs no input grads on the frozen 4-bit base)."""
        return self.shards_weights

    @property
    def shards_optimizer_state(self) -> bool:
        """Whether optimizer state is split across ranks in a way bitsandbytes' 8-bit / paged optimizers cannot
        hold (ZeRO-3's partitioned flat groups, FSDP's flat shards). ZeRO-2 wraps the Trainer's own optimizer
        with whole parameters, so bitsandbytes' optimizers run there."""
        return self.shards_weights

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


def launched_strategy() -> str:
    """How the launch shares the work: ddp (also one process), zero1/zero2/zero3 (DeepSpeed) or fsdp.

    `accelerate launch` exports ACCELERATE_USE_DEEPSPEED / ACCELERATE_DEEPSPEED_ZERO_STAGE or ACCELERATE_USE_FSDP
    from its config file (distributed_type, deepspeed_config.zero_stage); this is the only reader of them.
    """
    env = os.environ
    if env.get("ACCELERATE_USE_DEEPSPEED", "false").lower() in ("1", "true", "yes"):
        stage = int(env.get("ACCELERATE_DEEPSPEED_ZERO_STAGE", 2))
        return f"zero{stage}" if stage in (1, 2, 3) else "ddp"
    if env.get("ACCELERATE_USE_FSDP", "false").lower() in ("1", "true", "yes"):
        return "fsdp"
    return "ddp"


def fsdp_runs_no_shard(placement: Placement, env=os.environ) -> bool:
    """FSDP with nothing to shard: one process (torch switches FULL_SHARD to NO_SHARD), or NO_SHARD chosen."""
    chosen = env.get("FSDP_SHARDING_STRATEGY", "").upper()
    return placement.strategy == "fsdp" and (placement.world_size == 1 or chosen in ("NO_SHARD", "3"))


def skip_fsdp_writeback_check(placement: Placement, env=os.environ) -> bool:
    """Under FSDP's NO_SHARD, turn off its check for parameters replaced between iterations; True if it did.

    torch's FSDP (1; seen in 2.11 on an H100 and 2.13 here) breaks the second step of NO_SHARD with use_orig_params
    when a wrapped unit's parameters are all frozen and two of them are tied (the root unit's embedding and head
    under LoRA): after the backward, its "already resharded" test (unsharded and sharded data are one buffer
    under NO_SHARD) leaves the module holding the plain-Tensor views of the pre-backward unshard; the next
    forward's writeback check takes them for replaced parameters and records Tensors in place of the parameters;
    the post-forward reshard then stops on `as_params=True type(prim_param)=<class 'torch.Tensor'>`
    (benchmarks/fsdp_minimal.py reproduces it in a second). The check exists for code that assigns new parameter
    objects between steps; this project never does (the optimizer updates in place), so skipping it is exact.
    Sharded runs (two or more processes, FULL_SHARD) keep the check: the bug does not reach them."""
    if not fsdp_runs_no_shard(placement, env):
        return False
    env.setdefault("FSDP_SKIP_WRITEBACK_CHECK", "1")
    return True


def resolve_placement(hw: HardwareConfig) -> Placement:
    placement = _resolve_device_and_precision(hw)
    _check_launched_precision(hw, placement.precision)
    return placement


def _resolve_device_and_precision(hw: HardwareConfig) -> Placement:
    import torch

    world_size, rank, local_rank = launched_layout()
    strategy = launched_strategy()
    _check_process_count(hw, world_size)
    _check_strategy(hw, strategy)
    device = hw.device if hw.device != "auto" else ("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cpu":
        if strategy == "fsdp":
            # Measured (accelerate 1.16, torch 2.13): an FSDP launch on CPU gives the Trainer's Accelerator
            # MULTI_CPU, i.e. DDP over gloo, and wraps nothing in FSDP; training would run unsharded while the run
            # says fsdp. torch's FSDP itself runs on CPU (benchmarks/fsdp_minimal.py); accelerate's does not.
            raise LaunchError(
                "FSDP needs GPUs here: accelerate runs an FSDP launch on CPU as plain DDP over gloo, without sharding "
                "anything. On CPU launch ZeRO-3 instead (DeepSpeed shards on CPU): accelerate launch --config_file "
                "launch/accelerate/zero3-qlora.yaml train.py hardware=cpu ... -- or DDP: accelerate launch "
                "--multi_gpu --num_processes 2 train.py hardware=cpu ...")
        return Placement("cpu", "fp32" if hw.precision == "auto" else hw.precision, world_size, rank, local_rank,
                         strategy=strategy)
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
    return Placement("cuda", precision, world_size, rank, local_rank, gpu_name, strategy)


def _check_strategy(hw: HardwareConfig, strategy: str) -> None:
    if hw.strategy is None or hw.strategy == strategy:
        return
    how = f"--config_file {hw.accelerate_config} " if hw.accelerate_config else ""
    raise LaunchError(
        f"hardware={hw.name} expects the {hw.strategy} strategy, but accelerate launch started {strategy} "
        f"(its config file or flags decide). Start it as: accelerate launch {how}train.py hardware={hw.name} ... "
        "Or keep this launch and pick an option without a strategy (hardware=2xT4, auto or cpu take any)."
    )


def _check_launched_precision(hw: HardwareConfig, precision: str) -> None:
    """`accelerate launch --mixed_precision X` exports ACCELERATE_MIXED_PRECISION=X; the Trainer's fp16/bf16 flags
    (from hardware.precision) would silently overrule it, or, under fp32, be overruled by it."""
    launched = os.environ.get("ACCELERATE_MIXED_PRECISION", "no")
    if launched == MIXED_PRECISION_FLAG.get(precision, launched) or (launched == "no" and precision != "fp32"):
        return  # agrees, or says nothing (the default when neither flag nor config file names one)
    raise LaunchError(
        f"accelerate launch was started with --mixed_precision {launched}, but hardware={hw.name} resolves to "
        f"{precision}. Precision comes from the hardware option: drop --mixed_precision (and mixed_precision from "
        f"a config file), or set it there: hardware.precision={launched if launched in ('fp16', 'bf16') else 'fp32'}."
    )


def _check_process_count(hw: HardwareConfig, world_size: int) -> None:
    expected = hw.num_processes
    if expected is None or expected == world_size:
        return
    if expected > 1 and hw.strategy is not None:  # --multi_gpu would start DDP, which _check_strategy refuses
        fix = f"{launch_prefix(expected, hw)} train.py hardware={hw.name} ..."
    elif expected > 1:
        fix = (f"accelerate launch --multi_gpu --num_processes {expected} train.py hardware={hw.name} ..."
               + (f" (or: accelerate launch --config_file {hw.accelerate_config} train.py hardware={hw.name} ...)"
                  if hw.accelerate_config else ""))
    else:
        fix = f"python train.py hardware={hw.name} ..."
    raise LaunchError(
        f"hardware={hw.name} expects {expected} process(es), but {world_size} were started. "
        f"Start it as: {fix}. Or keep this launch and pick a matching option (hardware=auto takes any number)."
    )


def launch_prefix(processes: int, hw: Optional[HardwareConfig] = None) -> str:
    """How to start a script with this many processes on one machine, as a user types it: with the option's
    launch file where it names a strategy (--multi_gpu would start DDP there)."""
    if hw is not None and hw.strategy is not None and hw.accelerate_config:
        return f"accelerate launch --config_file {hw.accelerate_config} --num_processes {processes}"
    return f"accelerate launch --multi_gpu --num_processes {processes}" if processes > 1 else "python"


def accelerate_launch_args(processes: int, precision: str, config_file: Optional[Path] = None,
                           strategy: Optional[str] = None) -> list[str]:
    """`accelerate launch` arguments (before the script) for `processes` ranks on one machine.

    strategy: the hardware option's (hardware.strategy). Its launch file names it, and accelerate reads a config
    file's distributed_type only when no strategy flag is given, so --multi_gpu beside zero3-qlora.yaml would
    start DDP. Otherwise --multi_gpu for several ranks: on CPU too, gloo (`--cpu --num_processes 2` would start
    only one), and over a one-process file such as 1gpu.yaml."""
    args = ["--num_machines", "1", "--num_processes", str(processes), "--dynamo_backend", "no"]
    if processes > 1 and (strategy is None or config_file is None):
        args.append("--multi_gpu")
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
