"""Testimonials: patient stories offered as evidence.

ISSCR: patient testimonials are not scientific evidence; FTC guidance treats a
testimonial as a claim the advertiser must substantiate. First-person recovery
stories, quoted patients, named anecdotes (“Maria, 43, walks again”) and
“success stories” are reported; quoted clinicians and patient-reported results
of a cited study are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cms.checks import nlp
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity, quote
from cms.checks.lexicon import CLINICIANS
from cms.checks.rules.claims import where
from cms.checks.text import ArticleText, Sentence, caseless_finder, lower_words

# "One patient…", "a mother…": someone singled out by what they are (the patterns add more).
_ONE_OF_THEM = ["patient", "woman", "man", "mother", "father", "mum", "mom", "girl", "boy",
                "grandmother", "teacher"]  # fmt: skip

_MINE = [
    "son",
    "daughter",
    "wife",
    "husband",
    "mother",
    "father",
    "mum",
    "mom",
    "dad",
    "child",
    "children",
    "kids",
    "sister",
    "brother",
    "partner",
    "life",
    "symptoms",
    "ms",
    "lupus",
    "arthritis",
    "diabetes",
    "disease",
    "condition",
    "pain",
    "legs",
    "arms",
    "hands",
    "body",
    "recovery",
    "journey",
    "story",
    "treatment",
    "transplant",
    "infusion",
    "doctor",
    "neurologist",
    "rheumatologist",
    "energy",
    "fatigue",
    "flares",
    "diagnosis",
    "health",
    "mobility",
    "wheelchair",
    "walking",
    "results",
    "experience",
]
nlp.add_patterns(
    "first_person",
    [
        [{"IS_SENT_START": True, "LOWER": "for"}, {"LOWER": "me"}, {"ORTH": ","}],
        [{"ORTH": "I"}, {"ORTH": {"REGEX": r"^[a-z’']"}, "LOWER": {"NOT_IN": ["and", "or", "to"]}}],
        [
            {"ORTH": "I"},
            {
                "LOWER": {
                    "IN": [
                        "was",
                        "am",
                        "'m",
                        "had",
                        "have",
                        "'ve",
                        "felt",
                        "feel",
                        "can",
                        "could",
                        "started",
                        "got",
                        "went",
                        "tried",
                        "decided",
                        "never",
                        "no",
                        "finally",
                        "now",
                        "used",
                        "couldn't",
                        "could't",
                        "'d",
                        "would",
                        "walked",
                        "ran",
                        "noticed",
                        "believe",
                        "owe",
                        "recommend",
                        "thought",
                        "came",
                        "travelled",
                        "traveled",
                        "received",
                        "did",
                        "do",
                        "thank",
                    ]
                }
            },
        ],
        [{"LOWER": "my"}, {"LOWER": "own", "OP": "?"}, {"LOWER": {"IN": _MINE}}],
        # Any "my" but the author's own voice ("in my view") or a clinician's ("my patients").
        [
            {"LOWER": "my"},
            {
                "LOWER": {
                    "NOT_IN": [
                        "view",
                        "opinion",
                        "advice",
                        "colleagues",
                        "patients",
                        "practice",
                        "research",
                        "point",
                        "mind",
                        "knowledge",
                        "understanding",
                        "article",
                        "name",
                        "own",
                        "team",
                        "clinic",
                        "work",
                        "reading",
                        "question",
                        "questions",
                        "role",
                        "job",
                        ".",
                        ",",
                    ]
                }
            },
        ],
        [
            {"LOWER": {"IN": ["me", "myself"]}},
            {"LOWER": {"IN": ["back", "again", "walk", "feel", "hope", "life"]}},
        ],
    ],
)
_NARRATIVES = ["story", "stories", "journey", "experience", "recovery", "transformation",
               "testimonial", "testimony"]  # fmt: skip
nlp.add_patterns(
    "story_label",
    [
        [
            {"LOWER": {"IN": ["success", "patient", "patients", "recovery", "real-life", "real"]}},
            {
                "LOWER": {
                    "IN": [
                        "stories",
                        "story",
                        "testimonials",
                        "testimonial",
                        "reviews",
                        "review",
                        "rating",
                        "ratings",
                        "voices",
                        "patients",
                    ]
                }
            },
        ],
        [{"LEMMA": "testimonial"}],
        # "Sarah's story", "her journey", "their stories"
        [
            {"IS_TITLE": True},
            {"LOWER": {"IN": ["'s", "’s"]}},
            {"OP": "{0,2}", "TAG": {"IN": ["JJ", "JJS", "JJR", "X"]}, "IS_PUNCT": False},
            {"LOWER": {"IN": _NARRATIVES}},
        ],
        # The clinic's page of reviews: "our reviews page", "our testimonials"
        [
            {"LOWER": "our"},
            {"OP": "?", "IS_PUNCT": False},
            {"LOWER": {"IN": ["reviews", "testimonials", "stories", "case studies"]}},
        ],
        [
            {"LEMMA": {"IN": ["patient", "client", "customer"]}},
            {"LEMMA": {"IN": ["rave", "gush", "swear"]}},
        ],
        [
            {"LOWER": {"IN": ["her", "his"]}},
            {"LOWER": {"IN": ["story", "journey", "transformation", "testimonial", "testimony"]}},
        ],
        # "Hear what our patients have to say", "read how real patients recovered"
        [
            {"LEMMA": {"IN": ["hear", "read", "watch", "see", "listen", "meet", "discover"]}},
            {
                "OP": "{0,3}",
                "LOWER": {
                    "IN": [
                        "what",
                        "how",
                        "from",
                        "to",
                        "about",
                        "the",
                        "stories",
                        "of",
                        "why",
                        "some",
                    ]
                },
            },
            {"LOWER": {"IN": ["our", "real", "other", "happy", "former", "satisfied"]}},
            {"LEMMA": {"IN": ["patient", "client", "family", "people"]}},
        ],
        [
            {"LOWER": "hear"},
            {"LOWER": "from"},
            {"LOWER": {"IN": ["our", "real"]}, "OP": "?"},
            {"LEMMA": {"IN": ["patient", "client", "family"]}},
        ],
        # "read how Sunil beat his arthritis": a named story offered to the reader
        [
            {"LEMMA": {"IN": ["read", "hear", "watch", "see", "discover", "learn"]}},
            {"LOWER": "how"},
            {"IS_TITLE": True, "LOWER": {"NOT_IN": ["the", "a", "an", "stem", "our"]}},
            {"LOWER": {"NOT_IN": ["cells", "cell", "of", "and"]}},
        ],
        # "our before and after photos" (not "a diary before and after any new treatment")
        [
            {"LOWER": "before"},
            {"ORTH": "-", "OP": "?"},
            {"LOWER": {"IN": ["and", "&"]}},
            {"ORTH": "-", "OP": "?"},
            {"LOWER": "after"},
            {
                "LOWER": {
                    "IN": [
                        "photos",
                        "photo",
                        "pictures",
                        "picture",
                        "images",
                        "videos",
                        "pics",
                        "shots",
                        "photographs",
                        "results",
                        "transformations",
                        "gallery",
                    ]
                }
            },
        ],
        # "Stories like Marta's": a named story
        [
            {"LEMMA": {"IN": ["story", "journey", "recovery", "transformation"]}},
            {"LOWER": "like"},
            {"IS_TITLE": True},
            {"LOWER": {"IN": ["'s", "’s"]}},
        ],
        # what patients send a clinic, shown as its record: "messages from families whose
        # children have improved", "letters from grateful patients"
        [
            {
                "LEMMA": {
                    "IN": [
                        "message",
                        "letter",
                        "card",
                        "email",
                        "note",
                        "comment",
                        "post",
                        "review",
                        "thank-you",
                        "feedback",
                    ]
                }
            },
            {"LOWER": "from"},
            {
                "OP": "{0,2}",
                "LOWER": {
                    "IN": [
                        "grateful",
                        "happy",
                        "former",
                        "past",
                        "our",
                        "delighted",
                        "satisfied",
                        "thankful",
                    ]
                },
            },
            {"LEMMA": {"IN": ["patient", "client", "family", "parent", "people", "person"]}},
            {"LOWER": {"IN": ["whose", "who", "thanking", "saying", "describing", "telling"]}},
        ],
        # "Hundreds of families have written to thank us"
        [
            {"LEMMA": "write"},
            {"LOWER": "in", "OP": "?"},
            {"LOWER": "to"},
            {"LOWER": "thank"},
            {"LOWER": "us"},
        ],
        # "former patients describe waking up without stiffness", "past clients tell us…"
        [
            {"LOWER": {"IN": ["former", "past", "previous", "happy", "grateful", "delighted"]}},
            {"LEMMA": {"IN": ["patient", "client"]}},
            {
                "LEMMA": {
                    "IN": [
                        "describe",
                        "say",
                        "tell",
                        "report",
                        "recall",
                        "share",
                        "write",
                        "explain",
                    ]
                }
            },
        ],
        [
            {"LOWER": {"IN": ["life-changing", "life"]}},
            {"ORTH": "-", "OP": "?"},
            {"LOWER": {"IN": ["changing", "results", "transformation", "stories"]}, "OP": "?"},
            {"LOWER": {"IN": ["results", "stories", "transformation", "testimonials"]}},
        ],
    ],
)
nlp.add_patterns(
    "anecdote",
    [
        # "Maria, 43, ..." — a named person with an age.
        [
            {
                "IS_TITLE": True,
                "LOWER": {"NOT_IN": ["in", "by", "the", "at", "from", "for", "since"]},
            },
            {"ORTH": ","},
            {"LIKE_NUM": True},
            {"ORTH": ","},
        ],
        [{"IS_TITLE": True}, {"ORTH": "("}, {"LIKE_NUM": True}, {"ORTH": ")"}],
        [
            {"LOWER": {"IN": ["one", "a"]}},
            {"LOWER": {"IN": [*_ONE_OF_THEM, "nurse"]}},
            {"ORTH": ",", "OP": "?"},
            {
                "LOWER": {
                    "IN": [
                        "named",
                        "called",
                        "told",
                        "tells",
                        "said",
                        "says",
                        "wrote",
                        "writes",
                        "explained",
                        "recalled",
                        "described",
                        "shared",
                    ]
                }
            },
        ],
        # "A mum of three from Bristol tells how…": someone singled out, then what they say
        [
            {"LOWER": {"IN": ["one", "a"]}},
            {
                "LOWER": {
                    "IN": [
                        *_ONE_OF_THEM,
                        "dad",
                        "grandfather",
                        "pensioner",
                        "gentleman",
                        "lady",
                        "student",
                        "retiree",
                        "client",
                    ]
                }
            },
            {"OP": "{1,5}", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["who", "which", "that"]}},
            {
                "LOWER": {
                    "IN": [
                        "tells",
                        "told",
                        "says",
                        "said",
                        "recalls",
                        "recalled",
                        "describes",
                        "described",
                        "explains",
                        "explained",
                        "shares",
                        "shared",
                        "writes",
                        "wrote",
                    ]
                }
            },
        ],
        # "Ruth's daughter", "Tom's wife": a named family
        [
            {"IS_TITLE": True},
            {"LOWER": {"IN": ["'s", "’s"]}},
            {
                "LOWER": {
                    "IN": [
                        "daughter",
                        "son",
                        "husband",
                        "wife",
                        "mother",
                        "father",
                        "child",
                        "partner",
                        "sister",
                        "brother",
                        "mum",
                        "dad",
                        "family",
                    ]
                }
            },
        ],
        # "After his transplant, Sam…"
        [
            {"LOWER": {"IN": ["her", "his"]}},
            {
                "LOWER": {
                    "IN": [
                        "treatment",
                        "transplant",
                        "infusion",
                        "infusions",
                        "injection",
                        "injections",
                        "therapy",
                        "operation",
                        "procedure",
                        "session",
                    ]
                }
            },
            {"ORTH": ","},
            {"IS_TITLE": True},
        ],
        [
            {"LOWER": {"IN": ["one", "a"]}},
            {"LOWER": {"IN": ["of", "former"]}, "OP": "?"},
            {"LOWER": {"IN": ["our", "my"]}},
            {"LEMMA": {"IN": ["patient", "client"]}},
        ],
        # The clinic speaking of its own patients: "our patient Anna", "our patients tell us"
        [
            {"LOWER": {"IN": ["our", "my"]}},
            {"LEMMA": {"IN": ["patient", "client"]}},
            {"IS_TITLE": True},
        ],
        [
            {"LOWER": {"IN": ["our", "my"]}},
            {"OP": "?", "TAG": {"IN": ["JJ", "JJS", "JJR"]}},
            {"LEMMA": {"IN": ["patient", "client", "family"]}},
            nlp.gap(3),
            {
                "LEMMA": {
                    "IN": [
                        "tell",
                        "say",
                        "report",
                        "describe",
                        "feel",
                        "notice",
                        "write",
                        "share",
                        "love",
                        "rave",
                        "thank",
                        "come",
                        "return",
                        "walk",
                    ]
                }
            },
        ],
        # A person named and described, then what they say or became: "Daniel, a father of
        # two, says…", "…from Leeds, Joan, now walks…"
        [
            {"IS_TITLE": True},
            {"ORTH": ","},
            {"LOWER": {"IN": ["a", "an"]}},
            {"OP": "{1,5}", "IS_PUNCT": False},
            {"ORTH": ","},
            {
                "LEMMA": {
                    "IN": [
                        "say",
                        "tell",
                        "explain",
                        "recall",
                        "describe",
                        "add",
                        "write",
                        "remember",
                        "admit",
                        "insist",
                        "now",
                        "can",
                        "could",
                        "be",
                        "have",
                        "no",
                        "finally",
                    ]
                }
            },
        ],
        [
            {"ORTH": ","},
            {"IS_TITLE": True},
            {"ORTH": ","},
            {
                "LOWER": {
                    "IN": [
                        "now",
                        "can",
                        "could",
                        "is",
                        "was",
                        "has",
                        "had",
                        "no",
                        "finally",
                        "says",
                        "said",
                        "told",
                        "walks",
                        "runs",
                        "feels",
                        "felt",
                    ]
                }
            },
        ],
        # A named person from a place, and what became of them: "Jenny from Ohio could…"
        [
            {"IS_TITLE": True, "IS_SENT_START": False},
            {"LOWER": "from"},
            {"IS_TITLE": True},
            nlp.gap(3),
            {
                "LOWER": {
                    "IN": [
                        "could",
                        "can",
                        "was",
                        "is",
                        "has",
                        "had",
                        "now",
                        "no",
                        "finally",
                        "says",
                        "said",
                        "told",
                        "regained",
                        "walked",
                        "returned",
                        "felt",
                        "feels",
                        "walks",
                        "runs",
                    ]
                }
            },
        ],
    ],
)
_SPEECH = re.compile(
    r"\b(says|said|tells|told|recalls|recalled|explains|explained|writes|wrote|adds|added|"
    r"remembers|describes|described|shares|shared)\b",
    re.IGNORECASE,
)
_QUOTATION = re.compile(r"[“\"][^”\"]{3,}[”\"]")
_ROMAN_I = frozenset(
    {
        "type",
        "phase",
        "grade",
        "stage",
        "class",
        "part",
        "chapter",
        "level",
        "step",
        "arm",
        "group",
        "wave",
        "world",
        "war",
        "section",
        "period",
    }
)
_EDITORIAL_I = re.compile(
    r"\bI\s+(would|'d)\s+(recommend|suggest|advise|ask|urge|encourage)\b.*\b(doctor|trial|"
    r"clinic|specialist|team|provider|centre|center|gp)s?\b|"
    # a reporter's own inquiries: "When I asked the clinic for its results…"
    r"\bI\s+(asked|contacted|emailed|called|phoned|interviewed|visited|wrote\s+to|spoke\s+to|"
    r"approached)\s+(the|several|two|three|a\s+dozen)\s+(clinic|clinics|company|companies|"
    r"researchers|experts|authors|regulator|regulators|agency|manufacturer|provider|providers)\b|"
    # a clinician among colleagues: "my colleagues and I have treated people who…"
    r"\b[Mm]y\s+colleagues\s+and\s+I\b"
)


def _clinician_speaks(sentence: Sentence) -> bool:
    """A clinician in the sentence, who is not the patient's own ("my neurologist")."""
    tokens = list(sentence.span)
    words = {
        t.lower_.rstrip(".")
        for i, t in enumerate(tokens)
        if not (i and tokens[i - 1].lower_ in ("my", "her", "his")) and not _thanked(tokens, i)
    }
    unthanked = _THANKS.sub(" ", sentence.plain) if "hank" in sentence.plain else sentence.plain
    return bool(words & CLINICIANS) or bool(re.search(r"\b(Dr|Prof)\.?\s+[A-Z]", unthanked))


