"""The `realistic` placeholder policy: slots become believable values, but only values the customer gave.

    >>> realise("I need to cancel order {{Order Number}}",
    ...         "I can help you cancel order {{Order Number}}. Call {{Customer Support Phone Number}}.",
    ...         key="I need to cancel order {{Order Number}}", seed=42)  # doctest: +NORMALIZE_WHITESPACE
    ('I need to cancel order WEB-2023-737404',
     'I can help you cancel order WEB-2023-737404. Call {{Customer Support Phone Number}}.')

Every slot has a kind (`slot_kind`, from a table for the frequent names and from the name's words for
the rest) and a role (`slot_role`):

- customer: values only the customer has (order/invoice/tracking numbers, names, email, city, amounts,
  dates, the account plan ...). They get a generated value, one set per conversation
  (`ConversationValues`, seeded by sha256(seed, key, value), so independent of row order and of the
  order in which values are asked for).
- company: values the company has (website, support phone and hours, policies, store locations ...).
  They stay `{{Website URL}}`: the company profile fills them at inference (evaluation/company.py).
- ui: button and section labels ('{{Cancel Purchase}}', '{{Settings}}'). They stay slots too, since
  the label is the company's UI, not the customer's; conf/company/*.yaml fills them as well.

The rule that matters: a customer value becomes a realistic value only where the CUSTOMER GAVE IT.
Every customer slot in the instruction gets a value; a customer slot in the response gets the same
value only if the instruction holds a slot for that value. Bitext answers often say "your order
{{Order Number}}" or greet "Hello {{Salutation}} {{Client Last Name}}" when the customer gave no number
and no name; filling those would teach the model to invent order numbers and names. Such response-only
slots are rendered as the `generic` policy renders them ("your order", names and salutations dropped,
then `tidy`).

Which slots denote the same value (one value, shared; "given" if any of them is in the instruction):
- `{{Person Name}}`, `{{Client Name}}`, `{{Client Full Name}}`, `{{Account Name}}`: one person's full
  name. It also gives that person's `{{Client First Name}}` and `{{Client Last Name}}` (Bitext's
  check_invoice rows ask for "the invoice from {{Person Name}}" and answer "the invoice from
  {{Salutation}} {{Client Last Name}}"). A salutation is never inferred (that would mean guessing a
  gender): not given, it is dropped, or becomes the first name when a given last name follows it
  ("from Priya Sharma").
- `{{Account Type}}`, `{{Account Category}}`, `{{Profile Type}}`: one account plan ("Premium").
- `{{Refund Amount}}`, `{{Money Amount}}` and `{{Currency Symbol}}`: one amount with its currency.
  A currency symbol (a slot or a literal "$") just before an amount merges into it, so
  "{{Currency Symbol}}{{Refund Amount}}" and "${{Refund Amount}}" both read "€19.99", never "$$19.99";
  a currency the customer wrote ("$", "dollars") is the one the amount uses.
- `{{Date}}`, `{{Date of the Invoice}}`, `{{Date of the Bill}}`: one date (which also gives its month
  and year); the city and country come as a matching pair, and the phone number and address follow
  the same place.

Malformed and nested slots: `{Cancel Order}}` is read as the UI slot `{{Cancel Order}}` and kept in
that well-formed shape; a label built around a slot, `{{{{Account Category}} Upgrade}}`, becomes its
words with the inner slot rendered by the rules above ("Premium Upgrade", or "Upgrade" when the plan
was not given), so no brace is left that is not part of a whole company or UI slot.

Multi-turn conversations: build one `ConversationValues(key, seed)` and call `value("Order Number")`
for each turn; the same name, or a name for the same value, always gets the same value.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from supportbot.data.placeholders import SLOT, apply_policy, generic_phrase, generic_replacer, slot_name, tidy

UI_LABEL = "ui_label"

# Kinds of the values only the customer has; each has a generator below.
CUSTOMER_KINDS = frozenset({
    "order_number", "invoice_number", "tracking_number", "account_number", "reference_number",
    "person_name", "first_name", "last_name", "full_name", "salutation", "username", "email", "phone",
    "city", "country", "address", "postal_code", "amount", "currency_symbol", "date", "date_range", "year",
    "month", "number_of_days", "timeframe", "account_type", "account_category", "billing_category",
    "product_name", "details",
})
# Kinds of the values the company has: they stay slots for the company profile.
COMPANY_KINDS = frozenset({
    "company_name", "company_account", "website_url", "portal_info", "login_url", "recovery_url",
    "support_phone", "support_email", "support_hours", "support_days", "support_contact", "opening_time",
    "closing_time", "shipping_cutoff", "delivery_time", "policy", "live_chat", "store_location", "team",
    "feature",
})

# The frequent names (and the ones the rules would misread), lower-cased. The rules in
# `_kind_from_words` give the same role to every entry; the table pins the exact kind.
_KINDS = {
    "order number": "order_number",
    "invoice number": "invoice_number",
    "tracking number": "tracking_number",
    "account number": "account_number",
    "person name": "person_name",
    "client name": "full_name",
    "client full name": "full_name",
    "account name": "full_name",
    "client first name": "first_name",
    "client last name": "last_name",
    "salutation": "salutation",
    "delivery city": "city",
    "delivery country": "country",
    "refund amount": "amount",
    "money amount": "amount",
    "currency symbol": "currency_symbol",
    "date": "date",
    "date of the invoice": "date",
    "date of the bill": "date",
    "date range": "date_range",
    "year": "year",
    "month": "month",
    "number of days": "number_of_days",
    "timeframe": "timeframe",
    "account type": "account_type",
    "profile type": "account_type",
    "account category": "account_category",
    "billing category": "billing_category",
    "product/service name": "product_name",
    "additional details": "details",
    "company name": "company_name",
    "company": "company_name",
    "company account": "company_account",
    "website url": "website_url",
    "online company portal info": "portal_info",
    "login page url": "login_url",
    "account recovery page url": "recovery_url",
    "password recovery page url": "recovery_url",
    "password reset page": "recovery_url",
    "customer support phone number": "support_phone",
    "customer support email": "support_email",
    "customer service email": "support_email",
    "customer support hours": "support_hours",
    "customer support days": "support_days",
    "customer support team": "team",
    "live chat support": "live_chat",
    "live chat": "live_chat",
    "store location": "store_location",
    "shipping cut-off time": "shipping_cutoff",
    "estimated delivery time": "delivery_time",
    "refund policy": "policy",
    "online order interaction": UI_LABEL,
    "settings": UI_LABEL,
    "profile": UI_LABEL,
    "cancel purchase": UI_LABEL,
    "account change": UI_LABEL,
    "upgrade account": UI_LABEL,
    "account category upgrade": UI_LABEL,  # '{{{{Account Category}} Upgrade}}' once its braces are gone
    "order tracking": UI_LABEL,
    "forgot password": UI_LABEL,
}


@functools.lru_cache(maxsize=4096)  # a pure function of the name, asked for every value of every conversation
def slot_kind(name: str) -> str:
    """'Order Number' (or '{{Order Number}}') -> 'order_number'; every name gets a kind, unknown ones too."""
    if SLOT.fullmatch(name) and "{{" in name[2:-2]:
        return UI_LABEL  # a label built around a slot: '{{{{Account Category}} Upgrade}}'
    key = slot_name(name).lower()
    return _KINDS.get(key) or _kind_from_words(key)


def slot_role(name: str) -> str:
    """'customer', 'company' or 'ui' for a slot name (or a slot, or a kind)."""
    kind = name if name in CUSTOMER_KINDS or name in COMPANY_KINDS or name == UI_LABEL else slot_kind(name)
    if kind in CUSTOMER_KINDS:
        return "customer"
    return "company" if kind in COMPANY_KINDS else "ui"


# First words of a button or section label.
_UI_VERBS = ("upgrade", "change", "cancel", "forgot", "restore", "retrieve", "remove", "confirm", "track", "view",
             "download", "edit", "delete", "update", "add", "manage", "my", "select", "choose", "go", "sign", "log")


def _kind_from_words(key: str) -> str:
    """The long tail, from the name's words. Company words are read first: a '... Phone Number' with
    'support' in it is the company's line, not the customer's phone."""
    words = set(re.findall(r"[a-z]+", key))

    def has(*options: str) -> bool:
        return any(option in words for option in options)

    # Company: places on the web, the support desk, the company's own facts.
    if has("url", "website", "portal", "page", "link", "site"):
        if has("login", "signin"):
            return "login_url"
        if has("recovery", "reset", "password", "pin"):
            return "recovery_url"
        return "portal_info" if has("portal") else "website_url"
    if has("support", "helpdesk", "hotline") or ({"customer", "service"} <= words or {"customer", "care"} <= words):
        for kind, options in (("support_phone", ("phone", "telephone", "number", "line")),
                              ("support_email", ("email", "mail")), ("live_chat", ("chat",)),
                              ("opening_time", ("opening", "start")), ("closing_time", ("closing", "end")),
                              ("support_hours", ("hours", "time", "times")), ("support_days", ("days",)),
                              ("team", ("team", "agent", "agents", "department"))):
            if has(*options):
                return kind
        return "support_contact"
    if has("chat"):
        return "live_chat"
    if has("policy", "policies", "terms", "guarantee", "warranty"):
        return "policy"
    if has("company", "brand", "business"):
        return "company_account" if has("account") else "company_name"
    if has("opening"):
        return "opening_time"
    if has("closing"):
        return "closing_time"
    if has("store", "shop", "branch", "outlet"):
        return "store_location"
    if has("cutoff") or ("cut" in words and "off" in words):
        return "shipping_cutoff"
    if has("delivery", "shipping") and has("time", "times", "estimate", "window"):
        return "delivery_time"
    if has("hours"):
        return "support_hours"
    if has("feature", "features", "benefit", "benefits"):
        return "feature"
    if has("team", "department"):
        return "team"
    # A label that says what it does: 'Upgrade Account', 'Forgot PIN', 'My Purchases', '... Upgrade'.
    parts = key.split() or [""]
    first, last = parts[0], parts[-1]
    if first in _UI_VERBS or last in ("upgrade", "settings", "menu", "button", "tab", "section"):
        return UI_LABEL
    # Customer: what a customer writes about themselves and their orders.
    if has("email", "mail"):
        return "email"
    if has("phone", "mobile", "telephone", "cell"):
        return "phone"
    if has("zip", "postal", "postcode"):
        return "postal_code"
    if has("address", "street"):
        return "address"
    if has("number", "id", "no", "reference", "ref"):
        if has("days"):
            return "number_of_days"
        for kind, options in (("order_number", ("order", "purchase")),
                              ("invoice_number", ("invoice", "bill", "receipt")),
                              ("tracking_number", ("tracking", "shipment", "parcel", "package")),
                              ("account_number", ("account", "customer", "member", "membership", "client"))):
            if has(*options):
                return kind
        return "reference_number"
    if has("salutation", "honorific"):
        return "salutation"
    if has("username", "login") or {"user", "name"} <= words:
        return "username"
    if has("product", "item", "article") or {"service", "name"} <= words:
        return "product_name"
    if has("first", "given", "forename") and has("name"):
        return "first_name"
    if has("last", "surname", "family") and has("name", "surname"):
        return "last_name"
    if has("name", "recipient", "sender"):
        return "full_name"
    if has("city", "town"):
        return "city"
    if has("country", "nation"):
        return "country"
    if has("amount", "price", "total", "cost", "fee", "charge", "balance", "sum"):
        return "amount"
    if has("currency"):
        return "currency_symbol"
    if has("range", "period"):
        return "date_range"
    if has("timeframe") or {"time", "frame"} <= words:
        return "timeframe"
    if has("date", "birthday", "deadline"):
        return "date"
    if has("year", "years"):
        return "year"
    if has("month", "months"):
        return "month"
    if has("days"):
        return "number_of_days"
    if has("type", "plan", "tier", "membership", "subscription", "level"):
        return "account_type"
    if has("category") and has("account", "profile"):
        return "account_category"
    if has("category"):
        return "billing_category"
    if has("details", "detail", "information", "info", "description"):
        return "details"
    # Anything else names a button or a section: 'Cancel Purchase', 'Forgot PIN', 'My Purchases'.
    return UI_LABEL


# Names of the same value share one cached value; a given value also gives the ones it implies.
_VALUE_KEY = {"person_name": "full_name", "account_category": "account_type"}
_IMPLIES = {
    "full_name": {"first_name", "last_name"},
    "amount": {"currency_symbol"},
    "date": {"month", "year"},
}


def _value_key(kind: str) -> str:
    return _VALUE_KEY.get(kind, kind)


# --- the values ------------------------------------------------------------------------------------

# (first name, "f" or "m"): many cultures, since Bitext's customers are anyone.
_FIRST_NAMES = (
    ("Emma", "f"), ("Liam", "m"), ("Olivia", "f"), ("Noah", "m"), ("Sofia", "f"), ("Mateo", "m"),
    ("Priya", "f"), ("Arjun", "m"), ("Aisha", "f"), ("Omar", "m"), ("Fatima", "f"), ("Yusuf", "m"),
    ("Wei", "m"), ("Mei", "f"), ("Hiroshi", "m"), ("Yuki", "f"), ("Min-jun", "m"), ("Seo-yeon", "f"),
    ("Chinedu", "m"), ("Amara", "f"), ("Kwame", "m"), ("Zanele", "f"), ("Lucas", "m"), ("Camila", "f"),
    ("Diego", "m"), ("Valentina", "f"), ("João", "m"), ("Ana", "f"), ("Luca", "m"), ("Giulia", "f"),
    ("Jan", "m"), ("Anna", "f"), ("Lars", "m"), ("Ingrid", "f"), ("Søren", "m"), ("Freya", "f"),
    ("Dmitri", "m"), ("Olga", "f"), ("Mehmet", "m"), ("Elif", "f"), ("Nikos", "m"), ("Eleni", "f"),
    ("Minh", "m"), ("Linh", "f"), ("Rahul", "m"), ("Ananya", "f"), ("Tariq", "m"), ("Leila", "f"),
    ("Kofi", "m"), ("Nia", "f"), ("Tane", "m"), ("Aroha", "f"), ("Ciarán", "m"), ("Siobhan", "f"),
    ("Daniel", "m"), ("Hannah", "f"), ("Théo", "m"), ("Chloé", "f"), ("Pablo", "m"), ("Marta", "f"),
    ("Miguel", "m"), ("Zoë", "f"), ("Ahmed", "m"), ("Nour", "f"), ("Ravi", "m"), ("Deepa", "f"),
    ("Ethan", "m"), ("Grace", "f"), ("Malik", "m"), ("Jasmine", "f"), ("Kai", "m"), ("Isabella", "f"),
    ("Sebastián", "m"), ("Carmen", "f"), ("Ibrahim", "m"), ("Yara", "f"), ("Marcus", "m"), ("Naomi", "f"),
)
_LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Taylor", "Wilson", "Thompson", "Evans", "Roberts", "Clarke",
    "García", "Martínez", "Rodríguez", "Hernández", "López", "Cruz", "Reyes", "Ramos", "Mendoza", "Castillo",
    "Silva", "Santos", "Oliveira", "Costa", "Pereira", "Fernandes", "Müller", "Schmidt", "Schneider",
    "Fischer", "Rossi", "Russo", "Bianchi", "Dubois", "Lefebvre", "Moreau", "Kowalski", "Nowak", "Novák",
    "Jansen", "de Vries", "van den Berg", "Andersson", "Johansson", "Nielsen", "Hansen", "Ivanov", "Petrov",
    "Yılmaz", "Kaya", "Papadopoulos", "Patel", "Sharma", "Singh", "Gupta", "Reddy", "Iyer", "Khan", "Ahmed",
    "Hassan", "Haddad", "Nasser", "Cohen", "Levi", "Wang", "Li", "Zhang", "Chen", "Liu", "Tanaka", "Suzuki",
    "Sato", "Kim", "Park", "Choi", "Nguyen", "Tran", "Pham", "Okafor", "Adeyemi", "Mensah", "Owusu",
    "Mwangi", "Dlamini", "Nkosi", "O'Brien", "Murphy", "Kelly", "Walsh", "MacDonald", "Ngata", "Tupou",
)

# (city, country, calling code): the phone number and the street follow the place.
_PLACES = (
    ("New York", "United States", "+1"), ("Chicago", "United States", "+1"), ("Austin", "United States", "+1"),
    ("Seattle", "United States", "+1"), ("Atlanta", "United States", "+1"), ("Toronto", "Canada", "+1"),
    ("Vancouver", "Canada", "+1"), ("Mexico City", "Mexico", "+52"), ("Guadalajara", "Mexico", "+52"),
    ("São Paulo", "Brazil", "+55"), ("Rio de Janeiro", "Brazil", "+55"), ("Buenos Aires", "Argentina", "+54"),
    ("Bogotá", "Colombia", "+57"), ("Lima", "Peru", "+51"), ("Santiago", "Chile", "+56"),
    ("London", "United Kingdom", "+44"), ("Manchester", "United Kingdom", "+44"),
    ("Edinburgh", "United Kingdom", "+44"), ("Dublin", "Ireland", "+353"), ("Paris", "France", "+33"),
    ("Lyon", "France", "+33"), ("Berlin", "Germany", "+49"), ("Munich", "Germany", "+49"),
    ("Hamburg", "Germany", "+49"), ("Madrid", "Spain", "+34"), ("Barcelona", "Spain", "+34"),
    ("Valencia", "Spain", "+34"), ("Lisbon", "Portugal", "+351"), ("Porto", "Portugal", "+351"),
    ("Rome", "Italy", "+39"), ("Milan", "Italy", "+39"), ("Amsterdam", "Netherlands", "+31"),
    ("Rotterdam", "Netherlands", "+31"), ("Brussels", "Belgium", "+32"), ("Zurich", "Switzerland", "+41"),
    ("Vienna", "Austria", "+43"), ("Stockholm", "Sweden", "+46"), ("Copenhagen", "Denmark", "+45"),
    ("Oslo", "Norway", "+47"), ("Warsaw", "Poland", "+48"), ("Prague", "Czech Republic", "+420"),
    ("Istanbul", "Turkey", "+90"), ("Athens", "Greece", "+30"), ("Cairo", "Egypt", "+20"),
    ("Lagos", "Nigeria", "+234"), ("Nairobi", "Kenya", "+254"), ("Accra", "Ghana", "+233"),
    ("Cape Town", "South Africa", "+27"), ("Johannesburg", "South Africa", "+27"),
    ("Dubai", "United Arab Emirates", "+971"), ("Riyadh", "Saudi Arabia", "+966"), ("Mumbai", "India", "+91"),
    ("Bengaluru", "India", "+91"), ("Delhi", "India", "+91"), ("Singapore", "Singapore", "+65"),
    ("Kuala Lumpur", "Malaysia", "+60"), ("Jakarta", "Indonesia", "+62"), ("Manila", "Philippines", "+63"),
    ("Bangkok", "Thailand", "+66"), ("Ho Chi Minh City", "Vietnam", "+84"), ("Seoul", "South Korea", "+82"),
    ("Tokyo", "Japan", "+81"), ("Osaka", "Japan", "+81"), ("Sydney", "Australia", "+61"),
    ("Melbourne", "Australia", "+61"), ("Auckland", "New Zealand", "+64"),
)
# '#' a digit, '@' a digit 2-9; US and UK numbers use the ranges set aside for fiction (555-01xx, 07700 900xxx).
_PHONE_FORMATS = {
    "+1": ("+1 (@##) 555-01##", "(@##) 555-01##", "@##-555-01##", "+1 @##-555-01##"),
    "+44": ("+44 7700 900###", "07700 900###", "+44 20 7946 0###"),
    "+49": ("+49 15# ########", "+49 30 ########", "0151 ########"),
    "+33": ("+33 6 ## ## ## ##", "06 ## ## ## ##", "+33 1 ## ## ## ##"),
    "+34": ("+34 6## ### ###", "6## ## ## ##"),
    "+39": ("+39 3## ### ####", "3## ### ####"),
    "+91": ("+91 9#### #####", "+91 7#### #####", "09#### #####"),
    "+61": ("+61 4## ### ###", "04## ### ###"),
    "+55": ("+55 11 9####-####", "(21) 9####-####"),
    "+52": ("+52 55 #### ####", "+52 33 #### ####"),
    "+81": ("+81 90-####-####", "090-####-####"),
    "+82": ("+82 10-####-####", "010-####-####"),
    "+65": ("+65 9### ####", "+65 8### ####"),
    "+31": ("+31 6 ########", "06-########"),
    "+353": ("+353 8# ### ####", "08# ### ####"),
    "+971": ("+971 5# ### ####", "05# ### ####"),
}
_STREETS = {  # country -> (format, street names)
    "France": ("{n} rue {s}", ("de la Paix", "Victor Hugo", "des Lilas", "du Moulin", "Pasteur", "Oberkampf")),
    "Germany": ("{s}straße {n}", ("Linden", "Berg", "Garten", "Schiller", "Goethe", "Bahnhof")),
    "Austria": ("{s}gasse {n}", ("Linden", "Schul", "Kirchen", "Mozart")),
    "Switzerland": ("{s}strasse {n}", ("Bahnhof", "See", "Kirch", "Berg")),
    "Netherlands": ("{s}straat {n}", ("Kerk", "Molen", "Prinsen", "Linden")),
    "Spain": ("Calle {s}, {n}", ("Mayor", "de Alcalá", "del Sol", "San Vicente", "Serrano")),
    "Mexico": ("Av. {s} {n}", ("Reforma", "Insurgentes", "Juárez", "Hidalgo")),
    "Argentina": ("Av. {s} {n}", ("Corrientes", "Santa Fe", "Rivadavia", "Belgrano")),
    "Colombia": ("Calle {s} # {n}", ("72", "26", "100", "85")),
    "Italy": ("Via {s} {n}", ("Roma", "Garibaldi", "Dante", "dei Mille", "Mazzini")),
    "Portugal": ("Rua {s}, {n}", ("das Flores", "Augusta", "do Comércio", "de São Bento")),
    "Brazil": ("Rua {s}, {n}", ("das Flores", "Oscar Freire", "Augusta", "XV de Novembro")),
}
_ENGLISH_STREETS = (
    "Maple Street", "Oak Avenue", "High Street", "Elm Road", "Park Lane", "Cedar Drive", "Church Road",
    "King Street", "Victoria Road", "Lakeview Terrace", "Mill Lane", "Station Road", "Willow Court",
    "River Road", "Highland Avenue", "Queen Street", "Birch Close", "Harbour View", "Sunset Boulevard",
)
_EMAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.co.uk", "proton.me", "gmx.de",
                  "live.com", "aol.com", "mail.com", "yahoo.co.in", "web.de")
_PLANS = ("Premium", "Business", "Standard", "Family", "Student", "Basic", "Pro", "Gold", "Platinum", "Silver",
          "Personal", "Enterprise", "Plus", "Starter", "Corporate", "Senior", "Freelancer", "Nonprofit")
_PRODUCTS = (
    "Trailblazer 45L hiking backpack", "AirFlow running shoes", "SmartBrew coffee maker", "Nimbus wireless earbuds",
    "classic leather wallet", "UltraSoft cotton hoodie", "ProView 27-inch monitor", "AquaPure water filter",
    "Everyday denim jacket", "ChefMate knife set", "Zen memory-foam pillow", "PixelPad 10 tablet",
    "Voyager carry-on suitcase", "LumaDesk LED lamp", "FlexFit yoga mat", "Arctic down parka", "Echo mini speaker",
    "annual streaming subscription", "premium support plan", "TerraGrip winter boots", "Breeze tower fan",
    "Orbit smartwatch", "kids' bike helmet", "ceramic dinner set", "cloud storage plan (2 TB)",
)
_BILLING_CATEGORIES = ("subscription fees", "shipping charges", "one-time purchases", "late fees", "service charges",
                       "monthly membership", "add-on services", "taxes and duties")
_DETAILS = ("the invoice was for two items shipped together", "it was charged to my Visa ending in 4821",
            "it was a gift order sent to my sister", "the payment went through PayPal",
            "it covers my last subscription renewal", "the bill mentions a late fee")
_TIMEFRAMES = ("the last 3 months", "last month", "the past two weeks", "the last 30 days", "the past 6 months",
               "this year", "the last quarter")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_CURRENCY_SYMBOLS = ("$", "€", "£")
_CURRENCY_WEIGHTS = (55, 25, 20)
_CURRENCY_WORDS = {"dollar": "$", "usd": "$", "euro": "€", "eur": "€", "pound": "£", "gbp": "£"}


@dataclass(frozen=True)
class Person:
    """The conversation's person: every name slot (full, first, last, the email) is built from it."""

    first: str
    last: str
    gender: str


