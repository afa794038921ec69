"""Load the base model with the run's adapter, then score held-out loss and generate answers.

One 4-bit base model serves both sides of the comparison: the adapter is switched off for the
base model's numbers (`disable_adapter`), so base and fine-tuned differ only by the adapter.
Chat mode streams one answer at a time (`Evaluator.stream`); the report generates in batches.
"""

from __future__ import annotations

import math
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from threading import Event, Thread
from typing import Callable

import torch
from transformers import StoppingCriteria

from supportbot.config import GenerationSettings
from supportbot.data.batches import PadBatch
from supportbot.data.tokenize import IGNORE_INDEX, tokenize_rows
from supportbot.distributed import resolve_placement
from supportbot.evaluation.answer_cache import AnswerCache, base_fingerprint, files_fingerprint
from supportbot.evaluation.runs import TrainedRun, check_adapter_base, eval_hardware
from supportbot.model.build import build_tokenizer, load_quantized
from supportbot.model.losses import chunked_loss_sum, hidden_states_head
from supportbot.model.sources import weights_source


class StopOnEvent(StoppingCriteria):
    """A generate stopping criterion: stop every row once `event` is set (Ctrl-C in chat mode)."""

    def __init__(self, event: Event):
        self.event = event

    def __call__(self, input_ids: torch.LongTensor, scores, **kwargs) -> torch.BoolTensor:
        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)


@torch.no_grad()
def answer_loss(model, columns: dict[str, list], pad_token_id: int, batch_size: int, device) -> tuple[float, int]:
    """Token-weighted cross-entropy of `model` on the labelled tokens of tokenised rows (tokenize_rows' columns:
    the answers, as training labels them), in padded batches; and how many tokens it was taken over.

    The head is applied to the labelled positions only, a chunk at a time (model/losses.py, as in training), where
    the architecture's head is a plain linear layer: a batch's full logits are rows x length x vocabulary in fp32,
    which for Llama 3.2 (128K vocabulary) at 8 rows of 1024 is ~4 GB, with as much again for the softmax: more than
    a T4 has beside the model. Other architectures take the model's own logits."""
    pad = PadBatch(pad_token_id)
    total, count = 0.0, 0
    with hidden_states_head(model) as head:
        for start in range(0, len(columns["input_ids"]), batch_size):
            batch = pad([{"input_ids": ids, "labels": labels} for ids, labels in
                         zip(columns["input_ids"][start:start + batch_size],
                             columns["labels"][start:start + batch_size], strict=True)])
            targets = batch["labels"][:, 1:].to(device)  # token t predicts token t + 1
            selected = targets != IGNORE_INDEX
            outputs = model(input_ids=batch["input_ids"].to(device),
                            attention_mask=batch["attention_mask"].to(device)).logits[:, :-1]
            if head is not None:  # hidden states: the head on the labelled positions only
                total += float(chunked_loss_sum(outputs[selected], head.weight, targets[selected]))
            else:
                total += float(torch.nn.functional.cross_entropy(
                    outputs.float().reshape(-1, outputs.shape[-1]), targets.reshape(-1),
                    ignore_index=IGNORE_INDEX, reduction="sum"))
            count += int(selected.sum())
    return total / max(1, count), count


@dataclass
class Answer:
    text: str
    tokens: int
    truncated: bool  # reached max_new_tokens without the end-of-turn token
    history: list[dict[str, str]] | None = None  # multi-turn suite cases: the whole conversation played


