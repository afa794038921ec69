"""What to do with Bitext's `{{Order Number}}`-style slots (the seed plan's options A, B, C).

- keep:    leave `{{Order Number}}` as is; the model learns to emit slots that the application
           fills at inference (evaluate.py's company profiles do that).
- generic: replace each slot with natural words: "order {{Order Number}}" becomes "my order" in
           a customer's message and "your order" in the agent's answer; UI labels such as
           '{{Cancel Purchase}}' become their plain words; names are dropped.
- strip:   remove every slot and tidy the sentence around it.

Responses hold 83 distinct slots, some malformed (`{{{{Account Category}} Upgrade}}`), so the
rules below work from the slot's words, with a short table only for the most frequent ones.
"""

from __future__ import annotations

import re
from typing import Callable

# One level of nesting, as in `{{{{Account Category}} Upgrade}}`; also the rare slot with a
# brace missing on one side (`'{Cancel Order}}'` is in the real data).
SLOT = re.compile(r"\{\{(?:[^{}]|\{\{[^{}]*\}\})*\}\}|\{[^{}\n]{1,60}\}\}|\{\{[^{}\n]{1,60}\}(?!\})")

# Slots whose value is a person's name: dropped by `generic`, since "Thank you, John" has no
# natural generic form and invented names are exactly what the model must not learn.
_NAME_WORDS = ("name", "salutation")

# The most frequent slots that are values the *company* provides.
_COMPANY_VALUES = {
    "customer support phone number": "our customer support phone number",
    "customer support hours": "our business hours",
    "customer support email": "our support email address",
    "customer service email": "our support email address",
    "website url": "our website",
    "online company portal info": "our website",
    "login page url": "our login page",
    "company name": "our company",
    "company": "our company",
    "customer support team": "our customer support team",
    "live chat support": "our live chat",
    "store location": "store locations",
}
# Slots named after a UI section, which read best as that section's usual label.
_UI_LABELS = {
    "online order interaction": "Order History",
    "online company portal": "our website",
}
# Values the *customer* owns: "my" in their message, "your" in the agent's answer.
_CUSTOMER_HINTS = ("number", "amount", "date", "year", "month", "city", "country", "account type",
                   "account category", "profile type", "timeframe", "details")
_COMPANY_HINTS = ("url", "phone", "email", "hours", "time", "days", "support", "company", "policy")
_DROPPED = ("currency symbol",)
# "order {{Order Number}}" -> "my order": the noun already says what the number identifies.
_NUMBERED_NOUNS = ("order", "purchase", "invoice", "bill", "receipt", "transaction", "account", "refund")
_DETERMINERS = ("the", "my", "your", "this", "that", "our", "an", "a")


def slot_name(slot: str) -> str:
    """'{{{{Account Category}} Upgrade}}' -> 'Account Category Upgrade'."""
    return " ".join(slot.replace("{", " ").replace("}", " ").split())


def find_slots(text: str) -> list[str]:
    return SLOT.findall(text)


def apply_policy(text: str, policy: str, speaker: str) -> str:
    """Apply a placeholder policy to one message; speaker is 'user' or 'assistant'."""
    if policy == "keep" or "{{" not in text:
        return text
    if policy == "strip":
        return tidy(SLOT.sub("", text))
    if policy == "generic":
        possessive = "my" if speaker == "user" else "your"
        return tidy(SLOT.sub(generic_replacer(text, possessive), text))
    raise ValueError(f"unknown placeholder policy {policy!r}")


def generic_replacer(text: str, possessive: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        slot = match.group(0)
        inner = slot[2:-2]
        if "{{" in inner:  # '{{{{Account Category}} Upgrade}}': a label built around a slot
            return " ".join(SLOT.sub(lambda m: generic_phrase(slot_name(m.group(0)), possessive), inner).split())
        name = slot_name(slot)
        key = name.lower()
        before = text[: match.start()].rstrip(" #:").lower().split()
        if key.endswith("number") and before and before[-1] in ("number", "no", "no."):
            return ""  # "the order number {{Order Number}}" already says it
        # "order {{Order Number}}": the noun stays, the number goes, "my/your" joins if needed.
        if key.endswith("number") and before and before[-1] in _NUMBERED_NOUNS:
            has_determiner = len(before) > 1 and before[-2] in _DETERMINERS
            # \x00 marks "put the possessive before the preceding noun"; tidy() does it.
            return "" if has_determiner else f"\x00{possessive}"
        return generic_phrase(name, possessive)

    return replace


def generic_phrase(name: str, possessive: str) -> str:
    """Natural words for one slot, from its name."""
    key = name.lower()
    if any(word in key for word in _NAME_WORDS) or key in _DROPPED:
        return ""
    if key in _COMPANY_VALUES:
        return _COMPANY_VALUES[key]
    if key in _UI_LABELS:
        return _UI_LABELS[key]
    if any(hint in key for hint in _COMPANY_HINTS):
        return "our " + key
    if key in ("account type", "account category", "profile type"):
        # Used as an adjective ("a {{Account Type}} account"): the sentence reads right without it.
        return ""
    if any(hint in key for hint in _CUSTOMER_HINTS):
        return f"{possessive} {key}"
    # Anything else is a button or section label ("Cancel Purchase", "Forgot Password").
    return name


_POSSESSIVE_BEFORE_NOUN = re.compile(r"(\b\w+)([ #:]*)\x00(my|your)")


def tidy(text: str) -> str:
    """Repair the sentence around removed or replaced slots, line by line (keeps list layout)."""
    text = _POSSESSIVE_BEFORE_NOUN.sub(lambda m: f"{m.group(3)} {m.group(1)}", text)
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"(['\"“‘])\s*(['\"”’])", "", line)  # '' or "" left by a removed label
        line = re.sub(r"\(\s*\)", "", line)
        line = re.sub(r" ?#(?=[\s,.;:!?]|$)", "", line)  # "number #{{Order Number}}"
        line = re.sub(r"(['\"])([^'\"\n]+)\1 or \1\2\1", r"\1\2\1", line)  # "'X' or 'X'" -> "'X'"
        line = re.sub(r"[ \t]{2,}", " ", line)
        line = re.sub(r" +([,.;:!?])", r"\1", line)
        line = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", line)  # ", ," -> ","
        line = re.sub(r"[,;:]\s*([.!?])", r"\1", line)  # "you, ." -> "you."
        line = re.sub(r"\b([Aa]) (?=(?:account|order|invoice|email|item|issue|update|upgrade)\b)", r"\1n ", line)
        line = re.sub(r"\b(my|your|our|the) (my|your|our|the)\b", r"\2", line)
        line = re.sub(r"^(\s*)[,;:]\s*", r"\1", line)
        lines.append(line.rstrip() if line.strip() else "")
    return "\n".join(lines).strip()
