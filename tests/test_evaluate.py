"""evaluate.py on a tiny fine-tuned run: every metric, the report files, TensorBoard, chat mode,
the judge on real responses, placeholder fidelity, and the bad inputs it must explain."""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import TINY_RUN, compose_config, run_entrypoint, train_command
from supportbot.errors import ConfigError, DataError, ModelSourceError

EVAL_FAST = ("eval.max_samples=6", "eval.max_new_tokens=8", "eval.batch_size=8")


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> Path:
    run_dir = tmp_path_factory.mktemp("trained") / "run"
    result = run_entrypoint(train_command(run_dir, *TINY_RUN))
    assert result.returncode == 0, result.log[-3000:]
    return run_dir


@pytest.mark.slow
def test_the_whole_report_on_a_tiny_run(tiny_run):
    result = run_entrypoint([sys.executable, "evaluate.py", f"run={tiny_run}", *EVAL_FAST, "company=acme"])
    assert result.returncode == 0, result.log[-3000:]
    out = next((tiny_run / "eval").iterdir())
    metrics = json.loads((out / "metrics.json").read_text())
    for side in ("base", "finetuned"):
        m = metrics[side]
        assert m["heldout_loss"] > 0 and m["perplexity"] >= 1
        for key in ("rouge_l", "intent_consistency", "placeholders_all_known", "truncated_share",
                    "prompt_intent_consistency", "out_of_scope_redirect_rate", "entity_preservation"):
            assert 0.0 <= m[key] <= 1.0, (side, key, m[key])
        assert 0.0 <= m["bleu"] <= 100.0 and m["placeholders_invented"] >= 0 and m["answer_tokens_mean"] <= 8
    assert set(metrics["per_intent"]) and all("weak" in row for row in metrics["per_intent"].values())
    lines = [json.loads(line) for line in (out / "generations.jsonl").read_text().splitlines()]
    assert Counter(line["source"] for line in lines) == {"validation": 6, "prompt_suite": 16}
    report = (out / "report.md").read_text()
    assert "| held-out loss |" in report and "## Per intent" in report and "## Prompt suite" in report
    assert "I wanna cancel 12345" in report

    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(tiny_run / "tensorboard" / "tiny-sample"))
    events.Reload()
    assert {"evaluation/base/rouge_l", "evaluation/finetuned/heldout_loss", "train/loss"} <= set(events.Tags()["scalars"])
    assert any("evaluation/prompt_suite" in tag for tag in events.Tags()["tensors"])


