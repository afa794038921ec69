"""eval.reuse_answers: a batch is generated once and read back by the next evaluation, exactly; the base model's from
a folder every run of that base shares, the fine-tuned model's from its run; sampling, and any change of prompt,
argument or weights, are generated."""

from __future__ import annotations

from collections import Counter
from contextlib import nullcontext

import torch

from supportbot.config import GenerationSettings
from supportbot.evaluation.answer_cache import AnswerCache, base_fingerprint


class FakeTokenizer:
    eos_token_id = pad_token_id = 0
    padding_side = "right"

    def apply_chat_template(self, conversation, tokenize, add_generation_prompt):
        return "|".join(turn["content"] for turn in conversation)

    def __call__(self, texts, return_tensors, padding, add_special_tokens):
        ids = torch.tensor([[len(text) % 50 + 1] * 3 for text in texts])

        class Encoded(dict):
            def to(self, device):
                return self

        return Encoded(input_ids=ids)

    def decode(self, ids, skip_special_tokens):
        return " ".join(f"w{token}" for token in ids)


class FakeModel:
    """Answers each row with its first prompt token, then 7 (+1 for the fine-tuned side), then the end token."""

    def __init__(self):
        self.calls = {"base": 0, "finetuned": 0}
        self.adapter_on = True

    def disable_adapter(self):
        model = self

        class Off:
            def __enter__(self):
                model.adapter_on = False

            def __exit__(self, *exc):
                model.adapter_on = True

        return Off()

    def generate(self, input_ids, **kwargs):
        self.calls["finetuned" if self.adapter_on else "base"] += 1
        answer = torch.tensor([[row[0], 7 + self.adapter_on, 0] for row in input_ids.tolist()])
        return torch.cat([input_ids, answer], dim=1)


def fake_evaluator(folder, fingerprint=None, adapter="adapter-1"):
    from supportbot.evaluation.inference import Evaluator

    evaluator = Evaluator.__new__(Evaluator)  # no run, no weights: generate's batching and caching alone
    evaluator.tokenizer, evaluator.model, evaluator.device = FakeTokenizer(), FakeModel(), "cpu"
    evaluator.system_prompt = "You are support."
    evaluator.side = lambda finetuned: nullcontext() if finetuned else evaluator.model.disable_adapter()
    base = fingerprint or {"base": "/models/a"}
    evaluator.answers = {False: AnswerCache(folder / "base", base),
                         True: AnswerCache(folder / "run", {**base, "adapter": adapter})}
    evaluator.batches = {False: Counter(), True: Counter()}
    return evaluator


def conversations(*questions):
    return [[{"role": "system", "content": "You are support."}, {"role": "user", "content": q}] for q in questions]


def test_the_next_evaluation_reads_the_answers_back(tmp_path):
    settings = GenerationSettings(batch_size=2)
    asked = conversations("Where is my order?", "Cancel it", "Refund please")
    first = fake_evaluator(tmp_path)
    base = first.generate(asked, settings, finetuned=False)
    tuned = first.generate(asked, settings, finetuned=True)
    assert first.model.calls == {"base": 2, "finetuned": 2}
    assert first.batches == {False: {"generated": 2}, True: {"generated": 2}}

    second = fake_evaluator(tmp_path)  # the same run evaluated again, or stopped and started again
    assert [vars(a) for a in second.generate(asked, settings, finetuned=False)] == [vars(a) for a in base]
    assert [vars(a) for a in second.generate(asked, settings, finetuned=True)] == [vars(a) for a in tuned]
    assert second.model.calls == {"base": 0, "finetuned": 0}
    assert second.batches == {False: {"reused": 2}, True: {"reused": 2}}
    assert base[0].text.endswith("w7") and tuned[0].text.endswith("w8")  # each side's own answers


def test_another_adapter_of_the_same_base_reuses_only_the_base_answers(tmp_path):
    settings = GenerationSettings(batch_size=2)
    asked = conversations("Where is my order?", "Cancel it")
    first = fake_evaluator(tmp_path)
    first.generate(asked, settings, finetuned=False)
    first.generate(asked, settings, finetuned=True)
    other = fake_evaluator(tmp_path, adapter="adapter-2")  # a new run (variant, seed) of the same base
    other.generate(asked, settings, finetuned=False)
    other.generate(asked, settings, finetuned=True)
    assert other.model.calls == {"base": 0, "finetuned": 1}


def test_a_changed_prompt_argument_or_base_is_generated(tmp_path):
    settings = GenerationSettings(batch_size=2)
    asked = conversations("Where is my order?", "Cancel it")
    fake_evaluator(tmp_path).generate(asked, settings, finetuned=False)
    for evaluator, questions, changed in [
        (fake_evaluator(tmp_path), conversations("Where is my order?", "Cancel it now"), settings),
        (fake_evaluator(tmp_path), asked, GenerationSettings(batch_size=2, max_new_tokens=32)),
        (fake_evaluator(tmp_path, {"base": "/models/b"}), asked, settings),
    ]:
        evaluator.generate(questions, changed, finetuned=False)
        assert evaluator.model.calls["base"] == 1 and evaluator.batches[False] == {"generated": 1}


def test_sampling_and_the_switch_off_are_never_cached(tmp_path):
    asked = conversations("Where is my order?")
    for settings in (GenerationSettings(do_sample=True), GenerationSettings(reuse_answers=False)):
        for _ in range(2):
            evaluator = fake_evaluator(tmp_path)
            evaluator.generate(asked, settings, finetuned=False)
            evaluator.generate(asked, settings, finetuned=True)
            assert evaluator.model.calls == {"base": 1, "finetuned": 1}
    assert not any(tmp_path.rglob("*.json"))


def test_an_unreadable_entry_is_generated_again_and_replaced(tmp_path):
    settings = GenerationSettings()
    asked = conversations("Where is my order?")
    fake_evaluator(tmp_path).generate(asked, settings, finetuned=False)
    (entry,) = tmp_path.rglob("*.json")
    entry.write_text("{truncated")
    evaluator = fake_evaluator(tmp_path)
    evaluator.generate(asked, settings, finetuned=False)
    assert evaluator.model.calls["base"] == 1 and entry.read_text().startswith("[")


def test_the_fingerprint_follows_the_weight_files(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"1234")
    before = base_fingerprint(str(tmp_path), dtype="bf16")
    assert before == base_fingerprint(str(tmp_path), dtype="bf16")
    assert before != base_fingerprint(str(tmp_path), dtype="fp16")
    (tmp_path / "model.safetensors").write_bytes(b"12345")
    assert base_fingerprint(str(tmp_path), dtype="bf16") != before
