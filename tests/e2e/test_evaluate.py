"""evaluate.py on a tiny fine-tuned run: every metric, the report files, TensorBoard, chat mode, and the bad
runs it must explain."""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter

import pytest
import yaml

from helpers import ROOT, run_entrypoint
from supportbot.errors import ConfigError, DataError, ModelSourceError

EVAL_FAST = ("eval.max_samples=6", "eval.max_new_tokens=8", "eval.batch_size=8")


def test_the_whole_report_on_a_tiny_run(tiny_run):
    result = run_entrypoint([sys.executable, "evaluate.py", f"run={tiny_run}", *EVAL_FAST, "company=acme"])
    assert result.returncode == 0, result.log[-3000:]
    out = next((tiny_run / "eval").glob("*/metrics.json")).parent  # beside answers/ (eval.reuse_answers)
    metrics = json.loads((out / "metrics.json").read_text())
    for side in ("base", "finetuned"):
        m = metrics[side]
        assert m["heldout_loss"] > 0 and m["perplexity"] >= 1
        for key in ("rouge_l", "intent_consistency", "intent_consistency_macro", "placeholders_all_known",
                    "answers_with_invented_placeholder", "truncated_share", "prompt_intent_consistency",
                    "prompt_intent_consistency_macro", "out_of_scope_redirect_rate", "injection_redirect_rate",
                    "in_scope_refusal_rate",
                    "entity_preservation", "multi_turn_value_carried"):
            assert 0.0 <= m[key] <= 1.0, (side, key, m[key])
        # The held-out suite (the default) is reported kind by kind.
        assert set(m["suite_by_kind"]) == {"new_wording", "typo", "changed_structure", "entity", "weird",
                                           "other_language", "out_of_scope", "injection", "multi_turn"}
        assert 0.0 <= m["bleu"] <= 100.0 and m["placeholders_invented"] >= 0 and m["answer_tokens_mean"] <= 8
    assert set(metrics["per_intent"]) and all("weak" in row for row in metrics["per_intent"].values())
    lines = [json.loads(line) for line in (out / "generations.jsonl").read_text().splitlines()]
    suite = yaml.safe_load((ROOT / "conf" / "eval" / "prompts" / "heldout.yaml").read_text())
    assert Counter(line["source"] for line in lines) == {"validation": 6, "prompt_suite": len(suite)}
    multi_turn = next(line for line in lines if line.get("kind") == "multi_turn")
    conversation = multi_turn["finetuned"]["conversation"]  # played turn by turn: user, model, user, model
    assert [m["role"] for m in conversation] == ["user", "assistant", "user", "assistant"]
    assert conversation[2]["content"] == next(case for case in suite if case["kind"] == "multi_turn")["turns"][1]
    report = (out / "report.md").read_text()
    assert "| held-out loss |" in report and "## Per intent" in report and "## Prompt suite" in report
    assert "## Prompt suite by kind" in report and "| multi_turn |" in report
    # A plain run: no tool rows, and metrics.json says why (tests/e2e/test_tool_calls.py covers a tool run).
    assert "## Tool use" not in report and set(metrics["tool_use"]) == {"not_applicable"}
    assert "tool_use" not in metrics["base"] and not any(line["source"].startswith("tool_") for line in lines)

    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(tiny_run / "tensorboard" / "tiny-sample"))
    events.Reload()
    # Beside the training curves, in a group that sorts after them (run/tensorboard.py: GROUPS).
    assert ({"vs_base/base/rouge_l", "vs_base/finetuned/heldout_loss", "train/loss"}
            <= set(events.Tags()["scalars"]))
    assert any("vs_base/prompt_suite" in tag for tag in events.Tags()["tensors"])
    # A quiet console: transformers' own "Loading weights" bar stays off it, evaluate.py's progress stays.
    assert "Loading weights" not in result.log and "validation answers" in result.log


def test_chat_mode_answers_through_stdin(tiny_run):
    import subprocess

    from helpers import ROOT

    result = subprocess.run([sys.executable, "evaluate.py", f"run={tiny_run}", "mode=chat", "company=acme",
                             "eval.max_new_tokens=8"], cwd=ROOT, input="where is order 77120\nthanks\nexit\n",
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("bot> ") == 2 and "Acme Outfitters" in result.stdout


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


def test_a_second_evaluation_reads_the_answers_back_and_reports_the_same(tiny_run, tmp_path):
    """eval.reuse_answers (the default): the second evaluation of a run generates nothing (its batches come from the
    folders the first filled), and every number is the one a fresh generation gives (eval.reuse_answers=false)."""
    shutil.rmtree(tiny_run / "eval" / "answers", ignore_errors=True)  # what another test of this run kept
    reports = {}
    for name, switch in (("first", "eval.reuse_answers=true"), ("second", "eval.reuse_answers=true"),
                         ("fresh", "eval.reuse_answers=false")):
        result = run_entrypoint([sys.executable, "evaluate.py", f"run={tiny_run}", *EVAL_FAST, switch,
                                 f"hydra.run.dir={tmp_path / name}"])
        assert result.returncode == 0, result.log[-3000:]
        reports[name] = json.loads((tmp_path / name / "metrics.json").read_text())
    first, second = reports["first"]["answer_batches"], reports["second"]["answer_batches"]
    assert first["finetuned"]["reused"] == 0 and first["finetuned"]["generated"] > 0
    for side in ("base", "finetuned"):
        assert second[side]["generated"] == 0 and second[side]["reused"] == sum(first[side].values())
        assert reports["fresh"]["answer_batches"][side] == {"reused": 0, "generated": second[side]["reused"]}
        assert reports["second"][side] == reports["first"][side] == reports["fresh"][side]