@dataclass(frozen=True)
class Place:
    """The conversation's place: city and country match, the phone number and street follow them."""

    city: str
    country: str
    calling_code: str


class ConversationValues:
    """One conversation's customer values: `value(name)` generates on first use and then always returns
    the same value, for that name and for every name of the same value ('Person Name' and 'Client Name').

    Each value has its own random stream, seeded by sha256(seed, key, value), so a value does not depend on
    which others were asked for first: a later turn that asks for the order number gets the same one.
    """

    def __init__(self, key: str, seed: int):
        self.key = key
        self.seed = seed
        self._values: dict[str, str] = {}
        self._records: dict[str, object] = {}

    def value(self, name: str) -> str:
        kind = slot_kind(name)
        if kind not in CUSTOMER_KINDS:
            raise ValueError(f"{name!r} is a {slot_role(kind)} slot ({kind}): it has no per-conversation value; "
                             "the company profile fills it")
        key = _value_key(kind)
        if key not in self._values:
            self._values[key] = _GENERATORS[key](self, self._rng(key))
        return self._values[key]

    def set(self, name: str, value: str) -> None:
        """Pin a value the conversation already has (the customer wrote "$" before the amount). Pin before
        asking for values that follow from it: an amount takes its currency when it is first generated."""
        self._values[_value_key(slot_kind(name))] = value

    def _rng(self, part: str) -> random.Random:
        digest = hashlib.sha256(f"{self.seed}\x1f{self.key}\x1f{part}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def _record(self, name: str, make: Callable[[random.Random], object]):
        if name not in self._records:
            self._records[name] = make(self._rng(name))
        return self._records[name]

    def person(self) -> Person:
        def make(rng: random.Random) -> Person:
            first, gender = rng.choice(_FIRST_NAMES)
            return Person(first, rng.choice(_LAST_NAMES), gender)

        return self._record("person", make)

    def place(self) -> Place:
        return self._record("place", lambda rng: Place(*rng.choice(_PLACES)))

    def day(self) -> date:
        """The conversation's reference date: dates, months, years and ranges are built around it."""
        return self._record("day", lambda rng: date(2022, 1, 1) + timedelta(days=rng.randrange(1277)))


# --- generators: (values, rng) -> text -------------------------------------------------------------

def _digits(rng: random.Random, count: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(count - 1))


def _letters(rng: random.Random, count: int, alphabet: str = "ABCDEFGHJKLMNPRSTUVWXYZ") -> str:
    return "".join(rng.choice(alphabet) for _ in range(count))


def _pattern(rng: random.Random, pattern: str) -> str:
    return "".join(str(rng.randint(0, 9)) if c == "#" else str(rng.randint(2, 9)) if c == "@" else c
                   for c in pattern)


def _order_number(values: ConversationValues, rng: random.Random) -> str:
    year = values.day().year
    return rng.choice((
        lambda: _digits(rng, rng.randint(7, 9)),
        lambda: "ORD-" + _digits(rng, rng.randint(6, 8)),
        lambda: f"{_letters(rng, 1)}{rng.randint(1, 9)}{_letters(rng, 1)}-{_digits(rng, 6)}",
        lambda: f"{rng.choice(('SO', 'WEB', 'PO'))}-{year}-{rng.randint(1, 999999):06d}",
        lambda: f"{_digits(rng, 3)}-{rng.randint(0, 9999999):07d}-{rng.randint(0, 9999999):07d}",
    ))()


def _invoice_number(values: ConversationValues, rng: random.Random) -> str:
    year = values.day().year
    return rng.choice((
        lambda: f"INV-{year}-{rng.randint(1, 99999):06d}",
        lambda: "#INV" + _digits(rng, 5),
        lambda: "INV" + _digits(rng, rng.randint(6, 8)),
        lambda: f"{year}/{rng.randint(1, 99999):05d}",
        lambda: f"F{year}-{rng.randint(100, 9999)}",
    ))()


def _tracking_number(values: ConversationValues, rng: random.Random) -> str:
    alnum = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return rng.choice((
        lambda: "1Z" + _letters(rng, 6, alnum) + f"{rng.randint(1, 99):02d}" + _digits(rng, 8),  # UPS-like
        lambda: _digits(rng, 12),  # FedEx-like
        lambda: "TRK" + _digits(rng, rng.randint(9, 11)),
        lambda: "9400" + "".join(str(rng.randint(0, 9)) for _ in range(18)),  # USPS-like, 22 digits
        lambda: "JD" + _digits(rng, 16),  # DHL-like
    ))()


def _account_number(values: ConversationValues, rng: random.Random) -> str:
    return rng.choice((
        lambda: "ACC-" + _digits(rng, 8),
        lambda: _digits(rng, 10),
        lambda: f"CU{_digits(rng, 7)}",
        lambda: f"{_digits(rng, 4)}-{rng.randint(0, 9999):04d}-{rng.randint(0, 99):02d}",
    ))()


def _reference_number(values: ConversationValues, rng: random.Random) -> str:
    return "REF-" + _letters(rng, 3) + _digits(rng, 6)


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalnum()).lower()


