"""The test-prompt suite (conf/eval/prompts/*.yaml) and how its answers are scored.

- in scope: the judge must read the answer as serving the expected intent;
- out of scope ("what is the weather"): the answer must steer back to what support can help with
  instead of playing along. Judged by the classifier plus two rules: the judge must read the
  answer as support talk (its most likely intent at least REDIRECT_MIN_CONFIDENCE, far above the
  1/27 of an answer about anything else), the answer must name a support topic (_SUPPORT_TOPICS),
  and it must contain none of the case's `must_not_contain` strings (what an answer that plays
  along would say: "sunny", "knock knock");
- entities: every `must_contain` string ("77120") appears in the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

from supportbot.errors import ConfigError

CONF = Path(__file__).resolve().parents[3] / "conf" / "eval" / "prompts"
REDIRECT_MIN_CONFIDENCE = 0.2
_SUPPORT_TOPICS = ("order", "account", "shipping", "delivery", "refund", "invoice", "payment", "purchase",
                   "subscription", "customer support", "customer service", "password", "cancel")


@dataclass
class PromptCase:
    prompt: str
    kind: str
    intent: Optional[str] = None  # None: out of scope
    must_contain: list[str] = field(default_factory=list)
    must_not_contain: list[str] = field(default_factory=list)

    @property
    def out_of_scope(self) -> bool:
        return self.intent is None


def load_prompts(name_or_path: str, known_intents: set[str]) -> list[PromptCase]:
    path = Path(name_or_path).expanduser()
    if not path.suffix:
        path = CONF / f"{name_or_path}.yaml"
    if not path.is_file():
        available = ", ".join(sorted(p.stem for p in CONF.glob("*.yaml")))
        raise ConfigError(f"eval.prompts={name_or_path!r}: no such prompt file ({path}). Available: {available}; "
                          "or give a path to a YAML list of {prompt, kind, intent, must_contain}: eval.prompts=default")
    entries = yaml.safe_load(path.read_text()) or []
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"The prompt file {path} holds no prompts. It must be a YAML list such as\n"
                          "- {kind: typo, prompt: \"I need to cancle my order\", intent: cancel_order}\n"
                          "Add prompts, or use the default suite: eval.prompts=default")
    cases = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not str(entry.get("prompt", "")).strip():
            raise ConfigError(f"{path}, entry {number}: every entry needs a non-empty `prompt` (got {entry!r}).")
        case = PromptCase(**{key: entry[key] for key in ("prompt", "kind", "intent", "must_contain", "must_not_contain")
                             if key in entry and entry[key] is not None} | {"kind": entry.get("kind", "custom")})
        if case.intent is not None and case.intent not in known_intents:
            raise ConfigError(f"{path}, entry {number}: intent {case.intent!r} is not one the run trained on "
                              f"({', '.join(sorted(known_intents))}); fix the entry or set `intent: null` "
                              "for out of scope.")
        cases.append(case)
    return cases


def score_case(case: PromptCase, answer: str, judged_intent: str, judge_confidence: float) -> dict:
    text = answer.lower()
    scores: dict = {"entities_kept": all(item.lower() in text for item in case.must_contain)
                                     if case.must_contain else None}
    if case.out_of_scope:
        plays_along = any(item.lower() in text for item in case.must_not_contain)
        support_talk = judge_confidence >= REDIRECT_MIN_CONFIDENCE and any(topic in text for topic in _SUPPORT_TOPICS)
        scores["redirects"] = support_talk and not plays_along
        scores["on_intent"] = None
    else:
        scores["on_intent"] = judged_intent == case.intent
        scores["redirects"] = None
    return scores
