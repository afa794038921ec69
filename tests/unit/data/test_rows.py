"""Loading rows: file formats, column checks, every dropped row counted with its reason, filters, broken files."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from helpers import compose_config
from supportbot.data.rows import load_rows
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
    {".csv": lambda: frame.to_csv(path, index=False),
     ".jsonl": lambda: frame.to_json(path, orient="records", lines=True),
     ".json": lambda: frame.to_json(path, orient="records"), ".parquet": lambda: frame.to_parquet(path)}[suffix]()
    rows = load_rows(data_config(f"data.path={path}"))
    assert rows.rows_read == 200 and len(rows.kept) + sum(rows.dropped.values()) == 200
    assert rows.kept[0]["instruction"] == frame.iloc[0]["instruction"]


def test_missing_file_says_how_to_point_at_one(tmp_path):
    with pytest.raises(DataError, match=r"does not exist.*data\.path="):
        load_rows(data_config(f"data.path={tmp_path / 'nope.csv'}"))


def test_missing_column_is_named_with_the_files_columns_and_the_mapping_that_fixes_it(tmp_path):
    path = write_csv(tmp_path / "x.csv", [{"instruction": "hi", "answer": "hello", "intent": "greet"}])
    with pytest.raises(DataError, match=r"no column 'response' for data\.columns\.response; its columns are: answer, "
                                        r"instruction, intent\. .*`data\.columns\.response=<column>`"):
        load_rows(data_config(f"data.path={path}"))


QA_ROWS = [{"question": f"cancel order {n}", "answer": f"Order {n} is cancelled.", "label": intent, "cat": "ORDER"}
           for n, intent in ((1, "cancel_order"), (2, "cancel_order"), (3, "track_order"), (4, "track_order"))]


def test_columns_are_read_under_the_names_data_columns_gives(tmp_path):
    path = write_csv(tmp_path / "qa.csv", QA_ROWS)
    loaded = load_rows(data_config(f"data.path={path}", "data.columns.instruction=question",
                                   "data.columns.response=answer", "data.columns.intent=label",
                                   "data.columns.category=cat", "data.categories=[ORDER]"))
    assert loaded.has_intents and len(loaded.kept) == 4
    assert {k: loaded.kept[2][k] for k in ("instruction", "response", "intent", "category")} == {
        "instruction": "cancel order 3", "response": "Order 3 is cancelled.", "intent": "track_order",
        "category": "ORDER"}


@pytest.mark.parametrize("key,column", [("instruction", "questoin"), ("intent", "lable"), ("category", "kat")])
def test_a_mapped_column_the_file_lacks_stops_the_load(tmp_path, key, column):
    path = write_csv(tmp_path / "qa.csv", QA_ROWS)
    mapping = {"instruction": "question", "response": "answer", "intent": "label", "category": "cat"} | {key: column}
    with pytest.raises(DataError, match=rf"no column '{column}' for data\.columns\.{key}; its columns are: answer, "
                                        rf"cat, label, question\..*data\.columns\.{key}=<column>"):
        load_rows(data_config(f"data.path={path}", *(f"data.columns.{k}={v}" for k, v in mapping.items())))


def test_a_file_without_an_intent_column_loads_without_intents(tmp_path, caplog):
    rows = [{k: v for k, v in row.items() if k != "label"} for row in QA_ROWS]
    path = write_csv(tmp_path / "qa.csv", rows)
    with caplog.at_level("WARNING"):
        loaded = load_rows(data_config(f"data.path={path}", "data.columns.instruction=question",
                                       "data.columns.response=answer"))
    assert not loaded.has_intents and len(loaded.kept) == 4 and not loaded.dropped
    assert {row["intent"] for row in loaded.kept} == {""} and {row["category"] for row in loaded.kept} == {""}
    assert "training without intents" in caplog.text and "data.columns.intent=<column>" in caplog.text
    with pytest.raises(DataError, match=r"data\.intents names \['cancel_order'\], but the data has no intents"):
        load_rows(data_config(f"data.path={path}", "data.columns.instruction=question",
                              "data.columns.response=answer", "data.intents=[cancel_order]"))
    # data.columns.intent=null turns intents off even where the file has them
    labelled = write_csv(tmp_path / "bitext.csv", [{"instruction": r["question"], "response": r["answer"],
                                                     "intent": r["label"]} for r in QA_ROWS])
    assert not load_rows(data_config(f"data.path={labelled}", "data.columns.intent=null")).has_intents


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
    (b"instruction,answer,intent\nhello,hi,greet\n", "no column .response. for data.columns.response"),
    (b"instruction,response,intent\n", "holds no rows"),
])
def test_broken_files_stop_with_a_reason(tmp_path, content, message):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        load_rows(data_config(f"data.path={path}"))


def test_out_of_scope_families_are_nested_sets_and_the_choice_is_checked():
    """data.out_of_scope_families: core, all (the added set) and extended (every file) each contain the one before."""
    from supportbot.data.rows import load_out_of_scope
    from supportbot.errors import ConfigError

    levels = [load_out_of_scope(families) for families in ("core", "all", "extended")]
    for smaller, larger in zip(levels, levels[1:], strict=False):
        assert larger[:len(smaller)] == smaller and len(larger) > len(smaller)
    assert {row["intent"] for row in levels[-1]} == {"out_of_scope"}
    with pytest.raises(ConfigError, match="data.out_of_scope_families='every' is not valid: allowed values are core, "
                                          "all, extended"):
        compose_config("data.out_of_scope_families=every")
