"""`data.multi_turn`: two-turn conversations built from Bitext rows of one intent.

Bitext has single exchanges only, so a model trained on it never sees the turn where a customer gives
the number the agent asked for, nor uses it in the next answer. Two patterns, each from rows of one
split side only (so a validation conversation never reuses a training question):

- ask, then use: a row whose question names an order (invoice, tracking) number becomes
      user:      the question without the number ("I want to cancel my order", the generic policy's words)
      assistant: asks for the number (phrasings below)
      user:      gives it ("It's 48213021", "order ORD-220931"), a realistic value (supportbot.data.values)
      assistant: the row's own answer, with that value wherever the answer names the number;
- a follow-up: two rows of one intent, the second asked after the first's answer.

Every assistant turn is trained on (supportbot.data.tokenize labels each one). The number given in
turn 2 is what evaluate.py's multi-turn suite checks in turn 3's answer.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict

from supportbot.data.placeholders import apply_policy, find_slots, slot_name
from supportbot.data.values import ConversationValues, apply_row_policy, realise

# Identifiers a customer is asked for, and how the agent asks and the customer answers.
IDENTIFIERS = ("Order Number", "Invoice Number", "Tracking Number")
_NOUN = {"Order Number": "order number", "Invoice Number": "invoice number", "Tracking Number": "tracking number"}
_OPENERS = ("I'd be happy to help with that.", "Sure, I can help you with that.", "Of course.",
            "Glad to help.", "Certainly, let's sort this out.", "I can take care of that for you.",
            "Thanks for reaching out.", "No problem.")
_ASKS = ("Could you please share your {noun}?", "What is the {noun}?", "Could you tell me the {noun}, please?",
         "Please send me the {noun} so I can look into it.", "May I have your {noun}?",
         "To get started, I'll need the {noun}.", "Which {noun} is it about?")
_GIVES = ("It's {value}", "{value}", "The {noun} is {value}", "sure, it's {value}", "Here it is: {value}",
          "it is {value}", "{value} is the {noun}", "ok, {value}", "My {noun} is {value}.")


def _rng(seed: int, *parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join([str(seed), *parts]).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def build_multi_turn(rows: list[dict], count: int, seed: int, policy: str, side: str) -> list[dict]:
    """`count` two-turn conversations from `rows` (cleaned Bitext rows with their raw slots), about two in
    three of the ask-then-use kind where rows allow it. Deterministic for (rows, seed, side)."""
    rows = [row for row in rows if not row.get("turns")]  # the data's own conversations are no single exchange
    if count <= 0 or not rows:
        return []
    rng = _rng(seed, "multi_turn", side)
    askable = [row for row in rows if _identifier(row) is not None]
    by_intent: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_intent[row["intent"]].append(row)
    follow_intents = sorted(intent for intent, group in by_intent.items() if len(group) >= 2)
    ask_count = min(len(askable), round(count * 2 / 3)) if askable else 0
    conversations = []
    for number in range(count):
        key = f"{side}:{number}"
        if number < ask_count:
            conversations.append(_ask_then_use(rng.choice(askable), key, seed, policy, rng))
        elif follow_intents:
            first, second = rng.sample(by_intent[rng.choice(follow_intents)], 2)
            conversations.append(_follow_up(first, second, key, seed, policy))
    return conversations


def _identifier(row: dict) -> str | None:
    """The identifier slot the row's question names and its answer repeats, if any."""
    asked = {slot_name(slot) for slot in find_slots(row["instruction"])}
    answered = {slot_name(slot) for slot in find_slots(row["response"])}
    return next((name for name in IDENTIFIERS if name in asked and name in answered), None)


def _ask_then_use(row: dict, key: str, seed: int, policy: str, rng: random.Random) -> dict:
    identifier = _identifier(row)
    noun = _NOUN[identifier]
    value = ConversationValues(key, seed).value(identifier)
    question = apply_policy(row["instruction"], "generic", speaker="user")  # "cancel order {{..}}" -> "my order"
    ask = f"{rng.choice(_OPENERS)} {rng.choice(_ASKS).format(noun=noun)}"
    give = rng.choice(_GIVES).format(value=value, noun=noun)
    _, answer = realise(row["instruction"], row["response"], key, seed)  # the answer names the same value
    if policy != "realistic":  # the other slots as the run's policy has them; the number stays the customer's
        answer = apply_policy(answer, policy, speaker="assistant")
    turns = [{"role": "user", "content": question}, {"role": "assistant", "content": ask},
             {"role": "user", "content": give}, {"role": "assistant", "content": answer}]
    return _row(row, turns, "ask_then_use")


def _follow_up(first: dict, second: dict, key: str, seed: int, policy: str) -> dict:
    question_1, answer_1 = apply_row_policy(first["instruction"], first["response"], policy, key, seed)
    question_2, answer_2 = apply_row_policy(second["instruction"], second["response"], policy, key, seed)
    turns = [{"role": "user", "content": question_1}, {"role": "assistant", "content": answer_1},
             {"role": "user", "content": question_2}, {"role": "assistant", "content": answer_2}]
    return _row(second, turns, "follow_up")


def _row(source: dict, turns: list[dict], pattern: str) -> dict:
    return {"instruction": turns[0]["content"], "response": turns[-1]["content"], "intent": source["intent"],
            "category": source.get("category", ""), "flags": source.get("flags", ""), "turns": turns,
            "multi_turn": pattern}
