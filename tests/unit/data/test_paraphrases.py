"""data.paraphrases: the project's own wordings of the Bitext requests (src/supportbot/data/in_scope.csv), each with
a training-side Bitext answer of its intent; the file's rules, and the training side alone changed."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from helpers import compose_config, held_out_prompts, near_held_out_prompts
from supportbot.data import prepare_rows
from supportbot.data.paraphrases import paraphrase_rows
from supportbot.data.placeholders import SLOT
from supportbot.data.rows import OUT_OF_SCOPE_INTENT, load_in_scope, load_rows
from supportbot.data.values import CUSTOMER_KINDS, slot_kind

# The 27 intents of Bitext's v11 file (README of ../shared/data/bitext; conf/tools/support.yaml maps them).
BITEXT_INTENTS = {
    "cancel_order", "change_order", "change_shipping_address", "check_cancellation_fee", "check_invoice",
    "check_payment_methods", "check_refund_policy", "complaint", "contact_customer_service", "contact_human_agent",
    "create_account", "delete_account", "delivery_options", "delivery_period", "edit_account", "get_invoice",
    "get_refund", "newsletter_subscription", "payment_issue", "place_order", "recover_password",
    "registration_problems", "review", "set_up_shipping_address", "switch_account", "track_order", "track_refund",
}


@pytest.mark.parametrize("families", ["core", "all"])
def test_every_bitext_intent_has_families_of_its_own_questions(families):
    questions = load_in_scope(families)
    families: dict[str, Counter] = defaultdict(Counter)
    for question in questions:
        assert re.fullmatch(rf"{question['intent']}-\d\d", question["family"]), question
        families[question["intent"]][question["family"]] += 1
    assert set(families) == BITEXT_INTENTS
    for intent, sizes in families.items():
        assert len(sizes) >= 10 and sum(sizes.values()) >= 30, intent
        assert max(sizes.values()) <= 3, f"{intent}: a family is one situation in at most three phrasings"
    normalised = [re.sub(r"\W+", " ", question["instruction"].lower()).strip() for question in questions]
    assert len(set(normalised)) == len(questions), "no question twice"
    assert all(question["flags"] in ("B", "BC") for question in questions)


def test_questions_name_only_customer_values_as_slots():
    # Slots the realistic policy fills with the customer's own value (and carries into the answer); a company slot
    # ({{Website URL}}) in a customer's question would be nonsense.
    slots = Counter(slot for question in load_in_scope("all") for slot in SLOT.findall(question["instruction"]))
    assert slots, "some questions give a value, as customers do"
    for slot in slots:
        assert slot_kind(slot) in CUSTOMER_KINDS, slot
    for question in load_in_scope("all"):
        assert not re.search(r"\d{4,}|@", SLOT.sub("", question["instruction"])), "values only as slots"


def test_no_question_is_a_near_twin_of_a_held_out_prompt():
    # Written without reading the suites; checked here so that none comes close to one by chance.
    assert len(held_out_prompts()) > 250
    assert near_held_out_prompts([question["instruction"] for question in load_in_scope("all")]) == []


def test_all_families_add_the_second_file_after_the_first_and_new_families_only():
    core, every = load_in_scope("core"), load_in_scope("all")
    assert every[:len(core)] == core and len(every) - len(core) >= 27 * 36
    assert not {question["family"] for question in core} & {question["family"] for question in every[len(core):]}
    prepared = {families: prepare_rows(compose_config("data=sample", "data.max_samples=300", "data.paraphrases=1500",
                                                      f"data.paraphrase_families={families}").data)
                for families in ("core", "all")}
    assert prepared["core"].validation == prepared["all"].validation
    # the same count of rows, drawn from more questions (the sample has every intent): the second file's
    # situations (families) come in, and fewer repeats of each question
    drawn = {families: Counter(row["family"] for row in rows.train if row.get("paraphrase"))
             for families, rows in prepared.items()}
    core_families = {question["family"] for question in core}
    assert set(drawn["core"]) <= core_families and set(drawn["all"]) - core_families
    assert max(drawn["all"].values()) < max(drawn["core"].values())
    from supportbot.errors import ConfigError

    with pytest.raises(ConfigError, match="data.paraphrase_families='some' is not valid: allowed values are core, all"):
        compose_config("data.paraphrase_families=some")


def answer_rows():
    return [{"instruction": "I want to cancel order {{Order Number}}", "intent": "cancel_order", "category": "ORDER",
             "response": "I've cancelled order {{Order Number}}; the refund goes to {{Client First Name}}."},
            {"instruction": "cancel my order", "intent": "cancel_order", "category": "ORDER",
             "response": "Sure, I can cancel it. Which order is it?"},
            {"instruction": "track it", "intent": "track_order", "category": "ORDER", "response": "It ships today."}]


def test_each_question_gets_an_answer_of_its_intent_and_only_intents_the_data_has():
    questions = load_in_scope()
    answers = answer_rows()
    made = paraphrase_rows(questions, answers, 50, source_rows=1000, seed=1)
    assert len(made.rows) == 50 and set(made.per_intent) <= {"cancel_order", "track_order"}
    by_intent = {intent: {row["response"] for row in answers if row["intent"] == intent}
                 for intent in ("cancel_order", "track_order")}
    for row in made.rows:  # the answer of one of the intent's rows, after any acknowledgement of a value given
        assert any(row["response"].endswith(answer) for answer in by_intent[row["intent"]])
        assert row["paraphrase"] and row["category"] == "ORDER"
    assert "delete_account" in made.report()["intents_without_answers"]
    # A share of the training rows; cycled past the set's size; the same seed, the same rows.
    usable = sum(question["intent"] in by_intent for question in questions)
    assert len(paraphrase_rows(questions, answers, 0.1, source_rows=1000, seed=1).rows) == 100
    cycled = paraphrase_rows(questions, answers, usable + 5, source_rows=10, seed=1).rows
    assert len(cycled) == usable + 5 and len({row["instruction"] for row in cycled}) == usable
    assert paraphrase_rows(questions, answers, 50, 1000, seed=1).rows == made.rows
    assert paraphrase_rows(questions, [], 50, 1000, seed=1).rows == []


def test_the_training_side_gains_the_questions_and_validation_stays():
    plain = prepare_rows(compose_config("data=sample", "data.max_samples=300").data)
    prepared = prepare_rows(compose_config("data=sample", "data.max_samples=300", "data.paraphrases=0.5").data)
    assert prepared.validation == plain.validation and prepared.hash == plain.hash
    added = [row for row in prepared.train if row.get("paraphrase")]
    report = prepared.report["paraphrases"]
    assert len(added) == report["used"] == len(prepared.train) - len(plain.train) > 100
    source_intents = {row["intent"] for row in load_rows(compose_config("data=sample").data).kept}
    assert {row["intent"] for row in added} <= source_intents - {OUT_OF_SCOPE_INTENT}
    assert not any("{{" in row["instruction"] for row in added), "realistic values fill the questions' slots"


def test_no_value_is_invented_when_the_answer_names_one_the_question_never_gave():
    from supportbot.data.values import apply_row_policy

    question = "Please don't send the karaoke speaker. I no longer need it."
    response = "I've cancelled order {{Order Number}} and {{Refund Amount}} goes back to you."
    _, answer = apply_row_policy(question, response, "realistic", "key", 1)
    assert not re.search(r"\d", answer) and "{{" not in answer, answer
    given, answer = apply_row_policy("Cancel {{Order Number}} please", response, "realistic", "key", 1)
    number = re.search(r"Cancel (\S+) please", given).group(1)
    assert number in answer


def test_a_negative_share_names_the_setting():
    from supportbot.errors import ConfigError

    with pytest.raises(ConfigError, match="data.paraphrases=-1"):
        compose_config("data.paraphrases=-1")


def test_a_value_the_answer_does_not_use_is_acknowledged_and_then_filled():
    import random

    from supportbot.data.augment import acknowledge_given
    from supportbot.data.values import apply_row_policy

    question = "Please close my account, it's under {{Email Address}}. Order {{Order Number}} can stay."
    answer = acknowledge_given(question, "I've noted order {{Order Number}}. Your account will be closed.",
                               random.Random(0))
    assert answer.count("{{Email Address}}") == 1 and answer.endswith("Your account will be closed.")
    assert answer.count("{{Order Number}}") == 1, "a value the answer uses already is not acknowledged again"
    given, filled = apply_row_policy(question, answer, "realistic", "key", 1)
    email = re.search(r"under (\S+)\.", given).group(1)
    assert email in filled and "{{" not in filled
    assert acknowledge_given("Cancel it please", "Done.", random.Random(0)) == "Done."
