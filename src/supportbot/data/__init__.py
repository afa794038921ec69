"""Data pipeline: load -> check columns -> clean -> filter -> [+ out-of-scope conversations] -> split ->
train side balanced over intents -> [+ its questions rewritten] -> [+ multi-turn conversations] ->
placeholder policy (or, data.format=tool_calls, tool conversations for the intents with a tool) -> chat messages ->
tokens through the model's chat template (with the tools, for tool_calls) -> assistant-only labels -> truncation.

`prepare_rows` makes both sides' conversations (no tokenizer: evaluate.py rebuilds them from a run's
config the same way); `build_datasets` tokenises them and returns the splits and the report that
lands in the run folder as `data_report.json`. Tokenised splits are cached under
`<cache_dir>/tokenized/<key>`, the key covering everything that changes them (the conversations
themselves, tokenizer, template, system prompt, length).

Order matters: the split sees the rows as written (slots, not values), so paraphrases and repeated
questions are grouped before anything else; balancing and the extra conversations come after it and
only draw on their own side, so nothing of validation leaks into training.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supportbot.config import DataConfig, ToolsConfig
from supportbot.data.augment import rewrite_questions
from supportbot.data.balance import balance_rows
from supportbot.data.conversations import turns_with_policy
from supportbot.data.multi_turn import build_multi_turn
from supportbot.data.paraphrases import paraphrase_rows
from supportbot.data.rows import OUT_OF_SCOPE_INTENT, Rows, load_in_scope, load_out_of_scope, load_rows
from supportbot.data.split import Split, near_twins_by_method, split_rows
from supportbot.data.tokenize import tokenize_rows_as_arrays
from supportbot.data.values import apply_row_policy
from supportbot.errors import ConfigError, DataError
from supportbot.run.folders import is_complete, write_folder_atomically

log = logging.getLogger(__name__)

# Bump when tokenisation changes in a way the cache key cannot see.
PIPELINE_VERSION = 2


@dataclass
class Datasets:
    train: Any  # datasets.Dataset with input_ids, labels, length
    validation: Any
    report: dict[str, Any]


@dataclass
class Prepared:
    """Both sides' conversations, ready for the chat template, and what happened to every row on the way."""

    train: list[dict]
    validation: list[dict]
    hash: str  # the split's hash (supportbot.data.split): which source rows are on which side
    report: dict[str, Any]
    # data.format=tool_calls: the registry's tools in OpenAI's form, which every conversation is rendered with
    # (tokenisation, evaluation's prompts); None for plain rows, or when no registry was given
    tools: list[dict] | None = None


