"""Shared fixtures: the real config composed with overrides, the real entrypoints run as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir

from supportbot.config import RunConfig, register_configs, to_run_config

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "conf"
BITEXT_SAMPLE = ROOT.parent / "shared" / "data" / "bitext" / "bitext_sample.csv"

register_configs()


def compose_config(*overrides: str) -> RunConfig:
    """conf/train.yaml with overrides, converted through the typed boundary as train.py does."""
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return to_run_config(compose("train", overrides=list(overrides)))


@pytest.fixture
def bitext_sample() -> Path:
    if not BITEXT_SAMPLE.is_file():
        pytest.skip(f"the real Bitext rows are not here ({BITEXT_SAMPLE}); they come with ../shared beside the checkout")
    return BITEXT_SAMPLE


@pytest.fixture(scope="session")
def smollm2_tokenizer():
    """SmolLM2's tokenizer as the project builds it (GGUF converted once into the cache)."""
    from supportbot.model import build_tokenizer

    cfg = compose_config("model=smollm2-135m")
    return build_tokenizer(cfg.model, Path(cfg.cache_dir).expanduser())


# A tiny run: 2-layer model, bundled data, a few steps, fp32 4-bit path on CPU.
TINY_RUN = ("model=tiny", "data=sample", "hardware=cpu", "data.max_seq_length=256", "train.max_steps=4",
            "train.eval_steps=2", "train.save_steps=2", "train.logging_steps=1")


def run_entrypoint(command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None,
                   timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TOKENIZERS_PARALLELISM": "false", **(env or {})}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    result.log = result.stdout + result.stderr  # type: ignore[attr-defined]
    return result


def train_command(run_dir: Path, *overrides: str) -> list[str]:
    return [sys.executable, "train.py", f"hydra.run.dir={run_dir}", *overrides]
