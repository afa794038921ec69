"""Cache folders written so that a reader never sees half of one."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Callable


def write_folder_atomically(target: Path, write: Callable[[Path], Any], marker: str, marker_content: dict) -> None:
    """Write into a private folder, add the completion marker last, then rename it into place.

    A process killed half-way leaves only a hidden staging folder; readers check for the marker.
    Two processes racing (two machines sharing a cache) both finish; the second rename loses and
    its identical copy is dropped.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    write(staging)
    (staging / marker).write_text(json.dumps(marker_content))
    shutil.rmtree(target, ignore_errors=True)  # a torn earlier attempt, if any
    try:
        staging.rename(target)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
