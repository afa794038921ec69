"""Data pipeline: loading, column checks, cleaning counts, stratified grouped split, label masking."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import compose_config
from supportbot.data.rows import load_rows
from supportbot.data.split import split_rows
from supportbot.data.tokenize import IGNORE_INDEX, tokenize_rows
from supportbot.errors import DataError

COLUMNS = ["flags", "instruction", "category", "intent", "response"]


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def data_config(*overrides: str):
    return compose_config("data=sample", *overrides).data


def test_the_bundled_sample_has_every_intent():
    rows = load_rows(data_config())
    intents = Counter(row["intent"] for row in rows.kept)
    assert len(intents) == 27 and min(intents.values()) >= 10
    assert any("{{" in row["response"] for row in rows.kept)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json", ".parquet"])
def test_local_files_of_every_format_load(tmp_path, bitext_sample, suffix):
    import pandas as pd

    frame = pd.read_csv(bitext_sample, dtype=str, keep_default_na=False).head(200)
    path = tmp_path / f"data{suffix}"
    {".csv": lambda: frame.to_csv(path, index=False), ".jsonl": lambda: frame.to_json(path, orient="records", lines=True),
     ".json": lambda: frame.to_json(path, orient="records"), ".parquet": lambda: frame.to_parquet(path)}[suffix]()
    rows = load_rows(data_config(f"data.path={path}"))
    assert rows.rows_read == 200 and len(rows.kept) + sum(rows.dropped.values()) == 200
    assert rows.kept[0]["instruction"] == frame.iloc[0]["instruction"]


def test_missing_file_says_how_to_point_at_one(tmp_path):
    with pytest.raises(DataError, match=r"does not exist.*data\.path="):
        load_rows(data_config(f"data.path={tmp_path / 'nope.csv'}"))


def test_missing_column_is_named(tmp_path):
    path = write_csv(tmp_path / "x.csv", [{"instruction": "hi", "answer": "hello", "intent": "greet"}])
    with pytest.raises(DataError, match=r"lacks the column\(s\) response.*has: answer, instruction, intent"):
        load_rows(data_config(f"data.path={path}"))


def test_every_dropped_row_is_counted_with_its_reason(tmp_path):
    base = {"flags": "B", "category": "ORDER", "intent": "cancel_order"}
    rows = [
        {**base, "instruction": "cancel my order", "response": "Sure, I can cancel it."},
        {**base, "instruction": "cancel my order", "response": "Sure, I can cancel it."},  # duplicate
        {**base, "instruction": "cancel it", "response": "   "},  # empty response
        {**base, "instruction": "", "response": "Hello"},  # empty instruction
        {**base, "instruction": "stop the order", "response": "Done, it is cancelled now."},
    ]
    loaded = load_rows(data_config(f"data.path={write_csv(tmp_path / 'x.csv', rows)}"))
    assert len(loaded.kept) == 2
    assert loaded.dropped == Counter({"duplicate of an earlier row": 1, "empty response": 1, "empty instruction": 1})


def test_filters_that_remove_everything_explain_themselves():
    with pytest.raises(DataError, match="No rows left to train on.*data.min_response_chars"):
        load_rows(data_config("data.min_response_chars=100000", "data.max_response_chars=200000"))
    with pytest.raises(DataError, match="data.intents names \\['not_an_intent'\\].*Available: cancel_order"):
        load_rows(data_config("data.intents=[not_an_intent]"))


def test_max_samples_keeps_every_intent():
    rows = load_rows(data_config("data.max_samples=100"))
    assert len(rows.kept) == 100 and len({row["intent"] for row in rows.kept}) == 27
    assert rows.dropped == Counter({"beyond data.max_samples=100": 278})


def test_split_is_stratified_grouped_and_deterministic(bitext_sample):
    cfg = data_config(f"data.path={bitext_sample}")
    rows = load_rows(cfg).kept
    split = split_rows(rows, cfg.val_fraction, cfg.seed)
    assert {r["intent"] for r in split.train} == {r["intent"] for r in split.validation} == {r["intent"] for r in rows}
    assert len(split.train) + len(split.validation) == len(rows)
    questions = lambda part: {" ".join(r["instruction"].lower().split()) for r in part}  # noqa: E731
    assert not questions(split.train) & questions(split.validation), "an identical question is on both sides"
    assert abs(len(split.validation) / len(rows) - cfg.val_fraction) < 0.01
    again = split_rows(list(reversed(rows)), cfg.val_fraction, cfg.seed)
    assert again.hash == split.hash
    assert split_rows(rows, cfg.val_fraction, cfg.seed + 1).hash != split.hash


def test_an_intent_with_one_row_cannot_be_stratified():
    rows = [{"instruction": f"q{i}", "response": "a", "intent": "a"} for i in range(5)]
    rows.append({"instruction": "lonely", "response": "b", "intent": "rare"})
    with pytest.raises(DataError, match=r"\['rare'\] have a single row.*data.intents"):
        split_rows(rows, 0.2, 42)


def test_labels_are_exactly_the_answer_and_its_end_of_turn(smollm2_tokenizer):
    tok = smollm2_tokenizer
    rows = [{"instruction": "Where is order 77120?", "response": "Order 77120 ships tomorrow.\n1. Track it online."}]
    columns, kept, stats = tokenize_rows(rows, tok, "You are a helpful customer support assistant.", 512)
    ids, labels = columns["input_ids"][0], columns["labels"][0]
    trained = [token for token, label in zip(ids, labels) if label != IGNORE_INDEX]
    assert tok.decode(trained) == rows[0]["response"] + "<|im_end|>"
    first = labels.index(next(label for label in labels if label != IGNORE_INDEX))
    assert tok.decode(ids[:first]).endswith("<|im_start|>assistant\n")  # the whole prompt is masked
    assert kept == [0] and stats.truncated_rows == 0 and stats.response_tokens == len(trained)


def test_truncation_is_counted_and_prompt_only_rows_are_dropped(smollm2_tokenizer):
    long_answer = " ".join(["word"] * 400)
    rows = [{"instruction": "short", "response": long_answer}, {"instruction": "x " * 200, "response": "ok"}]
    columns, kept, stats = tokenize_rows(rows, smollm2_tokenizer, "system", 128)
    assert kept == [0] and len(columns["input_ids"][0]) == 128
    assert stats.truncated_rows == 1 and stats.dropped_prompt_too_long == 1
    assert 0 < stats.response_tokens_lost < stats.response_tokens


def test_data_report_accounts_for_every_row(smollm2_tokenizer, tmp_path):
    from supportbot.data import build_datasets

    cfg = data_config("data.max_samples=120")
    built = build_datasets(cfg, smollm2_tokenizer, tmp_path)
    report = json.loads(json.dumps(built.report))
    assert report["rows_read"] == report["kept"] + report["dropped_total"] == 378
    assert report["splits"]["train"]["rows"] == len(built.train)
    assert set(report["splits"]["validation"]["per_intent"]) == set(report["splits"]["train"]["per_intent"])
    cached = build_datasets(cfg, smollm2_tokenizer, tmp_path)  # second time: from the cache
    assert cached.train["input_ids"] == built.train["input_ids"] and cached.report == built.report


BASE_ROW = {"flags": "B", "category": "ORDER", "intent": "cancel_order"}


def test_bad_bytes_nul_bytes_and_huge_rows_are_dropped_and_counted(tmp_path):
    path = tmp_path / "dirty.csv"
    lines = [b"flags,instruction,category,intent,response",
             b"B,cancel my order,ORDER,cancel_order,Sure I can cancel it.",
             b"B,cancel \xff\xfe order,ORDER,cancel_order,Bad bytes here.",
             b"B,cancel\x00 it,ORDER,cancel_order,A NUL byte.",
             b"B,stop my order,ORDER,cancel_order," + b"x" * 30000,
             b"B,halt the order,ORDER,cancel_order,It is halted."]
    path.write_bytes(b"\n".join(lines) + b"\n")
    rows = load_rows(data_config(f"data.path={path}"))
    assert [r["instruction"] for r in rows.kept] == ["cancel my order", "halt the order"]
    assert rows.dropped == Counter({"bytes that are not valid UTF-8": 1, "NUL bytes in the text": 1,
                                    "longer than data.max_row_chars=20000 characters": 1})
    assert rows.rows_read == len(rows.kept) + sum(rows.dropped.values())


@pytest.mark.parametrize("content,message", [
    (b"", "is empty \\(0 bytes\\)"),
    (b"instruction,response,intent\nhello,\"never closed,greet\nfine,good,greet\n", "not well-formed csv.*quote"),
    (b"instruction,answer,intent\nhello,hi,greet\n", "lacks the column\\(s\\) response"),
    (b"instruction,response,intent\n", "holds no rows"),
])
def test_broken_files_stop_with_a_reason(tmp_path, content, message):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        load_rows(data_config(f"data.path={path}"))
