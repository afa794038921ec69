"""Disk first: an export is refused before anything is loaded when its disk cannot hold it.

The merged model is every base parameter once in the export dtype (the adapter adds nothing: it is
merged into the weights it sits on), plus the tokenizer and card. Counted on the meta device from
the base's config, so the check costs no memory and no weights download.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from supportbot.errors import DiskSpaceError

TOKENIZER_ALLOWANCE = 64 * 2**20  # tokenizer.json, vocab, card, config files: a few MB, with room to spare


def parameter_count(path: str, *, trust_remote_code: bool) -> int:
    """Parameters of the model at `path` (hub id or folder), built from its config on the meta device."""
    from accelerate import init_empty_weights
    from transformers import AutoConfig, AutoModelForCausalLM

    config = AutoConfig.from_pretrained(path, trust_remote_code=trust_remote_code)
    with init_empty_weights():
        model = AutoModelForCausalLM.from_config(config, trust_remote_code=trust_remote_code)
    model.tie_weights()  # tied input/output embeddings are one tensor, saved once
    return sum(p.numel() for p in model.parameters())  # parameters() yields a shared tensor once


def estimate_bytes(parameters: int, bytes_per_parameter: int = 2) -> int:
    """What the merged folder will take: the weights (2 bytes each in 16-bit) and the tokenizer allowance."""
    return parameters * bytes_per_parameter + TOKENIZER_ALLOWANCE


def free_bytes(target: Path) -> int:
    """Free space on the disk that `target` (which may not exist yet) will be written to."""
    existing = target.expanduser().resolve()
    while not existing.exists():
        existing = existing.parent
    return shutil.disk_usage(existing).free


def check_disk(target: Path, needed: int, what: str = "the merged model") -> None:
    free = free_bytes(target)
    if free < needed:
        raise DiskSpaceError(
            f"Exporting {what} needs about {needed / 1e9:.2f} GB ({needed} bytes) in {target}, but its disk has "
            f"{free / 1e9:.2f} GB ({free} bytes) free. Write the export to a disk with room, e.g. "
            "dir=/bigger/disk/export, export fewer formats (format=merged), or free space there."
        )
