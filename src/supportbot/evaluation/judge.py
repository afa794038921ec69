"""Scores for generated answers: ROUGE-L and BLEU against the reference, the intent an answer
serves (a TF-IDF + logistic-regression judge trained on the training split's responses), and
placeholder fidelity.

The judge reads answers, not questions: "does this answer serve a cancel_order request?" is the
question the plan asks of a fine-tuned model on new wording, and Bitext's responses per intent are
distinct enough that a linear model over word n-grams tells them apart (tests hold it to >= 0.9
accuracy on held-out real responses).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from supportbot.data.placeholders import find_slots

# A concrete value where the training data only ever had a slot: "VALUE8541", "#12345", "ORD-99812".
_INVENTED_VALUE = re.compile(r"\b(?:[A-Z]{2,}[-_]?\d{3,}|#?\d{4,})\b")


# Metrics that compare an answer's judged intent with the expected one, or rest on the judge's confidence that
# an answer is support talk: without intents in the training data there is no judge, and they are not 0 but
# not available (metrics.json `not_available` says why; report.md shows n/a).
NEEDS_INTENTS = ("intent_consistency", "intent_consistency_macro", "prompt_intent_consistency",
                 "prompt_intent_consistency_macro", "out_of_scope_redirect_rate", "injection_redirect_rate",
                 "in_scope_refusal_rate")
NO_INTENTS = ("the training data has no intents (data.columns.intent), so no intent judge could be trained; map "
              "the file's intent column (data.columns.intent=<column>) and train again to get this metric")


def trained_intents(rows: list[dict]) -> set[str]:
    """The intents of the data's own rows (not the project's out-of-scope ones); empty: the data had none."""
    from supportbot.data.rows import NO_INTENT, OUT_OF_SCOPE_INTENT

    return {row["intent"] for row in rows} - {NO_INTENT, OUT_OF_SCOPE_INTENT}


class NoIntentJudge:
    """The judge of a run trained without intents: it judges nothing (None), so no score counts as a miss."""

    def predict(self, answers: list[str]) -> list[None]:
        return [None] * len(answers)

    def confidence(self, answers: list[str]) -> list[None]:
        return [None] * len(answers)


def without_intents(metrics: dict) -> dict[str, str]:
    """Set the metrics that need intents to None on both sides; returns {metric: why} for metrics.json."""
    for side in ("base", "finetuned"):
        for key in NEEDS_INTENTS:
            metrics[side][key] = None
    return {key: NO_INTENTS for key in (*NEEDS_INTENTS, "per_intent")}


class IntentJudge:
    """Which intent an answer serves, learned from the training split's (response, intent) pairs."""

    def __init__(self, responses: list[str], intents: list[str], seed: int = 42):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        self.model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, lowercase=True),
            LogisticRegression(max_iter=2000, C=10.0, random_state=seed),
        )
        self.model.fit(responses, intents)
        self.intents = list(self.model.classes_)

    def predict(self, answers: list[str]) -> list[str]:
        return list(self.model.predict(answers)) if answers else []

    def confidence(self, answers: list[str]) -> list[float]:
        return [float(p.max()) for p in self.model.predict_proba(answers)] if answers else []


def rouge_l(predictions: list[str], references: list[str]) -> list[float]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    return [scorer.score(ref, pred)["rougeL"].fmeasure for pred, ref in zip(predictions, references, strict=True)]


def bleu(predictions: list[str], references: list[str]) -> float:
    import sacrebleu

    return float(sacrebleu.corpus_bleu(predictions, [references]).score)


@dataclass
class PlaceholderFidelity:
    answers_with_only_known: float  # share of answers whose every {{...}} is one the training data uses
    invented: Counter  # placeholder -> count, for slots the training data never uses
    invented_values: int  # concrete values (VALUE8541, #12345) that the prompt did not contain


def placeholder_fidelity(answers: list[str], prompts: list[str], known: set[str], policy: str) -> PlaceholderFidelity:
    invented: Counter = Counter()
    clean = 0
    invented_values = 0
    for answer, prompt in zip(answers, prompts, strict=True):
        unknown = [slot for slot in find_slots(answer) if slot not in known]
        invented.update(unknown)
        clean += not unknown
        if policy == "keep":  # the training answers held slots, never values: any value is made up
            invented_values += sum(value not in prompt for value in _INVENTED_VALUE.findall(answer))
    return PlaceholderFidelity(clean / max(1, len(answers)), invented, invented_values)
