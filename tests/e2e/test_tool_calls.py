"""data.format=tool_calls through the real entrypoints: the tiny model trains a few steps on tool conversations
rendered with the tools (SmolLM2's template: the project's own tool format), the run's data_report.json counts
them, evaluate.py reports tool use on the held-out tool suite and the validation tool conversations, and mode=chat
runs the model's calls against the SQLite store."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from helpers import TINY_RUN, compose_evaluate, run_entrypoint, train_in_process
from supportbot.tools.metrics import METRICS


@pytest.fixture(scope="module")
def tiny_tool_run(tmp_path_factory) -> tuple[Path, dict]:
    """One tiny tool-calls run for this module's tests: its folder and train's metrics."""
    run_dir = tmp_path_factory.mktemp("trained") / "run"
    # The tools ride in every prompt (about 800 tokens of SmolLM2's): a longer row than the plain tiny run's.
    metrics = train_in_process(run_dir, *TINY_RUN, "data.format=tool_calls", "data.max_seq_length=1536")
    return run_dir, metrics


def test_tiny_model_trains_on_tool_conversations(tiny_tool_run):
    run_dir, metrics = tiny_tool_run
    assert metrics["global_step"] == 4 and metrics["eval_loss"] == metrics["eval_loss"]  # finite, trained
    report = json.loads((run_dir / "data_report.json").read_text())
    train, validation = report["splits"]["train"], report["splits"]["validation"]
    assert train["tool_call_rows"] > 0 and train["tool_ask_rows"] > 0 and validation["tool_call_rows"] > 0
    assert report["tool_calls"]["train"]["rows"] == train["tool_call_rows"] + train["tool_ask_rows"]
    assert train["truncated_rows"] == 0 and report["rows_read"] == report["kept"] + report["dropped_total"]
    config = (run_dir / "config.yaml").read_text()
    assert "format: tool_calls" in config and "name: track_order" in config


def test_the_report_measures_tool_use_on_both_sides(tiny_tool_run):
    run_dir, _ = tiny_tool_run
    # The short plain suite: this test is about the tool section (test_evaluate.py covers the rest).
    result = run_entrypoint([sys.executable, "evaluate.py", f"run={run_dir}", "eval.max_samples=6",
                             "eval.max_new_tokens=8", "eval.batch_size=16", "eval.prompts=default"])
    assert result.returncode == 0, result.log[-3000:]
    out = next((run_dir / "eval").glob("*/metrics.json")).parent  # beside answers/ (eval.reuse_answers)
    metrics = json.loads((out / "metrics.json").read_text())
    about = metrics["tool_use"]
    assert about["suite_prompts"] >= 60 and about["validation_conversations"] > 0
    for side in ("base", "finetuned"):
        for source in ("suite", "validation"):
            summary = metrics[side]["tool_use"][source]
            assert set(METRICS) <= set(summary["overall"]) and summary["per_intent"]
            for row in [summary["overall"], *summary["per_intent"].values()]:
                for metric in METRICS:
                    assert row[metric] is None or 0.0 <= row[metric] <= 1.0, (side, source, metric, row[metric])
            # A call is needed, or none is, in every source: those two rates are always measured.
            assert summary["overall"]["call_rate"] is not None and summary["overall"]["no_call_rate"] is not None
        assert metrics[side]["tool_use"]["suite"]["overall"]["answers"] == about["suite_prompts"]
    lines = [json.loads(line) for line in (out / "generations.jsonl").read_text().splitlines()]
    assert sum(line["source"] == "tool_suite" for line in lines) == about["suite_prompts"]
    report = (out / "report.md").read_text()
    assert "## Tool use" in report and "### Tool use per intent" in report
    assert "| no call where none is needed |" in report and "| track_order | held-out tool suite |" in report

    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(run_dir / "tensorboard" / "tiny-sample"))
    events.Reload()
    assert {"vs_base/base/tool_suite_call_rate", "vs_base/finetuned/tool_validation_no_call_rate"} <= set(
        events.Tags()["scalars"])


def test_chat_runs_the_models_call_against_the_store_and_feeds_the_result_back(tiny_tool_run, monkeypatch):
    """evaluate.py mode=chat on the tool run, in process (evaluate.py's `chat` on conf/evaluate.yaml composed with
    the same overrides): a tiny random model never writes a call, so its generated text is replaced by a script,
    after the real model generated from the real prompt. Everything else is the chat's own: the run's registry, the
    seeded SQLite store, parsing the call, running it, the result fed back in the model's tool format."""
    import io
    from dataclasses import replace

    from supportbot.evaluation import chat
    from supportbot.evaluation.inference import Evaluator
    from supportbot.tools.formats import call_text
    from supportbot.tools.store import OrderStore, result_text

    run_dir, _ = tiny_tool_run
    cfg = compose_evaluate(f"run={run_dir}", "mode=chat", "eval.max_new_tokens=4")
    store = OrderStore.create(":memory:", cfg.tools.seed, cfg.tools.store_orders)  # the chat's store, made again
    known, unknown = store.order_numbers(1)[0], "99999999"
    expected = {number: store.call("track_order", {"order_number": number}) for number in (known, unknown)}
    assert expected[known]["status"] != "not_found" and expected[unknown]["status"] == "not_found"

    real_generate, prompts = Evaluator.generate, []

    def scripted(self, conversations, settings, finetuned, progress=None):
        answers = real_generate(self, conversations, settings, finetuned, progress)
        prompts.extend(self.prompt(messages) for messages in conversations)
        texts = []
        for messages in conversations:
            if messages[-1]["role"] == "tool":  # the store's result came back: the final answer
                texts.append("Here is what I found.")
            else:
                number = known if known in messages[-1]["content"] else unknown
                texts.append(call_text("track_order", {"order_number": number}))
        return [replace(answer, text=text) for answer, text in zip(answers, texts, strict=True)]

    monkeypatch.setattr(Evaluator, "generate", scripted)
    stdout = io.StringIO()
    chat(cfg, io.StringIO(f"where is order {known}?\nand order {unknown}?\nexit\n"), stdout)
    out = stdout.getvalue()

    assert f"the store has {cfg.tools.store_orders} orders, e.g. {known}," in out
    for number in (known, unknown):
        line = f'bot> [tool] track_order({{"order_number": "{number}"}}) -> {result_text(expected[number])}\n'
        assert line + "Here is what I found.\nyou> " in out, out
    assert len(prompts) == 4  # a call and an answer per question
    # The answer was generated from the call and the store's result, in the format the run trained on.
    for number, prompt in zip((known, unknown), prompts[1::2], strict=True):
        assert prompt.endswith(f"<tool_response>\n{result_text(expected[number])}\n</tool_response><|im_end|>\n"
                               "<|im_start|>assistant\n"), prompt[-400:]
        assert call_text("track_order", {"order_number": number}) in prompt
    assert "<tools>" in prompts[0] and '"name": "track_order"' in prompts[0]
