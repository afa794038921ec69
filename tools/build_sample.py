"""Generate ``sample.csv``: supportbot's small built-in customer-support dataset.

What this is
    A deterministic, standard-library-only generator for the 378-row CSV that ships
    inside the package (``src/supportbot/data/sample.csv``). The generator itself is a
    development tool: it lives in ``tools/`` and is not installed with the package. It has the same columns
    and conventions as the Bitext customer-support dataset
    (``flags,instruction,category,intent,response``; the same 27 intents in 11
    categories; ``{{Placeholder}}`` slots in instructions and responses; flag letters
    describing the linguistic style of each instruction).

Whose sentences
    Only the *format* imitates Bitext. Every instruction and response is written by this
    project: hand-written templates filled with our own slot words, a typo function and
    a seeded random generator. No sentence is copied from the Bitext data, so the file
    is the project's own and carries no Bitext licence obligations.

How to regenerate
    python tools/build_sample.py                 # rewrites src/supportbot/data/sample.csv
    python tools/build_sample.py --output x.csv  # somewhere else (tests/unit/tools compares the two)

    The script writes the package's ``sample.csv``. It uses a fixed seed and no
    set/dict-order-dependent iteration, so two runs give byte-identical files. It
    validates the result before returning and raises ``ValueError`` if any check fails.

Why it exists
    The quickstart and the test suite must run offline, without the Hugging Face hub.
    This file gives them a realistic, tiny dataset (14 rows per intent) with the same
    quirks as the real one: typos, terse keyword queries, rude messages, many distinct
    placeholders and even a malformed nested placeholder.

Flag letters (as in the real data; every row starts with ``B``)
    B basic, C complex, E abbreviation, I interrogative, K keyword-style, L lexical
    variation, M morphological variation, P polite, Q colloquial, W offensive/rude,
    Z typo. Letters come from the instruction template that was used, from the slot
    word that was filled in (a synonym adds ``L``), and from the transformations
    applied below (a typo adds ``Z``, lowercasing a sentence adds ``Q``).
"""

import argparse
import csv
import itertools
import random
import re
import statistics
from pathlib import Path

SEED = 20240527
ROWS_PER_INTENT = 14
OUTPUT = Path(__file__).resolve().parents[1] / "src" / "supportbot" / "data" / "sample.csv"
COLUMNS = ["flags", "instruction", "category", "intent", "response"]

# ---------------------------------------------------------------------------
# Slot fillers. ``<name>`` in a template is replaced by one of these words; the
# first word is the plain one, the others are synonyms and add their flag letters.
# An article directly before a slot ("a <order>", "an <acct>") is fixed up to match.
# ---------------------------------------------------------------------------
SLOTS = {
    "order": [("order", ""), ("purchase", "L")],
    "acct": [("account", ""), ("profile", "L")],
    "inv": [("invoice", ""), ("bill", "L")],
    "refund": [("refund", ""), ("reimbursement", "L")],
    "cs": [("customer service", ""), ("customer support", "L")],
    "agent": [("human agent", ""), ("real person", "L"), ("live agent", "L")],
    "pwd": [("password", ""), ("login password", "L")],
    "news": [("newsletter", ""), ("mailing list", "L")],
}

# Misspellings used by the typo function (word -> typo). Words not listed here get
# two neighbouring letters swapped instead.
TYPOS = {
    "cancel": "cancle",
    "cancelling": "cancellling",
    "order": "ordr",
    "orders": "oders",
    "purchase": "purchse",
    "address": "adress",
    "password": "pasword",
    "invoice": "invoce",
    "invoices": "invoces",
    "refund": "refnd",
    "account": "acount",
    "receive": "recieve",
    "shipping": "shiping",
    "delivery": "delivry",
    "payment": "paymnet",
    "subscribe": "suscribe",
    "newsletter": "newsleter",
    "customer": "custmer",
    "service": "servise",
    "agent": "agnet",
    "track": "trak",
    "change": "chnage",
    "want": "wnat",
    "help": "hlep",
    "check": "chek",
    "delete": "delet",
    "create": "craete",
    "recover": "recuver",
    "complaint": "complant",
    "review": "reveiw",
    "register": "regster",
    "registration": "registraton",
    "switch": "swich",
    "policy": "polcy",
    "options": "optoins",
    "status": "staus",
    "please": "pleasse",
    "where": "whree",
    "know": "konw",
    "would": "woudl",
    "information": "infomation",
    "methods": "methds",
    "fee": "fe",
}

# Generic openers and closers wrapped around the intent-specific response bodies.
OPENERS = [
    "",
    "",
    "Thank you for reaching out, {{Salutation}} {{Client Last Name}}.",
    "Hi {{Person Name}}, thanks for your message.",
    "I'm glad you contacted us about this.",
    "Thanks for getting in touch.",
    "Hello {{Salutation}} {{Client Last Name}}, happy to help.",
]
CLOSERS = [
    "",
    "If anything is unclear, give us a ring on {{Customer Support Phone Number}} "
    "({{Customer Support Hours}}).",
    "You can also reach us through {{Live Chat Support}} on {{Website URL}} if you "
    "need anything else.",
    "Let me know if there's something more I can do for you.",
    "Thanks for your patience, and have a great day!",
    "If you need anything else, our team is here for you {{Customer Support Hours}} at "
    "{{Customer Support Phone Number}}, or any time through {{Live Chat Support}} on "
    "{{Website URL}}. We usually answer chat messages within a few minutes.",
]

# The real data contains malformed nested placeholders; exactly two rows get this note.
NESTED_NOTE = (
    "If you are thinking about extra features, the {{{{Account Category}} Upgrade}} "
    "is available under {{Settings}} > Membership."
)
NESTED_ROWS = [("edit_account", 0), ("switch_account", 0)]