@pytest.mark.slow
def test_chat_mode_answers_through_stdin(tiny_run):
    import subprocess

    from conftest import ROOT

    result = subprocess.run([sys.executable, "evaluate.py", f"run={tiny_run}", "mode=chat", "company=acme",
                             "eval.max_new_tokens=8"], cwd=ROOT, input="where is order 77120\nthanks\nexit\n",
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("bot> ") == 2 and "Acme Outfitters" in result.stdout


def test_the_judge_tells_intents_apart_on_real_held_out_responses(bitext_sample):
    from supportbot.data.rows import load_rows
    from supportbot.data.split import split_rows
    from supportbot.evaluation.judge import IntentJudge

    cfg = compose_config(f"data.path={bitext_sample}").data
    split = split_rows(load_rows(cfg).kept, 0.1, cfg.seed)
    judge = IntentJudge([r["response"] for r in split.train], [r["intent"] for r in split.train])
    predicted = judge.predict([r["response"] for r in split.validation])
    accuracy = sum(p == r["intent"] for p, r in zip(predicted, split.validation)) / len(split.validation)
    assert accuracy >= 0.9, accuracy


def test_placeholder_fidelity_counts_what_was_invented():
    from supportbot.evaluation.judge import placeholder_fidelity

    known = {"{{Order Number}}", "{{Website URL}}"}
    answers = ["Visit {{Website URL}} about order {{Order Number}}.",
               "Your order {{Order Nmber}} ships from {{Warehouse City}}.",  # two invented slots
               "Order VALUE8541 is on its way, like order 12345."]  # one made-up value; 12345 came from the prompt
    fidelity = placeholder_fidelity(answers, ["a", "b", "where is 12345"], known, policy="keep")
    assert fidelity.invented == Counter({"{{Order Nmber}}": 1, "{{Warehouse City}}": 1})
    assert fidelity.answers_with_only_known == pytest.approx(2 / 3)
    assert fidelity.invented_values == 1


def test_company_values_fill_slots_and_customer_values_come_from_the_conversation():
    from supportbot.config import CompanyProfile
    from supportbot.evaluation.company import fill

    acme = CompanyProfile(name="Acme", values={"Website URL": "acme.example"})
    text, unfilled = fill("Order {{Order Number}}: see {{Website URL}}, {{Client Last Name}}.", acme, ["where is order 77120"])
    assert text == "Order 77120: see acme.example, [Client Last Name]." and unfilled == ["Client Last Name"]
    text, unfilled = fill("Order {{Order Number}}", acme, ["cancel my order please"])
    assert text == "Order [Order Number]" and unfilled == ["Order Number"], "never invent a customer's number"


def test_a_run_without_an_adapter_says_so(tmp_path, tiny_run):
    from supportbot.evaluation.runs import open_run

    broken = tmp_path / "run"
    shutil.copytree(tiny_run, broken, ignore=shutil.ignore_patterns("adapter", "checkpoints", "eval"))
    with pytest.raises(ConfigError, match="has no adapter.*did not finish"):
        open_run(broken)
    with pytest.raises(ConfigError, match="not a training run folder"):
        open_run(tmp_path)


def test_changed_data_is_refused_by_its_split_hash(tmp_path, tiny_run):
    from supportbot.evaluation.runs import open_run

    copy = tmp_path / "run"
    shutil.copytree(tiny_run, copy, ignore=shutil.ignore_patterns("checkpoints", "eval"))
    report = json.loads((copy / "data_report.json").read_text())
    report["split_hash"] = "0000000000000000"
    (copy / "data_report.json").write_text(json.dumps(report))
    with pytest.raises(DataError, match="split hash"):
        open_run(copy)


def test_an_adapter_of_another_base_model_is_refused(tmp_path, tiny_run):
    from supportbot.evaluation.runs import check_adapter_base, open_run

    run = open_run(tiny_run)
    with pytest.raises(ModelSourceError, match="was trained on"):
        check_adapter_base(run, "/models/Llama-3.2-3B-Instruct")


def test_an_empty_or_unknown_prompt_file_is_explained(tmp_path):
    from supportbot.evaluation.prompts import load_prompts

    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(ConfigError, match="holds no prompts"):
        load_prompts(str(empty), {"cancel_order"})
    with pytest.raises(ConfigError, match="no such prompt file.*Available: default"):
        load_prompts("nonexistent", {"cancel_order"})
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {prompt: 'hi', intent: not_an_intent}\n")
    with pytest.raises(ConfigError, match="not one the run trained on"):
        load_prompts(str(bad), {"cancel_order"})


def test_the_default_prompt_suite_covers_the_plan():
    from supportbot.evaluation.prompts import load_prompts

    cases = load_prompts("default", {c for c in _intents()})
    assert len(cases) >= 15
    assert {c.kind for c in cases} >= {"same_intent_new_words", "typo", "changed_structure", "weird", "out_of_scope", "entity"}
    assert any("77120" in c.must_contain for c in cases)


def _intents() -> set[str]:
    from supportbot.data.rows import load_rows

    return {row["intent"] for row in load_rows(compose_config("data=sample").data).kept}


def test_out_of_scope_answers_must_steer_back_to_support():
    from supportbot.evaluation.prompts import PromptCase, score_case

    weather = PromptCase(prompt="What is the weather", kind="out_of_scope", must_not_contain=["sunny", "degrees"])
    steer = "I can't check the weather, but I can help with your order, shipping or account."
    assert score_case(weather, steer, "track_order", 0.4)["redirects"] is True
    assert score_case(weather, "It is sunny and 25 degrees.", "track_order", 0.4)["redirects"] is False
    assert score_case(weather, steer, "track_order", 0.05)["redirects"] is False  # the judge sees no support talk
    entity = PromptCase(prompt="where is order 77120", kind="entity", intent="track_order", must_contain=["77120"])
    assert score_case(entity, "Order 77120 ships today.", "track_order", 0.9) == {
        "entities_kept": True, "on_intent": True, "redirects": None}
