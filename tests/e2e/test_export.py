"""python -m supportbot.export on a tiny fine-tuned run: the merged model equals base + adapter, and its folder,
card, Modelfile and dry-run upload are what a user gets."""

from __future__ import annotations

import sys
from pathlib import Path

import torch

from helpers import run_entrypoint


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
    assert (out / "Modelfile").read_text().count('PARAMETER stop "<|im_end|>"') == 1


def test_gguf_is_refused_until_it_is_built(tiny_run):
    result = run_entrypoint([sys.executable, "-m", "supportbot.export", f"run={tiny_run}", "format=gguf"])
    assert result.returncode == 2 and "GGUF export is not built yet" in result.log, result.log[-3000:]
    result = run_entrypoint([sys.executable, "-m", "supportbot.export", f"run={tiny_run}", "push_to_hub=true"])
    assert result.returncode == 2 and "push_to_hub=true needs the hub repository" in result.log, result.log[-3000:]