def _email(values: ConversationValues, rng: random.Random) -> str:
    person = values.person()
    first, last = _ascii(person.first), _ascii(person.last)
    local = rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}{rng.randint(1, 99)}",
                        f"{first}{rng.randint(70, 99)}", f"{last}.{first[0]}", f"{first}.{last[0]}{rng.randint(1, 9)}"))
    return f"{local}@{rng.choice(_EMAIL_DOMAINS)}"


def _username(values: ConversationValues, rng: random.Random) -> str:
    person = values.person()
    first, last = _ascii(person.first), _ascii(person.last)
    return rng.choice((f"{first}.{last}", f"{first}{last[0]}{rng.randint(10, 99)}", f"{first[0]}{last}"))


def _phone(values: ConversationValues, rng: random.Random) -> str:
    code = values.place().calling_code
    formats = _PHONE_FORMATS.get(code, (f"{code} ## ### ####", f"{code} ### ### ###"))
    return _pattern(rng, rng.choice(formats))


def _address(values: ConversationValues, rng: random.Random) -> str:
    place = values.place()
    template, streets = _STREETS.get(place.country, ("{n} {s}", _ENGLISH_STREETS))
    street = template.format(n=rng.randint(1, 240), s=rng.choice(streets))
    return f"{street}, {place.city}"