# ---------------------------------------------------------------------------
# The table: intent -> category, instruction templates (text, flags) and response
# bodies. Order matters: rows are written grouped by intent in this order.
# ---------------------------------------------------------------------------
INTENTS = [
    # ----------------------------------------------------------------- ORDER
    {
        "intent": "cancel_order",
        "category": "ORDER",
        "instructions": [
            ("I want to cancel my <order> {{Order Number}}", ""),
            ("can you cancel <order> {{Order Number}} for me?", "I"),
            ("Could you please help me cancel the <order> I placed today?", "IP"),
            ("cancel request for <order> {{Order Number}}", "K"),
            ("changed my mind, gotta cancel <order> {{Order Number}}", "Q"),
            ("How do I go about cancelling a <order>?", "IM"),
            ("Wrong size ordered, need to cancel <order> {{Order Number}} before it ships", "C"),
            ("pls cancel my <order>, I don't need it anymore", "E"),
            ("Is it still possible to cancel <order> {{Order Number}}?", "I"),
            ("I'd like to call off the <order> made under {{Person Name}}", "L"),
            ("cancelling a <order> I made by mistake", "KM"),
        ],
        "responses": [
            "I understand you'd like to cancel <order> {{Order Number}}. Here is how to do it:\n"
            "1. Sign in at {{Online Company Portal Info}}.\n"
            "2. Open the {{Online Order Interaction}} section and select <order> "
            "{{Order Number}}.\n"
            "3. Choose \"Cancel\" and confirm the reason.\n"
            "You'll get an email confirming the cancellation. If the <order> has already "
            "shipped, the option is greyed out and a return is the way to go instead.",
            "Sorry to hear the <order> didn't work out. Orders can be cancelled free of "
            "charge until they are packed, usually within a few hours of purchase. If "
            "{{Order Number}} is still marked as processing, use the cancel option under "
            "{{Online Order Interaction}} on {{Website URL}}; otherwise our team can stop "
            "it for you by phone at {{Customer Support Phone Number}}.",
            "No problem, cancelling is quick. Once you confirm the cancellation of <order> "
            "{{Order Number}}, any charge on your card is reversed and the items go back to "
            "stock. A cancelled order cannot be reopened, so if you only want to swap an "
            "item it may be easier to edit the order instead of cancelling it.",
        ],
    },
    {
        "intent": "change_order",
        "category": "ORDER",
        "instructions": [
            ("I need to change something in my <order> {{Order Number}}", ""),
            ("can I add an item to <order> {{Order Number}}?", "I"),
            ("Could you please help me modify my <order>?", "ILP"),
            ("modify items in <order> {{Order Number}}", "KL"),
            ("wanna swap the colour of an item in my <order>", "Q"),
            ("How can I update the items in <order> {{Order Number}}?", "IL"),
            ("I'd like to remove a product from the <order> I made yesterday", "L"),
            ("need to change the quantity on <order> {{Order Number}} asap", "E"),
            ("I put the wrong size in my <order>, can it be changed?", "CI"),
            ("ugh, your site won't let me edit my damn <order>", "QW"),
            ("Is it too late to make changes to <order> {{Order Number}}?", "I"),
            ("changing items in a <order> placed by {{Person Name}}", "KM"),
        ],
        "responses": [
            "Happy to help you change <order> {{Order Number}}. As long as it hasn't been "
            "packed yet, you can edit it yourself:\n"
            "1. Log in to {{Online Company Portal Info}}.\n"
            "2. Go to {{Online Order Interaction}} and open the <order>.\n"
            "3. Click \"Edit items\" to add, remove or swap products, or change quantities.\n"
            "4. Review the new total and save.\n"
            "If the price goes up, the difference is charged to the same payment method; if "
            "it goes down, we refund the difference.",
            "Changes are possible while a <order> is still in the processing stage. Let me "
            "know exactly what you want to adjust in {{Order Number}} (a size, a colour, a "
            "quantity or an extra item) and I'll update it for you. Once the <order> is "
            "dispatched it can no longer be edited, but you can return the unwanted item.",
            "Thanks for catching that before shipping. To modify <order> {{Order Number}}, "
            "open it under {{Online Order Interaction}} on {{Website URL}} and pick \"Modify "
            "order\". If the edit button isn't showing, the <order> is already with the "
            "warehouse; in that case please call {{Customer Support Phone Number}} and we'll "
            "try to change it in time.",
        ],
    },
    {
        "intent": "place_order",
        "category": "ORDER",
        "instructions": [
            ("I want to place an order", ""),
            ("How do I buy a few items from your store?", "IL"),
            ("Could you please help me place an order for {{Person Name}}?", "IP"),
            ("place new order", "K"),
            ("i wanna order some stuff, how does it work", "Q"),
            ("I'd like to make a purchase on your website", "L"),
            ("Can I order something over the phone?", "I"),
            ("trying to buy a gift but the checkout keeps confusing me", "CL"),
            ("Where do I go to order products?", "I"),
            ("purchasing an item as a guest", "KLM"),
            ("how do I put in an order for delivery to {{Delivery City}}?", "IL"),
            ("I want to order 3 units of the same product", ""),
            ("pls help me order a gift card", "E"),
            ("help me buy something from you", "L"),
            ("I'd like to order a replacement part for my device", "L"),
            ("Can I place an order and pick it up in store?", "I"),
        ],
        "responses": [
            "Placing an order only takes a couple of minutes:\n"
            "1. Browse {{Website URL}} and add the products you want to your cart.\n"
            "2. Open the cart and click \"Checkout\".\n"
            "3. Sign in or continue as a guest, then enter your shipping details.\n"
            "4. Choose a payment method and confirm.\n"
            "You'll get a confirmation email with your order number right away, and you can "
            "follow the order any time under {{Online Order Interaction}}.",
            "I'd be glad to help you buy what you need. If you prefer not to order online, "
            "our team can place the order for you by phone at {{Customer Support Phone "
            "Number}} during {{Customer Support Hours}}, or you can visit us at {{Store "
            "Location}}. Just have the product names and your delivery address ready.",
            "Great choice to shop with us! Add the items to your cart, head to checkout and "
            "pick your delivery and payment options to place the order. If you have an "
            "account, saving your address under {{Profile}} makes future orders faster. "
            "Need a hand choosing products? Our advisers on {{Live Chat Support}} can help.",
        ],
    },
    {
        "intent": "track_order",
        "category": "ORDER",
        "instructions": [
            ("where is my <order> {{Order Number}}?", "I"),
            ("Can you tell me the status of <order> {{Order Number}}?", "I"),
            ("I'd appreciate an update on my <order>, please", "P"),
            ("track shipment of <order> {{Order Number}}", "K"),
            ("my <order> still hasn't arrived, what's going on", "Q"),
            ("How do I check where my <order> is right now?", "I"),
            ("Any news on the <order> for {{Person Name}}?", "IQ"),
            ("I need to know when <order> {{Order Number}} will get here", ""),
            ("where the hell is my <order>? it's been a week", "IW"),
            ("tracking info for <order> {{Order Number}} pls", "EKM"),
            ("I'd like to follow the shipment of my <order>", "L"),
            ("checking on the status of a <order> I placed on monday", "M"),
        ],
        "responses": [
            "Your <order> {{Order Number}} has shipped and is moving normally. Use tracking "
            "number {{Tracking Number}} on the carrier's site for the latest status update.",
            "You can follow <order> {{Order Number}} in real time:\n"
            "1. Sign in to {{Online Company Portal Info}}.\n"
            "2. Open {{Online Order Interaction}} and select the <order>.\n"
            "3. Click \"Track shipment\" to see the carrier's latest scan.\n"
            "Your tracking number is {{Tracking Number}}; you can also paste it on the "
            "carrier's website for more detail about where the parcel is.",
            "I've checked and <order> {{Order Number}} is on its way. The latest tracking "
            "update is available with tracking number {{Tracking Number}}. Parcels sometimes "
            "pause for a day at a sorting center, so don't worry if the status hasn't moved "
            "since yesterday.",
            "I'm sorry the wait for your <order> is taking longer than expected. If the "
            "tracking page for {{Order Number}} hasn't updated in more than 3 business days, "
            "contact us at {{Customer Support Phone Number}} and we'll open an investigation "
            "with the carrier. We'll either locate the parcel or send a replacement at no cost.",
        ],
    },
    # -------------------------------------------------------------- SHIPPING
    {
        "intent": "change_shipping_address",
        "category": "SHIPPING",
        "instructions": [
            ("I need to change the shipping address for <order> {{Order Number}}", ""),
            ("can I update the delivery address on my <order>?", "IL"),
            ("Could you please send <order> {{Order Number}} to a different address?", "ILP"),
            ("change address {{Order Number}}", "K"),
            ("moved house, gotta fix the address on my <order>", "Q"),
            ("How do I edit the address of a <order> that hasn't shipped?", "IL"),
            ("wrong address on <order> {{Order Number}}, help", "Q"),
            ("I typed the wrong street number in my shipping address", ""),
            ("Is it possible to redirect my <order> to {{Delivery City}}?", "IL"),
            ("modifying the shipping address for {{Person Name}}", "KLM"),
            ("ur site shipped to my old address again, seriously?", "EIW"),
            ("need to correct the delivery address on <order> {{Order Number}}", "L"),
        ],
        "responses": [
            "You can update the shipping address as long as <order> {{Order Number}} hasn't "
            "left our warehouse:\n"
            "1. Log in at {{Online Company Portal Info}}.\n"
            "2. Go to {{Online Order Interaction}} and open the <order>.\n"
            "3. Click \"Change shipping address\", enter the new address and save.\n"
            "A confirmation email will show the updated address. If the option is locked, "
            "the parcel is already with the carrier.",
            "No worries, wrong addresses happen. Send me the full new shipping address "
            "(street, number, postcode and city) and I'll attach it to <order> {{Order "
            "Number}}. If the package is already in transit, I can ask the carrier to "
            "redirect it, although that may add a day to the delivery.",
            "To change where <order> {{Order Number}} is delivered, please contact us as soon "
            "as possible at {{Customer Support Phone Number}} or via {{Live Chat Support}}. "
            "For security, we'll verify the account holder's name before editing the "
            "shipping address, and the new address must be in {{Delivery Country}}.",
        ],
    },
    {
        "intent": "set_up_shipping_address",
        "category": "SHIPPING",
        "instructions": [
            ("I want to set up a shipping address", ""),
            ("How do I add a new delivery address to my <acct>?", "IL"),
            ("Could you help me save a shipping address, please?", "ILP"),
            ("set up shipping address", "K"),
            ("where do i put my address so stuff ships to me", "IQ"),
            ("I'd like to register a second shipping address for {{Person Name}}", "L"),
            ("can I store a default address for future <order>s?", "IL"),
            ("adding a shipping address to my <acct>", "KLM"),
            ("Need to set up an address in {{Delivery City}} for deliveries", ""),
            ("trying to enter my shipping address but the form won't save it", "C"),
            ("pls help me create a new shipping address", "EL"),
            ("Is there a limit to how many shipping addresses I can save?", "I"),
            ("shipping address setup for my new home in {{Delivery City}}", "KL"),
            ("How do I make my work address the default one?", "IL"),
        ],
        "responses": [
            "Setting up a shipping address is easy:\n"
            "1. Sign in to your <acct> at {{Website URL}}.\n"
            "2. Go to {{Profile}} and open \"Addresses\".\n"
            "3. Click \"Add new address\", fill in the details and tick \"Set as default\" "
            "if you want it used automatically.\n"
            "4. Save.\n"
            "The address will be offered at checkout for all future orders.",
            "You can keep several shipping addresses in your <acct>, for example home, work "
            "or a relative's place. Add them under {{Settings}} > Addresses and choose the "
            "one you want each time you check out. There's no limit, and you can edit or "
            "remove saved addresses whenever you like.",
            "If the address form isn't saving, check that the postcode matches the city and "
            "that no required field is empty; those are the usual culprits. If it still "
            "fails, send us a screenshot through {{Live Chat Support}} and we'll set up the "
            "shipping address in your <acct> for you.",
        ],
    },
    # ---------------------------------------------------------------- CANCEL
    {
        "intent": "check_cancellation_fee",
        "category": "CANCEL",
        "instructions": [
            ("Is there a fee for cancelling my <order>?", "IM"),
            ("how much does it cost to cancel <order> {{Order Number}}?", "I"),
            ("Could you please tell me about the cancellation fee?", "IP"),
            ("cancellation fee", "K"),
            ("do u charge me if i cancel early", "EIQ"),
            ("I want to check the early termination charge", "L"),
            ("What are the penalties for cancelling my {{Account Type}} plan?", "ILM"),
            ("need info on cancellation charges for <order> {{Order Number}}", "EL"),
            ("will I be charged a fee to cancel the {{Account Category}} subscription?", "I"),
            ("check cancellation penalty", "KL"),
            ("you better not charge me a cancellation fee again", "W"),
            ("where can I see the cancellation fees?", "I"),
            ("Do I have to pay anything if I cancel within the first week?", "I"),
            ("is cancelling free or not", "IQ"),
        ],
        "responses": [
            "Cancelling an order before it ships is free. Once it has been dispatched, a "
            "cancellation fee of 10% of the order value applies to cover return shipping. "
            "For plans such as {{Account Type}}, an early termination fee of {{Money "
            "Amount}} may apply if you cancel before the end of the minimum term; the exact "
            "amount is shown under {{Settings}} > Billing.",
            "To see what you'd be charged for cancelling:\n"
            "1. Sign in to {{Online Company Portal Info}}.\n"
            "2. Open {{Online Order Interaction}} or your subscription page.\n"
            "3. Click \"Cancel\"; the cancellation fee, if any, is shown before you confirm.\n"
            "Nothing is charged until you press the final confirm button, so it's safe to "
            "check the fee first.",
            "I understand you want to know about cancellation fees before deciding. The fee "
            "depends on the product and how long you've had it. Give our team a call at "
            "{{Customer Support Phone Number}} during {{Customer Support Hours}} and we'll "
            "tell you the exact amount for your case, and whether it can be waived.",
        ],
    },
    # --------------------------------------------------------------- INVOICE
    {
        "intent": "check_invoice",
        "category": "INVOICE",
        "instructions": [
            ("I want to check my <inv> {{Invoice Number}}", ""),
            ("can you show me the <inv> for last month?", "I"),
            ("Could you please help me review <inv> {{Invoice Number}}?", "ILP"),
            ("check <inv> {{Invoice Number}}", "K"),
            ("where can I see the <inv>s for {{Person Name}}'s purchases?", "I"),
            ("I think there's a mistake on my <inv>", ""),
            ("how do i look at my old <inv>s", "IQ"),
            ("need to see the details of <inv> {{Invoice Number}} asap", "E"),
            ("I'd like to find the <inv> for <order> {{Order Number}}", "L"),
            ("checking the amounts on my latest <inv>", "KM"),
            ("Is there a way to view <inv>s online?", "IL"),
            ("the <inv> total is different from what I paid at checkout", "C"),
        ],
        "responses": [
            "You can review <inv> {{Invoice Number}} online:\n"
            "1. Sign in at {{Online Company Portal Info}}.\n"
            "2. Go to {{Online Order Interaction}} > Invoices.\n"
            "3. Filter by {{Date Range}} if you need older documents.\n"
            "4. Click the invoice to see every line, tax and discount.\n"
            "If an amount looks wrong, use \"Report a problem\" on the invoice page.",
            "I've looked into <inv> {{Invoice Number}}. It lists each item, the shipping cost "
            "and the taxes applied. If the total differs from what you paid, it's usually "
            "because a discount was applied after checkout or the order was split into two "
            "shipments. Let me know which line of the invoice you'd like explained.",
            "Happy to help you check your invoices. All invoices for your {{Account Type}} "
            "account are stored for seven years under {{Settings}} > Billing, where you can "
            "search by invoice number or date. If you can't find one, tell me the order "
            "number and I'll locate the invoice for you.",
        ],
    },
    {
        "intent": "get_invoice",
        "category": "INVOICE",
        "instructions": [
            ("I need a copy of my <inv> for <order> {{Order Number}}", ""),
            ("can you send me <inv> {{Invoice Number}}?", "I"),
            ("Could you please email me the <inv> for {{Person Name}}'s purchase?", "IP"),
            ("download <inv>", "K"),
            ("how do I get an <inv> for my company expenses?", "I"),
            ("I'd like to receive a PDF of my latest <inv>", "EL"),
            ("gimme the <inv> for last week's <order>", "Q"),
            ("Where do I download <inv>s from?", "I"),
            ("need an <inv> with my VAT number on it", "E"),
            ("requesting a duplicate <inv>", "KLM"),
            ("been asking for my <inv> for days, just send it already", "QW"),
            ("getting the <inv> for {{Invoice Number}}", "KM"),
            ("Is it possible to get all my <inv>s for this year?", "I"),
        ],
        "responses": [
            "Here's how to download your invoice:\n"
            "1. Log in to {{Online Company Portal Info}}.\n"
            "2. Open {{Online Order Interaction}} and select the order.\n"
            "3. Click \"Download invoice\" to get the PDF of {{Invoice Number}}.\n"
            "For business invoices, add your company name and tax ID under {{Profile}} "
            "before downloading so they appear on the document.",
            "Of course! I've sent a copy of <inv> {{Invoice Number}} to the email address on "
            "your account; it should arrive within a few minutes. If it doesn't show up, "
            "please check your spam folder or tell me a different address to send the "
            "invoice to.",
            "You can get invoices for any {{Date Range}} from {{Settings}} > Billing > "
            "Invoices; select several and download them as a single ZIP file. If you need "
            "a corrected invoice with a company name, our billing team can issue one within "
            "2 business days. Reach them at {{Customer Support Phone Number}}.",
        ],
    },
    # --------------------------------------------------------------- PAYMENT
    {
        "intent": "check_payment_methods",
        "category": "PAYMENT",
        "instructions": [
            ("What payment methods do you accept?", "I"),
            ("can I pay for my stuff with PayPal?", "IQ"),
            ("Could you please list the payment options?", "ILP"),
            ("payment methods", "K"),
            ("do u take apple pay or just cards", "EIQ"),
            ("I'd like to know which cards you accept", "L"),
            ("Is bank transfer an accepted way to pay?", "IL"),
            ("which payment options are available in {{Delivery City}}?", "IL"),
            ("checking if I can pay in instalments", "M"),
            ("I want to see the ways I can pay for my <order>", "L"),
            ("accepted forms of payment", "KL"),
            ("can I pay in {{Currency Symbol}} or only local currency?", "I"),
            ("help me check the available payment modes", "L"),
            ("Do you accept cash on delivery?", "IL"),
            ("need the list of payment methods pls", "E"),
        ],
        "responses": [
            "Visa, Mastercard and most other debit or credit cards work, plus PayPal, Apple "
            "Pay and Google Pay. "
            "The payment methods available for your country are listed at checkout, before "
            "you confirm the order.",
            "We accept Visa, Mastercard and American Express, PayPal, Apple Pay and Google "
            "Pay, as well as bank transfer for larger orders. Paying in instalments is "
            "available at checkout for eligible baskets. The full list of payment methods "
            "for your country is shown on {{Website URL}} under \"Payment options\".",
            "To see which payment methods you can use:\n"
            "1. Add your items to the cart on {{Website URL}}.\n"
            "2. Go to checkout and enter your delivery address.\n"
            "3. The payment step shows every option available for that address and currency.\n"
            "Saved cards and wallets can be managed in {{Settings}} > Payment methods.",
            "Good question! Payment options vary a little by region: cards and PayPal work "
            "everywhere, while local methods such as bank transfer or pay-later are offered "
            "in some countries. If your preferred method isn't listed, contact us at "
            "{{Customer Support Phone Number}} and we'll check whether it can be enabled for "
            "your {{Account Type}} account.",
        ],
    },
    {
        "intent": "payment_issue",
        "category": "PAYMENT",
        "instructions": [
            ("I have a problem with my payment", ""),
            ("why was my card declined?", "I"),
            ("Could you please help me, my payment didn't go through", "P"),
            ("payment error", "K"),
            ("got charged twice for <order> {{Order Number}}!!", "Q"),
            ("I'm unable to pay for my <order>", "L"),
            ("How do I fix a failed payment?", "I"),
            ("my payment keeps failing and i'm getting really annoyed", "Q"),
            ("I was charged in {{Currency Symbol}} but the site showed another currency", "C"),
            ("payment stuck on pending for {{Person Name}}'s order", "L"),
            ("report a problem paying", "KLM"),
            ("your stupid checkout took my money but no order", "W"),
            ("Is there a reason my PayPal payment was rejected?", "IL"),
            ("having trouble paying with my credit card", "LM"),
            ("the payment page freezes every time I click pay", "C"),
            ("Can you check why my payment failed yesterday?", "I"),
        ],
        "responses": [
            "Sorry about the trouble with your payment. Please try these steps:\n"
            "1. Check that the card details and billing address match what your bank has.\n"
            "2. Make sure the card is enabled for online purchases.\n"
            "3. Try another payment method from {{Settings}} > Payment methods.\n"
            "If the payment still fails, your bank may be blocking it; a quick call to them "
            "usually solves it.",
            "I'm sorry you were charged more than once. A duplicate charge is usually only a "
            "pending card authorisation and disappears from your statement within 3-5 "
            "business days. If it is still there after that, send us the bank statement line "
            "and we'll refund the extra payment right away.",
            "Payment problems are frustrating, and I'd like to sort this out for you. Our "
            "billing team can see exactly why a transaction failed; reach them at {{Customer "
            "Support Phone Number}} during {{Customer Support Hours}} or through {{Live Chat "
            "Support}}. Please have the order number {{Order Number}} and the last 4 digits "
            "of the card ready.",
        ],
    },
    # ---------------------------------------------------------------- REFUND
    {
        "intent": "check_refund_policy",
        "category": "REFUND",
        "instructions": [
            ("What is your refund policy?", "I"),
            ("can I get my money back if I don't like the product?", "IL"),
            ("Could you please explain how refunds work?", "IP"),
            ("refund policy", "K"),
            ("how long do i have to ask for a <refund>", "IQ"),
            ("I'd like to read the conditions for a <refund>", "L"),
            ("Do you refund items bought on sale?", "I"),
            ("what's the money-back guarantee on {{Account Type}} plans?", "IL"),
            ("checking whether opened products can be refunded", "M"),
            ("is your <refund> policy as useless as your support?", "IW"),
            ("need info about <refund> rules", "EL"),
            ("under what conditions will you give a full <refund>?", "I"),
            ("do u offer refunds for digital purchases", "EIQ"),
        ],
        "responses": [
            "Our refund policy is simple: you can return most items within 30 days of "
            "delivery for a full refund, as long as they are unused and in their original "
            "packaging. Sale items are refundable too. Digital products can be refunded "
            "within 14 days if they haven't been downloaded. The full policy is on {{Website "
            "URL}}.",
            "Here's a quick overview of how refunds work:\n"
            "1. Request the return within 30 days from {{Online Order Interaction}}.\n"
            "2. Send the item back using the prepaid label.\n"
            "3. Once we receive it, we inspect it within 2 business days.\n"
            "4. The refund goes back to your original payment method, usually within 5-7 "
            "business days.\n"
            "Shipping costs are refunded only if the item was faulty.",
            "Good to ask before buying! For subscriptions such as {{Account Type}}, you can "
            "cancel within the first 14 days for a full refund; after that, refunds are "
            "prorated. Opened hygiene products can't be refunded unless they're defective. "
            "For special cases, our team at {{Customer Support Phone Number}} can review "
            "your refund request under the policy.",
        ],
    },
    {
        "intent": "get_refund",
        "category": "REFUND",
        "instructions": [
            ("I want a <refund> for <order> {{Order Number}}", ""),
            ("how do I get my money back?", "IL"),
            ("Could you please process a <refund> of {{Currency Symbol}}{{Refund Amount}}?", "IP"),
            ("request <refund>", "K"),
            ("item arrived broken, i want my money back", "LQ"),
            ("Can I get a <refund> for a product I returned last week?", "I"),
            ("I'd like to be reimbursed for the damaged item", "LM"),
            ("need a <refund> asap for {{Person Name}}'s order", "E"),
            ("give me my {{Refund Amount}} back, this product is junk", "W"),
            ("how can I ask for a <refund> on <order> {{Order Number}}?", "I"),
            ("requesting a <refund> for a cancelled subscription", "KM"),
            ("I returned the item but still haven't asked for the <refund>", ""),
        ],
        "responses": [
            "I'm sorry the product didn't meet your expectations. To request your refund:\n"
            "1. Sign in to {{Online Company Portal Info}}.\n"
            "2. Open {{Online Order Interaction}} and select order {{Order Number}}.\n"
            "3. Click \"Request refund\", choose the reason and submit.\n"
            "Once approved, {{Refund Amount}} will be sent back to your original payment "
            "method.",
            "Thank you for sending the item back. I've started a <refund> of {{Currency "
            "Symbol}}{{Refund Amount}} for order {{Order Number}}. You'll receive a "
            "confirmation email shortly, and the money usually appears on your statement "
            "within 5-7 business days.",
            "I understand you want your money back, and I'm here to make that happen. If the "
            "item arrived damaged, there's no need to return it: just upload a photo with "
            "your refund request and we'll approve it faster. For anything else, our refund "
            "team is reachable at {{Customer Support Phone Number}}.",
        ],
    },
    {
        "intent": "track_refund",
        "category": "REFUND",
        "instructions": [
            ("where is my <refund>?", "I"),
            ("Can you check the status of my <refund> for {{Refund Amount}}?", "I"),
            ("Could you please tell me when I'll receive my <refund>?", "IP"),
            ("status of <refund> request", "K"),
            ("still no <refund> after 2 weeks, what's up", "Q"),
            ("How long does a <refund> take to show up on my card?", "I"),
            ("I'd like an update on the <refund> for <order> {{Order Number}}", "L"),
            ("has my <refund> of {{Currency Symbol}}{{Refund Amount}} been processed?", "I"),
            ("tracking the <refund> for {{Person Name}}", "KM"),
            ("you promised my money back weeks ago, where is it??", "IW"),
            ("i want to know if the <refund> was sent", "Q"),
            ("check progress of my <refund> pls", "EL"),
        ],
        "responses": [
            "I've checked your <refund> for order {{Order Number}}: {{Currency Symbol}}"
            "{{Refund Amount}} was approved and sent to your original payment method. Banks "
            "usually take 5-7 business days to show it, sometimes up to 10 for credit cards. "
            "If it still isn't visible after that, let us know and we'll send you the "
            "transaction reference.",
            "You can follow your refund's progress yourself:\n"
            "1. Log in at {{Online Company Portal Info}}.\n"
            "2. Go to {{Online Order Interaction}} > Returns & refunds.\n"
            "3. Open the return for {{Order Number}} to see its status: received, "
            "inspected, refunded.\n"
            "When the status says \"Refunded\", the money has left our account and is on "
            "its way to you.",
            "I'm sorry your refund is taking longer than expected. Refunds start once the "
            "returned item has been inspected, which takes up to 2 business days after it "
            "reaches our warehouse. If it's been more than 10 days since then, contact our "
            "billing team at {{Customer Support Phone Number}} during {{Customer Support "
            "Hours}} and we'll trace the payment.",
        ],
    },
    # -------------------------------------------------------------- FEEDBACK
    {
        "intent": "complaint",
        "category": "FEEDBACK",
        "instructions": [
            ("I want to file a complaint", ""),
            ("how do I make a complaint about your service?", "I"),
            ("Could you please forward my complaint to a manager?", "IP"),
            ("file complaint", "K"),
            ("your delivery guy was super rude, wanna complain", "Q"),
            ("I'm not happy with the service I got from {{Person Name}}", "L"),
            ("where can I lodge a formal complaint?", "IL"),
            ("this is the worst customer service ever, I want to complain", "W"),
            ("need to report a bad experience with <order> {{Order Number}}", "L"),
            ("complaining about a damaged product", "KM"),
            ("Is there a form for complaints?", "I"),
            ("i'd like to raise an issue about how my case was handled", "LQ"),
            ("the staff at your store were unhelpful and I want to complain", "C"),
            ("I wish to submit a complaint regarding a late delivery", "L"),
            ("who do I complain to about a rude employee?", "I"),
        ],
        "responses": [
            "I'm truly sorry about your experience, and thank you for telling us. Your "
            "complaint has been logged and passed to our customer care team, who will review "
            "it and reply within 2 business days. If it relates to order {{Order Number}}, "
            "we'll include the order history so you don't have to repeat yourself.",
            "We take every complaint seriously. To file a formal complaint:\n"
            "1. Go to {{Website URL}} and open \"Contact us\".\n"
            "2. Select \"Make a complaint\" and describe what happened.\n"
            "3. Attach any photos or documents that help explain the issue.\n"
            "You'll get a case number by email, and a manager will contact you personally.",
            "I'm sorry we let you down. You can also share your complaint with our team by "
            "phone at {{Customer Support Phone Number}} or through {{Live Chat Support}}. "
            "Every complaint is read by a supervisor, and where something went wrong we'll "
            "explain what we're doing to fix it and make it right for you.",
        ],
    },
    {
        "intent": "review",
        "category": "FEEDBACK",
        "instructions": [
            ("I want to leave a review", ""),
            ("where can I write a review for the product I bought?", "I"),
            ("Could you please tell me how to submit feedback?", "ILP"),
            ("leave review", "K"),
            ("wanna share my thoughts on your service", "LQ"),
            ("I'd like to give feedback about my <order> {{Order Number}}", "L"),
            ("How do I rate the assistance I got from {{Person Name}}?", "IL"),
            ("just want to say your team was great", "Q"),
            ("reviewing a product I purchased", "KM"),
            ("Is there a place to post comments about your store?", "IL"),
            ("I have some suggestions to improve your app", "L"),
            ("pls tell me how to rate my purchase", "EL"),
            ("your app is crap and I'm going to say so in a review", "W"),
            ("Can I leave a review for <order> {{Order Number}}?", "I"),
            ("writing a review about your delivery service", "KM"),
        ],
        "responses": [
            "Thank you for wanting to share your opinion! You can leave a review on any "
            "product page on {{Website URL}}: scroll to \"Customer reviews\" and click "
            "\"Write a review\". You'll need to be signed in, and reviews are published "
            "after a quick moderation check, usually within 24 hours.",
            "We'd love to hear your feedback. Here's how to leave it:\n"
            "1. Sign in to {{Online Company Portal Info}}.\n"
            "2. Open {{Online Order Interaction}} and find the item.\n"
            "3. Click \"Rate this product\", pick a star rating and add your comments.\n"
            "For feedback about our service rather than a product, use the \"Rate your "
            "experience\" link in your last support email.",
            "Thanks so much for taking the time to give us feedback. Every review, positive "
            "or negative, is read by our product team and helps us improve. If you'd rather "
            "share your thoughts directly, send them through {{Live Chat Support}} or reply "
            "to any of our emails, and we'll pass them on.",
        ],
    },
    # --------------------------------------------------------------- CONTACT
    {
        "intent": "contact_customer_service",
        "category": "CONTACT",
        "instructions": [
            ("what's the best way to contact your customer service?", "I"),
            ("I need to talk to <cs>", ""),
            ("Could you please give me the <cs> phone number?", "IP"),
            ("<cs> number", "K"),
            ("what time is <cs> open", "IQ"),
            ("I'd like to speak with someone from <cs>", "L"),
            ("how do i reach ur <cs> team", "EIQ"),
            ("Is there an email address for <cs>?", "I"),
            ("contacting <cs> about my <order>", "KM"),
            ("where can I find the <cs> hours?", "I"),
            ("need help from <cs> with an issue", "L"),
        ],
        "responses": [
            "You can reach our customer service team by phone at {{Customer Support Phone "
            "Number}} during {{Customer Support Hours}}, by email at {{Customer Support "
            "Email}}, or through {{Live Chat Support}} on {{Website URL}}. Live chat usually "
            "has the shortest waiting time.",
            "Here are all the ways to get in touch with <cs>:\n"
            "1. Phone: {{Customer Support Phone Number}}, available {{Customer Support Hours}}.\n"
            "2. Live chat: open {{Live Chat Support}} from any page on {{Website URL}}.\n"
            "3. Email: write to {{Customer Support Email}} and we'll reply within 24 hours.\n"
            "4. In person: visit us at {{Store Location}}.",
            "Our <cs> team is just a call away. Before contacting them, have your account "
            "email or order number handy so they can find your details quickly. Outside "
            "{{Customer Support Hours}}, you can leave a message and someone from customer "
            "service will get back to you the next business day.",
        ],
    },
    {
        "intent": "contact_human_agent",
        "category": "CONTACT",
        "instructions": [
            ("I want to talk to a <agent>", ""),
            ("can I speak with a <agent> please?", "IP"),
            ("Could you transfer me to a <agent>?", "I"),
            ("talk to <agent>", "K"),
            ("stop the bot, get me a <agent>", "Q"),
            ("I don't want an automated reply, I need a <agent>", "C"),
            ("how do I reach a <agent> instead of this chat?", "I"),
            ("is there a <agent> I can chat with?", "I"),
            ("this bot is useless, put me through to a <agent>", "W"),
            ("connecting with a <agent> pls", "EKM"),
            ("I'd prefer to discuss this with a <agent>", "P"),
        ],
        "responses": [
            "Sure, I'm passing this chat to a human agent now. Please stay in the chat "
            "window; a person from our team will reply in a few minutes and can see this "
            "conversation.",
            "Of course, I understand you'd prefer to speak with a person. I'm transferring "
            "you to one of our human agents now; the current waiting time is a few minutes. "
            "If you'd rather not wait, you can also call {{Customer Support Phone Number}} "
            "during {{Customer Support Hours}} and choose option 2 to go straight to an agent.",
            "I'll connect you with a human agent. To make the handover quick:\n"
            "1. Tell me briefly what your question is about.\n"
            "2. Share your order number or account email, if relevant.\n"
            "3. Stay in this chat window; an agent will join as soon as one is free.\n"
            "Your conversation history will be shared so you won't have to repeat anything.",
            "No problem, a member of our team will take over. Human agents are available "
            "through {{Live Chat Support}} and by phone during {{Customer Support Hours}}. "
            "Outside those hours, leave your name and number and an agent will call you back "
            "the next business day.",
        ],
    },
    # --------------------------------------------------------------- ACCOUNT
    {
        "intent": "create_account",
        "category": "ACCOUNT",
        "instructions": [
            ("I want to create an <acct>", ""),
            ("how do I sign up for a {{Account Type}} <acct>?", "IL"),
            ("Could you please help me open a new <acct>?", "ILP"),
            ("create <acct>", "K"),
            ("wanna make an <acct> on your site", "LQ"),
            ("Can I register an <acct> for {{Person Name}}?", "IL"),
            ("I'd like to open a {{Account Category}} <acct>", "L"),
            ("where do i go to sign up", "IQ"),
            ("new <acct> registration pls", "EK"),
            ("creating an <acct> for my small business", "KM"),
            ("Is it free to create an <acct>?", "I"),
            ("I need an <acct> to track my orders", ""),
        ],
        "responses": [
            "Welcome! Creating an account takes less than two minutes:\n"
            "1. Go to {{Website URL}} and click \"Sign up\".\n"
            "2. Enter your name, email address and a password.\n"
            "3. Choose the {{Account Type}} plan that suits you.\n"
            "4. Confirm your email address using the link we send you.\n"
            "That's it: your new account lets you save addresses, track orders and get "
            "member offers.",
            "Thanks for choosing to join us! Creating an account is free. You can pick a "
            "{{Account Category}} account if you're buying for a business, which gives you "
            "VAT invoices and bulk pricing. Sign up on {{Website URL}}, or ask at {{Store "
            "Location}} and our staff will set up the account for you.",
            "Great to have you on board! Once your account is created, go to {{Profile}} to "
            "complete your details and to {{Settings}} to choose your notification "
            "preferences. If the sign-up confirmation email doesn't arrive within 10 minutes, "
            "please check your spam folder.",
        ],
    },
    {
        "intent": "delete_account",
        "category": "ACCOUNT",
        "instructions": [
            ("I want to delete my <acct>", ""),
            ("how do I close my {{Account Type}} <acct>?", "IL"),
            ("Could you please remove my <acct> and all my data?", "ILP"),
            ("delete <acct> permanently", "K"),
            ("done with this site, delete my <acct>", "Q"),
            ("Can I permanently erase the <acct> of {{Person Name}}?", "IL"),
            ("I'd like to cancel my {{Account Category}} <acct>", "L"),
            ("how do i get rid of my <acct>", "ILQ"),
            ("deleting my <acct> and personal data", "KM"),
            ("just delete my damn <acct> already", "W"),
            ("is there a way to deactivate my <acct> for a while?", "IL"),
            ("need to terminate my <acct> asap", "EL"),
        ],
        "responses": [
            "I'm sorry to see you go. To delete your account:\n"
            "1. Sign in to {{Online Company Portal Info}}.\n"
            "2. Open {{Settings}} > Privacy.\n"
            "3. Click \"Delete account\" and confirm with your password.\n"
            "Your personal data will be erased within 30 days, except invoices that we must "
            "keep by law. Any open orders must be completed or cancelled first.",
            "I understand you'd like to close your {{Account Type}} account. Before you do, "
            "please note that deletion is permanent: your order history, saved addresses and "
            "any store credit will be lost. If you just want a break, you can deactivate the "
            "account instead under {{Settings}} and reactivate it whenever you like.",
            "We can delete your account for you. For security, we need to confirm you're "
            "the account holder, so please write to {{Customer Support Email}} from the email "
            "address linked to the account, or call {{Customer Support Phone Number}}. We'll "
            "confirm by email once your account and data have been removed.",
        ],
    },
    {
        "intent": "edit_account",
        "category": "ACCOUNT",
        "instructions": [
            ("I want to edit my <acct> details", ""),
            ("how do I change the email on my <acct>?", "I"),
            ("Could you please help me update my {{Account Type}} <acct>?", "ILP"),
            ("edit <acct> info", "EK"),
            ("gotta update my phone number on my <acct>", "LQ"),
            ("Can I change the name on my <acct> to {{Person Name}}?", "I"),
            ("I'd like to modify my {{Account Category}} <acct> information", "L"),
            ("where do i change my <acct> settings", "IQ"),
            ("updating personal info in my <acct>", "EKLM"),
            ("your <acct> page is a nightmare, how do I edit anything?", "IW"),
            ("need to fix a typo in my <acct> name", "L"),
            ("pls help me change my <acct> details", "E"),
        ],
        "responses": [
            "You can update your account details at any time:\n"
            "1. Sign in at {{Website URL}}.\n"
            "2. Go to {{Profile}}.\n"
            "3. Click \"Edit\" next to the field you want to change (name, email, phone or "
            "date of birth).\n"
            "4. Save your changes.\n"
            "For security, changing your email address requires confirming the new address "
            "via a link we send to it.",
            "Happy to help you update your account. Most details, such as your name, phone "
            "number and communication preferences, can be edited in {{Settings}}. If you want "
            "to change your {{Account Type}} plan, that's under \"Membership\" in the same "
            "menu. Changes to your account take effect immediately.",
            "If a field in your profile is locked, it's usually because it's linked to an "
            "active order or a verified identity. In that case, our team can edit it for you: "
            "contact us at {{Customer Support Phone Number}} during {{Customer Support Hours}} "
            "and we'll update your {{Account Category}} account after a short verification.",
        ],
    },
    {
        "intent": "recover_password",
        "category": "ACCOUNT",
        "instructions": [
            ("I forgot my <pwd>", ""),
            ("how do I reset my <pwd>?", "I"),
            ("Could you please help me recover my <pwd>?", "IP"),
            ("reset <pwd>", "K"),
            ("locked out, can't remember my <pwd>", "LQ"),
            ("I'd like to retrieve the <pwd> for {{Person Name}}'s account", "L"),
            ("the reset <pwd> email never arrived", ""),
            ("how do i get back into my account without my <pwd>", "IQ"),
            ("recovering my {{Account Type}} account <pwd>", "KM"),
            ("why does your stupid site keep rejecting my <pwd>?", "IW"),
            ("need a new <pwd> asap", "E"),
            ("Is there another way to reset my <pwd> if I lost my phone?", "CI"),
        ],
        "responses": [
            "Click \"Forgot password?\" on the sign-in page of {{Website URL}}, enter your "
            "email, and follow the link we send to set a new password. The link stays "
            "valid for 24 hours.",
            "Don't worry, resetting your password is quick:\n"
            "1. Go to {{Website URL}} and click \"Sign in\".\n"
            "2. Select \"Forgot password?\".\n"
            "3. Enter the email address linked to your account.\n"
            "4. Open the email we send and follow the link to choose a new password.\n"
            "The link is valid for 24 hours. If it expires, simply request a new one.",
            "If the password reset email hasn't arrived, please check your spam or "
            "promotions folder and make sure you're using the email address registered to "
            "your account. Reset emails can take up to 10 minutes. Still nothing? Contact us "
            "at {{Customer Support Email}} and we'll verify your identity and reset it "
            "manually.",
            "I understand how frustrating it is to be locked out. For security, after 5 "
            "failed attempts the account is locked for 30 minutes. After that, use \"Forgot "
            "password?\" to set a new password. If you've lost access to your email too, "
            "call {{Customer Support Phone Number}} during {{Customer Support Hours}} and "
            "we'll help you recover the account.",
        ],
    },
    {
        "intent": "registration_problems",
        "category": "ACCOUNT",
        "instructions": [
            ("I can't register on your website", ""),
            ("why won't the sign-up form accept my email?", "IL"),
            ("Could you please help me, registration keeps failing", "MP"),
            ("registration error", "K"),
            ("sign up isn't working for me, any ideas", "LQ"),
            ("I'm having trouble completing my registration", "L"),
            ("the verification email never came after signing up", "LM"),
            ("problems creating a {{Account Type}} account", "KM"),
            ("i keep getting an error when i try to register", "Q"),
            ("your registration page is broken, fix it", "W"),
            ("How do I report an issue with signing up?", "ILM"),
            ("registering fails for {{Person Name}}, says email already in use", "CM"),
            ("can't finish signup, pls help", "E"),
            ("signing up keeps timing out on my phone", "M"),
            ("Is there a problem with your registration system today?", "I"),
            ("I signed up but my account was never created", "C"),
        ],
        "responses": [
            "Sorry you're having trouble signing up. Please try the following:\n"
            "1. Check that your email address is typed correctly and not already registered.\n"
            "2. Use a password of at least 8 characters with a number and a letter.\n"
            "3. Clear your browser's cache or try another browser.\n"
            "4. Disable ad-blockers on {{Website URL}} during registration.\n"
            "If none of this works, send us a screenshot of the error.",
            "If the registration form says your email is already in use, you may have an "
            "account from a previous purchase. Try \"Forgot password?\" with that email to "
            "regain access. If you never registered, contact us at {{Customer Support "
            "Email}} and we'll look into it.",
            "I'm sorry the registration isn't going through. Our team can complete the "
            "sign-up for you or check what's blocking it: reach us through {{Live Chat "
            "Support}} or at {{Customer Support Phone Number}} during {{Customer Support "
            "Hours}}. Please mention the email address and the exact error message you see.",
        ],
    },
    {
        "intent": "switch_account",
        "category": "ACCOUNT",
        "instructions": [
            ("I want to switch to another <acct>", ""),
            ("how do I change to a {{Account Type}} <acct>?", "IL"),
            ("Could you please help me move to the {{Account Category}} plan?", "ILP"),
            ("switch <acct>", "K"),
            ("wanna swap to my other <acct>", "LQ"),
            ("Can I log in to {{Person Name}}'s <acct> from mine?", "I"),
            ("I'd like to upgrade my <acct>", "L"),
            ("how do i switch between my personal and work <acct>s", "IQ"),
            ("switching my <acct> to a business one", "KM"),
            ("why is it so damn hard to change <acct>s here?", "ILW"),
            ("need to downgrade to a {{Account Type}} <acct>", "L"),
            ("Is it possible to use two <acct>s on the same device?", "I"),
        ],
        "responses": [
            "You can switch between accounts without logging out each time:\n"
            "1. Click your name in the top corner of {{Website URL}}.\n"
            "2. Choose \"Switch account\".\n"
            "3. Select the account you want, or add a new one with its email and password.\n"
            "Each account keeps its own orders, addresses and payment methods.",
            "Switching your plan to {{Account Type}} is simple: go to {{Settings}} > "
            "Membership, choose the new plan and confirm. The switch happens immediately, and "
            "any price difference is prorated on your next bill. You can move back to your "
            "previous account plan at any time.",
            "I can help you switch to a {{Account Category}} account. Your order history and "
            "saved details will be kept, and you'll get access to the features included in "
            "that category. If you'd like us to make the switch for you, contact us at "
            "{{Customer Support Phone Number}} and have your current account email ready.",
        ],
    },
    # -------------------------------------------------------------- DELIVERY
    {
        "intent": "delivery_options",
        "category": "DELIVERY",
        "instructions": [
            ("What delivery options do you have?", "I"),
            ("can I get express shipping?", "IL"),
            ("Could you please tell me the shipping methods available?", "ILP"),
            ("delivery options", "K"),
            ("do u do next day delivery", "EIQ"),
            ("I'd like to know if you deliver to {{Delivery City}}", ""),
            ("Is in-store pickup an option?", "IL"),
            ("how much is standard shipping", "IQ"),
            ("checking shipping choices for a big order", "KLM"),
            ("why is your shipping so expensive, are there cheaper options?", "CIW"),
            ("can I pick a delivery time slot?", "I"),
            ("I want to see all the ways you can ship my <order>", "L"),
            ("do you ship internationally?", "IL"),
            ("shipping methods for {{Delivery City}}", "KL"),
            ("what are my options for getting the parcel delivered", "IQ"),
        ],
        "responses": [
            "We offer several delivery options: standard delivery (3-5 business days), "
            "express delivery (1-2 business days), next-day delivery for orders placed before "
            "{{Shipping Cut-off Time}}, and free click-and-collect at {{Store Location}}. "
            "Prices and availability of each option for your address are shown at checkout.",
            "To compare delivery options for your order:\n"
            "1. Add your items to the cart on {{Website URL}}.\n"
            "2. Go to checkout and enter your delivery address.\n"
            "3. Pick standard, express, scheduled or pickup; each shows its price and "
            "estimated date.\n"
            "Members with a {{Account Type}} account get free express delivery on every order.",
            "Good news: we deliver to {{Delivery City}} and most other cities with standard, "
            "express and scheduled delivery options. Scheduled delivery lets you choose a "
            "two-hour time slot. For oversized items, a specialised carrier will contact you "
            "to arrange a date. Any questions? Our team is on {{Live Chat Support}}.",
        ],
    },
    {
        "intent": "delivery_period",
        "category": "DELIVERY",
        "instructions": [
            ("How long does delivery take?", "I"),
            ("when will my <order> {{Order Number}} arrive?", "I"),
            ("Could you please tell me the estimated delivery time?", "IP"),
            ("delivery time", "K"),
            ("how many days till my stuff gets here", "IQ"),
            ("I'd like to know how long shipping to {{Delivery City}} takes", "L"),
            ("what's the delivery date for {{Person Name}}'s order?", "IL"),
            ("Is it possible to get it by Friday?", "I"),
            ("estimating delivery for a big <order>", "KM"),
            ("it's been ages, how long does your slow delivery take??", "IW"),
            ("i need the package before the weekend, will it arrive in time", "CQ"),
            ("need an ETA for my parcel", "E"),
            ("How soon will my <order> be delivered?", "I"),
            ("I'd like to know the delivery period for express shipping", "L"),
        ],
        "responses": [
            "Most orders arrive within 3-5 business days of dispatch. The exact delivery "
            "date for {{Order Number}} is shown in {{Online Order Interaction}}, updated daily.",
            "Standard delivery takes 3-5 business days, and express delivery 1-2 business "
            "days from dispatch. Orders are usually dispatched within 24 hours. For order "
            "{{Order Number}}, the estimated delivery date is shown in {{Online Order "
            "Interaction}}, and you can follow it with tracking number {{Tracking Number}}.",
            "To find the expected delivery date:\n"
            "1. Sign in to {{Online Company Portal Info}}.\n"
            "2. Open {{Online Order Interaction}} and select the order.\n"
            "3. The estimated delivery window is shown at the top of the page.\n"
            "Delivery can take a day or two longer during holidays and to remote areas.",
            "Delivery to {{Delivery City}} normally takes between 2 and 4 business days. "
            "Orders placed during {{Date Range}} may need an extra day because of high "
            "demand. If you need it by a specific date, choose express at checkout, as its "
            "delivery date is guaranteed. We'll keep you updated by email along the way.",
        ],
    },
    # ---------------------------------------------------------- SUBSCRIPTION
    {
        "intent": "newsletter_subscription",
        "category": "SUBSCRIPTION",
        "instructions": [
            ("I want to subscribe to your <news>", ""),
            ("how do I sign up for the <news>?", "I"),
            ("Could you please add me to your <news>?", "IP"),
            ("<news> signup", "K"),
            ("wanna get your deals by email", "LQ"),
            ("I'd like to unsubscribe from the <news>", ""),
            ("how do i stop getting your promo emails", "IQ"),
            ("can I change how often I get the <news>?", "I"),
            ("subscribing {{Person Name}} to the <news>", "KM"),
            ("stop spamming me with your <news>!!", "W"),
            ("Is the <news> free?", "I"),
            ("need info about the weekly <news>", "E"),
        ],
        "responses": [
            "Done! Enter your email in the newsletter box at the bottom of {{Website URL}} "
            "and confirm the link we send to start receiving our weekly newsletter and "
            "offers.",
            "Thanks for your interest in our newsletter! To subscribe:\n"
            "1. Go to {{Website URL}} and scroll to the bottom of any page.\n"
            "2. Enter your email address in the newsletter box.\n"
            "3. Confirm your subscription using the link we email you.\n"
            "You'll receive our weekly newsletter with new arrivals and subscriber-only "
            "discounts.",
            "You can manage your newsletter subscription in {{Settings}} > Communication "
            "preferences. From there you can subscribe, unsubscribe or choose how often you "
            "hear from us (weekly or monthly). Every newsletter also has an unsubscribe link "
            "at the bottom; it takes effect within 48 hours.",
            "Our <news> is free and you can leave any time. Subscribers get early access to "
            "sales and a welcome discount on their next order. If you're still receiving "
            "emails after unsubscribing, please forward one to {{Customer Support Email}} and "
            "we'll remove your address from every mailing list.",
        ],
    },
]

