"""`data.paraphrases`: the project's own wordings of the 27 Bitext requests, each given a Bitext answer of its intent.

Bitext's questions come from templates: one request per question, the intent's own key words ("cancel order
{{Order Number}}", "check the early termination fee"), about 48 characters. `data.rewrite` changes how a question
is written (context, typos, case) but keeps its words, so a model trained on both still meets a new wording of the
request itself ("Changed my mind about the desk, can you stop it before it ships?") for the first time at
inference, and answers it as the nearest template or declines it as off topic (RESULTS.md, 2026-12-04: 21% of
the held-out suite's new wordings on intent).

`src/supportbot/data/in_scope.csv` holds such questions, written for this project without reading its evaluation
prompts or Bitext's rows: per intent, families of one underlying situation in three phrasings each (a plain
question, a story, an indirect ask, a fragment...), some with a customer value as a slot (`{{Order Number}}`).
tests/unit/data/test_paraphrases.py holds the file to its rules, among them that no question has a near-twin in
the held-out prompt suites.

Each question is trained with the answer of a training-side Bitext row of the same intent, drawn per question
(seeded), so the set brings new questions, not new answers. The realistic placeholder policy then fills the
question's values into the answer, and any customer value the answer names but the question never gave becomes
generic words ("your order"), so no value is invented. A value the question gives and the answer does not use
("my email is {{Email Address}}") is acknowledged first ("Thanks, I have your email address as ..."), as the
`details` rewrite does: the model learns to carry what the customer wrote. Questions of an intent the data does
not have (filtered with data.intents, or a data set of its own) are left out; only the training side gets them,
so validation keeps the data's own questions.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from supportbot.data.augment import acknowledge_given


@dataclass
class Paraphrased:
    rows: list[dict]
    available: int
    per_intent: dict[str, int] = field(default_factory=dict)
    skipped_intents: list[str] = field(default_factory=list)

    def report(self) -> dict:
        return {"available": self.available, "used": len(self.rows), "intents": len(self.per_intent),
                "per_intent": dict(sorted(self.per_intent.items())), "intents_without_answers": self.skipped_intents}


def paraphrase_rows(questions: list[dict[str, str]], answers: list[dict], setting: float, source_rows: int,
                    seed: int) -> Paraphrased:
    """`setting` of the training rows (< 1, a share of `source_rows`) or a count (>= 1) of the questions, each with the
    response (and category) of a row of `answers` with its intent. Cycled when more are asked for than there are;
    a repeated question gets another draw of answer."""
    by_intent: dict[str, list[dict]] = defaultdict(list)
    for row in answers:
        if not row.get("turns") and not row.get("rewrite"):  # single exchanges, in the data's own words
            by_intent[row["intent"]].append(row)
    # Sorted: the answer depends on which rows there are and the question, not on their order.
    for group in by_intent.values():
        group.sort(key=lambda row: (row["instruction"], row["response"]))
    usable = [question for question in questions if question["intent"] in by_intent]
    skipped = sorted({question["intent"] for question in questions} - set(by_intent))
    wanted = round(setting * source_rows) if setting < 1 else int(setting)
    if not usable or not wanted:
        return Paraphrased([], len(questions), skipped_intents=skipped)
    order = sorted(usable, key=lambda question: (question["family"], question["instruction"]))
    random.Random(f"{seed}:paraphrases").shuffle(order)
    rows, counts = [], Counter()
    for index in range(wanted):
        question = order[index % len(order)]
        rng = random.Random(f"{seed}:paraphrase:{question['instruction']}:{index // len(order)}")
        answer = rng.choice(by_intent[question["intent"]])
        rows.append({"instruction": question["instruction"],
                     "response": acknowledge_given(question["instruction"], answer["response"], rng),
                     "intent": question["intent"], "category": answer.get("category", ""),
                     "flags": question["flags"], "family": question["family"], "paraphrase": True})
        counts[question["intent"]] += 1
    return Paraphrased(rows, len(questions), dict(counts), skipped)
