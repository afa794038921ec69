"""Fill `{{...}}` slots in an answer shown to a person, from a company profile and the conversation.

The raw answer is what the metrics score; this is only for display (chat mode, the report's
display column). Values the company has (website, phone, hours) come from conf/company/*.yaml;
values only the customer has (order, invoice, tracking numbers) come from what the customer
wrote, or stay unfilled and are listed: a made-up order number is worse than none.
"""

from __future__ import annotations

import re

from supportbot.config import CompanyProfile
from supportbot.data.placeholders import SLOT, slot_name

# Customer-side slots and how to find their value in the customer's own words.
_FROM_CONVERSATION = {
    "Order Number": re.compile(r"(?:order|purchase)\D{0,12}?#?(\d{4,})|#(\d{4,})|\b(\d{5,})\b", re.I),
    "Invoice Number": re.compile(r"invoice\D{0,12}?#?(\w*\d{3,}\w*)", re.I),
    "Tracking Number": re.compile(r"tracking\D{0,12}?#?(\w*\d{5,}\w*)", re.I),
}


def fill(answer: str, company: CompanyProfile | None, user_messages: list[str]) -> tuple[str, list[str]]:
    """(answer with every slot that has a value filled, names of the slots left as [Name])."""
    values = dict(company.values) if company else {}
    said = "\n".join(user_messages)
    for name, pattern in _FROM_CONVERSATION.items():
        found = pattern.search(said)
        if found:
            values[name] = next(group for group in found.groups() if group)
    unfilled: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = slot_name(match.group(0))
        if name in values:
            return values[name]
        unfilled.append(name)
        return f"[{name}]"

    return SLOT.sub(replace, answer), sorted(set(unfilled))
