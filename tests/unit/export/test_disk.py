"""Disk first: an export that its disk cannot hold is refused with both numbers and the fix."""

from __future__ import annotations

import shutil
from collections import namedtuple

import pytest

from supportbot.errors import DiskSpaceError
from supportbot.export import disk

Usage = namedtuple("Usage", "total used free")


def test_the_estimate_is_two_bytes_a_parameter_plus_the_tokenizer():
    assert disk.estimate_bytes(3_000_000_000) == 6_000_000_000 + disk.TOKENIZER_ALLOWANCE
    assert disk.estimate_bytes(10, bytes_per_parameter=4) == 40 + disk.TOKENIZER_ALLOWANCE


def test_a_small_disk_is_refused_with_both_numbers_and_the_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(10**9, 10**9 - 123_456, 123_456))
    needed = disk.estimate_bytes(1_000_000_000)
    with pytest.raises(DiskSpaceError) as caught:
        disk.check_disk(tmp_path / "not" / "made" / "yet", needed)  # the nearest existing folder's disk counts
    message = str(caught.value)
    assert str(needed) in message and "123456 bytes" in message
    assert "dir=" in message and "format=merged" in message


def test_a_large_disk_passes(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(10**13, 0, 10**13))
    disk.check_disk(tmp_path / "export", disk.estimate_bytes(3_000_000_000))


def test_parameters_are_counted_on_the_meta_device(tmp_path):
    from transformers import LlamaConfig

    config = LlamaConfig(hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
                         num_key_value_heads=1, vocab_size=100, tie_word_embeddings=True)
    config.save_pretrained(tmp_path)
    embeddings, attention, mlp, norms = 100 * 16, 16 * 16 * 2 + 16 * 8 * 2, 3 * 16 * 32, 3 * 16
    assert disk.parameter_count(str(tmp_path), trust_remote_code=False) == embeddings + attention + mlp + norms
