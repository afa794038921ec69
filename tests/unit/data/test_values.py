"""The `realistic` placeholder policy: slot kinds, value formats, and realise() on every real Bitext row."""

from __future__ import annotations

import csv
import doctest
import random
import re
from collections import Counter
from pathlib import Path

import pytest

import supportbot.data.values as values_module
from helpers import BITEXT_SAMPLE, ROOT
from supportbot.data.placeholders import find_slots, slot_name
from supportbot.data.values import (
    _GENERATORS,
    _KINDS,
    _PLACES,
    COMPANY_KINDS,
    CUSTOMER_KINDS,
    UI_LABEL,
    ConversationValues,
    _kind_from_words,
    _value_key,
    realise,
    slot_kind,
    slot_role,
)

BUNDLED_SAMPLE = ROOT / "src" / "supportbot" / "data" / "sample.csv"

ORDER = re.compile(r"\d{7,9}|ORD-\d{6,8}|[A-Z]\d[A-Z]-\d{6}|(?:SO|WEB|PO)-20\d\d-\d{6}|\d{3}-\d{7}-\d{7}")
INVOICE = re.compile(r"INV-20\d\d-\d{6}|#INV\d{5}|INV\d{6,8}|20\d\d/\d{5}|F20\d\d-\d{3,4}")
TRACKING = re.compile(r"1Z[A-Z0-9]{8}\d{8}|\d{12}|TRK\d{9,11}|9400\d{18}|JD\d{16}")
EMAIL = re.compile(r"[a-z0-9._]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
AMOUNT = re.compile(r"[$€£]\d{1,3}(?:,\d{3})*(?:\.\d{2})?")
JUNK = re.compile(r"\b(?:VALUE|value)\d+|\bVALUE\b|\b12345\b")


def read_rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    """Every real row: the bundled sample, and ../shared's Bitext rows where they are."""
    return read_rows(BUNDLED_SAMPLE) + (read_rows(BITEXT_SAMPLE) if BITEXT_SAMPLE.is_file() else [])


def key(row: dict) -> str:
    return row["instruction"] + "\x1e" + row["response"]


@pytest.fixture(scope="module")
def realised(rows) -> list[tuple[str, str]]:
    return [realise(row["instruction"], row["response"], key(row), seed=0) for row in rows]


def names_in(rows: list[dict]) -> set[str]:
    texts = [row[column] for row in rows for column in ("instruction", "response")]
    return {slot_name(slot) for text in texts for slot in find_slots(text)}


# --- kinds -----------------------------------------------------------------------------------------

def test_every_slot_name_in_both_csvs_has_a_kind(bitext_sample):
    names = names_in(read_rows(BUNDLED_SAMPLE) + read_rows(bitext_sample))
    assert len(names) >= 85
    kinds = {name: slot_kind(name) for name in names}
    assert all(kind in CUSTOMER_KINDS | COMPANY_KINDS | {UI_LABEL} for kind in kinds.values())
    # the long tail is not left to the fallback: most names are not UI labels
    assert sum(kind != UI_LABEL for kind in kinds.values()) >= 60
    assert set(_GENERATORS) == {_value_key(kind) for kind in CUSTOMER_KINDS}, "every customer value has a generator"


@pytest.mark.parametrize("name, kind, role", [
    ("Order Number", "order_number", "customer"),
    ("Invoice Number", "invoice_number", "customer"),
    ("Tracking Number", "tracking_number", "customer"),
    ("Person Name", "person_name", "customer"),
    ("Client Last Name", "last_name", "customer"),
    ("Salutation", "salutation", "customer"),
    ("Account Type", "account_type", "customer"),
    ("Account Category", "account_category", "customer"),
    ("Refund Amount", "amount", "customer"),
    ("Currency Symbol", "currency_symbol", "customer"),
    ("Delivery City", "city", "customer"),
    ("Date Range", "date_range", "customer"),
    ("number of days", "number_of_days", "customer"),
    ("Customer Support Phone Number", "support_phone", "company"),
    ("Customer Support Hours", "support_hours", "company"),
    ("Website URL", "website_url", "company"),
    ("Online Company Portal Info", "portal_info", "company"),
    ("Live Chat Support", "live_chat", "company"),
    ("Customer Support Email", "support_email", "company"),
    ("Store Location", "store_location", "company"),
    ("Login Page URL", "login_url", "company"),
    ("Company Account", "company_account", "company"),
    ("Online Order Interaction", UI_LABEL, "ui"),
    ("Settings", UI_LABEL, "ui"),
    ("Profile", UI_LABEL, "ui"),
    ("Cancel Purchase", UI_LABEL, "ui"),
    ("Forgot Password", UI_LABEL, "ui"),
    ("{{{{Account Category}} Upgrade}}", UI_LABEL, "ui"),
    ("{Cancel Order}}", UI_LABEL, "ui"),
])
def test_frequent_names_have_the_right_kind_and_role(name, kind, role):
    assert (slot_kind(name), slot_role(name)) == (kind, role)


def test_the_rules_alone_give_every_table_entry_its_role():
    wrong = {name: (kind, _kind_from_words(name)) for name, kind in _KINDS.items()
             if slot_role(kind) != slot_role(_kind_from_words(name))}
    assert not wrong


@pytest.mark.parametrize("name, kind", [
    ("Shipping Address", "address"), ("Billing Email", "email"), ("Mobile Number", "phone"),
    ("Order ID", "order_number"), ("Receipt Number", "invoice_number"), ("Parcel Number", "tracking_number"),
    ("Loyalty Card Number", "reference_number"), ("Customer First Name", "first_name"), ("Zip Code", "postal_code"),
    ("Purchase Date", "date"), ("Billing Period", "date_range"), ("Membership Tier", "account_type"),
    ("Item Name", "product_name"), ("Total Price", "amount"),
    ("Customer Support Fax Number", "support_phone"), ("Warranty Policy", "policy"),
    ("Returns Page URL", "website_url"),
    ("Customer Care Email", "support_email"), ("Store Opening Hours", "opening_time"),
    ("Download Invoice", UI_LABEL), ("My Orders", UI_LABEL), ("Payment Methods", UI_LABEL), ("Wishlist", UI_LABEL),
])
def test_unknown_names_get_a_sensible_kind(name, kind):
    assert slot_kind(name) == kind


# --- realise() on every real row ---------------------------------------------------------------------

def test_real_rows_leave_no_junk_no_stray_brace_and_no_doubled_currency(rows, realised):
    for row, (instruction, response) in zip(rows, realised, strict=True):
        for before, after in ((row["instruction"], instruction), (row["response"], response)):
            assert not JUNK.search(after) or JUNK.search(before), after[:300]
            left = find_slots(after)
            assert all(slot_role(slot) != "customer" for slot in left), (left, after[:300])
            assert all(slot == "{{" + slot_name(slot) + "}}" for slot in left), left
            rest = after
            for slot in left:
                rest = rest.replace(slot, "")
            assert "{" not in rest and "}" not in rest, (before[:200], after[:200])
            assert not re.search(r"[$€£]\s?[$€£]", after), after[:300]
            assert "\x00" not in after


def test_realise_is_deterministic_seeded_and_independent_of_row_order(rows, realised):
    order = list(range(len(rows)))
    random.Random(3).shuffle(order)
    for index in order[:3000]:
        row = rows[index]
        assert realise(row["instruction"], row["response"], key(row), seed=0) == realised[index]
    with_values = [i for i, row in enumerate(rows)
                   if any(slot_role(slot) == "customer" for slot in find_slots(row["instruction"]))]
    assert len(with_values) >= 50
    other = [realise(rows[i]["instruction"], rows[i]["response"], key(rows[i]), seed=1)[0] for i in with_values]
    changed = sum(text != realised[i][0] for text, i in zip(other, with_values, strict=True))
    assert changed >= 0.9 * len(with_values)


def test_the_same_order_number_in_the_instruction_and_the_response(rows, realised):
    checked = 0
    for row, (instruction, response) in zip(rows, realised, strict=True):
        if row["instruction"].count("{{Order Number}}") == 1 and "{{Order Number}}" in row["response"]:
            number = ConversationValues(key(row), 0).value("Order Number")
            assert number in instruction and ORDER.fullmatch(number)
            assert response.count(number) == row["response"].count("{{Order Number}}"), response[:300]
            checked += 1
    assert checked >= 20


def test_customer_slots_only_in_the_response_invent_no_number(rows, realised):
    """Bitext answers "your order {{Order Number}}" to customers who gave no number: no number appears."""
    numbered = ("{{Order Number}}", "{{Invoice Number}}", "{{Tracking Number}}")
    checked = Counter()
    for row, (instruction, response) in zip(rows, realised, strict=True):
        for slot in numbered:
            if slot in row["response"] and slot not in row["instruction"]:
                checked[slot] += 1
                invented = set(re.findall(r"\d+", response)) - set(re.findall(r"\d+", instruction + row["response"]))
                assert not invented, (invented, response[:300])
                for pattern in (ORDER, INVOICE, TRACKING):
                    new = [m for m in pattern.findall(response) if m not in row["response"] and m not in instruction]
                    assert not new, response[:300]
    assert checked["{{Order Number}}"] >= 20


def test_a_name_the_customer_did_not_give_is_dropped_and_one_they_gave_is_used(rows, realised):
    greeted = given = 0
    for row, (instruction, response) in zip(rows, realised, strict=True):
        if "{{Client Last Name}}" not in row["response"]:
            continue
        person = ConversationValues(key(row), 0).person()
        if "{{Person Name}}" in row["instruction"]:
            assert f"{person.first} {person.last}" in instruction
            assert person.last in response
            given += 1
        elif not any(slot_role(s) == "customer" and "name" in slot_name(s).lower()
                     for s in find_slots(row["instruction"])):
            assert not re.search(rf"\b{re.escape(person.last)}\b", response), response[:300]
            assert not re.search(r"\b(?:Mr|Ms|Dr)\.", response.replace(row["response"], "")), response[:300]
            greeted += 1
    assert greeted >= 20 and given >= 5


def test_a_real_response_only_order_number_reads_naturally(rows, realised):
    index, row = next((i, r) for i, r in enumerate(rows) if "{{" not in r["instruction"]
                      and "order {{Order Number}}" in r["response"])
    response = realised[index][1]
    assert "your order" in response and not ORDER.search(response), response[:300]


# --- formats and the values themselves --------------------------------------------------------------

def test_generated_values_have_realistic_varied_formats():
    seen = {name: [] for name in ("Order Number", "Invoice Number", "Tracking Number", "Email", "Refund Amount")}
    for index in range(400):
        conversation = ConversationValues(f"conversation {index}", 11)
        for name in seen:
            seen[name].append(conversation.value(name))
    for name, pattern in (("Order Number", ORDER), ("Invoice Number", INVOICE), ("Tracking Number", TRACKING),
                          ("Email", EMAIL), ("Refund Amount", AMOUNT)):
        assert all(pattern.fullmatch(value) for value in seen[name]), (name, seen[name][:10])
        assert len(set(seen[name])) >= (300 if name == "Refund Amount" else 390), name  # not one value for all
    assert len({re.sub(r"\d", "9", value) for value in seen["Order Number"]}) >= 5  # several formats
    assert any(v.startswith("1Z") and len(v) == 18 for v in seen["Tracking Number"])
    assert {value[0] for value in seen["Refund Amount"]} == {"$", "€", "£"}


def test_names_places_and_dates_are_coherent_within_a_conversation():
    firsts, lasts = set(), set()
    for index in range(200):
        conversation = ConversationValues(f"c{index}", 5)
        first, last = conversation.value("Client First Name"), conversation.value("Client Last Name")
        assert conversation.value("Person Name") == conversation.value("Client Name") == f"{first} {last}"
        assert conversation.value("Salutation") in ("Mr.", "Ms.", "Dr.")
        email = conversation.value("Email")
        assert EMAIL.fullmatch(email)
        assert (conversation.value("Delivery City"), conversation.value("Delivery Country")) in {p[:2] for p in _PLACES}
        assert conversation.value("Delivery City") in conversation.value("Shipping Address")
        assert conversation.value("Year") in conversation.value("Date") or "/" in conversation.value("Date")
        assert conversation.value("Account Type") == conversation.value("Account Category")
        firsts.add(first)
        lasts.add(last)
    assert len(firsts) >= 50 and len(lasts) >= 60


def test_conversation_values_are_cached_and_independent_of_call_order():
    one, two = ConversationValues("chat-17", 3), ConversationValues("chat-17", 3)
    order = one.value("Order Number")
    assert one.value("{{Order Number}}") == order == one.value("Order Number")
    two.value("Refund Amount"), two.value("Person Name")
    assert two.value("Order Number") == order  # asked for later in another turn, still the same
    assert ConversationValues("chat-17", 4).value("Order Number") != order
    with pytest.raises(ValueError, match="company"):
        one.value("Customer Support Phone Number")


def test_one_coherent_amount_with_its_currency():
    text = "I paid {{Currency Symbol}}{{Refund Amount}}"
    instruction, response = realise(text, "A refund of ${{Refund Amount}}, i.e. {{Currency Symbol}}{{Money Amount}}.",
                                    text, 0)
    amount = instruction.removeprefix("I paid ")
    assert AMOUNT.fullmatch(amount)
    assert response == f"A refund of {amount}, i.e. {amount}."
    instruction, response = realise("a refund of {{Refund Amount}} dollars",
                                    "Your {{Currency Symbol}}{{Refund Amount}}", "k", 0)
    number = re.search(r"of (\S+) dollars", instruction).group(1)
    assert re.fullmatch(r"\d{1,3}(?:,\d{3})*(?:\.\d{2})?", number) and response == f"Your ${number}"
    _, response = realise("where is my refund?", "Your refund of {{Currency Symbol}}{{Refund Amount}} was sent.",
                          "k", 0)
    assert response == "Your refund of your refund amount was sent."


def test_response_only_slots_read_as_the_generic_policy_reads_them():
    instruction, response = realise(
        "where is my order?",
        "Hello {{Salutation}} {{Client Last Name}}, order {{Order Number}} left today; "
        "see {{Online Order Interaction}} on {{Website URL}}.", "k", 0)
    assert response == "Hello, your order left today; see {{Online Order Interaction}} on {{Website URL}}."
    _, response = realise("invoice from {{Person Name}}", "The invoice from {{Salutation}} {{Client Last Name}}.",
                          "k", 0)
    person = ConversationValues("k", 0).person()
    assert response == f"The invoice from {person.first} {person.last}."  # no guessed "Mr." or "Ms."


def test_malformed_and_nested_slots_leave_no_stray_brace():
    response = realise("open a {{Account Category}} account",
                       "Click '{Cancel Order}}' or the '{{{{Account Category}} Upgrade}}' in {{Settings}}.", "k", 0)[1]
    plan = ConversationValues("k", 0).value("Account Category")
    assert response == f"Click '{{{{Cancel Order}}}}' or the '{plan} Upgrade' in {{{{Settings}}}}."
    _, response = realise("hi", "See the '{{{{Account Category}} Upgrade}}' option.", "k", 0)
    assert response == "See the 'Upgrade' option."


def test_articles_and_bitext_slips_around_values():
    conversation = next(ConversationValues(f"k{i}", 0) for i in range(500)
                        if ConversationValues(f"k{i}", 0).value("Account Type")[0] in "AEIOU")
    plan = conversation.value("Account Type")
    instruction, response = realise("open a {{Account Type}} account", "Feel {{Account Type}} to ask.",
                                    conversation.key, 0)
    assert instruction == f"open an {plan} account" and response == "Feel free to ask."


def test_the_module_docstring_example_holds():
    assert doctest.testmod(values_module).failed == 0