_THANKS = re.compile(r"\b(thanks?|thanked|grateful|thankful)\b[^.;:,]{0,40}", re.IGNORECASE)


def _thanked(tokens: list, at: int) -> bool:
    """“…thank you to all the team”, “grateful to the doctors”: the clinicians are thanked by
    the patient who speaks, not speaking themselves."""
    for token in reversed(tokens[max(at - 8, 0) : at]):
        if token.lower_ in (",", ";", ":", ".", "but"):
            return False
        if token.lower_ in ("thank", "thanks", "thanked", "grateful", "thankful"):
            return True
    return False


# Who speaks for a charity, a study or a profession, not about their own recovery.
_ROLES = frozenset(["advocate", "advocates", "spokesperson", "spokeswoman", "spokesman", "chair",
                    "chairs", "chairman", "chairwoman", "director", "researcher", "researchers",
                    "scientist", "author", "authors", "professor", "lecturer", "expert",
                    "campaigner", "ethicist", "lawyer", "regulator", "official", "editor",
                    "journalist", "epidemiologist", "statistician", "pharmacist", "investigator",
                    "coordinator", "founder", "chief", "head", "president", "trustee",
                    "panel", "charity", "society", "association"])  # fmt: skip
# What a cited study collects from its participants: their words are its data.
_STUDY_VOICES = frozenset(["participant", "participants", "interview", "interviews", "survey",
                           "surveys", "respondent", "respondents", "questionnaire", "trial",
                           "study", "diary", "diaries", "qualitative", "focus"])  # fmt: skip
