"""The SQLite store: made by the project, the same for a seed, and its handlers keep an order's story consistent."""

from __future__ import annotations

import sqlite3

from supportbot.tools.store import HANDLERS, OrderStore, money, parse_money


def test_a_store_is_the_same_for_a_seed_and_written_to_a_file(tmp_path):
    first = OrderStore.create(tmp_path / "a.sqlite", seed=7, orders=20)
    second = OrderStore.create(tmp_path / "b.sqlite", seed=7, orders=20)
    numbers = first.order_numbers(20)
    assert len(set(numbers)) == 20 and numbers == second.order_numbers(20)
    assert [dict(first.order(n)) for n in numbers] == [dict(second.order(n)) for n in numbers]
    assert OrderStore.create(tmp_path / "c.sqlite", seed=8, orders=20).order_numbers(20) != numbers
    tables = {row[0] for row in sqlite3.connect(tmp_path / "a.sqlite").execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"orders", "invoices", "refunds", "addresses"} <= tables
    order = first.order(numbers[0])
    assert "@" in order["email"] and "," in order["shipping_address"] and order["total_cents"] > 0


def test_cancelling_changes_the_order_and_a_second_cancel_says_so():
    store = OrderStore(seed=1)
    store.ensure_order("ORD-1001", status="processing")
    result = store.call("cancel_order", {"order_number": "ORD-1001"})
    assert result["status"] == "cancelled" and result["refund_amount"] == money(store.order("ORD-1001")["total_cents"],
                                                                               store.order("ORD-1001")["currency"])
    assert store.call("track_order", {"order_number": "ORD-1001"})["status"] == "cancelled"
    assert store.call("cancel_order", {"order_number": "ORD-1001"})["status"] == "already_cancelled"
    store.ensure_order("ORD-1002", status="shipped")
    assert store.call("cancel_order", {"order_number": "ORD-1002"}) == {
        "order_number": "ORD-1002", "status": "not_cancellable", "order_status": "shipped"}
    assert store.call("track_order", {"order_number": "nope"}) == {"status": "not_found", "order_number": "nope"}


def test_address_refund_and_invoice_calls_use_what_the_customer_gave():
    store = OrderStore(seed=1)
    store.ensure_order("17628484", status="placed", min_total_cents=12000, currency="€", customer_name="Priya Sharma",
                       invoice_number="INV-2024-000042")
    moved = store.call("change_shipping_address", {"order_number": "17628484", "address": "5 Mill Lane, Leeds"})
    assert moved["status"] == "address_updated" and store.order("17628484")["shipping_address"] == "5 Mill Lane, Leeds"
    refund = store.call("get_refund", {"order_number": "17628484", "amount": 119.5})
    assert refund["status"] == "requested" and refund["amount"] == "€119.50"
    assert store.call("track_refund", {"order_number": "17628484"})["status"] == "processing"
    too_much = store.call("get_refund", {"order_number": "17628484", "amount": 1e6})
    assert too_much["status"] == "exceeds_total"
    for arguments in ({"customer_name": "priya sharma"}, {"invoice_number": "INV-2024-000042"},
                      {"order_number": "17628484"}):
        invoice = store.call("get_invoice", arguments)
        assert invoice["status"] == "found" and invoice["invoice_number"] == "INV-2024-000042"


def test_every_status_a_handler_returns_is_declared():
    store = OrderStore(seed=3)
    seen: dict[str, set] = {name: set() for name in HANDLERS}
    for index in range(60):
        number = f"N{index}"
        store.ensure_order(number)
        for name in HANDLERS:
            arguments = {"order_number": number, "change": "one more", "address": "1 High Street, York", "amount": 1}
            seen[name].add(store.call(name, arguments)["status"])
            store.db.rollback()
    for name, statuses in seen.items():
        assert statuses <= set(HANDLERS[name].statuses), name


def test_money_reads_what_the_values_write():
    assert parse_money("€1,234.50") == (123450, "€") and parse_money("42") == (4200, "") and parse_money("none") is None
    assert money(123450, "£") == "£1,234.50"
