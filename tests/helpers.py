"""What every tier shares: paths, the real config composed with overrides, and the real entrypoints run
as a user would. Fixtures are in conftest.py; this module is imported by name (pytest's `pythonpath`)."""

from __future__ import annotations

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