# Words that invite the reader to testimonials, or sell them as the clinic's own.
_OFFERED = frozenset(["our", "read", "watch", "see", "hear", "view", "video", "videos",
                      "real", "glowing", "these", "moving", "inspiring", "genuine",
                      "verified"])  # fmt: skip


def _words(sentence: Sentence) -> frozenset[str]:
    return lower_words(sentence.plain)


def _offered(claim: object) -> bool:
    """“Testimonials” as what the page offers (“watch our video testimonials”), not as a
    topic (“clinics use testimonials instead of data”)."""
    doc = claim.doc  # type: ignore[attr-defined]
    start, end = claim.start, claim.end  # type: ignore[attr-defined]
    around = {t.lower_ for t in doc[max(start - 3, 0) : start]}
    after = [t.lower_ for t in doc[end : end + 2]]
    return bool(around & _OFFERED) or after[:2] == ["from", "our"]


_DENIED_AS_EVIDENCE = re.compile(
    r"\b(not|no|never|cannot|can't|isn't|aren't)\b[^.;]{0,30}\b(evidence|proof|data)\b",
    re.IGNORECASE,
)


# A story told against the treatment: what went wrong or did not help.
_CAUTIONARY = re.compile(
    r"\b(worse|mistake|regret|regrets|regretted|harmed|wasted|no\s+better|not\s+better|"
    r"nothing\s+changed|did\s+not\s+help|didn't\s+help|no\s+difference|no\s+(change|improvement|"
    r"benefit)|exhausted|still\s+(tired|in\s+pain|unwell|ill|struggling|waiting)|lost\s+(my|her|his|"
    r"their)\s+(savings|money|sight)|went\s+blind|infection|infections|sepsis|did\s+nothing|"
    r"no\s+effect|did\s+not\s+work|"
    r"didn't\s+work|(pain|symptoms|disease|flares?|relapses?|it|they)\s+((came|come|comes|"
    r"coming)\s+back|return|returned|returns|returning))\b",
    re.IGNORECASE,
)


