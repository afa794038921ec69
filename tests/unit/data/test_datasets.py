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
