"""`train.sample_prompts`: at every evaluation, the model's answers to a few fixed prompts, in TensorBoard.

A falling loss says the model fits the data; it does not say whether it redirects "what's the weather"
or refuses to print its system prompt. The answers to a handful of fixed prompts (in scope, out of
scope, an injection), written at each evaluation step to TensorBoard's Text tab beside the curves,
show how the behaviour changes while it trains (`samples/<n>`, one entry per step, greedy).

Only the main process generates; the unwrapped model is used, so no collective is involved and the
other ranks carry on to the next step's all-reduce, where they wait for it.
"""

from __future__ import annotations

import logging
from pathlib import Path

import torch
from transformers import TrainerCallback

from supportbot.data.tokenize import chat_messages
from supportbot.model.losses import real_head

log = logging.getLogger(__name__)


class SamplePrompts(TrainerCallback):
    def __init__(self, prompts: list[str], system_prompt: str, tokenizer, log_dir: Path, max_new_tokens: int):
        self.prompts = list(prompts)
        self.system_prompt = system_prompt
        self.tokenizer = tokenizer
        self.log_dir = Path(log_dir)
        self.max_new_tokens = max_new_tokens
        self.history: list[tuple[int, list[str]]] = []  # (step, answers): also for tests and metrics

    def answers(self, model) -> list[str]:
        tokenizer = self.tokenizer
        was_training = model.training
        model.eval()
        answers = []
        try:
            with torch.no_grad(), real_head(model):
                for prompt in self.prompts:
                    encoded = tokenizer.apply_chat_template(chat_messages(self.system_prompt, prompt),
                                                            add_generation_prompt=True, return_tensors="pt",
                                                            return_dict=True).to(next(model.parameters()).device)
                    # The KV cache is off for training (packed rows need it off); generation wants it on.
                    output = model.generate(**encoded, max_new_tokens=self.max_new_tokens, do_sample=False,
                                            use_cache=True, eos_token_id=tokenizer.eos_token_id,
                                            pad_token_id=tokenizer.pad_token_id)
                    new = output[0, encoded["input_ids"].shape[1]:]
                    answers.append(tokenizer.decode(new, skip_special_tokens=True).strip())
        finally:
            model.train(was_training)
        return answers

    def on_evaluate(self, args, state, control, model=None, **kwargs):
        if not state.is_world_process_zero or model is None or not self.prompts:
            return
        from torch.utils.tensorboard import SummaryWriter

        answers = self.answers(model)
        self.history.append((state.global_step, answers))
        writer = SummaryWriter(log_dir=str(self.log_dir))
        for number, (prompt, answer) in enumerate(zip(self.prompts, answers, strict=True)):
            # Markdown: the prompt as a quote, the answer as it came (a code block keeps its line breaks).
            writer.add_text(f"samples/{number}", f"> {prompt}\n\n```\n{answer}\n```", state.global_step)
        writer.close()
        log.info("samples at step %d: %s", state.global_step,
                 " | ".join(f"{p[:40]!r} -> {a[:60]!r}" for p, a in zip(self.prompts, answers, strict=True)))
