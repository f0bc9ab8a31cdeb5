"""Advertising and calls to action in editorial text.

The NHS standard and HONcode 8 require advertising to be kept apart from
editorial content; FTC guidance treats such copy as claims. An article never
asks the reader to book, call or pay, and never carries phone numbers, prices
on offer, discount codes, deadlines or boasts about how many patients a clinic
has treated. Phone and messaging numbers are found with ``phonenumbers``
(Google's libphonenumber), not by guessing at digit patterns. An invitation is also read
from its shape: an imperative whose object or place is the seller ("tell us your dates",
"pop into our rooms"). Quoted clinic copy passes only when the editor's own words frame it
(an advert, a slogan, a sales tactic) and the seller is not the one speaking.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

import phonenumbers

from cms.checks import nlp
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity, quote
from cms.checks.lexicon import CLINICIANS
from cms.checks.rules.claims import where
from cms.checks.rules.junk import furniture_in
from cms.checks.text import ArticleText, Sentence, caseless_finder, lower_words

_US = {"LOWER": {"IN": ["us", "our", "we"]}}
nlp.add_patterns(
    "cta",
    [
        [
            {
                "LEMMA": {
                    "IN": ["book", "schedule", "arrange", "request", "reserve", "secure", "claim"]
                }
            },
            {"LOWER": {"IN": ["a", "an", "your", "my", "our"]}, "OP": "?"},
            {"LOWER": {"IN": ["free", "personal", "first", "initial", "no-obligation"]}, "OP": "?"},
            # "a video consultation", "your initial online assessment"
            {"OP": "?", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["with", "for", "to", "and"]}},
            {
                "LEMMA": {
                    "IN": [
                        "consultation",
                        "appointment",
                        "call",
                        "session",
                        "assessment",
                        "evaluation",
                        "visit",
                        "place",
                        "spot",
                        "quote",
                        "slot",
                        "treatment",
                        "screening",
                        "callback",
                    ]
                }
            },
        ],
        [
            {
                "LEMMA": {
                    "IN": [
                        "call",
                        "contact",
                        "email",
                        "message",
                        "text",
                        "phone",
                        "ring",
                        "whatsapp",
                        "visit",
                        "join",
                        "enquire",
                        "inquire",
                        "write",
                        "chat",
                        "dm",
                        "ask",
                    ]
                }
            },
            {"LOWER": {"IN": ["with"]}, "OP": "?"},
            _US,
        ],
        [{"LOWER": "get"}, {"LOWER": "in"}, {"LOWER": "touch"}],
        # "chat to us", "talk with our team", "reach out to our specialists", "drop us a line"
        [
            {"LEMMA": {"IN": ["chat", "talk", "speak", "reach", "write", "come"]}},
            {"LOWER": {"IN": ["out", "over", "in"]}, "OP": "?"},
            {"LOWER": {"IN": ["to", "with"]}},
            _US,
        ],
        [
            {"LEMMA": {"IN": ["drop", "send", "give"]}},
            _US,
            {"LOWER": {"IN": ["a", "an"]}},
            {"LOWER": {"IN": ["line", "message", "call", "ring", "email", "note"]}},
        ],
        [
            {"LEMMA": {"IN": ["call", "book", "apply", "register", "enquire", "order", "buy"]}},
            {"LOWER": {"IN": ["now", "today", "online"]}},
        ],
        [{"LOWER": "sign"}, {"LOWER": "up"}, {"LOWER": {"IN": ["now", "today", "for"]}}],
        [
            {"LEMMA": {"IN": ["fill", "complete", "submit"]}},
            {"LOWER": {"IN": ["in", "out"]}, "OP": "?"},
            {"LOWER": {"IN": ["the", "our"]}},
            {"OP": "?"},
            {"LEMMA": "form"},
        ],
        [{"LOWER": "whatsapp"}],
        # "Get started today", "we'd love to welcome you to our clinic", "scan the QR code",
        # "our advisers are standing by", "places for 2027 are now open", "enquiries welcome"
        [{"LOWER": "get"}, {"LOWER": "started"}, {"LOWER": {"IN": ["today", "now", "with"]}}],
        [{"LEMMA": {"IN": ["welcome", "see", "meet"]}}, {"LOWER": "you"}, {"LOWER": "to"}, _US],
        [{"LEMMA": "scan"}, nlp.gap(2), {"LOWER": {"IN": ["code", "qr"]}}],
        # standing by to take a call, not standing by one's findings
        [
            {"LOWER": "standing"},
            {"LOWER": "by"},
            {"LOWER": {"IN": [".", "!", ",", "to", "for", "now", "today", "around", "24/7"]}},
        ],
        [
            {
                "LEMMA": {
                    "IN": [
                        "place",
                        "booking",
                        "registration",
                        "enrolment",
                        "appointment",
                        "slot",
                        "application",
                    ]
                }
            },
            nlp.gap(3),
            {"LOWER": "now"},
            {"LOWER": "open"},
        ],
        [{"LEMMA": {"IN": ["enquiry", "inquiry", "booking", "referral"]}}, {"LOWER": "welcome"}],
        [
            {"LEMMA": {"IN": ["appointment", "slot", "consultation", "treatment", "place"]}},
            {"LOWER": "available"},
            {"LOWER": {"IN": ["within", "today", "now", "immediately", "tomorrow", "same-day"]}},
        ],
        # "a nurse will ring you back", "our team will get back to you"
        [
            {"LOWER": {"IN": ["will", "'ll", "shall"]}},
            {"LEMMA": {"IN": ["call", "ring", "phone", "email", "text", "message", "contact"]}},
            {"LOWER": "you"},
            {"LOWER": {"IN": ["back", "within", "today", "shortly", "soon"]}},
        ],
        [
            {"LEMMA": {"IN": ["register", "express", "register", "note", "submit", "log"]}},
            {"LOWER": {"IN": ["your", "an"]}},
            {"LOWER": "interest"},
        ],
        [{"LEMMA": "click"}, {"LOWER": {"IN": ["below", "the", "here"]}}],
        # "Tap the link in our bio", "press the button below"
        [
            {"LEMMA": {"IN": ["tap", "click", "press", "hit", "swipe"]}},
            nlp.gap(2),
            {"LEMMA": {"IN": ["link", "button", "banner", "icon", "form"]}},
        ],
        [
            {"LOWER": "link"},
            {"LOWER": "in"},
            {"LOWER": {"IN": ["our", "the", "my"]}},
            {"LOWER": "bio"},
        ],
        [
            {"LOWER": {"IN": ["our", "my"]}},
            {"LOWER": {"IN": ["team", "clinic", "coordinators", "specialists", "doctors"]}},
            {"LOWER": {"IN": ["will", "can"]}},
            {"OP": "{0,2}"},
            {"LEMMA": {"IN": ["contact", "call", "help", "guide", "answer"]}},
        ],
    ],
)
nlp.add_patterns(
    "urgency",
    [
        [
            {"LOWER": "only"},
            {"LOWER": "this"},
            {"LOWER": {"IN": ["month", "week", "year", "spring", "summer", "autumn", "winter"]}},
        ],
        [{"LOWER": "this"}, {"LOWER": {"IN": ["month", "week"]}}, {"LOWER": "only"}],
        [{"LOWER": "today"}, {"LOWER": "only"}],
        [
            {"LOWER": "limited"},
            {
                "LOWER": {
                    "IN": [
                        "places",
                        "spots",
                        "spaces",
                        "availability",
                        "time",
                        "offer",
                        "slots",
                        "number",
                    ]
                }
            },
        ],
        [{"LOWER": {"IN": ["act", "hurry", "book", "call"]}}, {"LOWER": "now"}],
        [{"LOWER": "hurry"}],
        [{"LOWER": "why"}, {"LOWER": "wait"}],
        [
            {"LOWER": {"IN": ["do", "don't"]}},
            {"LOWER": {"IN": ["n't", "not"]}, "OP": "?"},
            {"LOWER": {"IN": ["wait", "delay", "miss"]}},
            {"LOWER": {"IN": ["to", "out", "this", "your"]}},
            {
                "LEMMA": {
                    "IN": [
                        "book",
                        "call",
                        "secure",
                        "reserve",
                        "start",
                        "offer",
                        "chance",
                        "opportunity",
                        "on",
                    ]
                },
                "OP": "?",
            },
        ],
        [
            {"LOWER": "while"},
            {"LOWER": {"IN": ["places", "stocks", "spaces", "supplies", "spots"]}},
            {"LOWER": "last"},
        ],
        [
            {"LOWER": "before"},
            {"LOWER": "it"},
            {"LOWER": {"IN": ["is", "'s"]}},
            {"LOWER": "too"},
            {"LOWER": "late"},
        ],
        [{"LOWER": "last"}, {"LOWER": "chance"}],
        [
            {"LOWER": {"IN": ["only", "just"]}},
            {"LIKE_NUM": True},
            {"LOWER": {"IN": ["places", "spots", "spaces", "slots"]}},
            {"LOWER": "left", "OP": "?"},
        ],
        [{"LOWER": "offer"}, {"LEMMA": {"IN": ["end", "expire"]}}],
        # "This offer is valid until 31 March"
        [
            {"LEMMA": {"IN": ["offer", "deal", "price", "discount", "promotion", "rate", "code"]}},
            {"LEMMA": "be"},
            {"LOWER": {"IN": ["only", "valid", "available", "open", "good"]}},
            {"OP": "?", "LOWER": {"IN": ["only", "valid", "available"]}},
            {"LOWER": {"IN": ["until", "till", "through", "to", "for", "while", "before"]}},
        ],
        [{"LEMMA": "fill"}, {"LOWER": {"IN": ["up", "fast", "quickly"]}}],
        # "first come, first served", "the last few slots", "remaining places"
        [{"LOWER": "first"}, {"LOWER": "come"}, {"ORTH": ",", "OP": "?"}, {"LOWER": "first"}],
        [
            {"LOWER": {"IN": ["last", "final", "remaining", "few", "limited"]}},
            {"LOWER": {"IN": ["few", "remaining", "available"]}, "OP": "?"},
            {"LEMMA": {"IN": ["slot", "place", "space", "spot", "seat", "opening", "vacancy"]}},
        ],
        # "the last remaining spring appointments", "the final few dates"
        [
            {"LOWER": {"IN": ["last", "final"]}},
            {"LOWER": {"IN": ["few", "remaining", "available"]}},
            {"OP": "?", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["of", "and", "to"]}},
            {"LEMMA": {"IN": ["appointment", "date", "booking", "session", "consultation"]}},
        ],
        # "prices are frozen…", "for bookings made this week"
        [
            {"LOWER": {"IN": ["price", "prices", "rate", "rates", "fee", "fees"]}},
            {"LEMMA": "be"},
            {"LOWER": {"IN": ["frozen", "locked", "held", "fixed", "guaranteed", "capped"]}},
        ],
        [
            {"LEMMA": {"IN": ["booking", "order", "deposit", "reservation", "enrolment"]}},
            nlp.gap(3),
            {"LOWER": {"IN": ["this", "next"]}},
            {"LOWER": {"IN": ["week", "month", "weekend"]}},
        ],
    ],
)
nlp.add_patterns(
    "discount",
    [
        [
            {"LIKE_NUM": True},
            {"ORTH": "%", "OP": "?"},
            {"LOWER": {"IN": ["%", "percent"]}, "OP": "?"},
            {"LOWER": "off"},
        ],
        [{"LEMMA": {"IN": ["discount", "coupon", "voucher", "rebate"]}}],
        [
            {"LOWER": {"IN": ["promo", "promotional", "discount", "referral", "offer"]}},
            {"LOWER": "code"},
        ],
        [{"LOWER": "use"}, {"LOWER": "the", "OP": "?"}, {"LOWER": "code"}],
        [{"LOWER": "special"}, {"LOWER": {"IN": ["offer", "price", "rate", "deal", "package"]}}],
        [
            {"LOWER": {"IN": ["introductory", "launch", "reduced", "early-bird"]}},
            {"LOWER": {"IN": ["price", "offer", "rate"]}},
        ],
        [
            {"LOWER": "free"},
            {
                "LOWER": {
                    "IN": [
                        "consultation",
                        "assessment",
                        "evaluation",
                        "screening",
                        "second",
                        "trial",
                    ]
                }
            },
        ],
        [{"LOWER": "save"}, {"ORTH": {"IN": ["$", "€", "£"]}, "OP": "?"}, {"LIKE_NUM": True}],
        # the same offer in other words: "a no-cost assessment", "complimentary", "free of
        # charge"; paying over time: "monthly instalments", "payment plans"
        [
            {"LOWER": {"IN": ["no-cost", "complimentary", "cost-free", "zero-cost", "gratis"]}},
        ],
        [
            {"LOWER": "no"},
            {"ORTH": "-", "OP": "?"},
            {"LOWER": {"IN": ["cost", "charge"]}},
            {
                "LEMMA": {
                    "IN": [
                        "consultation",
                        "assessment",
                        "evaluation",
                        "screening",
                        "review",
                        "check",
                        "session",
                        "visit",
                    ]
                }
            },
        ],
        [{"LOWER": "free"}, {"LOWER": "of"}, {"LOWER": "charge"}],
        [{"LEMMA": {"IN": ["instalment", "installment"]}}],
        [{"LOWER": "offer"}, {"LOWER": {"IN": ["financing", "finance", "credit"]}}],
        [
            {"LOWER": {"IN": ["payment", "finance", "financing"]}},
            {"LEMMA": {"IN": ["plan", "option", "scheme"]}},
        ],
        [{"LOWER": "spread"}, {"LOWER": "the"}, {"LOWER": {"IN": ["cost", "costs", "price"]}}],
        [
            {"LOWER": {"IN": ["all", "all-inclusive", "all-in"]}},
            {"ORTH": "-", "OP": "?"},
            {"LOWER": {"IN": ["inclusive", "package", "packages"]}},
        ],
    ],
)
# Verbs of a clinic's record with its patients.
_SERVED = ["treat", "help", "serve", "perform", "cure", "choose", "trust", "give", "carry",
           "heal", "see", "welcome"]  # fmt: skip
nlp.add_patterns(
    "boast",
    [
        [
            {"LOWER": {"IN": ["we", "our"]}},
            nlp.gap(3),
            {
                "LEMMA": {
                    "IN": [
                        "treat",
                        "help",
                        "serve",
                        "perform",
                        "cure",
                        "welcome",
                        "heal",
                        "inject",
                        "transplant",
                        "operate",
                    ]
                }
            },
            nlp.gap(5),
            {"LIKE_NUM": True},
        ],
        # "4,200 joints injected and counting"
        [{"LIKE_NUM": True}, nlp.gap(4), {"LOWER": "and"}, {"LOWER": "counting"}],
        [
            {"LIKE_NUM": True, "LOWER": {"NOT_IN": ["one", "a"]}},
            {"ORTH": "+", "OP": "?"},
            {"LOWER": {"IN": ["satisfied", "happy", "successful", "grateful", "delighted"]}},
            {"LEMMA": {"IN": ["patient", "client", "customer", "family"]}},
        ],
        [
            {"LOWER": {"IN": ["thousands", "hundreds", "millions"]}},
            {"LOWER": "of"},
            {"LOWER": {"IN": ["satisfied", "happy", "grateful", "delighted"]}},
            {"LEMMA": {"IN": ["patient", "client", "customer", "family"]}},
        ],
        [
            {"LOWER": "join"},
            {"LOWER": {"IN": ["the", "over", "more", "thousands", "hundreds"]}, "OP": "*"},
            {"LIKE_NUM": True, "OP": "?"},
            {"OP": "?", "LOWER": {"NOT_IN": ["a", "an", "your", "our", "local"]}},
            {"LEMMA": {"IN": ["patient", "people", "client", "family"]}},
        ],
        [
            {"LIKE_NUM": True},
            {"ORTH": "+"},
            {"LEMMA": {"IN": ["patient", "procedure", "treatment"]}},
        ],
        # "8,000 patients have been treated at our centre", "thousands of people have
        # trusted us"
        [
            {"LIKE_NUM": True},
            {"ORTH": "+", "OP": "?"},
            {"OP": "?", "LOWER": {"IN": ["satisfied", "happy", "international", "grateful"]}},
            {
                "LEMMA": {
                    "IN": [
                        "patient",
                        "people",
                        "client",
                        "family",
                        "procedure",
                        "treatment",
                        "infusion",
                        "injection",
                        "transplant",
                    ]
                }
            },
            nlp.gap(6),
            {"LEMMA": {"IN": _SERVED}},
            nlp.gap(3),
            _US,
        ],
        [
            {"LOWER": {"IN": ["thousands", "hundreds", "millions", "dozens"]}},
            {"LOWER": "of"},
            nlp.gap(2),
            {"LEMMA": {"IN": ["patient", "people", "client", "family"]}},
            nlp.gap(4),
            {"LEMMA": {"IN": _SERVED}},
            {"OP": "{0,2}", "IS_PUNCT": False},
            _US,
        ],
        [
            _US,
            nlp.gap(3),
            {"LEMMA": {"IN": _SERVED}},
            nlp.gap(2),
            {"LOWER": {"IN": ["thousands", "hundreds", "millions", "dozens"]}},
        ],
    ],
)
_CURRENCY = r"(?:[$€£¥₹₽₺₩₱₴₪฿]|US\$|USD|EUR|GBP|CHF|AUD|CAD)"
# Currencies named after the amount, as translated clinic pages give them ("from 450 000
# rubles", "12.000 TL", "8 000 zł").
_CURRENCY_AFTER = (
    r"dollars|euros|pounds|usd|eur|gbp|chf|rubles|roubles|rub|lira|liras|tl|try|yuan|rmb|"
    r"renminbi|cny|zloty|zlotys|złoty|złotych|zł|pln|reais|brl|pesos|mxn|dirhams|aed|riyals|sar|"
    r"rupees|inr|baht|thb|yen|jpy|hryvnias|uah|lei|ron|forints|huf|kroner|kronor|dkk|sek|nok"
)
PRICE = re.compile(
    rf"{_CURRENCY}\s?\d[\d,.\s]*(?:k|m|000)?\b|\b\d[\d,.]*(?:\s\d{{3}})*\s?(?:k\s)?"
    rf"(?:{_CURRENCY_AFTER})(?!\w)",
    re.IGNORECASE,
)
OFFER_WORDS = frozenset(
    [
        "only",
        "just",
        "from",
        "starting",
        "special",
        "offer",
        "discount",
        "save",
        "deal",
        "package",
        "all-inclusive",
        "inclusive",
        "book",
        "booking",
        "reduced",
        "now",
        "today",
        "per-session",
        "instead",
        "includes",
        "included",
    ]
)
# "between $5,000 and $20,000", "from €3,000 to €30,000": a range a study or a survey
# reports, not an offer.
PRICE_RANGE = re.compile(
    rf"\b(?:between|from)\s+{_CURRENCY}?\s?\d[\d,.]*\s?(?:k\b)?\s*(?:and|to|-|–)\s*"
    rf"{_CURRENCY}?\s?\d",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d[\d\s().\-/]{6,}\d")

# Offers read by their shape rather than their set phrases.
nlp.add_patterns(
    "cta",
    [
        # the seller within one step: "our coordinators are a click away", "one email away"
        [{"LOWER": {"IN": ["click", "call", "email", "e-mail", "message", "tap", "text",
                           "phone", "form"]}},
         {"OP": "?", "LOWER": "call"}, {"LOWER": "away"}],
        # "our all-in price": a package
        [{"LOWER": "all"}, {"ORTH": "-"}, {"LOWER": "in"},
         {"LOWER": {"IN": ["price", "prices", "package", "packages", "deal", "cost", "fee"]}}],
        # "get a personalised quote", "why not book a call?", "one phone call to our team"
        [{"LEMMA": {"IN": ["get", "request", "receive", "obtain"]}},
         {"OP": "?", "LOWER": {"IN": ["a", "your", "an"]}},
         {"OP": "?", "LOWER": {"IN": ["free", "personalised", "personalized", "tailored",
                                     "personal", "instant", "no-obligation", "fast"]}},
         {"LOWER": {"IN": ["quote", "quotation", "estimate"]}}],
        # "secure yours", "reserve yours today": the reader's place, booked
        [{"LEMMA": {"IN": ["secure", "reserve", "claim", "book", "grab"]}}, {"LOWER": "yours"}],
        [{"LOWER": "why"}, {"LOWER": "not"},
         {"LEMMA": {"IN": ["book", "call", "visit", "contact", "arrange", "schedule", "try",
                           "message", "join", "reserve"]}}],
        [{"LOWER": {"IN": ["call", "message", "email", "e-mail", "text", "visit"]}},
         {"LOWER": {"IN": ["to", "with", "from"]}}, {"LOWER": "our"},
         {"LOWER": {"IN": ["team", "clinic", "coordinators", "coordinator", "specialists",
                           "doctors", "advisers", "nurses", "centre", "center", "experts"]}}],
        # what the reader's step unlocks: "…to receive our exclusive pricing"
        [{"LOWER": {"IN": ["receive", "claim", "unlock", "access", "get", "grab"]}},
         {"LOWER": {"IN": ["our", "your"]}}, {"OP": "{0,2}", "IS_PUNCT": False},
         {"LOWER": {"IN": ["pricing", "offer", "discount", "pack", "quote", "rates", "prices",
                           "deal", "brochure", "voucher"]}}],
    ],
)  # fmt: skip
nlp.add_patterns(
    "urgency",
    [
        # "spaces are going fast", "dates are selling out", "slots book up quickly"
        [{"LEMMA": {"IN": ["place", "space", "slot", "spot", "seat", "date", "booking",
                           "intake"]}},
         {"OP": "{0,4}", "LOWER": {"NOT_IN": [".", ";", ",", "not", "never", "n't"]}},
         {"LEMMA": {"IN": ["go", "sell", "fill", "book", "disappear", "vanish", "run"]}},
         {"OP": "?", "LOWER": {"IN": ["up", "out"]}},
         {"LOWER": {"IN": ["fast", "quickly", "rapidly", "out", "up"]}}],
        [{"LOWER": "limited"}, {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": ["time", "period"]}}],
        # "slots … are nearly gone", "places are almost full"
        [{"LEMMA": {"IN": ["place", "space", "slot", "spot", "seat", "date", "booking",
                           "appointment"]}},
         {"OP": "{0,4}", "LOWER": {"NOT_IN": [".", ";", ",", "not", "never", "n't"]}},
         {"LEMMA": "be"}, {"LOWER": {"IN": ["nearly", "almost", "virtually", "practically"]}},
         {"LOWER": {"IN": ["gone", "full", "taken", "booked", "sold"]}}],

        # "don't leave it too late", "prices rise on 1 March"
        [{"LOWER": {"IN": ["do", "don't"]}}, {"OP": "?", "LOWER": {"IN": ["n't", "not"]}},
         {"LOWER": "leave"}, {"LOWER": "it"}, {"OP": "?", "LOWER": "too"}, {"LOWER": "late"}],
        [{"LOWER": {"IN": ["prices", "price", "fees", "rates"]}},
         {"LEMMA": {"IN": ["rise", "go", "increase", "change"]}}, {"OP": "?", "LOWER": "up"},
         {"LOWER": {"IN": ["on", "from", "after", "soon", "next"]}}],
    ],
)  # fmt: skip
nlp.add_patterns(
    "discount",
    [
        # "we'll waive the assessment fee"
        [{"LEMMA": "waive"}, {"OP": "{0,3}", "IS_PUNCT": False},
         {"LEMMA": {"IN": ["fee", "charge", "cost", "deposit", "price", "payment"]}}],
        [{"LOWER": {"IN": ["exclusive", "preferential", "discounted", "special"]}},
         {"OP": "?", "LOWER": {"IN": ["patient", "member", "client", "reader"]}},
         {"LOWER": {"IN": ["pricing", "prices", "rates", "rate", "terms"]}}],
    ],
)  # fmt: skip
nlp.add_patterns(
    "boast",
    [
        # "over 15,000 treatments delivered since we opened our doors"
        [{"LIKE_NUM": True},
         {"LEMMA": {"IN": ["treatment", "procedure", "infusion", "injection", "operation",
                           "transplant", "session", "patient", "client", "joint"]}},
         {"OP": "{0,3}", "IS_PUNCT": False},
         {"LOWER": {"IN": ["since", "at", "by"]}},
         {"LOWER": {"IN": ["we", "our", "us"]}}],
    ],
)  # fmt: skip

KINDS = {
    "cta": ("ads.call_to_action", "a call to action"),
    "urgency": ("ads.urgency", "pressure to act now"),
    "discount": ("ads.discount", "a discount or code"),
    "boast": ("ads.patient_count", "a boast about patients treated"),
}


@functools.lru_cache(maxsize=20_000)
def phone_numbers(text: str) -> tuple[str, ...]:
    """Phone and messaging numbers in a text (international, US or UK formats)."""
    if not _DIGITS.search(text):
        return ()
    found: dict[str, None] = {}
    for region in ("US", "GB"):
        for match in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID):
            found.setdefault(match.raw_string, None)
    return tuple(found)


# A number given to be called, whatever its country's format: "calling to our number 800
# 123 4567", "Consult hotline 400-888-6666", "tel. 22 123 45 67".
_NUMBER_TO_CALL = re.compile(
    r"\b(call|calling|ring|phone|telephone|tel|hotline|helpline|number|whatsapp|viber|telegram|"
    r"wechat|line|contact|dial|text|sms)\b\W{0,3}(?:(?:on|at|to|us|our|the|number|no)\W+){0,3}"
    r"(\+?\(?\d[\d\s().\-]{7,}\d)",
    re.IGNORECASE,
)


def _numbers_to_call(plain: str) -> tuple[str, ...]:
    found = []
    for match in _NUMBER_TO_CALL.finditer(plain) if _DIGITS.search(plain) else ():
        number = match.group(2).strip()
        if sum(c.isdigit() for c in number) >= 8:
            found.append(number)
    return tuple(found)


# The seller's own record, told in the third person: "the centre has performed more than
# 8,500 procedures", "the clinic has now treated over 12,000 patients" — a boast by its
# rounded, inflated count (thousands) of what the seller has done.
_THIRD_PERSON_BOAST = re.compile(
    r"\b(?:the|this|our)\s+(?:\w+\s+)?(?:centre|center|clinic|hospital|institute|company|team|"
    r"network|group|practice|facility|programme|program|surgeon|doctor)\s+(?:has|have)\s+"
    r"(?:now\s+|already\s+|successfully\s+|so\s+far\s+)?(?:performed|treated|carried\s+out|"
    r"delivered|completed|administered|injected|helped|served|welcomed|seen|done)\s+"
    r"((?:more\s+than|over|upwards\s+of|in\s+excess\s+of|nearly|almost|close\s+to|well\s+over)\s+"
    r"(?:\d{1,3}(?:[,.\s]\d{3})+|\d+\s*(?:thousand|000))|(?:many\s+)?thousands\s+of)\b",
    re.IGNORECASE,
)


def _boasts(plain: str) -> str | None:
    found = (
        _THIRD_PERSON_BOAST.search(plain)
        if _MAY_SELL.search(plain) or "thousands" in plain
        else None
    )
    return found.group(0) if found is not None else None


_CONTACT_VERBS = frozenset(["call", "contact", "email", "message", "text", "phone", "ring",
                            "visit", "join", "enquire", "inquire", "write", "chat", "dm", "ask",
                            "talk", "speak", "reach", "come", "drop", "send", "give"])  # fmt: skip
_TO_THE_READER = frozenset(["you", "your", "yours", "our", "we", "us", "we'll", "we're"])
_TOLD_FORMS = frozenset(["bought", "ordered", "booked", "applied", "registered", "called",
                        "enquired", "inquired", "purchased"])  # fmt: skip
_OTHERS = frozenset(["they", "people", "readers", "patients", "families", "many", "some",
                     "others", "who", "that", "which", "clients", "parents", "members",
                     "relatives", "doctors"])  # fmt: skip
_HOW_OFTEN = frozenset(
    [
        "often",
        "sometimes",
        "regularly",
        "also",
        "still",
        "usually",
        "frequently",
        "occasionally",
        "rarely",
        "already",
        "later",
        "then",
    ]
)


def _others_do_it(claim: Any) -> bool:
    """“Readers often write to us”, “patients who contacted us”, “many called us”: the
    contact verb has someone else for subject, or is not a bare imperative at all."""
    verb = claim[0]
    if verb.lower_ in _TOLD_FORMS and verb.lower_ != verb.lemma_:
        return True  # "products bought online", "booked online": what was done
    if verb.lemma_ not in _CONTACT_VERBS:
        return False
    if verb.lower_ != verb.lemma_:
        return True  # "wrote to us", "calls us": told, not asked
    doc = claim.doc
    k = claim.start - 1
    while k >= 0 and doc[k].lower_ in _HOW_OFTEN:
        k -= 1
    return k >= 0 and doc[k].lower_ in _OTHERS


_CLINICS_DESCRIBED = re.compile(
    r"^\W*(?:(?:some|many|most|overseas|private|these|such|unregulated|other)\s+(?:\w+\s+)?"
    r"(?:clinics|providers|companies|sellers|websites|adverts|ads)|(?:clinics|providers|companies|"
    r"sellers)\s+(?:often|sometimes|usually|may|might|commonly|typically|frequently|also|tend\s+"
    r"to))\b",
    re.IGNORECASE,
)
_A_RATE = re.compile(
    r"^\S+\s+(?:\w+\s+){0,3}?(?:a|per|each|every)\s+(?:year|month|week)\b|^\S+\s+(?:\w+\s+){0,3}?"
    r"(?:annually|yearly)\b",
    re.IGNORECASE,
)
_CHANNELS = frozenset(["whatsapp", "viber", "telegram", "wechat"])


def _channel_as_a_noun(claim: Any) -> bool:
    """“A clinic's WhatsApp message”, “their WhatsApp group”: the app names a thing someone
    sent or joined; “WhatsApp us”, “on WhatsApp”, “WhatsApp: +90…” still invite."""
    if len(claim) != 1 or claim[0].lower_ not in _CHANNELS:
        return False
    doc = claim.doc
    before = doc[claim.start - 1] if claim.start else None
    after = doc[claim.end] if claim.end < len(doc) else None
    return (
        before is not None
        and (before.lower_ in ("a", "an", "the", "their", "his", "her", "its", "this", "that")
             or before.lower_ in ("'s", "’s") or before.lower_.endswith(("'s", "’s")))
        and after is not None
        and after.is_alpha
        and after.lower_ not in ("us", "me", "or", "and", "on", "number")
    )  # fmt: skip


def _to_a_clinician(sentence: Sentence) -> bool:
    """“Book an appointment with your GP” sends the reader to their own care, not to a sale."""
    words = [t.lower_ for t in sentence.span]
    return (
        any(
            word == "your" and index + 1 < len(words) and words[index + 1] in CLINICIANS
            for index, word in enumerate(words)
        )
        or "your gp" in sentence.plain.lower()
    )


def _offer_price(sentence: Sentence) -> str | None:
    match = PRICE.search(sentence.plain)
    if match is None or (sentence.cited and PRICE_RANGE.search(sentence.plain)):
        return None
    if sentence.cited and lower_words(sentence.plain).isdisjoint(_TO_THE_READER):
        return None  # "clinics … charge from $20,000, according to their websites [@web1]"
    words = {t.lower_ for t in sentence.span}
    if "from" in words and not re.search(r"\bfrom\s+$", sentence.plain[: match.start()]):
        words.discard("from")  # "a man from Leeds paid £30,000": not "from £3,000"
    if words & OFFER_WORDS or "you" in words or "your" in words:
        return match.group(0).strip()
    return None


@rule(
    "advertising",
    title="No advertising or calls to action in editorial text",
    why="NHS Standard for creating health content and HONcode 8: advertising is labelled and "
    "kept apart from editorial content; FTC: promotional copy is a claim. Clinic copy "
    "(“book your free consultation”, a WhatsApp number, “only this month”) in an article "
    "turns information into a sales page.",
    codes=[
        Code(
            "ads.call_to_action",
            "error",
            "Booking and contact prompts: book, call us, contact us, apply now, WhatsApp…",
        ),
        Code(
            "ads.contact_number", "error", "A phone or messaging number (found with phonenumbers)."
        ),
        Code(
            "ads.price",
            "error",
            "A price offered to the reader (“only $4,900”, “from €3,000 per session”).",
        ),
        Code("ads.discount", "error", "Discounts, codes, free consultations, packages."),
        Code("ads.urgency", "error", "Urgency: only this month, limited places, act now."),
        Code(
            "ads.patient_count",
            "error",
            "Patient-count boasts: “over 5,000 satisfied "
            "patients”, “we have treated 3,000 people”.",
        ),
    ],
    flags=[
        "Book your free consultation today.",
        "Message our coordinators on WhatsApp: +44 7700 900123.",
        "The full course is only $4,900 this month.",
        "Over 5,000 satisfied patients have trusted our clinic.",
        "Pop into our rooms for a no-cost assessment.",
        "Pop your details in the form and we'll be in touch.",
        "“Book your free consultation today,” says our medical director.",
        "Consult hotline 400-888-6666, a doctor answers 24 hours.",
        "The course of treatment costs from 450 000 rubles.",
        "The clinic has treated over 12,000 patients from 70 countries.",
    ],
    passes=[
        "Contact your doctor if you develop a fever.",
        "Treatment abroad can cost more than $40,000 and is rarely covered by insurance [@x].",
        "The trial enrolled 75 patients [@scot2018].",
        "For free, impartial advice, call the MS Society helpline on 0808 800 8000.",
        "Phrases such as “limited places” or “book now” are sales tactics, not medical advice.",
        "Contact us if you spot a mistake in this article.",
        "A clinic's banner urges readers to “book today”, a pressure tactic regulators warn "
        "against.",
        "A clinic's WhatsApp message told one reader to stop her steroids.",
        "The hospital has treated more than 500 people with MS since 2000.",
        "Readers often write to us about clinics that refused refunds.",
    ],
)
def advertising(text: ArticleText) -> Iterator[Finding]:
    sentences = text.sentences
    for at, sentence in enumerate(sentences):
        following = sentences[at + 1] if at + 1 < len(sentences) else None
        seller = not lower_words(sentence.plain).isdisjoint(_TO_SELLER)
        if not (
            sentence.claims(*KINDS)
            or seller
            or _MAY_SELL.search(sentence.plain)
            or _seller_may_answer(sentence.plain)
        ):
            continue
        if (
            _public_service(sentence)
            or _about_this_text(sentence)
            # "“Book now – only 3 places left!” read the email…; a pressure tactic"
            or _quote_framed_after(sentence, following)
        ):
            continue
        if (
            seller
            and sentence.field != "title"
            and not framed_quote(sentence)
            and not furniture_in(sentence.plain)  # "Follow us on Instagram": page junk
        ):
            invitation = _sent_to_seller(sentence)
        else:
            invitation = None
        if invitation is None and sentence.field != "title" and not framed_quote(sentence):
            invitation = _then_the_seller_acts(sentence)
        if invitation is not None:
            yield _finding("ads.call_to_action", sentence, f"a call to action (“{invitation}”)")
        for claim in () if invitation is not None else sentence.claims(*KINDS):
            flags = nlp.flags(claim)
            if (
                flags.negated
                or (flags.attributed and _reported(claim) and not _seller_speaks(sentence))
                # “phrases such as "book now" are sales tactics”, “discounts for paying
                # upfront are a sales tactic”: a clinic's words, shown and judged by the
                # editor; a quotation the seller speaks, or one nobody frames, is still an ad
                or framed_quote(sentence)
                # "book an appointment with your GP", "don't wait: call your transplant team"
                or (claim.label_ in ("cta", "urgency") and _to_a_clinician(sentence))
                # "questions you want to ask us": the reader's own wish, prompted by nobody
                or (
                    claim.label_ == "cta"
                    and claim.start > 1
                    and claim.doc[claim.start - 1].lower_ == "to"
                    and claim.doc[claim.start - 2].lemma_ in ("want", "like", "wish", "need")
                )
                # "people who come to us…": a relative clause describes, it invites nobody
                or (
                    claim.label_ == "cta"
                    and claim.start > 0
                    and claim.doc[claim.start - 1].lower_ in ("who", "that", "which")
                )
                # a share bar ("Share on WhatsApp") is page junk, reported as such
                or (claim.label_ == "cta" and furniture_in(sentence.plain))
                # "a clinic's WhatsApp message told one reader…": the app names a thing
                or (claim.label_ == "cta" and _channel_as_a_noun(claim))
                # "readers often write to us about…": what others do, not an invitation
                or (claim.label_ == "cta" and _others_do_it(claim))
                # "clinics often offer discounts to people who pay upfront": how sellers
                # behave, described for the reader
                or _CLINICS_DESCRIBED.search(sentence.plain)
                # "our department performs about 30 transplants a year": a centre's yearly
                # volume, which patients are told to ask about, not a running total
                or (
                    claim.label_ == "boast"
                    and _A_RATE.search(sentence.plain[claim[-1].idx - sentence.span.start_char :])
                )
                # "Hurry is the enemy of a good decision": the noun, not the imperative
                or (
                    claim.label_ == "urgency"
                    and claim[-1].lower_ == "hurry"
                    and claim.end < len(claim.doc)
                    and claim.doc[claim.end].lower_ in ("is", "was", "can", "makes", "leads")
                )
            ):
                continue
            code, kind = KINDS[claim.label_]
            yield _finding(code, sentence, f"{kind} (“{claim.text}”)")
            break
        for number in phone_numbers(sentence.plain) or _numbers_to_call(sentence.plain):
            yield _finding("ads.contact_number", sentence, f"a contact number ({number})")
        counted = invitation is not None or sentence.cited or sentence.claims("boast")
        boast = None if counted else _boasts(sentence.plain)
        if boast is not None:
            yield _finding(
                "ads.patient_count", sentence, f"a boast about patients treated ({boast})"
            )
        price = _offer_price(sentence)
        if price is not None:
            yield _finding("ads.price", sentence, f"a price offered to the reader ({price})")


# Quoted words are exempt only when the editor's own words around them frame them: name
# them as someone's copy (an advert, a banner, a slogan, a clinic's claim) or judge them (a
# tactic, misleading, no evidence, warn). Quotation marks alone, or a quote that the seller
# itself speaks ("…," says our medical director), exempt nothing.
_QUOTED = re.compile(r"“[^”]*”?|«[^»]*»?|\"[^\"]*\"?|(?:^|(?<=[\s(]))'[^']*'(?=[\s.,;:!?)]|$)")
_FRAMING = frozenset(
    ["phrase", "phrases", "slogan", "slogans", "word", "words", "wording", "advert", "adverts",
     "advertisement", "advertisements", "advertising", "ad", "ads", "marketing", "banner",
     "banners", "website", "websites", "site", "sites", "post", "posts", "brochure",
     "brochures", "leaflets", "flyer", "flyers", "copy", "claims", "claiming",
     "promise", "promises", "promising", "pitch", "tactic", "tactics", "ploy", "lure",
     "pressure", "pressures", "misleading", "mislead", "designed", "rush", "warn", "warns",
     "warned", "warning", "beware", "wary", "suspicious", "sales", "selling", "sell",
     "urge", "urges", "urging", "reads", "red", "flag", "flags", "hype", "spin", "message",
     "messages", "dangerous", "false", "untrue", "bogus"]
)  # fmt: skip
_FIRST_PERSON = frozenset(["our", "us", "we", "we're", "we've", "we'll", "ours", "i", "my", "me"])


# --- An invitation read from the sentence's shape: an imperative whose object or place is
# the seller ("tell us your dates", "pop into our rooms", "upload your scans through our
# portal"), whatever the verb.
_TO_SELLER = frozenset(["us", "our"])
_SELLER_PLACES = frozenset(
    ["rooms", "room", "clinic", "clinics", "centre", "center", "centres", "team", "staff",
     "coordinator", "coordinators", "concierge", "desk", "portal", "specialists", "specialist",
     "advisers", "advisors", "adviser", "advisor", "doctors", "nurses", "experts", "office",
     "offices", "hotline", "inbox", "reception", "consultants", "surgeons", "facility",
     "hospital", "premises", "branch", "branches", "app", "form", "booking", "bookings",
     "price", "prices", "rates", "packages", "brochure", "offers", "pricing", "deals",
     "discounts", "programme", "program", "coordinator's", "info"]
)  # fmt: skip
# First words that are not verbs, and verbs that point a reader to the text itself.
_NOT_INVITING = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "it", "they", "he", "she", "we",
     "you", "i", "our", "your", "their", "his", "her", "its", "in", "on", "at", "of", "for",
     "to", "by", "with", "from", "as", "if", "when", "while", "and", "or", "but", "so", "all",
     "some", "many", "most", "no", "not", "one", "there", "here", "what", "how", "why",
     "read", "see", "print", "share", "download", "find", "learn", "note", "remember", "let",
     "help", "support", "thank", "thanks", "forgive", "excuse", "bear", "follow-up", "do",
     "before", "after", "once", "until", "since", "unless", "because", "although", "though",
     "whether", "then", "every", "each", "any", "like", "unlike", "about", "over", "under"]
)  # fmt: skip
_OPENERS = frozenset(["please", "simply", "just", "now", "then", "so", "also", "first", "today"])
_AFTER_A_NOUN = frozenset(
    ["who", "that", "which", "whose", "of", "is", "are", "was", "were", "has", "have", "had",
     "'s", "’s", "will", "would", "can", "could", "may", "might", "should", "must", "does",
     "do", "did", "at"]
)  # fmt: skip


# A modal or a negated auxiliary soon after the first word: that word was the subject.
_A_VERB_LATER = frozenset(["cannot", "can't", "can", "could", "won't", "doesn't", "don't",
                           "didn't", "isn't", "aren't", "may", "might", "must",
                           "should"])  # fmt: skip


def _sent_to_seller(sentence: Sentence) -> str | None:
    """The words of an imperative sending the reader to the seller, or None. Only a clause
    that opens with a bare verb counts ("Our team will…" and "We treat…" are statements)."""
    tokens = list(sentence.span)
    for i in range(len(tokens)):
        if i and tokens[i - 1].lower_ not in (";", ":", "—", "–", "-", "(", "and", "or"):
            continue
        j = i
        while j < len(tokens) and tokens[j].lower_ in _OPENERS:
            j += 1
        if j >= len(tokens):
            break
        verb = tokens[j]
        if (
            not verb.is_alpha
            or verb.is_upper  # "COFEPRIS approved our…": a name, not a verb
            or verb.lower_ != verb.lemma_
            or verb.lower_ in _NOT_INVITING
            or verb.lower_ in nlp.NEGATIONS
            or (j and tokens[j - 1].lower_ in ("don't", "not", "never"))
            # "People who come to us…", "Treatment at our clinic is…": a noun, not a verb
            or (j + 1 < len(tokens) and tokens[j + 1].lower_ in _AFTER_A_NOUN)
            # "Caption: our nurses at the open day": a label, not an imperative
            or (j + 1 < len(tokens) and tokens[j + 1].text == ":")
            # "Animal studies cannot tell us…": no verb at all, or a subject before its verb
            or verb.lower_ not in nlp.known_verbs()
            or any(t.lower_ in _A_VERB_LATER for t in tokens[j + 1 : j + 4])
        ):
            continue
        for k in range(j + 1, min(j + 6, len(tokens))):
            word = tokens[k].lower_
            if (
                word == "us"
                and tokens[k].text != "US"
                and tokens[k - 1].lower_ not in ("between", "among", "like", "of", "than")
            ) or (word == "our" and any(w.lower_ in _SELLER_PLACES for w in tokens[k + 1 : k + 4])):
                return sentence.span.doc[verb.i : tokens[k].i + 1].text
    return None


# "…and we'll be in touch", "…and our team will call you": the seller's answer to the
# reader's step.
_SELLER_ANSWERS = re.compile(
    r"\band\s+(we['’]ll|we\s+will|we\s+can|we['’]d|our\s+(\w+\s+)?(team|coordinators?|"
    r"nurses?|doctors?|specialists?|advisers?|advisors?|staff)\s+(will|can|'ll))\b",
    re.IGNORECASE,
)


def _seller_may_answer(plain: str) -> bool:
    return ("and we" in plain or "and our" in plain) and bool(_SELLER_ANSWERS.search(plain))


def _then_the_seller_acts(sentence: Sentence) -> str | None:
    """An imperative answered by the seller: “Pop your details in the form and we'll be in
    touch”, “Send your scans and our doctors will reply”. The reader's step is the seller's
    lead, whatever the verb."""
    answer = _SELLER_ANSWERS.search(sentence.plain) if _seller_may_answer(sentence.plain) else None
    if answer is None:
        return None
    tokens = [t for t in sentence.span if not t.is_space]
    j = 0
    while j < len(tokens) and tokens[j].lower_ in _OPENERS:
        j += 1
    if j >= len(tokens):
        return None
    verb = tokens[j]
    if (
        not verb.is_alpha
        or verb.lower_ != verb.lemma_
        or verb.lower_ in _NOT_INVITING
        or verb.lower_ in nlp.NEGATIONS
        or (j + 1 < len(tokens) and tokens[j + 1].lower_ in _AFTER_A_NOUN)
        or verb.lower_ not in nlp.known_verbs()
    ):
        return None
    return f"{verb.text} … {answer.group(0)}"


def _reported(claim: Any) -> bool:
    """Reported by someone: an attribution other than the imperative that opens the sentence
    (“Claim your complimentary assessment” asks; “clinics claim…” reports)."""
    return any(m.category == nlp.ATTRIBUTED and m.modifier_span[0] > 0 for m in claim._.modifiers)


def _outside_words(sentence: Sentence) -> set[str]:
    return set(re.findall(r"[a-z]+(?:'[a-z]+)?", _QUOTED.sub(" ", sentence.plain).lower()))


def _seller_speaks(sentence: Sentence) -> bool:
    """“Our coordinators say you should book today”: reported, but by the seller."""
    return not _outside_words(sentence).isdisjoint(_FIRST_PERSON)


def _quote_framed_after(sentence: Sentence, following: Sentence | None) -> bool:
    """A quotation that ends its own sentence (“…left!”), framed by the words that carry on
    after it in lower case (“read the email one reader received; it is a pressure tactic”)."""
    plain = sentence.plain.strip()
    if following is None or following.pointer != sentence.pointer or plain[:1] not in "“\"«'":
        return False
    rest = following.plain.lstrip()
    if not rest[:1].islower():
        return False
    words = lower_words(rest)
    return bool(words & _FRAMING) and not words & _FIRST_PERSON


def framed_quote(sentence: Sentence) -> bool:
    """Whether the words outside the quotation marks frame what is quoted as someone else's
    copy, or judge it; not when the seller speaks them (“says our director”) or nothing does."""
    words = _outside_words(sentence)
    return bool(words & _FRAMING) and not words & _FIRST_PERSON


def _finding(code: str, sentence: Sentence, what: str) -> Finding:
    return Finding(
        code,
        Severity.ERROR,
        sentence.pointer,
        f"Advertising in {where(sentence)}: {what}. Editorial text informs; it does not sell: "
        f"{quote(sentence.text)}.",
        quote=sentence.text,
    )


# Services that sell nothing: the health service, emergency numbers, charities, a trial's
# own team. Pointing readers to them is what an article should do.
_PUBLIC = re.compile(
    r"(?<![\d,.])\b(?:111|999|911|112)\b(?![\d,.])|\b(nhs|charity|charities|society|helpline|"
    r"foundation|association|samaritans|your\s+(gp|doctor|specialist|hospital|pharmacist|nurse|neurologist|"
    r"rheumatologist|care\s+team|transplant\s+team)|trials?|registry|ethics|"
    r"(?:the|your)\s+(?:hospital|ward|transplant\s+(?:unit|nurse|coordinator)|switchboard)|"
    r"hospital\s+switchboard)\b",
    re.IGNORECASE,
)
_public = caseless_finder(_PUBLIC)
# What a phone number or a price needs: a digit. Sentences without one or an advertising
# phrase are skipped at once.
_MAY_SELL = re.compile(r"\d")
_SUPPORT_LINE = re.compile(
    r"\b(helpline|support\s+line|advice\s+line)\b[^.]*\b(free|confidential|impartial|independent)\b|"
    r"\b(free|confidential|impartial|independent)\b[^.]*\b(helpline|support\s+line|advice\s+line)\b",
    re.IGNORECASE,
)
_SELLER = re.compile(r"\b(our|us|we|we're|we've|clinic's|clinic)\b", re.IGNORECASE)


def _public_service(sentence: Sentence) -> bool:
    """“Contact the MS Society helpline on 0808 800 8000”, “call NHS 111”, “limited places in
    trials mean…”: a public service or a trial named, and no seller speaking."""
    plain = sentence.plain
    if _SUPPORT_LINE.search(plain) and not (PRICE.search(plain) or _BOOKING.search(plain)):
        return True  # "our helpline is free and confidential": support, not sales
    return _public(plain) and not _SELLER.search(plain)


# The publisher's own service to readers of the text: corrections, questions about the
# leaflet, other formats. It sells nothing.
_TEXT = r"(article|leaflet|page|booklet|factsheet|fact\s+sheet|information\s+sheet)"
_THIS_TEXT = re.compile(
    rf"\b(questions?|mistakes?|errors?|feedback|comments?|corrections?)\s+(about|in|on)\s+"
    rf"(this|the|our)\s+{_TEXT}\b|"
    rf"\b(think|thoughts)\s+(of|about|on)\s+(this|the|our)\s+{_TEXT}\b|"
    rf"\b(anything|something|what)\s+(\w+\s+)?(on|in|about)\s+(this|the|our)\s+{_TEXT}\b|"
    r"\b(spot|find|notice|see)\s+(an?\s+|any\s+)?(error|mistake|typo)s?\b|"
    r"\beditorial\s+(team|office|staff|board|policy)\b|"
    r"\b(large[- ]print|braille|easy[- ]read|audio)\s+(version|copy|format)s?\b|"
    rf"\b(this|the|our)\s+{_TEXT}\s+in\s+(large[- ]print|braille|easy[- ]read|audio|another\s+"
    r"language|other\s+languages|other\s+formats?)\b",
    re.IGNORECASE,
)
_BOOKING = re.compile(r"\b(book|booking|appointments?|consultations?|places?|offer)\b", re.I)


def _about_this_text(sentence: Sentence) -> bool:
    """“Contact us if you spot a mistake in this article”, “call our helpline with questions
    about this leaflet”: the reader is pointed to the publisher about the text, not sold to."""
    plain = sentence.plain
    return bool(_THIS_TEXT.search(plain)) and not (PRICE.search(plain) or _BOOKING.search(plain))
