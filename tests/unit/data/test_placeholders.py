"""Placeholder policies on real Bitext rows (../shared) and on the malformed cases the data has."""

from __future__ import annotations

import csv
import re

import pytest

from supportbot.data.placeholders import apply_policy, find_slots, slot_name


@pytest.fixture
def real_rows(bitext_sample):
    with bitext_sample.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_keep_changes_nothing(real_rows):
    for row in real_rows[:500]:
        assert apply_policy(row["response"], "keep", "assistant") == row["response"]


@pytest.mark.parametrize("policy", ["generic", "strip"])
def test_no_slot_or_brace_survives_on_any_real_row(real_rows, policy):
    for row in real_rows:
        for column, speaker in (("instruction", "user"), ("response", "assistant")):
            out = apply_policy(row[column], policy, speaker)
            assert "{" not in out and "}" not in out, (policy, row[column][:200], out[:200])
            if "{{" in row[column]:  # the tidy-up leaves no double space or space before punctuation
                assert out.count("  ") <= row[column].count("  "), out[:300]
                assert len(re.findall(r" [,.;:!?]", out)) <= len(re.findall(r" [,.;:!?]", row[column])), out[:300]


def test_the_real_data_has_many_distinct_slots_including_malformed_ones(real_rows):
    slots = {slot for row in real_rows for slot in find_slots(row["response"])}
    assert len(slots) >= 80  # the README profiles 83; no fixed short list would cover them
    assert "{{{{Account Category}} Upgrade}}" in slots
    assert slot_name("{{{{Account Category}} Upgrade}}") == "Account Category Upgrade"


def test_generic_speaks_from_each_side_of_the_conversation():
    assert apply_policy("I need to cancel order {{Order Number}}", "generic", "user") == "I need to cancel my order"
    assert (apply_policy("I can help you cancel order {{Order Number}}.", "generic", "assistant")
            == "I can help you cancel your order.")
    assert (apply_policy("Call {{Customer Support Phone Number}} during {{Customer Support Hours}}.", "generic",
                         "assistant")
            == "Call our customer support phone number during our business hours.")


def test_generic_turns_ui_labels_into_their_words_and_drops_names():
    text = "Hello {{Salutation}} {{Client Last Name}}, click '{{Cancel Purchase}}' in '{{Online Order Interaction}}'."
    assert apply_policy(text, "generic", "assistant") == "Hello, click 'Cancel Purchase' in 'Order History'."
    nested = "Look for an option called '{{{{Account Category}} Upgrade}}' or '{{Account Change}}'."
    assert apply_policy(nested, "generic", "assistant") == "Look for an option called 'Upgrade' or 'Account Change'."


def test_strip_removes_slots_and_tidies_the_sentence():
    text = ("You can reach us at {{Customer Support Phone Number}} or via '{{Live Chat}}', {{Person Name}}.\n"
            "1. Open {{Website URL}}.")
    assert apply_policy(text, "strip", "assistant") == "You can reach us at or via.\n1. Open."
    assert (apply_policy("the order number #{{Order Number}} is ready", "strip", "assistant")
            == "the order number is ready")


def test_real_rows_read_naturally_with_generic(real_rows):
    row = next(r for r in real_rows if r["instruction"] == "I need to cancel purchase {{Order Number}}")
    assert apply_policy(row["instruction"], "generic", "user") == "I need to cancel my purchase"
    assert "your purchase" in apply_policy(row["response"], "generic", "assistant")