# Stories sent in to the seller or posted by a user, offered as they are: "many readers have
# written to tell us the injections eased their arthritis", "Posted by MSwarrior88: …, no
# relapses".
_SENT_IN = re.compile(
    r"\b(written|wrote|write|writes|told|tell|tells|messaged|message|emailed|email|contacted|"
    r"reported)\s+(in\s+)?(to\s+)?(tell\s+|let\s+|say\s+to\s+)?us\b",
    re.IGNORECASE,
)
_POSTED = re.compile(
    r"^\W*(?:(?:posted|written|shared|submitted|reviewed)\s+by|(?:review|comment|post|message)\s+"
    r"(?:from|by))\s+[^:]{1,40}:|^\W*[@\w.-]{3,30}\s+(?:writes|wrote|posted|says):",
    re.IGNORECASE,
)
_OUTCOME = re.compile(
    r"\b(no\s+(?:more\s+)?(?:relapses?|flares?|pain|symptoms|seizures|lesions)|down\s+from|"
    r"it\s+(?:works|worked)|cured|healed|in\s+remission|symptom-free|pain-free|relapse-free)\b",
    re.IGNORECASE,
)


def _told_to_us(sentence: Sentence) -> str | None:
    """A story sent in to the seller, or a user's post, that tells of a change for the
    better ("…back" is left out: pain that came back is a warning)."""
    if sentence.cited:
        return None
    words = _words(sentence)
    if words & _ROLES or words & _STUDY_VOICES:
        return None
    posted = _POSTED.search(sentence.plain)
    if posted is not None and (_OUTCOME.search(sentence.plain) or words & _TOLD_BETTER):
        return posted.group(0).strip(" :")
    sent_in = _SENT_IN.search(sentence.plain)
    if sent_in is not None and words & _TOLD_BETTER:
        return sent_in.group(0)
    return None