def prepare_rows(cfg: DataConfig, rows: Rows | None = None, tools: ToolsConfig | None = None) -> Prepared:
    """rows: load_rows(cfg) when the caller has read them already (train.py's checks do, before anything heavy).
    tools: the registry data.format=tool_calls builds its conversations from (RunConfig.tools; train.py, its
    validate=true plan and evaluate.py all give it). Without it the rows stay plain and the report says so: as many
    conversations either way, since a tool conversation replaces its row."""
    rows = load_rows(cfg) if rows is None else rows
    registry = _registry(cfg, tools)
    for index, row in enumerate(rows.kept):
        row["id"] = index  # a source row, however many times balancing repeats it
    pool = rows.kept + (load_out_of_scope(cfg.out_of_scope_families) if cfg.out_of_scope else [])
    split = split_rows(pool, cfg.val_fraction, cfg.seed, method=cfg.split, similarity=cfg.split_similarity)
    report: dict[str, Any] = {
        "source": rows.source,
        "rows_read": rows.rows_read,
        "dropped": dict(sorted(rows.dropped.items())),
        "placeholders": cfg.placeholders,
        "max_seq_length": cfg.max_seq_length,
        "val_fraction": cfg.val_fraction,
        "seed": cfg.seed,
        "split": {"method": cfg.split, "similarity": cfg.split_similarity},
        "split_hash": split.hash,
    }
    sides = {}
    for side, part in (("train", split.train), ("validation", split.validation)):
        source = [row for row in part if row["intent"] != OUT_OF_SCOPE_INTENT]
        off_topic = [row for row in part if row["intent"] == OUT_OF_SCOPE_INTENT]
        if side == "train" and cfg.balance != "none" and not rows.has_intents:
            report["balance"] = {"mode": "none", "skipped": _NO_INTENTS_TO_BALANCE}
            log.warning("data: %s", _NO_INTENTS_TO_BALANCE)
            examples = list(source)
        elif side == "train" and cfg.balance != "none":
            balanced = balance_rows(source, cfg.balance, cfg.balance_floor, cfg.balance_temperature, cfg.seed)
            examples = list(balanced.rows)
            report["balance"] = {"floor": cfg.balance_floor, "temperature": cfg.balance_temperature,
                                 **balanced.report()}
        else:
            examples = list(source)
        if side == "train" and cfg.rewrite:
            # Single exchanges only: a conversation from the data is several questions, which one style can't keep
            # consistent (its later turns answer the first question's wording).
            rewritten = rewrite_questions([row for row in examples if not row.get("turns")], cfg.rewrite, cfg.seed)
            report["rewrite"] = {"setting": cfg.rewrite, **rewritten.report()}
            examples += rewritten.rows
        if side == "train" and cfg.paraphrases:
            paraphrased = paraphrase_rows(load_in_scope(cfg.paraphrase_families), source, cfg.paraphrases, len(source),
                                          cfg.seed)
            report["paraphrases"] = {"setting": cfg.paraphrases, **paraphrased.report()}
            if not paraphrased.rows:
                log.warning("data: data.paraphrases added nothing: none of the data's intents is one of the %d Bitext "
                            "intents the project's questions are written for", len(paraphrased.skipped_intents))
            examples += paraphrased.rows
        if cfg.out_of_scope:
            chosen = _out_of_scope_share(off_topic, cfg.out_of_scope, len(source), side, cfg.seed)
            report.setdefault("out_of_scope", {"setting": cfg.out_of_scope})[side] = {
                "available": len(off_topic), "used": len(chosen),
                "topics": len({row["topic"] for row in chosen})}
            examples += chosen
        numbered = list(_numbered(examples))
        built: dict[int, dict] = {}
        if registry is not None:
            from supportbot.tools.conversations import side_conversations  # (tools imports data's modules)

            built, made = side_conversations(numbered, registry, cfg.seed, tools.ask_share, side)  # type: ignore
            report.setdefault("tool_calls", {"tools": tools.name, "ask_share": tools.ask_share})[side] = made.report()
        elif cfg.format == "tool_calls":
            report["tool_calls"] = {"not_built": "no tool registry was given, so the rows stay plain"}
        conversations = [built.get(index) or _with_policy(row, copy, cfg) for index, (copy, row) in enumerate(numbered)]
        # With tools, an intent that has one gets its number asked for and used by the tool conversations: the
        # multi-turn conversations (which answer it in text) come from the other intents only.
        multi_source = source if registry is None else [row for row in source
                                                        if registry.tool_for(row["intent"]) is None]
        multi_turn = build_multi_turn(multi_source, round(cfg.multi_turn * len(source)), cfg.seed, cfg.placeholders,
                                      side)
        if cfg.multi_turn:
            report.setdefault("multi_turn", {"setting": cfg.multi_turn})[side] = dict(
                Counter(row["multi_turn"] for row in multi_turn))
        sides[side] = conversations + multi_turn
    source_split = Split(*([row for row in part if row["intent"] != OUT_OF_SCOPE_INTENT]
                           for part in (split.train, split.validation)), split.hash)
    report["validation_near_twins"] = near_twins_by_method(  # the split made above is not made again
        rows.kept, cfg.val_fraction, cfg.seed, similarity=cfg.split_similarity, made={cfg.split: source_split})
    return Prepared(train=sides["train"], validation=sides["validation"], hash=split.hash, report=report,
                    tools=registry.schemas() if registry is not None else None)


# Skipped, not refused: balance=intent is the default, and a user bringing a file of questions and answers (as to
# axolotl or LLaMA-Factory, which have no such step) expects it to train as it is, without learning an override.
_NO_INTENTS_TO_BALANCE = ("data.balance=intent skipped: the data has no intents (data.columns.intent), so the "
                          "training rows keep their proportions. Set data.balance=none to silence this.")