def _postal_code(values: ConversationValues, rng: random.Random) -> str:
    if values.place().country == "United Kingdom":
        return _pattern(rng, f"{_letters(rng, 2)}# #") + _letters(rng, 2)
    if values.place().country == "Canada":
        return f"{_letters(rng, 1)}{rng.randint(0, 9)}{_letters(rng, 1)} {rng.randint(0, 9)}{_letters(rng, 1)}" \
               f"{rng.randint(0, 9)}"
    return _digits(rng, 4 if values.place().country in ("Denmark", "Norway", "Austria", "Switzerland") else 5)


def _salutation(values: ConversationValues, rng: random.Random) -> str:
    if rng.random() < 0.1:
        return "Dr."
    return "Ms." if values.person().gender == "f" else "Mr."


def _currency_symbol(values: ConversationValues, rng: random.Random) -> str:
    return rng.choices(_CURRENCY_SYMBOLS, weights=_CURRENCY_WEIGHTS)[0]


def _amount(values: ConversationValues, rng: random.Random) -> str:
    symbol = values.value("Currency Symbol")
    amount = min(2500.0, max(4.0, rng.lognormvariate(3.9, 0.9)))
    style = rng.random()
    if style < 0.15:
        return f"{symbol}{round(amount):,}"
    cents = rng.choice((".99", ".95", ".00", ".50", f".{rng.randint(1, 98):02d}"))
    return f"{symbol}{int(amount):,}{cents}"


