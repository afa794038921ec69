"""tools/build_out_of_scope.py regenerates the shipped out-of-scope set byte for byte, and the shipped file keeps
the promises the training relies on: every phrasing of a question in one family, varied brief answers that
decline and steer back to support, mixed rows that ask for what the real request needs, nothing played along with."""

from __future__ import annotations

import csv
import re
import runpy
from collections import Counter, defaultdict
from importlib import resources

import pytest

from helpers import ROOT, near_held_out_prompts

SHIPPED = resources.files("supportbot.data") / "out_of_scope.csv"  # the core set (data.out_of_scope_families=core)
MORE = resources.files("supportbot.data") / "out_of_scope_more.csv"  # the families added since (=all: both)
EXTRA = resources.files("supportbot.data") / "out_of_scope_extra.csv"  # added after those (=extended: all three)
SUPPORT_WORDS = ("order", "deliver", "shipping", "refund", "return", "invoice", "payment", "account", "password",
                 "subscription", "newsletter", "package", "purchase", "customer service")


@pytest.fixture(scope="module")
def generator():
    return runpy.run_path(str(ROOT / "tools" / "build_out_of_scope.py"))


def read(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module", params=["core", "all", "extended"])
def rows(request):
    """Every rule holds for the core set alone, with the added set, and with all three files together."""
    return read(SHIPPED) + (read(MORE) if request.param != "core" else []) + (
        read(EXTRA) if request.param == "extended" else [])


def by_family(rows):
    families = defaultdict(list)
    for row in rows:
        families[row["family"]].append(row)
    return families


def test_the_generator_rebuilds_the_shipped_files_byte_for_byte(generator, tmp_path, capsys):
    generator["main"](["--output", str(tmp_path / "core.csv"), "--more-output", str(tmp_path / "more.csv"),
                       "--extra-output", str(tmp_path / "extra.csv")])
    assert (tmp_path / "core.csv").read_bytes() == SHIPPED.read_bytes()
    assert (tmp_path / "more.csv").read_bytes() == MORE.read_bytes()
    assert (tmp_path / "extra.csv").read_bytes() == EXTRA.read_bytes()
    assert f"({len(read(SHIPPED))} rows)," in capsys.readouterr().out


def test_no_phrasing_comes_near_a_held_out_prompt():
    # Until 2026-12-07 the core set held 6 of the held-out suite's off-topic prompts word for word, and near-twins of
    # 15 of its 36 (benchmarks/RESULTS.md): a measurement of redirects on new questions must not train on them.
    # The TF-IDF weights depend on the texts checked with the suites: each file is checked as it was written, and the
    # two measured files together. (With all three at once, the core's "cat joke" meets "tell me a joke" at the line.)
    for files in ((SHIPPED, MORE), (EXTRA,)):
        assert near_held_out_prompts([r["instruction"] for path in files for r in read(path)]) == []


def test_the_core_set_keeps_its_146_families(generator):
    # Families are only ever added after a topic's core ones, with their own random stream: the core rows never move.
    core = read(SHIPPED)
    assert len(core) == 795 and len({r["family"] for r in core}) == 146
    per_topic = Counter(family.rsplit("-", 1)[0] for family in {r["family"] for r in core})
    assert dict(per_topic) == generator["CORE_FAMILIES"]
    more, extra = read(MORE), read(EXTRA)
    # the added set as measured on 2026-12-07 (data.out_of_scope_families=all): 128 families, 765 rows
    assert len(more) == 765 and len({r["family"] for r in more}) == 128
    assert len({r["family"] for r in extra}) >= 100
    for one, other in ((core, more), (core, extra), (more, extra)):
        assert not {r["family"] for r in one} & {r["family"] for r in other}
        assert not {r["instruction"].lower() for r in one} & {r["instruction"].lower() for r in other}


def test_the_generator_is_not_part_of_the_installed_package():
    assert not (resources.files("supportbot.data") / "build_out_of_scope.py").is_file()


def test_columns_intent_category_and_flags(rows):
    with SHIPPED.open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == ["flags", "instruction", "category", "intent", "response", "topic", "family"]
    assert 500 <= len(rows) <= 3200
    assert {r["intent"] for r in rows} == {"out_of_scope"}
    assert {r["category"] for r in rows} == {"OUT_OF_SCOPE"}
    for row in rows:
        assert row["flags"].startswith("B") and set(row["flags"]) <= set("BCKLPQWZ"), row
    for letter in "CKLPQWZ":
        assert sum(letter in r["flags"] for r in rows) >= 10, letter


def test_topics_and_families(rows):
    required = ["weather", "small_talk", "jokes", "programming", "medical", "legal", "financial", "politics",
                "sports_trivia", "homework", "competitors", "other_languages", "system_prompt", "jailbreak",
                "discounts", "other_customers", "abuse"]
    families = by_family(rows)
    per_topic = Counter(members[0]["topic"] for members in families.values())
    assert len(per_topic) >= 16
    for name in required:
        assert per_topic[name] >= 6, name
    for family_id, members in families.items():
        assert re.fullmatch(r"[a-z_]+-\d{2}", family_id)
        assert {m["topic"] for m in members} == {family_id.rsplit("-", 1)[0]}
        assert 4 <= len(members) <= 8, family_id
    # One family is one block of rows: the same question never reappears under a second id later on.
    order = [r["family"] for r in rows]
    assert [f for i, f in enumerate(order) if i == 0 or order[i - 1] != f] == list(families)


def test_instructions_are_unique_slot_free_and_varied(rows):
    keys = [" ".join(r["instruction"].lower().split()) for r in rows]
    assert len(set(keys)) == len(keys)
    assert not any("{{" in r["instruction"] or "}}" in r["instruction"] for r in rows)
    words = [len(r["instruction"].split()) for r in rows]
    assert min(words) <= 3 and sum(w <= 3 for w in words) >= 30
    assert sum(len(re.findall(r"[.!?](?:\s|$)", r["instruction"])) >= 2 for r in rows) >= 30
    assert all(r["flags"].count("W") for r in rows if r["topic"] == "abuse")


def test_answers_are_brief_varied_and_steer_back(rows):
    answers = Counter(r["response"] for r in rows)
    assert len(answers) >= 150
    assert answers.most_common(1)[0][1] <= 0.03 * len(rows)
    for row in rows:
        answer = row["response"]
        assert len(answer) < 350, answer
        assert 1 <= len(re.split(r"(?<=[.!?])\s+", answer)) <= 3, answer
        assert any(word in answer.lower() for word in SUPPORT_WORDS), answer


@pytest.mark.parametrize("pattern", [
    r"\{\{|\}\}", r"\d", r"%", r"@", r"\b[A-Z]{2,}\b", r"[`(){}\[\]<>=]", r"(?i)\bmy instructions are\b",
    r"(?i)\bhere(?:'s| is)\b", r"(?i)\bknock\b", r"(?i)\b(?:sunny|rain|snow|degrees)\b", r"(?i)\byou should\b",
    r"(?i)\b(?:ibuprofen|paracetamol|dose)\b", r"(?i)\bpercent\b", r"(?i)\buse (?:the )?code\b",
])
def test_answers_never_play_along(rows, pattern):
    """No slot, number (order number, price, "20% off"), code word (SAVE, DAN), email, code, joke, forecast,
    advice or prompt text in any answer."""
    offenders = [r["response"] for r in rows if re.search(pattern, r["response"])]
    assert not offenders, offenders[:3]


def test_topic_specific_answers(rows):
    for row in rows:
        answer = row["response"]
        if row["topic"] == "system_prompt":
            assert "internal instructions" in answer
        if row["topic"] == "other_customers":
            assert "verif" in answer and ("only" in answer)
            for name in ("John", "Smith", "Anna", "Brown", "Maria", "Lopez", "Sam"):
                assert name not in answer
        if row["topic"] == "abuse":  # calm: no insult thrown back
            assert not re.search(r"(?i)\b(?:stupid|idiot|useless|shut up|hell)\b", answer), answer


def test_mixed_families_decline_then_ask_for_what_the_request_needs(generator, rows):
    mixed = generator["mixed_families"]()
    asks = generator["ASKS"]
    assert len(mixed) >= 15
    assert len({family_id.rsplit("-", 1)[0] for family_id in mixed}) >= 12
    families = by_family(rows)
    for family_id, ask in mixed.items():
        for row in families.get(family_id, []):  # the added set's mixed families are in `all` only
            assert any(cue in row["instruction"].lower() for cue in asks[ask]["cues"]), row["instruction"]
            assert any(row["response"].endswith(offer) for offer in asks[ask]["offers"]), row["response"]
            assert row["response"].endswith("?")
    for family_id, members in families.items():
        if family_id not in mixed:
            assert not any(r["response"].endswith(offer) for r in members for a in asks.values()
                           for offer in a["offers"]), family_id


def test_validate_rejects_what_the_file_must_never_hold(generator):
    rows = generator["build_rows"]("core") + generator["build_rows"]("more")
    generator["validate"](rows)
    leaked = [list(r) for r in rows]
    leaked[0][4] = "Sure! Use code SAVE20 for 20% off your next order."
    with pytest.raises(ValueError, match="all-capitals"):
        generator["validate"](leaked)
    duplicated = [list(r) for r in rows]
    duplicated[1][1] = duplicated[0][1].upper()
    with pytest.raises(ValueError, match="duplicate instruction"):
        generator["validate"](duplicated)
    split = [list(r) for r in rows]
    split[-1][6] = split[0][6]
    with pytest.raises(ValueError, match="not contiguous"):
        generator["validate"](split)
