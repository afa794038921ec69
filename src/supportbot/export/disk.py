"""Disk first: an export is refused before anything is loaded when its disk cannot hold it.

The merged model is every base parameter once in the export dtype (the adapter adds nothing: it is
merged into the weights it sits on), plus the tokenizer and card. Counted on the meta device from
the base's config, so the check costs no memory and no weights download.
"""

from __future__ import annotations

from pathlib import Path

from supportbot.errors import DiskSpaceError
from supportbot.run.folders import free_bytes

TOKENIZER_ALLOWANCE = 64 * 2**20  # tokenizer.json, vocab, card, config files: a few MB, with room to spare


def parameter_count(path: str, *, trust_remote_code: bool) -> int:
    """Parameters of the model at `path` (hub id or folder), built from its config on the meta device."""
    from transformers import AutoConfig

    from supportbot.model.build import meta_model

    model = meta_model(AutoConfig.from_pretrained(path, trust_remote_code=trust_remote_code), trust_remote_code)
    return sum(p.numel() for p in model.parameters())  # parameters() yields a tied tensor once


def estimate_bytes(parameters: int, bytes_per_parameter: int = 2) -> int:
    """What the merged folder will take: the weights (2 bytes each in 16-bit) and the tokenizer allowance."""
    return parameters * bytes_per_parameter + TOKENIZER_ALLOWANCE


def check_disk(target: Path, needed: int, what: str = "the merged model") -> None:
    free = free_bytes(target)
    if free < needed:
        raise DiskSpaceError(
            f"Exporting {what} needs about {needed / 1e9:.2f} GB ({needed} bytes) in {target}, but its disk has "
            f"{free / 1e9:.2f} GB ({free} bytes) free. Write the export to a disk with room, e.g. "
            "dir=/bigger/disk/export, export fewer formats (format=merged), or free space there."
        )
