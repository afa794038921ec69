"""Conversations in the `messages` format (and ShareGPT's): the same training tokens as the CSV of the same
rows, every assistant turn trained, a conversation's own system message used, bad rows named."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from helpers import compose_config
from supportbot.data.rows import load_rows
from supportbot.data.tokenize import IGNORE_INDEX, tokenize_rows
from supportbot.errors import DataError

SYSTEM = "You are a helpful customer support assistant."


def data_config(*overrides: str):
    return compose_config("data=sample", *overrides).data


def bitext_rows(path: Path, per_intent: int = 12, intents: int = 4) -> list[dict]:
    """A few real rows of several intents (read here, written to tmp_path only)."""
    chosen: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            group = chosen.setdefault(row["intent"], []) if len(chosen) < intents or row["intent"] in chosen else None
            if group is not None and len(group) < per_intent:
                group.append(row)
    return [row for group in chosen.values() for row in group]


def as_messages(row: dict, sharegpt: bool = False) -> dict:
    extra = {"intent": row["intent"], "category": row["category"], "flags": row["flags"]}
    if sharegpt:
        return {"conversations": [{"from": "human", "value": row["instruction"]},
                                  {"from": "gpt", "value": row["response"]}], **extra}
    return {"messages": [{"role": "user", "content": row["instruction"]},
                         {"role": "assistant", "content": row["response"]}], **extra}


def write_conversations(path: Path, records: list) -> Path:
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    else:
        path.write_text(json.dumps(records), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix,sharegpt", [(".jsonl", False), (".json", False), (".jsonl", True)],
                         ids=["messages-jsonl", "messages-json", "sharegpt-jsonl"])
def test_a_conversation_file_gives_the_same_training_tokens_as_the_csv(tmp_path, bitext_sample, smollm2_tokenizer,
                                                                       suffix, sharegpt):
    from supportbot.data import prepare_rows

    rows = bitext_rows(bitext_sample)
    csv_path = tmp_path / "rows.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    chats = write_conversations(tmp_path / f"chats{suffix}", [as_messages(row, sharegpt) for row in rows])
    # The whole preparation (split, balance, placeholder values, out-of-scope and multi-turn extras), then tokens.
    prepared = [prepare_rows(data_config(f"data.path={path}")) for path in (csv_path, chats)]
    assert prepared[0].hash == prepared[1].hash and len(prepared[0].train) > len(rows) // 2
    for side in ("train", "validation"):
        from_csv, from_chats = (tokenize_rows(getattr(p, side), smollm2_tokenizer, SYSTEM, 512)[0] for p in prepared)
        assert from_chats["input_ids"] == from_csv["input_ids"]
        assert from_chats["labels"] == from_csv["labels"]


def test_every_assistant_turn_is_trained_and_a_conversations_own_system_message_is_used(tmp_path,
                                                                                        smollm2_tokenizer):
    chat = {"messages": [{"role": "system", "content": "You are Acme's support bot."},
                         {"role": "user", "content": "I want to cancel an order"},
                         {"role": "assistant", "content": "Sure. What is the order number?"},
                         {"role": "user", "content": "It's 48213021"},
                         {"role": "assistant", "content": "Order 48213021 is cancelled."}], "intent": "cancel_order"}
    single = {"messages": [{"role": "user", "content": "where is my parcel"},
                           {"role": "assistant", "content": "It ships tomorrow."}], "intent": "track_order"}
    path = write_conversations(tmp_path / "chats.jsonl", [chat, single])
    rows = load_rows(data_config(f"data.path={path}")).kept
    assert rows[0]["system"] == "You are Acme's support bot." and len(rows[0]["turns"]) == 4
    assert rows[0]["instruction"] == "I want to cancel an order"
    assert rows[0]["response"] == "Order 48213021 is cancelled."
    assert "turns" not in rows[1] and "system" not in rows[1]  # one exchange: a plain row, as from a CSV
    columns, kept, _ = tokenize_rows(rows, smollm2_tokenizer, SYSTEM, 512)
    assert kept == [0, 1]
    ids, labels = columns["input_ids"][0], columns["labels"][0]
    trained = [token for token, label in zip(ids, labels, strict=True) if label != IGNORE_INDEX]
    assert smollm2_tokenizer.decode(trained) == ("Sure. What is the order number?<|im_end|>"
                                                 "Order 48213021 is cancelled.<|im_end|>")
    text = smollm2_tokenizer.decode(ids)
    assert "You are Acme's support bot." in text and SYSTEM not in text
    assert SYSTEM in smollm2_tokenizer.decode(columns["input_ids"][1])


def test_a_file_of_conversations_without_intents_trains_without_them(tmp_path, bitext_sample, smollm2_tokenizer):
    from supportbot.data import build_datasets

    records = [{"messages": as_messages(row)["messages"]} for row in bitext_rows(bitext_sample)]
    path = write_conversations(tmp_path / "chats.jsonl", records)
    built = build_datasets(data_config(f"data.path={path}", "data.out_of_scope=0"), smollm2_tokenizer, tmp_path)
    assert len(built.train) and len(built.validation)
    assert built.report["splits"]["train"]["per_intent"] == {"": len(built.train)}
    assert "data.balance=intent skipped: the data has no intents" in built.report["balance"]["skipped"]


def turn(role: str, content: str = "text") -> dict:
    return {"role": role, "content": content}


BAD_ROWS = [
    ({"messages": [turn("user"), turn("bot")]}, r"row 2: message 2 has role 'bot' \(use system, user, assistant\)"),
    ({"messages": [turn("user"), turn("assistant", "  ")]}, r"row 2: message 2 \(assistant\) has empty content"),
    ({"messages": [turn("user"), turn("user"), turn("assistant")]},
     r"row 2: message 2 is user where assistant is expected"),
    ({"messages": [turn("user"), turn("assistant"), turn("system")]},
     r"row 2: message 3 is system where user is expected \(system may only come first"),
    ({"messages": [turn("user")]}, r"row 2: it does not end with an assistant answer"),
    ({"messages": []}, r"row 2: the conversation is empty"),
    ({"messages": [{"role": "user"}]}, r"row 2: message 1 is not \{role, content\}"),
    ({"intent": "x"}, r"row 2: has no `messages` \(its fields: intent\)"),
    ({"conversations": [{"from": "human", "value": "hi"}, {"from": "bot", "value": "yo"}]},
     r"row 2: message 2 has from 'bot' \(use system, human, gpt\)"),
]


@pytest.mark.parametrize("bad,message", BAD_ROWS, ids=[m.split(": ", 1)[1][:40] for _, m in BAD_ROWS])
def test_a_bad_conversation_is_named_by_its_row_and_problem(tmp_path, bad, message):
    good = {"messages": [turn("user", "hi"), turn("assistant", "hello")]}
    path = write_conversations(tmp_path / "chats.jsonl", [good, bad, good])
    with pytest.raises(DataError, match=message):
        load_rows(data_config(f"data.path={path}"))


def test_many_bad_rows_are_counted_and_the_first_named(tmp_path):
    bad = {"messages": [turn("assistant"), turn("user")]}
    path = write_conversations(tmp_path / "chats.json", [bad] * 5)
    with pytest.raises(DataError, match=r"5 conversation\(s\) cannot be trained on\. row 1: .*row 3: .*and 2 more"):
        load_rows(data_config(f"data.path={path}"))


def test_rewrite_copies_single_exchanges_only_never_a_conversation_of_the_data(tmp_path, bitext_sample):
    from supportbot.data import prepare_rows

    rows = bitext_rows(bitext_sample)
    records = [as_messages(row) for row in rows]
    for record, row in zip(records[::2], rows[::2], strict=True):  # every other row: a two-exchange conversation
        record["messages"] += [{"role": "user", "content": "And one more thing about it?"},
                               {"role": "assistant", "content": row["response"]}]
    path = write_conversations(tmp_path / "chats.jsonl", records)
    prepared = prepare_rows(data_config(f"data.path={path}", "data.rewrite=1", "data.out_of_scope=0",
                                        "data.multi_turn=0", "data.balance=none"))
    singles = [row for row in prepared.train if not row.get("turns")]
    rewritten = [row for row in prepared.train if row.get("rewrite")]
    assert rewritten and prepared.report["rewrite"]["copies"] == len(rewritten)
    assert all(not row.get("turns") for row in rewritten)  # a conversation's later turns answer its own wording
    assert len(rewritten) == round(sum(1 for row in singles if not row.get("rewrite")))