def _testimony(sentence: Sentence) -> str | None:
    """What makes a sentence a patient's testimony, or None."""
    found = _candidate(sentence) or _told_to_us(sentence)
    if found is None or _DENIED_AS_EVIDENCE.search(sentence.plain):
        return None  # "patient stories … are not evidence": a warning about them
    if _CAUTIONARY.search(sentence.plain) and not _words(sentence) & _BETTER_THAN_BEFORE:
        return None  # "“I felt worse, not better,” one man told the BBC": a warning, not a sale
    if found is not None and sentence.cited and _words(sentence) & _STUDY_VOICES:
        return None  # what a cited study's participants said is its data, reported as such
    return found


def _candidate(sentence: Sentence) -> str | None:
    for claim in sentence.claims("story_label", "anecdote", "first_person"):
        flags = nlp.flags(claim)
        if flags.negated and claim.label_ in ("story_label", "anecdote"):
            continue  # "not one of our patients has…": a claim about none of them
        if claim.label_ == "story_label" and len(claim) == 1 and not _offered(claim):
            continue
        if claim.label_ == "story_label" and _readers_wish(claim):
            continue  # "if you want to hear from patients, charities can put you in touch"
        if claim.label_ == "anecdote" and _words(sentence) & _ROLES:
            continue
        if claim.label_ == "first_person":
            previous = claim.doc[claim.start - 1].lower_ if claim.start else ""
            if claim[0].orth_ == "I" and previous in _ROMAN_I:
                continue
            if _clinician_speaks(sentence) or _EDITORIAL_I.search(sentence.plain):
                continue
            if _readers_question(sentence):
                continue
        if claim.label_ == "anecdote" and _clinician_speaks(sentence):
            continue
        return claim.text
    quotation = _QUOTATION.search(sentence.plain)
    if (
        quotation
        and _SPEECH.search(sentence.plain)
        and not _clinician_speaks(sentence)
        and not _words(sentence) & _ROLES
        and not _words(sentence) & _COPY
        and _speaks_of_self(quotation.group(0))
    ):
        return quotation.group(0)
    return _named_recovery(sentence) or _story_of_one(sentence)