EXPECTED_CATEGORIES = {
    "ORDER": ["cancel_order", "change_order", "place_order", "track_order"],
    "SHIPPING": ["change_shipping_address", "set_up_shipping_address"],
    "CANCEL": ["check_cancellation_fee"],
    "INVOICE": ["check_invoice", "get_invoice"],
    "PAYMENT": ["check_payment_methods", "payment_issue"],
    "REFUND": ["check_refund_policy", "get_refund", "track_refund"],
    "FEEDBACK": ["complaint", "review"],
    "CONTACT": ["contact_customer_service", "contact_human_agent"],
    "ACCOUNT": [
        "create_account", "delete_account", "edit_account",
        "recover_password", "registration_problems", "switch_account",
    ],
    "DELIVERY": ["delivery_options", "delivery_period"],
    "SUBSCRIPTION": ["newsletter_subscription"],
}

PLACEHOLDER_RE = re.compile(r"\{\{([^{}]+)\}\}")
SLOT_RE = re.compile(r"(?:\b([Aa]n?) )?<(\w+)>")
SPLIT_PLACEHOLDERS_RE = re.compile(r"(\{\{.*?\}\})")


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def normalize_flags(letters):
    """'B' followed by the other letters, deduplicated and sorted (as in the real data)."""
    return "B" + "".join(sorted(set(letters) - {"B"}))


