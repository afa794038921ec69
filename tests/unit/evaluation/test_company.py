"""Filling slots for display: company values from the profile, customer values from the conversation."""

from __future__ import annotations


def test_company_values_fill_slots_and_customer_values_come_from_the_conversation():
    from supportbot.config import CompanyProfile
    from supportbot.evaluation.company import fill

    acme = CompanyProfile(name="Acme", values={"Website URL": "acme.example"})
    text, unfilled = fill("Order {{Order Number}}: see {{Website URL}}, {{Client Last Name}}.", acme,
                          ["where is order 77120"])
    assert text == "Order 77120: see acme.example, [Client Last Name]." and unfilled == ["Client Last Name"]
    text, unfilled = fill("Order {{Order Number}}", acme, ["cancel my order please"])
    assert text == "Order [Order Number]" and unfilled == ["Order Number"], "never invent a customer's number"


def test_an_invented_slot_is_snapped_to_the_nearest_known_one_and_never_shown_raw():
    from supportbot.config import CompanyProfile
    from supportbot.evaluation.company import fill

    acme = CompanyProfile(name="Acme", values={"Online Company Portal Info": "the Acme portal"})
    known = {"{{Account Information Page}}", "{{Online Company Portal Info}}"}
    text, unfilled = fill("Go to {{Online Company Portal}}, then {{Account Information}}; or {{Teleporter}}.", acme,
                          ["help"], known)
    assert text == "Go to the Acme portal, then [Account Information Page]; or [Teleporter]."
    assert unfilled == ["Account Information Page", "Teleporter"] and "{{" not in text