def _registry(cfg: DataConfig, tools: ToolsConfig | None):
    """The tool registry data.format=tool_calls builds and renders with (None for plain, or without a registry)."""
    if cfg.format != "tool_calls" or tools is None:
        return None
    from supportbot.tools.registry import Registry

    registry = Registry(tools)
    if not registry:
        raise ConfigError(f"data.format=tool_calls is not valid: tools={tools.name} has no tools to train. Fix it on "
                          "the command line, e.g. `data.format=tool_calls tools=support`.")
    return registry


def _out_of_scope_share(rows: list[dict], setting: float, source_rows: int, side: str, seed: int) -> list[dict]:
    """data.out_of_scope of this side: a share of its source rows (< 1) or, for training, a count (>= 1), drawn
    from this side's out-of-scope families (cycled when more are asked for than there are)."""
    if not rows:
        return []
    wanted = round(setting * source_rows) if setting < 1 else int(setting)
    if side == "validation":
        wanted = min(wanted, len(rows)) if setting < 1 else len(rows)  # held-out families: all of them, once
    order = sorted(rows, key=lambda row: (row["family"], row["instruction"]))
    random.Random(f"{seed}:out_of_scope:{side}").shuffle(order)
    return [order[index % len(order)] for index in range(wanted)]


def _numbered(rows: list[dict]):
    """(copy number, row): the n-th time a source row appears, so repeated rows get their own values."""
    seen: Counter = Counter()
    for row in rows:
        key = (row["instruction"], row["response"])
        yield seen[key], row
        seen[key] += 1


def _with_policy(row: dict, copy: int, cfg: DataConfig) -> dict:
    """The row with the placeholder policy applied to its texts (realistic: one set of values per copy)."""
    key = f"{row['instruction']}\x1f{row['response']}\x1f{copy}"
    if row.get("turns"):  # a conversation from the data (supportbot.data.conversations): every turn
        turns = turns_with_policy(row["turns"], cfg.placeholders, key, cfg.seed)
        return {**row, "turns": turns, "instruction": turns[0]["content"], "response": turns[-1]["content"]}
    instruction, response = apply_row_policy(row["instruction"], row["response"], cfg.placeholders, key, cfg.seed)
    return {**row, "instruction": instruction, "response": response}


def build_datasets(cfg: DataConfig, tokenizer, cache_dir: str | Path, rows: Rows | None = None,
                   tools: ToolsConfig | None = None) -> Datasets:
    """tools: the registry (RunConfig.tools); data.format=tool_calls renders every conversation with its tools."""
    import datasets

    prepared = prepare_rows(cfg, rows, tools)
    key = _cache_key(cfg, tokenizer, prepared)
    cached = Path(cache_dir).expanduser() / "tokenized" / key
    if is_complete(cached)[0]:
        log.info("data: tokenised splits from cache %s", cached)
        splits = datasets.load_from_disk(str(cached))
        stats = json.loads((cached / "stats.json").read_text())
    else:
        columns, stats = {}, {}
        for name, conversations in (("train", prepared.train), ("validation", prepared.validation)):
            tokenized = tokenize_rows_as_arrays(conversations, tokenizer, cfg.system_prompt, cfg.max_seq_length,
                                                tools=prepared.tools)
            columns[name] = datasets.Dataset.from_dict(tokenized.arrow_columns())
            stats[name] = {"token_stats": tokenized.stats.as_dict(), "kept_rows": tokenized.kept}
        splits = datasets.DatasetDict(columns)

        def write(folder: Path) -> None:
            splits.save_to_disk(str(folder))
            (folder / "stats.json").write_text(json.dumps(stats))

        write_folder_atomically(cached, write)
    report = _report(cfg, prepared, stats)
    if len(splits["train"]) == 0 or len(splits["validation"]) == 0:
        with_tools = (f" With data.format=tool_calls every prompt carries the tools of conf/tools/{tools.name}.yaml "
                      "(several hundred tokens): data.max_seq_length=1536 fits them." if prepared.tools else "")
        raise DataError(
            f"Every example is longer than data.max_seq_length={cfg.max_seq_length} before the answer starts. "
            "Raise data.max_seq_length or shorten data.system_prompt." + with_tools
        )
    return Datasets(train=splits["train"], validation=splits["validation"], report=report)


