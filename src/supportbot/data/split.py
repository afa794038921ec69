"""Train/validation split: stratified by intent, grouped by family, deterministic, hashed.

Stratified: every intent is in both splits, so validation loss speaks for all 27. Rows of a file without
intents (intent "" on every row, supportbot.data.rows) are one stratum and keep the method they asked for:
family still works across all rows (on the 5,756-row sample with intents blanked: 0 near-twins left against
question's 213, in about a second), so there is nothing to fall back from.
Grouped: a row split would put the same question on both sides and flatter the validation loss, so
related rows always land on the same side. Two ways of grouping, `method=`:

- question: identical instructions (case and spacing aside) form a group. 2,237 rows of the full
  Bitext file repeat an earlier instruction word for word; this keeps each on one side.
- family (the default): near-duplicates form a group. Bitext writes each question many times
  with a typo, a slot, "wanna" for "want to" or "!!" at the end ("i want to cancel my order",
  "I want to cancel my order!!", "i wanna cancel my order"). Split by question, one spelling lands
  in train and its twin in validation, and a model that memorised the training rows scores well on
  validation without having learnt to answer a question it has not seen: the loss measures recall,
  not generalisation. Within each intent, instructions are normalised (lowercase, `{{...}}` slots
  to one token, numbers to one digit, punctuation and extra spaces gone, "wanna"-style spellings
  written out) and two rows are linked when the cosine similarity of their character 3-5-gram
  TF-IDF vectors (weights learnt on the intent's rows) is >= `similarity`, or their normalised
  text is identical, or they carry the same non-empty `family` value (the project's out-of-scope
  rows do; families are found per intent, so the value links rows of one intent). A family is a
  connected component of those links and goes wholly to one side, so no validation row has a
  training row that close: those numbers are the honest ones. `near_twins` counts what each method
  leaves behind, for data_report.json (on the 5,756-row sample at 0.8: question 201, family 0).
  The threshold is the definition of "near": pairs just under it ("help cancelling purchase" and
  "help me canceling purchase", 0.71) can still straddle the split.

Within an intent, families are shuffled (seeded) and taken for validation while they fit in the
intent's share; a family larger than the share stays in train unless nothing smaller exists (then
the smallest one goes), and train keeps at least one family. Links chain (a~b, b~c), so an intent's
commonest wording can grow into a family of half its rows (check_cancellation_fee in the sample): it
is always trained on, and validation leans to the rarer wordings (52% of the sample's validation rows
are families of one, against 31% of all rows). An intent that is one family is split by question
instead (a warning says so), since it must be in both splits.
The hash names exactly which rows are in which split; evaluate.py refuses a mismatch.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from supportbot.data.placeholders import SLOT
from supportbot.errors import DataError

log = logging.getLogger(__name__)

METHODS = ("question", "family")
# Entries of one dense block of similarities (float32, 16 MB): bounds memory on one huge intent; Bitext's
# ~1,000 rows per intent are one block.
_SIMILARITY_ENTRIES = 4_000_000
_APOSTROPHES = re.compile(r"['’]")  # "don't" and Bitext's "dont" are one word
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_DIGITS = re.compile(r"\d+")
# Bitext's colloquial spellings ("could ya help me", "i wanna cancel"): one short word against two makes a pair
# look less alike than a typo does.
_COLLOQUIAL = {"wanna": "want to", "gonna": "going to", "gotta": "got to", "ya": "you", "u": "you", "ur": "your",
               "pls": "please", "plz": "please"}


@dataclass
class Split:
    train: list[dict[str, str]]
    validation: list[dict[str, str]]
    hash: str


def split_rows(rows: list[dict[str, str]], val_fraction: float, seed: int, method: str = "family",
               similarity: float = 0.8) -> Split:
    if method not in METHODS:
        raise ValueError(f"split method {method!r}: use one of {', '.join(METHODS)}")
    by_intent = _by_intent(rows)
    singletons = sorted(intent for intent, group in by_intent.items() if len(group) < 2)
    if singletons:
        raise DataError(
            f"Intent(s) {singletons} have a single row, so they cannot be in both the train and the validation "
            "split. Add rows for them, or leave them out with data.intents=[...] listing the others."
        )
    train, validation = [], []
    for intent in sorted(by_intent):
        rng = random.Random(f"{seed}:{intent}")
        if method == "question":
            intent_train, intent_val = _split_intent(by_intent[intent], val_fraction, rng)
        else:
            intent_train, intent_val = _split_families(by_intent[intent], val_fraction, rng, similarity, intent)
        train += intent_train
        validation += intent_val
    return Split(train=train, validation=validation, hash=split_hash(train, validation))


def _by_intent(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    by_intent: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_intent[row["intent"]].append(row)
    return by_intent


def _split_intent(group: list[dict[str, str]], val_fraction: float, rng: random.Random):
    by_question: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in group:
        by_question[" ".join(row["instruction"].lower().split())].append(row)
    questions = sorted(by_question)
    rng.shuffle(questions)
    target = max(1, round(len(group) * val_fraction))
    if len(questions) < 2:
        # One question asked many ways is still one question: split its rows, there is no other choice.
        rows = group[:]
        rng.shuffle(rows)
        return rows[target:], rows[:target]
    validation: list[dict[str, str]] = []
    taken = 0
    while len(validation) < target and taken < len(questions) - 1:  # leave train at least one question
        validation += by_question[questions[taken]]
        taken += 1
    train = [row for question in questions[taken:] for row in by_question[question]]
    return train, validation


def _split_families(group: list[dict[str, str]], val_fraction: float, rng: random.Random, similarity: float,
                    intent: str):
    # Sorted first, so the families and their order depend on which rows there are, not on file order.
    group = sorted(group, key=_row_key)
    members: dict[int, list[dict[str, str]]] = defaultdict(list)
    for row, label in zip(group, family_labels(group, similarity), strict=True):
        members[int(label)].append(row)
    families = list(members.values())  # in the order of their first row, so fixed before the shuffle
    if len(families) < 2:
        log.warning("data: all %d rows of intent %s are one family at similarity %.2f; split by question instead, "
                    "so validation holds near-twins of training rows", len(group), intent, similarity)
        return _split_intent(group, val_fraction, rng)
    rng.shuffle(families)
    target = max(1, round(len(group) * val_fraction))
    chosen, taken = set(), 0
    for index, family in enumerate(families):
        if taken >= target or len(chosen) == len(families) - 1:  # leave train at least one family
            break
        if taken + len(family) <= target:
            chosen.add(index)
            taken += len(family)
    if not chosen:  # every family is larger than the share: the smallest, so the intent is still validated
        chosen.add(min(range(len(families)), key=lambda index: len(families[index])))
    train = [row for index, family in enumerate(families) if index not in chosen for row in family]
    validation = [row for index, family in enumerate(families) if index in chosen for row in family]
    return train, validation


def _row_key(row: dict[str, str]) -> tuple[str, str]:
    return row["instruction"], row["response"]


def normalise(instruction: str) -> str:
    """The instruction as the family split compares it: lowercase, slots as one token, numbers as one digit,
    no punctuation, colloquial spellings written out."""
    text = _DIGITS.sub("0", SLOT.sub(" slot ", instruction.lower()))  # "order 12" ~ "order 7": a filled-in slot
    text = _PUNCTUATION.sub(" ", _APOSTROPHES.sub("", text))
    return " ".join(_COLLOQUIAL.get(word, word) for word in text.split())


def family_labels(rows: list[dict[str, str]], similarity: float) -> np.ndarray:
    """Family of each row (0..k-1): connected components of the links between rows whose instructions are
    identical once normalised or similar (cosine >= `similarity`), or that share a non-empty `family` value.
    Compare rows of one intent: the n-gram weights are learnt from `rows`."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    # One node per distinct normalised text (identical text is linked by construction, and each is compared once).
    texts, node = np.unique(np.array([normalise(row["instruction"]) for row in rows], dtype=object),
                           return_inverse=True)
    sources, targets = [], []
    for start, rows_, columns in _similar_pairs(_tfidf(list(texts)), slice(None), slice(None), similarity):
        sources.append(rows_)
        targets.append(columns + start)
    first: dict[str, int] = {}
    for index, row in enumerate(rows):
        if row.get("family"):  # rows without one (all of Bitext's) are linked by their words alone
            sources.append(node[[index]])
            targets.append(node[[first.setdefault(row["family"], index)]])
    sources, targets = np.concatenate(sources or [[]]), np.concatenate(targets or [[]])
    links = coo_matrix((np.ones(len(sources), dtype=np.int8), (sources, targets)), shape=(len(texts), len(texts)))
    _, labels = connected_components(links, directed=False)
    return labels[node]


