"""build_datasets: the data report accounts for every row."""

from __future__ import annotations

import json

from helpers import compose_config


def data_config(*overrides: str):
    return compose_config("data=sample", *overrides).data


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


def test_the_report_counts_out_of_scope_multi_turn_balance_and_near_twins(smollm2_tokenizer, tmp_path):
    from supportbot.data import build_datasets, prepare_rows

    cfg = data_config("data.out_of_scope=0.2", "data.multi_turn=0.1", "data.balance=intent", "data.balance_floor=20")
    report = build_datasets(cfg, smollm2_tokenizer, tmp_path).report
    assert report["rows_read"] == report["kept"] + report["dropped_total"] == 378
    train = report["splits"]["train"]
    assert train["out_of_scope_rows"] == report["out_of_scope"]["train"]["used"] == round(0.2 * 351)
    assert train["multi_turn_rows"] == sum(report["multi_turn"]["train"].values()) == round(0.1 * 351)
    assert report["balance"]["totals"]["repeated"] == 27 * (20 - 13)  # every intent raised from 13 to the floor
    assert report["validation_near_twins"]["family"] == 0 and "question" in report["validation_near_twins"]
    # No out-of-scope phrasing family, and no source question, is on both sides.
    prepared = prepare_rows(cfg)
    families = [{row["family"] for row in side if row.get("family")} for side in (prepared.train, prepared.validation)]
    assert families[1] and not families[0] & families[1]
    ids = [{row["id"] for row in side if "id" in row} for side in (prepared.train, prepared.validation)]
    assert not ids[0] & ids[1]


def test_realistic_values_differ_between_repeated_copies_and_never_look_made_up():
    import re
    from collections import defaultdict

    from supportbot.data import prepare_rows
    from supportbot.data.rows import load_rows

    cfg = data_config("data.balance_floor=40")
    raw = load_rows(cfg).kept
    copies = defaultdict(set)
    for row in prepare_rows(cfg).train:
        assert not re.search(r"VALUE\d+|\{\{Order Number\}\}", row["instruction"] + row["response"])
        if "id" in row and "{{Order Number}}" in raw[row["id"]]["instruction"]:
            copies[row["id"]].add(row["instruction"])
    repeated = [texts for texts in copies.values() if len(texts) > 1]
    assert repeated and all(len(texts) >= 2 for texts in repeated), "each copy of a row gets its own order number"
    assert len(repeated) == len(copies), "every repeated row with an order number got new values per copy"
