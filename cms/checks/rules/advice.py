"""Unsafe advice to the reader: stopping or changing treatment, self-injection, dosing,
keeping a treatment from one's doctor.

Only advice addressed to the reader counts: an imperative (“Stop taking…”) or a
sentence about “you”. Describing what happened in a study (“patients stopped
their steroids before the transplant”) is not advice, and negated or
conditional advice (“Do not stop your medication without talking to your
doctor”, “if your doctor suggests lowering the dose…”) is the safe kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cms.checks import nlp
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity, quote
from cms.checks.lexicon import CLINICIANS, MEDICATIONS, UNITS
from cms.checks.text import ArticleText, caseless_finder, lower_words

_STOP = [
    "stop",
    "quit",
    "discontinue",
    "reduce",
    "lower",
    "cut",
    "skip",
    "halve",
    "taper",
    "abandon",
    "ditch",
    "drop",
    "replace",
    "swap",
    "switch",
    "wean",
    "forget",
    "avoid",
    "miss",
    "decrease",
    "pause",
    "suspend",
    "cease",
    "double",
    "increase",
    "raise",
    "adjust",
    "change",
]
# A medicine: one the lexicon names, a class of drugs ("antidepressants", "blood thinners",
# "painkillers") or a drug by its international stem ("-mab", "-statin", "-olone"…).
_DRUG_STEMS = (
    r"mab|nib|pril|sartan|statin|prazole|olol|cycline|mycin|cillin|vir|azepam|oxetine|"
    r"triptyline|profen|parin|xaban|gatran|lukast|tidine|semide|thiazide|olone|asone|isone|"
    r"limus|trexate|phosphamide|azathioprine|quine|mide"
)
_MEDS_SPEC = {
    "LEMMA": {
        "REGEX": r"^(?:"
        + "|".join(sorted(MEDICATIONS, key=len, reverse=True))
        + r"|anti(?!bod|gen)[a-z-]{4,}|[a-z]{3,}(?:"
        + _DRUG_STEMS
        + r")|azathioprine|mycophenolate|ciclosporin|cyclosporine|tacrolimus|warfarin|"
        r"heparin|capsule|sachet|painkiller|thinner|statin|hormone|chemo|nsaid|opioid|ssri|dmd|"
        r"jab|shot|cream|inhaler|immunosuppressive|regimen|medicament|preparation|cortico[a-z]*|"
        r"patch|drop|spray)s?$"
    }
}
_MEDS = sorted(MEDICATIONS)
_BASE = sorted(set(_STOP))  # imperatives are base forms: "Stop…", not "Stopping steroids…"
_DOCTOR = sorted(CLINICIANS | {"gp", "neurologist", "rheumatologist", "care", "team"})
_SHORT = nlp.gap(4)
# Between "you" and the verb: no negation, which must stay outside the phrase to count.
_YOU_GAP = {
    "OP": "{0,3}",
    "LOWER": {"NOT_IN": [*nlp.NEGATIONS, ".", ",", ";", "shouldn't", "mustn't", "if", "when"]},
}
_OPENERS = {"LOWER": {"IN": ["just", "simply", "then", "now", "so", "also", "first"]}, "OP": "?"}

nlp.add_patterns(
    "advice_stop",
    [
        # Imperatives: "Stop taking your steroids", "Simply cut your dose in half".
        [{"IS_CLAUSE_START": True, "LOWER": {"IN": _BASE}}, _SHORT, _MEDS_SPEC],
        [
            {"IS_CLAUSE_START": True, "LOWER": {"IN": ["just", "simply", "then", "now", "so"]}},
            {"LOWER": {"IN": _BASE}},
            _SHORT,
            _MEDS_SPEC,
        ],
        [
            {"IS_CLAUSE_START": True, "LOWER": {"IN": ["come", "get", "give", "cut", "ease"]}},
            {"LOWER": {"IN": ["off", "up", "rid", "back", "down"]}},
            {"LOWER": {"IN": ["on", "of"]}, "OP": "?"},
            _SHORT,
            _MEDS_SPEC,
        ],
        [
            {"IS_CLAUSE_START": True, "LOWER": {"IN": ["throw", "toss", "put", "bin"]}},
            {"LOWER": {"IN": ["away", "out", "aside"]}, "OP": "?"},
            _SHORT,
            _MEDS_SPEC,
        ],
        # Permission and recommendation: "feel free to stop your pills", "it is safe to…"
        [
            {
                "LOWER": {
                    "IN": [
                        "free",
                        "safe",
                        "fine",
                        "ok",
                        "okay",
                        "time",
                        "best",
                        "wise",
                        "advisable",
                        "encouraged",
                        "recommended",
                        "necessary",
                        "essential",
                        "obligatory",
                        "mandatory",
                        "required",
                    ]
                }
            },
            {"LOWER": "to"},
            {"LOWER": {"IN": ["just", "simply", "gradually", "slowly", "now"]}, "OP": "?"},
            {"LOWER": {"IN": [*_BASE, "come", "get", "give", "leave"]}},
            {"LOWER": {"IN": ["off", "up", "rid", "of"]}, "OP": "{0,2}"},
            _SHORT,
            _MEDS_SPEC,
        ],
        # Instructions to patients in the third person: "patients should stop their…"
        [
            {
                "LOWER": {
                    "IN": [
                        "patients",
                        "people",
                        "everyone",
                        "anyone",
                        "readers",
                        "patient",
                        "clients",
                        "client",
                    ]
                }
            },
            {"LOWER": {"IN": ["should", "must", "ought", "need", "needs", "can", "may"]}},
            {"LOWER": "to", "OP": "?"},
            {"LOWER": {"IN": ["just", "simply", "gradually", "slowly", "then", "also"]}, "OP": "?"},
            {"LEMMA": {"IN": _STOP}},
            _SHORT,
            _MEDS_SPEC,
        ],
        # Second person: "you can stop your insulin", "you should gradually reduce the dose".
        [{"LOWER": "you"}, _YOU_GAP, {"LEMMA": {"IN": _STOP}}, _SHORT, _MEDS_SPEC],
        [
            {"LOWER": "you"},
            _YOU_GAP,
            {"LOWER": {"IN": ["come", "get", "give", "cut", "ease"]}},
            {"LOWER": {"IN": ["off", "up", "rid", "back", "down"]}},
            {"LOWER": {"IN": ["on", "of"]}, "OP": "?"},
            _SHORT,
            _MEDS_SPEC,
        ],
        # "you will no longer need your insulin", "there is no need to take your pills"
        [
            {"LOWER": "no"},
            {"LOWER": "longer", "OP": "?"},
            {"LEMMA": "need"},
            nlp.gap(3),
            {"LOWER": "your"},
            {"OP": "{0,2}"},
            {"LEMMA": {"IN": _MEDS}},
        ],
        [
            {"LOWER": {"IN": ["wo", "will", "do", "does", "won't", "don't"]}},
            {"LOWER": {"IN": ["n't", "not"]}, "OP": "?"},
            {"LOWER": "need"},
            nlp.gap(3),
            {"LOWER": "your"},
            {"OP": "{0,2}"},
            {"LEMMA": {"IN": _MEDS}},
        ],
        # "you won't have to take any medicine", "you will not need your tablets"
        [
            {"LOWER": {"IN": ["wo", "will", "do", "won't", "don't", "shall", "should"]}},
            {"LOWER": {"IN": ["n't", "not", "no"]}},
            {"LOWER": {"IN": ["longer"]}, "OP": "?"},
            {"LOWER": {"IN": ["need", "have"]}},
            {"LOWER": "to", "OP": "?"},
            {
                "LEMMA": {
                    "IN": ["take", "use", "keep", "continue", "rely", "on", "taking", "using"]
                },
                "OP": "{0,2}",
            },
            {"LOWER": {"IN": ["your", "any", "the", "those", "these", "all", "daily", "regular"]}},
            {"OP": "{0,2}", "IS_PUNCT": False},
            _MEDS_SPEC,
        ],
        [
            {"LOWER": "instead"},
            {"LOWER": "of"},
            {"LOWER": {"IN": ["taking", "using"]}, "OP": "?"},
            {"LOWER": "your"},
            nlp.gap(3),
            {"LEMMA": {"IN": _MEDS}},
        ],
        # "Rather than your usual inhaler, take…": the same swap in other words
        [
            {"LOWER": "rather"},
            {"LOWER": "than"},
            {"LOWER": {"IN": ["taking", "using"]}, "OP": "?"},
            {"LOWER": "your"},
            nlp.gap(3),
            _MEDS_SPEC,
        ],
    ],
)
nlp.add_patterns(
    "advice_self",
    [
        [
            {"LEMMA": {"IN": ["inject", "infuse", "administer", "give", "shoot"]}},
            nlp.gap(3),
            {"LOWER": {"IN": ["yourself", "yourselves"]}},
        ],
        [
            {"LEMMA": {"IN": ["inject", "infuse", "administer"]}},
            nlp.gap(4),
            {"LOWER": "at"},
            {"LOWER": "home"},
        ],
        [{"LOWER": {"REGEX": r"^self-?(inject|administ|infus|treat)"}}],
        [{"IS_CLAUSE_START": True, "LOWER": {"IN": ["inject", "infuse", "administer"]}}],
        [
            {
                "IS_CLAUSE_START": True,
                "LOWER": {"IN": ["just", "simply", "then", "now", "so", "gently", "slowly"]},
            },
            {"LOWER": {"IN": ["inject", "infuse", "administer"]}},
        ],
        [{"LOWER": "self"}, {"ORTH": "-"}, {"LOWER": {"REGEX": r"^(inject|administ|infus|treat)"}}],
        [
            {"LOWER": {"IN": ["home", "at-home", "diy"]}},
            {
                "LOWER": {
                    "IN": [
                        "injection",
                        "injections",
                        "infusion",
                        "infusions",
                        "kit",
                        "kits",
                        "stem",
                        "cell",
                        "treatment",
                    ]
                }
            },
        ],
        [
            {"LOWER": "at"},
            {"ORTH": "-"},
            {"LOWER": "home"},
            {
                "LOWER": {
                    "IN": [
                        "injection",
                        "injections",
                        "infusion",
                        "kit",
                        "kits",
                        "stem",
                        "treatment",
                    ]
                }
            },
        ],
        [
            {"LOWER": "do"},
            {"ORTH": "-", "OP": "?"},
            {"LOWER": "it"},
            {"ORTH": "-", "OP": "?"},
            {"LOWER": "yourself"},
        ],
    ],
)
_DOSE_VERBS = [
    "take",
    "use",
    "give",
    "inject",
    "infuse",
    "apply",
    "increase",
    "double",
    "swallow",
    "drink",
    "start",
    "rub",
    "spray",
]
_PRODUCTS = sorted(
    MEDICATIONS | UNITS
    | {"serum", "cream", "vial", "solution", "cell", "product", "supplement", "kit", "spray",
       "gel", "ointment", "shot", "jab", "syringe", "exosome", "patch", "infusion"}
)  # fmt: skip
_TIMES = ["morning", "evening", "night", "day", "week", "hour", "month", "fortnight", "meal"]
nlp.add_patterns(
    "advice_dose",
    [
        [
            {"IS_SENT_START": True, "LEMMA": {"IN": _DOSE_VERBS}},
            nlp.gap(3),
            {"LIKE_NUM": True},
            {"LOWER": {"IN": sorted(UNITS)}},
        ],
        [
            {"IS_SENT_START": True, "LEMMA": {"IN": _DOSE_VERBS}},
            nlp.gap(4),
            {"LOWER": {"IN": ["once", "twice", "three", "four"]}},
            {"LOWER": {"IN": ["a", "per", "times", "daily"]}},
        ],
        [
            {"LOWER": "you"},
            _YOU_GAP,
            {"LEMMA": {"IN": _DOSE_VERBS}},
            nlp.gap(3),
            {"LIKE_NUM": True},
            {"LOWER": {"IN": sorted(UNITS)}},
        ],
        [
            {"LOWER": "your"},
            {"LOWER": {"IN": ["dose", "dosage"]}},
            {"LEMMA": "be"},
            nlp.gap(2),
            {"LIKE_NUM": True},
        ],
        # "Use the serum every evening", "Apply the cream daily"
        [
            {"IS_CLAUSE_START": True, "LOWER": {"IN": _DOSE_VERBS}},
            nlp.gap(3),
            {"LEMMA": {"IN": _PRODUCTS}},
            nlp.gap(6),
            {"LOWER": {"IN": ["every", "each"]}},
            {"LOWER": {"IN": _TIMES}},
        ],
        [
            {"IS_CLAUSE_START": True, "LOWER": {"IN": _DOSE_VERBS}},
            nlp.gap(3),
            {"LEMMA": {"IN": _PRODUCTS}},
            nlp.gap(6),
            {"LOWER": {"IN": ["daily", "nightly", "weekly", "hourly", "fortnightly"]}},
        ],
    ],
)
nlp.add_patterns(
    "advice_conceal",
    [
        [
            {"LOWER": {"IN": ["do", "does"]}, "OP": "?"},
            {"LOWER": {"IN": ["n't", "not", "never"]}},
            {"LEMMA": {"IN": ["tell", "inform", "mention", "let", "ask", "consult", "bother"]}},
            nlp.gap(2),
            {"LOWER": {"IN": ["your", "the"]}},
            {"LOWER": {"IN": _DOCTOR}},
        ],
        [
            {"LOWER": {"IN": ["don't", "dont", "never"]}},
            {"LEMMA": {"IN": ["tell", "inform", "mention", "let", "ask", "consult"]}},
            nlp.gap(2),
            {"LOWER": {"IN": ["your", "the"]}},
            {"LOWER": {"IN": _DOCTOR}},
        ],
        [
            {"LOWER": "no"},
            {"LOWER": "need"},
            {"LOWER": "to"},
            {"LEMMA": {"IN": ["tell", "inform", "involve", "consult", "ask", "see"]}},
            nlp.gap(2),
            {"LOWER": {"IN": ["your", "a", "the"]}},
            {"LOWER": {"IN": _DOCTOR}},
        ],
        [
            {"LEMMA": {"IN": ["keep", "hide"]}},
            nlp.gap(4),
            {"LOWER": "from"},
            {"LOWER": "your"},
            {"LOWER": {"IN": _DOCTOR}},
        ],
        # "keep the treatment to yourself", "keep it secret"
        [
            {"LEMMA": "keep"},
            nlp.gap(4),
            {"LOWER": "to"},
            {"LOWER": {"IN": ["yourself", "yourselves"]}},
        ],
        [{"LEMMA": "keep"}, nlp.gap(4), {"LOWER": {"IN": ["secret", "quiet", "hidden"]}}],
        [
            {"LOWER": "without"},
            {
                "LEMMA": {
                    "IN": [
                        "tell",
                        "telling",
                        "inform",
                        "informing",
                        "ask",
                        "asking",
                        "consult",
                        "consulting",
                    ]
                }
            },
            {"LOWER": {"IN": ["your", "a", "the"]}},
            {"LOWER": {"IN": _DOCTOR}},
        ],
        [
            {"LOWER": "your"},
            {"LOWER": {"IN": _DOCTOR}},
            {"LOWER": {"IN": ["does", "do", "doesn't", "don't"]}},
            {"LOWER": {"IN": ["n't", "not"]}, "OP": "?"},
            {"LOWER": {"IN": ["need", "have"]}},
            {"LOWER": "to"},
            {"LOWER": {"IN": ["be", "know", "hear", "learn", "find", "see"]}},
        ],
    ],
)

KINDS = {
    "advice_stop": "an instruction to stop, reduce or change a prescribed treatment",
    "advice_self": "an instruction to self-administer or inject at home",
    "advice_dose": "a dosing instruction to the reader",
    "advice_conceal": "advice to keep a treatment from one's doctor",
}


_PROMOTING = frozenset({"easy", "easily", "simple", "simply", "safe", "safely", "convenient",
                        "quick", "quickly", "painless", "lets", "let", "allows", "can",
                        "saves"})  # fmt: skip


_SELF_VERB = re.compile(r"^(self-?)?(administer|inject|infuse|medicate|treat)$")


_ADVISING = frozenset(["advise", "tell", "help", "ask", "teach", "show", "support", "guide",
                       "remind", "warn", "talk", "explain", "counsel"])  # fmt: skip
_OWN_MEDICINES = frozenset(["tablet", "tablets", "medicine", "medicines", "medication",
                            "medications", "pill", "pills", "insulin", "inhaler", "capsules",
                            "meds", "injections", "treatment"])  # fmt: skip
_KEEPING_TIME = re.compile(
    r"\b(at\s+the\s+same\s+time|every\s+day|each\s+day|daily|regularly)\b", re.IGNORECASE
)
_SCHEDULE = re.compile(
    r"\b(once|twice|three\s+times|\d+\s+times|extra|double|more|every\s+(other|second|\d+)|"
    r"\d+\s*(mg|ml|g|units?|drops?|tablets?|capsules?))\b",
    re.IGNORECASE,
)


_YES = re.compile(
    r"^\W*(yes|yeah|absolutely|of\s+course|sure|definitely|certainly|totally)\b", re.I
)


def _not_an_instruction(sentence: Any, claim: Any) -> bool:
    """A matched phrase that instructs nobody: the reader is the one told or advised, asks
    the question, takes their own medicine as prescribed, or some people do it."""
    doc = claim.doc
    before = doc[claim.start - 1] if claim.start else None
    if claim[0].lower_ == "you" and (
        _asks_which(doc[claim.start : claim.end])  # "…tell you which medicines to pause"
        or (before is not None and before.lemma_ in _ADVISING)  # "…advise you about switching"
    ):
        return True
    if _readers_own_question(sentence, claim):
        return True  # "Q: Can I inject the cells at home?": the reader asks
    if claim.label_ == "advice_dose" and _adherence(sentence.span):
        return True  # "take your tablets at the same time every day": as prescribed
    return before is not None and before.lower_ in _SOME  # "some people can stop…"


def _readers_own_question(sentence: Any, claim: Any) -> bool:
    """“Can I inject the cells at home?”, “Should we stop the tablets?”: a question in the
    first person, asked by the reader; “why not inject at home?” is the seller's."""
    if not sentence.plain.rstrip().endswith("?"):
        return False
    before = [t.lower_ for t in claim.doc[max(claim.start - 3, claim.sent.start) : claim.start]]
    return any(w in ("i", "we") for w in before) or claim[0].lower_ in ("i", "we")


