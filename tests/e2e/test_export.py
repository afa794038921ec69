"""python -m supportbot.export on a tiny fine-tuned run: the merged model equals base + adapter, and its folder,
card, Modelfile and dry-run upload are what a user gets."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import torch

from helpers import TINY_RUN, run_entrypoint, train_in_process


def test_merged_export_equals_base_plus_adapter(tiny_run):
    command = [sys.executable, "-m", "supportbot.export", f"run={tiny_run}", "format=merged", "dry_run=true",
               "push_to_hub=true", "repo_id=me/bot"]
    result = run_entrypoint(command)
    assert result.returncode == 0, result.log[-3000:]
    out = tiny_run / "export"
    assert "dry run: would create the model repo me/bot" in result.log and "model.safetensors" in result.log

    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from supportbot.evaluation.runs import open_run
    from supportbot.model.build import build_tokenizer
    from supportbot.model.sources import weights_source

    merged = AutoModelForCausalLM.from_pretrained(out / "merged", dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(out / "merged")
    assert tokenizer.eos_token == "<|im_end|>" and merged.generation_config.eos_token_id == tokenizer.eos_token_id
    run = open_run(tiny_run)
    cache_dir = Path(run.cfg.cache_dir).expanduser()
    base_path = weights_source(run.cfg.model, build_tokenizer(run.cfg.model, cache_dir), cache_dir,
                               run.cfg.train.seed, torch.float32)
    base = AutoModelForCausalLM.from_pretrained(base_path, dtype=torch.float32)  # fp32, not 4-bit
    unmerged = PeftModel.from_pretrained(base, run.adapter).eval()
    ids = tokenizer("where is my order?", return_tensors="pt")["input_ids"]
    with torch.no_grad():
        expected, got = unmerged(ids).logits, merged.eval()(ids).logits
    assert torch.allclose(got, expected, atol=1e-4), (got - expected).abs().max()
    with torch.no_grad(), unmerged.disable_adapter():  # the adapter changed something, so the check means something
        assert not torch.allclose(unmerged(ids).logits, expected, atol=1e-6)

    card = (out / "merged" / "README.md").read_text()
    assert "[More Information Needed]" not in card and "CDLA-Sharing-1.0" in card and "# me/bot" in card
    assert not (out / "Modelfile").exists()  # format=merged writes no GGUF, so no Modelfile naming one


def test_bad_gguf_requests_are_refused_before_loading(tiny_run):
    result = run_entrypoint([sys.executable, "-m", "supportbot.export", f"run={tiny_run}", "format=gguf",
                             "gguf.types=[f16,q3_x]"])
    assert result.returncode == 2 and "gguf.types='q3_x'" in result.log, result.log[-3000:]
    assert "f16, bf16, q8_0, q6_k, q5_k_m, q4_k_m" in result.log
    result = run_entrypoint([sys.executable, "-m", "supportbot.export", f"run={tiny_run}", "format=gguf",
                             "gguf.llama_cpp=/nonexistent/llama.cpp"])
    assert result.returncode == 2 and "make gguf" in result.log, result.log[-3000:]
    result = run_entrypoint([sys.executable, "-m", "supportbot.export", f"run={tiny_run}", "push_to_hub=true"])
    assert result.returncode == 2 and "push_to_hub=true needs the hub repository" in result.log, result.log[-3000:]


@pytest.fixture(scope="module")
def gguf_tools() -> Path:
    """The converter `make gguf` extracted, and the quantizer it built; missing, the test fails under `make test`
    (SUPPORTBOT_REQUIRE_GGUF=1, what CI runs) and is skipped elsewhere."""
    from helpers import compose_export
    from supportbot.export.gguf import CONVERTER, quantizer_available

    folder = Path(compose_export().gguf.llama_cpp)
    if not (folder / CONVERTER).is_file() or not quantizer_available():
        if os.environ.get("SUPPORTBOT_REQUIRE_GGUF"):
            pytest.fail(f"the GGUF tools are missing ({folder}, llama-cpp-python): `make gguf` installs them")
        pytest.skip("the GGUF tools are not installed: `make gguf`")
    return folder


def test_gguf_export_runs_in_transformers_and_llama_cpp(tiny_run, gguf_tools):
    command = [sys.executable, "-m", "supportbot.export", f"run={tiny_run}", "format=all",
               "gguf.types=[f16,q8_0,q4_k_m]", "dry_run=true", "push_to_hub=true", "repo_id=me/bot"]
    result = run_entrypoint(command)
    assert result.returncode == 0, result.log[-5000:]
    out = tiny_run / "export"
    folder = out / "gguf"
    names = ["model-f16.gguf", "model-q8_0.gguf", "model-q4_k_m.gguf"]
    assert sorted(p.name for p in folder.glob("*.gguf")) == sorted(names)
    assert not list(folder.glob("*.partial")) and (out / "merged" / "model.safetensors").is_file()
    assert "gguf/model-q4_k_m.gguf" in result.log  # the dry-run upload lists the GGUFs under gguf/
    modelfile = (folder / "Modelfile").read_text()
    assert "FROM ./model-q4_k_m.gguf" in modelfile.splitlines() and 'PARAMETER stop "<|im_end|>"' in modelfile

    report = json.loads((folder / "check.json").read_text())
    assert report["ok"] and not report["failures"], report["failures"]
    f16 = report["files"]["model-f16.gguf"]
    assert f16["chat_template"] and f16["prompt_ids_match"] and f16["tokenizer_ids_match"]
    assert f16["answer"] == report["merged"]["answer"] and f16["answer"]
    assert report["files"]["model-q4_k_m.gguf"]["mean_kl"] > f16["mean_kl"]  # the check sees quantization

    # The check can fail: the Q4_K_M file held to F16's bounds does.
    from supportbot.export.gguf_check import check_ggufs

    strict = check_ggufs(out / "merged", {"f16": folder / "model-q4_k_m.gguf"}, "You are a support assistant.")
    assert not strict["ok"] and any("model-q4_k_m.gguf" in failure for failure in strict["failures"])


def test_a_qwen3_run_becomes_a_gguf_that_llama_cpp_runs(tmp_path, gguf_tools):
    """Qwen3's architecture (QK-norm, its own GGUF tensor names) through the converter and llama.cpp, as a
    Qwen3-4B-Instruct-2507 run would go: the tiny run above with Qwen3's model type. head_dim 128 is Qwen3's
    (every Qwen3 size has it): transformers' GGUF reader takes it from its Qwen3 default, not the file.

    The check's greedy-answer rule is not asserted here: a random Qwen3's next-token distribution is flat
    (largest logit < 1), so F16's rounding flips greedy ties; the logits' KL is what shows the file is right."""
    from gguf import GGUFReader

    from supportbot.export.gguf_check import check_ggufs

    run = tmp_path / "qwen3"
    train_in_process(run, *TINY_RUN, "model.architecture.model_type=qwen3", "model.architecture.head_dim=128")
    result = run_entrypoint([sys.executable, "-m", "supportbot.export", f"run={run}", "format=all",
                             "gguf.types=[f16]", "gguf.check=false"])
    assert result.returncode == 0, result.log[-5000:]
    gguf_path = run / "export" / "gguf" / "model-f16.gguf"
    metadata = GGUFReader(gguf_path)
    assert metadata.get_field("general.architecture").contents() == "qwen3"
    assert metadata.get_field("tokenizer.ggml.model").contents() == "gpt2"  # SmolLM2's tokenizer, as BPE

    report = check_ggufs(run / "export" / "merged", {"f16": gguf_path}, "You are a support assistant.")
    f16 = report["files"]["model-f16.gguf"]
    assert not f16.get("crashed") and f16["chat_template"] and f16["answer"], f16
    assert f16["prompt_ids_match"] and f16["tokenizer_ids_match"]
    assert f16["mean_kl"] < 1e-4 and f16["top1_agreement"] > 0.9, f16


def test_the_trained_adapter_is_one_vllm_serves(tiny_run):
    """vLLM's LoRA loader refuses modules_to_save, DoRA and ranks above --max-lora-rank (export/serving.py): the
    adapter training writes has none of the first two, and its card's command carries the rank it needs."""
    from supportbot.export.serving import read_adapter_config, vllm_problems

    config = read_adapter_config(tiny_run / "adapter")
    assert not config.get("modules_to_save") and config["peft_type"] == "LORA", config
    assert vllm_problems(config) == []
    assert "--enable-lora --lora-modules support=path/to/adapter" in (tiny_run / "adapter" / "README.md").read_text()


