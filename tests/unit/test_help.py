"""`--help` of both entrypoints: their own groups, the most-used keys described by the schema's field comments."""

from __future__ import annotations

import re
import sys

import pytest

from helpers import ROOT, run_entrypoint
from supportbot import help as cli_help
from supportbot.config import DataConfig, TrainingConfig

TRAIN_GROUPS = ("model", "data", "lora", "hardware", "train", "tools", "experiment", "hparams_search")
EVALUATE_GROUPS = ("company", "eval/prompts", "eval/tool_prompts")
# Fields the help lists that src/supportbot/config.py has no comment for yet (a comment there fills the help).
UNDOCUMENTED: set[str] = set()  # listed keys without a field comment (their help line shows the value only)


def listed_groups(text: str) -> set[str]:
    section = text.split("== Config groups", 1)[1].split("==", 2)[1]
    return {match.group(1) for match in re.finditer(r"^  ([\w/]+): ", section, re.MULTILINE)}


@pytest.mark.parametrize(("script", "own", "other"), [("train", TRAIN_GROUPS, EVALUATE_GROUPS),
                                                     ("evaluate", EVALUATE_GROUPS, TRAIN_GROUPS)])
def test_help_lists_the_scripts_own_groups_keys_and_examples(script, own, other):
    result = run_entrypoint([sys.executable, str(ROOT / f"{script}.py"), "--help"])
    assert result.returncode == 0, result.log[-2000:]
    assert listed_groups(result.stdout) == set(own), result.stdout
    assert not set(other) & listed_groups(result.stdout)
    for key in cli_help.KEYS[script]:
        assert re.search(rf"^  {re.escape(key)} +{re.escape(cli_help.describe(script, key))}", result.stdout,
                         re.MULTILINE), key
    assert result.stdout.count(f"python {script}.py") + result.stdout.count(f"launch {script}.py") >= 3
    assert 'README.md, section "Configuration"' in result.stdout
    assert "Powered by Hydra" not in result.stdout  # Hydra's generic page is replaced


def test_readme_has_the_configuration_table_the_help_points_to():
    readme = (ROOT / "README.md").read_text()
    assert "\n## Configuration\n" in readme and "| group | options | what it sets |" in readme


@pytest.mark.parametrize("script", ["train", "evaluate"])
def test_every_listed_key_is_in_the_schema_and_described_by_its_field_comment(script):
    source = (ROOT / "src" / "supportbot" / "config.py").read_text().splitlines()
    for key in cli_help.KEYS[script]:
        description = cli_help.describe(script, key)  # KeyError: the help names a key the schema lacks
        if key in UNDOCUMENTED:
            assert description == "", f"{key} has a comment now: remove it from UNDOCUMENTED"
            continue
        name = key.rsplit(".", 1)[-1]
        first = description[:20]  # the start of the first comment line
        assert any(re.match(rf"\s+{name}: .*#\s*{re.escape(first)}", line) for line in source), (key, description)


def test_unknown_keys_are_refused():
    with pytest.raises(KeyError):
        cli_help.describe("train", "lora.rank")
    with pytest.raises(KeyError):
        cli_help.describe("evaluate", "lora.r")


def test_a_comment_that_runs_on_is_one_description_and_a_leading_note_is_not():
    data = cli_help.field_comments(DataConfig)
    assert data["path"].endswith("wins over hub_id")  # two comment lines, one description
    assert "One line on purpose" not in data.get("builtin", "")  # system_prompt's note on why, not builtin's doc
    assert cli_help.field_comments(TrainingConfig)["cross_entropy"].endswith("(supportbot/model/losses.py)")