def _adherence(span: Any) -> bool:
    """“Take your tablets at the same time every day”: the reader's own prescribed medicine,
    taken regularly, with no amount or schedule of the page's own."""
    words = [t.lower_ for t in span]
    own = any(
        w in _OWN_MEDICINES and "your" in words[max(i - 3, 0) : i] for i, w in enumerate(words)
    )
    sold = any(w in _SOLD_PRODUCTS for w in words)  # "your stem cell capsules": the seller's
    return (
        own
        and not sold
        and bool(_KEEPING_TIME.search(span.text))
        and not _SCHEDULE.search(span.text)
    )


_SOLD_PRODUCTS = frozenset(["cell", "cells", "stem", "exosome", "exosomes", "serum", "extract",
                            "powder", "vial", "vials", "ampoule", "ampoules", "kit"])  # fmt: skip


def _addressed(sentence: Any, claim: Any) -> bool:
    """Self-injection is advice when the sentence speaks to the reader or sells it (“lets you
    treat flares yourself”, “is easy”), not when it reports what self-injection caused."""
    if claim[0].lower_ in (
        "inject",
        "infuse",
        "administer",
        "just",
        "simply",
        "then",
        "now",
        "so",
        "gently",
        "slowly",
        "give",
        "shoot",
    ):
        return True  # an imperative, or a verb the pattern already ties to "yourself"
    if nlp.clause_start(claim[0]) and _SELF_VERB.match(claim[-1].lower_):
        return True  # "Self-administer the powder…": an imperative
    words = {t.lower_ for t in sentence.span}
    if claim[0].lower_.endswith("ing") and claim[0].lower_ != claim[0].lemma_:
        # "Injecting yourself at home … can cause serious infections": a subject, which
        # sells only when the sentence praises it ("…is easy")
        return bool(words & (_PROMOTING - {"can", "let", "lets", "allows"}))
    return bool(words & {"you", "your", "yourself", "we", "our"} or words & _PROMOTING)


