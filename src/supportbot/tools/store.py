"""The SQLite store the tools run against: orders, invoices, refunds, addresses and change requests.

    store = OrderStore.create("store.sqlite", seed=42, orders=200)   # evaluate.py mode=chat: a file, seeded
    store.call("track_order", {"order_number": "17628484"})          # -> {"order_number": ..., "status": ...}

Every value comes from supportbot.data.values, seeded by (seed, order number): names, e-mails, addresses,
amounts, dates and tracking numbers look like the training conversations' own and an order is the same order
every time it is made. `ensure_order` makes the order a conversation names when the store does not have it yet,
which is how the training conversations get results consistent with what the customer said (their order
number, an amount that fits the order's total); in chat, an order number the store lacks is `not_found`.

A handler takes the store and the call's arguments (already checked against the tool's schema) and returns the
tool's result: a JSON-ready dict whose `status` picks the final answer (conf/tools/*.yaml `answers`). Each
handler lists the statuses it returns (`HANDLERS[name].statuses`): the registry refuses a tool without an answer
for one of them. A new tool either reuses a handler (`handler: track_order`) or adds one here.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

from supportbot.data.values import ConversationValues

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    order_number TEXT PRIMARY KEY, customer_name TEXT, email TEXT, status TEXT, placed_on TEXT,
    estimated_delivery TEXT, delivered_on TEXT, cancelled_on TEXT, carrier TEXT, tracking_number TEXT, items TEXT,
    total_cents INTEGER, currency TEXT, payment_method TEXT, shipping_address TEXT);
CREATE TABLE IF NOT EXISTS addresses (
    address_id INTEGER PRIMARY KEY, customer_name TEXT, address TEXT, added_on TEXT);
CREATE TABLE IF NOT EXISTS invoices (
    invoice_number TEXT PRIMARY KEY, order_number TEXT, customer_name TEXT, issued_on TEXT, amount_cents INTEGER,
    currency TEXT, paid INTEGER);
CREATE TABLE IF NOT EXISTS refunds (
    refund_id TEXT PRIMARY KEY, order_number TEXT, amount_cents INTEGER, currency TEXT, status TEXT,
    requested_on TEXT, expected_by TEXT, completed_on TEXT);
CREATE TABLE IF NOT EXISTS order_changes (
    request_id TEXT PRIMARY KEY, order_number TEXT, change TEXT, requested_on TEXT);
"""
# Order life cycle and how often each stage is met. Most orders can still be changed or cancelled, so most training
# conversations show the call succeeding; the rest teach the refusals.
STATUSES = ("placed", "processing", "shipped", "delivered", "cancelled")
_STATUS_WEIGHTS = (30, 30, 20, 15, 5)
OPEN = ("placed", "processing")  # not shipped: cancel, change and re-address still possible
_CARRIERS = (("1Z", "UPS"), ("9400", "USPS"), ("JD", "DHL"), ("TRK", "DPD"), ("", "FedEx"))
_CARDS = ("Visa card ending in {digits}", "Mastercard ending in {digits}", "American Express card ending in {digits}")
_MONEY = re.compile(r"([$€£])?\s*(\d[\d,]*(?:\.\d+)?)")


