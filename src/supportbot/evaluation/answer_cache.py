"""Generated answers, kept between evaluate.py runs (`eval.reuse_answers`).

Every report puts the fine-tuned model beside its base, and the base half costs as much GPU time as the other:
generating the validation answers, the prompt suite and the tool suite again for each run, though the base is the
same model for every run of one recipe. benchmarks/quality.py evaluates several variants and seeds of one model, and
on the GPU machine, whose calls are limited to minutes, its evaluations were stopped before the end and began again
from nothing in the next call (2026-12-07: three evaluations, two calls, no table). So:
- the base model's answers are kept in `<cache_dir>/base_answers/`, shared by every run of that base;
- the fine-tuned model's in `<run>/eval/answers/`, keyed by the adapter's files as well: an evaluation stopped
  midway (a time limit, a preempted notebook) picks up where it stopped.

What is kept is exact, not approximate: one entry per generation batch, keyed by everything that decides the
tokens greedy decoding produces for it: the batch's prompt texts (already through the chat template, the system
prompt and any tools), the generation arguments, the weights (their path, and each file's size and modification
time), the precision, device and attention implementation, and the library versions. A batch that differs in any of
them is generated. Sampling (eval.do_sample) is never kept. Entries are small JSON files written atomically, so
evaluations running side by side can share a folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def files_fingerprint(folder: Path) -> list[tuple[str, int, int]]:
    """(name, size, modification time) of each file in a folder: a changed or replaced weight file changes it."""
    return sorted((item.name, item.stat().st_size, int(item.stat().st_mtime)) for item in folder.iterdir()
                  if item.is_file()) if folder.is_dir() else []


def base_fingerprint(base_path: str, **settings: Any) -> dict[str, Any]:
    """What identifies the base model's numerics: its weight source and files, the given load settings, versions."""
    import bitsandbytes
    import peft
    import torch
    import transformers

    return {"base": base_path, "files": files_fingerprint(Path(base_path)),
            **{key: str(value) for key, value in settings.items()},
            "versions": [module.__version__ for module in (torch, transformers, peft, bitsandbytes)]}


class AnswerCache:
    """Generated batches of one model, one JSON file each under `folder`."""

    def __init__(self, folder: Path, fingerprint: dict[str, Any]):
        self.folder = folder
        self.fingerprint = json.dumps(fingerprint, sort_keys=True)

    def key(self, prompts: list[str], generation: dict[str, Any]) -> str:
        payload = json.dumps([self.fingerprint, prompts, generation], sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()

    def get(self, key: str) -> list[dict[str, Any]] | None:
        try:
            return json.loads(self._path(key).read_text())
        except (OSError, ValueError):  # missing, or unreadable: generate it again (and overwrite it)
            return None

    def put(self, key: str, answers: list[dict[str, Any]]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "w") as out:
            json.dump(answers, out)
        os.replace(temporary, path)  # another evaluation reads the whole entry or none of it

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"
