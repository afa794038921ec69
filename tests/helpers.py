"""What every tier shares: paths, the real config composed with overrides, and the real entrypoints run
as a user would. Fixtures are in conftest.py; this module is imported by name (pytest's `pythonpath`)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from hydra import compose, initialize_config_dir

from supportbot.config import RunConfig, register_configs, to_run_config

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "conf"
BITEXT_SAMPLE = ROOT.parent / "shared" / "data" / "bitext" / "bitext_sample.csv"

register_configs()

# A tiny run: 2-layer model, bundled data, a few steps, fp32 4-bit path on CPU.
TINY_RUN = ("model=tiny", "data=sample", "hardware=cpu", "data.max_seq_length=256", "train.max_steps=4",
            "train.eval_steps=2", "train.save_steps=2", "train.logging_steps=1", "train.sample_max_new_tokens=4")


def compose_config(*overrides: str) -> RunConfig:
    """conf/train.yaml with overrides, converted through the typed boundary as train.py does."""
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return to_run_config(compose("train", overrides=list(overrides)))


def compose_evaluate(*overrides: str):
    """conf/evaluate.yaml with overrides (run= among them), through its typed boundary as evaluate.py does."""
    from omegaconf import OmegaConf

    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return OmegaConf.to_object(compose("evaluate", overrides=list(overrides)))


def compose_export(*overrides: str):
    """conf/export.yaml with overrides (run= given), through its typed boundary as the entrypoint does."""
    from omegaconf import OmegaConf

    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return OmegaConf.to_object(compose("export", overrides=["run=outputs/x", *overrides]))


def run_entrypoint(command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None,
                   timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TOKENIZERS_PARALLELISM": "false", **(env or {})}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    result.log = result.stdout + result.stderr  # type: ignore[attr-defined]
    return result


def train_command(run_dir: Path, *overrides: str) -> list[str]:
    return [sys.executable, "train.py", f"hydra.run.dir={run_dir}", *overrides]


def train_in_process(run_dir: Path, *overrides: str) -> dict:
    """One training run in this process, on conf/ composed with `overrides`: train.py without the launch
    (lightning-hydra-template's in-process `train(cfg)`). Returns metrics.json's content."""
    from supportbot.train.pipeline import train

    return train(compose_config(*overrides), run_dir)


# The held-out prompt suites: never trained on. Training data written by the project is held away from them.
HELD_OUT_SUITES = (CONF / "eval/prompts/heldout.yaml", CONF / "eval/prompts/default.yaml",
                   CONF / "eval/tool_prompts/heldout.yaml")


def held_out_prompts() -> list[str]:
    """Every user message of the held-out suites (both turns of a multi-turn case)."""
    import yaml

    prompts = []
    for path in HELD_OUT_SUITES:
        for entry in yaml.safe_load(path.read_text()):
            prompts += [turn for turn in (entry.get("turns") or [entry.get("prompt")]) if turn]
    return prompts


def near_held_out_prompts(texts: list[str], cosine: float = 0.6, ratio: float = 0.7) -> list[tuple[str, str]]:
    """(text, prompt) pairs of `texts` too close to a held-out prompt: character 3-5-gram TF-IDF cosine >= `cosine`
    (the split's family threshold is 0.8) or difflib ratio >= `ratio` (the suites were checked against Bitext at
    0.9)."""
    import difflib

    from sklearn.feature_extraction.text import TfidfVectorizer

    prompts = held_out_prompts()
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit(texts + prompts)
    similarity = (vectorizer.transform(texts) @ vectorizer.transform(prompts).T).toarray()
    close = []
    for i, text in enumerate(texts):
        for j, prompt in enumerate(prompts):
            matcher = difflib.SequenceMatcher(None, text.lower(), prompt.lower())
            if similarity[i, j] >= cosine or (matcher.real_quick_ratio() >= ratio and matcher.quick_ratio() >= ratio
                                              and matcher.ratio() >= ratio):
                close.append((text, prompt))
    return close


def load_script(name: str, path: Path):
    """A script that is not a package module (benchmarks/*.py), imported under `name` for its unit tests."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
