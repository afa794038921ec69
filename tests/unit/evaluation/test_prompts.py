"""The prompt suite: bad files explained, the default suite covers the plan, out-of-scope scoring."""

from __future__ import annotations

import pytest

from helpers import compose_config
from supportbot.errors import ConfigError


def test_an_empty_or_unknown_prompt_file_is_explained(tmp_path):
    from supportbot.evaluation.prompts import load_prompts

    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(ConfigError, match="holds no prompts"):
        load_prompts(str(empty), {"cancel_order"})
    with pytest.raises(ConfigError, match="no such prompt file.*Available: default"):
        load_prompts("nonexistent", {"cancel_order"})
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {prompt: 'hi', intent: not_an_intent}\n")
    with pytest.raises(ConfigError, match="not one the run trained on"):
        load_prompts(str(bad), {"cancel_order"})


def test_the_default_prompt_suite_covers_the_plan():
    from supportbot.evaluation.prompts import load_prompts

    cases = load_prompts("default", {c for c in _intents()})
    assert len(cases) >= 15
    assert {c.kind for c in cases} >= {"same_intent_new_words", "typo", "changed_structure", "weird", "out_of_scope",
                                       "entity"}
    assert any("77120" in c.must_contain for c in cases)


def _intents() -> set[str]:
    from supportbot.data.rows import load_rows

    return {row["intent"] for row in load_rows(compose_config("data=sample").data).kept}


def test_out_of_scope_answers_must_steer_back_to_support():
    from supportbot.evaluation.prompts import PromptCase, score_case

    weather = PromptCase(prompt="What is the weather", kind="out_of_scope", must_not_contain=["sunny", "degrees"])
    steer = "I can't check the weather, but I can help with your order, shipping or account."
    assert score_case(weather, steer, "track_order", 0.4)["redirects"] is True
    assert score_case(weather, "It is sunny and 25 degrees.", "track_order", 0.4)["redirects"] is False
    assert score_case(weather, steer, "track_order", 0.05)["redirects"] is False  # the judge sees no support talk
    entity = PromptCase(prompt="where is order 77120", kind="entity", intent="track_order", must_contain=["77120"])
    assert score_case(entity, "Order 77120 ships today.", "track_order", 0.9) == {
        "entities_kept": True, "on_intent": True, "redirects": None}