def _word_ngrams(word: str) -> list[str]:
    # sklearn's analyzer="char_wb", ngram_range=(3, 5): 3- to 5-grams of the word padded with a space each side;
    # a padded word no longer than n is one n-gram, itself, and the last.
    padded = f" {word} "
    grams = []
    for n in range(3, 6):
        if len(padded) <= n:
            grams.append(padded)
            break
        grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return grams


def _tfidf(texts: list[str]):
    """L2-normalised character 3-5-gram TF-IDF rows (float32 CSR), the values of sklearn's
    TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)) at a fifth of its time: n-grams are made once per
    distinct word. Columns are in n-gram order and sorted in each row, so a row's values and its dot products
    do not depend on which other texts are present in which order: a similarity right at the threshold comes
    out the same in the split and in `near_twins`."""
    from scipy.sparse import csr_matrix

    ids: dict[str, int] = {}
    by_word: dict[str, list[int]] = {}
    row_ids: list[list[int]] = []
    for text in texts:
        grams: list[int] = []
        for word in text.split():
            if word not in by_word:
                by_word[word] = [ids.setdefault(gram, len(ids)) for gram in _word_ngrams(word)]
            grams += by_word[word]
        row_ids.append(grams)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[[ids[gram] for gram in sorted(ids)]] = np.arange(len(ids))
    indptr = np.concatenate([[0], np.cumsum([len(grams) for grams in row_ids])]).astype(np.int64)
    flat = np.fromiter((i for grams in row_ids for i in grams), dtype=np.int64, count=int(indptr[-1]))
    counts = csr_matrix((np.ones(len(flat)), rank[flat], indptr), shape=(len(texts), max(1, len(ids))))
    counts.sum_duplicates()  # term counts, columns sorted
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    counts.data *= (np.log((1 + len(texts)) / (1 + document_frequency)) + 1)[counts.indices]  # smooth idf
    squares = csr_matrix((counts.data ** 2, counts.indices, counts.indptr), shape=counts.shape)
    norms = np.sqrt(squares @ np.ones(counts.shape[1]))
    norms[norms == 0] = 1  # a text with no n-grams (only punctuation) stays a zero row: similar to nothing
    counts.data /= np.repeat(norms, np.diff(counts.indptr))
    return counts.astype(np.float32)