def test_a_tool_run_exports_the_template_that_renders_its_tools(tmp_path, gguf_tools):
    """A data.format=tool_calls run of SmolLM2's template: the merged tokenizer and the GGUF carry a template that
    renders `tools=` as training did, the Modelfile sends them, and tools.json holds the schemas."""
    from gguf import GGUFReader
    from transformers import AutoTokenizer

    from supportbot.evaluation.runs import open_run
    from supportbot.model.build import build_tokenizer
    from supportbot.tools.formats import call_message, render, result_message
    from supportbot.tools.registry import Registry

    run_dir = tmp_path / "tools"
    train_in_process(run_dir, *TINY_RUN, "data.format=tool_calls", "data.max_seq_length=1536")
    result = run_entrypoint([sys.executable, "-m", "supportbot.export", f"run={run_dir}", "format=all",
                             "gguf.types=[f16]"])  # the check too: llama-cpp-python renders the new template
    assert result.returncode == 0, result.log[-5000:]
    out = run_dir / "export"
    run = open_run(run_dir)
    tools = Registry(run.cfg.tools).schemas()
    trained = build_tokenizer(run.cfg.model, Path(run.cfg.cache_dir).expanduser())
    merged = AutoTokenizer.from_pretrained(out / "merged")
    messages = [{"role": "system", "content": run.cfg.data.system_prompt},
                {"role": "user", "content": "where is my order 77120?"},
                call_message("track_order", {"order_number": "77120"}), result_message('{"status": "shipped"}')]
    assert merged.apply_chat_template(messages, tools=tools, tokenize=False, add_generation_prompt=True) == \
        render(trained, messages, tools, add_generation_prompt=True)
    assert GGUFReader(out / "gguf" / "model-f16.gguf").get_field("tokenizer.chat_template").contents() == \
        merged.chat_template
    assert json.loads((out / "gguf" / "check.json").read_text())["ok"]
    for folder in ("merged", "gguf"):
        assert json.loads((out / folder / "tools.json").read_text()) == tools
        assert "## Tool calls" in (out / folder / "README.md").read_text()
    modelfile = (out / "gguf" / "Modelfile").read_text()
    assert "{{ if .ToolCalls }}<tool_call>" in modelfile and json.dumps(tools[0], ensure_ascii=False) in modelfile