def fill_slots(text, chosen):
    """Replace ``<slot>`` markers with the chosen words, fixing a/an before them."""

    def replace(match):
        article, name = match.group(1), match.group(2)
        word = chosen.get(name, SLOTS[name][0][0])
        if not article:
            return word
        fixed = "an" if word[0].lower() in "aeiou" else "a"
        if article[0].isupper():
            fixed = fixed.capitalize()
        return f"{fixed} {word}"

    return SLOT_RE.sub(replace, text)


def expand_template(template, flags):
    """All (instruction, flags, chosen_slots) variants of one instruction template."""
    names = []
    for name in re.findall(r"<(\w+)>", template):
        if name not in names:
            names.append(name)
    variants = []
    for combo in itertools.product(*(SLOTS[name] for name in names)):
        chosen = {name: word for name, (word, _) in zip(names, combo, strict=True)}
        extra = "".join(flag for _, flag in combo)
        variants.append((fill_slots(template, chosen), flags + extra, chosen))
    return variants


def outside_placeholders(text, func):
    """Apply ``func`` to the parts of ``text`` that are not ``{{...}}`` placeholders."""
    parts = SPLIT_PLACEHOLDERS_RE.split(text)
    return "".join(p if p.startswith("{{") else func(p) for p in parts)


def add_typo(text, rng):
    """Misspell one word (never inside a placeholder): a known typo, else a letter swap."""
    parts = SPLIT_PLACEHOLDERS_RE.split(text)
    spots = []  # (part index, start, end, word)
    for i, part in enumerate(parts):
        if part.startswith("{{"):
            continue
        for m in re.finditer(r"[A-Za-z]+", part):
            spots.append((i, m.start(), m.end(), m.group()))
    known = [s for s in spots if s[3].lower() in TYPOS]
    if known:
        i, start, end, word = rng.choice(known)
        new = TYPOS[word.lower()]
        if word[0].isupper():
            new = new[0].upper() + new[1:]
    else:
        swappable = [s for s in spots if len(s[3]) >= 4]
        if not swappable:
            return text  # nothing to misspell; the caller keeps the row typo-free
        i, start, end, word = rng.choice(swappable)
        positions = [k for k in range(1, len(word) - 1) if word[k] != word[k + 1]]
        if not positions:
            return text
        k = rng.choice(positions)
        new = word[:k] + word[k + 1] + word[k] + word[k + 2:]
    parts[i] = parts[i][:start] + new + parts[i][end:]
    return "".join(parts)


