"""Load Bitext-shaped rows from the hub, a local file or the bundled sample; check, clean, filter.

Every row read is either kept or dropped with a reason that `data_report.json` counts, so
rows read == kept + dropped, always. Rows keep their `{{...}}` slots here: the placeholder policy
is applied after the split (supportbot.data), so that the split sees the questions as written.
`load_out_of_scope` reads the project's own off-topic and adversarial conversations.
"""

from __future__ import annotations

import logging
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from supportbot.config import DataConfig
from supportbot.errors import DataError

log = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("instruction", "response", "intent")
FILE_LOADERS = {".csv": "csv", ".json": "json", ".jsonl": "json", ".parquet": "parquet"}


@dataclass
class Rows:
    """Rows that survived cleaning, and why the others did not."""

    source: str
    rows_read: int
    kept: list[dict[str, str]]
    dropped: Counter = field(default_factory=Counter)

    def drop(self, reason: str, count: int = 1) -> None:
        self.dropped[reason] += count


def load_rows(cfg: DataConfig) -> Rows:
    """Read the configured source and return cleaned, filtered rows (their slots as written)."""
    source, records = _read_source(cfg)
    _check_columns(records, source)
    rows = Rows(source=source, rows_read=len(records), kept=[])
    cleaned = _clean(records, rows, cfg.max_row_chars)
    filtered = _filter(cleaned, cfg, rows)
    if cfg.max_samples is not None and cfg.max_samples < len(filtered):
        chosen = balanced_sample(filtered, cfg.max_samples, cfg.seed)
        rows.drop(f"beyond data.max_samples={cfg.max_samples}", len(filtered) - len(chosen))
        filtered = chosen
    rows.kept = filtered
    if not rows.kept:
        raise DataError(
            f"No rows left to train on: {rows.rows_read} read from {source}, dropped: {dict(rows.dropped)}. "
            "Loosen the filters (data.categories, data.intents, data.min_response_chars, data.max_response_chars) "
            "or point data.path at a file with rows."
        )
    log.info("data: %d rows read from %s, %d kept, dropped %s", rows.rows_read, source, len(rows.kept),
             dict(rows.dropped) or "none")
    return rows


def _read_source(cfg: DataConfig) -> tuple[str, list[dict]]:
    if cfg.path is not None:
        return cfg.path, _read_file(Path(cfg.path).expanduser())
    if cfg.builtin is not None:
        sample = resources.files("supportbot.data") / f"{cfg.builtin}.csv"
        with resources.as_file(sample) as path:
            return f"builtin:{cfg.builtin}", _read_file(path)
    return f"hub:{cfg.hub_id}", _read_hub(cfg.hub_id)


def _read_file(path: Path) -> list[dict]:
    if not path.is_file():
        raise DataError(
            f"data.path={str(path)!r} does not exist (or is not a file). Point it at a CSV, JSON, JSONL or "
            "parquet file with columns instruction, response, intent, category, e.g. "
            "data.path=/data/Bitext_Sample_Customer_Support_Training_Dataset_27K_responses-v11.csv"
        )
    if path.stat().st_size == 0:
        raise DataError(f"data.path={str(path)!r} is empty (0 bytes). Point it at the exported data file, "
                        "or use data=sample to try the pipeline.")
    kind = FILE_LOADERS.get(path.suffix.lower())
    if kind is None:
        raise DataError(
            f"data.path={str(path)!r}: unknown file type {path.suffix!r}. Use one of "
            f"{', '.join(FILE_LOADERS)} (convert the file, or rename it if the content already is one)."
        )
    import pandas as pd

    try:
        if kind == "csv":
            # Undecodable bytes become U+FFFD and their rows are dropped and counted, not the whole file.
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", encoding_errors="replace")
        elif kind == "json":
            frame = pd.read_json(path, dtype=str, lines=path.suffix.lower() == ".jsonl")
        else:
            frame = pd.read_parquet(path)
    except pd.errors.ParserError as exc:
        raise DataError(
            f"data.path={str(path)!r} is not well-formed {kind}: {exc}. This is usually a quote that opens and never "
            "closes (a field starting with \" must end with \", and a \" inside it is written \"\"); fix that row or "
            "export the file again."
        ) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataError(
            f"data.path={str(path)!r} could not be read as {kind}: {exc}. Check that the file is valid UTF-8 "
            f"{kind} (open it in a spreadsheet or `head` it), or export it again."
        ) from exc
    frame = frame.fillna("")
    return frame.astype(str).to_dict("records")


