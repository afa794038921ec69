"""Checks that need no model, run by train.py before anything heavy; `validate=true` runs them all and prints the plan.

    python train.py model=qwen3-4b data.path=/data/bitext.csv validate=true   # the plan, exit 0; or the fix, exit 2

Two stages. `quick_checks` takes seconds and imports neither torch nor transformers, so the common
mistakes (a wrong data.path, a column the file lacks, filters that leave nothing, an offline or gated
hub) stop in about a second: the data file is read, cleaned and filtered (supportbot.data.rows) and every
hub repository the run reads is asked once (supportbot.hub). `preflight` then imports torch and checks,
still without a model: the launch matches the hardware option (process count, GPU, bf16 support), the
speed options can run here (Liger needs CUDA and its package), the LoRA targets exist in the architecture,
and the disk can hold what the run will write. Config values were checked before both, at the typed
boundary (supportbot.config). A run stopped by any of them leaves no folder behind (`discard_unused_run_dir`).
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from supportbot.config import RunConfig
from supportbot.data.rows import Rows, load_rows
from supportbot.errors import DiskSpaceError
from supportbot.hub import check_hub
from supportbot.run.folders import free_bytes

if TYPE_CHECKING:
    from supportbot.distributed import Placement

# What one checkpoint holds per trainable parameter: the adapter in fp32 (4 bytes) and the
# optimizer's two moments (8-bit AdamW: 2 bytes, 32-bit: 8). Tokenizer files and trainer state
# add a few MB, rounded up to a fixed allowance.
OPTIMIZER_BYTES_PER_PARAMETER = {"paged_adamw_8bit": 2, "adamw_8bit": 2, "paged_adamw_32bit": 8, "adamw_torch": 8}
FILES_PER_CHECKPOINT = 64 * 2**20
# What Hydra and the run's first step write into a run folder before any work: nothing to keep.
# What Hydra and the run's start write: a folder holding no more than these was never used. A sweep job's folder
# also holds the launcher's launcher.log and job.json, the record of why it failed: those keep it.
UNUSED_RUN_FILES = {".hydra", "config.yaml", "train.log"}


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


def quick_checks(cfg: RunConfig) -> tuple[Optional[Rows], list[str]]:
    """The data file (existence, type, columns, encoding, filters) and the hub, before torch is imported.

    Returns the rows, so the run does not read the file twice (None for hub data, which is downloaded later,
    by one process per machine), and a line per hub repository for the plan."""
    rows = load_rows(cfg.data) if cfg.data.path is not None or cfg.data.builtin is not None else None
    return rows, check_hub(cfg)


def preflight(cfg: RunConfig, run_dir: Path) -> Placement:
    return _preflight(cfg, run_dir)[0]


def _preflight(cfg: RunConfig, run_dir: Path) -> tuple[Placement, Optional[int]]:
    """The launch, the GPU, Liger, torch.compile's compiler, the LoRA targets (on a meta model) and the disk; the
    bytes the run will write."""
    from supportbot.distributed import resolve_placement
    from supportbot.model.build import check_target_modules
    from supportbot.model.losses import require_liger

    placement = resolve_placement(cfg.hardware)
    if cfg.model.kernels == "liger":
        require_liger("model.kernels=liger", placement.device, instead="model.kernels=none")
    if cfg.train.cross_entropy == "liger":
        require_liger("train.cross_entropy=liger", placement.device, instead="train.cross_entropy=chunked")
    if cfg.train.torch_compile:
        from supportbot.model.compile import check_can_compile

        check_can_compile(placement.device, placement.shards_weights, placement.strategy)
    trainable = check_target_modules(cfg.model, cfg.lora)
    needed = None
    if trainable is not None:
        needed = output_bytes_needed(trainable, cfg.train.optimizer, cfg.train.save_total_limit)
        if placement.is_main:  # a full disk found at the first save loses the run
            check_disk(run_dir, needed)
    return placement, needed


def planned_steps(cfg: RunConfig, world_size: int, rows: int, upper_bound: bool = False) -> str:
    """The optimizer steps a run takes, as validate=true's plan and the run's console line both say it.

    rows: what the Trainer iterates in an epoch (packed rows once they are built). The Trainer's own arithmetic:
    each rank takes ceil(rows / (batch x processes)) micro-batches an epoch (accelerate shards the batches, the
    last one short), an optimizer step every gradient_accumulation_steps of them (a short last step counts), and
    ceil(epochs x steps per epoch) in all; train.max_steps > 0 overrides it. Not the Trainer's dataloader length
    itself: building its dataloader early would register a second one with accelerate, whose state then goes
    into every checkpoint. upper_bound: `rows` are conversations that packing will merge into fewer rows
    (validate=true has not tokenised them), so the count is only a bound."""
    train, hardware = cfg.train, cfg.hardware
    if train.max_steps > 0:
        return f"{train.max_steps} (train.max_steps)"
    micro_batches = math.ceil(rows / (hardware.per_device_batch_size * world_size))
    per_epoch = max(1, math.ceil(micro_batches / hardware.gradient_accumulation_steps))
    steps = math.ceil(train.epochs * per_epoch)
    if upper_bound:
        return (f"at most {steps:,} ({train.epochs:g} epoch(s) of {rows:,} conversations; packing puts several in "
                f"each {cfg.data.max_seq_length}-token row, so fewer)")
    return f"{steps:,} ({train.epochs:g} epoch(s))"


def validate(cfg: RunConfig, run_dir: Path) -> str:
    """Every check that needs no model, in the order a run meets them; returns the plan. Raises with the fix."""
    from supportbot.data import prepare_rows

    rows, hub = quick_checks(cfg)
    # The split, balance and extra conversations: the training rows; with data.format=tool_calls, the tool
    # conversations too, built as the run builds them (so a registry whose answers its results cannot fill stops here).
    prepared = prepare_rows(cfg.data, rows, tools=cfg.tools)
    placement, needed = _preflight(cfg, run_dir)
    hardware = cfg.hardware
    per_step = hardware.per_device_batch_size * hardware.gradient_accumulation_steps * placement.world_size
    conversations = len(prepared.train)
    # Before tokenisation the packed rows are not known, only the conversations packing will merge: a bound.
    steps = planned_steps(cfg, placement.world_size, conversations, upper_bound=cfg.data.packing)
    model = cfg.model.path or f"{cfg.model.gguf.package}/{cfg.model.gguf.file}"  # type: ignore[union-attr]
    disk = f"{free_bytes(run_dir) / 2**30:.1f} GB free"
    disk += f", the run writes about {needed / 2**30:.2f} GB" if needed else " (the run's size is known at load)"
    report = prepared.report
    unit = "packed rows" if cfg.data.packing else "rows"
    lines = [
        "validate=true: every check passed. The plan:",
        f"  model      {cfg.model.name} ({model}, weights {cfg.model.weights})",
        f"  data       {report['source']}: {report['rows_read']:,} rows read, "
        f"{report['rows_read'] - sum(report['dropped'].values()):,} kept; "
        f"{conversations:,} training and {len(prepared.validation):,} validation conversations",
        *_tool_lines(cfg, prepared.report),
        f"  steps      {steps}",
        f"  precision  {placement.precision} on {placement.gpu_name or placement.device}",
        f"  processes  {placement.world_size}",
        f"  batch      {hardware.per_device_batch_size} per device x {hardware.gradient_accumulation_steps} "
        f"accumulation x {placement.world_size} process(es) = {per_step} {unit} per step",
        f"  output     {run_dir} (not kept: validate=true writes nothing)",
        f"  disk       {disk}",
        *(f"  hub        {line}" for line in hub),
        "Drop validate=true to start it.",
    ]
    return "\n".join(lines)


def _tool_lines(cfg: RunConfig, report: dict) -> list[str]:
    """validate=true's line on the tools: which registry, and what the training conversations do with it."""
    if cfg.data.format != "tool_calls":
        return []
    tools = cfg.tools
    kinds = report["tool_calls"]["train"]["kinds"]
    calls, asks = kinds.get("call", 0) + kinds.get("ask", 0), kinds.get("ask", 0)
    return [f"  tools      data.format=tool_calls: {len(tools.tools)} tools of conf/tools/{tools.name}.yaml "
            f"({', '.join(tool.name for tool in tools.tools)}); {calls:,} of the training conversations call one, "
            f"{asks:,} of them after asking for a missing number (tools.ask_share={tools.ask_share:g})"]


def discard_unused_run_dir(run_dir: Path) -> bool:
    """Remove a run folder that holds only what Hydra and the run's start wrote (.hydra/, the job's log,
    config.yaml): a run stopped by its checks must not leave an empty-looking run behind in outputs/. A folder
    with anything else in it (checkpoints to resume from, a finished run) is kept. The date folder above it
    goes too when this was its only run."""
    if not run_dir.is_dir():
        return False
    if any(entry.name not in UNUSED_RUN_FILES for entry in run_dir.iterdir()):
        return False
    shutil.rmtree(run_dir, ignore_errors=True)
    parent, cwd = run_dir.resolve().parent, Path.cwd().resolve()
    if cwd in parent.parents:  # only below the working directory: a folder the user named outside it stays
        try:
            parent.rmdir()  # only if empty
        except OSError:
            pass
    return True
