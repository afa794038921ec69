"""Whole checkpoints: torn ones are skipped with a warning, and an explicit torn one is refused."""

from __future__ import annotations

import logging

import pytest

from supportbot.run.folders import MARKER
from supportbot.train.checkpointing import newest_complete_checkpoint, resolve_resume


def test_torn_checkpoints_are_skipped_with_a_warning(tmp_path, caplog):
    root = tmp_path / "checkpoints"
    for step in (2, 4, 6):
        folder = root / f"checkpoint-{step}"
        folder.mkdir(parents=True)
        (folder / "adapter_model.safetensors").write_bytes(b"x" * 100)
        from supportbot.run.folders import mark_complete

        mark_complete(folder)
    (root / "checkpoint-6" / "adapter_model.safetensors").write_bytes(b"x" * 10)  # truncated
    (root / "checkpoint-4" / MARKER).unlink()  # the save never finished
    (root / ".incomplete" / "checkpoint-8").mkdir(parents=True)
    with caplog.at_level(logging.WARNING):
        assert newest_complete_checkpoint(root) == root / "checkpoint-2"
    text = caplog.text
    assert "checkpoint-6" in text and "10 bytes, 100 were written" in text
    assert "checkpoint-4" in text and "no completion marker" in text and "checkpoint-8" in text
    assert resolve_resume("never", root) is None
    from supportbot.errors import ConfigError

    with pytest.raises(ConfigError, match="cannot be resumed from: no completion marker"):
        resolve_resume(str(root / "checkpoint-4"), root)