_SUBORDINATE = frozenset({"before", "until", "unless", "if", "whether", "when", "once"})
_CONDITIONS = frozenset({"if", "unless", "when", "whenever", "once", "should", "in", "before",
                         "until"})  # fmt: skip


# Verbs that dose only with a product for object ("take your temperature", "use a diary");
# "inhale", "swallow", "inject" dose whatever follows.
_GENERIC_DOSING = frozenset(["take", "use", "give", "apply", "start", "increase", "double",
                             "put", "place", "add", "insert", "mix", "massage", "squeeze",
                             "top", "dab"])  # fmt: skip


def _doses_a_product(sentence: Any) -> bool:
    """A dose is of something taken: a medicine, a product, or an amount in units."""
    tokens = list(sentence.span)
    units = {u.lower() for u in UNITS}
    return _medicine_in(tokens) is not None or any(
        t.lemma_ in _PRODUCTS or t.lower_ in _COUNTED or t.lower_ in units for t in tokens
    )


def _supposed(claim: Any) -> bool:
    """Whether the advice is only supposed. “If your doctor agrees, lower the dose” and
    “would you stop your pills?” suppose; “If symptoms return, double your dose” is an
    instruction with a condition of its own, as unsafe as without one."""
    doc = claim.doc
    for modifier in claim._.modifiers:
        if modifier.category != nlp.HYPOTHETICAL:
            continue
        start, end = modifier.modifier_span
        if end > claim.start:
            return True  # the supposition is about the advice itself, or comes after it
        if doc[start].lower_ not in _CONDITIONS:
            return True
        between = doc[end : claim.start]
        clause_ends = any(t.lower_ in (",", "then", ";") for t in between)
        on_advice = any(
            t.lower_ in _DOCTOR or t.lower_ in ("advice", "advised", "prescribed", "supervision")
            for t in doc[start : claim.start]
        )
        if not clause_ends or on_advice:
            return True
    return False


@rule(
    "unsafe-advice",
    title="No unsafe advice to the reader",
    why="HONcode 2 (information supports, never replaces, the doctor–patient relationship); "
    "FDA and EBMT warnings: stopping prescribed treatment for an unproven one causes lasting "
    "harm. Never waivable.",
    codes=[
        Code(
            "advice.unsafe",
            "error",
            "Telling readers to stop, reduce or swap a prescribed treatment, to inject or "
            "infuse themselves at home, how much to take, or to keep a treatment from their "
            "doctor.",
            waivable=False,
        )
    ],
    flags=[
        "Stop taking your steroids a week before the infusion.",
        "You will no longer need your insulin.",
        "Inject the cells yourself at home.",
        "There is no need to tell your neurologist.",
        "If the pain comes back, double your steroid dose.",
        "Leave out your evening dose of prednisolone on treatment days.",
        "Better not to mention the injections to your GP.",
        "Rub the gel into the joint twice a day.",
        "Squirt the contents of one ampoule under your tongue three times a day.",
        "It is necessary to cancel all hormonal preparations before the procedure.",
        "Stop your steroids without asking your doctor.",
    ],
    passes=[
        "Do not stop taking your medication without talking to your doctor.",
        "In the trial, patients stopped their steroids before transplantation [@x].",
        "If your doctor suggests lowering your dose, ask how to do it safely.",
        "Check with your team before you stop any medicine.",
        "Before the transplant, you will stop some medicines under your team's supervision.",
        "Keep taking your tablets until your specialist tells you otherwise.",
        "Your transplant team will tell you which medicines to pause.",
        "Never stop your steroids without telling your doctor.",
        "You may need to stop some medicines a few days before the test.",
        "You will be taught how to inject yourself with the blood thinner.",
    ],
)
def unsafe_advice(text: ArticleText) -> Iterator[Finding]:
    sentences = text.sentences
    for number, sentence in enumerate(sentences):
        found = False
        following = sentences[number + 1] if number + 1 < len(sentences) else None
        answered = (
            following is not None
            and following.pointer == sentence.pointer
            and bool(_YES.match(following.plain))
        )
        safe = _safe(sentence.plain)
        for claim in () if safe else sentence.claims(*KINDS):
            flags = nlp.flags(claim)
            if flags.negated or flags.attributed or (flags.hypothetical and _supposed(claim)):
                continue
            if claim.label_ == "advice_self" and not _addressed(sentence, claim):
                continue
            if (
                claim.label_ == "advice_dose"
                and claim[0].lemma_ in _GENERIC_DOSING
                and not _doses_a_product(sentence)
            ):
                continue  # "take your temperature twice a day": a measurement, not a dose
            if claim.start and claim.doc[claim.start - 1].lower_ in _SUBORDINATE:
                continue  # "ask your team before you stop any medicine": a decision to come
            if (
                claim[0].lower_ == "you"
                and claim.start
                and claim.doc[claim.start - 1].lower_
                in ("for", "to", "with", "of", "about", "at", "by", "from")
            ):
                continue  # "doctors who care for you can stop…": the doctors do it
            if _not_an_instruction(sentence, claim) and not (
                answered and _readers_own_question(sentence, claim)
            ):
                continue  # ("Can I inject at home? Absolutely – …": the seller says yes)
            yield Finding(
                "advice.unsafe",
                Severity.ERROR,
                sentence.pointer,
                f"Unsafe advice, {KINDS[claim.label_]} (“{claim.text}”): readers must not be "
                f"told this; send them to their doctor instead: {quote(sentence.text)}.",
                quote=sentence.text,
            )
            found = True
            break
        kind = None if found or sentence.field == "title" else reader_instruction(sentence)
        if kind is not None:
            yield Finding(
                "advice.unsafe",
                Severity.ERROR,
                sentence.pointer,
                f"Unsafe advice, {KINDS[kind]}: readers must not be told this; send them to "
                f"their doctor instead: {quote(sentence.text)}.",
                quote=sentence.text,
            )


