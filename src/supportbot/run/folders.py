"""Folders: what a run leaves in its folder, when the folder is named, and how a folder is written whole.

Hydra picks the run folder (conf/hydra/default.yaml: outputs/<date>/<time>); nothing invents paths.

    <run>/config.yaml          the resolved config, every default filled in
    <run>/data_report.json     rows read, dropped by reason, kept, per split and intent, split hash
    <run>/tensorboard/<name>/  train/eval loss, learning rate, grad norm, tokens/s, memory, HParams
    <run>/checkpoints/         the last `save_total_limit` checkpoints (and the best), each written whole
    <run>/adapter/             the final LoRA adapter (PEFT format) with the tokenizer
    <run>/metrics.json         the run's summary (supportbot.run.metrics)
    <run>/profile/             train.profile_from=N only: per-rank profiler tables and traces (supportbot.run.profiling)
    <run>/eval/<time>/         each evaluate.py report

Written whole: a folder that another process may read (a checkpoint to resume from, a converted model or
tokenised data in the cache) is complete only once it holds MARKER, which lists every file's size and is
written last. `write_folder_atomically` stages a folder privately and renames it into place;
`is_complete` tells a whole folder from one cut short by a kill or a full disk.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any, Callable, Optional

from supportbot.distributed import world_size

MARKER = "supportbot-complete.json"


def mark_complete(folder: Path, **info: Any) -> None:
    """Write the marker last: every file's size (so a truncated file is caught) and any `info`."""
    files = {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}
    (folder / MARKER).write_text(json.dumps({"files": files, **info}, indent=1))


def is_complete(folder: Path) -> tuple[bool, str]:
    """(whole, why not): the marker is there and every file it lists has the size it was written with."""
    marker = folder / MARKER
    if not marker.is_file():
        return False, "no completion marker (the save was cut short)"
    files = json.loads(marker.read_text()).get("files")
    if files is None:
        return False, "its completion marker is from an older supportbot (no file list)"
    for name, size in files.items():
        path = folder / name
        if not path.is_file():
            return False, f"{name} is missing"
        if path.stat().st_size != size:
            return False, f"{name} is {path.stat().st_size} bytes, {size} were written"
    return True, ""


def write_folder_atomically(target: Path, write: Callable[[Path], Any], **info: Any) -> None:
    """Write into a private folder, add the marker last, then rename it into place.

    A process killed half-way leaves only a hidden staging folder; readers check `is_complete`.
    Two processes racing (two machines sharing a cache) both finish; the second rename loses and
    its identical copy is dropped.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    write(staging)
    mark_complete(staging, **info)
    shutil.rmtree(target, ignore_errors=True)  # a torn earlier attempt, if any
    try:
        staging.rename(target)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


def free_bytes(target: Path) -> int:
    """Free space on the disk that `target` (which may not exist yet) will be written to."""
    existing = target.expanduser().resolve()
    while not existing.exists():
        existing = existing.parent
    return shutil.disk_usage(existing).free


def launch_time(fmt: str) -> str:
    """Timestamp for the run folder (the `${launch_time:...}` resolver), the same on every rank of one launch.

    Hydra's `${now:}` is evaluated by each rank on its own and two ranks can land in different
    seconds, hence in different folders. Ranks started by `accelerate launch` or `torchrun` share
    their parent (the launcher's agent), so its start time names the launch; one process alone
    uses its own clock. A sweep launcher can pin it with SUPPORTBOT_LAUNCH_TIME (ISO format).
    """
    pinned = os.environ.get("SUPPORTBOT_LAUNCH_TIME")
    if pinned:
        return dt.datetime.fromisoformat(pinned).strftime(fmt)
    if world_size() > 1:
        started = _process_start_time(os.getppid())
        if started is not None:
            return started.strftime(fmt)
    return _LAUNCH_NOW.strftime(fmt)


_LAUNCH_NOW = dt.datetime.now()


def _process_start_time(pid: int) -> Optional[dt.datetime]:
    """Start time of a process from /proc (Linux); None where /proc is not there."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot_time = next(
            int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime")
        )
    except (OSError, StopIteration):
        return None
    # Fields after the command name (which may contain spaces) start at the last ')'.
    start_ticks = int(stat[stat.rindex(")") + 2 :].split()[19])
    return dt.datetime.fromtimestamp(boot_time + start_ticks / os.sysconf("SC_CLK_TCK"))


def register_resolvers() -> None:
    from omegaconf import OmegaConf

    from supportbot.help import register_help_resolver

    if not OmegaConf.has_resolver("launch_time"):
        OmegaConf.register_new_resolver("launch_time", launch_time)
    register_help_resolver()  # ${supportbot_help:train}: conf/hydra/help/