def _date_text(rng: random.Random, day: date) -> str:
    month = _MONTHS[day.month - 1]
    return rng.choice((f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}", f"{day:%d/%m/%Y}",
                       f"{day:%m/%d/%Y}", day.isoformat(), f"{month[:3]} {day.day}, {day.year}"))


def _date(values: ConversationValues, rng: random.Random) -> str:
    return _date_text(rng, values.day())


def _date_range(values: ConversationValues, rng: random.Random) -> str:
    end = values.day()
    start = end - timedelta(days=rng.choice((6, 13, 29, 30, 59, 89)))
    first, last = _MONTHS[start.month - 1], _MONTHS[end.month - 1]
    return rng.choice((
        f"{first} {start.day} to {last} {end.day}, {end.year}",
        f"{start:%d/%m/%Y} - {end:%d/%m/%Y}",
        f"{start.isoformat()} to {end.isoformat()}",
        f"{first} to {last} {end.year}" if first != last else f"{first} {end.year}",
    ))


def _timeframe(values: ConversationValues, rng: random.Random) -> str:
    year = values.day().year
    return rng.choice((*_TIMEFRAMES, f"Q{rng.randint(1, 4)} {year}", f"January to March {year}"))


def _choice(options: tuple[str, ...]) -> Callable[[ConversationValues, random.Random], str]:
    return lambda values, rng: rng.choice(options)


