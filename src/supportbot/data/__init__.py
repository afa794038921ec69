"""Data pipeline: load -> check columns -> clean -> filter -> placeholder policy -> split ->
chat messages -> tokens through the model's chat template -> assistant-only labels -> truncation.

`build_datasets` returns the tokenised splits and the report that lands in the run folder as
`data_report.json`. Tokenised splits are cached under `<cache_dir>/tokenized/<key>`, the key
covering everything that changes them (rows, split, tokenizer, template, system prompt, length).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supportbot.config import DataConfig
from supportbot.data.rows import load_rows
from supportbot.data.split import split_rows
from supportbot.data.tokenize import tokenize_rows_as_arrays
from supportbot.errors import DataError
from supportbot.run.folders import is_complete, write_folder_atomically

log = logging.getLogger(__name__)

# Bump when tokenisation changes in a way the cache key cannot see.
PIPELINE_VERSION = 1


@dataclass
class Datasets:
    train: Any  # datasets.Dataset with input_ids, labels, length
    validation: Any
    report: dict[str, Any]


def build_datasets(cfg: DataConfig, tokenizer, cache_dir: str | Path) -> Datasets:
    import datasets

    rows = load_rows(cfg)
    split = split_rows(rows.kept, cfg.val_fraction, cfg.seed)
    key = _cache_key(cfg, tokenizer, split.hash)
    cached = Path(cache_dir).expanduser() / "tokenized" / key
    if is_complete(cached)[0]:
        log.info("data: tokenised splits from cache %s", cached)
        splits = datasets.load_from_disk(str(cached))
        stats = json.loads((cached / "stats.json").read_text())
    else:
        columns, stats = {}, {}
        for name, split_rows_ in (("train", split.train), ("validation", split.validation)):
            tokenized = tokenize_rows_as_arrays(split_rows_, tokenizer, cfg.system_prompt, cfg.max_seq_length)
            columns[name] = datasets.Dataset.from_dict(tokenized.arrow_columns())
            stats[name] = {"token_stats": tokenized.stats.as_dict(), "kept_rows": tokenized.kept}
        splits = datasets.DatasetDict(columns)

        def write(folder: Path) -> None:
            splits.save_to_disk(str(folder))
            (folder / "stats.json").write_text(json.dumps(stats))

        write_folder_atomically(cached, write)
    report = _report(cfg, rows, split, stats)
    if report["kept"] == 0 or len(splits["validation"]) == 0:
        raise DataError(
            f"Every example is longer than data.max_seq_length={cfg.max_seq_length} before the answer starts. "
            "Raise data.max_seq_length or shorten data.system_prompt."
        )
    return Datasets(train=splits["train"], validation=splits["validation"], report=report)


def _cache_key(cfg: DataConfig, tokenizer, split_hash: str) -> str:
    fingerprint = {
        "version": PIPELINE_VERSION,
        "split": split_hash,
        "tokenizer": tokenizer.name_or_path,
        "vocab": len(tokenizer),
        "template": tokenizer.chat_template,
        "system_prompt": cfg.system_prompt,
        "max_seq_length": cfg.max_seq_length,
    }
    return hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:20]


def _report(cfg: DataConfig, rows, split, stats: dict) -> dict[str, Any]:
    dropped = Counter(rows.dropped)
    per_split = {}
    for name, split_rows_ in (("train", split.train), ("validation", split.validation)):
        token_stats = stats[name]["token_stats"]
        if token_stats["dropped_prompt_too_long"]:
            dropped[f"prompt alone exceeds data.max_seq_length={cfg.max_seq_length} ({name})"] += (
                token_stats["dropped_prompt_too_long"]
            )
        kept_rows = [split_rows_[index] for index in stats[name]["kept_rows"]]
        per_split[name] = {
            "rows": len(kept_rows),
            "per_intent": dict(sorted(Counter(row["intent"] for row in kept_rows).items())),
            "truncated_rows": token_stats["truncated_rows"],
            "response_tokens": token_stats["response_tokens"],
            "response_tokens_lost_to_truncation": token_stats["response_tokens_lost"],
            "tokens": token_stats["tokens"],
        }
    kept = sum(part["rows"] for part in per_split.values())
    report = {
        "source": rows.source,
        "rows_read": rows.rows_read,
        "dropped": dict(sorted(dropped.items())),
        "dropped_total": sum(dropped.values()),
        "kept": kept,
        "placeholders": cfg.placeholders,
        "max_seq_length": cfg.max_seq_length,
        "val_fraction": cfg.val_fraction,
        "seed": cfg.seed,
        "split_hash": split.hash,
        "splits": per_split,
    }
    assert report["rows_read"] == kept + report["dropped_total"], "every row is kept or dropped with a reason"
    for name, part in per_split.items():
        if part["truncated_rows"]:
            log.warning("data: %d %s rows truncated at %d tokens, %d answer tokens lost (%.1f%%)",
                        part["truncated_rows"], name, cfg.max_seq_length, part["response_tokens_lost_to_truncation"],
                        100 * part["response_tokens_lost_to_truncation"] / max(1, part["response_tokens"]))
    return report
