"""Conversations -> token ids through the model's own chat template, with assistant-only labels.

A row is one exchange (`instruction`, `response`) or, where it has `turns`, a multi-turn
conversation (user and assistant messages in order, the system prompt before them).
Labels: the prompt (system + user turns and the assistant header) and padding are -100; every
assistant answer and its end-of-turn token are trained on. Templates without
`{% generation %}` markers (SmolLM2's has none) cannot report assistant tokens, so the answer is
located by character offsets in the rendered text, which works for any template that renders the
prompt as a prefix of the whole conversation (Llama 3, Qwen3, ChatML all do; we check).

Speed (the full 27K-row set in seconds): running the Jinja template twice per row costs more than
the rest, so the template is rendered once around stand-in texts and each row's text is that
rendering with the row's own texts put in place of the stand-ins. That is exact only for templates
that copy message text verbatim, so it is trusted only after checking: the stand-ins (capitals,
markup, quotes, inner whitespace) must come out once and unchanged, and a spread of real rows must
render exactly as the template renders them. Templates that trim the text (Llama 3's `| trim`)
keep the fast path for texts without surrounding whitespace, which is every cleaned row. Any other
template is rendered row by row, with a log line saying why. A template that prints today's date
(Llama 3.2's `strftime_now`) prints the same date for every row of a run either way. Multi-turn
rows are rendered row by row, each answer located after the rendering of the conversation up to it.
Labels are then computed for all rows at once on flat arrays, which Arrow takes without a copy per row.

With tools (data.format=tool_calls) every row is rendered with them, row by row, in the model's own tool
format (supportbot.tools.formats): every assistant turn is labelled, a tool call as much as an answer, and a
tool's result (the `tool` turns) never is.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import asdict, dataclass

import numpy as np

from supportbot.errors import ModelSourceError

log = logging.getLogger(__name__)

IGNORE_INDEX = -100
# Real rows compared with the template's own rendering before the fast rendering is trusted.
VERIFIED_ROWS = 64
# Stand-ins for the user's text and the answer: capitals, markup, quotes and inner whitespace, all
# of which a template that re-cases, escapes or re-spaces message text would change.
USER_STAND_IN = "Stand-in for the USER's  text:\n<b>\"1 & 2\"</b>"
ANSWER_STAND_IN = "Stand-in for the ANSWER's  text:\n<i>'3 & 4'</i>"
# Wrapped in this, the stand-ins also show whether the template trims message text.
SURROUNDING_WHITESPACE = " \n\t"


def chat_messages(system_prompt: str, instruction: str, response: str | None = None) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": system_prompt}, {"role": "user", "content": instruction}]
    if response is not None:
        messages.append({"role": "assistant", "content": response})
    return messages


def row_messages(system_prompt: str, row: dict) -> list[dict[str, str]]:
    """The row as chat messages: its `turns` where it has them (after its own system message, if the data gave
    it one), else its instruction and response."""
    if row.get("turns"):
        return [{"role": "system", "content": row.get("system") or system_prompt}, *row["turns"]]
    return chat_messages(system_prompt, row["instruction"], row["response"])


# A rendered conversation and where each assistant answer starts and ends in it.
Rendered = tuple[str, list[tuple[int, int]]]


@dataclass
class TokenStats:
    """What tokenisation did to one split (the plan wants truncation watched)."""

    rows: int = 0
    dropped_prompt_too_long: int = 0
    truncated_rows: int = 0
    response_tokens: int = 0
    response_tokens_lost: int = 0
    tokens: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def render(tokenizer, system_prompt: str, instruction: str, response: str) -> tuple[str, int, int]:
    """The conversation as text, and where the answer starts and ends in it."""
    full, spans = render_messages(tokenizer, chat_messages(system_prompt, instruction, response))
    return full, *spans[0]


def render_messages(tokenizer, messages: list[dict[str, str]]) -> Rendered:
    """The conversation as text, and where each assistant answer starts and ends in it.

    Each answer is found after the rendering of the conversation up to it with the generation prompt,
    which must be a prefix of the whole: true of Llama 3, Qwen3 and ChatML templates (checked)."""
    full = tokenizer.apply_chat_template(messages, tokenize=False)
    spans = []
    for index, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        prompt = tokenizer.apply_chat_template(messages[:index], tokenize=False, add_generation_prompt=True)
        spans.append(_locate_answer(tokenizer, full, prompt, message["content"]))
    return full, spans


def _locate_answer(tokenizer, full: str, prompt: str, response: str) -> tuple[int, int]:
    if not full.startswith(prompt):
        raise ModelSourceError(
            f"The chat template of {tokenizer.name_or_path!r} does not render the prompt as a prefix of the "
            "whole conversation, so the answer's tokens cannot be located for assistant-only labels. "
            "Set model.chat_template to a template that does (e.g. ChatML)."
        )
    start = full.find(response, len(prompt))
    if start < 0:
        raise ModelSourceError(
            f"The chat template of {tokenizer.name_or_path!r} changes the answer's text while rendering it, "
            "so its tokens cannot be located. Set model.chat_template to a template that keeps content verbatim."
        )
    return start, start + len(response)


@dataclass(frozen=True)
class ConversationLayout:
    """The template's rendering of one conversation, cut around the user's text and the answer."""

    before_user: str
    between: str  # after the user's text, up to the answer
    after_answer: str
    generation_prompt_chars: int  # how much of `between` the prompt alone ends with
    trims: bool  # the template strips the text's surrounding whitespace, so only texts without any fit

    def fits(self, instruction: str, response: str) -> bool:
        return not self.trims or (instruction == instruction.strip() and response == response.strip())

    def render(self, instruction: str, response: str) -> tuple[str, int, int]:
        """What `render` returns for this row, without running the template."""
        full = self.before_user + instruction + self.between + response + self.after_answer
        prompt_end = len(self.before_user) + len(instruction) + self.generation_prompt_chars
        start = full.find(response, prompt_end)  # as `render` finds it, so even odd answers land the same
        return full, start, start + len(response)


def conversation_layout(tokenizer, system_prompt: str,
                        rows: list[dict[str, str]]) -> tuple[ConversationLayout | None, str]:
    """The layout, if putting the rows' texts into it gives what the template renders; else None and why."""
    layout = _cut_around_stand_ins(tokenizer, system_prompt, SURROUNDING_WHITESPACE, trims=False)
    if layout is None:
        layout = _cut_around_stand_ins(tokenizer, system_prompt, "", trims=True)
    if layout is None:
        return None, ("rendered around stand-in texts, it does not show each text once and unchanged after a prompt "
                      "that starts the conversation (it transforms, repeats or moves message text)")
    for index in spread(len(rows), VERIFIED_ROWS):
        instruction, response = rows[index]["instruction"], rows[index]["response"]
        if layout.fits(instruction, response) and (
                layout.render(instruction, response) != render(tokenizer, system_prompt, instruction, response)):
            return None, (f"row {index} renders differently than its texts put into the layout "
                          "(the template changes them)")
    return layout, ""