_GENERATORS: dict[str, Callable[[ConversationValues, random.Random], str]] = {
    "order_number": _order_number,
    "invoice_number": _invoice_number,
    "tracking_number": _tracking_number,
    "account_number": _account_number,
    "reference_number": _reference_number,
    "full_name": lambda values, rng: f"{values.person().first} {values.person().last}",
    "first_name": lambda values, rng: values.person().first,
    "last_name": lambda values, rng: values.person().last,
    "salutation": _salutation,
    "username": _username,
    "email": _email,
    "phone": _phone,
    "city": lambda values, rng: values.place().city,
    "country": lambda values, rng: values.place().country,
    "address": _address,
    "postal_code": _postal_code,
    "amount": _amount,
    "currency_symbol": _currency_symbol,
    "date": _date,
    "date_range": _date_range,
    "year": lambda values, rng: str(values.day().year),
    "month": lambda values, rng: _MONTHS[values.day().month - 1],
    "number_of_days": lambda values, rng: str(rng.choice((3, 5, 7, 10, 12, 14, 15, 21, 30, 45, 60, 90))),
    "timeframe": _timeframe,
    "account_type": _choice(_PLANS),
    "billing_category": _choice(_BILLING_CATEGORIES),
    "product_name": _choice(_PRODUCTS),
    "details": _choice(_DETAILS),
}


