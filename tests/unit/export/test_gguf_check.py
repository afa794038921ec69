"""The GGUF check's llama.cpp side runs in a child process: a file that makes libllama abort (a C++ exception it
does not catch, as the GPU machine's Bitext-trained SmolLM2 did) is a failed check naming the stage and the
library's last words, and the export lives on to write its report. The child's protocol and the verdict's
wording are held here; tests/e2e/test_export.py runs the real child on real GGUFs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from supportbot.export import gguf_check

# What libllama printed before the SIGABRT on the GPU machine (2026-12-03), then what the child had printed.
ABORTING_CHILD = """
import os, sys
print("gguf-check-stage: load the GGUF", flush=True)
print("gguf-check-stage: tokenize the prompt", flush=True)
sys.stderr.write("terminate called after throwing an instance of 'std::out_of_range'\\n  what():  unordered_map::at\\n")
sys.stderr.flush()
os.abort()
"""
ANSWERING_CHILD = """
import json
print("gguf-check-stage: generate the answer", flush=True)
print("gguf-check-result: " + json.dumps({"chat_template_in_metadata": True, "eos_token": "<|im_end|>",
      "prompt_ids": [1, 2, 3], "answer": "Sure.", "finish_reason": "stop"}), flush=True)
"""


def child_running(monkeypatch, code: str) -> list:
    """Make run_in_llama_cpp start `code` instead of the real child; returns the requests it was sent."""
    requests = []
    real_run = subprocess.run

    def run(command, **kwargs):
        assert command[1:] == ["-m", "supportbot.export.gguf_check"]
        requests.append(kwargs["input"])
        return real_run([sys.executable, "-c", code], **kwargs)

    monkeypatch.setattr(gguf_check.subprocess, "run", run)
    return requests


def transformers_side(**overrides) -> dict:
    """A file whose transformers-side measurements pass F16's bounds."""
    return {"chat_template": True, "tokenizer_ids_match": True, "mean_kl": 1e-6, "top1_agreement": 1.0,
            "max_abs_logit_diff": 0.01, "logit_scale": 20.0, **overrides}


def test_an_abort_in_llama_cpp_is_a_failed_check_naming_the_stage(monkeypatch, tmp_path):
    child_running(monkeypatch, ABORTING_CHILD)
    result = gguf_check.run_in_llama_cpp(tmp_path / "model-f16.gguf", {"prompt": [1, 2, 3]}, "Be helpful.")
    assert result["crashed"] == "llama.cpp ended the process with SIGABRT"
    assert result["stage"] == "tokenize the prompt"
    assert "unordered_map::at" in "\n".join(result["stderr_tail"])

    result.update(transformers_side())
    problems = gguf_check.verdict("f16", result, {"answer": "Sure.", "stopped": True})
    assert problems == ["llama.cpp ended the process with SIGABRT at the stage 'tokenize the prompt' "
                        "(what():  unordered_map::at)"]


def test_after_a_crash_the_transformers_side_is_still_judged():
    crashed = {"crashed": "llama.cpp ended the process with SIGSEGV", "stage": "load the GGUF", "stderr_tail": [],
               "chat_template_in_metadata": None}
    problems = gguf_check.verdict("f16", {**crashed, **transformers_side(mean_kl=0.5)},
                                  {"answer": "", "stopped": False})
    assert problems[0] == "llama.cpp ended the process with SIGSEGV at the stage 'load the GGUF'"
    assert problems[1].startswith("mean KL 0.5 > ")


def test_the_childs_result_is_compared_with_the_merged_models_prompt(monkeypatch, tmp_path):
    requests = child_running(monkeypatch, ANSWERING_CHILD)
    same = gguf_check.run_in_llama_cpp(tmp_path / "m.gguf", {"prompt": [1, 2, 3]}, "Be helpful.")
    other = gguf_check.run_in_llama_cpp(tmp_path / "m.gguf", {"prompt": [1, 2, 4]}, "Be helpful.")
    assert same["prompt_ids_match"] and not other["prompt_ids_match"] and "prompt_ids" not in same
    assert same["answer"] == "Sure." and same["finish_reason"] == "stop"
    assert '"system_prompt": "Be helpful."' in requests[0] and "m.gguf" in requests[0]
    assert gguf_check.verdict("f16", {**same, **transformers_side()}, {"answer": "Sure.", "stopped": True}) == []


@pytest.mark.parametrize("code, expected", [("raise SystemExit(3)", "exited with status 3 and no result"),
                                            ("print('nothing to say')", "exited with status 0 and no result")])
def test_a_child_that_ends_without_a_result_is_a_failure_too(monkeypatch, tmp_path, code, expected):
    child_running(monkeypatch, code)
    result = gguf_check.run_in_llama_cpp(tmp_path / "m.gguf", {"prompt": []}, "Be helpful.")
    assert expected in result["crashed"] and result["stage"] == "start"
