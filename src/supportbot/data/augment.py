"""`data.rewrite`: extra copies of the in-scope training questions, written the way customers write.

Bitext's questions are templated: short, one request, no context ("I want to cancel order {{Order
Number}}"). The out-of-scope set's are varied (chatty, long, typo-ridden, mixed). A model trained on both
learns a shortcut that fails on new questions: an unusual wording means "off topic", and it refuses real
requests (RESULTS.md, 2026-12-02: 51 of 125 in-scope held-out questions refused at out_of_scope=0.5).

Each rewritten copy keeps the row's answer and changes only the customer's words, with one or two of:

- context:  a greeting or a sentence of circumstance before the request, a closing after it;
- typos:    a few letters swapped, dropped, doubled or hit on a neighbouring key;
- casual:   all lower case, no final punctuation;
- shouting: upper case with exclamation marks;
- terse:    the request cut to its content words ("cancel order {{Order Number}}").

Placeholders (`{{Order Number}}`) are never touched, so the placeholder policy and realistic values work
on the copy as on the original. The phrases below are this project's own, generic to any support request;
none is taken from the evaluation suite. Only the training side is rewritten (after the split and the
balance), so validation keeps Bitext's own questions and nothing leaks.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from dataclasses import dataclass, field

from supportbot.data.placeholders import SLOT

REWRITES = ("context", "typos", "casual", "shouting", "terse")

_OPENERS = (
    "Hi,", "Hello,", "Hey there,", "Good morning,", "Good evening,", "Hi team,", "Hello support,",
    "Sorry to bother you, but", "Quick question:", "I hope someone can help me.", "Can you help me?",
    "I'm not sure this is the right place to ask, but", "I've been trying to sort this out all day.",
    "This is the second time I'm writing about this.", "I'm on my phone so I'll keep it short:",
    "A friend told me to ask here.", "Long story short,", "Okay so", "Hi again,", "Morning!",
    "I couldn't find this in the FAQ.", "I'm a bit confused.", "Help please!", "Excuse me,",
)
_CLOSERS = (
    "Thanks!", "Thank you.", "Thanks in advance.", "Cheers.", "Any help is appreciated.",
    "Please get back to me soon.", "It's quite urgent.", "Thanks for your help.", "Let me know.",
    "I'd appreciate a quick reply.", "Thank you so much!", "What should I do?", "Can you help?",
    "I'm getting frustrated.", "ty", "thx", "Appreciate it.", "Is that possible?",
)
# Function words dropped by `terse`; what is left carries the request.
_STOP_WORDS = frozenset(
    "a an the i i'm im my me you your could would can can't will please do does did to of for on in at "
    "with is it it's be been have has had need want wanna like know how what where when which help "
    "some any there this that just so and or but if about from get".split())
_KEYBOARD = {  # each letter's neighbours on a QWERTY keyboard, for hit-the-wrong-key typos
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc", "g": "ftyhbv",
    "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop", "m": "njk", "n": "bhjm",
    "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz", "t": "rfgy", "u": "yhji",
    "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}


@dataclass
class Rewritten:
    rows: list[dict]  # the copies only, each with `rewrite` naming what was done
    counts: Counter = field(default_factory=Counter)  # rewrite -> copies it was applied to

    def report(self) -> dict:
        return {"copies": len(self.rows), "by_rewrite": dict(sorted(self.counts.items()))}


def _rng(seed: int, *parts: object) -> random.Random:
    digest = hashlib.sha256("\x1f".join(map(str, (seed, *parts))).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _outside_slots(text: str, change) -> str:
    """`change` applied to the text between placeholders; the placeholders themselves kept as they are."""
    pieces, last = [], 0
    for match in SLOT.finditer(text):
        pieces += [change(text[last:match.start()]), match.group(0)]
        last = match.end()
    return "".join([*pieces, change(text[last:])])


def with_context(text: str, rng: random.Random) -> str:
    choice = rng.random()
    opener = rng.choice(_OPENERS) if choice < 0.75 else ""
    closer = rng.choice(_CLOSERS) if choice > 0.45 else ""
    first_word = text.split(" ", 1)[0]
    if (opener.endswith((",", ":", "but", "so")) and text[:1].isupper() and not first_word.isupper()
            and not text.startswith(("I ", "I'"))):
        # "Hi, Can you" reads wrong, "Hi, can you" does; "Hi, I want" and a shouted "Hi, CAN YOU" stay as they are
        text = text[0].lower() + text[1:]
    if closer and text and text[-1].isalnum() or closer and text.endswith("}}"):
        text += rng.choice((".", "?", ""))
    return " ".join(part for part in (opener, text, closer) if part)


def with_typos(text: str, rng: random.Random) -> str:
    slots = [match.span() for match in SLOT.finditer(text)]
    words = [(match.start(), match.end()) for match in re.finditer(r"[A-Za-z]{4,}", text)
             if not any(start <= match.start() < end for start, end in slots)]
    if not words:
        return text
    chars = list(text)
    for start, end in rng.sample(words, k=min(len(words), rng.randint(1, 3))):
        at = rng.randrange(start + 1, end - 1)  # keep the first and last letter, as most typos do
        kind = rng.choice(("swap", "drop", "double", "neighbour"))
        if kind == "swap":
            chars[at], chars[at + 1] = chars[at + 1], chars[at]
        elif kind == "drop":
            chars[at] = ""
        elif kind == "double":
            chars[at] *= 2
        elif chars[at].lower() in _KEYBOARD:
            chars[at] = rng.choice(_KEYBOARD[chars[at].lower()])
    return "".join(chars)


def casual(text: str, rng: random.Random) -> str:
    return _outside_slots(text, str.lower).rstrip(".?! ")


def shouting(text: str, rng: random.Random) -> str:
    return _outside_slots(text, str.upper).rstrip(".?! ") + rng.choice(("!!", "!!!", "?!", "!"))


def terse(text: str, rng: random.Random) -> str:
    def keep_content(part: str) -> str:
        words = [word.lower() for word in re.findall(r"[\w'-]+", part) if word.lower() not in _STOP_WORDS]
        return " ".join(words)

    short = re.sub(r"\s+", " ", _outside_slots(text, lambda part: f" {keep_content(part)} ")).strip()
    return short if len(short.split()) >= 2 else text  # a request of one word is no longer one


_APPLY = {"context": with_context, "typos": with_typos, "casual": casual, "shouting": shouting, "terse": terse}


def rewrite_questions(rows: list[dict], share: float, seed: int) -> Rewritten:
    """round(share * len(rows)) rewritten copies of `rows` (every row once before any twice), deterministic
    for (rows, share, seed). Each copy gets one rewrite, or `context` and one other."""
    wanted = round(share * len(rows))
    if wanted <= 0 or not rows:
        return Rewritten([])
    order = list(range(len(rows)))
    _rng(seed, "rewrite-order", len(rows)).shuffle(order)
    result = Rewritten([])
    for number in range(wanted):
        row = rows[order[number % len(rows)]]
        rng = _rng(seed, "rewrite", number, row["instruction"])
        kinds = [rng.choice(REWRITES)]
        if kinds[0] != "context" and rng.random() < 0.35:
            kinds = [kinds[0], "context"]  # context last: its opener and closer are not lower-cased or cut
        text = row["instruction"]
        for kind in kinds:
            text = _APPLY[kind](text, rng)
        if text == row["instruction"]:  # nothing to change (a one-word request, no long word): add context
            text, kinds = with_context(text, rng), [*kinds, "context"]
        result.counts.update(kinds)
        result.rows.append({**row, "instruction": text, "rewrite": "+".join(kinds)})
    return result
