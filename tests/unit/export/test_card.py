"""The model card says what was trained: base and licence, data and its licence, recipe, evaluate.py's metrics."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers import compose_config
from supportbot.export.card import DATA_LICENCE, licence, model_card


def fake_run(folder: Path, *overrides: str):
    cfg = compose_config(*overrides)
    (folder / "metrics.json").write_text(json.dumps({"global_step": 120, "precision": "bf16", "device": "cuda",
                                                     "eval_loss": 0.81, "train_rows": 900, "validation_rows": 50}))
    report = {"source": "hub:bitext/x", "split": {"method": "family", "similarity": 0.8}, "split_hash": "abc123"}
    return SimpleNamespace(folder=folder, cfg=cfg, report=report, name="run-name")


@pytest.mark.parametrize("name, expected", [("llama3.2-3b", "Llama 3.2 Community License"),
                                            ("llama3.2-1b", "Llama 3.2 Community License"),
                                            ("qwen3-4b", "Apache-2.0"), ("smollm2-135m", "Apache-2.0"),
                                            ("mistral-7b", "see the base model's card")])
def test_licence_per_known_model(name, expected):
    assert licence(name)[0] == expected


def test_the_card_without_an_evaluation(tmp_path):
    card = model_card(fake_run(tmp_path, "model=llama3.2-3b", "lora.r=32", "train.learning_rate=1e-4"), "me/bot")
    assert card.startswith("---\nlicense: llama3.2\n") and "base_model: meta-llama/Llama-3.2-3B-Instruct" in card
    for text in ("# me/bot", "Llama 3.2 Community License", "hub:bitext/x", "`abc123`", "realistic",
                 "r=32, alpha=16", "learning rate 0.0001", "120 optimizer steps", "bf16", DATA_LICENCE,
                 "No evaluate.py report"):
        assert text in card, text
    assert "[More Information Needed]" not in card


def test_the_card_reports_the_latest_evaluation(tmp_path):
    for name, loss in (("2026-01-01_00-00-00", 9.0), ("2026-02-01_00-00-00", 0.5)):
        (tmp_path / "eval" / name).mkdir(parents=True)
        scores = {"heldout_loss": loss, "rouge_l": 0.42, "intent_consistency_macro": 0.9,
                  "out_of_scope_redirect_rate": 0.75}
        (tmp_path / "eval" / name / "metrics.json").write_text(
            json.dumps({"base": {**scores, "heldout_loss": 2.5}, "finetuned": scores}))
    card = model_card(fake_run(tmp_path, "model=qwen3-4b"))
    assert "license: apache-2.0" in card and "report 2026-02-01_00-00-00" in card
    assert "| held-out loss | 2.5 | 0.5 |" in card and "| ROUGE-L | 0.42 | 0.42 |" in card
    assert "| out-of-scope redirect | 0.75 | 0.75 |" in card and "intent consistency (macro)" in card


def test_a_tool_run_card_names_its_format_its_tools_and_how_to_call_them(tmp_path):
    from supportbot.tools.registry import Registry

    run = fake_run(tmp_path, "model=smollm2-135m", "data.format=tool_calls")
    card = model_card(run, "me/bot", tool_style="supportbot")
    section = card[card.index("## Tool calls"):card.index("## Evaluation")]
    assert "data.format=tool_calls" in section and "supportbot's own format" in section and "tools.json" in section
    for tool in Registry(run.cfg.tools).schemas():
        assert f"- `{tool['function']['name']}`: {tool['function']['description']}" in section
    assert "apply_chat_template(messages, tools=tools, add_generation_prompt=True" in section
    assert 'AutoTokenizer.from_pretrained("me/bot")' in section and "--tool-call-parser hermes" in section
    assert "ollama.chat(model=\"support-bot\"" in section and "tools=tools" in section


def test_a_native_tool_format_card_sends_ollama_users_to_the_gguf_template(tmp_path):
    card = model_card(fake_run(tmp_path, "model=llama3.2-3b", "data.format=tool_calls"), tool_style="llama3_json")
    assert "Llama 3.x JSON calls" in card and "--tool-call-parser llama3_json" in card
    assert "ollama.chat(" not in card and "llama-server -m <file> --jinja" in card


def test_a_plain_run_card_has_no_tool_section(tmp_path):
    assert "## Tool calls" not in model_card(fake_run(tmp_path, "model=qwen3-4b"))
