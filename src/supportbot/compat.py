"""Every version shim in one place: what changed upstream, which versions need the other path.

The supported ranges are pyproject.toml's (transformers 5.17-5.x, peft 0.21, torch >= 2.4, liger-kernel
>= 0.8.5). The GPU images run transformers 5.17, this project's CPU machines 5.2x, so several renames
are handled here both ways. An upgrade is one file to read: each entry says what it covers and when
it can go.

Private Trainer methods. SupportTrainer overrides three of them (what each override is for is said
where it is defined, supportbot/train/trainer.py). Private methods change without notice, so each
override is declared with `@overrides_trainer`, which checks at import that transformers' Trainer
still has the method with the parameters the override expects, and stops with the method's name
otherwise (tests/unit/test_compat.py holds the list against the installed transformers).
"""

from __future__ import annotations

import dataclasses
import inspect
import logging
from pathlib import Path
from typing import Any, Callable

from supportbot.errors import IncompatibleVersion

log = logging.getLogger(__name__)

# name -> the leading parameters SupportTrainer's override takes (and passes on to super()).
TRAINER_OVERRIDES: dict[str, tuple[str, ...]] = {
    "_track_num_input_tokens": ("self", "inputs"),  # token count kept on the device between logs
    "_get_output_dir": ("self", "trial"),  # checkpoints written into a staging folder first
    "_save_checkpoint": ("self", "model", "trial"),  # staged, marked complete, renamed into place
}


def check_trainer_method(name: str, parameters: tuple[str, ...]) -> None:
    """Stop, naming the method, if transformers' Trainer no longer has `name` taking `parameters` first."""
    import transformers
    from transformers import Trainer

    original = getattr(Trainer, name, None)
    fix = ("Install a supported version (pip install -e . picks one: transformers>=5.17,<6), or update "
           f"SupportTrainer.{name} in src/supportbot/train/trainer.py and its entry in src/supportbot/compat.py.")
    if original is None or not callable(original):
        raise IncompatibleVersion(
            f"transformers {transformers.__version__} has no Trainer.{name}, a private method that supportbot "
            f"overrides (src/supportbot/compat.py: TRAINER_OVERRIDES). {fix}")
    found = tuple(inspect.signature(original).parameters)
    if found[:len(parameters)] != parameters:
        raise IncompatibleVersion(
            f"transformers {transformers.__version__} changed Trainer.{name}: it takes {found}, supportbot's "
            f"override expects {parameters}. {fix}")


def overrides_trainer(method: Callable) -> Callable:
    """Decorator for a SupportTrainer method that replaces a private Trainer method (checked at import)."""
    if method.__name__ not in TRAINER_OVERRIDES:
        raise IncompatibleVersion(f"SupportTrainer.{method.__name__} overrides a private Trainer method that "
                                  "is not listed in compat.TRAINER_OVERRIDES; list it there with its parameters.")
    check_trainer_method(method.__name__, TRAINER_OVERRIDES[method.__name__])
    return method


def rotate_checkpoints(trainer, root: Path) -> None:
    """Delete checkpoints beyond save_total_limit (keeping the best). transformers 5.2x made this the
    function trainer_utils.rotate_checkpoints; 5.17 (the GPU images) has only the method
    Trainer._rotate_checkpoints. Drop the fallback once 5.17 is no longer supported."""
    try:
        from transformers.trainer_utils import rotate_checkpoints as rotate
    except ImportError:
        trainer._rotate_checkpoints(use_mtime=False, output_dir=str(root))
        return
    rotate(output_dir=str(root), save_total_limit=trainer.args.save_total_limit,
           best_model_checkpoint=trainer.state.best_model_checkpoint, use_mtime=False)


def training_argument_names(arguments: dict[str, Any], gradient_checkpointing: bool, group_by_length: bool,
                            use_reentrant: bool = False) -> None:
    """Set the checkpointing and length-grouping arguments under the names this transformers has.

    transformers 5.2x renamed gradient_checkpointing(_kwargs) to activation_checkpointing(_kwargs) and
    replaced group_by_length=True with train_sampling_strategy="group_by_length"; 5.17 has the old names.
    """
    from transformers import TrainingArguments

    available = {field.name for field in dataclasses.fields(TrainingArguments)}
    checkpointing = "activation_checkpointing" if "activation_checkpointing" in available else "gradient_checkpointing"
    arguments[checkpointing] = gradient_checkpointing
    # Non-reentrant: reentrant breaks with frozen 4-bit inputs unless input grads are on (ZeRO-3 / FSDP turn
    # them on and need reentrant: supportbot.distributed.Placement.reentrant_checkpointing).
    arguments[f"{checkpointing}_kwargs"] = {"use_reentrant": use_reentrant}
    if group_by_length:
        if "train_sampling_strategy" in available:
            arguments["train_sampling_strategy"] = "group_by_length"
        else:
            arguments["group_by_length"] = True


