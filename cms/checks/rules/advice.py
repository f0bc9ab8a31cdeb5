"""Unsafe advice to the reader: stopping or changing treatment, self-injection, dosing,
keeping a treatment from one's doctor.

Only advice addressed to the reader counts: an imperative (“Stop taking…”) or a
sentence about “you”. Describing what happened in a study (“patients stopped
their steroids before the transplant”) is not advice, and negated or
conditional advice (“Do not stop your medication without talking to your
doctor”, “if your doctor suggests lowering the dose…”) is the safe kind.
"""

from __future__ import annotations

from collections.abc import Iterator

from cms.checks import nlp
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity, quote
from cms.checks.lexicon import CLINICIANS, MEDICATIONS, UNITS
from cms.checks.text import ArticleText

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
]
_MEDS = sorted(MEDICATIONS)
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
        [{"IS_SENT_START": True, "LEMMA": {"IN": _STOP}}, _SHORT, {"LEMMA": {"IN": _MEDS}}],
        [
            {"IS_SENT_START": True, "LOWER": {"IN": ["just", "simply", "then", "now", "so"]}},
            {"LEMMA": {"IN": _STOP}},
            _SHORT,
            {"LEMMA": {"IN": _MEDS}},
        ],
        [
            {"IS_SENT_START": True, "LOWER": {"IN": ["come", "get", "give"]}},
            {"LOWER": {"IN": ["off", "up", "rid"]}},
            _SHORT,
            {"LEMMA": {"IN": _MEDS}},
        ],
        [
            {"IS_SENT_START": True, "LEMMA": {"IN": ["throw", "toss", "put"]}},
            {"LOWER": {"IN": ["away", "out", "aside"]}, "OP": "?"},
            _SHORT,
            {"LEMMA": {"IN": _MEDS}},
        ],
        # Second person: "you can stop your insulin", "you should gradually reduce the dose".
        [{"LOWER": "you"}, _YOU_GAP, {"LEMMA": {"IN": _STOP}}, _SHORT, {"LEMMA": {"IN": _MEDS}}],
        [
            {"LOWER": "you"},
            _YOU_GAP,
            {"LOWER": {"IN": ["come", "get", "give"]}},
            {"LOWER": {"IN": ["off", "up", "rid"]}},
            _SHORT,
            {"LEMMA": {"IN": _MEDS}},
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
        [
            {"LOWER": "instead"},
            {"LOWER": "of"},
            {"LOWER": {"IN": ["taking", "using"]}, "OP": "?"},
            {"LOWER": "your"},
            nlp.gap(3),
            {"LEMMA": {"IN": _MEDS}},
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
    "apply",
    "increase",
    "double",
    "swallow",
    "drink",
    "start",
]
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
            {"LOWER": "know"},
        ],
    ],
)

KINDS = {
    "advice_stop": "an instruction to stop, reduce or change a prescribed treatment",
    "advice_self": "an instruction to self-administer or inject at home",
    "advice_dose": "a dosing instruction to the reader",
    "advice_conceal": "advice to keep a treatment from one's doctor",
}


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
    ],
    passes=[
        "Do not stop taking your medication without talking to your doctor.",
        "In the trial, patients stopped their steroids before transplantation [@x].",
        "If your doctor suggests lowering your dose, ask how to do it safely.",
    ],
)
def unsafe_advice(text: ArticleText) -> Iterator[Finding]:
    for sentence in text.sentences:
        for claim in sentence.claims(*KINDS):
            flags = nlp.flags(claim)
            if flags.negated or flags.hypothetical or flags.attributed:
                continue
            yield Finding(
                "advice.unsafe",
                Severity.ERROR,
                sentence.pointer,
                f"Unsafe advice, {KINDS[claim.label_]} (“{claim.text}”): readers must not be "
                f"told this; send them to their doctor instead: {quote(sentence.text)}.",
                quote=sentence.text,
            )
            break