def _read_hub(hub_id: str) -> list[dict]:
    import datasets

    try:
        dataset = datasets.load_dataset(hub_id, split="train")
    except Exception as exc:  # the hub raises many types: offline, gated, missing, rate-limited
        raise DataError(
            f"Could not load the dataset {hub_id!r} from the Hugging Face hub ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''}). If this machine is offline or the hub is "
            "unreachable, download the file elsewhere and point at the local copy: "
            "data.path=/path/to/Bitext_Sample_Customer_Support_Training_Dataset_27K_responses-v11.csv "
            "(or data=sample for the bundled set)."
        ) from exc
    return [{key: "" if value is None else str(value) for key, value in row.items()} for row in dataset]


def _check_columns(records: list[dict], source: str) -> None:
    if not records:
        raise DataError(f"{source} holds no rows. Point data.path at a file with rows, or use data=sample.")
    columns = set(records[0])
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise DataError(
            f"{source} lacks the column(s) {', '.join(missing)} (it has: {', '.join(sorted(columns))}). "
            "Rows need instruction (the customer's message), response (the agent's answer) and intent "
            "(used to split train/validation so every intent is in both). Rename the columns in the file."
        )


def _clean(records: list[dict], rows: Rows, max_row_chars: int) -> list[dict[str, str]]:
    cleaned, seen = [], set()
    for record in records:
        instruction, response = record["instruction"].strip(), record["response"].strip()
        intent = record["intent"].strip()
        text = instruction + response
        if "\x00" in text:
            rows.drop("NUL bytes in the text")
            continue
        if "\ufffd" in text:
            rows.drop("bytes that are not valid UTF-8")
            continue
        if len(text) > max_row_chars:
            rows.drop(f"longer than data.max_row_chars={max_row_chars} characters")
            continue
        if not instruction:
            rows.drop("empty instruction")
            continue
        if not response:
            rows.drop("empty response")
            continue
        if not intent:
            rows.drop("empty intent")
            continue
        key = (instruction, response)
        if key in seen:
            rows.drop("duplicate of an earlier row")
            continue
        seen.add(key)
        cleaned.append({
            "instruction": instruction,
            "response": response,
            "intent": intent,
            "category": record.get("category", "").strip(),
            "flags": record.get("flags", "").strip(),
        })
    return cleaned


def _filter(rows_in: list[dict[str, str]], cfg: DataConfig, rows: Rows) -> list[dict[str, str]]:
    for key, wanted, column in (("data.categories", cfg.categories, "category"),
                                ("data.intents", cfg.intents, "intent")):
        present = {row[column] for row in rows_in}
        unknown = sorted(set(wanted) - present)
        if unknown:
            raise DataError(
                f"{key} names {unknown}, which the data does not have. Available: {', '.join(sorted(present))}. "
                f"Fix: {key}=[{', '.join(sorted(present)[:2])}]"
            )
    kept = []
    for row in rows_in:
        if cfg.categories and row["category"] not in cfg.categories:
            rows.drop("category not in data.categories")
        elif cfg.intents and row["intent"] not in cfg.intents:
            rows.drop("intent not in data.intents")
        elif len(row["response"]) < cfg.min_response_chars:
            rows.drop(f"response shorter than data.min_response_chars={cfg.min_response_chars}")
        elif cfg.max_response_chars is not None and len(row["response"]) > cfg.max_response_chars:
            rows.drop(f"response longer than data.max_response_chars={cfg.max_response_chars}")
        else:
            kept.append(row)
    return kept


def balanced_sample(rows_in: list[dict[str, str]], count: int, seed: int) -> list[dict[str, str]]:
    """`count` rows taken round-robin over intents, so a 100-row smoke test still sees every intent."""
    by_intent: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows_in:
        by_intent[row["intent"]].append(row)
    rng = random.Random(seed)
    queues = []
    for intent in sorted(by_intent):
        group = by_intent[intent][:]
        rng.shuffle(group)
        queues.append(group)
    chosen: list[dict[str, str]] = []
    while len(chosen) < count:
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(queue.pop())
    order = {id(row): index for index, row in enumerate(rows_in)}
    return sorted(chosen, key=lambda row: order[id(row)])  # file order, as if the rest were filtered out


OUT_OF_SCOPE_INTENT = "out_of_scope"


def load_out_of_scope() -> list[dict[str, str]]:
    """The shipped off-topic and adversarial conversations (tools/build_out_of_scope.py writes them): intent
    `out_of_scope`, with a `topic` and a phrasing `family` that the split keeps on one side."""
    with resources.as_file(resources.files("supportbot.data") / "out_of_scope.csv") as path:
        records = _read_file(path)
    return [{key: record[key].strip() for key in ("instruction", "response", "intent", "category", "flags", "topic",
                                                  "family")} for record in records]