# --- realise ---------------------------------------------------------------------------------------

# Bitext's "Feel {{Account Type}} to ask": a slot put in place of "free".
_FEEL_FREE = re.compile(r"\b([Ff]eel) \{\{[^{}]+\}\} (?=to\b)")
# A currency just before (or after) an amount is part of the amount's value: "$$42.50" is never right.
_CURRENCY_AND_AMOUNT = re.compile(r"(?:[$€£]|\{\{Currency Symbol\}\}) ?(\{\{[^{}]*Amount\}\})"
                                  r"|(\{\{[^{}]*Amount\}\}) ?\{\{Currency Symbol\}\}", re.I)
_LITERAL_CURRENCY = re.compile(r"([$€£]) ?\{\{[^{}]*Amount\}\}", re.I)
_CURRENCY_WORD = re.compile(r"\s*(dollars?|usd|euros?|eur|pounds?|gbp)\b", re.I)
_PLAN_NOUN = re.compile(r"\W*(?:account|profile|plan|membership|subscription|tier|level|user|customer|member|"
                        r"feature|benefit|option|category|type|upgrade)", re.I)
# The generic words after a determiner the sentence already has: "such as a your date range" -> "a date range".
_DETERMINER_BEFORE_POSSESSIVE = re.compile(r"\b([Aa]n?|[Aa]ny|[Ss]ome|[Ss]pecific) (?:your|my) ")
_ARTICLE_BEFORE = re.compile(r"(?:^|(?<=\s))([Aa])n?( ?)$")


def realise(instruction: str, response: str, key: str, seed: int) -> tuple[str, str]:
    """One conversation under the `realistic` policy: (instruction, response) with the customer's slots
    filled with one set of values (seeded by seed and key), response-only customer slots in generic words,
    company and UI slots kept. `key` identifies the conversation (its instruction text, a row id)."""
    instruction, response, _ = realise_with_values(instruction, response, key, seed)
    return instruction, response


def realise_with_values(instruction: str, response: str, key: str,
                        seed: int) -> tuple[str, str, ConversationValues]:
    """`realise`, and the conversation's values: `values.value("Order Number")` is the number the filled
    instruction names (the tool conversations take a call's arguments from it)."""
    values = ConversationValues(key, seed)
    instruction, response = _repair(instruction), _repair(response)
    currency = _written_currency(instruction)
    if currency:
        values.set("Currency Symbol", currency)
    given: set[str] = set()
    for slot in SLOT.findall(instruction):
        for inner in _customer_kinds(slot):
            given |= {_value_key(inner)} | _IMPLIES.get(_value_key(inner), set())
    return _render(instruction, values, None, "my"), _render(response, values, given, "your"), values


