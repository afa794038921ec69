"""Intent balancing of the training split: temperature sampling with a floor, deterministic, counted.

Bitext's full set is near-uniform (~1,000 rows per intent), but a filtered or mixed set is not: the
sample here has five intents of ~950 rows and 22 of 20-110, so a model trained on it hears
"cancel my order" forty times for every "payment issue" and learns the big five. With `mode="intent"`
each intent's target count is

    n_i' = N * n_i ** (1 / temperature) / sum_j n_j ** (1 / temperature)

(N = the rows in; temperature 1 keeps the proportions, a large one makes them uniform, as in
multilingual pre-training's language sampling), rounded so the targets still add up to N, and then
raised to at least `floor` rows (so the total can exceed N). An intent over its target keeps a seeded
random subset; one under it keeps every row and repeats rows, cycling through a seeded shuffle of
the intent's rows, so each is repeated k or k+1 times rather than a few many times.

Apply it to the training split only, after the split (the pipeline does): validation must keep the
real distribution, or its loss would weigh a rare intent's few questions as heavily as a common one's
and stop estimating how the model does on the traffic it will see; and a repeated row on both sides
would be the leak the family split exists to prevent. `Balanced.report()` goes into data_report.json.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass

MODES = ("none", "intent")


@dataclass
class Balanced:
    rows: list[dict[str, str]]  # rows kept (in their input order), then the repeats
    mode: str
    per_intent: dict[str, dict[str, int]]  # intent -> before, after, repeated, dropped
    totals: dict[str, int]  # the same counts over all intents

    def report(self) -> dict:
        return {"mode": self.mode, "totals": self.totals, "per_intent": self.per_intent}


def balance_rows(rows: list[dict[str, str]], mode: str, floor: int, temperature: float, seed: int) -> Balanced:
    if mode not in MODES:
        raise ValueError(f"balance mode {mode!r}: use one of {', '.join(MODES)}")
    by_intent: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_intent[row["intent"]].append(row)
    counts = {intent: len(group) for intent, group in by_intent.items()}
    targets = dict(counts) if mode == "none" else intent_targets(counts, temperature, floor)
    kept_ids: set[int] = set()
    repeats: list[dict[str, str]] = []
    per_intent = {}
    for intent in sorted(by_intent):
        # Sorted before the seeded draw, so the rows chosen depend on which rows there are, not their order.
        group = sorted(by_intent[intent], key=lambda row: (row["instruction"], row["response"]))
        target, rng = targets[intent], random.Random(f"{seed}:{intent}:balance")
        if target < len(group):
            kept = rng.sample(group, target)
            extra = []
        else:
            kept = group
            cycle = group[:]
            rng.shuffle(cycle)
            extra = [dict(cycle[index % len(cycle)]) for index in range(target - len(group))]
        kept_ids.update(id(row) for row in kept)
        repeats += extra
        per_intent[intent] = {"before": len(group), "after": len(kept) + len(extra), "repeated": len(extra),
                              "dropped": len(group) - len(kept)}
    out = [row for row in rows if id(row) in kept_ids] + repeats
    totals = {key: sum(intent_counts[key] for intent_counts in per_intent.values())
              for key in ("before", "after", "repeated", "dropped")}
    assert totals["before"] == len(rows) and totals["after"] == len(out), "every row is counted once"
    assert all(c["before"] - c["dropped"] + c["repeated"] == c["after"] == targets[intent]
               for intent, c in per_intent.items()), "every row is kept, dropped or a counted repeat"
    return Balanced(rows=out, mode=mode, per_intent=per_intent, totals=totals)


def intent_targets(counts: dict[str, int], temperature: float, floor: int) -> dict[str, int]:
    """Rows per intent after balancing: temperature-scaled shares of the same total, then at least `floor`
    (and at least one, so no intent leaves the training set)."""
    total = sum(counts.values())
    if temperature == 1:
        targets = dict(counts)  # exactly, not through floating point
    else:
        weights = {intent: n ** (1 / temperature) for intent, n in counts.items()}
        shares = {intent: total * weight / sum(weights.values()) for intent, weight in weights.items()}
        targets = {intent: math.floor(share) for intent, share in shares.items()}
        # Largest remainders get the rows rounding down left over (ties by name), so the total stays N.
        by_remainder = sorted(shares, key=lambda intent: (targets[intent] - shares[intent], intent))
        for intent in by_remainder[:total - sum(targets.values())]:
            targets[intent] += 1
    return {intent: max(target, floor, 1) for intent, target in targets.items()}
