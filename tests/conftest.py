"""Fixtures shared by both tiers (tests/unit: fast, per module; tests/e2e: through the entrypoints, slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import BITEXT_SAMPLE, compose_config


@pytest.fixture
def bitext_sample() -> Path:
    if not BITEXT_SAMPLE.is_file():
        pytest.skip(f"the real Bitext rows are not here ({BITEXT_SAMPLE}); "
                    "they come with ../shared beside the checkout")
    return BITEXT_SAMPLE


@pytest.fixture(scope="session")
def smollm2_tokenizer():
    """SmolLM2's tokenizer as the project builds it (GGUF converted once into the cache)."""
    from supportbot.model.build import build_tokenizer

    cfg = compose_config("model=smollm2-135m")
    return build_tokenizer(cfg.model, Path(cfg.cache_dir).expanduser())