def apply_liger_kernels_to_instance(model) -> None:
    """Liger's RMSNorm, RoPE and SwiGLU kernels on one model instance.

    liger-kernel (0.8.x) has no public per-instance entry point: its public `apply_liger_kernel_to_<arch>`
    functions patch the transformers classes for every model in the process. The private per-instance one
    is used instead; if a release renames it, this import fails and model.kernels=liger with it.
    """
    from liger_kernel.transformers.monkey_patch import _apply_liger_kernel_to_instance

    _apply_liger_kernel_to_instance(model=model, rope=True, rms_norm=True, swiglu=True, cross_entropy=False,
                                    fused_linear_cross_entropy=False)


def repair_byte_level_tokenizer(folder: Path) -> bool:
    """Write a byte-level BPE tokenizer read from a GGUF the way its model has it; True if it was changed.

    transformers 5.17 (the GPU images), loading a GPT-2-style GGUF vocabulary (SmolLM2's), builds a tokenizer.json
    with SentencePiece's trimmings: `byte_fallback: true` and a decoder Sequence(ByteFallback, Fuse, Replace("▁"),
    ByteLevel); 5.2x builds the plain ByteLevel one. Transformers encodes and decodes both alike, but llama.cpp's
    converter takes exactly that shape for a Llama SentencePiece vocabulary (gguf-py's LlamaHfVocab) and writes
    the GGUF as tokenizer model "llama": llama.cpp then tokenizes GPT-2 tokens as SentencePiece and aborts on the
    first byte without a `<0xXX>` token (`std::out_of_range` in llama_vocab::byte_to_token, seen on the H200,
    2026-12-03). The repair is exact for a byte-level vocabulary: with no `<0x..>` token, byte fallback has no
    token to fall back to (a character outside the vocabulary is unknown either way: SmolLM2 lacks 21 of the 256
    byte characters, bytes that UTF-8 never or almost never uses), and with no literal "▁" in any token the
    Sequence decodes as ByteLevel alone does. Anything else (a real SentencePiece vocabulary) is left as it is.
    Drop this once 5.17 is no longer supported."""
    import json

    path = folder / "tokenizer.json"
    if not path.is_file():
        return False
    spec = json.loads(path.read_text(encoding="utf-8"))
    model, decoder = spec.get("model") or {}, spec.get("decoder") or {}
    pre_tokenizer = spec.get("pre_tokenizer") or {}
    pre_types = {pre_tokenizer.get("type")} | {part.get("type") for part in pre_tokenizer.get("pretokenizers", [])}
    vocab = model.get("vocab") or {}
    if not (model.get("type") == "BPE" and model.get("byte_fallback") and "ByteLevel" in pre_types
            and decoder.get("type") == "Sequence"):
        return False
    byte_level = next((part for part in decoder.get("decoders", []) if part.get("type") == "ByteLevel"), None)
    # "Ġ" is the byte-level space: a vocabulary without it is not byte-level whatever its pre-tokenizer says.
    if (byte_level is None or "Ġ" not in vocab
            or any(token.startswith("<0x") or "▁" in token for token in vocab)):
        return False
    model["byte_fallback"] = False
    spec["decoder"] = byte_level
    path.write_text(json.dumps(spec, ensure_ascii=False, indent=2), encoding="utf-8")
    log.info("tokenizer.json in %s: byte fallback off, ByteLevel decoder (transformers 5.17's GGUF tokenizer, which "
             "llama.cpp would read as SentencePiece)", folder)
    return True


def drop_gguf_quantizer(model) -> None:
    """A model loaded from a GGUF comes back dequantised but still flagged quantised (transformers 5.x), and
    save_pretrained refuses it; clearing the quantizer lets it save as the plain checkpoint it is."""
    if getattr(model, "hf_quantizer", None) is not None:
        model.hf_quantizer.remove_quantization_config(model)
