"""The merged 16-bit model: the base loaded in 16-bit (never 4-bit), the adapter merged into it, saved whole.

Merging into 4-bit weights would round the update into NF4 and lose most of it, so the base is loaded
again in a float dtype from the same weights_source training used. The result is a plain transformers
checkpoint (safetensors) with the tokenizer as training built it (chat template, eos = end of turn).
"""

from __future__ import annotations

import logging
from pathlib import Path

import torch

from supportbot.compat import repair_byte_level_tokenizer
from supportbot.errors import ConfigError

log = logging.getLogger(__name__)

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}


def export_dtype(precision: str = "auto") -> torch.dtype:
    """auto: bf16 on a GPU with bf16 compute, fp16 on an older GPU, fp32 on CPU (where 16-bit is slow); decided
    where training decides it (supportbot.distributed: by compute capability, so a T4 gets fp16)."""
    from supportbot.config import HardwareConfig
    from supportbot.distributed import resolve_placement

    return resolve_placement(HardwareConfig(name="export", precision=precision)).compute_dtype


def merged_model(base_path: str, adapter: Path, tokenizer, *, dtype: torch.dtype, trust_remote_code: bool):
    """The base in `dtype` with the adapter merged in, eos/pad set as in training."""
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from supportbot.model.sources import hub_error

    if dtype not in DTYPES.values():
        raise ConfigError(f"precision={dtype} cannot hold merged weights: use precision=bf16, fp16 or fp32.")
    device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        base = AutoModelForCausalLM.from_pretrained(base_path, dtype=dtype, device_map={"": device},
                                                    trust_remote_code=trust_remote_code)
    except (OSError, ValueError) as exc:
        raise hub_error("model", base_path, exc) from exc
    model = PeftModel.from_pretrained(base, adapter).merge_and_unload()
    for config in (model.config, model.generation_config):
        config.eos_token_id = tokenizer.eos_token_id
        config.pad_token_id = tokenizer.pad_token_id
    log.info("export: adapter %s merged into %s in %s", adapter, base_path, dtype)
    return model


def save_merged(model, tokenizer, folder: Path) -> None:
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    # Again here: a base converted before the repair (the cache keeps it), or a tokenizer read from a GGUF by
    # transformers 5.17 at export time, must not become a GGUF that llama.cpp cannot tokenize.
    repair_byte_level_tokenizer(folder)
