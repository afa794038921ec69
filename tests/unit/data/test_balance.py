"""Intent balancing of the training split: temperature shares, a floor, counts that add up, seeded."""

from __future__ import annotations

import random
from collections import Counter

from supportbot.data.balance import balance_rows, intent_targets

SIZES = {"cancel_order": 200, "check_invoice": 120, "review": 20, "payment_issue": 5}


def rows_of(sizes: dict[str, int]) -> list[dict[str, str]]:
    return [{"instruction": f"{intent} question {i}", "response": f"answer {i}", "intent": intent}
            for intent, n in sizes.items() for i in range(n)]


def per_intent(rows) -> Counter:
    return Counter(row["intent"] for row in rows)


def key(row) -> tuple[str, str]:
    return row["instruction"], row["response"]


def test_counts_add_up_and_every_row_is_accounted_for():
    rows = rows_of(SIZES)
    balanced = balance_rows(rows, "intent", floor=30, temperature=2.0, seed=42)
    assert balanced.totals["before"] == len(rows) == 345
    assert balanced.totals["after"] == len(balanced.rows)
    totals = balanced.totals
    assert totals["after"] == totals["before"] - totals["dropped"] + totals["repeated"]
    for intent, counts in balanced.per_intent.items():
        assert counts["before"] == SIZES[intent] and counts["after"] == per_intent(balanced.rows)[intent]
        assert counts["after"] == counts["before"] - counts["dropped"] + counts["repeated"]
        assert not (counts["dropped"] and counts["repeated"]), "an intent is either cut or topped up"
    originals = {key(row) for row in rows}
    assert {key(row) for row in balanced.rows} <= originals, "repeats are copies of real rows, nothing invented"
    assert balanced.report() == {"mode": "intent", "totals": balanced.totals, "per_intent": balanced.per_intent}


def test_every_intent_reaches_the_floor_with_repeats_spread_evenly():
    balanced = balance_rows(rows_of(SIZES), "intent", floor=32, temperature=1.0, seed=42)
    after = per_intent(balanced.rows)
    assert after["payment_issue"] == 32 and after["review"] == 32
    assert after["cancel_order"] == 200 and after["check_invoice"] == 120, "temperature 1: the rest unchanged"
    # 32 of 5 rows: each row 6 or 7 times, not one row 28 times
    repeats = Counter(key(r) for r in balanced.rows if r["intent"] == "payment_issue")
    assert sorted(repeats.values()) == [6] * 3 + [7] * 2
    assert balanced.per_intent["payment_issue"] == {"before": 5, "after": 32, "repeated": 27, "dropped": 0}


def test_temperature_flattens_the_distribution_and_keeps_the_total():
    counts = dict(SIZES)
    assert intent_targets(counts, 1.0, 0) == counts
    spread = lambda targets: max(targets.values()) / min(targets.values())  # noqa: E731
    previous = spread(counts)
    for temperature in (1.5, 2.0, 4.0):
        targets = intent_targets(counts, temperature, 0)
        assert sum(targets.values()) == sum(counts.values())
        assert spread(targets) < previous
        previous = spread(targets)
    uniform = intent_targets(counts, 1e9, 0)
    assert max(uniform.values()) - min(uniform.values()) <= 1 and sum(uniform.values()) == 345
    balanced = balance_rows(rows_of(SIZES), "intent", floor=0, temperature=1e9, seed=0)
    # 345 = 87 + 3 x 86: the spare row goes to the first intent by name
    assert balanced.per_intent["cancel_order"]["dropped"] == 200 - 87 and len(balanced.rows) == 345


def test_downsampling_drops_a_seeded_subset_and_is_deterministic():
    rows = rows_of(SIZES)
    first = balance_rows(rows, "intent", floor=10, temperature=3.0, seed=1)
    again = balance_rows(rows, "intent", floor=10, temperature=3.0, seed=1)
    assert [key(r) for r in first.rows] == [key(r) for r in again.rows]
    shuffled = rows[:]
    random.Random(0).shuffle(shuffled)
    assert Counter(map(key, balance_rows(shuffled, "intent", 10, 3.0, seed=1).rows)) == Counter(map(key, first.rows))
    other = balance_rows(rows, "intent", floor=10, temperature=3.0, seed=2)
    assert Counter(map(key, other.rows)) != Counter(map(key, first.rows))
    kept = [key(r) for r in first.rows if r["intent"] == "cancel_order"]
    assert len(kept) == len(set(kept)) < 200, "a cut intent keeps distinct rows"


def test_edge_cases_none_one_intent_and_a_floor_above_everything():
    rows = rows_of(SIZES)
    assert balance_rows(rows, "none", floor=1000, temperature=5.0, seed=0).rows == rows
    alone = rows_of({"review": 20})
    assert balance_rows(alone, "intent", floor=5, temperature=3.0, seed=0).rows == alone
    high = balance_rows(rows, "intent", floor=500, temperature=2.0, seed=0)
    assert set(per_intent(high.rows).values()) == {500} and high.totals["dropped"] == 0
    assert intent_targets({"a": 1000, "b": 1}, 0.5, 0)["b"] == 1, "no intent is balanced out of training"