_NOT_TESTIMONY = re.compile(
    r"^\W*(ask|check|talk|look|speak|make|be|do|don't|never|always|avoid|remember|beware|"
    r"get|find|read|keep|wait|think)\b|\b(evidence|data|study|studies|trial|trials|research|"
    r"published|proof|regulators?|approved)\b",
    re.IGNORECASE,
)


# What speaks in a clinic's copy: “…,” one clinic's website says.
_COPY = frozenset(["website", "websites", "site", "brochure", "advert", "advertisement", "ad",
                   "leaflet", "banner", "slogan", "clinic", "clinics", "clinic's"])  # fmt: skip


def _speaks_of_self(quotation: str) -> bool:
    """A quoted patient speaks of their own illness or recovery (“It gave me my life back”,
    “The fatigue lifted”); a quoted term (“stem cell tourism”), advice to readers (“Ask for
    the data”) or a word on the evidence is no testimony."""
    inner = quotation[1:-1].strip()
    spoken = inner[-1:] in (",", ".", "!", "?", "…") or len(inner.split()) >= 5
    return spoken and len(inner.split()) >= 2 and not _NOT_TESTIMONY.search(inner)


# What a patient does again, or no longer needs, in a story of recovery.
_RECOVERY = frozenset(["walk", "walks", "walked", "walking", "ran", "climb",
                       "climbs", "climbed", "climbing", "hike", "hikes", "hiked", "dance",
                       "dances", "danced", "swim", "swims", "swam", "cycle", "cycles", "plays",
                       "played", "drive", "drives", "drove", "regain", "regained", "regains",
                       "recovered", "stairs", "golf", "tennis",
                       "marathon", "marathons", "wheelchair", "wheelchairs", "cane", "stick",
                       "crutches", "pain-free", "symptom-free",
                       "again", "faded", "vanished", "disappeared", "subsided", "lifted",
                       "credits", "credited", "fade", "ended", "eased", "cleared",
                       # as a clinic's case vignette puts it: "notes the disappearance of pain"
                       "disappearance", "restoration"])  # fmt: skip
_RECOVERED = (
    "life back",
    "back to work",
    "back at work",
    "back on",
    "returned to",
    "no longer",
    "without help",
    "without pain",
    "without stiffness",
    "own two feet",
    "first steps",
    "all but stopped",
    "has stopped",
    "have stopped",
    "on her own",
    "on his own",
)
# Whole phrases only: "has stopped", not "has stoppered".
_RECOVERED_PHRASE = re.compile(r"\b(?:" + "|".join(map(re.escape, _RECOVERED)) + r")\b")
# The same words, for one quick look at a sentence's text before its tokens are read.
_MAY_RECOVER = re.compile(
    r"\b(?:"
    + "|".join(
        sorted(
            _RECOVERY | set(_RECOVERED) | {"seen", "watched", "witnessed", "saw"},
            key=len,
            reverse=True,
        )
    )
    + r")\b",
    re.IGNORECASE,
)
_may_recover = caseless_finder(_MAY_RECOVER)
_PEOPLE = frozenset(["patient", "woman", "man", "gentleman", "lady", "mother", "father", "girl",
                     "boy", "grandmother", "grandfather", "teacher", "nurse", "client",
                     "pensioner", "retiree", "mum", "dad", "teenager", "student", "veteran",
                     "grandmother", "wife", "husband"])  # fmt: skip
