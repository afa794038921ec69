"""Chat mode's loop (evaluation.converse), its streamed display (FilledStream) and streaming generation
(Evaluator.stream), with fakes in place of the model: what ends a chat, what only stops an answer."""

from __future__ import annotations

import io
import time

import pytest
import torch

from supportbot.config import CompanyProfile, GenerationSettings
from supportbot.evaluation import FilledStream, converse


class Replies:
    """A fake `reply`: streams its canned answers into stdout, or raises what it is given (Ctrl-C)."""

    def __init__(self, stdout, *answers):
        self.stdout, self.answers, self.calls = stdout, list(answers), []

    def __call__(self, question, history):
        self.calls.append((question, [dict(m) for m in history]))
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            self.stdout.write("half an ans")
            raise answer
        self.stdout.write(answer + "\n")
        return answer


class InterruptedInput(io.StringIO):
    """stdin that raises KeyboardInterrupt (Ctrl-C at the prompt) once its lines are used up."""

    def readline(self, *args):
        line = super().readline(*args)
        if not line:
            raise KeyboardInterrupt
        return line


def chat(stdin, *answers):
    stdout = io.StringIO()
    replies = Replies(stdout, *answers)
    converse(replies, stdin, stdout)  # returns: no exception escapes, whatever ended the chat
    return stdout.getvalue(), replies.calls


def test_an_empty_line_asks_again_and_exit_or_quit_ends():
    for word in ("exit", "quit", " QUIT "):
        out, calls = chat(io.StringIO(f"\n   \nhello\n\n{word}\nnever asked\n"), "hi there")
        assert [question for question, _ in calls] == ["hello"]
        assert out.count("you> ") == 5 and "bot> hi there" in out


def test_end_of_input_ends_the_chat():
    out, calls = chat(io.StringIO("hello\nagain"), "one", "two")
    assert [question for question, _ in calls] == ["hello", "again"] and out.endswith("you> \n")


def test_ctrl_c_while_answering_stops_that_answer_only():
    out, calls = chat(io.StringIO("first\nsecond\nthird\n"), "one", KeyboardInterrupt(), "three")
    assert "bot> half an ans [stopped]\nyou> " in out and "bot> three" in out
    # The stopped exchange stays out of the history the next question is answered with.
    assert calls[2] == ("third", [{"role": "user", "content": "first"}, {"role": "assistant", "content": "one"}])


def test_ctrl_c_at_the_prompt_ends_the_chat_quietly():
    out, calls = chat(InterruptedInput("hello\n"), "one")
    assert len(calls) == 1 and out.endswith("you> \n")


def stream(pieces, company=None, said=("where is order 77120",)):
    out = io.StringIO()
    shown = FilledStream(out, company, list(said), {"{{Order Number}}", "{{Website URL}}"})
    for piece in pieces:
        shown.write(piece)
    shown.close()
    return out.getvalue()


def test_a_slot_split_over_pieces_is_filled_once_complete():
    acme = CompanyProfile(name="Acme", values={"Website URL": "acme.example"})
    assert stream(["  Your order ", "{{Ord", "er Number}", "} ships; see {", "{Website URL}}", "."], acme) == \
        "Your order 77120 ships; see acme.example.\n"
    assert stream(["Call {{Client", " Last Name}}"]) == \
        "Call [Client Last Name]\n     (no value for: Client Last Name)\n"


def test_text_is_shown_as_it_comes_and_a_stray_brace_is_not_held_forever():
    out = io.StringIO()
    shown = FilledStream(out, None, [], set())
    shown.write("Hello ")
    assert out.getvalue() == "Hello "
    shown.write("{ not a slot " + "x" * FilledStream.HOLD_LIMIT)
    assert out.getvalue().startswith("Hello { not a slot x")


class FakeTokenizer:
    eos_token_id = pad_token_id = 2

    def apply_chat_template(self, conversation, tokenize, add_generation_prompt):
        return "prompt"

    def __call__(self, texts, return_tensors, add_special_tokens):
        from transformers import BatchEncoding

        return BatchEncoding({"input_ids": torch.tensor([[5, 6, 7]]), "attention_mask": torch.ones(1, 3)})

    def decode(self, ids, skip_special_tokens=True, **kwargs):
        return "".join(f"w{i} " for i in ids if i != self.eos_token_id)


class FakeModel:
    """generate as transformers runs it with a streamer: one token at a time until a criterion says stop."""

    def __init__(self, fail=False):
        self.fail, self.generated, self.finished = fail, 0, False

    def generate(self, input_ids, attention_mask, max_new_tokens, streamer, stopping_criteria, **kwargs):
        if self.fail:
            raise RuntimeError("out of memory")
        streamer.put(input_ids)  # the prompt, which skip_prompt drops
        ids = input_ids
        for token in range(10, 10 + max_new_tokens):
            if stopping_criteria(ids, None).all():
                break
            ids = torch.cat([ids, torch.tensor([[token]])], dim=1)
            streamer.put(torch.tensor([token]))
            self.generated += 1
            time.sleep(0.001)
        streamer.end()
        self.finished = True
        return ids


def fake_evaluator(model):
    from supportbot.evaluation.inference import Evaluator

    evaluator = Evaluator.__new__(Evaluator)  # no run, no weights: the streaming logic alone
    evaluator.tokenizer, evaluator.model, evaluator.device = FakeTokenizer(), model, "cpu"
    return evaluator


def test_stream_writes_pieces_as_they_come_and_returns_the_answer():
    pieces = []
    answer = fake_evaluator(FakeModel()).stream([], GenerationSettings(max_new_tokens=4), pieces.append)
    assert "".join(pieces) == "w10 w11 w12 w13 " and len(pieces) >= 2
    assert answer.text == "w10 w11 w12 w13" and answer.tokens == 4 and answer.truncated


def test_ctrl_c_while_streaming_stops_the_generation_before_it_is_raised():
    model = FakeModel()

    def write(piece):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fake_evaluator(model).stream([], GenerationSettings(max_new_tokens=5000), write)
    assert model.finished and model.generated < 5000, "the generation thread must stop, not run on"


def test_a_failed_generation_is_raised_not_waited_for():
    with pytest.raises(RuntimeError, match="out of memory"):
        fake_evaluator(FakeModel(fail=True)).stream([], GenerationSettings(), lambda piece: None)