def _cut_around_stand_ins(tokenizer, system_prompt: str, padding: str, trims: bool) -> ConversationLayout | None:
    user, answer = padding + USER_STAND_IN + padding, padding + ANSWER_STAND_IN + padding
    full = tokenizer.apply_chat_template(chat_messages(system_prompt, user, answer), tokenize=False)
    prompt = tokenizer.apply_chat_template(chat_messages(system_prompt, user), tokenize=False,
                                           add_generation_prompt=True)
    if full.count(user) != 1 or full.count(answer) != 1 or prompt.count(user) != 1:
        return None
    before_user, _, after_user = full.partition(user)
    between, answer_found, after_answer = after_user.partition(answer)
    prompt_before_user, _, generation_prompt = prompt.partition(user)
    if not answer_found or prompt_before_user != before_user or not between.startswith(generation_prompt):
        return None
    return ConversationLayout(before_user, between, after_answer, len(generation_prompt), trims)


def spread(count: int, most: int) -> list[int]:
    """Up to `most` indices spread evenly over range(count), the first and the last included."""
    if count <= most:
        return list(range(count))
    return sorted({round(step * (count - 1) / (most - 1)) for step in range(most)})


def render_rows(rows: list[dict], tokenizer, system_prompt: str, tools: list[dict] | None = None) -> list[Rendered]:
    """Every row rendered with its answers' spans: single exchanges through the template rendered once where
    that is exact, everything else (and every row of a template that fails the check) once per row. With
    `tools` (their OpenAI-style schemas), every row once per row in the template's tool format."""
    if tools is not None:
        from supportbot.tools.formats import render_conversation

        return [render_conversation(tokenizer, row_messages(system_prompt, row), tools) for row in rows]
    single = [row for row in rows if not row.get("turns")]
    layout, why_not = conversation_layout(tokenizer, system_prompt, single) if single else (None, "")
    if layout is None and single:
        log.info("data: rendering the chat template of %r once per row (slower): %s", tokenizer.name_or_path, why_not)
    from tqdm.auto import tqdm

    rendered = []
    slow = len(rows) if layout is None else len(rows) - len(single)
    for row in tqdm(rows, desc="chat template", unit="row", disable=slow < 2000):  # only where it takes a while
        if layout is not None and not row.get("turns") and layout.fits(row["instruction"], row["response"]):
            full, start, end = layout.render(row["instruction"], row["response"])
            rendered.append((full, [(start, end)]))
        else:
            rendered.append(render_messages(tokenizer, row_messages(system_prompt, row)))
    return rendered