_WITNESSED = frozenset(["seen", "watched", "witnessed", "saw"])
_INITIAL = re.compile(r"^(?:[A-Z]\.?(?:[A-Z]\.?)?|[A-Z]\.-?[A-Z]\.?|No\.?|#?\d{1,3})$")
_NOT_NAMES = frozenset(["Dr", "Dr.", "Prof", "Prof.", "Mr", "Mrs", "Ms", "St", "The", "In",
                        "MS", "FDA", "NHS"])  # fmt: skip


def _named_recovery(sentence: Sentence) -> str | None:
    """A story of one person's recovery: someone named (“Priya”, “Jake's video”) or singled
    out (“one gentleman from Dublin”) who now walks, climbs, plays or no longer needs help,
    told without a source."""
    if sentence.cited or not _may_recover(sentence.plain):
        return None
    tokens = list(sentence.span)
    words = _words(sentence)
    plain = sentence.plain.lower()
    recovered = words & _RECOVERY or _RECOVERED_PHRASE.search(plain)
    if not recovered or words & _ROLES or words & _STUDY_VOICES:
        return None
    english = nlp.english_words()
    if words & {"we", "i"} and words & _WITNESSED and words & {"patients", "people", "clients"}:
        return "what the clinic has seen its patients do"  # "we have seen patients walk again"
    for i, token in enumerate(tokens):
        singled = _singled_out(sentence, tokens, i)
        if singled is not None:
            return singled
        if not token.is_title or token.text in _NOT_NAMES or len(token) < 3:
            continue
        # "Gemma, who has lupus, …", "Tom, 35, …": a name set off by its apposition
        apposition = (
            i + 2 < len(tokens)
            and tokens[i + 1].text == ","
            and (tokens[i + 2].lower_ in ("who", "whose", "aged", "now") or tokens[i + 2].like_num)
        )
        if token.lower_ in english and (i == 0 or token.lower_ in _NOT_A_NAME) and not apposition:
            continue  # a capitalised English word opening the sentence, or a common noun
        previous = tokens[i - 1].lower_ if i else ""
        if previous in ("dr", "dr.", "prof", "prof.", "in", "at", "from", "to", "of", "near"):
            continue  # a doctor, or a place
        if token.lower_ in CLINICIANS or (
            i + 1 < len(tokens) and tokens[i + 1].text == "," and i == 0 and not apposition
        ):
            continue  # "Jedoch, …": a connective, not a name
        if i > 1 and tokens[i - 1].is_title and previous not in ("mrs", "mr", "ms"):
            continue  # inside a run of capitalised words: a place or an institution
        if i + 1 < len(tokens) and tokens[i + 1].is_title:
            continue
        return token.text
    return None


def _singled_out(sentence: Sentence, tokens: list, i: int) -> str | None:
    """“One gentleman from Dublin”, “a retired teacher”, “Patient K.”: one person picked out
    by what they are, or by an initial or a number, as a clinic's case vignette does."""
    token = tokens[i]
    if token.lower_ == "patient" and i + 1 < len(tokens) and _INITIAL.match(tokens[i + 1].text):
        return sentence.span[i : i + 2].text
    if token.lower_ in ("one", "a", "an") and (i == 0 or tokens[i - 1].lower_ != "of"):
        following = [t.lower_ for t in tokens[i + 1 : i + 3]]
        if following[:1] and (
            following[0] in _PEOPLE
            or (following[1:] and following[1] in _PEOPLE and tokens[i + 1].tag_ == "JJ")
        ):
            return sentence.span[i : i + 3].text
    return None


_may_tell_of_one = caseless_finder(
    re.compile(
        r"\b(?:she|he|after|since|following|within|mum|mom|dad|grandma|granny|nan|nana|"
        r"grandad|grandpa|mummy|daddy)\b",
        re.IGNORECASE,
    )
)


def _story_of_one(sentence: Sentence) -> str | None:
    """One person's change for the better, told from their own treatment (“…back behind the
    wheel a fortnight after his session”) or by a narrator who knows them (“we were told she
    would never walk, yet…”), without a source."""
    if sentence.cited or not _may_tell_of_one(sentence.plain):
        return None  # most sentences name no one of these ways: one look at the text
    words = _words(sentence)
    if not words & _BETTER or words & _ROLES or words & _STUDY_VOICES:
        return None
    anchored = _AFTER_THEIR_TREATMENT.search(sentence.plain)
    if anchored is not None and words & {"she", "he", "her", "his", "my", "our"}:
        return anchored.group(0)
    if words & {"she", "he"} and words & {"we", "our", "us", "i", "my"} and not words & _SUPPOSED:
        return "a patient the narrator knows"
    if not words & _KIN_AS_NAMES:
        return None
    kin = [t.text for t in sentence.span if t.is_title and t.lower_ in _KIN_AS_NAMES]
    return kin[0] if kin else None  # "Mum walks to the shops on her own now"