# --- Advice read from the sentence's shape -------------------------------------------------
# The patterns above catch set phrasings; what follows reads any sentence for who it speaks
# to (an imperative, "you", "patients can…") and what it tells them to do to a treatment, a
# dose or their doctor, so that other verbs and word orders are read the same way.

_MEDICINE = re.compile(_MEDS_SPEC["LEMMA"]["REGEX"], re.IGNORECASE)
_CHANGE = frozenset(_STOP) | {"halve", "mix", "put", "throw", "give", "come", "forget", "bin",
                              "ditch", "trade", "exchange", "substitute", "leave",
                              # as translated clinic pages put it: "cancel all hormonal
                              # preparations", "interrupt the anticoagulant", "resign from"
                              "cancel", "interrupt", "resign", "renounce", "withdraw"}  # fmt: skip
# Verbs that change a treatment only with their particle: "hold off on your pen", "space out
# the infusions", "dial down the patches", "let the prescription lapse".
_PHRASAL = {"hold": ("off", "back"), "space": ("out",), "dial": ("down", "back"),
            "wind": ("down",), "scale": ("down", "back"), "ease": ("off", "up"),
            "tail": ("off",), "let": ("lapse", "go", "run"), "phase": ("out",),
            "step": ("down",), "put": ("off", "aside", "away"), "delay": (), "postpone": (),
            "omit": (), "shelve": (), "ration": (), "stretch": ("out",),
            "knock": ("down", "back", "off"), "go": ("easy", "light"),
            "lay": ("off",), "taper": ()}  # fmt: skip
_DOSING = frozenset(["take", "drink", "mix", "swallow", "use", "apply", "inject", "infuse",
                     "rub", "spray", "dissolve", "chew", "add", "put", "inhale", "gargle",
                     "sip", "dab", "massage", "insert", "place", "squeeze", "top", "push",
                     "squirt"])  # fmt: skip
_TELL = frozenset(["tell", "telling", "mention", "mentioning", "inform", "informing", "let",
                   "consult", "consulting", "ask", "asking", "involve", "involving", "bother",
                   "show", "share"])  # fmt: skip
_MODALS = frozenset(["can", "could", "may", "might", "should", "must", "will", "'ll", "need",
                     "needs", "ought", "shall"])  # fmt: skip
_OPENING = frozenset(["please", "just", "simply", "then", "now", "so", "also", "first", "next",
                      "gradually", "slowly", "finally", "feel", "free", "to"])  # fmt: skip