def build_response(body, chosen, rng):
    """Wrap an intent-specific body in a generic opener and closer."""
    text = fill_slots(body, chosen)
    opener = rng.choice(OPENERS)
    closer = rng.choice(CLOSERS)
    if opener:
        text = opener + " " + text
    if closer:
        text += ("\n\n" if "\n" in body else " ") + closer
    return text


def pick_instructions(spec, rng, seen):
    """Pick ROWS_PER_INTENT unique instructions, round-robin over the templates."""
    groups = [expand_template(t, f) for t, f in spec["instructions"]]
    for group in groups:
        rng.shuffle(group)
    order = list(range(len(groups)))
    rng.shuffle(order)
    picked = []
    while len(picked) < ROWS_PER_INTENT:
        if not any(groups):
            raise ValueError(f"{spec['intent']}: not enough distinct instructions")
        for gi in order:
            if groups[gi] and len(picked) < ROWS_PER_INTENT:
                text, flags, chosen = groups[gi].pop(0)
                if text not in seen:
                    seen.add(text)
                    picked.append([text, flags, chosen])
    return picked


def build_rows():
    rng = random.Random(SEED)
    seen = set()  # used only for membership tests, never iterated
    rows = []
    for n, spec in enumerate(INTENTS):
        picked = pick_instructions(spec, rng, seen)

        # ~15% typos (2 per intent, 3 for every fifth intent), 1 lowercased row.
        indices = list(range(len(picked)))
        rng.shuffle(indices)
        n_typos = 2 + (1 if n % 5 == 0 else 0)
        for idx in indices[:n_typos]:
            text, flags, _ = picked[idx]
            for _ in range(5):
                new = add_typo(text, rng)
                if new not in seen:
                    seen.add(new)
                    seen.discard(text)
                    picked[idx][0], picked[idx][1] = new, flags + "Z"
                    break
        for idx in indices[n_typos:]:
            text, flags, _ = picked[idx]
            lowered = outside_placeholders(text, str.lower)
            if lowered != text and lowered not in seen:
                seen.add(lowered)
                seen.discard(text)
                picked[idx][0], picked[idx][1] = lowered, flags + "Q"
                break

        bodies = list(range(len(spec["responses"])))
        rng.shuffle(bodies)
        for i, (text, flags, chosen) in enumerate(picked):
            body = spec["responses"][bodies[i % len(bodies)]]
            response = build_response(body, chosen, rng)
            if (spec["intent"], i) in NESTED_ROWS:
                response += ("\n\n" if "\n" in body else " ") + NESTED_NOTE
            rows.append([normalize_flags(flags), text, spec["category"], spec["intent"], response])
    return rows


