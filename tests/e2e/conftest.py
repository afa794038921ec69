"""The end-to-end tier: runs through train.py / evaluate.py / accelerate launch with tiny models. Every test
here is marked slow by its folder (`make test-fast` leaves them out; `make test` runs them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import TINY_RUN, train_in_process

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> Path:
    """A finished tiny run, trained in this process, for the tests that launch what comes after training
    (evaluate.py, the export): one per test module."""
    run_dir = tmp_path_factory.mktemp("trained") / "run"
    train_in_process(run_dir, *TINY_RUN)
    return run_dir