_FREQUENCY = re.compile(
    r"\b(\w+\s+times?\s+(a|per|each|every)\s+\w+|(once|twice|three\s+times)\s+(a|per|daily|"
    r"weekly)|daily|nightly|weekly|every\s+(morning|evening|night|day|week|hour|\d+\s+hours?)|"
    r"each\s+(morning|evening|night|day|week)|an?\s+extra\s+(dose|tablet|capsule|pill|"
    r"injection|shot|sachet)|every\s+(other|second|third|\w+\s+)?(morning|evening|night|day|"
    r"week|hour|month|fortnight)s?|(morning|day)\s+and\s+(night|evening)|at\s+bedtime|"
    r"before\s+(breakfast|bed|meals|food|sleep)|on\s+an\s+empty\s+stomach|(one|two|three|\d+)\s+at\s+"
    r"a\s+time|with\s+(each|every)\s+meal|an?\s+\d*\s*extra\s+(dose|tablet|capsule|pill|"
    r"injection|shot|sachet)|(extra|double|more)\s+(dose|doses|capsules?|tablets?|pills?))\b",
    re.IGNORECASE,
)
_AT_HOME = re.compile(
    r"\b(at\s+home|from\s+home|yourself|yourselves|on\s+your\s+own|in\s+your\s+own\s+\w+|"
    r"at\s+your\s+(home|house|kitchen\s+table))\b",
    re.IGNORECASE,
)
_SAFE = re.compile(
    r"\b(unless\s+your|until\s+you\s+(have\s+)?(talk|spoke|speak|ask|check)|"
    r"(talk|speak)\s+(to|with)\s+your|ask\s+your|check\s+with|under\s+(\S+\s+){0,2}"
    r"supervision|supervised|as\s+prescribed|only\s+(with|after|on\s+the\s+advice\s+of)\s+(\w+\s+){0,2}?"
    r"(your|a|the|their|his|her)\s+(\w+\s+)?(doctor|gp|team|specialist|nurse|neurologist|"
    r"rheumatologist|consultant)|"
    # what a patient will be taught or may be asked to do: "you will be taught how to inject
    # yourself", "you may need to stop some medicines before the test"
    r"(be|being|been|get|are|is)\s+(taught|shown|trained)\s+(how\s+)?to|"
    r"(may|might)\s+(need|have|be\s+asked|be\s+told)\s+to\s+(stop|pause|reduce|lower|change|"
    r"adjust|switch|skip|come\s+off|hold)|"
    # "only when the transplant team tells you to", "as the hospital will explain"
    r"(only\s+(when|if|after|once)|as)\s+(your|the)\s+(\w+\s+){0,2}?(doctor|gp|team|specialist|"
    r"nurse|neurologist|rheumatologist|consultant|hospital|surgeon|pharmacist|prescriber)s?\s+"
    r"((will|may|would|has|have)\s+)?(tells?|says?|advises?|agrees?|asks?|explains?|directs?|"
    r"prescribes?|told|said|advised|agreed|asked|explained|directed|prescribed|explain|direct|"
    r"advise|agree|ask|tell|showed|shown|show|taught|teach)\b|(show|shows|teach|teaches|train|trains)\s+you\s+"
    r"(how\s+)?to|(will|'ll|may|might)\s+(need|have)\s+to\s+take|"
    r"you\s+need\s+to\s+take|your\s+(doctor|gp|team|specialist|neurologist|rheumatologist|"
    r"nurse|consultant|surgeon|pharmacist|prescriber|anaesthetist|anesthetist|cardiologist)\s+"
    r"((may|will|can|might|could|should|would)\s+(\w+\s+)?(suggest|"
    r"advise|decide|lower|reduce|change|adjust|tell|recommend|want|stop|switch|taper|plan|ask|"
    r"explain|discuss|check|"
    r"give\s+you)|"
    r"decides?|suggests?|advises?|agrees?|tells?))\b",
    re.IGNORECASE,
)
_safe_frame = caseless_finder(_SAFE)  # searched in every sentence: lowered when it is ASCII
# "…without talking to your doctor" is the safe kind after a negation ("never stop your
# steroids without telling your doctor"); after an instruction ("stop your steroids without
# asking your doctor") it makes the advice worse.
_WITHOUT_ASKING = re.compile(
    r"\bwithout\s+(first\s+)?(talking|speaking|asking|checking|consulting|advice|agreement|"
    r"discussing|telling|informing|letting|seeing|involving)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"(\b(not|never|no|nobody|none)\b|n['’]t\b)(?!\s+(worry|worries|problem|need|reason)\b)",
    re.IGNORECASE,
)


def _safe(plain: str) -> bool:
    if _safe_frame(plain):
        return True
    without = _WITHOUT_ASKING.search(plain)
    return without is not None and _NEGATION.search(plain[: without.start()]) is not None


_UNNEEDED = re.compile(
    r"\b(no\s+(longer\s+)?(any\s+)?(reason|need|point|sense|use)\s+(to\s+|in\s+)?(keep|continue|carry\s+on|stay\s+on|go\s+on|"
    r"take|use|keeping|continuing|carrying\s+on|staying\s+on|taking|using)|"
    r"(medication|medicine|tablet|pill|drug|prescription|dose)s?\s+(\w+\s+){0,4}?"
    r"(can|may|could|should|must)\s+(now\s+|safely\s+|simply\s+)?be\s+(abandoned|stopped|dropped|"
    r"discontinued|reduced|halved|skipped|ditched|forgotten|tapered|cut|thrown\s+away|set\s+aside|"
    r"lowered|decreased|suspended|paused|ceased|withdrawn|omitted)"
    r"(?!\s+(by|under|with|only|if|on\s+(medical|your)))|"
    # "the seizure medication can go once the implant has taken"
    r"(medication|medicine|tablet|pill|drug|prescription|inhaler|injection|patch)s?\s+(can|may|"
    r"could)\s+(now\s+|safely\s+|simply\s+|just\s+)?go(?=\s*([.;,!]|$|\s+(once|when|after|as\s+soon|now|for\s+good|altogether|too)\b))|"
    r"(become|becomes|are|is)\s+(now\s+)?(unnecessary|redundant|superfluous|obsolete)|"
    r"(won't|will\s+not|wo\s+n't|shan't)\s+(be\s+)?(need|needing)\s+(your|those|these|the|any)\b|"
    r"(can|may|could)\s+(now\s+|safely\s+)?go\s+(in|into)\s+the\s+(bin|drawer|cupboard|rubbish)|"
    # "stopping your immunosuppressants is usually possible", "no harm in cutting down…"
    r"(stopping|reducing|cutting\s+down|coming\s+off|skipping|dropping|halving|tapering|"
    r"lowering)\s+(your|the|all|any)\s+(\w+\s+){0,3}?(is|are|becomes?)\s+(usually\s+|often\s+|"
    r"generally\s+|perfectly\s+|quite\s+|then\s+)?(possible|safe|fine|okay|ok|recommended|"
    r"advisable|encouraged)(?![^.]*\b(only|with\s+your|under|doctor|specialist|team)\b)|"
    r"no\s+(harm|problem|risk|danger|issue)\s+(in|with)\s+(stopping|cutting|reducing|skipping|"
    r"dropping|coming\s+off|halving|lowering|tapering)|"
    r"(are|is|will\s+be|'ll\s+be)\s+no\s+longer\s+(needed|necessary|required)|"
    r"(will\s+not|won't|should\s+not|shouldn't|will\s+no\s+longer)\s+be\s+(needed|necessary|"
    r"required))\b",
    re.IGNORECASE,
)
_unneeded = caseless_finder(_UNNEEDED)
# "Tell your GP only after you see results": told too late to advise.
_TELL_LATER = re.compile(
    r"\b(tell|inform|let|show)\s+(your|the)\s+(\w+\s+)?\w+\s+(\w+\s+)?only\s+(after|once|when)\b",
    re.IGNORECASE,
)
# "Your GP need not be involved", "your neurologist doesn't have to be told"
_NEED_NOT = re.compile(
    r"\byour\s+(\w+\s+)?(doctor|gp|neurologist|rheumatologist|specialist|consultant|nurse|team|"
    r"physician|cardiologist|dermatologist|oncologist|pharmacist)s?\s+(need\s+not|needn't|"
    r"(does|do)\s*(not|n't)\s+(need|have)\s+to|has\s+no\s+need\s+to)\s+(be\s+(involved|told|"
    r"informed|consulted|asked)|know|hear|find\s+out|learn)\b",
    re.IGNORECASE,
)
_HIDE = re.compile(
    r"\b(avoid|no\s+need\s+to|no\s+reason\s+to|don't|do\s+not|never|without|there's\s+no\s+"
    r"need\s+to|better\s+not\s+to|best\s+not\s+to)\s+(\w+\s+){0,2}?(tell|telling|mention|"
    r"mentioning|inform|informing|let|consult|consulting|involve|involving|bother|share)\b",
    re.IGNORECASE,
)


# A sentence can hold such advice only with one of these words: most sentences are skipped
# by a look at their words, before their tokens are read.
_WORTH_READING = frozenset(_CHANGE | _DOSING | _TELL | set(_PHRASAL) | {
    "halves", "halving", "unnecessary", "redundant", "superfluous", "obsolete", "longer", "need",
    "reason", "point", "has", "have", "nobody", "no-one", "one", "abandoned", "stopped",
    "dropped", "discontinued", "reduced", "halved", "skipped", "ask", "asks", "want", "require",
    "instruct", "advise", "advised", "asked", "told", "required", "necessary", "needed",
    "needn't", "stopping", "reducing", "cutting", "coming", "skipping", "dropping",
    "tapering", "lowering", "lowered", "decreased", "suspended", "paused", "goodbye",
    "farewell", "needing", "bin", "more", "continuing", "pointless", "recommend",
    "bye", "loop", "dark", "picture", "times", "twice", "daily", "nightly", "weekly",
    "ignore", "disregard", "overrule", "dismiss", "same", "suit", "know", "prefer", "preferred",
    "rather", "replaces", "replacing", "supersedes", "substitutes"})  # fmt: skip


def _medicine_in(tokens: Any) -> str | None:
    previous = ""
    for token in tokens:
        if _MEDICINE.match(token.lemma_) or _MEDICINE.match(token.lower_):
            return token.text
        if previous in _POSSESSIVES and _brand(token):
            return token.text  # "their Tecfidera", "your Copaxone": a medicine by its brand
        previous = token.lower_
    return None


_POSSESSIVES = frozenset(["your", "their", "my", "his", "her"])


def _brand(token: Any) -> bool:
    """A capitalised word English does not know: a medicine's brand after a possessive."""
    return token.is_title and len(token) > 3 and token.lower_ not in nlp.english_words()


_SUBORDINATORS = frozenset(["if", "when", "once", "after", "before", "as", "while", "until",
                            "whenever", "since"])  # fmt: skip


_DETERMINERS = frozenset(["the", "your", "a", "an", "this", "these", "those", "all", "any"])
_NOT_IMPERATIVE = frozenset(
    ["in", "on", "for", "with", "by", "at", "from", "to", "of", "about", "under", "over",
     "during", "despite", "without", "within", "across", "among", "between", "through",
     "throughout", "beyond", "unlike", "like", "all", "both", "half", "only", "even", "just",
     "not", "and", "but", "or", "so", "yet", "what", "how", "why", "where", "which", "who",
     "whether", "because", "although", "though", "while", "after", "before", "once", "until",
     "since", "as", "if", "unless", "when", "whenever", "is", "was", "are", "were", "do",
     "does", "did", "has", "have", "had", "can", "could", "will", "would", "may", "might",
     "should", "must", "shall", "it", "this", "that", "there", "here", "then", "thus",
     "hence", "also", "however", "meanwhile", "besides", "instead", "none", "neither",
     "either", "each", "every", "some", "many", "most", "few", "several", "one", "no"]
)  # fmt: skip


def _clause_starts(tokens: list[Any]) -> list[int]:
    """Where an imperative may begin: the sentence's start, after a colon or semicolon, and
    after a comma when the sentence opens with a condition or an imperative of its own ("If
    it hurts, halve…", "Stop X, then cut Y") — not inside a list of what doctors do ("Doctors
    collect the cells, give chemotherapy…"); past an opening word ("Please stop…")."""
    first = tokens[0] if tokens else None
    open_clause = first is not None and (
        first.lower_ in _SUBORDINATORS
        or first.lower_ in _OPENING
        or (first.lower_ == first.lemma_ and first.lemma_ in _CHANGE | _DOSING)
        # any bare verb before a determiner: "Trust the cells and let go of…"
        or (
            first.is_alpha
            and first.lower_ == first.lemma_
            and first.lower_ not in _NOT_IMPERATIVE
            and len(tokens) > 1
            and tokens[1].lower_ in _DETERMINERS
        )
    )
    starts = []
    for i in range(len(tokens)):
        previous = tokens[i - 1].lower_ if i else ""
        if (
            i == 0
            or previous in (";", ":", "—", "–", "(", "please")
            or (open_clause and previous in (",", "and", "then"))
            or _after_a_cleft(tokens, i)
        ):
            j = i
            while j < len(tokens) and tokens[j].lower_ in _OPENING:
                j += 1
            starts.append(j)
    return starts


_CLEFT_NOUNS = frozenset(["advice", "tip", "rule", "answer", "recommendation", "message",
                          "instruction", "suggestion", "secret", "trick"])  # fmt: skip
_CLEFT_VERBS = frozenset(["do", "tell", "say", "recommend", "advise", "suggest", "want"])


def _after_a_cleft(tokens: list[Any], i: int) -> bool:
    """An instruction after a cleft's “is”: “what we tell people is, forget the
    methotrexate”, “my advice is: stop…”, “what you want to do is push…”."""
    k = i - 1
    if k >= 0 and tokens[k].lower_ == ",":
        k -= 1
    if k < 1 or tokens[k].lower_ not in ("is", "'s"):
        return False
    if tokens[k - 1].lower_ in _CLEFT_NOUNS:
        return True
    before = [t.lower_ for t in tokens[max(k - 6, 0) : k]]
    return "what" in before and not _CLEFT_VERBS.isdisjoint(before[before.index("what") :])


def _object_of_a_preposition(before: list[str], subject: str) -> bool:
    at = len(before) - 1 - before[::-1].index(subject)
    return at > 0 and before[at - 1] in ("for", "to", "with", "of", "about", "at", "by", "from")


_WH = frozenset(["which", "what", "how", "when", "whether", "where", "who"])
_CONDITIONAL = frozenset(["if", "unless", "should", "whenever", "suppose", "supposing"])


def _asks_which(tokens: Any) -> bool:
    """“…tell you which medicines to pause”, “…explain to you when to stop”: a question
    embedded after the reader, which someone else will answer; no instruction."""
    words = [t.lower_ for t in tokens]
    return "you" in words and any(w in _WH for w in words[words.index("you") + 1 :][:2])


def _in_condition(tokens: list[Any], at: int) -> bool:
    """The verb sits in the sentence's opening condition, before its comma: “If a clinic tells
    you to stop your insulin, contact your team” supposes the advice; it gives other advice."""
    if not tokens or tokens[0].lower_ not in _CONDITIONAL:
        return False
    return not any(t.lower_ in (",", ";", ":", "then", "—", "–") for t in tokens[1:at])


def _to_the_reader(tokens: list[Any], at: int) -> bool:
    """The verb at ``at`` is an imperative, or has the reader ("you", "patients") for subject,
    with or without a modal between."""
    if any(t.lower_ == "whether" for t in tokens[:at]):
        return False  # "whether people can safely come off…" asks; it tells nobody
    if _in_condition(tokens, at) or _asks_which(tokens[max(at - 4, 0) : at]):
        return False
    if (
        at in _clause_starts(tokens)
        or _asked_to(tokens, at)
        or _impersonal(tokens, at)
        or _recommended_that(tokens, at)
    ):
        return True
    before = [t.lower_ for t in tokens[max(at - 6, 0) : at]]
    subject = next((w for w in reversed(before) if w not in _MODALS and w not in _OPENING
                    and w not in _SUBJECT_SKIPS),
                   None)  # fmt: skip
    if subject not in _READERS:
        subject = _relative_subject(tokens, at) or subject
    if "able" in before and any(w in ("may", "might", "could") for w in before):
        return False  # "you may be able to reduce…": a possibility, not an instruction
    if subject is not None and subject in before and _object_of_a_preposition(before, subject):
        return False  # "doctors who care for you can stop…": the doctors do it
    if subject == "they" and _sellers_patients(tokens[:at]):
        subject = "patients"  # "most of our patients find they can taper…": by example
    return subject in _READERS and any(
        w in _MODALS
        or w
        in ("free", "safe", "fine", "welcome", "lets", "allows", "enables", "ideally", "preferably")
        for w in before
    )


_READERS = frozenset(["you", "patients", "people", "readers", "everyone", "anyone", "patient",
                      "clients"])  # fmt: skip
_SUBJECT_SKIPS = frozenset(["also", "safely", "simply", "just", "then", "to", "now", "welcome",
                            "are", "able", "be", "generally", "usually", "normally",
                            "typically", "often", "mostly", "easily"])  # fmt: skip


def _relative_subject(tokens: list[Any], at: int) -> str | None:
    """The reader before a relative clause: “readers who have had the infusion can skip…”,
    “patients that feel better may drop…”, with a modal between the clause and the verb."""
    window = [t.lower_ for t in tokens[max(at - 10, 0) : at]]
    for k in range(len(window) - 1, 0, -1):
        if window[k] in ("who", "that") and window[k - 1] in _READERS:
            return window[k - 1] if not _MODALS.isdisjoint(window[k + 1 :]) else None
    return None


_RECOMMENDED = frozenset(["recommended", "necessary", "essential", "advisable", "obligatory",
                          "mandatory", "required", "advised", "indicated", "needed",
                          "preferable", "important"])  # fmt: skip
_TO_WHOM = frozenset(["to", "for", "the", "a", "each", "every", "all", "patient", "patients",
                      "you", "client", "clients"])  # fmt: skip


_RECOMMEND = frozenset(["recommend", "advise", "suggest", "insist", "require", "ask", "prefer",
                        "urge", "propose"])  # fmt: skip


def _recommended_that(tokens: list[Any], at: int) -> bool:
    """“We recommend that patients come off…”, “our doctors advise you stop…”: the seller
    recommends the change to the reader, in the subjunctive."""
    if at < 2 or tokens[at - 1].lower_ not in _READERS:
        return False
    k = at - 2
    if tokens[k].lower_ == "that":
        k -= 1
    return (
        k >= 0
        and tokens[k].lemma_ in _RECOMMEND
        and any(t.lower_ in _SELLERS for t in tokens[max(k - 3, 0) : k])
    )


def _impersonal(tokens: list[Any], at: int) -> bool:
    """An instruction in the impersonal, as translated clinic pages give it: “it is
    necessary to cancel…”, “is recommended to the patient to suspend…”."""
    if at < 2 or tokens[at - 1].lower_ != "to":
        return False
    for k in range(at - 2, max(at - 8, -1), -1):
        word = tokens[k].lower_
        if word in _RECOMMENDED:
            return k > 0 and tokens[k - 1].lower_ in ("is", "are", "it's", "be")
        if word not in _TO_WHOM:
            return False
    return False


def _sellers_patients(tokens: list[Any]) -> bool:
    """“Our patients”, “our clients”: the seller's own, held up for the reader to follow."""
    words = [t.lower_ for t in tokens]
    return any(
        w == "our" and i + 1 < len(words) and words[i + 1] in ("patients", "clients")
        for i, w in enumerate(words)
    )


_REQUEST = frozenset(["ask", "tell", "instruct", "require", "advise", "want", "encourage",
                      "urge", "expect", "invite", "need"])  # fmt: skip
_ASKED = frozenset(["you", "patients", "patient", "everyone", "all", "each", "every", "clients",
                    "people", "guests"])  # fmt: skip
_SELLERS = frozenset(["we", "our", "us", "clinic", "clinic's", "team", "doctors", "staff"])


_SOME = frozenset(["some", "many", "most", "several", "few", "often", "sometimes", "usually",
                   "occasionally", "may", "might", "other", "others"])  # fmt: skip
_ADVISED = frozenset(["advised", "asked", "told", "required", "instructed", "encouraged",
                      "expected", "invited"])  # fmt: skip


def _asked_to(tokens: list[Any], at: int) -> bool:
    """“We ask every patient to pause…”, “our doctors want you to stop…”: the seller asks the
    reader to do it, in so many words."""
    if at < 3 or tokens[at - 1].lower_ != "to":
        return False
    if (
        tokens[at - 2].lower_ in _ADVISED
        and tokens[at - 3].lower_ in ("are", "is")
        and any(t.lower_ in _ASKED for t in tokens[max(at - 6, 0) : at - 3])
        # "some people are told to stop…" describes what happens to some
        and not any(t.lower_ in _SOME for t in tokens[max(at - 6, 0) : at - 3])
    ):
        return True  # "patients are advised to stop…": the text itself instructs
    before = tokens[max(at - 7, 0) : at - 1]
    return (
        any(t.lower_ in _ASKED for t in before)
        # in the present ("we ask every patient to…"); "the clinic told patients to stop their
        # insulin, and several were admitted" reports what happened
        and any(t.lemma_ in _REQUEST and t.lower_ not in _ADVISED for t in before)
        and any(t.lower_ in _SELLERS for t in tokens[:at])
    )


def reader_instruction(sentence: Any) -> str | None:
    """What unsafe thing a sentence tells its reader to do, read from its shape, or None."""
    plain = sentence.plain
    if _WORTH_READING.isdisjoint(lower_words(plain)) or _safe(plain) or _IN_SOME.search(plain):
        return None  # nothing to read, the safe kind, or what happens to some ("in some people…")
    tokens = list(sentence.span)
    if _conceals(sentence, tokens):
        return "advice_conceal"
    if _unneeded(plain) and (_medicine_in(tokens) or "your" in plain.lower().split()):
        return "advice_stop"
    if (_endorsed_change(plain) or _replaces_it(plain)) and _medicine_in(tokens):
        return "advice_stop"
    words = lower_words(plain)
    if (not _DISREGARD.isdisjoint(words) and _disregards_doctor(tokens)) or (
        " be " in plain and _medicine_can_be_stopped(plain)
    ):
        return "advice_stop"
    return _instruction(plain, tokens)


_IN_SOME = re.compile(
    r"\b(in|for)\s+(some|many|most|a\s+few|certain|selected)\s+(people|patients|cases|adults|"
    r"children)\b",
    re.IGNORECASE,
)


# A change of treatment urged in an idiom or by example: "say goodbye to your injections",
# "many patients stop their medication, and so can you".
_ENDORSED_CHANGE = re.compile(
    r"\b(say|wave|bid|kiss)\s+(goodbye|farewell|bye|good-bye)\s+to\s+(your|those|the|all)\b|"
    r"^\W*(goodbye|farewell|bye[- ]bye|no\s+more)\b|"
    r"\b(stop|reduce|drop|quit|come\s+off|give\s+up|discontinue|suspend|skip)\w*\b[^.;]*\b(which|as)\s+"
    r"we\s+(recommend|advise|suggest|encourage)\b|"
    r"\b(continuing|keeping\s+up|staying\s+on|carrying\s+on\s+with)\s+(your|the)\s+(\w+\s+){0,4}?"
    r"(is|are)\s+(pointless|unnecessary|useless|a\s+waste)\b|"
    r"\b(stop|reduce|drop|quit|come\s+off|give\s+up|discontinue|halv|cut|taper|wean|ditch|skipp?)"
    r"\w*\b[^.;]*\b(and\s+so\s+can\s+you|you\s+can\s+too|so\s+could\s+you|(don't|do\s+not)\s+be\s+"
    r"(scared|afraid|shy|nervous|worried)\s+to\s+(do|try)\s+the\s+same|(feel\s+free|why\s+not|"
    r"you\s+(can|could|should|may))\s+(\w+\s+)?(to\s+)?(do|try)\s+the\s+same|follow\s+(suit|their\s+"
    r"(lead|example)))\b",
    re.IGNORECASE,
)
_endorsed_change = caseless_finder(_ENDORSED_CHANGE)
# "Our protocol replaces your biologic injections", "the cells end the need for your insulin"
_REPLACES = re.compile(
    r"\b(replaces?|replacing|substitutes?\s+for|supersedes?|does\s+away\s+with|(ends?|removes?)\s+"
    r"the\s+need\s+for)\s+(all\s+)?(of\s+)?your\b",
    re.IGNORECASE,
)


def _replaces_it(plain: str) -> bool:
    found = _REPLACES.search(plain)
    return found is not None and _NEGATION.search(plain[: found.start()]) is None


# Where one's own doctors are, by the place or the specialty: "your next neurology
# appointment", "nobody at your hospital".
_CARE_SETTINGS = frozenset(
    [
        "appointment",
        "appointments",
        "hospital",
        "surgery",
        "check-up",
        "clinic",
        "ward",
        "practice",
        "consultation",
        "records",
        "notes",
    ]
)
_SPECIALTY = re.compile(r"^\w+olog(y|ist|ists)$")
_NOBODY_KNOWS = re.compile(
    r"\b(nobody|no\s+one|no-one|none\s+of\s+them)\b[^.;]{0,40}?\b(has|have|needs?|is\s+going)\s+"
    r"to\s+(know|find\s+out|hear|learn|be\s+told|see)\b",
    re.IGNORECASE,
)


# "Leave your rheumatologist out of the loop", "keep the GP in the dark": kept from knowing.
_OUT_OF_THE_LOOP = re.compile(
    r"\b(leave|leaving|keep|keeping)\s+(your|the)\s+([\w'’]+\s+){1,3}?(out\s+of\s+(the\s+)?"
    r"(loop|picture)|in\s+the\s+dark)\b",
    re.IGNORECASE,
)
_NEGATED_BEFORE = re.compile(r"\b(not|never|n't|don't|no|avoid)\W+(\w+\W+){0,2}$", re.IGNORECASE)


def _kept_out(plain: str) -> bool:
    found = _OUT_OF_THE_LOOP.search(plain)
    return found is not None and not _NEGATED_BEFORE.search(plain[: found.start()])


# What one's doctor said, set aside on the page's word: "ignore your consultant's advice".
_DISREGARD = frozenset(["ignore", "disregard", "overrule", "dismiss"])
_THEIR_WORD = frozenset(["advice", "instructions", "instruction", "orders", "warning",
                         "warnings", "prescription", "recommendation", "recommendations",
                         "plan"])  # fmt: skip


# "Your prednisolone can be stopped the day after", any medicine by its name
_CAN_BE_STOPPED = re.compile(
    r"\b([\w-]+)\s+(?:can|may|could|should|must)\s+(?:now\s+|safely\s+|simply\s+)?"
    r"be\s+(?:stopped|dropped|discontinued|halved|skipped|ditched|abandoned|tapered|withdrawn|"
    r"omitted|suspended|paused)\b(?!\s+(?:by|under|with|only|if|on\s+(?:medical|your)))",
    re.IGNORECASE,
)


def _medicine_can_be_stopped(plain: str) -> bool:
    found = _CAN_BE_STOPPED.search(plain)
    return found is not None and bool(_MEDICINE.match(found.group(1).lower()))


def _disregards_doctor(tokens: list[Any]) -> bool:
    """An imperative to set aside one's doctor's advice or prescription."""
    for at in _clause_starts(tokens):
        if at >= len(tokens) or tokens[at].lower_ not in _DISREGARD:
            continue
        following = tokens[at + 1 : at + 6]
        if any(t.lower_ == "your" for t in following[:2]) and any(
            t.lower_ in _THEIR_WORD
            or t.lower_ in _DOCTOR
            or _SPECIALTY.search(t.lower_)
            or _MEDICINE.match(t.lower_)
            for t in following
        ):
            return True
    return False


# "You won't need to tell your GP about the infusions": told in the seller's future
_NO_NEED_TO_TELL = re.compile(
    r"\b(won't|will\s+not|wo\s*n't)\s+need\s+to\s+(tell|inform|mention\s+it\s+to|involve|"
    r"consult|bother|let)\s+(your|the)\b",
    re.IGNORECASE,
)


# "It is preferred that the patient does not inform his doctor", "we'd rather you didn't
# mention it to your GP": a recommendation, by its frame, that the doctor is not told.
_PREFER_NOT = re.compile(
    r"\b((it\s+is|it's|it\s+would\s+be|it'd\s+be)\s+(preferred|preferable|better|best|advisable|"
    r"wiser|safer|recommended|easier|simpler)\s+(that|if)|(we|i)\s+(would\s+|'d\s+)?(prefer|rather|"
    r"recommend|suggest|advise)\s+(that\s+)?)[^.;]{0,40}?(\bnot|n['’]t|\bnever)\s+(tell|inform|mention|"
    r"consult|involve|let|share|discuss|know|hear|learn|find\s+out)\w*\b",
    re.IGNORECASE,
)


def _conceals(sentence: Any, tokens: list[Any]) -> bool:
    """“Avoid telling your neurologist”, “no need to mention it to your GP”; not “never stop
    your pills without telling your doctor”, which is the safe kind."""
    if not any(t.lower_ in CLINICIANS or t.lower_ in _DOCTOR or t.lower_ in _CARE_SETTINGS
               or _SPECIALTY.search(t.lower_) for t in tokens):  # fmt: skip
        return False
    if (
        _NOBODY_KNOWS.search(sentence.plain)
        or _NEED_NOT.search(sentence.plain)
        or _TELL_LATER.search(sentence.plain)
        or _kept_out(sentence.plain)
        or _NO_NEED_TO_TELL.search(sentence.plain)
        or _PREFER_NOT.search(sentence.plain)
    ):
        return True
    hidden = _HIDE.search(sentence.plain)
    if hidden is None:
        return False
    if hidden.group(1).lower() not in ("don't", "do not", "never", "without"):
        return True
    offset = sentence.span.start_char
    return not any(t.lemma_ in _CHANGE and t.idx - offset < hidden.start() for t in tokens)


def _instruction(plain: str, tokens: list[Any]) -> str | None:
    """An imperative or a "you can…" that changes a treatment, doses one, or self-injects."""
    lowers = [t.lower_ for t in tokens]
    negated = {i for i, w in enumerate(lowers) if w in ("not", "n't", "never", "no", "don't")}
    for i, token in enumerate(tokens):
        lemma = token.lemma_
        if token.lower_ != lemma or any(n in negated for n in range(max(i - 3, 0), i)):
            continue  # not a base form, or "do not stop…", "never inject…": the safe kind
        if (
            lemma not in _CHANGE and lemma not in _DOSING and lemma not in _PHRASAL
        ) or not _to_the_reader(tokens, i):
            continue
        if lemma in _DOSING and _takes_less(tokens, i):
            return "advice_stop"  # "just take half", "use less insulin": a dose cut
        if (
            lemma in _CHANGE
            and not _continues(tokens, i)
            and (_medicine_in(tokens[i + 1 : i + 8]) or _refers_back(tokens, i))
        ):
            return "advice_stop"
        if lemma in _PHRASAL and _medicine_in(tokens[i + 1 : i + 8]):
            particles = _PHRASAL[lemma]
            if not particles or any(t.lower_ in particles for t in tokens[i + 1 : i + 9]):
                return "advice_stop"
        if (
            lemma in _DOSING
            and _frequency_of_the_dose(plain)
            and _doses_what_follows(tokens, i)
            and not _adherence(tokens[0].doc[tokens[0].i : tokens[-1].i + 1])
        ):
            return "advice_dose"  # not "take your temperature twice a day"
        if lemma in _SELF_GIVEN and _AT_HOME.search(plain) and _product_in(tokens):
            return "advice_self"
    return _counted_dose(plain, tokens) if not _COUNTED.isdisjoint(lowers) else None


def _frequency_of_the_dose(plain: str) -> bool:
    """How often, said of the dose, not inside a condition: “if you need it more than three
    times a week, see your GP” sets a threshold for seeing a doctor."""
    for found in _FREQUENCY.finditer(plain):
        clause = re.split(r"[,;:.]", plain[: found.start()])[-1]
        if not re.search(r"\b(if|when|unless|whenever)\b", clause, re.IGNORECASE):
            return True
    return False


_NOT_DOSED = frozenset(["water", "fluids", "fluid", "plenty", "lots", "juice", "tea", "milk",
                        "temperature", "pulse", "weight", "blood", "sugar", "diary", "notes",
                        "walk", "rest", "break", "time", "care", "note"])  # fmt: skip


def _doses_what_follows(tokens: list[Any], at: int) -> bool:
    """The verb's own object is a product (“swallow two capsules”, “sip it” after the powder
    it names); “drink plenty of water every day while on chemotherapy” doses nothing."""
    following = tokens[at + 1 : at + 7]
    for token in following:
        if token.lower_ in _NOT_DOSED:
            return False
        if _medicine_in([token]) or token.lemma_ in _PRODUCTS or token.lower_ in _COUNTED:
            return True
    if tokens[at].lemma_ not in _GENERIC_DOSING:
        return True  # "inhale the mist…", "gargle…": these dose whatever follows
    pronoun = bool(following) and following[0].lower_ in ("it", "them", "this", "these")
    return pronoun and _product_in(tokens[:at])


_COUNTED = frozenset(["ampoule", "ampoules", "vial", "vials", "drop", "drops", "capsule",
                      "capsules", "tablet", "tablets", "pill", "pills", "sachet", "sachets",
                      "scoop", "scoops", "spoonful", "spoonfuls", "teaspoon", "teaspoons",
                      "puff", "puffs", "pump", "pumps", "dose", "doses", "shot", "shots",
                      "syringe", "syringes", "dropper", "dropperful", "pipette"])  # fmt: skip
_COUNTS = frozenset(["one", "two", "three", "four", "five", "a", "an", "half", "single",
                     "extra", "full"])  # fmt: skip


def _counted_dose(plain: str, tokens: list[Any]) -> str | None:
    """Any imperative verb that measures out a product and says how often: “Squirt the
    contents of one ampoule under your tongue three times a day”. The count and the
    frequency, not the verb, make it a dosing instruction."""
    if not _FREQUENCY.search(plain):
        return None
    counted = any(
        t.lower_ in _COUNTED and i and (tokens[i - 1].lower_ in _COUNTS or tokens[i - 1].like_num)
        for i, t in enumerate(tokens)
    )
    if not counted:
        return None
    verbs = nlp.known_verbs()
    for at in _clause_starts(tokens):
        if at < len(tokens):
            token = tokens[at]
            if (
                token.lower_ == token.lemma_
                and token.lower_ in verbs
                and token.lower_ not in _NOT_IMPERATIVE
                and _to_the_reader(tokens, at)
            ):
                return "advice_dose"
    return None


_LESS = frozenset(["half", "less", "fewer", "quarter"])


def _takes_less(tokens: list[Any], at: int) -> bool:
    """“Just take half”, “use less of your insulin”, “take only half a tablet”: the reader
    cuts a dose; not “take half an hour to rest”, with nothing taken."""
    following = tokens[at + 1 : at + 4]
    k = next((j for j, t in enumerate(following) if t.lower_ in _LESS), None)
    if k is None or any(t.lower_ not in ("only", "just", "a") for t in following[:k]):
        return False
    rest = tokens[at + 2 + k : at + 6 + k]
    if not rest or rest[0].is_punct:
        return _medicine_in(tokens[:at]) is not None  # "if the tablets…, take half –"
    return _medicine_in(rest) is not None


def _refers_back(tokens: list[Any], at: int) -> bool:
    """“…no longer need their inhalers, so you can put yours away”: a pronoun for a medicine
    named earlier in the sentence."""
    return any(t.lower_ in ("yours", "them") for t in tokens[at + 1 : at + 3]) and bool(
        _medicine_in(tokens[:at])
    )


_SELF_GIVEN = frozenset(
    [
        "apply",
        "inject",
        "infuse",
        "use",
        "rub",
        "spray",
        "give",
        "administer",
        "top",
        "push",
        "squirt",
    ]
)


def _product_in(tokens: list[Any]) -> bool:
    return _medicine_in(tokens) is not None or any(t.lemma_ in _PRODUCTS for t in tokens)


def _continues(tokens: list[Any], at: int) -> bool:
    """“Keep taking”, “carry on with”: staying on a treatment is not changing it."""
    return tokens[at].lemma_ in ("keep", "continue") or (
        at + 1 < len(tokens)
        and tokens[at + 1].lower_ in ("taking", "using", "with")
        and tokens[at].lemma_ in ("keep", "carry", "go", "stay")
    )
