"""`data.rewrite`: extra copies of the in-scope training questions, written the way customers write.

Bitext's questions are templated: short, one request, no context ("I want to cancel order {{Order
Number}}"). The out-of-scope set's are varied (chatty, long, typo-ridden, mixed). A model trained on both
learns a shortcut that fails on new questions: an unusual wording means "off topic", and it refuses real
requests (RESULTS.md, 2026-12-02: 51 of 125 in-scope held-out questions refused at out_of_scope=0.5).

Each rewritten copy changes the customer's words, with one or two of:

- context:  a greeting or a sentence of circumstance before the request, a closing after it;
- typos:    a few letters swapped, dropped, doubled or hit on a neighbouring key;
- casual:   all lower case, no final punctuation;
- shouting: upper case with exclamation marks;
- terse:    the request cut to its content words ("cancel order {{Order Number}}");
- details:  the customer gives a value of their own ("My invoice number is {{Invoice Number}}.").

The first five keep the row's answer. `details` exists because a model trained on Bitext alone drops what the
customer wrote (RESULTS.md, 2026-12-03: 41% of the suite's e-mails, cities, amounts and numbers kept): a third
of Bitext's answers name a customer value ("your invoice {{Invoice Number}}") that the question never gave, and
no question carries an e-mail or a city. So where the answer names such values, the copy's question now gives
them (the answer stays as it is); elsewhere a value that fits the request's words (an order number for an
order, an e-mail for an account, a city for a delivery, an amount for a payment) is added to the question and
the answer opens by acknowledging it. The realistic policy fills question and answer with one value, so the
model learns to carry the customer's value rather than a template. Every row whose answer names an untold
value gets `details` on its copy.

Placeholders already in the question (`{{Order Number}}`) are never touched, so the placeholder policy and
realistic values work on the copy as on the original. The phrases below are this project's own, generic to
any support request; none is taken from the evaluation suite. Only the training side is rewritten (after the
split and the balance), so validation keeps Bitext's own questions and nothing leaks.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from dataclasses import dataclass, field

from supportbot.data.placeholders import SLOT
from supportbot.data.values import slot_kind, slot_role

REWRITES = ("context", "typos", "casual", "shouting", "terse", "details")

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

# How a customer gives a value of each kind ({slot}: its placeholder); kinds without a line use _GIVE_ANY.
_GIVE = {
    "order_number": ("My order number is {slot}.", "It's order {slot}.", "Order number: {slot}.",
                     "This is about order {slot}.", "(order {slot})"),
    "invoice_number": ("My invoice number is {slot}.", "It's invoice {slot}.", "Invoice number: {slot}.",
                       "This is about invoice {slot}.", "(invoice {slot})"),
    "tracking_number": ("The tracking number is {slot}.", "Tracking number: {slot}.", "It's tracking {slot}."),
    "email": ("My email is {slot}.", "The account email is {slot}.", "You can reach me at {slot}.",
              "Email: {slot}.", "I'm registered as {slot}."),
    "city": ("I'm in {slot}.", "I live in {slot}.", "It would go to {slot}.", "Delivery city: {slot}."),
    "amount": ("It was {slot}.", "The amount is {slot}.", "That's {slot}.", "We're talking about {slot}."),
    "date_range": ("It's for {slot}.", "The period is {slot}."),
    "full_name": ("My name is {slot}.", "This is {slot}.", "{slot} here."),
    "person_name": ("My name is {slot}.", "This is {slot}.", "{slot} here."),
    "first_name": ("My name is {slot}.", "{slot} here."),
}
_GIVE_ANY = ("My {name} is {slot}.", "{Name}: {slot}.")
_GIVE_NAME = ("This is {salutation} {last_name}.", "{salutation} {last_name} here.",
              "My name is {salutation} {last_name}.")
# The value added where the answer names none, by the first word of the request that asks for it (checked in
# this order: "invoice for my order" is about the invoice): (words, slot, how the answer names it).
_ADDED = (
    (("invoice", "bill", "receipt"), "{{Invoice Number}}", "your invoice number"),
    (("order", "purchase", "package", "parcel", "refund", "cancel", "return"), "{{Order Number}}", "your order number"),
    (("account", "password", "sign", "register", "registration", "profile", "newsletter", "email", "login",
      "log"), "{{Email Address}}", "your email address"),
    (("deliver", "delivery", "ship", "shipping", "address"), "{{Delivery City}}", "the city"),
    (("charge", "charged", "payment", "pay", "paid", "money", "fee"), "{{Money Amount}}", "the amount"),
)
_ACKNOWLEDGE = ("Thank you for giving {what}, {slot}.", "Thanks, I have {what} as {slot}.",
                "I've noted {what}: {slot}.", "Thanks for including {what} ({slot}).", "Got it, {what} is {slot}.")


# How an answer names a value the customer gave, by kind (acknowledge_given); kinds without a line use their name.
_NAMED = {"order_number": "your order number", "invoice_number": "your invoice number",
          "tracking_number": "the tracking number", "email": "your email address", "phone": "your phone number",
          "person_name": "your name", "full_name": "your name", "first_name": "your name", "city": "the city",
          "country": "the country", "address": "the address", "amount": "the amount", "account_type": "your plan",
          "date": "the date"}

_LITERAL_NUMBER = re.compile(r"\d{4,}")


def acknowledge_given(question: str, answer: str, rng: random.Random) -> str:
    """The answer, opening with an acknowledgement of each customer value the question gives and the answer does
    not use ("Thanks, I have your email address as {{Email Address}}."): what the customer wrote is carried, as a
    support agent would, rather than dropped."""
    used = set(SLOT.findall(answer))
    unused = [slot for slot in dict.fromkeys(SLOT.findall(question))
              if slot not in used and slot_role(slot) == "customer" and slot_kind(slot) != "currency_symbol"]
    opening = [rng.choice(_ACKNOWLEDGE).format(what=_NAMED.get(slot_kind(slot), slot[2:-2].lower()), slot=slot)
               for slot in unused]
    return " ".join([*opening, answer])


def untold_values(row: dict) -> list[str]:
    """The customer slots of the answer that the question does not give, in the answer's order."""
    told = set(SLOT.findall(row["instruction"]))
    untold = [slot for slot in SLOT.findall(row["response"]) if slot not in told and slot_role(slot) == "customer"]
    return list(dict.fromkeys(untold))


