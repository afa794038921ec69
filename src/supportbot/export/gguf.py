"""GGUF files of the merged model, written by llama.cpp's own tools: no clone and no download at export time.

    python -m supportbot.export run=<run> format=gguf gguf.types=[f16,q8_0,q4_k_m]

Where the tools come from (both out of the llama-cpp-python sdist on PyPI, vendor/llama.cpp; `make gguf`):

- the converter: convert_hf_to_gguf.py with its conversion/ package and gguf-py, extracted into gguf.llama_cpp
  (default <cache>/llama.cpp). It reads the merged folder and writes F16, BF16 or Q8_0 itself, tokenizer and
  chat template into the metadata; Q8_0 is quantized in Python by gguf-py, so these need no compiler.
- the quantizer: llama-cpp-python built from that sdist. Its libllama's llama_model_quantize (what the
  llama-quantize tool calls) makes the K-quants from an F16 file, and its engine runs the GGUFs in gguf_check.py.

Bits per weight (the disk estimate, disk.py): llama.cpp's tools/quantize/quantize.cpp lists each type's size
for Llama-3-8B (8.03e9 weights), e.g. "Q4_K_M 4.58G": 4.58 GiB * 8 / 8.03e9 = 4.90 bits. Those sizes hold when
every weight row is a multiple of 256 (the K-quants' block). A model whose hidden size is not (SmolLM2-135M's
576) gets llama.cpp's 32-block fallbacks (Q5_0, Q5_1, Q8_0) for those tensors, so its K-quants are counted at
Q8_0's 8.5 bits: an upper bound, never short.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from supportbot.errors import ConfigError, SupportbotError

log = logging.getLogger(__name__)

CONVERTER = "convert_hf_to_gguf.py"
K_BLOCK = 256  # weights per K-quant super-block (QK_K in ggml)
FALLBACK_BITS = 8.5  # Q8_0, the widest 32-block fallback llama.cpp uses for rows that are not a multiple of 256
TOOLS_FIX = "run `make gguf` (builds llama-cpp-python from its sdist and extracts llama.cpp's converter)"


@dataclass(frozen=True)
class GgufType:
    bits: float  # bits per weight (module docstring: llama.cpp's quantize table)
    outtype: Optional[str] = None  # written by convert_hf_to_gguf.py --outtype ...
    ftype: Optional[str] = None  # or quantized from F16 by llama_model_quantize into this llama_ftype

    @property
    def k_quant(self) -> bool:
        return self.ftype is not None


# The types a user asks for in gguf.types, most precise first.
GGUF_TYPES = {
    "f16": GgufType(16.0, outtype="f16"),
    "bf16": GgufType(16.0, outtype="bf16"),
    "q8_0": GgufType(8.5, outtype="q8_0"),  # 7.96 GiB @ Llama-3-8B
    "q6_k": GgufType(6.57, ftype="LLAMA_FTYPE_MOSTLY_Q6_K"),  # 6.14 GiB
    "q5_k_m": GgufType(5.70, ftype="LLAMA_FTYPE_MOSTLY_Q5_K_M"),  # 5.33 GiB
    "q4_k_m": GgufType(4.90, ftype="LLAMA_FTYPE_MOSTLY_Q4_K_M"),  # 4.58 GiB
}
INTERMEDIATE = "f16"  # what the K-quants are quantized from


def file_name(gguf_type: str) -> str:
    return f"model-{gguf_type}.gguf"


def bits_per_weight(gguf_type: str, hidden_size: int) -> float:
    """The estimate's bits per weight for this model: the table's, or the fallback's when rows are not 256-wide."""
    spec = GGUF_TYPES[gguf_type]
    if spec.k_quant and hidden_size % K_BLOCK:
        return max(spec.bits, FALLBACK_BITS)
    return spec.bits


def most_quantized(types: list[str]) -> str:
    """The smallest of the requested types: the one the Modelfile names (what Ollama's library serves by default
    is a 4-bit K-quant; a user asking for q4_k_m wants to run that one)."""
    return min(types, key=lambda name: GGUF_TYPES[name].bits)


def converter(llama_cpp: Path) -> Path:
    script = Path(llama_cpp).expanduser() / CONVERTER
    if not script.is_file() or not (script.parent / "gguf-py").is_dir():
        raise ConfigError(
            f"llama.cpp's converter is not in gguf.llama_cpp={llama_cpp} ({CONVERTER} and gguf-py/ are needed). "
            f"To install it, {TOOLS_FIX}; or point at a llama.cpp checkout: gguf.llama_cpp=/path/to/llama.cpp."
        )
    return script


