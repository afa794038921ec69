"""The end-to-end tier: runs through train.py / evaluate.py / accelerate launch with tiny models. Every test
here is marked slow by its folder (`make test-fast` leaves them out; `make test` runs them)."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.slow)
