"""The version shims: every private Trainer method that SupportTrainer overrides exists in the installed
transformers with the parameters the override expects, and a removed or renamed one stops with its name."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import sys
from pathlib import Path

import pytest
from transformers import Trainer, TrainingArguments

from supportbot import compat
from supportbot.errors import IncompatibleVersion
from supportbot.train.trainer import SupportTrainer


@pytest.mark.parametrize("name,parameters", sorted(compat.TRAINER_OVERRIDES.items()))
def test_every_overridden_private_trainer_method_is_in_this_transformers(name, parameters):
    compat.check_trainer_method(name, parameters)  # raises, naming the method, if an upgrade removed or changed it
    assert tuple(inspect.signature(getattr(Trainer, name)).parameters)[:len(parameters)] == parameters


def test_supporttrainer_overrides_no_private_method_outside_the_list():
    overridden = {name for klass in SupportTrainer.__mro__ if klass.__module__.startswith("supportbot")
                  for name in vars(klass) if name.startswith("_") and not name.startswith("__")
                  and hasattr(Trainer, name)}
    assert overridden == set(compat.TRAINER_OVERRIDES)


def test_a_removed_private_method_fails_loudly_and_names_it(monkeypatch):
    monkeypatch.delattr(Trainer, "_save_checkpoint")
    with pytest.raises(IncompatibleVersion, match=r"has no Trainer\._save_checkpoint, a private method"):
        compat.check_trainer_method("_save_checkpoint", compat.TRAINER_OVERRIDES["_save_checkpoint"])


def test_a_private_method_with_other_parameters_fails_loudly_and_names_it(monkeypatch):
    monkeypatch.setattr(Trainer, "_get_output_dir", lambda self, run, trial=None: "")
    with pytest.raises(IncompatibleVersion, match=r"changed Trainer\._get_output_dir: it takes \('self', 'run'"):
        compat.check_trainer_method("_get_output_dir", compat.TRAINER_OVERRIDES["_get_output_dir"])


def test_an_override_missing_from_the_list_is_refused():
    def _prediction_step(self, model, inputs):
        pass

    with pytest.raises(IncompatibleVersion, match="_prediction_step overrides a private Trainer method"):
        compat.overrides_trainer(_prediction_step)


def test_checkpointing_and_length_grouping_get_this_transformers_names():
    arguments: dict = {}
    compat.training_argument_names(arguments, gradient_checkpointing=True, group_by_length=True)
    TrainingArguments(output_dir="unused", use_cpu=True, **arguments)  # every name exists in this version
    checkpointing = next(key for key in arguments if key.endswith("checkpointing"))
    assert arguments[checkpointing] is True and arguments[f"{checkpointing}_kwargs"] == {"use_reentrant": False}
    assert arguments.get("train_sampling_strategy") == "group_by_length" or arguments.get("group_by_length") is True


# What transformers 5.17 writes for SmolLM2's GGUF vocabulary (read off its tokenizer.json, 2026-12-04).
DECODER_5_17 = {"type": "Sequence", "decoders": [
    {"type": "ByteFallback"}, {"type": "Fuse"}, {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
    {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}]}
TEXTS = ["Hello world, café 😀 order #123\n  spaced", "Ünïcödé — ÿ\t¬®", "<|im_start|>user\nI want a refund<|im_end|>"]


def tokenizer_json_as_5_17_writes_it(smollm2_tokenizer, folder: Path) -> Path:
    smollm2_tokenizer.save_pretrained(folder)
    path = folder / "tokenizer.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    spec["model"]["byte_fallback"] = True
    spec["decoder"] = DECODER_5_17
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_5_17_gguf_tokenizer_is_written_as_the_byte_level_bpe_it_is(smollm2_tokenizer, tmp_path):
    from tokenizers import Tokenizer

    path = tokenizer_json_as_5_17_writes_it(smollm2_tokenizer, tmp_path)
    before = Tokenizer.from_file(str(path))
    assert compat.repair_byte_level_tokenizer(tmp_path)
    spec = json.loads(path.read_text(encoding="utf-8"))
    assert spec["model"]["byte_fallback"] is False and spec["decoder"]["type"] == "ByteLevel"
    after = Tokenizer.from_file(str(path))
    for text in TEXTS:  # exact: the same ids, and the same text back
        ids = before.encode(text).ids
        assert after.encode(text).ids == ids and after.decode(ids) == before.decode(ids)
    assert not compat.repair_byte_level_tokenizer(tmp_path)  # done once; the plain one is left alone


def test_llama_cpps_converter_reads_the_repaired_one_as_gpt2_not_sentencepiece(smollm2_tokenizer, tmp_path):
    """gguf-py's LlamaHfVocab is the converter's SentencePiece path (tried before gpt2's): it takes the 5.17
    shape, which is what made the GGUF abort in llama.cpp, and refuses the repaired one."""
    gguf_py = Path(os.environ.get("SUPPORTBOT_CACHE", Path.home() / ".cache/supportbot")) / "llama.cpp" / "gguf-py"
    if not gguf_py.is_dir():
        pytest.skip(f"llama.cpp's gguf-py is not at {gguf_py} (make gguf extracts it)")
    vocab = _gguf_vocab_module(gguf_py)
    tokenizer_json_as_5_17_writes_it(smollm2_tokenizer, tmp_path)
    assert vocab.LlamaHfVocab(tmp_path).tokenizer_model == "llama"  # the broken reading
    compat.repair_byte_level_tokenizer(tmp_path)
    with pytest.raises(FileNotFoundError):  # the converter moves on to its gpt2 (BPE) vocabulary
        vocab.LlamaHfVocab(tmp_path)


def _gguf_vocab_module(gguf_py: Path):
    """gguf-py's vocab module from llama.cpp's own copy (what the converter runs; an installed gguf package may
    be another version), with sys.path and sys.modules as they were afterwards."""
    saved_path = sys.path[:]
    saved_modules = {name: module for name, module in sys.modules.items() if name == "gguf" or name.startswith("gguf.")}
    for name in saved_modules:
        del sys.modules[name]
    sys.path.insert(0, str(gguf_py))
    try:
        return importlib.import_module("gguf.vocab")
    finally:
        sys.path[:] = saved_path
        for name in [name for name in sys.modules if name == "gguf" or name.startswith("gguf.")]:
            del sys.modules[name]
        sys.modules.update(saved_modules)


def test_a_sentencepiece_vocabulary_is_left_as_it_is(tmp_path):
    spec = {"model": {"type": "BPE", "byte_fallback": True, "vocab": {"<0x0A>": 0, "▁the": 1}},
            "pre_tokenizer": {"type": "Metaspace"}, "decoder": DECODER_5_17}
    (tmp_path / "tokenizer.json").write_text(json.dumps(spec), encoding="utf-8")
    assert not compat.repair_byte_level_tokenizer(tmp_path)
    assert json.loads((tmp_path / "tokenizer.json").read_text()) == spec