def encode_texts(tokenizer, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token ids and (start, end) character offsets of all texts end to end, and each text's token count."""
    if not texts:
        return np.zeros(0, np.int64), np.zeros((0, 2), np.int64), np.zeros(0, np.int64)
    encoded = tokenizer(
        texts,
        add_special_tokens=False,  # the template already wrote BOS where the model wants one
        return_offsets_mapping=True,
        return_attention_mask=False,
    )
    lengths = np.fromiter(map(len, encoded["input_ids"]), dtype=np.int64, count=len(texts))
    total = int(lengths.sum())
    flatten = itertools.chain.from_iterable  # straight into numpy: no array per row, no tuple per offset pair
    ids = np.fromiter(flatten(encoded["input_ids"]), dtype=np.int64, count=total)
    offsets = np.fromiter(flatten(flatten(encoded["offset_mapping"])), dtype=np.int64, count=2 * total)
    return ids, offsets.reshape(-1, 2), lengths


@dataclass
class TokenizedRows:
    """The kept rows' tokens end to end (flat arrays, which Arrow takes as they are), and what happened."""

    input_ids: np.ndarray
    labels: np.ndarray
    lengths: np.ndarray  # tokens of each kept row
    kept: list[int]  # index of each kept row in the rows given
    stats: TokenStats

    def columns(self) -> dict[str, list]:
        """One list of ids and one of labels per kept row."""
        bounds = np.concatenate([[0], np.cumsum(self.lengths)]).tolist()
        ids, labels = self.input_ids.tolist(), self.labels.tolist()
        return {"input_ids": [ids[start:end] for start, end in itertools.pairwise(bounds)],
                "labels": [labels[start:end] for start, end in itertools.pairwise(bounds)],
                "length": self.lengths.tolist()}

    def arrow_columns(self) -> dict:
        """The same columns as Arrow arrays, typed as `datasets` types them from lists: input_ids
        list<int32> (its storage optimisation for a column of that name), labels list<int64>, length int64."""
        import pyarrow as pa

        # int32 offsets as Arrow's list type has them; pyarrow refuses (never wraps) past 2**31 tokens.
        bounds = pa.array(np.concatenate([[0], np.cumsum(self.lengths)]), type=pa.int32())
        return {"input_ids": pa.ListArray.from_arrays(bounds, pa.array(self.input_ids, type=pa.int32())),
                "labels": pa.ListArray.from_arrays(bounds, pa.array(self.labels)),
                "length": pa.array(self.lengths)}


def label_rows(ids: np.ndarray, offsets: np.ndarray, lengths: np.ndarray, answer_starts: np.ndarray,
               answer_ends: np.ndarray, max_seq_length: int) -> TokenizedRows:
    """Assistant-only labels and truncation for all rows at once, from their flat tokens and answer spans.

    answer_starts/answer_ends: (rows,) for one answer per row, or (rows, turns) for up to `turns` answers
    per row, a row with fewer padded with -1."""
    answer_starts, answer_ends = np.atleast_2d(answer_starts.T).T, np.atleast_2d(answer_ends.T).T
    row_ends = np.cumsum(lengths)
    row_starts = row_ends - lengths
    row_of_token = np.repeat(np.arange(len(lengths)), lengths)
    in_answer = np.zeros(len(ids), dtype=bool)
    for turn in range(answer_starts.shape[1]):
        starts, ends = answer_starts[:, turn], answer_ends[:, turn]
        has_turn = starts >= 0
        in_turn = (has_turn[row_of_token] & (offsets[:, 1] > starts[row_of_token])
                   & (offsets[:, 0] < ends[row_of_token]))
        turn_tokens = np.bincount(row_of_token[in_turn], minlength=len(lengths))
        if (turn_tokens[has_turn] == 0).any():
            row = int(np.flatnonzero(has_turn & (turn_tokens == 0))[0])
            raise ModelSourceError(f"Row {row}: no token of answer {turn + 1} was found after tokenising; the "
                                   "tokenizer's offsets do not match its chat template.")
        last_turn_token = np.flatnonzero(in_turn)[np.cumsum(turn_tokens[has_turn]) - 1]
        end_of_turn = last_turn_token + 1
        in_answer |= in_turn
        in_answer[end_of_turn[end_of_turn < row_ends[has_turn]]] = True  # the end-of-turn token teaches it to stop
    labels = np.where(in_answer, ids, IGNORE_INDEX)
    trained_before = np.concatenate([[0], np.cumsum(in_answer)])  # trained tokens before each position
    trained = trained_before[row_ends] - trained_before[row_starts]
    kept_lengths = np.minimum(lengths, max_seq_length)
    lost = trained_before[row_ends] - trained_before[row_starts + kept_lengths]
    too_long = lengths > max_seq_length
    dropped = too_long & (lost == trained)  # the prompt alone fills max_seq_length: nothing left to learn
    truncated = too_long & ~dropped
    keep_token = ~dropped[row_of_token] & (np.arange(len(ids)) - row_starts[row_of_token] < max_seq_length)
    stats = TokenStats(rows=len(lengths), dropped_prompt_too_long=int(dropped.sum()),
                       truncated_rows=int(truncated.sum()), response_tokens=int(trained.sum()),
                       response_tokens_lost=int(lost[truncated].sum()), tokens=int(kept_lengths[~dropped].sum()))
    return TokenizedRows(input_ids=ids[keep_token], labels=labels[keep_token], lengths=kept_lengths[~dropped],
                         kept=np.flatnonzero(~dropped).tolist(), stats=stats)


def tokenize_rows_as_arrays(rows: list[dict], tokenizer, system_prompt: str, max_seq_length: int,
                            tools: list[dict] | None = None) -> TokenizedRows:
    """Token ids and labels of each row; rows whose prompt alone fills max_seq_length are left out."""
    rendered = render_rows(rows, tokenizer, system_prompt, tools)
    ids, offsets, lengths = encode_texts(tokenizer, [text for text, _ in rendered])
    turns = max((len(spans) for _, spans in rendered), default=1)
    answer_starts = np.full((len(rendered), turns), -1, dtype=np.int64)
    answer_ends = np.full((len(rendered), turns), -1, dtype=np.int64)
    for row, (_, spans) in enumerate(rendered):
        for turn, (start, end) in enumerate(spans):
            answer_starts[row, turn], answer_ends[row, turn] = start, end
    return label_rows(ids, offsets, lengths, answer_starts, answer_ends, max_seq_length)


def tokenize_rows(rows: list[dict[str, str]], tokenizer, system_prompt: str, max_seq_length: int,
                  tools: list[dict] | None = None):
    """`tokenize_rows_as_arrays` as Python lists: returns (columns, kept_row_indices, stats)."""
    tokenized = tokenize_rows_as_arrays(rows, tokenizer, system_prompt, max_seq_length, tools)
    return tokenized.columns(), tokenized.kept, tokenized.stats
