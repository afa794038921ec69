"""Conversations in the `messages` format that TRL, axolotl and LLaMA-Factory read, as training rows.

    python train.py data.path=/data/chats.jsonl     # one {"messages": [...], "intent": ...} per line

A row is `{"messages": [{"role": "system"|"user"|"assistant", "content": "..."}, ...]}` (system optional and
first, then user and assistant alternating, ending with an assistant answer), one per line in a JSONL file or
as a JSON list. ShareGPT's `{"conversations": [{"from": "system"|"human"|"gpt", "value": "..."}]}` is read the
same way. Fields beside the conversation (intent, category, flags) are columns, as in a CSV.

How a conversation becomes a row, so that nothing downstream needs to know where it came from:
- one exchange without a system message of its own: a plain row (`instruction`, `response`), exactly what
  the CSV row with those texts gives, so both train on the same tokens;
- anything longer: its messages as `turns`, the representation data.multi_turn's conversations already
  have (supportbot.data.tokenize labels every assistant turn), with the first question as `instruction`
  (what the split groups by) and the last answer as `response`;
- a system message of its own goes to `system` and replaces data.system_prompt for that row, as TRL
  would train it (tokenize.row_messages).

A malformed conversation is an export bug, not noise: it stops the load with its row number and the
problem, where a CSV's empty cells are dropped and counted.
"""

from __future__ import annotations

import json
from pathlib import Path

from supportbot.data.values import apply_row_policy
from supportbot.errors import DataError

FIELDS = ("messages", "conversations")  # OpenAI / TRL / axolotl, then ShareGPT (LLaMA-Factory)
ROLES = ("system", "user", "assistant")
SHAREGPT_ROLES = {"system": "system", "human": "user", "gpt": "assistant"}
SHOWN_PROBLEMS = 3  # rows named in the error; the rest are counted


def read_conversations(path: Path) -> list[dict] | None:
    """The file's rows as parsed JSON if they hold conversations, else None (a table: pandas reads it, and
    reports a file that is not JSON at all)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        if path.suffix.lower() == ".jsonl":
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            records = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(records, list) or not any(isinstance(r, dict) and _field(r) for r in records):
        return None
    return records


def is_conversations(records: list[dict]) -> bool:
    return bool(records) and any(isinstance(record, dict) and _field(record) for record in records)


def _field(record: dict) -> str | None:
    return next((name for name in FIELDS if name in record), None)


def conversation_rows(records: list, source: str) -> list[dict]:
    """Rows as rows.py cleans them: instruction, response (and turns, system) plus the other fields as text."""
    rows, problems = [], []
    for number, record in enumerate(records, 1):  # 1-based: the line of a JSONL file
        try:
            rows.append(_row(record))
        except ValueError as problem:
            problems.append(f"row {number}: {problem}")
    if problems:
        more = len(problems) - SHOWN_PROBLEMS
        raise DataError(
            f"{source}: {len(problems)} conversation(s) cannot be trained on. "
            + "; ".join(problems[:SHOWN_PROBLEMS]) + (f"; and {more} more" if more > 0 else "") + ". "
            "Each row needs `messages`: [{role, content}, ...] with an optional system message first, then user "
            "and assistant messages alternating, starting with user and ending with assistant, none empty "
            "(ShareGPT: `conversations`: [{from: human|gpt|system, value}]). Fix or remove those rows.")
    return rows


def _row(record) -> dict:
    if not isinstance(record, dict):
        raise ValueError(f"is {type(record).__name__}, not an object with `messages`")
    name = _field(record)
    if name is None:
        raise ValueError(f"has no `messages` (its fields: {', '.join(sorted(record)) or 'none'})")
    messages = _messages(record[name], sharegpt=name == "conversations")
    system = messages.pop(0)["content"] if messages[0]["role"] == "system" else None
    row = {key: "" if value is None else str(value) for key, value in record.items() if key not in FIELDS}
    row |= {"instruction": messages[0]["content"], "response": messages[-1]["content"]}
    if len(messages) > 2 or system is not None:
        row["turns"] = messages
    if system is not None:
        row["system"] = system
    return row


def _messages(raw, sharegpt: bool) -> list[dict[str, str]]:
    role_key, content_key = ("from", "value") if sharegpt else ("role", "content")
    if not isinstance(raw, list) or not raw:
        raise ValueError("the conversation is empty (or not a list of messages)")
    messages = []
    for index, message in enumerate(raw, 1):
        if not isinstance(message, dict) or role_key not in message or content_key not in message:
            raise ValueError(f"message {index} is not {{{role_key}, {content_key}}}: {str(message)[:80]!r}")
        role = SHAREGPT_ROLES.get(message[role_key]) if sharegpt else message[role_key]
        if role not in ROLES:
            allowed = ", ".join(SHAREGPT_ROLES) if sharegpt else ", ".join(ROLES)
            raise ValueError(f"message {index} has {role_key} {message[role_key]!r} (use {allowed})")
        content = message[content_key]
        if not isinstance(content, str) or not content.strip():
            raise ValueError(f"message {index} ({role}) has empty content")
        messages.append({"role": role, "content": content.strip()})  # stripped as rows.py strips a CSV's cells
    dialogue = messages[1:] if messages[0]["role"] == "system" else messages
    for index, message in enumerate(dialogue):
        expected = "user" if index % 2 == 0 else "assistant"
        if message["role"] != expected:
            position = index + 1 + (len(messages) - len(dialogue))
            raise ValueError(f"message {position} is {message['role']} where {expected} is expected (system may "
                             "only come first; user and assistant alternate, starting with user)")
    if not dialogue or dialogue[-1]["role"] != "assistant":
        raise ValueError("it does not end with an assistant answer (nothing to train on after the last question)")
    return messages


def turns_with_policy(turns: list[dict[str, str]], policy: str, key: str, seed: int) -> list[dict[str, str]]:
    """The turns under a placeholder policy, each question with the answer that follows it; `realistic` uses
    one set of values (seeded by `key`) for the whole conversation. A slot the customer gave in an earlier
    turn is not 'given' for a later answer, which then renders it as `generic` does: conservative, since
    filling it wrongly would teach the model to invent values."""
    out = list(turns)
    for index, message in enumerate(turns):
        if message["role"] == "user" and index + 1 < len(turns):
            question, answer = apply_row_policy(message["content"], turns[index + 1]["content"], policy, key, seed)
            out[index] = {"role": "user", "content": question}
            out[index + 1] = {"role": "assistant", "content": answer}
    return out