class Evaluator:
    tools: list[dict] | None = None  # the tool schemas a data.format=tool_calls run trained with (set in __init__)

    def __init__(self, run: TrainedRun):
        from peft import PeftModel

        cfg = run.cfg
        cache_dir = Path(cfg.cache_dir).expanduser()
        self.placement = resolve_placement(eval_hardware(run))
        self.tokenizer = build_tokenizer(cfg.model, cache_dir)
        base_path = weights_source(cfg.model, self.tokenizer, cache_dir, cfg.train.seed, self.placement.compute_dtype)
        check_adapter_base(run, base_path)
        base = load_quantized(base_path, cfg.model, self.placement,
                              attn_implementation=cfg.hardware.attn_implementation)
        self.model = PeftModel.from_pretrained(base, run.adapter)
        self.model.eval()
        # eval.reuse_answers: the base model's batches, shared by every run of this base; the fine-tuned model's,
        # in the run, also keyed by the adapter's files
        base = base_fingerprint(base_path, placement=self.placement, attn=cfg.hardware.attn_implementation,
                                chat_template=cfg.model.chat_template)
        self.answers = {False: AnswerCache(cache_dir / "base_answers", base),
                        True: AnswerCache(run.folder / "eval" / "answers",
                                          {**base, "adapter": files_fingerprint(run.adapter)})}
        self.batches: dict[bool, Counter] = {False: Counter(), True: Counter()}  # reused or generated, per side
        self.system_prompt = cfg.data.system_prompt
        self.max_seq_length = cfg.data.max_seq_length
        # A run trained with data.format=tool_calls saw every conversation with its tools: so does its loss.
        self.tools = run.split.tools
        self.device = next(self.model.parameters()).device

    def side(self, finetuned: bool):
        """Context in which the model is the fine-tuned one (adapter on) or the base (adapter off)."""
        return nullcontext() if finetuned else self.model.disable_adapter()

    @torch.no_grad()
    def heldout_loss(self, rows: list[dict[str, str]], batch_size: int, finetuned: bool) -> dict[str, float]:
        """Token-weighted loss on the answers (the same labels as training) and its perplexity."""
        columns, _, _ = tokenize_rows(rows, self.tokenizer, self.system_prompt, self.max_seq_length, self.tools)
        with self.side(finetuned):
            loss, _ = answer_loss(self.model, columns, self.tokenizer.pad_token_id, batch_size, self.device)
        return {"loss": loss, "perplexity": math.exp(min(loss, 50.0))}

    @torch.no_grad()
    def generate(self, conversations: list[list[dict[str, str]]], settings: GenerationSettings, finetuned: bool,
                 progress: str | None = None) -> list[Answer]:
        """Batched generation with left padding; greedy unless eval.do_sample."""
        from tqdm.auto import tqdm

        tokenizer = self.tokenizer
        tokenizer.padding_side = "left"  # generation continues from the right edge of every row
        answers: list[Answer] = []
        arguments = self._generation_kwargs(settings)
        # Greedy answers to the same batch from the same weights are the same in every evaluation (answer_cache.py).
        cache = self.answers[finetuned] if settings.reuse_answers and not settings.do_sample else None
        batches = range(0, len(conversations), settings.batch_size)
        for start in tqdm(batches, desc=progress, disable=progress is None, unit="batch"):
            texts = [self.prompt(messages) for messages in conversations[start:start + settings.batch_size]]
            key = cache.key(texts, arguments) if cache else None
            cached = cache.get(key) if cache else None
            self.batches[finetuned]["reused" if cached is not None else "generated"] += 1
            if cached is not None:
                answers += [Answer(**answer) for answer in cached]
                continue
            encoded = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.device)
            with self.side(finetuned):
                output = self.model.generate(**encoded, **arguments)
            batch = [self._answer(row) for row in output[:, encoded["input_ids"].shape[1]:].tolist()]
            if cache:
                cache.put(key, [{"text": a.text, "tokens": a.tokens, "truncated": a.truncated} for a in batch])
            answers += batch
        return answers

    def stream(self, conversation: list[dict[str, str]], settings: GenerationSettings,
               write: Callable[[str], None]) -> Answer:
        """The fine-tuned model's answer to one conversation, handed to `write` piece by piece as it is generated
        (chat mode). Ctrl-C (KeyboardInterrupt) stops the generation at its next token and is raised again.

        generate runs in a thread and TextIteratorStreamer hands its text over: the main thread stays free to
        take Ctrl-C, which Python raises only there."""
        from transformers import StoppingCriteriaList, TextIteratorStreamer

        text = self.prompt(conversation)
        encoded = self.tokenizer([text], return_tensors="pt", add_special_tokens=False).to(self.device)
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        stop = Event()
        result: dict = {}

        def generate() -> None:
            try:
                result["output"] = self.model.generate(**encoded, **self._generation_kwargs(settings),
                                                       streamer=streamer,
                                                       stopping_criteria=StoppingCriteriaList([StopOnEvent(stop)]))
            except BaseException as error:  # handed to the main thread, which would otherwise wait forever
                result["error"] = error
                streamer.end()

        thread = Thread(target=generate, name="chat-generate", daemon=True)
        thread.start()
        try:
            for piece in streamer:
                write(piece)
        except KeyboardInterrupt:
            stop.set()
            thread.join()  # the model is free again before the next question
            raise
        thread.join()
        if "error" in result:
            raise result["error"]
        return self._answer(result["output"][0, encoded["input_ids"].shape[1]:].tolist())

    def prompt(self, conversation: list[dict]) -> str:
        """The conversation as the model continues it: with its tools, in its tool format, if it trained with them."""
        if self.tools is not None:
            from supportbot.tools.formats import render

            return render(self.tokenizer, conversation, self.tools, add_generation_prompt=True)
        return self.tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)

    def _generation_kwargs(self, settings: GenerationSettings) -> dict:
        """Greedy unless eval.do_sample; stops at the end-of-turn token training taught."""
        sampling = dict(do_sample=True, temperature=settings.temperature, top_p=settings.top_p) \
            if settings.do_sample else dict(do_sample=False)
        return dict(max_new_tokens=settings.max_new_tokens, **sampling, eos_token_id=self.tokenizer.eos_token_id,
                    pad_token_id=self.tokenizer.pad_token_id)

    def _answer(self, row: list[int]) -> Answer:
        """An answer from its generated token ids (what follows the prompt), cut at the end-of-turn token."""
        eos = self.tokenizer.eos_token_id
        ended = eos in row
        kept = row[:row.index(eos)] if ended else row
        return Answer(self.tokenizer.decode(kept, skip_special_tokens=True).strip(), len(kept), not ended)

    def conversation(self, instruction: str, history: list[dict[str, str]] | None = None) -> list[dict[str, str]]:
        return [{"role": "system", "content": self.system_prompt}, *(history or []),
                {"role": "user", "content": instruction}]