# Kin named by their role, as a family writes of them: "Mum", "Grandad".
_KIN_AS_NAMES = frozenset(["mum", "mom", "dad", "grandma", "granny", "nan", "nana", "grandad",
                           "grandpa", "mummy", "daddy"])  # fmt: skip
# A change for the better, told of one person: back, again, no longer, finally…
_BETTER = (
    frozenset(
        [
            "back",
            "again",
            "longer",
            "finally",
            "anymore",
            "gone",
            "better",
            "relief",
            "improved",
            "recovered",
            "needed",
            "stable",
            "symptom-free",
            "pain-free",
        ]
    )
    | _RECOVERY
)
_BETTER_THAN_BEFORE = _BETTER - {"better"}
_SUPPOSED = frozenset(["whether", "if", "might", "could", "unless"])
_TOLD_BETTER = _BETTER_THAN_BEFORE - {"back", "needed"}
# A time told from the person's own treatment: "after his session", "within days of her
# infusion", "since being treated".
_AFTER_THEIR_TREATMENT = re.compile(
    r"\b(?:after|since|following|within\s+(?:\w+\s+){1,2}of)\s+(?:his|her|their|my|our)\s+"
    r"(?:\w+\s+)?(?:session|treatment|infusion|injection|transplant|procedure|therapy|course|"
    r"visit|round|jab|shot|cells)s?\b|\bsince\s+(?:being|having\s+been)\s+treated\b",
    re.IGNORECASE,
)
_NOT_A_NAME = frozenset(["after", "since", "before", "like", "today", "now", "once", "within",
                         "two", "three", "watch", "read", "see", "hear"])  # fmt: skip


def _readers_wish(claim: Any) -> bool:
    """The reader's own wish to hear from patients (“if you want to hear from patients…”),
    not an offer of the seller's stories."""
    doc = claim.doc
    return (
        claim.start >= 2
        and doc[claim.start - 1].lower_ == "to"
        and doc[claim.start - 2].lemma_ in ("want", "like", "wish", "prefer", "hope")
    )


def _readers_question(sentence: Sentence) -> bool:
    """“Ask: how many people with my condition has the centre treated?” is the reader's voice."""
    plain = sentence.plain.strip()
    return plain.endswith("?") or bool(
        re.search(r"\b(ask|questions?( worth asking)?( to ask)?)\b[^.]*:", plain, re.I)
    )


TESTIMONY_SECTIONS = frozenset({"evidence", "benefits"})


@rule(
    "testimonials",
    title="Testimonials are not evidence",
    why="ISSCR: patient testimonials are not scientific evidence; FTC Health Products "
    "Compliance Guidance: a testimonial is a claim that needs the same substantiation.",
    codes=[
        Code(
            "testimonial.patient_story",
            "error in evidence and benefits; warning elsewhere",
            "First-person or quoted patient stories, named anecdotes, “success stories” "
            "offered as evidence.",
        )
    ],
    flags=[
        "I was in a wheelchair, and after two infusions I walked again.",
        "“It gave me my life back,” says Maria, 43.",
        "Read our patients' success stories.",
        "Two weeks after treatment, Priya was climbing stairs without help.",
        "We have seen patients leave their wheelchairs behind.",
        "Karim went back behind the wheel a fortnight after his session.",
        "Many readers have written to tell us the injections eased their arthritis.",
        "Posted by MSwarrior88: two years on, no relapses.",
    ],
    passes=[
        "Patients in the trial reported less fatigue [@wang2014].",
        "“The evidence is thin,” says Dr Okafor, a rheumatologist.",
        "Testimonials are not evidence.",
        "People with type I diabetes were excluded [@x].",
        "Maria Kowalska, a patient advocate, says people should ask for evidence.",
        "Clinics often use testimonials instead of data.",
        "“I feel much better,” one participant said in the trial's interviews [@x].",
        "“I felt worse, not better,” one man told the BBC.",
        "Readers have told us their pain came back within months.",
    ],
)
def testimonials(text: ArticleText) -> Iterator[Finding]:
    for sentence in text.sentences:
        testimony = _testimony(sentence)
        if testimony is None:
            continue
        severity = Severity.ERROR if sentence.field in TESTIMONY_SECTIONS else Severity.WARNING
        yield Finding(
            "testimonial.patient_story",
            severity,
            sentence.pointer,
            f"Testimonial (“{testimony}”) in {where(sentence)}: a patient's story is not "
            f"evidence; report what studies found, with citations: {quote(sentence.text)}.",
            quote=sentence.text,
        )