def _rng(seed: int, *parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join([str(seed), *parts]).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def parse_money(text: str) -> tuple[int, str] | None:
    """'€1,234.50' -> (123450, '€'); '42' -> (4200, ''); None where no amount is written."""
    found = _MONEY.search(str(text))
    if not found:
        return None
    return round(float(found.group(2).replace(",", "")) * 100), found.group(1) or ""


def money(cents: int, currency: str) -> str:
    return f"{currency}{cents // 100:,}.{cents % 100:02d}"


@dataclass(frozen=True)
class Handler:
    run: Callable[[OrderStore, dict[str, Any]], dict[str, Any]]
    statuses: tuple[str, ...]  # the `status` values its results can have: each needs an answer in the registry


class OrderStore:
    """One SQLite database (a file, or `:memory:` for the training conversations)."""

    def __init__(self, path: str | Path = ":memory:", seed: int = 42):
        self.path, self.seed = str(path), seed
        self.db = sqlite3.connect(self.path)
        self.db.row_factory = sqlite3.Row
        self.db.executescript(SCHEMA)

    @classmethod
    def create(cls, path: str | Path, seed: int, orders: int) -> OrderStore:
        """A store with `orders` orders (and their invoices, refunds and addresses): the same ones for a seed."""
        store = cls(path, seed)
        store.db.execute("PRAGMA synchronous = OFF")  # a scratch database the project can always make again
        rng = _rng(seed, "store")
        for index in range(orders):
            number = ConversationValues(f"store order {index}", seed).value("Order Number")
            store.ensure_order(number, status=rng.choices(STATUSES, weights=_STATUS_WEIGHTS)[0])
        return store

    def close(self) -> None:
        self.db.close()

    def order_numbers(self, limit: int = 5) -> list[str]:
        rows = self.db.execute("SELECT order_number FROM orders ORDER BY rowid LIMIT ?", (limit,)).fetchall()
        return [row["order_number"] for row in rows]

    def order(self, order_number: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM orders WHERE order_number = ?", (str(order_number).strip(),)).fetchone()

    def ensure_order(self, order_number: str, status: str | None = None, min_total_cents: int = 0,
                     currency: str | None = None, customer_name: str | None = None,
                     invoice_number: str | None = None, refunded: bool = False) -> sqlite3.Row:
        """The order, made from (seed, order number) if the store has none: what a conversation names exists.
        The hints make it fit the conversation: an amount the customer asks back is within its total, in the
        currency they wrote; a name they gave is the customer's, an invoice number theirs; `refunded`: a customer
        asking where their refund is mostly has one."""
        order_number = str(order_number).strip()
        if (row := self.order(order_number)) is not None:
            return row
        values = ConversationValues(f"order {order_number}", self.seed)
        rng = _rng(self.seed, "order", order_number)
        status = status or rng.choices(STATUSES, weights=_STATUS_WEIGHTS)[0]
        placed = values.day()
        tracking = values.value("Tracking Number")
        carrier = next(name for prefix, name in _CARRIERS if tracking.startswith(prefix))
        parsed = parse_money(values.value("Money Amount")) or (4999, "$")
        total, symbol = max(parsed[0], min_total_cents + rng.randint(0, 5000)), currency or parsed[1] or "$"
        items = ", ".join(sorted({values.value("Product Name"),
                                  *([ConversationValues(f"item {order_number}", self.seed).value("Product Name")]
                                    if rng.random() < 0.3 else [])}))
        shipped = status in ("shipped", "delivered")
        name = customer_name or values.value("Client Full Name")
        address = values.value("Address")
        row = {
            "order_number": order_number, "customer_name": name, "email": values.value("Email"), "status": status,
            "placed_on": placed.isoformat(), "estimated_delivery": (placed + timedelta(rng.randint(3, 9))).isoformat(),
            "delivered_on": (placed + timedelta(rng.randint(2, 6))).isoformat() if status == "delivered" else None,
            "cancelled_on": (placed + timedelta(rng.randint(0, 2))).isoformat() if status == "cancelled" else None,
            "carrier": carrier, "tracking_number": tracking if shipped else None, "items": items,
            "total_cents": total, "currency": symbol,
            "payment_method": rng.choice(_CARDS).format(digits=f"{rng.randint(0, 9999):04d}")
            if rng.random() < 0.8 else "PayPal account",
            "shipping_address": address,
        }
        with self.db:
            self.db.execute(f"INSERT INTO orders ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                            tuple(row.values()))
            self.db.execute("INSERT INTO addresses (customer_name, address, added_on) VALUES (?, ?, ?)",
                            (name, address, placed.isoformat()))
            self.db.execute("INSERT OR REPLACE INTO invoices VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (invoice_number or values.value("Invoice Number"), order_number, name,
                             placed.isoformat(), total, symbol,
                             int(status != "placed" or rng.random() < 0.5)))
            if status == "cancelled" or (status == "delivered" and rng.random() < 0.3) or (
                    refunded and rng.random() < 0.8):
                done = rng.random() < 0.5
                self.db.execute("INSERT OR REPLACE INTO refunds VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                (f"RF-{rng.randint(100000, 999999)}", order_number, total, symbol,
                                 "completed" if done else "processing", placed.isoformat(),
                                 (placed + timedelta(10)).isoformat(),
                                 (placed + timedelta(rng.randint(4, 9))).isoformat() if done else None))
        return self.order(order_number)

    def call(self, handler: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """Run one call; the result as the tool returns it (JSON-ready)."""
        if handler not in HANDLERS:
            raise KeyError(f"the store has no handler {handler!r} (it has {', '.join(sorted(HANDLERS))})")
        return HANDLERS[handler].run(self, arguments)

    def today(self, order: sqlite3.Row) -> date:
        """The day a call happens in this order's story: the store has no clock, so results stay deterministic."""
        return date.fromisoformat(order["placed_on"]) + timedelta(1)


def result_text(result: dict[str, Any]) -> str:
    """A result as the tool message's content: JSON, as an OpenAI-style server passes it to the template."""
    return json.dumps(result, ensure_ascii=False)


def _not_found(**fields: Any) -> dict[str, Any]:
    return {"status": "not_found", **fields}


def _track_order(store: OrderStore, args: dict) -> dict:
    order = store.order(args["order_number"])
    if order is None:
        return _not_found(order_number=args["order_number"])
    result = {"order_number": order["order_number"], "status": order["status"], "placed_on": order["placed_on"],
              "items": order["items"], "estimated_delivery": order["estimated_delivery"]}
    if order["status"] in ("shipped", "delivered"):
        result |= {"carrier": order["carrier"], "tracking_number": order["tracking_number"]}
    if order["status"] == "delivered":
        result["delivered_on"] = order["delivered_on"]
    if order["status"] == "cancelled":
        result["cancelled_on"] = order["cancelled_on"]
    return result


def _cancel_order(store: OrderStore, args: dict) -> dict:
    order = store.order(args["order_number"])
    if order is None:
        return _not_found(order_number=args["order_number"])
    number = order["order_number"]
    if order["status"] == "cancelled":
        return {"order_number": number, "status": "already_cancelled", "cancelled_on": order["cancelled_on"]}
    if order["status"] not in OPEN:
        return {"order_number": number, "status": "not_cancellable", "order_status": order["status"]}
    today = store.today(order).isoformat()
    with store.db:
        store.db.execute("UPDATE orders SET status = 'cancelled', cancelled_on = ? WHERE order_number = ?",
                         (today, number))
    return {"order_number": number, "status": "cancelled", "cancelled_on": today,
            "refund_amount": money(order["total_cents"], order["currency"]), "payment_method": order["payment_method"]}


def _changeable(store: OrderStore, number: str) -> tuple[dict | None, dict | None]:
    """The open order `number`, or (None, the result that says why it cannot be changed)."""
    order = store.order(number)
    if order is None:
        return None, _not_found(order_number=number)
    if order["status"] not in OPEN:
        return None, {"order_number": order["order_number"], "status": "not_changeable",
                      "order_status": order["status"]}
    return order, None


def _change_order(store: OrderStore, args: dict) -> dict:
    order, refusal = _changeable(store, args["order_number"])
    if order is None:
        return refusal
    number = order["order_number"]
    request_id = f"CR-{_rng(store.seed, 'change', number, args['change']).randint(100000, 999999)}"
    with store.db:
        store.db.execute("INSERT OR REPLACE INTO order_changes VALUES (?, ?, ?, ?)",
                         (request_id, number, args["change"], store.today(order).isoformat()))
    return {"order_number": number, "status": "change_requested", "request_id": request_id, "change": args["change"]}


def _change_shipping_address(store: OrderStore, args: dict) -> dict:
    order, refusal = _changeable(store, args["order_number"])
    if order is None:
        return refusal
    number = order["order_number"]
    with store.db:
        store.db.execute("UPDATE orders SET shipping_address = ? WHERE order_number = ?", (args["address"], number))
        store.db.execute("INSERT INTO addresses (customer_name, address, added_on) VALUES (?, ?, ?)",
                         (order["customer_name"], args["address"], store.today(order).isoformat()))
    return {"order_number": number, "status": "address_updated", "old_address": order["shipping_address"],
            "new_address": args["address"]}


def _get_invoice(store: OrderStore, args: dict) -> dict:
    # Most specific first: an invoice number names one invoice, a name may have several (the latest is shown).
    for column, key in (("invoice_number", "invoice_number"), ("order_number", "order_number"),
                        ("customer_name", "customer_name")):
        if args.get(key):
            invoice = store.db.execute(f"SELECT * FROM invoices WHERE lower({column}) = lower(?) "
                                       "ORDER BY issued_on DESC", (str(args[key]).strip(),)).fetchone()
            if invoice is not None:
                return {"status": "found", "invoice_number": invoice["invoice_number"],
                        "order_number": invoice["order_number"], "customer_name": invoice["customer_name"],
                        "issued_on": invoice["issued_on"],
                        "amount": money(invoice["amount_cents"], invoice["currency"]),
                        "payment_status": "paid" if invoice["paid"] else "due"}
    return _not_found(**{key: value for key, value in args.items() if value})


def _get_refund(store: OrderStore, args: dict) -> dict:
    order = store.order(args["order_number"])
    if order is None:
        return _not_found(order_number=args["order_number"])
    number, total = order["order_number"], order["total_cents"]
    asked = round(float(args["amount"]) * 100) if args.get("amount") is not None else total
    if asked > total:
        return {"order_number": number, "status": "exceeds_total", "order_total": money(total, order["currency"])}
    rng = _rng(store.seed, "refund", number)
    refund_id, expected = f"RF-{rng.randint(100000, 999999)}", store.today(order) + timedelta(rng.randint(5, 10))
    with store.db:
        store.db.execute("INSERT OR REPLACE INTO refunds VALUES (?, ?, ?, ?, 'processing', ?, ?, NULL)",
                         (refund_id, number, asked, order["currency"], store.today(order).isoformat(),
                          expected.isoformat()))
    return {"order_number": number, "status": "requested", "refund_id": refund_id,
            "amount": money(asked, order["currency"]), "payment_method": order["payment_method"],
            "expected_by": expected.isoformat()}


def _track_refund(store: OrderStore, args: dict) -> dict:
    order = store.order(args["order_number"])
    if order is None:
        return _not_found(order_number=args["order_number"])
    refund = store.db.execute("SELECT * FROM refunds WHERE order_number = ? ORDER BY requested_on DESC",
                              (order["order_number"],)).fetchone()
    if refund is None:
        return {"order_number": order["order_number"], "status": "no_refund"}
    result = {"order_number": order["order_number"], "status": refund["status"], "refund_id": refund["refund_id"],
              "amount": money(refund["amount_cents"], refund["currency"]), "payment_method": order["payment_method"]}
    return result | ({"completed_on": refund["completed_on"]} if refund["status"] == "completed"
                     else {"expected_by": refund["expected_by"]})


def _check_cancellation_fee(store: OrderStore, args: dict) -> dict:
    order = store.order(args["order_number"])
    if order is None:
        return _not_found(order_number=args["order_number"])
    number, status = order["order_number"], order["status"]
    if status == "placed":
        return {"order_number": number, "status": "no_fee", "order_status": status}
    if status == "processing":  # packing has started: a tenth of the total, at least 5
        fee = max(500, order["total_cents"] // 10)
        return {"order_number": number, "status": "fee", "order_status": status, "fee": money(fee, order["currency"])}
    return {"order_number": number, "status": "not_cancellable", "order_status": status}


HANDLERS: dict[str, Handler] = {
    "track_order": Handler(_track_order, (*STATUSES, "not_found")),
    "cancel_order": Handler(_cancel_order, ("cancelled", "not_cancellable", "already_cancelled", "not_found")),
    "change_order": Handler(_change_order, ("change_requested", "not_changeable", "not_found")),
    "change_shipping_address": Handler(_change_shipping_address, ("address_updated", "not_changeable", "not_found")),
    "get_invoice": Handler(_get_invoice, ("found", "not_found")),
    "get_refund": Handler(_get_refund, ("requested", "exceeds_total", "not_found")),
    "track_refund": Handler(_track_refund, ("processing", "completed", "no_refund", "not_found")),
    "check_cancellation_fee": Handler(_check_cancellation_fee, ("fee", "no_fee", "not_cancellable", "not_found")),
}