def _added_value(question: str) -> tuple[str, str] | None:
    """The value to add to a question whose answer names none: the first of _ADDED its words ask for, unless the
    question gives a value of that kind already ("cancel order {{Order Number}}")."""
    words = set(re.findall(r"[a-z]+", question.lower()))
    given = {slot_kind(slot) for slot in SLOT.findall(question)}
    return next(((slot, what) for cues, slot, what in _ADDED if words & set(cues) and slot_kind(slot) not in given),
                None)


def with_details(row: dict, text: str, rng: random.Random) -> tuple[str, str] | None:
    """(question, answer) with the customer giving a value (module docstring), or None when the request asks for
    none that this knows."""
    untold, answer = untold_values(row), row["response"]
    if untold and _LITERAL_NUMBER.search(text):
        # "cancel purchase732201349959": Bitext wrote the number itself; a second one would contradict it
        untold = [slot for slot in untold if not slot_kind(slot).endswith("_number")]
        if not untold:
            return None
    elif not untold:
        added = _added_value(text)
        if added is None:
            return None
        slot, what = added
        untold = [slot]
        answer = f"{rng.choice(_ACKNOWLEDGE).format(what=what, slot=slot)} {answer}"
    kinds = {slot: slot_kind(slot) for slot in untold}
    if "last_name" not in kinds.values():  # "My salutation is Ms." is no way to give one
        kinds = {slot: kind for slot, kind in kinds.items() if kind != "salutation"}
        if not kinds:
            return None
    phrases = []
    salutation = next((slot for slot, kind in kinds.items() if kind == "salutation"), None)
    last_name = next((slot for slot, kind in kinds.items() if kind == "last_name"), None)
    if salutation and last_name:  # "Hello {{Salutation}} {{Client Last Name}}": one phrase gives both
        phrases.append(rng.choice(_GIVE_NAME).format(salutation=salutation, last_name=last_name))
        kinds = {slot: kind for slot, kind in kinds.items() if slot not in (salutation, last_name)}
    for slot, kind in kinds.items():
        if kind in _GIVE:
            phrases.append(rng.choice(_GIVE[kind]).format(slot=slot))
        else:
            name = slot[2:-2].strip().lower()
            phrases.append(rng.choice(_GIVE_ANY).format(name=name, Name=name.capitalize(), slot=slot))
    given = " ".join(phrases)
    if given.startswith("(") or rng.random() < 0.6:
        question = f"{text.rstrip()}{'' if text.rstrip()[-1:] in '.?!' else '.'} {given}".replace(". (", " (")
    else:
        question = f"{given} {text}"
    return question, answer


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
        style = rng.choice(REWRITES)
        # An answer that names a value the question never gave always gets it given (module docstring).
        kinds = [style] if style == "details" or not untold_values(row) else [style, "details"]
        if "context" not in kinds and rng.random() < 0.35:
            kinds.append("context")
        # style, then details, then context: the given value and the opener are not lower-cased, cut or typo'd
        kinds.sort(key=lambda kind: ("details", "context").index(kind) + 1 if kind in ("details", "context") else 0)
        text, answer, done = row["instruction"], row["response"], []
        for kind in kinds:
            if kind == "details":
                detailed = with_details(row, text, rng)
                if detailed is None:  # the request asks for no value this knows: another style
                    continue
                text, answer = detailed
            else:
                text = _APPLY[kind](text, rng)
            done.append(kind)
        if text == row["instruction"]:  # nothing to change (a one-word request, no long word): add context
            text, done = with_context(text, rng), [*done, "context"]
        result.counts.update(done)
        result.rows.append({**row, "instruction": text, "response": answer, "rewrite": "+".join(done)})
    return result