def _repair(text: str) -> str:
    return _FEEL_FREE.sub(r"\1 free ", text)


def _written_currency(instruction: str) -> str | None:
    """The currency the customer wrote beside an amount: "${{Refund Amount}}", "{{Refund Amount}} dollars"."""
    if found := _LITERAL_CURRENCY.search(instruction):
        return found.group(1)
    for slot in SLOT.finditer(instruction):
        if slot_kind(slot.group(0)) == "amount" and (word := _CURRENCY_WORD.match(instruction, slot.end())):
            return _CURRENCY_WORDS[word.group(1).lower().rstrip("s")]
    return None


def _customer_kinds(slot: str) -> list[str]:
    inner = slot[2:-2]
    if slot.startswith("{{") and "{{" in inner:  # a label around slots: the slots inside count
        return [kind for part in SLOT.findall(inner) for kind in _customer_kinds(part)]
    kind = slot_kind(slot)
    return [kind] if kind in CUSTOMER_KINDS else []


def _render(text: str, values: ConversationValues, given: set[str] | None, possessive: str) -> str:
    """Fill one message. given=None: the customer's own message, every customer slot is theirs."""
    if "{" not in text:
        return text
    text = _CURRENCY_AND_AMOUNT.sub(lambda m: m.group(1) or m.group(2), text)
    generic = generic_replacer(text, possessive)
    matches = list(SLOT.finditer(text))
    out: list[str] = []
    position, generic_used = 0, False

    def is_given(kind: str) -> bool:
        return given is None or _value_key(kind) in given

    for index, match in enumerate(matches):
        out.append(text[position:match.start()])
        position = match.end()
        slot = match.group(0)
        name = slot_name(slot)
        if slot.startswith("{{") and "{{" in slot[2:-2]:
            out.append(_render_label(slot[2:-2], values, is_given, possessive))
            generic_used = True
            continue
        kind = slot_kind(name)
        if kind not in CUSTOMER_KINDS:
            out.append("{{" + name + "}}")  # '{Cancel Order}}' becomes the well-formed UI slot
            continue
        if is_given(kind):
            value = values.value(name)
            after = text[position:]
            if kind == "amount" and _CURRENCY_WORD.match(after):
                value = value.lstrip("$€£")  # "{{Refund Amount}} dollars": the word already says it
            if value.startswith("#") and out[-1].endswith("#"):
                value = value[1:]
            out[-1] = _fix_article(out[-1], value)
            out.append(value)
            continue
        generic_used = True
        after = text[position:]
        following = matches[index + 1] if index + 1 < len(matches) else None
        if (kind == "salutation" and following and not text[position:following.start()].strip()
                and slot_kind(following.group(0)) == "last_name" and is_given("last_name")):
            out.append(values.value("Client First Name"))  # "from Ms. Sharma": "from Priya Sharma", no guess
        elif kind == "number_of_days" and after.startswith("-day"):
            position += len("-day")  # "a {{number of days}}-day money-back guarantee" -> "a money-back guarantee"
        elif kind == "number_of_days":
            out.append("a set number of" if after.startswith(" days") else "a few")
        elif (kind in ("account_type", "account_category") and not _PLAN_NOUN.match(after)
              and not re.search(r"\b(?:a|an|the|your|my|our)\s*$", out[-1], re.I)):
            out.append("a new plan")  # "Switching your plan to {{Account Type}} is simple": not an adjective here
        else:
            out.append(generic(match))
    out.append(text[position:])
    result = "".join(out)
    return _DETERMINER_BEFORE_POSSESSIVE.sub(r"\1 ", tidy(result)) if generic_used else result


def _render_label(inner: str, values: ConversationValues, is_given: Callable[[str], bool], possessive: str) -> str:
    """'{{Account Category}} Upgrade' -> 'Premium Upgrade' (plan given) or 'Upgrade'."""
    def replace(match: re.Match[str]) -> str:
        name = slot_name(match.group(0))
        kind = slot_kind(name)
        if kind not in CUSTOMER_KINDS:
            return "{{" + name + "}}"
        return values.value(name) if is_given(kind) else generic_phrase(name, possessive)

    return " ".join(SLOT.sub(replace, inner).split())


def _fix_article(before: str, value: str) -> str:
    """'a' or 'an' before a value that replaced a slot ("an Enterprise account", "an 8-day trial")."""
    return _ARTICLE_BEFORE.sub(lambda m: _article(m.group(1), value) + m.group(2), before)


def _article(article: str, value: str) -> str:
    vowel = bool(re.match(r"[AEIOUaeiou]|8|1[18](?!\d)", value)) and not re.match(r"(?i)uni|eu|one", value)
    word = "an" if vowel else "a"
    return word.capitalize() if article.isupper() else word


def apply_row_policy(instruction: str, response: str, policy: str, key: str, seed: int) -> tuple[str, str]:
    """One exchange under a placeholder policy: `realistic` fills both texts from one set of values (seeded
    by `key`); the others (supportbot.data.placeholders) rewrite each text from its speaker's side."""
    if policy == "realistic":
        return realise(instruction, response, key, seed)
    return apply_policy(instruction, policy, speaker="user"), apply_policy(response, policy, speaker="assistant")
