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


def test_every_gguf_type_and_temporary_is_planned():
    gib = 2**30
    plan = disk.export_plan(3_000_000_000, 2, hidden_size=3072, merged=True, merged_kept=False,
                            gguf_types=["q8_0", "q4_k_m"])
    assert plan == {
        "merged/ (temporary: the converter's input)": 6_000_000_000 + disk.TOKENIZER_ALLOWANCE,
        "gguf/model-q8_0.gguf": int(3e9 * 8.5 / 8) + disk.TOKENIZER_ALLOWANCE,
        "gguf/model-q4_k_m.gguf": int(3e9 * 4.9 / 8) + disk.TOKENIZER_ALLOWANCE,
        "gguf/model-f16.gguf (temporary: the K-quants' source)": int(3e9 * 16 / 8) + disk.TOKENIZER_ALLOWANCE,
    }
    assert sum(plan.values()) > 16 * gib  # Llama-3.2-3B's merged + Q8_0 + Q4_K_M is most of Kaggle's 20 GB disk
    # f16 requested: it is the K-quants' source, no temporary; format=all keeps merged/.
    plan = disk.export_plan(10**6, 4, hidden_size=576, merged=True, gguf_types=["f16", "q4_k_m"])
    assert list(plan) == ["merged/", "gguf/model-f16.gguf", "gguf/model-q4_k_m.gguf"]
    assert plan["gguf/model-q4_k_m.gguf"] == int(10**6 * 8.5 / 8) + disk.TOKENIZER_ALLOWANCE  # not 256-wide
    assert disk.export_plan(10**6, 2, hidden_size=576, merged=False, gguf_types=["q8_0"]) == {
        "gguf/model-q8_0.gguf": int(10**6 * 8.5 / 8) + disk.TOKENIZER_ALLOWANCE}


def test_a_gguf_export_too_big_for_a_fake_20_gb_disk_is_refused_with_every_number(tmp_path, monkeypatch):
    free = 20 * 10**9
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(free, 0, free))
    plan = disk.export_plan(3_212_749_824, 2, hidden_size=3072, merged=True,  # Llama-3.2-3B's parameters
                            gguf_types=["f16", "q8_0", "q5_k_m", "q4_k_m"])
    with pytest.raises(DiskSpaceError) as caught:
        disk.check_plan(tmp_path / "export", plan)
    message = str(caught.value)
    assert f"({sum(plan.values())} bytes)" in message and f"({free} bytes) free" in message
    assert "gguf/model-q5_k_m.gguf 2.36 GB" in message and "merged/ 6.49 GB" in message
    assert "gguf.types=[q4_k_m]" in message and "dir=" in message
    fewer = disk.export_plan(3_212_749_824, 2, hidden_size=3072, merged=False, gguf_types=["q4_k_m"])
    disk.check_plan(tmp_path / "export", fewer)  # the fix the message names fits