def validate(rows):
    """Raise ValueError if the generated rows break any of the dataset's promises."""
    errors = []
    expected_intents = [i for intents in EXPECTED_CATEGORIES.values() for i in intents]
    category_of = {i: c for c, intents in EXPECTED_CATEGORIES.items() for i in intents}

    intents_in_order = []
    for row in rows:
        if not intents_in_order or intents_in_order[-1] != row[3]:
            intents_in_order.append(row[3])
    if intents_in_order != expected_intents:
        errors.append(f"intents not grouped in the expected order: {intents_in_order}")
    if len(expected_intents) != 27 or len(set(r[3] for r in rows)) != 27:
        errors.append("expected exactly 27 intents")
    for intent in expected_intents:
        count = sum(1 for r in rows if r[3] == intent)
        if count != ROWS_PER_INTENT:
            errors.append(f"{intent}: {count} rows, expected {ROWS_PER_INTENT}")
    if len(set(r[2] for r in rows)) != 11:
        errors.append("expected exactly 11 categories")

    instructions = [r[1] for r in rows]
    if len(set(instructions)) != len(instructions):
        errors.append("duplicate instructions")

    for flags, instruction, category, intent, response in rows:
        if category_of.get(intent) != category:
            errors.append(f"{intent}: category {category}")
        if not flags.startswith("B"):
            errors.append(f"flags {flags!r} do not start with B")
        if not 12 <= len(instruction) <= 90:
            errors.append(f"instruction length {len(instruction)}: {instruction!r}")
        if not 150 <= len(response) <= 900:
            errors.append(f"response length {len(response)} for {instruction!r}")
        if re.search(r"<\w+>", response):
            errors.append(f"unfilled slot in response for {instruction!r}")
        if re.search(r"<\w+>", instruction):
            errors.append(f"unfilled slot in {instruction!r}")

    placeholders = set()
    for r in rows:
        placeholders.update(PLACEHOLDER_RE.findall(r[4]))
    if len(placeholders) < 20:
        errors.append(f"only {len(placeholders)} distinct response placeholders")
    nested = sum(r[4].count("{{{{Account Category}} Upgrade}}") for r in rows)
    if nested != 2:
        errors.append(f"{nested} nested placeholders, expected 2")

    if errors:
        raise ValueError("sample.csv validation failed:\n  " + "\n  ".join(errors))
    return placeholders


def main(argv=None):
    parser = argparse.ArgumentParser(description="Generate the bundled customer-support sample.")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"where to write it (default: {OUTPUT})")
    output = parser.parse_args(argv).output
    rows = build_rows()
    placeholders = validate(rows)
    with open(output, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    lengths = [len(r[4]) for r in rows]
    typos = sum(1 for r in rows if "Z" in r[0])
    print(
        f"wrote {output} ({len(rows)} rows, {len(placeholders)} distinct response "
        f"placeholders, response length min/median/max "
        f"{min(lengths)}/{statistics.median(lengths):.0f}/{max(lengths)}, "
        f"{typos} rows with typos)"
    )


if __name__ == "__main__":
    main()
