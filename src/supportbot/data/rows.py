"""Load Bitext-shaped rows from the hub, a local file or the bundled sample; check, clean, filter.

A file's columns are read under the names data.columns gives (Bitext's by default), so a file with
`question,answer,label` trains with `data.columns.instruction=question data.columns.response=answer
data.columns.intent=label`; JSON/JSONL conversations in the `messages` format are read by
supportbot.data.conversations. Intent is optional: without it a row's intent is "" (NO_INTENT), the split
has one stratum, balance=intent is skipped and evaluate.py reports the on-intent metrics as not available.

Every row read is either kept or dropped with a reason that `data_report.json` counts, so
rows read == kept + dropped, always. Rows keep their `{{...}}` slots here: the placeholder policy
is applied after the split (supportbot.data), so that the split sees the questions as written.
`load_out_of_scope` reads the project's own off-topic and adversarial conversations.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from supportbot.config import ColumnNames, DataConfig
from supportbot.data.conversations import conversation_rows, is_conversations, read_conversations
from supportbot.errors import DataError

log = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("instruction", "response")
OPTIONAL_COLUMNS = ("intent", "category")  # absent under Bitext's own name: "" for every row
NO_INTENT = ""  # the intent of every row of a file without intents
FILE_LOADERS = {".csv": "csv", ".json": "json", ".jsonl": "json", ".parquet": "parquet"}


@dataclass
class Rows:
    """Rows that survived cleaning, and why the others did not."""

    source: str
    rows_read: int
    kept: list[dict[str, str]]
    dropped: Counter = field(default_factory=Counter)
    has_intents: bool = True  # false: the file has no intent column (or data.columns.intent=null)

    def drop(self, reason: str, count: int = 1) -> None:
        self.dropped[reason] += count


def load_rows(cfg: DataConfig) -> Rows:
    """Read the configured source and return cleaned, filtered rows (their slots as written)."""
    source, records = _read_source(cfg)
    if not records:
        raise DataError(f"{source} holds no rows. Point data.path at a file with rows, or use data=sample.")
    conversations = is_conversations(records)
    if conversations:  # their texts come from the messages; intent and category are still columns
        records = conversation_rows(records, source)
    records, has_intents = _map_columns(records, source, cfg.columns, texts_from_columns=not conversations)
    rows = Rows(source=source, rows_read=len(records), kept=[], has_intents=has_intents)
    cleaned = _clean(records, rows, cfg.max_row_chars, has_intents)
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
    if kind == "json" and (conversations := read_conversations(path)) is not None:
        return conversations  # lists of messages: pandas' dtype=str would turn them into their repr
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


def _map_columns(records: list[dict], source: str, names: ColumnNames,
                 texts_from_columns: bool = True) -> tuple[list[dict], bool]:
    """The records under Bitext's column names (data.columns says where each is), and whether they have intents.

    instruction and response must exist. intent and category may be absent under their default (Bitext's)
    names: a file of questions and answers alone is what most users have, and it trains (without
    stratification, balancing or on-intent metrics; the log says so). A name the user chose must exist:
    a typo in data.columns.intent must not quietly turn intents off."""
    present = set().union(*(record.keys() for record in records))  # JSON rows need not share their keys
    wanted = {key: getattr(names, key) for key in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)}
    if not texts_from_columns:
        wanted = {key: key for key in REQUIRED_COLUMNS} | {key: wanted[key] for key in OPTIONAL_COLUMNS}
    missing = [key for key, column in wanted.items() if column is not None and column not in present
               and (key in REQUIRED_COLUMNS or column != getattr(ColumnNames, key))]
    if missing:
        fixes = " ".join(f"data.columns.{key}=<column>" for key in missing)
        raise DataError(
            f"{source} has no column {', '.join(repr(wanted[key]) for key in missing)} for "
            f"{', '.join('data.columns.' + key for key in missing)}; its columns are: {', '.join(sorted(present))}. "
            f"Map them to the file's columns on the command line: `{fixes}` (e.g. "
            "data.columns.instruction=question data.columns.response=answer), or rename the columns in the file."
            + (" intent and category are optional: data.columns.intent=null trains without intents."
               if any(key in OPTIONAL_COLUMNS for key in missing) else "")
        )
    has_intents = wanted["intent"] is not None and wanted["intent"] in present
    if not has_intents:
        log.warning("data: %s has no intent column%s: training without intents (the split has one stratum, "
                    "data.balance=intent is skipped, evaluate.py reports no on-intent metrics). If the file has "
                    "them under another name: data.columns.intent=<column>", source,
                    "" if wanted["intent"] is None else f" {wanted['intent']!r}")
    mapped = []
    for record in records:
        row = dict(record)
        for key, column in wanted.items():
            row[key] = "" if column is None else record.get(column, "")
        mapped.append(row)
    return mapped, has_intents


def _clean(records: list[dict], rows: Rows, max_row_chars: int, has_intents: bool = True) -> list[dict[str, str]]:
    cleaned, seen = [], set()
    for record in records:
        instruction, response = record["instruction"].strip(), record["response"].strip()
        intent = record["intent"].strip()
        turns = record.get("turns")  # a conversation (supportbot.data.conversations): every message counts
        text = "".join(m["content"] for m in turns) if turns else instruction + response
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
        if not intent and has_intents:
            rows.drop("empty intent")
            continue
        key = (instruction, response) if not turns else json.dumps([record.get("system"), turns])
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
            **({"turns": turns} if turns else {}),
            **({"system": record["system"]} if record.get("system") else {}),
        })
    return cleaned


def _filter(rows_in: list[dict[str, str]], cfg: DataConfig, rows: Rows) -> list[dict[str, str]]:
    for key, wanted, column in (("data.categories", cfg.categories, "category"),
                                ("data.intents", cfg.intents, "intent")):
        present = {row[column] for row in rows_in} - {""}
        unknown = sorted(set(wanted) - present)
        if unknown and not present:
            raise DataError(f"{key} names {unknown}, but the data has no {column}s (no data.columns.{column} "
                            f"column). Remove the filter ({key}=[]) or map the column: data.columns.{column}=<column>")
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


OUT_OF_SCOPE_FILES = {"core": ("out_of_scope.csv",), "all": ("out_of_scope.csv", "out_of_scope_more.csv"),
                      "extended": ("out_of_scope.csv", "out_of_scope_more.csv", "out_of_scope_extra.csv")}


def load_out_of_scope(families: str = "core") -> list[dict[str, str]]:
    """The shipped off-topic and adversarial conversations (tools/build_out_of_scope.py writes them): intent
    `out_of_scope`, with a `topic` and a phrasing `family` that the split keeps on one side. families: `core`, the
    set every measured recipe trained on, `all`, with the families added since (measured 2026-12-07), or `extended`,
    with those added after them as well (data.out_of_scope_families)."""
    return _package_rows(OUT_OF_SCOPE_FILES[families],
                         ("instruction", "response", "intent", "category", "flags", "topic", "family"))


IN_SCOPE_FILES = {"core": ("in_scope.csv",), "all": ("in_scope.csv", "in_scope_more.csv")}


def load_in_scope(families: str = "core") -> list[dict[str, str]]:
    """The project's own wordings of the Bitext requests (data.paraphrases, supportbot.data.paraphrases):
    instruction, intent, a phrasing `family` (`<intent>-NN`) and flags; no answers (each gets a Bitext one).
    families: `core`, the questions every measured recipe trained on, or `all`, with the families added since
    (data.paraphrase_families)."""
    return _package_rows(IN_SCOPE_FILES[families], ("instruction", "intent", "family", "flags"))


def _package_rows(names: tuple[str, ...], keys: tuple[str, ...]) -> list[dict[str, str]]:
    """The `keys` of every row of the package's data files `names`, in order, stripped."""
    records = []
    for name in names:
        with resources.as_file(resources.files("supportbot.data") / name) as path:
            records += _read_file(path)
    return [{key: record[key].strip() for key in keys} for record in records]