def quantizer_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("llama_cpp") is not None


def check_tools(types: list[str], llama_cpp: Path, *, run_check: bool) -> None:
    """Refuse before anything is loaded when a requested type or the check has no tool to make or run it."""
    converter(llama_cpp)
    k_quants = [name for name in types if GGUF_TYPES[name].k_quant]
    if k_quants and not quantizer_available():
        raise ConfigError(
            f"gguf.types asks for the K-quant(s) {', '.join(k_quants)}, and the quantizer (llama-cpp-python's "
            f"llama_model_quantize) is not installed. To install it, {TOOLS_FIX}, or pip install -e '.[gguf]' "
            "(a C++ build); or export only the types the converter writes itself: gguf.types=[f16,q8_0]."
        )
    if run_check and not quantizer_available():
        raise ConfigError(
            "gguf.check=true runs each GGUF in llama.cpp (llama-cpp-python), which is not installed. "
            f"To install it, {TOOLS_FIX}; or skip the check: gguf.check=false."
        )


def convert(merged: Path, out: Path, outtype: str, llama_cpp: Path) -> Path:
    """convert_hf_to_gguf.py merged/ --outtype <outtype> --outfile <out>; written under a temporary name first,
    so a killed export leaves no file that looks finished. Its progress bar goes to the terminal."""
    partial = out.with_name(out.name + ".partial")
    command = [sys.executable, str(converter(llama_cpp)), str(merged), "--outtype", outtype, "--outfile", str(partial)]
    log.info("gguf: converting %s to %s (%s)", merged, out.name, outtype)
    started = time.time()
    # The converter puts its own gguf-py first on sys.path (unless NO_LOCAL_GGUF): the gguf package it was
    # written with, whatever version is installed.
    env = {key: value for key, value in os.environ.items() if key != "NO_LOCAL_GGUF"}
    result = subprocess.run(command, env=env)
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise SupportbotError(
            f"llama.cpp's converter failed (exit {result.returncode}) on {merged}: see its messages above. "
            f"Command: {' '.join(command)}. If it names an unsupported architecture, this llama.cpp "
            f"({llama_cpp}) is too old for the model: reinstall the tools ({TOOLS_FIX})."
        )
    partial.rename(out)
    log.info("gguf: wrote %s (%.1f MB) in %.0f s", out, out.stat().st_size / 1e6, time.time() - started)
    return out


def quantize(source: Path, out: Path, gguf_type: str) -> Path:
    """A K-quant of the F16 file `source`, by libllama's llama_model_quantize (llama.cpp prints one line per
    tensor as it goes)."""
    import llama_cpp

    spec = GGUF_TYPES[gguf_type]
    partial = out.with_name(out.name + ".partial")
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, spec.ftype)
    params.nthread = os.cpu_count() or 1
    log.info("gguf: quantizing %s to %s (%s, %d threads)", source.name, out.name, gguf_type, params.nthread)
    started = time.time()
    llama_cpp.llama_backend_init()
    status = llama_cpp.llama_model_quantize(str(source).encode(), str(partial).encode(), params)
    if status != 0:
        partial.unlink(missing_ok=True)
        raise SupportbotError(f"llama.cpp's quantizer failed (status {status}) making {out.name} from {source}: "
                              "see its messages above.")
    partial.rename(out)
    log.info("gguf: wrote %s (%.1f MB) in %.0f s", out, out.stat().st_size / 1e6, time.time() - started)
    return out


def write_ggufs(merged: Path, folder: Path, types: list[str], llama_cpp: Path) -> dict[str, Path]:
    """Every requested type in `folder` as model-<type>.gguf. The K-quants are made from F16: the requested
    model-f16.gguf when there is one, else a temporary F16 file, removed once they are written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name in types:
        if GGUF_TYPES[name].outtype:
            written[name] = convert(merged, folder / file_name(name), GGUF_TYPES[name].outtype, llama_cpp)
    k_quants = [name for name in types if GGUF_TYPES[name].k_quant]
    if k_quants:
        source = written.get(INTERMEDIATE) or convert(merged, folder / f".intermediate-{file_name(INTERMEDIATE)}",
                                                      GGUF_TYPES[INTERMEDIATE].outtype, llama_cpp)
        try:
            for name in k_quants:
                written[name] = quantize(source, folder / file_name(name), name)
        finally:
            if INTERMEDIATE not in types:
                source.unlink(missing_ok=True)
    return {name: written[name] for name in types}
