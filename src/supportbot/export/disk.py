"""Disk first: an export is refused before anything is loaded when its disk cannot hold it.

The merged model is every base parameter once in the export dtype (the adapter adds nothing: it is
merged into the weights it sits on), plus the tokenizer and card. Counted on the meta device from
the base's config, so the check costs no memory and no weights download.

Each GGUF type is every parameter at its bits per weight (supportbot.export.gguf: llama.cpp's quantize table,
or the 8.5-bit fallback for rows that are not 256-wide) plus the tokenizer allowance (the vocabulary and merges
sit in the GGUF's metadata). Temporaries count at their peak, all at once: format=gguf's merged folder (the
converter's input, removed afterwards) and the F16 file the K-quants are made from when f16 is not requested.
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


def hidden_size(path: str, trust_remote_code: bool) -> int:
    """The width of the model's weight rows (K-quants need multiples of 256; gguf.bits_per_weight)."""
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(path, trust_remote_code=trust_remote_code)
    return int(getattr(config, "get_text_config", lambda: config)().hidden_size)


def estimate_bytes(parameters: int, bytes_per_parameter: int = 2) -> int:
    """What the merged folder will take: the weights (2 bytes each in 16-bit) and the tokenizer allowance."""
    return parameters * bytes_per_parameter + TOKENIZER_ALLOWANCE


def gguf_bytes(parameters: int, gguf_type: str, hidden_size: int) -> int:
    from supportbot.export.gguf import bits_per_weight

    return int(parameters * bits_per_weight(gguf_type, hidden_size) / 8) + TOKENIZER_ALLOWANCE


def export_plan(parameters: int, bytes_per_parameter: int, *, hidden_size: int, merged: bool,
                merged_kept: bool = True, gguf_types: list[str]) -> dict[str, int]:
    """Bytes of every file the export writes, temporaries included, by what they are (for the refusal's numbers).
    `merged`: whether a merged folder is written (kept for format=merged/all, a temporary for format=gguf)."""
    from supportbot.export.gguf import GGUF_TYPES, INTERMEDIATE, file_name

    plan: dict[str, int] = {}
    if merged:
        key = "merged/" if merged_kept else "merged/ (temporary: the converter's input)"
        plan[key] = estimate_bytes(parameters, bytes_per_parameter)
    plan.update({f"gguf/{file_name(name)}": gguf_bytes(parameters, name, hidden_size) for name in gguf_types})
    if INTERMEDIATE not in gguf_types and any(GGUF_TYPES[name].k_quant for name in gguf_types):
        plan[f"gguf/{file_name(INTERMEDIATE)} (temporary: the K-quants' source)"] = gguf_bytes(
            parameters, INTERMEDIATE, hidden_size)
    return plan


def check_plan(target: Path, plan: dict[str, int]) -> None:
    """Refuse the export when its disk cannot hold every file of `plan` at once, listing each."""
    lines = "; ".join(f"{name} {size / 1e9:.2f} GB" for name, size in plan.items())
    check_disk(target, sum(plan.values()), f"{len(plan)} files ({lines})")


def check_disk(target: Path, needed: int, what: str = "the merged model") -> None:
    free = free_bytes(target)
    if free < needed:
        raise DiskSpaceError(
            f"Exporting {what} needs about {needed / 1e9:.2f} GB ({needed} bytes) in {target}, but its disk has "
            f"{free / 1e9:.2f} GB ({free} bytes) free. Write the export to a disk with room, e.g. "
            "dir=/bigger/disk/export, export fewer formats (format=merged) or fewer GGUF types "
            "(gguf.types=[q4_k_m]), or free space there."
        )