def _cache_key(cfg: DataConfig, tokenizer, prepared: Prepared) -> str:
    conversations = hashlib.sha256()
    for name, rows in (("train", prepared.train), ("validation", prepared.validation)):
        conversations.update(name.encode())
        for row in rows:
            conversations.update(json.dumps(row.get("turns") or [row["instruction"], row["response"]]).encode())
            if row.get("system"):  # a conversation's own system message (supportbot.data.conversations)
                conversations.update(json.dumps(row["system"]).encode())
    fingerprint = {
        "version": PIPELINE_VERSION,
        "conversations": conversations.hexdigest(),
        "tokenizer": tokenizer.name_or_path,
        "vocab": len(tokenizer),
        "template": tokenizer.chat_template,
        "system_prompt": cfg.system_prompt,
        "max_seq_length": cfg.max_seq_length,
    }
    if prepared.tools is not None:  # only then: the plain format's caches stay valid
        fingerprint["tools"] = prepared.tools
    return hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:20]


def _report(cfg: DataConfig, prepared: Prepared, stats: dict) -> dict[str, Any]:
    """data_report.json: the preparation's report plus what tokenisation kept. Every source row read is kept
    or dropped with a reason: rows_read == kept + dropped_total (a row the balance leaves out of training is
    still kept: it is counted under `balance`)."""
    report = dict(prepared.report)
    dropped = Counter(report.pop("dropped"))
    per_split, kept_ids, lost_ids = {}, set(), set()
    for name, conversations in (("train", prepared.train), ("validation", prepared.validation)):
        token_stats = stats[name]["token_stats"]
        kept_index = set(stats[name]["kept_rows"])
        kept_rows = [conversations[index] for index in sorted(kept_index)]
        for index, row in enumerate(conversations):
            if "id" in row:
                (kept_ids if index in kept_index else lost_ids).add(row["id"])
        per_split[name] = {
            "rows": len(kept_rows),
            "per_intent": dict(sorted(Counter(row["intent"] for row in kept_rows).items())),
            "multi_turn_rows": sum(bool(row.get("turns")) and not row.get("tool_calls") for row in kept_rows),
            "tool_call_rows": sum(row.get("tool_calls") == "call" for row in kept_rows),
            "tool_ask_rows": sum(row.get("tool_calls") == "ask" for row in kept_rows),
            "out_of_scope_rows": sum(row["intent"] == OUT_OF_SCOPE_INTENT for row in kept_rows),
            "rewritten_rows": sum(bool(row.get("rewrite")) for row in kept_rows),
            "paraphrase_rows": sum(bool(row.get("paraphrase")) for row in kept_rows),
            "truncated_rows": token_stats["truncated_rows"],
            "response_tokens": token_stats["response_tokens"],
            "response_tokens_lost_to_truncation": token_stats["response_tokens_lost"],
            "tokens": token_stats["tokens"],
        }
    too_long = len(lost_ids - kept_ids)
    if too_long:
        dropped[f"prompt alone exceeds data.max_seq_length={cfg.max_seq_length}"] += too_long
    split_rows_ = {row_id for rows in (prepared.train, prepared.validation) for row in rows
                   if (row_id := row.get("id")) is not None}
    balanced_out = report.get("balance", {}).get("totals", {}).get("dropped", 0)
    kept = len(split_rows_) - too_long + balanced_out
    report |= {"dropped": dict(sorted(dropped.items())), "dropped_total": sum(dropped.values()), "kept": kept,
               "splits": per_split}
    assert report["rows_read"] == kept + report["dropped_total"], "every row is kept or dropped with a reason"
    for name, part in per_split.items():
        if part["truncated_rows"]:
            log.warning("data: %d %s rows truncated at %d tokens, %d answer tokens lost (%.1f%%)",
                        part["truncated_rows"], name, cfg.max_seq_length, part["response_tokens_lost_to_truncation"],
                        100 * part["response_tokens_lost_to_truncation"] / max(1, part["response_tokens"]))
    return report
