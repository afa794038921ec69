"""What vLLM accepts of an adapter (export/serving.py): its PEFTHelper's refusals, named before a user meets them."""

from __future__ import annotations

import pytest

from supportbot.export.serving import vllm_command, vllm_problems

PLAIN = {"r": 16, "lora_alpha": 16, "bias": "none", "use_dora": False, "modules_to_save": None,
         "target_modules": ["q_proj", "v_proj"]}


def test_a_plain_adapter_is_served_with_the_default_flags():
    assert vllm_problems(PLAIN) == []
    assert vllm_command("b", "/run/adapter", PLAIN) == "vllm serve b --enable-lora --lora-modules support=/run/adapter"


@pytest.mark.parametrize("rank, flag", [(8, None), (16, None), (17, "--max-lora-rank 32"), (64, "--max-lora-rank 64"),
                                        (300, "--max-lora-rank 320")])
def test_a_rank_above_16_raises_vllms_limit_to_the_next_it_allows(rank, flag):
    command = vllm_command("b", "a", {**PLAIN, "r": rank})
    assert (flag in command) if flag else "--max-lora-rank" not in command


@pytest.mark.parametrize("change, problem", [({"modules_to_save": ["lm_head"]}, "modules_to_save=['lm_head']"),
                                             ({"use_dora": True}, "DoRA"), ({"r": 1024}, "rank 1024 is above")])
def test_what_vllm_refuses_is_named_with_the_way_out(change, problem):
    problems = vllm_problems({**PLAIN, **change})
    assert len(problems) == 1 and problem in problems[0]


def test_a_bias_needs_its_flag():
    assert vllm_command("b", "a", {**PLAIN, "bias": "lora_only"}).endswith("--enable-lora-bias")
