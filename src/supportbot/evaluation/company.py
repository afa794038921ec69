"""Fill `{{...}}` slots in an answer shown to a person, from a company profile and the conversation.

The raw answer is what the metrics score; this is only for display (chat mode, the report's
display column). Values the company has (website, phone, hours) come from conf/company/*.yaml;
values only the customer has (order, invoice, tracking numbers) come from what the customer
wrote, or stay unfilled and are listed: a made-up order number is worse than none.

A slot is never shown raw. One the model made up, a near miss of a real one (`{{Online Company
Portal}}` for `{{Online Company Portal Info}}`), is snapped to the nearest slot that the training
data or the profile knows (difflib, at least SNAP_CUTOFF alike) and filled as that one; one with no
near known slot, or no value, is shown as `[Name]` and listed as unfilled.
"""

from __future__ import annotations

import difflib
import re

from supportbot.config import CompanyProfile
from supportbot.data.placeholders import SLOT, slot_name

SNAP_CUTOFF = 0.75

# Identifiers in the customer's own words: a run of letters, digits, dashes and slashes with at least four
# digits ("77120", "ORD-317527", "SO-2025-000123", "INV-2024-004213", "1Z4K7..."); a bare number needs five
# (a year is no order number) unless "#" or the word "order" comes right before it. Which slot it fills:
# the word before it (invoice, tracking), else its prefix, else an order number.
_IDENTIFIER = re.compile(r"(#?)\b([A-Z0-9][A-Z0-9/-]*[0-9][A-Z0-9/-]*)\b", re.I)
_INVOICE_PREFIXES, _TRACKING_PREFIXES = ("INV", "#INV"), ("1Z", "TRK", "JD", "9400")


def identifiers(text: str) -> dict[str, str]:
    """{"Order Number": "ORD-317527", ...}: the first identifier of each kind the customer wrote."""
    found: dict[str, str] = {}
    for match in _IDENTIFIER.finditer(text):
        hashed, token = match.groups()
        digits = sum(c.isdigit() for c in token)
        before = text[max(0, match.start() - 24):match.start()].lower()
        if digits < 4 or (token.isdigit() and digits < 5 and not hashed and not before.rstrip(" :#").endswith(
                ("order", "number", "no", "no."))):
            continue
        upper = token.upper()
        if "invoice" in before.split("order")[-1] or upper.startswith(_INVOICE_PREFIXES):
            kind = "Invoice Number"
        elif "tracking" in before or upper.startswith(_TRACKING_PREFIXES):
            kind = "Tracking Number"
        else:
            kind = "Order Number"
        found.setdefault(kind, token)
    return found


def snap(name: str, known: set[str]) -> str:
    """The known slot name nearest to `name` (case-insensitive), or `name` itself when none is near enough."""
    if name in known or not known:
        return name
    lowered = {candidate.lower(): candidate for candidate in sorted(known)}
    match = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=SNAP_CUTOFF)
    return lowered[match[0]] if match else name


def fill(answer: str, company: CompanyProfile | None, user_messages: list[str],
         known_slots: set[str] | None = None) -> tuple[str, list[str]]:
    """(answer with every slot that has a value filled, names of the slots left as [Name]).

    known_slots: the slots the training data uses (as `{{Name}}`); with the profile's names, what an
    invented slot is snapped to."""
    values = dict(company.values) if company else {}
    said = "\n".join(user_messages)
    values |= identifiers(said)
    known = {slot_name(slot) for slot in (known_slots or set())} | set(values) | {
        "Order Number", "Invoice Number", "Tracking Number"}
    unfilled: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = snap(slot_name(match.group(0)), known)
        if name in values:
            return values[name]
        unfilled.append(name)
        return f"[{name}]"

    return SLOT.sub(replace, answer), sorted(set(unfilled))