def _similar_pairs(vectors, left: slice, right: slice, similarity: float):
    """(first column, rows, columns - first column) of the pairs of `vectors[left]` x `vectors[right]` with
    cosine >= similarity, in column chunks: the product of short texts' n-gram vectors is nearly dense, so it is
    computed dense
    (sparse rows x dense columns), a chunk of columns at a time to bound memory on one huge intent."""
    left_rows, right_rows = vectors[left], vectors[right]
    step = max(1, _SIMILARITY_ENTRIES // max(left_rows.shape[0], vectors.shape[1], 1))
    for start in range(0, right_rows.shape[0], step):
        block = left_rows @ right_rows[start:start + step].T.toarray(order="C")
        rows, columns = np.nonzero(block >= similarity)
        yield start, rows, columns


def near_twins(train: list[dict[str, str]], validation: list[dict[str, str]], similarity: float = 0.8) -> int:
    """How many validation rows have a near-twin in train: same intent, and an instruction identical once
    normalised or with cosine >= `similarity` (the family split's measure, learnt on the intent's rows of both)."""
    train_by_intent = _by_intent(train)
    count = 0
    for intent, val_rows in _by_intent(validation).items():
        train_texts = {normalise(row["instruction"]) for row in train_by_intent.get(intent, [])}
        if not train_texts:
            continue
        val_texts = [normalise(row["instruction"]) for row in val_rows]
        # The distinct texts of both sides, sorted, as `family_labels` sees the intent's rows: the same weights.
        texts = sorted(train_texts | set(val_texts))
        is_train = np.array([text in train_texts for text in texts])
        order = np.argsort(~is_train, kind="stable")  # train texts first, then validation-only ones
        vectors = _tfidf(texts)[order]
        n_train = int(is_train.sum())
        twin_texts = set(train_texts)
        for _, rows, _ in _similar_pairs(vectors, slice(n_train, None), slice(None, n_train), similarity):
            twin_texts.update(texts[order[n_train + row]] for row in np.unique(rows))
        count += sum(text in twin_texts for text in val_texts)
    return count


def near_twins_by_method(rows: list[dict[str, str]], val_fraction: float, seed: int, similarity: float = 0.8,
                         made: dict[str, Split] | None = None) -> dict[str, int]:
    """Validation rows with a near-twin in train under each split method, e.g. {"question": 37, "family": 0}.
    made: splits of `rows` the caller already has, by method (not made again)."""
    twins = {}
    for method in METHODS:
        split = (made or {}).get(method) or split_rows(rows, val_fraction, seed, method=method, similarity=similarity)
        twins[method] = near_twins(split.train, split.validation, similarity)
    return twins


def split_hash(train: list[dict[str, str]], validation: list[dict[str, str]]) -> str:
    """Order-independent fingerprint of which (instruction, response) pairs are in each split."""
    digest = hashlib.sha256()
    for name, rows in (("train", train), ("validation", validation)):
        digest.update(name.encode())
        for key in sorted(row["instruction"] + "\x1f" + row["response"] for row in rows):
            digest.update(key.encode())
            digest.update(b"\x1e")
    return digest.hexdigest()[:16]
