"""Rules 7–9 and relative numbers: vague authority, absolute claims, unsupported comparisons.

Each claim is a phrase found by its form (a lemma, a grade of an adjective, a
construction such as “-er than”), judged in its sentence: ConText drops the
negated, doubted, supposed and reported ones (``nlp.Flags.asserted``), and a
citation in the same sentence changes what a claim needs.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from cms.checks import nlp
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity, quote
from cms.checks.lexicon import ASSERTIONS, AUTHORITIES, DISEASES, MEDICATIONS, TREATMENTS
from cms.checks.text import EVIDENCE_SECTIONS, ArticleText, Sentence

DISPLAY_FIELDS = frozenset({"title", "summary", "heading"})
STRONG_DESIGNS = frozenset({"systematic-review", "rct"})
_GAP = nlp.gap(4)


def _in(*words: str) -> dict[str, Any]:
    return {"LOWER": {"IN": list(words)}}


def _lemma(*words: str) -> dict[str, Any]:
    return {"LEMMA": {"IN": list(words)}}


def where(sentence: Sentence) -> str:
    return {"title": "the title", "summary": "the summary", "heading": "a heading"}.get(
        sentence.field, f"the {sentence.field} section"
    )


def _lemmas(sentence: Sentence) -> set[str]:
    return {t.lemma_.lower() for t in sentence.span} | {t.lower_ for t in sentence.span}


def about_treatment(sentence: Sentence) -> bool:
    return bool(_lemmas(sentence) & TREATMENTS)


# --- Vague authority -------------------------------------------------------------------

_ADVERB = {"OP": "?", "LOWER": {"IN": ["now", "scientifically", "clinically", "medically",
                                        "repeatedly", "conclusively", "clearly", "widely",
                                        "well", "firmly", "long", "consistently", "already",
                                        "generally", "universally", "also"]}}  # fmt: skip
# Between an authority and its verb: no negation, no new clause, and nothing that makes the
# authority a plan ("trials are needed to show…", "studies are under way to confirm…").
_NOT_IN_AN_APPEAL = (
    *nlp.NEGATIONS, ".", ";", ":", ",", "and", "or", "which", "that", "who", "needed", "need",
    "needs", "required", "planned", "underway", "ongoing", "designed", "whether", "if", "want",
    "wants", "hope", "hopes", "plan", "plans", "aim", "aims", "try", "tries", "trying", "seek",
    "seeks", "intend", "intends", "will", "would", "yet", "fail", "fails", "failed", "unable",
    "struggle", "struggled", "too", "unlikely",
)  # fmt: skip
_AUTHORITY_GAP = {"OP": "{0,4}", "LOWER": {"NOT_IN": list(_NOT_IN_AN_APPEAL)}}
# Specialists by the form of their name: "neuroscientists", "oncologists", "paediatricians".
_SPECIALISTS = {"LOWER": {"REGEX": r"^\w{3,}(?:ologists?|scientists?|icians?|iatrists?)$"}}
# A field's opinion as a body: "the medical world", "medical opinion", "scientific circles".
_FIELD = [_in("medical", "scientific", "clinical", "academic"),
          _in("world", "opinion", "profession", "establishment", "circles", "experience",
              "consensus", "thinking", "community", "fraternity")]  # fmt: skip
_VERY = {"OP": "{0,2}", "LOWER": {"IN": ["very", "extremely", "highly", "overwhelmingly", "so",
                                         "remarkably", "truly", "really", "consistently",
                                         "uniformly", "now", "all"]}}  # fmt: skip
nlp.add_patterns(
    "vague",
    [
        [_SPECIALISTS, _AUTHORITY_GAP,
         {"LEMMA": {"IN": sorted(ASSERTIONS)}, "LOWER": {"NOT_IN": ["reports", "findings"]}}],
        [*_FIELD, _AUTHORITY_GAP, {"LEMMA": {"IN": sorted(ASSERTIONS)}}],
        # support in idioms: "experience has borne out the benefits", "opinion has swung behind
        # the injections", "the medical world has come round to the view", "the findings leave
        # no doubt", "data give the procedure a clean bill of health"
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _in("bear", "bears", "bore", "borne"), _ADVERB,
         _in("out")],
        [*_FIELD, _AUTHORITY_GAP, _in("bear", "bears", "bore", "borne"), _ADVERB, _in("out")],
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP,
         _lemma("swing", "rally", "unite", "line", "stand", "fall", "throw", "get"),
         nlp.gap(2), _in("behind")],
        [*_FIELD, _AUTHORITY_GAP,
         _lemma("swing", "rally", "unite", "line", "stand", "fall", "throw", "get"),
         nlp.gap(2), _in("behind")],
        [*_FIELD, _AUTHORITY_GAP, _lemma("come"), _in("round", "around"), _in("to")],
        # "researchers have gathered compelling proof that…", "doctors swear by it", "evidence
        # keeps mounting that…", "the cells are now proven"
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _in("proof", "evidence", "confirmation"),
         _in("that")],
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _lemma("swear"), _in("by")],
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _lemma("mount", "grow", "accumulate", "build"),
         {"OP": "?", "LOWER": "up"}, _in("that")],
        [_lemma("be"), {"OP": "?", "LOWER": {"IN": ["now", "fully", "long"]}},
         _in("proven", "proved"), {"IS_PUNCT": True, "LOWER": {"IN": [".", ";", "!", ","]}}],
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _lemma("leave"), _in("no", "little"),
         {"OP": "{0,2}", "LOWER": {"IN": ["room", "for", "reason", "to"]}}, _in("doubt")],
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _lemma("give", "award", "grant"), nlp.gap(3),
         _in("clean", "thumbs", "seal", "stamp")],
        # "our approach rests on solid scientific foundations", "based on research"
        [_lemma("rest", "base", "build", "ground", "found", "root"),
         {"OP": "?", "LOWER": {"IN": ["firmly", "solidly", "squarely"]}}, _in("on", "upon", "in"),
         {"OP": "{0,4}", "IS_PUNCT": False, "LOWER": {"NOT_IN": list(nlp.NEGATIONS)}},
         _in("scientific", "science", "research", "evidence", "data", "studies", "literature",
             "trials")],
        # work as a source: "peer-reviewed work underpins…", "published work shows…"
        [_in("reviewed", "published", "scientific", "clinical", "laboratory", "pioneering",
             "academic"), _in("work"), _AUTHORITY_GAP, {"LEMMA": {"IN": sorted(ASSERTIONS)}}],
        # a verdict on the authority's results: "science is unequivocal", "results from clinical
        # studies have been very encouraging"
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _lemma("be"), _VERY,
         _in("unequivocal", "conclusive", "clear", "settled", "emphatic", "definitive",
             "overwhelming", "compelling", "encouraging", "promising", "positive", "impressive",
             "excellent", "remarkable", "convincing", "robust")],
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP,
         {"LEMMA": {"IN": sorted(ASSERTIONS)}, "LOWER": {"NOT_IN": ["reports", "findings"]}}],
        [_in("it", "this", "that"), _lemma("have"), _lemma("be"),
         _lemma("show", "prove", "demonstrate", "establish", "confirm")],
        [_in("clinically", "scientifically", "medically"),
         _in("proven", "proved", "tested", "validated", "shown", "backed")],
        [_lemma("prove", "back", "support", "endorse", "recommend", "confirm", "validate"),
         _in("by"), {"OP": "{0,2}", "IS_PUNCT": False}, _lemma(*AUTHORITIES)],
        # "backed by twenty years of clinical science", "proven by decades of laboratory work"
        [_lemma("prove", "back", "support", "endorse", "confirm", "validate", "underpin"),
         _in("by"), {"OP": "{0,2}", "IS_PUNCT": False}, _in("years", "decades"), _in("of"),
         {"OP": "{0,2}", "IS_PUNCT": False}, _lemma(*AUTHORITIES, "work", "practice")],
        # a verdict in the speaker's words: "the data's really clear", "the science's settled"
        [_lemma(*AUTHORITIES), _in("'s", "’s"), _VERY,
         _in("clear", "unequivocal", "conclusive", "settled", "overwhelming", "compelling",
             "in")],
        # the case closed: "the verdict from the medical community is in: …", "the jury is in"
        [_in("verdict", "jury"), nlp.gap(6), _lemma("be"), {"OP": "?", "LOWER": "now"},
         _in("in"), {"IS_PUNCT": True}],
        # an authority's enthusiasm: "doctors everywhere are raving about the results"
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _lemma("rave", "enthuse", "gush"),
         _in("about", "over")],
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _lemma("crack"), _in("it", "the")],
        # inverted, as translations put it: "as shows the practice of the leading clinics"
        [_in("as"), _lemma("show", "prove", "confirm", "demonstrate", "suggest", "indicate"),
         {"OP": "{0,2}", "IS_PUNCT": False}, _in("practice", "experience", "research",
                                                 "science", "studies", "data"),
         {"OP": "?", "LOWER": "of"}, {"OP": "{0,3}", "IS_PUNCT": False}],
        # an authority's opinion as the source: "in the opinion of the specialists", "in the
        # view of most experts" (not "in the opinion of my own specialist")
        [_in("in"), {"OP": "?", "LOWER": {"IN": ["the", "our"]}},
         _in("opinion", "view", "judgement", "judgment", "experience", "words"), _in("of"),
         {"OP": "{0,3}", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["my", "your", "his", "her",
                                                              "their", "own", "one"]}},
         _lemma(*AUTHORITIES)],
        # everyone, so no one: "every rheumatologist I've spoken to privately admits…"
        [_in("every", "all", "most", "any"), _lemma(*AUTHORITIES),
         {"OP": "{0,6}", "LOWER": {"NOT_IN": list(_NOT_IN_AN_APPEAL)}},
         {"LEMMA": {"IN": sorted(ASSERTIONS)}, "LOWER": {"NOT_IN": ["reports", "findings"]}}],
        [_in("science", "research", "doctor", "evidence"), {"ORTH": "-"},
         _in("backed", "based", "recommended", "approved", "proven")],
        [_in("according"), _in("to"), {"OP": "{0,2}", "IS_PUNCT": False}, _lemma(*AUTHORITIES)],
        [_in("published"), _in("in"), _in("the", "a", "an"), {"IS_TITLE": True}],
        [_in("a", "one", "another", "the", "this", "that", "recent", "new"),
         {"OP": "?", "LOWER": {"IN": ["recent", "new", "large", "small", "major", "landmark"]}},
         _lemma("study", "trial", "paper", "report", "review"), _in("published"), _in("in")],
        [_in("there"), _lemma("be"), {"OP": "{0,2}", "IS_PUNCT": False}, _in("evidence", "proof"),
         _in("that")],
        # "It has (now) been (scientifically) demonstrated that…", "it is well documented that"
        [_in("it", "this", "that"), _lemma("have"), _ADVERB, _lemma("be"), _ADVERB,
         _lemma("show", "prove", "demonstrate", "establish", "confirm", "document")],
        [_in("it", "this", "that"), _lemma("be"), _ADVERB, _ADVERB,
         _in("documented", "established", "accepted", "recognised", "recognized", "proven",
             "proved", "demonstrated", "acknowledged"),
         {"OP": "{0,3}", "IS_PUNCT": False, "LOWER": {"NOT_IN": list(nlp.NEGATIONS)}},
         _in("that")],
        # "The therapy has been shown to work", "is proven to reverse…": shown by whom?
        [_lemma("have", "be"), {"LOWER": "been", "OP": "?"}, _ADVERB,
         _in("proven", "proved", "shown", "demonstrated"), _in("to")],
        # "Experts widely regard the treatment as effective"
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP,
         _lemma("regard", "consider", "deem", "view", "rate", "hail", "rank"),
         {"OP": "{0,3}", "IS_PUNCT": False, "LOWER": {"NOT_IN": nlp.NEGATIONS}},
         _in("as", "to", "safe", "effective", "promising", "proven", "superior")],
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP,
         _lemma("regard", "consider", "deem", "view", "rate"),
         {"OP": "{1,4}", "IS_PUNCT": False, "LOWER": {"NOT_IN": nlp.NEGATIONS}},
         _in("the", "a", "an"), _in("best", "treatment", "option", "choice", "standard", "gold",
                                    "answer", "future", "way")],
        # "Doctors are now convinced the cells work", "experts are in agreement"
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _lemma("be"), _ADVERB,
         _in("convinced", "confident", "certain", "sure", "satisfied", "unanimous", "agreed")],
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _lemma("be"), _ADVERB, _in("in", "of"),
         _in("agreement", "accord", "consensus", "one", "no")],
        # "as any specialist will tell you", "as every doctor knows": everyone, so no one
        [_in("as"), _in("any", "every", "all", "most"), _lemma(*AUTHORITIES),
         {"OP": "?", "LOWER": {"IN": ["will", "'ll", "can", "would", "could"]}},
         _lemma("tell", "know", "confirm", "agree", "attest", "say")],
        [_in("as"), _in("any", "every", "all", "most"), _SPECIALISTS,
         {"OP": "?", "LOWER": {"IN": ["will", "'ll", "can", "would", "could"]}},
         _lemma("tell", "know", "confirm", "agree", "attest", "say")],
        # "studies from Europe point to lasting improvements"
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _lemma("point"), _in("to", "towards")],
        # from two named places: "studies from Europe and Asia point to…", "doctors at Harvard
        # and Yale agree"
        [_lemma(*AUTHORITIES), _in("from", "in", "at", "across"), {"IS_TITLE": True},
         _in("and"), {"IS_TITLE": True}, _AUTHORITY_GAP,
         {"LEMMA": {"IN": [*sorted(ASSERTIONS), "point"]}}],
        # "science tells us that…"
        [_lemma(*AUTHORITIES), _AUTHORITY_GAP, _lemma("tell", "teach", "remind"),
         _in("us", "you", "me", "readers")],
        # "The medical consensus is that…", "there is a consensus that…"
        [_lemma("consensus"), _lemma("be"), _in("that", "clear")],
        [_in("there"), _lemma("be"), {"OP": "?", "LOWER": {"IN": ["a", "broad", "wide", "general",
                                                                  "strong"]}},
         _in("consensus", "agreement"), _in("that")],
    ],
)  # fmt: skip


@rule(
    "vague-citations",
    title="No vague appeals to authority",
    why="“A study published in…”, “research shows” or “doctors agree” names no source a "
    "reader can check (HONcode 4, NHS standard); the FTC treats such appeals as claims.",
    codes=[
        Code(
            "claims.vague_citation",
            "error in evidence, benefits and risks; warning elsewhere",
            "Studies, research, experts, doctors, universities, journals or science said to "
            "show a result, in a sentence without a citation.",
        )
    ],
    flags=[
        "Research shows that stem cells repair the immune system.",
        "Experts agree the procedure is safe.",
        "It has been proven in clinics across Europe.",
        "The treatment is clinically proven.",
        "Most rheumatologists accept that the cells help.",
        "Trial after trial has vindicated the approach.",
        "Medical opinion has swung firmly behind the injections.",
        "As any specialist will tell you, the cells protect joints.",
        "Boffins have cracked it: the cells calm inflammation.",
        "In the view of most experts, the injections are safe.",
    ],
    passes=[
        "No study has shown a lasting benefit.",
        "A 2019 review found no randomised trials [@desilva2019].",
        "Researchers are testing whether the cells help.",
        "Trials are needed to show whether it works.",
        "My rheumatologist suggested trying a biologic first.",
        "The trial was too small to show rare side effects.",
        "Rheumatologist Dr Anna Berg says the results need confirming.",
        "Let your GP and specialist know about any treatment you have abroad.",
        "In the opinion of my own specialist, I should wait for the trial.",
    ],
)
def vague_citations(text: ArticleText) -> Iterator[Finding]:
    for sentence in text.sentences:
        if sentence.cited or sentence.field == "heading":  # headings announce, they don't claim
            continue
        for claim in sentence.claims("vague"):
            # A hedge in what the authority is said to show ("experts say it could help")
            # leaves the appeal as vague as ever; one before it ("whether research will
            # confirm…") does not.
            if not nlp.flags(claim, doubts_after=False).asserted or _knows_little(claim):
                continue
            if _own_clinician(claim) or _calls_for_research(claim) or _named(claim):
                continue
            if _a_purpose(claim):
                continue
            severity = Severity.ERROR if sentence.field in EVIDENCE_SECTIONS else Severity.WARNING
            yield Finding(
                "claims.vague_citation",
                severity,
                sentence.pointer,
                f"“{claim.text}” without a citation in {where(sentence)}: name the source and "
                f"cite it with [@id]: {quote(sentence.text)}.",
                quote=sentence.text,
            )
            break


def _knows_little(claim: Any) -> bool:
    """“Doctors know little about…”, “studies will show whether…”: an open question, not
    an appeal to what an authority found."""
    after = [t.lower_ for t in claim.doc[claim.end : claim.end + 2]]
    if after[:1] == ["out"]:
        after = after[1:]
    return bool(after) and after[0] in (
        "little",
        "nothing",
        "whether",
        "why",
        "how",
        "what",
        "less",
        "if",
        "otherwise",
    )


def _calls_for_research(claim: Any) -> bool:
    """“Researchers say more work is needed”: what an authority asks for, not a result."""
    return any(
        m.category == nlp.HYPOTHETICAL
        and any(w in m.rule.literal for w in ("need", "required"))
        and m.modifier_span[0] >= claim.end
        for m in claim._.modifiers
    )


def _a_purpose(claim: Any) -> bool:
    """“The aim of the research is to find out who benefits”: what it sets out to do; and
    “the options that are proven”: a kind of option, not a proof claimed."""
    before = claim.doc[claim.start - 1].lower_ if claim.start else ""
    if claim[0].lemma_ == "be" and before in ("that", "which", "who"):
        return True
    tokens = list(claim)
    return any(t.lemma_ == "be" and n.lower_ == "to" for t, n in itertools.pairwise(tokens))


_TITLES = frozenset(["dr", "dr.", "prof", "prof.", "professor", "mr", "mrs", "ms", "dame", "sir"])


def _named(claim: Any) -> bool:
    """“Rheumatologist Dr Anna Berg says…”: a person named, whose words a reader can trace;
    not an appeal to an unnamed authority."""
    tokens = list(claim)
    return any(t.lower_ in _TITLES and n.is_title for t, n in itertools.pairwise(tokens))


def _own_clinician(claim: Any) -> bool:
    """“My neurologist suggested…”, “your doctor says…”: one person's own clinician, not an
    appeal to authority."""
    doc, start = claim.doc, claim.start
    before = doc[start - 1].lower_ if start else ""
    if before in ("my", "your", "his", "her", "their"):
        return True
    # "your GP and specialist", "your nurse or doctor": one's own, coordinated
    if before in ("and", "or", "&") and start >= 3 and doc[start - 3].lower_ in _OWN:
        return True
    if before == "own" and start >= 2 and doc[start - 2].lower_ in _OWN:
        return True  # "your own specialist"
    # "let your specialist know": the reader is told to inform them; they show nothing
    return claim[-1].lemma_ == "know" and any(
        t.lemma_ in ("let", "keep") for t in doc[max(start - 4, 0) : start]
    )


_OWN = frozenset(["my", "your", "his", "her", "their"])


# --- Cure and absolute claims ----------------------------------------------------------

_FOR_GOOD = [
    [_in("for"), _in("good", "ever", "life")],
    [_in("once"), _in("and"), _in("for"), _in("all")],
    [_in("once"), {"ORTH": "-"}, _in("and"), {"ORTH": "-"}, _in("for"), {"ORTH": "-"},
     _in("all")],
    [_in("permanently", "forever")],
    [_in("for"), _in("always", "eternity")],
    [_in("for"), _in("a", "your", "their"), _in("lifetime")],
    [_lemma("last", "endure", "persist"), _in("a"), _in("lifetime")],
    [_in("for"), _in("the"), _in("rest"), _in("of"), _in("your", "their", "his", "her", "my",
                                                        "our"), _in("life", "lives", "days")],
    # "for (your) whole life", "for all the life", as translations put it
    [_in("for"), {"OP": "?", "LOWER": {"IN": ["the", "your", "their", "a", "his", "her", "my"]}},
     _in("whole", "entire"), _in("life", "lives", "lifetime")],
    [_in("for"), _in("all"), {"OP": "?", "LOWER": {"IN": ["the", "your", "their", "his", "her",
                                                          "my"]}}, _in("life", "lives")],
]  # fmt: skip
# A disease (not a symptom: "my symptoms vanished" is a patient's story) said to go away.
_ILLNESS = sorted(
    DISEASES
    - {
        "symptom",
        "symptoms",
        "pain",
        "fatigue",
        "it",
        "them",
        "damage",
        "progression",
        "inflammation",
        "flare",
        "flares",
        "relapse",
        "relapses",
    }
)  # relapse-free and flare-free are trial endpoints
_NOT_A_SYMPTOM = {
    "OP": "{0,2}",
    "LOWER": {
        "NOT_IN": [
            *nlp.NEGATIONS,
            ".",
            ";",
            ":",
            ",",
            "symptom",
            "symptoms",
            "pain",
            "signs",
            "but",
        ]
    },
}
# Words that praise by meaning what a superlative says by form.
PEERLESS = (
    "ultimate",
    "definitive",
    "unbeatable",
    "peerless",
    "matchless",
    "incomparable",
    "supreme",
    "unsurpassable",
    "unsurpassed",
    "flawless",
    "perfect",
    "optimal",
)
# What a superlative of size or frequency praises when it grades it ("the highest
# remission rates", "the longest-lasting results"): outcomes, not studies or doses.
OUTCOMES = (
    "remission",
    "success",
    "cure",
    "recovery",
    "response",
    "survival",
    "satisfaction",
    "result",
    "outcome",
    "improvement",
    "relief",
    "benefit",
)
_SUCCEED = (
    "recover",
    "respond",
    "improve",
    "benefit",
    "heal",
    "cure",
    "succeed",
    "walk",
    "remission",
    "well",
    "better",
    "free",
    "regain",
    "return",
)
# Verbs of repair, a claim when made total or final ("fully repaired", "resolved for good").
# A disease by the shape of its name: neuropathy, colitis, fibrosis, fibromyalgia, anaemia.
_DISEASE_SHAPED = {"LOWER": {"REGEX": r"^[a-z]{3,}(?:pathy|pathies|itis|osis|algia|a?emia)$"}}
# Certain to work, by meaning: a claim when said of a treatment or its results.
SURE = ("foolproof", "failsafe", "surefire", "infallible", "unfailing", "fail-safe", "sure-fire")
# A disease named, or shaped like one ("neuropathy", "colitis", "fibrosis").
_DISEASE = {"LEMMA": {"IN": sorted(DISEASES)}}
_RESTORE = ("resolve", "clear", "repair", "regenerate", "restore", "reverse", "cure", "heal",
            "rebuild", "regrow", "normalise", "normalize")  # fmt: skip
nlp.add_patterns(
    "absolute",
    [
        [_lemma("cure", "heal", "curative", "cured", "curing")],
        [_lemma("reverse", "undo", "eliminate", "eradicate", "fix", "stop", "halt", "end",
                "defeat",
                "conquer", "beat", "banish", "wipe", "erase", "vanquish", "overcome", "abolish",
                "obliterate", "annihilate", "extinguish", "dispel", "purge", "rid"),
         nlp.gap(3), _lemma(*DISEASES)],
        [_in("get"), _in("rid"), _in("of"), nlp.gap(2),
         _lemma(*DISEASES)],
        # "rid you of migraine", "free patients from lupus": the disease taken away from them
        [_in("rid", "free", "cleanse"), nlp.gap(2), _in("of", "from"), nlp.gap(2),
         _lemma(*_ILLNESS)],
        *_FOR_GOOD,
        # "free of lupus", "a life without flares", "pain-free" (not "event-free survival")
        [_in("free"), _in("of", "from"), nlp.gap(2), _lemma(*DISEASES),
         {"OP": "?", "LOWER": {"NOT_IN": ["activity"]}}],
        [_in("life", "lives", "future", "years"), _in("without"), nlp.gap(2), _lemma(*DISEASES)],
        [_lemma(*_ILLNESS, "symptom", "symptoms", "pain"), {"ORTH": "-"}, _in("free"),
         {"LOWER": {"NOT_IN": [
            "survival", "interval", "period", "time", "rate", "rates", "status", "proportion",
            "months", "years", "patients", "people", "participants", "at", "for", "in"]}}],
        # the disease disappears, is a thing of the past, never comes back
        [_lemma(*_ILLNESS), _NOT_A_SYMPTOM, {"LOWER": {"IN": ["simply", "just", "will", "then",
                                                             "soon", "completely", "has", "is"]},
                                             "OP": "{0,2}"},
         _lemma("disappear", "vanish", "melt", "evaporate", "gone")],
        [_in("thing"), _in("of"), _in("the"), _in("past")],
        [_lemma(*DISEASES), nlp.gap(3), _in("never"), {"OP": "?", "LOWER": "ever"},
         _lemma("return", "recur", "relapse", "come", "flare", "reappear")],
        # every patient recovers; it works for everyone; it never fails
        [_in("every", "all", "each"), {"OP": "?", "LOWER": {"IN": ["single", "one", "of"]}},
         {"OP": "?", "LOWER": {"IN": ["our", "the", "my", "its", "their"]}},
         {"OP": "?", "LOWER": {"IN": ["treated", "eligible", "enrolled", "participating"]}},
         _lemma("patient", "participant", "person", "client", "case", "one", "people"),
         nlp.gap(5), _lemma(*_SUCCEED)],
        [_lemma("work", "help", "succeed"), _in("for"), _in("everyone", "everybody", "anyone")],
        [_in("never"), _lemma("fail")],
        [_lemma(*PEERLESS)],
        # certain to work: "a foolproof route to remission", "a fail-safe cure", "sure-fire"
        [_in(*SURE)],
        [_in("fail", "sure"), {"ORTH": "-"}, _in("safe", "fire")],
        # a record of no harm: "an unblemished safety record", "a spotless track record"
        [_in("unblemished", "spotless", "impeccable", "untarnished", "immaculate", "pristine",
             "perfect", "flawless", "clean"), {"OP": "?", "LOWER": {"IN": ["safety", "track"]}},
         _in("record")],
        # none at all, as a rate: "a 0% complication rate", "zero per cent mortality"
        [_in("0", "zero"), _in("%", "percent", "per"), {"OP": "?", "LOWER": "cent"},
         _in("complication", "complications", "relapse", "failure", "infection", "mortality",
             "death", "recurrence", "rejection", "risk", "side", "harm", "problem")],
        # no chance of its return: "zero chance of the disease coming back", "no risk of relapse"
        [_in("zero", "no", "nil"), _in("chance", "risk", "possibility", "likelihood", "danger"),
         _in("of"), nlp.gap(3),
         _lemma("return", "recur", "relapse", "reappear", "come", "recurrence", "comeback")],
        # a return denied in general: "the disease … does not come again", "won't come back"
        [_in("does", "do", "will", "wo", "shall"), _in("not", "n't"),
         {"OP": "?", "LOWER": "ever"}, _lemma("come", "return", "recur", "reappear"),
         _in("again", "back")],
        # no return, ever: "no relapse for the whole life", "zero flares, ever again"
        [_in("no", "zero"), {"OP": "?", "LOWER": {"IN": ["more", "further", "new"]}},
         _lemma("relapse", "recurrence", "flare", "attack", "symptom"),
         {"OP": "?", "LOWER": {"IN": ["ever", "at"]}}, _in("ever", "again", "all")],
        [_in("no", "zero"), _lemma("relapse", "recurrence", "flare", "attack", "symptom"),
         _in("for"), {"OP": "?", "LOWER": {"IN": ["the", "your", "their", "a", "all"]}},
         _in("whole", "entire", "rest", "life", "lifetime", "good", "ever", "always")],
        # a return ruled out: "relapse is out of the question", "complications are ruled out"
        [_lemma("relapse", "recurrence", "complication", "rejection", "failure", "infection",
                "side"), {"OP": "?", "LOWER": {"IN": ["effects", "effect"]}}, _lemma("be"),
         {"OP": "?", "LOWER": {"IN": ["simply", "just", "virtually", "completely", "now"]}},
         _in("out"), _in("of"), _in("the"), _in("question")],
        [_lemma("relapse", "recurrence", "complication", "rejection", "failure", "side"),
         {"OP": "?", "LOWER": {"IN": ["effects", "effect"]}}, _lemma("be"),
         {"OP": "?", "LOWER": {"IN": ["simply", "just", "virtually", "completely", "now"]}},
         _in("ruled"), _in("out")],
        # the disease sent away in an idiom: "sends arthritis packing", "shows lupus the door",
        # "kicks psoriasis to the curb", "lays Crohn's to rest", "see the back of your eczema"
        [_lemma("send"), nlp.gap(3), _DISEASE, _in("packing")],
        [_lemma("show"), nlp.gap(3), _DISEASE, _in("the"), _in("door", "exit")],
        [_lemma("kick", "boot"), nlp.gap(3), _DISEASE, _in("to"), _in("the"),
         _in("curb", "kerb")],
        [_lemma("put", "lay"), nlp.gap(3), _DISEASE, _in("to"), _in("rest", "bed")],
        [_lemma("see"), _in("the"), _in("back"), _in("of"), nlp.gap(2), _DISEASE],
        # the disease over and done: "the arthritis is done", "lupus is history", "MS is beaten"
        [_lemma(*_ILLNESS), {"OP": "?", "LOWER": {"IN": ["simply", "just", "now", "officially",
                                                       "finally", "then", "will"]}},
         _lemma("be"), {"OP": "?", "LOWER": {"IN": ["simply", "just", "now", "officially",
                                                    "finally", "completely", "truly", "be"]}},
         _in("history", "finished", "done", "beaten", "defeated", "conquered", "over")],
        # uprooted: "treats arthritis from the root", "finished from its root"
        [_DISEASE, nlp.gap(4), _in("from", "by"), _in("the", "its", "their"),
         _in("root", "roots"), {"LOWER": {"NOT_IN": ["of"]}}],
        # a benefit that never ends: "a remission that never wears off", "relief that will never
        # fade"
        [_lemma("remission", "relief", "result", "benefit", "improvement", "recovery",
                "protection", "cure"),
         {"OP": "{0,3}", "LOWER": {"IN": ["that", "which", "will", "shall", "simply", "just",
                                         "is", "are", "'ll"]}},
         _in("never"), {"OP": "?", "LOWER": "ever"},
         _lemma("wear", "fade", "end", "stop", "diminish", "wane", "expire", "disappear",
                "run")],
        # a cure in a compound: "disease-abrogating", "arthritis-reversing", "MS-curing"
        [_DISEASE, {"ORTH": "-"},
         {"LOWER": {"REGEX": r"^(?:abrogat|eradicat|revers|cur|eliminat|abolish|eras|"
                             r"obliterat|extinguish|defeat|beat|vanquish|banish)ing$"}}],
        # recovery from a disease made total: "completely recovers from sclerosis", "a full
        # recovery from MS"
        [_in("completely", "fully", "totally", "entirely", "wholly", "permanently"),
         _lemma("recover"), _in("from"), nlp.gap(2), _DISEASE],
        [_lemma("recover"), _in("completely", "fully", "totally", "entirely", "permanently"),
         _in("from"), nlp.gap(2), _DISEASE],
        [_in("full", "complete", "total"), _in("recovery"), _in("from"), nlp.gap(2), _DISEASE],
        # the standard others are measured by: "the gold standard in regenerative care"
        [_in("gold"), {"ORTH": "-", "OP": "?"}, _in("standard")],
        [_in("world", "best", "first"), {"ORTH": "-"}, _in("class", "leading", "beating",
                                                           "renowned", "in", "rate")],
        [{"TAG": nlp.DESCRIPTIVE_SUPERLATIVE}, {"OP": "{0,2}", "IS_PUNCT": False},
         _lemma(*OUTCOMES)],
        [_in("nothing", "no"), _in("else", "other"), {"OP": "{0,2}", "IS_PUNCT": False},
         _lemma("come", "compare", "match", "rival", "equal", "touch")],
        [_in("nothing"), _lemma("beat", "match", "rival", "equal", "top", "outperform", "touch")],
        [_in("permanent", "lasting", "lifelong", "guaranteed", "total", "permanently"),
         _in("remission", "recovery", "relief", "results", "cure", "healing")],
        # a repair named as a noun and made total or final: "a permanent solution to arthritis",
        # "complete resolution of the disease", "a once-and-for-all fix"
        [_in("permanent", "lasting", "lifelong", "guaranteed", "total", "complete", "full",
             "definitive"),
         _lemma("solution", "fix", "resolution", "reversal", "elimination", "curation",
                "eradication", "disappearance", "restoration", "regeneration", "cure",
                "end", "retreat", "abeyance")],
        # "no more pain, no more pills": the disease promised away
        [_in("no"), _in("more"), _lemma(*DISEASES), {"LOWER": {"NOT_IN": ["than"]}}],
        # the disease as a memory: "lupus will be a distant memory"
        [_in("distant", "faded", "fading", "vague"), _in("memory", "memories")],
        [_in("long"), {"ORTH": "-"}, _in("term"), _in("remission", "cure")],
        # "remission was permanent", "the results are lifelong"
        [_lemma("remission", "recovery", "relief", "result", "cure", "improvement", "benefit",
                "effect", "healing"),
         _lemma("be"), {"OP": "?", "LOWER": {"IN": ["always", "often", "usually", "now"]}},
         _in("permanent", "lifelong", "guaranteed", "irreversible", "everlasting")],
        # "never suffer a flare again", "never again"
        [_in("never"), nlp.gap(4), _lemma(*DISEASES), nlp.gap(2), _in("again")],
        [_in("never"), nlp.gap(6), _in("again")],
        # "complete and lasting freedom from MS symptoms"
        [_in("freedom"), _in("from"), nlp.gap(2), _lemma(*DISEASES)],
        [_lemma("guarantee")],
        [{"LIKE_NUM": True, "ORTH": {"IN": ["100", "hundred"]}}, {"ORTH": {"IN": ["%", "percent"]}},
         {"OP": "?", "IS_PUNCT": True}],
        [_in("100"), _in("per"), _in("cent")],
        [_in("zero", "no", "without", "virtually", "free", "completely"),
         {"OP": "{0,2}", "LOWER": {"IN": ["of", "from", "any", "no", "serious", "real", "known",
                                         "major", "significant"]}},
         _in("side", "risk", "risks", "complications", "harm", "harms", "danger", "dangers",
             "downside", "downsides"),
         {"OP": "?", "LOWER": {"IN": ["effects", "effect"]}}],
        [_in("zero", "no", "without", "free", "completely"),
         {"OP": "{0,2}", "LOWER": {"IN": ["of", "from", "any", "no", "serious", "real", "known"]}},
         _in("harmful", "adverse", "negative", "unwanted", "toxic", "bad", "unpleasant",
             "undesirable"),
         _in("effects", "effect", "reactions", "events", "consequences")],
        [_in("risk"), {"ORTH": "-", "OP": "?"}, _in("free")],
        # harms said not to exist: "side effects are non-existent", "complications simply do
        # not occur" (present tense, said of the treatment in general)
        [_in("side", "risk", "risks", "complications", "danger", "dangers", "harm", "harms",
             "relapse", "relapses", "downside", "downsides", "drawback", "drawbacks",
             "reactions"),
         {"OP": "?", "LOWER": {"IN": ["effects", "effect"]}}, _lemma("be"),
         {"OP": "?", "LOWER": {"IN": ["simply", "virtually", "practically", "completely",
                                     "totally", "entirely"]}},
         _in("non", "nonexistent", "non-existent", "absent", "nil", "zero", "unheard"),
         {"OP": "?", "ORTH": "-"}, {"OP": "?", "LOWER": {"IN": ["existent", "of"]}}],
        [_in("side", "risks", "complications", "dangers", "harms", "relapses"),
         {"OP": "?", "LOWER": {"IN": ["effects"]}},
         {"OP": "?", "LOWER": {"IN": ["simply", "just", "really"]}},
         _in("do", "will"), _in("not", "n't", "never"), _lemma("occur", "happen", "arise")],
        [_in("devoid", "void"), _in("of"), {"OP": "?", "LOWER": {"IN": ["any", "all"]}},
         {"OP": "?", "IS_PUNCT": False},
         _in("risk", "risks", "danger", "dangers", "harm", "harms", "side", "complications")],
        # success over every case: "succeeds in all cases", "reversed in each participant"
        [_in("in", "for"), _in("all", "every", "each"), {"OP": "?", "LOWER": {"IN": ["single",
                                                                                "one", "of"]}},
         {"OP": "?", "LOWER": {"IN": ["our", "the", "its", "their"]}},
         {"OP": "?", "LIKE_NUM": True},
         {"OP": "?", "LOWER": {"IN": ["treated", "eligible", "enrolled"]}},
         _lemma("case", "patient", "participant", "person", "client", "people")],
        [_in("without"), _in("exception")],
        [_in("with"), _in("no"), _in("exception", "exceptions")],
        # a relapse or a failure made impossible: "it is impossible to relapse"
        [_in("impossible"), _in("to"), _lemma("relapse", "fail", "recur", "flare", "return")],
        # peerless in other words: "without equal", "has no rival", "there is no better treatment"
        [_in("without", "beyond"), _in("equal", "rival", "peer", "compare", "parallel")],
        [_lemma("have"), _in("no"), _in("equal", "rival", "peer", "equals", "rivals", "peers")],
        [_in("no"), _in("rival", "equal"), _lemma("treatment", "therapy", "option", "remedy",
                                                  "procedure", "approach", "clinic")],
        [_in("no"), {"TAG": nlp.COMPARATIVE, "LOWER": {"NOT_IN": [
            "more", "less", "fewer", "newer", "older", "larger", "bigger", "smaller", "longer",
            "shorter", "cheaper", "later", "earlier", "higher", "lower", "greater", "other"]}},
         _lemma("treatment", "therapy", "option", "choice", "remedy", "cure", "procedure",
                "medicine", "approach")],
        # "the last treatment you will ever need"
        [_in("you", "anyone", "patients"), {"OP": "?", "LOWER": {"IN": ["will", "'ll", "would"]}},
         _in("ever"), _lemma("need", "want", "require")],
        [_in("side"), {"ORTH": "-", "OP": "?"}, _in("effect"), {"ORTH": "-", "OP": "?"},
         _in("free")],
        [_in("completely", "totally", "perfectly", "entirely", "absolutely", "100"),
         _in("safe", "harmless", "natural", "effective")],
        [_in("harmless")],
        [_in("safe"), _in("for"), _in("everyone", "everybody", "all")],
        [_lemma("miracle", "miraculous", "breakthrough", "revolutionary", "revolutionise",
                "revolutionize", "groundbreaking", "game-changer", "gamechanger", "wonder")],
        [_in("game"), {"ORTH": "-", "OP": "?"}, _in("changer", "changing")],
        [_in("ground"), {"ORTH": "-", "OP": "?"}, _in("breaking")],
        [{"TAG": nlp.SUPERLATIVE}],
        [_in("the", "our", "its", "their", "your", "a", "'s", "’s"),
         {"OP": "?", "LOWER": {"IN": ["single", "very", "undisputed", "absolute", "overall",
                                     "simply", "clear"]}},
         _in("most", "least"),
         {"TAG": {"IN": [nlp.ADJECTIVE, nlp.COMPARATIVE]}, "LOWER": {"NOT_IN": [
            "common", "frequent", "likely", "people", "patients", "cases", "often", "important",
            "serious", "severe", "recent", "widely", "commonly", "frequently", "studied",
            "used", "of", "part", "useful", "relevant", "cited", "difficult", "many", "up",
            "current", "comprehensive", "detailed", "thorough",
            *nlp.DESCRIPTIVE_GRADES]}}],
        [{"IS_SENT_START": True, "LOWER": {"IN": ["most", "least"]}},
         {"TAG": nlp.ADJECTIVE, "LOWER": {"REGEX": r"^(?!.*ed$)", "NOT_IN": [
             "people", "patients", "common", "often", "of", "studies", "trials", "cases"]}}],
        [_in("the"), _in("only"), {"OP": "{0,2}", "IS_PUNCT": False,
                                    "LOWER": {"NOT_IN": ["approved", "licensed", "registered"]}},
         _in("treatment", "therapy", "cure", "hope", "option", "way", "solution", "answer",
             "chance", "clinic", "choice")],
        [{"LOWER": {"REGEX": r"^un(matched|paralleled|rivall?ed|surpassed|beat(en|able)|"
                              r"equall?ed|precedented)$"}}],
        [_in("second"), _in("to"), _in("none")],
        [_in("number"), _in("one", "1")],
        # Repair made total or final, in either order: "permanently resolved", "clears the
        # disease completely", "restores nerves to full health"
        [_in("permanently", "completely", "fully", "totally", "entirely", "wholly"),
         _lemma(*_RESTORE)],
        [_lemma(*_RESTORE), nlp.gap(4),
         _in("completely", "fully", "permanently", "entirely", "totally", "wholly")],
        [_lemma("restore", "return", "bring"), nlp.gap(4), _in("to"),
         _in("full", "normal", "perfect", "complete"), {"OP": "?", "LOWER": "good"},
         _in("health", "function", "mobility", "strength", "fitness")],
        [_in("never"), nlp.gap(3), _in("another", "any", "a", "further"),
         {"OP": "?", "IS_PUNCT": False}, _lemma(*DISEASES, "attack", "episode")],
        [_in("nothing"), nlp.gap(4), _lemma("come"), _in("close")],
        [_in("no", "nothing"), nlp.gap(3), _lemma("come"), {"OP": "?", "LOWER": "anywhere"},
         _in("close", "near")],
        # "gone, never to return", "every last symptom disappears", "all trace of the disease"
        [_in("never"), _in("to"), _lemma("return", "recur", "reappear")],
        [_in("every"), _in("last", "single"), _lemma("symptom", "sign", "trace", "lesion"),
         nlp.gap(3), _lemma("disappear", "vanish", "go", "clear", "resolve", "fade")],
        [_in("all"), _in("trace", "traces"), _in("of"), nlp.gap(2), _lemma(*DISEASES)],
        [_in("world"), _in("'s", "’s"), _in("leading", "best", "top", "finest", "first",
                                           "greatest", "foremost", "number")],
        [_in("assured", "certain", "guaranteed"), _in("recovery", "cure", "results",
                                                     "success", "remission")],
        [_lemma("recovery", "remission", "cure", "success", "result"), _lemma("be"),
         {"OP": "?", "LOWER": {"IN": ["always", "now", "virtually"]}},
         _in("assured", "certain", "inevitable")],
        # a disease sent away in an idiom: "say goodbye to joint pain", "neuropathy becomes
        # history" (the "say" is the reader's farewell, not someone's report)
        [_lemma("say", "wave", "bid", "kiss"), _in("goodbye", "farewell", "bye", "good-bye"),
         _in("to"), nlp.gap(3), _lemma(*DISEASES)],
        [_lemma(*_ILLNESS), nlp.gap(2), _lemma("become"), _in("history")],
        [_DISEASE_SHAPED, nlp.gap(2), _lemma("become"), _in("history")],
        [_lemma("say", "wave", "bid", "kiss"), _in("goodbye", "farewell", "bye", "good-bye"),
         _in("to"), nlp.gap(3), _DISEASE_SHAPED],
        [_lemma("consign", "relegate"), nlp.gap(3), _in("to"), _in("history", "the")],
        # restored to the state before the disease: "restores the pancreas to how it was"
        [_lemma(*_RESTORE, "return", "bring", "get"), nlp.gap(4), _in("to"), _in("how", "what"),
         _in("it", "they", "you"), _lemma("be", "use", "feel"), {"OP": "?", "LOWER": "to"},
         {"OP": "?", "LOWER": "be"}, {"OP": "?", "LOWER": "before"}],
        [_in("as"), _in("good"), _in("as"), _in("new")],
        # success in every case, told by kind or by occasion: "works for every type of
        # arthritis", "it works, every time"
        [_lemma("work", "help", "succeed"), _in("for"), _in("every", "all", "any"),
         _in("type", "kind", "form", "sort", "types", "kinds", "forms", "sorts"), _in("of")],
        [_lemma("work", "succeed", "deliver"), nlp.gap(6, commas=True), _in("every"),
         {"OP": "?", "LOWER": "single"}, _in("time")],
        # a record of no harm at all, in the seller's voice: "not one of our patients has ever
        # had a complication", "none of our clients has relapsed"
        [_in("not", "none"), {"OP": "?", "LOWER": {"IN": ["one", "a", "single"]}},
         {"OP": "?", "LOWER": "single"}, _in("of"), _in("our", "my"),
         _lemma("patient", "client", "participant", "case"), nlp.gap(3),
         _lemma("have", "suffer", "experience", "develop", "report", "relapse", "need",
                "complain"), nlp.gap(3),
         {"OP": "?", "LOWER": {"IN": ["complication", "complications", "side", "problem",
                                     "problems", "relapse", "reaction", "reactions", "issue",
                                     "issues", "harm", "infection", "infections"]}}],
        [_in("no"), _lemma("patient", "client"), nlp.gap(3), _in("ever"),
         _lemma("have", "suffer", "experience", "develop", "relapse"),
         nlp.gap(3), _lemma("complication", "side", "problem", "relapse", "reaction", "issue",
                            "harm", "infection")],
    ],
)  # fmt: skip
# Uses of those words that make no claim.
NOT_A_CLAIM = re.compile(
    r"\b(best\s+practices?|best\s+available|at\s+best|best\s+supportive\s+care|"
    r"cure\s+rates?|(?:during|throughout|of)\s+the\s+cure\b(?!\s+(?:for|of|to))|"
    r"best\s+evidence|the\s+best\s+(way|thing|time|person|place)|"
    r"(is|are|be|was|were)\s+best\b|best[\s-]+\w+(ed|en|wn)\b|(suits?|fits?|knows?|works?)\s+"
    r"(\w+\s+)?best\b|do\s+your\s+best|end\s+of|end\s+up|ends?\s+the\s+(study|trial)|"
    r"the\s+only\s+(?:way|thing|means)\s+to\s+(?:know|find|tell|learn|be\s+sure|see|check|"
    r"answer|judge)|(?:end|ends|ended|ending)\s+(?:in|with)\b|"
    r"at\s+the\s+end|even\s+the\s+(?:best|most\s+\w+|\w+est)\b|(?:the|your)\s+(?:best|\w+est)\s+(?:choice|course|option|way|"
    r"thing|approach|bet|plan|step)\s+(?:is|would\s+be|may\s+be)\s+to|best[\s-]+(?:understood|known|kept|thought|taught|done|"
    r"seen|built|made|run|told))\b",
    re.IGNORECASE,
)
# A superlative praises something only when it is about a treatment or its results.
PRAISED = frozenset(
    [
        "result",
        "results",
        "outcome",
        "outcomes",
        "success",
        "rate",
        "rates",
        "option",
        "options",
        "hope",
        "choice",
        "answer",
        "solution",
        "clinic",
        "clinics",
        "care",
        "approach",
    ]
)


@rule(
    "absolute-claims",
    title="No cure, absolute or superlative claims",
    why="FTC v. Regenerative Medical Group (2018) and FTC Health Products Compliance "
    "Guidance: cure and superiority claims need competent and reliable evidence; ISSCR.",
    codes=[
        Code(
            "claims.absolute",
            "error in title, summary, headings or an uncited sentence; warning when cited",
            "Cures (any verb: heal, reverse, eliminate…), permanent remission, guarantees, "
            "100 % or zero risk, no side effects, miracles, superlatives by form "
            "(safest, most promising, the only…, unmatched); a disease sent away in an idiom "
            "(sends it packing, is history), a cure in a compound (disease-reversing), "
            "certainty (foolproof), a spotless record or a 0 % complication rate.",
        )
    ],
    flags=[
        "Stem cells reverse lupus for good.",
        "The safest and most promising treatment for MS.",
        "Patients can expect lasting remission with zero side effects.",
        "This is the only treatment that works.",
        "With the cells, lupus becomes a thing of the past.",
        "Every single participant recovered after the infusion.",
        "Type 1 diabetes can be permanently resolved with one transplant.",
        "The protocol restores damaged nerves to full health.",
        "The injections offer a permanent solution to knee arthritis.",
        "Side effects are non-existent with our cells.",
        "The procedure succeeds in all cases.",
        "Say goodbye to joint pain, permanently.",
        "The new jab shows lupus the door.",
        "A foolproof route to remission.",
        "An unblemished safety record across 4,000 procedures.",
    ],
    passes=[
        "No treatment can cure lupus yet.",
        "Whether it heals the damage is unclear.",
        "Some websites call it a cure, which it is not.",
        "In one trial the cure rate was 30% [@scot2018].",
        "The treatment is not without risk.",
        "Fertility can be lost permanently after the chemotherapy [@x].",
        "A cure for lupus is still years away.",
        "Can stem cells cure type 1 diabetes?",
        "The treatment guarantees nothing.",
        "The transplant is the most intensive treatment for MS.",
        "Follow-up was complete for every participant [@x].",
        "Complete resolution of the disease was rare [@x].",
        "No serious side effects were reported in the case series [@x].",
        "Randomised trials are the gold standard for testing a treatment.",
        "The infection cleared completely with antibiotics [@x].",
        "HSCT for the disease is done only at accredited centres [@x].",
    ],
)
def absolute_claims(text: ArticleText) -> Iterator[Finding]:
    for sentence in text.sentences:
        for claim in sentence.claims("absolute"):
            asserted = nlp.flags(claim).asserted or _doubt_only_in_its_object(claim)
            if not asserted or in_quotes(sentence, claim) or _no_claim(claim):
                continue
            if (
                _healing_as_a_noun(claim)
                or _told_of_the_past(claim)
                or _zero_harm_reported(claim)
                or _halted_for_a_time(sentence, claim)
            ):
                continue
            if (
                _permanence_without_benefit(sentence, claim)
                or _graded_comparison(claim)
                or _bounded_freedom(sentence, claim)
                or _guarantee_of_something_else(sentence, claim)
                or _mentioned(claim)
                or _ordinary_healing(claim)
                or _passing_harm_repaired(claim)
                or _done_at_something(claim)
                or _return_denied_of_some(sentence, claim)
                or _sure_of_something_else(sentence, claim)
                or _standard_of_judging(sentence, claim)
                or _needs_a_subject(sentence, claim)
                or _a_prospect(claim)
                or _supposed_or_denied_after(claim)
                or _universal_without_benefit(claim)
                or _memory_of_no_disease(claim)
                or _peerless_of_something_else(claim)
            ):
                continue
            if _graded(claim) and not (about_treatment(sentence) or _lemmas(sentence) & PRAISED):
                continue
            if sentence.field in DISPLAY_FIELDS or not sentence.cited:
                severity, advice = Severity.ERROR, "remove it or state what the evidence shows"
            else:
                severity, advice = Severity.WARNING, "check the cited source supports it"
            yield Finding(
                "claims.absolute",
                severity,
                sentence.pointer,
                f"Absolute claim “{claim.text}” in {where(sentence)}: {advice}: "
                f"{quote(sentence.text)}.",
                quote=sentence.text,
            )
            break


_RELATIVES = frozenset(["what", "which", "that", "who", "whatever"])


def _doubt_only_in_its_object(claim: Any) -> bool:
    """“Nothing comes close to what these cells can do”: the modal belongs to a relative
    clause that names what is compared; it doubts nothing the sentence claims."""
    if not nlp.flags(claim, doubts_after=False).asserted:
        return False
    doc = claim.doc
    later = [m.modifier_span[0] for m in claim._.modifiers if m.modifier_span[0] >= claim.end]
    return bool(later) and all(
        any(t.lower_ in _RELATIVES for t in doc[claim.end : start + 1]) for start in later
    )


_HEALING_NOUNS = frozenset(["journey", "process", "time", "times", "phase", "period", "path",
                            "stage", "environment", "arts", "circle", "space"])  # fmt: skip


def _healing_as_a_noun(claim: Any) -> bool:
    """“Start your healing journey”, “the healing process”: healing as the name of a stage
    or a course, not a promise that anything heals."""
    doc = claim.doc
    return (
        len(claim) == 1
        and claim[0].lower_ == "healing"
        and claim.end < len(doc)
        and doc[claim.end].lower_ in _HEALING_NOUNS
    )


def _told_of_the_past(claim: Any) -> bool:
    """“Nothing else had touched my fatigue”: a comparison with what went before, in the
    past perfect of a story, not a claim that nothing rivals the treatment."""
    words = [t.lower_ for t in claim]
    return words[:1] in (["nothing"], ["no"]) and "had" in words


_HALT = frozenset(["stop", "halt", "end", "fix"])
_FOR_A_TIME = re.compile(
    r"\b(for\s+a\s+(while|time)|temporarily|for\s+(many|several|a\s+few|some)\s+(years|months|"
    r"weeks)|in\s+(some|many)\s+(people|patients)|for\s+(some|many)\s+(people|patients))\b",
    re.IGNORECASE,
)


def _halted_for_a_time(sentence: Sentence, claim: Any) -> bool:
    """“It can halt inflammation for a while”, “stops MS from getting worse for many years
    in some people”: a halt bounded in time or to some people, which the sentence weighs; a
    cure verb (“cure”, “eradicate”) stays a claim whatever bounds it."""
    return claim[0].lemma_ in _HALT and bool(_FOR_A_TIME.search(sentence.plain))


_REPORTED = frozenset(["reported", "observed", "recorded", "noted", "documented", "seen"])


def _zero_harm_reported(claim: Any) -> bool:
    """“No serious side effects were reported”: a count of what was observed, past and
    passive, not a promise that the treatment has none."""
    after = [t.lower_ for t in claim.doc[claim.end : claim.end + 3]]
    return (
        claim[0].lower_ in ("no", "zero")
        and after[:1] in (["were"], ["was"])
        and any(w in _REPORTED for w in after[1:])
    )


_PROSPECT = frozenset(["chance", "chances", "prospect", "prospects", "possibility", "odds",
                       "likelihood", "hope", "hopes", "search", "quest", "promise"])  # fmt: skip


def _a_prospect(claim: Any) -> bool:
    """“The chance of a cure is small”, “the prospect of a cure”: a cure spoken of as a
    possibility, which the sentence then weighs, not one it promises."""
    before = [t.lower_ for t in claim.doc[max(claim.start - 3, 0) : claim.start]]
    return "of" in before and any(word in _PROSPECT for word in before)


def _sure_of_something_else(sentence: Sentence, claim: Any) -> bool:
    """“A foolproof route to remission” promises a result; “a foolproof system to remember
    your tablets” does not: certainty is a claim only about a disease or an outcome."""
    if claim[0].lower_ not in SURE and claim[0].lower_ not in ("fail", "sure"):
        return False
    words = _lemmas(sentence)
    return not (words & (DISEASES - {"it", "them"}) or words & set(OUTCOMES) or words & BENEFITS)


_JUDGING = frozenset(["judge", "judging", "measure", "measuring", "diagnose", "diagnosing",
                      "diagnosis", "test", "testing", "assess", "assessing", "evaluate",
                      "evaluating", "detect", "detecting", "compare", "comparing", "trial",
                      "trials", "study", "studies", "research", "evidence", "method",
                      "methods", "design", "scan", "biopsy"])  # fmt: skip


def _standard_of_judging(sentence: Sentence, claim: Any) -> bool:
    """“Randomised trials remain the gold standard for judging a treatment”: a standard of
    evidence or diagnosis, not a treatment praised; and a standard said of no treatment."""
    if claim[0].lower_ != "gold":
        return False
    words = _lemmas(sentence)
    return bool(words & _JUDGING) or not (about_treatment(sentence) or words & {"care", "clinic"})


def _memory_of_no_disease(claim: Any) -> bool:
    """“Lupus will be a distant memory” ends a disease; “a faded memory of the first weeks in
    hospital” remembers."""
    if claim[-1].lemma_ != "memory":
        return False
    words = {t.lemma_ for t in claim.doc} | {t.lower_ for t in claim.doc}
    return not words & (DISEASES - {"it"})


def _peerless_of_something_else(claim: Any) -> bool:
    """“The perfect treatment”, “the ultimate answer”, “results are flawless” praise; “perfect
    adherence to the schedule” and “the ultimate aim of the research” describe something else."""
    if len(claim) > 1 or claim[0].lemma_ not in PEERLESS:
        return False
    following = claim.doc[claim.end : claim.end + 1]
    if not following or following[0].is_punct:
        return False  # said of what comes before: "our results are flawless"
    word = following[0]
    if word.lower_ in _AFTER_A_PREDICATE or word.lemma_ == "be":
        return False  # "peerless among cell therapies", "flawless in every case"
    praised = (
        TREATMENTS
        | PRAISED
        | set(OUTCOMES)
        | DISEASES
        | {"remedy", "cure", "fix", "safety", "record"}
    )
    return word.lemma_ not in praised and word.lower_ not in praised


_AFTER_A_PREDICATE = frozenset(["and", "or", "for", "in", "to", "of", "among", "anywhere",
                                "across", "worldwide", "around", "at", "by", "on", "with",
                                "today", "now", "here", "everywhere", "too", "as"])  # fmt: skip


_UNIVERSAL = frozenset(["in", "for", "without", "with"])
_HARDSHIP = frozenset(["slow", "slowly", "long", "difficult", "hard", "painful", "risk", "risks",
                       "side", "complication", "complications", "infection", "infections",
                       "relapse", "relapsed", "relapses", "weeks", "months"])  # fmt: skip


def _universal_without_benefit(claim: Any) -> bool:
    """“in all cases”, “for every patient”, “without exception” claim something only of a
    benefit in their clause: “follow-up was complete for every participant” promises
    nothing, “the procedure succeeds in all cases” does."""
    if claim[0].lower_ not in _UNIVERSAL or len(claim) < 2:
        return False
    if claim[1].lower_ not in ("all", "every", "each", "exception", "no"):
        return False
    clause = _clause(claim)
    words = {t.lemma_ for t in clause} | {t.lower_ for t in clause}
    if words & _HARDSHIP:
        return True  # "recovery is slow in all cases": a hardship for everyone, no promise
    return not words & (BENEFITS - {"result", "effect"} | set(_SUCCEED) | {"resolution"})


def _supposed_or_denied_after(claim: Any) -> bool:
    """“A cure would mean…” supposes; “the treatment guarantees nothing” denies: what follows
    the phrase straight away decides, where ConText reads only what comes before."""
    after = [t.lower_ for t in claim.doc[claim.end : claim.end + 2]]
    return bool(after) and (
        after[0] in ("would", "could", "might", "nothing", "nobody", "none")
        or after[:2] == ["no", "one"]
    )


def _needs_a_subject(sentence: Sentence, claim: Any) -> bool:
    """“never … again” claims something only of a disease or a treatment."""
    return claim[0].lower_ == "never" and not (
        about_treatment(sentence) or _lemmas(sentence) & DISEASES
    )


def _graded(claim: Any) -> bool:
    """A superlative (“safest”, “most promising”, “the ultimate…”), not a cure verb or a
    guarantee."""
    first = claim[0]
    # "no better treatment", "no other clinic" grade; "no relapse, ever" promises
    returns = len(claim) > 1 and claim[1].lemma_ in _RETURNS
    return (
        first.tag_ in (nlp.SUPERLATIVE, nlp.DESCRIPTIVE_SUPERLATIVE)
        or first.lower_ in ("most", "least", "world", "nothing")
        or (first.lower_ == "no" and not returns)
        or first.lemma_ in PEERLESS
    )


_RETURNS = frozenset(["relapse", "recurrence", "flare", "attack", "symptom"])


_PERMANENT = frozenset(["good", "ever", "life", "all", "permanently", "forever", "rest", "always",
                        "eternity", "lifetime"])  # fmt: skip
# What a permanence is about when it is a claim: a disease going, a remission lasting.
BENEFITS = frozenset(
    ["cure", "heal", "remission", "recovery", "recover", "relief", "free", "gone", "disappear",
     "reverse", "eliminate", "eradicate", "rid", "beat", "end", "stop", "halt", "benefit",
     "result", "improvement", "improve", "protect", "protection", "restore", "repair", "fix",
     "regenerate", "better", "well", "healthy", "work", "effect", "banish", "clear",
     "goodbye", "farewell", "resolve", "resolved"]
)  # fmt: skip


def _permanence_without_benefit(sentence: Sentence, claim: Any) -> bool:
    """“for good”, “permanently”, “for life” claim something only about a benefit: “the drugs
    are taken for life” or “fertility can be affected permanently” promise nothing."""
    words = {t.lower_ for t in claim}
    if not words & _PERMANENT or claim[0].lemma_ not in (
        "for",
        "once",
        "permanently",
        "forever",
        "last",
        "endure",
        "persist",
    ):
        return False
    clause = _clause(claim)
    gone = any(
        (t.lemma_ == "go" and n.lower_ == "away")  # "makes the illness go away for always"
        or (t.lemma_ in ("come", "get", "stay") and n.lower_ == "off")  # "came off insulin"
        or (t.lemma_ in ("make", "produce") and n.lower_ in ("its", "their", "your", "own"))
        for t, n in itertools.pairwise(clause)
    )  # …or a body that "makes its own insulin" again: medicines no longer needed
    return not gone and not ({t.lemma_ for t in clause} | {t.lower_ for t in clause}) & BENEFITS


_CLAUSE_BREAKS = frozenset(["but", ";", "however", "although", "though", "whereas", "while"])


def _clause(claim: Any) -> Any:
    """The clause a phrase stands in: “there is no cure, but most people control it with
    medicines for life” promises nothing in the clause that says “for life”."""
    doc = claim.doc
    start = claim.start
    while start > 0 and doc[start - 1].lower_ not in _CLAUSE_BREAKS:
        start -= 1
    end = claim.end
    while end < len(doc) and doc[end].lower_ not in _CLAUSE_BREAKS:
        end += 1
    return doc[start:end]


# A time point or a span bounds a result: "free of active disease five years after",
# "symptom-free at 12 months" report an outcome, they do not promise a cure.
TIME_BOUND = re.compile(
    r"\b(?:at|after|for|within|by|over|up\s+to|until)\s+(?:\w+\s+){0,2}(?:years?|months?|"
    r"weeks?|days?)\b|\b(?:years?|months?|weeks?|days?)\s+(?:after|later|on|from)\b",
    re.IGNORECASE,
)


def _bounded_freedom(sentence: Sentence, claim: Any) -> bool:
    """A time point or a span bounds the freedom, or it is a trial's endpoint: "free of
    disease activity", "free from disease progression"."""
    words = {t.lower_ for t in claim}
    if not words & {"free", "without", "freedom"}:
        return False
    after = claim.doc[claim.end : claim.end + 1]
    return bool(TIME_BOUND.search(sentence.plain)) or any(
        t.lower_ in ("activity", "progression") for t in after
    )


def _guarantee_of_something_else(sentence: Sentence, claim: Any) -> bool:
    """“The registration guarantees its quality” guarantees no outcome of a treatment."""
    if claim[0].lemma_ != "guarantee" or len(claim) > 1:
        return False
    words = _lemmas(sentence)
    return not (about_treatment(sentence) or words & BENEFITS or words & set(OUTCOMES)
                or words & {"you", "your"})  # fmt: skip


_MENTION = frozenset(["word", "words", "term", "terms", "phrase", "label", "expression"])


def _mentioned(claim: Any) -> bool:
    """The word itself, not its claim: “the word cure”, “the term miracle”, and a gloss of a
    quoted term (“Wunderheiler” (miracle healer))."""
    doc = claim.doc
    if any(t.lower_ in _MENTION for t in doc[max(claim.start - 2, 0) : claim.start]):
        return True
    text = doc.text[: claim.start_char]
    parenthesis = text.rfind("(")
    return (
        parenthesis > 0
        and ")" not in text[parenthesis:]
        and text[:parenthesis].rstrip()[-1:] in _QUOTES
    )


# What heals without any claim: a wound, the skin, a bone.
_TISSUE_HEALING = frozenset(["wound", "wounds", "skin", "cut", "cuts", "incision", "scar",
                             "bone", "bones", "fracture", "burn", "burns", "site", "ulcer",
                             "graze"])  # fmt: skip


# Harms that pass on their own or with ordinary care: "the infection cleared completely".
_PASSING = frozenset(["infection", "rash", "swelling", "bruise", "bruising", "fever", "nausea",
                      "wound", "headache", "bleeding", "count", "counts", "cough", "cold",
                      "soreness", "redness", "blister", "vomiting", "diarrhoea",
                      "diarrhea"])  # fmt: skip


_OVER = frozenset(["done", "finished", "over", "history", "beaten", "defeated", "conquered"])
_AFTER_OVER = frozenset(["and", "for", "forever", "now", "once", "too", "from", "completely",
                         "after", "then"])  # fmt: skip


_SOME = frozenset(["some", "most", "many", "few", "often", "usually", "sometimes", "until",
                   "half", "majority", "minority", "several"])  # fmt: skip


def _return_denied_of_some(sentence: Sentence, claim: Any) -> bool:
    """“…and does not come again” promises only of a disease, said of everyone and for ever:
    not “in most people the disease does not come back for years”, nor “the nurse does not
    come back until Monday”."""
    if claim[0].lower_ not in ("does", "do", "will", "wo", "shall"):
        return False
    words = _lemmas(sentence)
    bounded = bool(TIME_BOUND.search(sentence.plain)) or any(c.isdigit() for c in sentence.plain)
    return bounded or bool(words & _SOME) or not words & set(_ILLNESS)


def _done_at_something(claim: Any) -> bool:
    """“Lupus is history”, “the arthritis is done, it's finished” end a disease; “HSCT for
    the disease is done only at accredited centres” says how a treatment is given: the
    state ends the clause, or "and", "for good", "now" follow it."""
    if claim[-1].lower_ not in _OVER:
        return False
    following = claim.doc[claim.end : claim.end + 1]
    return bool(following) and not following[0].is_punct and following[0].lower_ not in _AFTER_OVER


def _passing_harm_repaired(claim: Any) -> bool:
    """“The infection cleared completely with antibiotics”, “blood counts recovered fully”: a
    passing harm or a measurement that recovered, not a disease cured."""
    if not any(t.lemma_ in _RESTORE or t.lemma_ == "recover" for t in claim):
        return False
    words = {t.lemma_ for t in _clause(claim)} | {t.lower_ for t in _clause(claim)}
    return bool(words & _PASSING) and not words & set(_ILLNESS)


def _ordinary_healing(claim: Any) -> bool:
    """“Keep the wound clean so it heals”, “patients heal more quickly”: healing of tissue,
    or how fast it goes (a comparison, its own rule), not a cure."""
    if claim[0].lemma_ != "heal" or len(claim) > 1:
        return False
    doc = claim.doc
    following = doc[claim.end : claim.end + 1]
    return any(t.lower_ in _TISSUE_HEALING for t in doc) or any(
        t.tag_ == nlp.COMPARATIVE for t in following
    )


def _graded_comparison(claim: Any) -> bool:
    """“longer-lasting”, “more lasting”: a comparison (its own rule), not an absolute."""
    doc = claim.doc
    before = doc[max(claim.start - 2, 0) : claim.start]
    return claim[0].lower_ in ("lasting", "long") and any(t.tag_ == nlp.COMPARATIVE for t in before)


def _no_claim(claim: Any) -> bool:
    doc = claim.doc
    window = doc[max(claim.start - 2, 0) : min(claim.end + 3, len(doc))].text
    return bool(NOT_A_CLAIM.search(window))


_QUOTES = "\"“”‘’'«»"


def in_quotes(sentence: Sentence, claim: Any) -> bool:
    """The phrase stands inside quotation marks: someone else's words, shown as such."""
    before = claim.doc.text[sentence.span.start_char : claim.start_char]
    opening = sum(before.count(q) for q in "“«‘") - sum(before.count(q) for q in "”»")
    straight = before.count('"') % 2
    # A straight single quote opens a quotation after a space or at the start; an
    # apostrophe stands inside a word or ends one.
    opened = len(re.findall(r"(?:^|[\s(])'(?=\w)", before + claim.text[:1]))
    closed = len(re.findall(r"\w'(?=[\s.,;:!?)]|$)", before))
    return opening > 0 or straight == 1 or opened > closed


# --- Comparative claims ----------------------------------------------------------------

_NOT_THAN = [".", ";", ":"]
# What a treatment is compared with: another treatment or a kind of medicine.
_RIVALS = TREATMENTS | MEDICATIONS | {"physiotherapy", "immunosuppression", "biologics",
                                      "hormone", "hormones", "replacement", "operation",
                                      "painkiller", "painkillers", "chemo"}  # fmt: skip
_RIVAL = {"LEMMA": {"IN": sorted(_RIVALS)}}
# Words that open a contrast of two treatments ("unlike biologics, …", "rather than years of
# steroids, …", "swapping pills for cells…"): a claim only when the sentence also says what
# the treatment does better (``_states_merit``).
CONTRASTS = frozenset(["unlike", "contrast", "opposed", "rather", "instead", "where", "whereas",
                       "while", "whilst", "swap", "switch", "trade", "exchange", "next",
                       "beside", "alongside"])  # fmt: skip
nlp.add_patterns(
    "comparative",
    [
        [{"TAG": nlp.COMPARATIVE}, {"OP": "{0,5}", "LOWER": {"NOT_IN": _NOT_THAN}},
         _in("than")],
        [_in("as"), {"TAG": nlp.ADJECTIVE, "LOWER": {"NOT_IN": [
            "well", "soon", "long", "far", "much", "many", "early", "late", "little", "few",
            "often", "yet", "such", "usual", "high", "low", "recently"]}}, _in("as")],
        [{"LIKE_NUM": True}, _in("times"), _in("more", "less", "as", "higher", "lower", "greater",
                                               "better", "safer", "likely", "fewer")],
        [_in("twice", "thrice", "half"), _in("as")],
        [{"LOWER": {"REGEX": r"^(\d+|two|three|four|five|ten)-?fold$"}}],
        [_lemma("surpass", "outperform", "outdo", "outshine", "beat", "trump", "exceed",
                "eclipse", "outstrip", "outpace", "outclass", "outrank", "outmatch", "outlast",
                "outscore", "outsmart", "trounce", "dwarf", "overshadow", "outgun",
                "outdistance")],
        # "edges out cyclophosphamide", "beats out the drugs"
        [_lemma("edge"), _in("out")],
        # superiority in idioms: "head and shoulders above", "leaps and bounds ahead of",
        # "streets ahead of", "runs rings round", "what drugs can only dream of"
        [_in("head"), _in("and"), _in("shoulders"), _in("above")],
        [_in("bounds", "streets", "miles", "years", "way", "far", "clearly", "comfortably",
             "well"), _in("ahead"), _in("of")],
        [_lemma("run"), _in("rings"), _in("round", "around")],
        [_RIVAL, {"OP": "{0,3}", "LOWER": {"IN": ["can", "could", "only", "merely", "ever",
                                                  "just", "will"]}},
         _lemma("dream"), _in("of")],
        # "more effective from the drugs", "better from hormones": "than" as Polish and Russian
        # say it ("od", "от")
        [_in("more", "less"), _in("effective", "efficient", "potent", "useful", "powerful",
                                  "safe", "toxic", "dangerous"),
         _in("from"), nlp.gap(2), _RIVAL],
        [_in("better", "safer", "stronger", "worse", "weaker", "gentler", "milder"), _in("from"),
         nlp.gap(2), _RIVAL],
        # "then" for "than", as careless copy writes it: "kinder on the joints then a knee
        # replacement" (not "slower at first, then a programme…": a comma makes it a sequence)
        [{"TAG": nlp.COMPARATIVE}, {"OP": "{0,4}", "LOWER": {"NOT_IN": [*_NOT_THAN, ","]}},
         _in("then"), {"OP": "?", "LOWER": {"IN": ["a", "an", "the", "any", "other", "standard",
                                                   "conventional", "traditional", "your"]}},
         {"OP": "?", "IS_PUNCT": False}, _RIVAL],
        # measured against a rival: "relative to legacy immunosuppression"
        [_in("relative"), _in("to"), nlp.gap(3), _RIVAL],
        [_in("superior", "inferior", "preferable"),
         {"OP": "{0,3}", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["than"]}}, _in("to")],
        [_lemma("improve", "improvement"), _in("on", "upon")],
        [_lemma("prefer", "favour", "favor", "choose", "recommend", "pick", "rank"), nlp.gap(3),
         _in("over", "above")],
        [{"TAG": nlp.COMPARATIVE}, nlp.gap(2),
         _lemma("alternative", "substitute", "replacement", "option", "choice", "upgrade", "bet"),
         _in("to", "for", "than", "over")],
        [_lemma("compare"), _in("with", "to", "against")],
        # contrasts (see CONTRASTS)
        [_in("unlike"), nlp.gap(3), _RIVAL],
        [_in("in"), _in("contrast"), _in("to", "with"), nlp.gap(3), _RIVAL],
        [_in("as"), _in("opposed"), _in("to"), nlp.gap(3), _RIVAL],
        [_in("rather"), _in("than"), nlp.gap(4), _RIVAL],
        [_in("instead"), _in("of"), nlp.gap(4), _RIVAL],
        [_in("next"), _in("to"), nlp.gap(4), _RIVAL],
        [_in("where", "whereas", "while", "whilst"), nlp.gap(3), _RIVAL, nlp.gap(2),
         _in("merely", "only", "just", "simply", "barely")],
        [_lemma("swap", "switch", "trade", "exchange"), nlp.gap(4), _in("for", "to")],
        # superiority named as a noun or an idiom: "the edge over", "a step up from", "comes
        # out ahead of", "no match for", "cannot compete with", "pales beside", "works where
        # drugs fail", "leaves drugs far behind"
        [_lemma("edge", "advantage", "lead", "upper", "superiority"),
         {"OP": "?", "LOWER": "hand"}, _in("over")],
        [_in("head"), {"ORTH": "-", "OP": "?"}, _in("start"), _in("over", "on")],
        [_in("step"), _in("up"), _in("from", "on")],
        [_lemma("come", "pull", "edge", "forge", "finish", "stay", "emerge", "streak", "race",
                "leap", "stride", "surge", "move", "jump", "shoot", "sprint", "march"),
         {"OP": "?", "LOWER": {"IN": ["out", "well", "far", "clearly"]}}, _in("ahead")],
        [_lemma("win"), _in("out")],
        [_in("no"), _in("match"), _in("for")],
        [_in("cannot"), {"OP": "?", "LOWER": "even"}, _lemma("compete", "rival")],
        [_in("can", "ca"), _in("not", "n't"), {"OP": "?", "LOWER": "even"},
         _lemma("compete", "rival")],
        [_lemma("pale"), _in("beside", "next", "against", "alongside")],
        [_lemma("leave"), nlp.gap(3), _RIVAL, {"OP": "?", "LOWER": "far"},
         _in("behind", "standing")],
        [_lemma("leave"), nlp.gap(3), _RIVAL, _in("in"), _in("the"), _in("dust", "shade")],
        # "a cut above standard medication", "a notch above", "in a league beyond"
        [_in("cut", "notch", "class", "league"), _in("above", "beyond")],
        [_lemma("succeed", "work", "help"), _in("where", "when"), nlp.gap(3), _lemma("fail")],
        [_in("in"), _in("comparison"), _in("with", "to")],
        [_in("versus", "vs", "vs."), {"ORTH": {"NOT_IN": ["-"]}}],
        [_in("fewer", "less", "lower", "reduced", "milder"),
         _in("side", "adverse", "complications", "risks", "toxicity")],
        # "nothing works as well as your own cells": the negation is the claim
        [_in("nothing", "none"), {"OP": "?", "LOWER": "else"},
         _lemma("work", "perform", "help", "do", "act"),
         _in("as", "so"), _in("well", "fast", "quickly", "safely", "effectively", "reliably"),
         _in("as")],
        # a rhetorical question: "why settle for lifelong pills when one infusion does more?"
        [_in("why"), _lemma("settle", "stick", "put"), {"OP": "?", "LOWER": "up"},
         _in("for", "with"), nlp.gap(6), _in("when")],
        # "why keep taking pills that only mask symptoms, when one infusion…?"
        [_in("why"), _lemma("keep", "stay", "continue", "suffer", "struggle", "endure", "pay",
                            "risk", "waste", "bother", "live"),
         nlp.gap(8, commas=True), _in("when")],
    ],
)  # fmt: skip
_NOT_COMPARED = re.compile(
    r"\bthan\s+(previously|expected|thought|before|ever|usual|once|average|in\s+the\s+past|"
    r"the\s+general\s+population|people\s+without|it\s+(is|was|seems|sounds)|a\s+year|"
    r"(they|we|these|those)\s+(are|were|used|had|did)\b|(in|during)\s+(the\s+)?(19|20)\d\d|"
    r"\w+\s+(years|decades)\s+ago|\d)",
    re.IGNORECASE,
)
# The other side of a comparison that is the same people at an earlier time, not a rival
# treatment: "compared with the year before", "than at baseline".
_CONTROL = re.compile(
    r"\b(?:than|(?:compared|comparison|relative)\s+(?:with|to)|against|versus|vs\.?)\s+"
    r"(?:at\s+|in\s+)?(?:baseline|before\b|the\s+(?:year|months?|weeks?)\s+before|"
    r"(?:their|the)\s+(?:own\s+)?(?:previous|earlier|pre-?treatment)|pre-?treatment|"
    r"the\s+start|(?:\w+\s+){0,2}(?:years?|decades?|months?)\s+ago|(?:the\s+)?(?:19|20)\d\ds?\b|"
    r"(?:the\s+)?past\b|last\s+year)",
    re.IGNORECASE,
)


@rule(
    "comparative-claims",
    title="Comparative claims cite a randomised trial or a systematic review",
    why="FTC substantiation standard: “fewer side effects” or “better than” needs "
    "head-to-head evidence, generally randomised controlled trials; a case series or an "
    "animal study cannot show that one treatment beats another.",
    codes=[
        Code(
            "claims.comparative_unsupported",
            "error",
            "A comparison about a treatment (-er than, more/less … than, as … as, N times, "
            "surpasses, superior to, compared with…) not backed by an RCT or systematic review "
            "cited in the same sentence; the message names the weaker designs cited.",
        )
    ],
    flags=[
        "Stem cells work better than conventional drugs.",
        "The infusion is far safer than chemotherapy [@sun2009].",
        "This therapy surpasses every biologic.",
        "Cell therapy is a safer alternative to long-term steroids.",
        "Cell therapy has the edge over biologics.",
        "Unlike biologics, which only mask symptoms, the cells repair the joint.",
        "The injections are streets ahead of steroid tablets.",
        "Is it better than surgery? Absolutely, and there is no scar.",
    ],
    passes=[
        "Event-free survival was higher than with cyclophosphamide [@scot2018].",
        "It is not clear whether transplants are better than drugs.",
        "Lupus is more common in women than in men.",
        "Drug costs are higher in private clinics than in hospitals.",
        "It is more intensive than drug treatment and needs a long hospital stay.",
        "Disability improved compared with the year before treatment [@x].",
        "Unlike steroids, which are taken by mouth, the cells are given through a drip.",
        "The transplant needs a longer hospital stay than drug treatment.",
        "Older people recover more slowly than younger people after the transplant.",
        "Recovery is slower at first, then a physiotherapy programme helps.",
    ],
)
def comparative_claims(text: ArticleText) -> Iterator[Finding]:
    for sentence in text.sentences:
        for claim in sentence.claims("comparative"):
            contrast = _a_contrast(claim)
            if contrast and not (_states_merit(sentence, claim) and _asserted_before(claim)):
                continue
            asserted = (
                nlp.flags(claim).asserted
                or _rhetorical(claim)
                or _answered_yes(text, sentence, claim)
            )
            if (not contrast and not asserted) or in_quotes(sentence, claim):
                continue
            if _fold_change(sentence, claim):
                continue
            rest = sentence.plain[claim.start_char - sentence.span.start_char :]
            if _NOT_COMPARED.search(rest) or _CONTROL.search(rest[:80]) or _PEOPLE.search(rest):
                continue
            if not about_treatment(sentence) or _beats_a_disease(claim):
                continue
            if _compares_cost(claim) or _compares_choices(claim) or _counts_against(claim):
                continue
            if _compares_handling(claim):
                continue
            cited = text.cited_references(sentence)
            designs = {ref.get("study_design") for ref in cited}
            if designs & STRONG_DESIGNS:
                break
            weaker = sorted(d or "no design given" for d in designs)
            backing = f"it cites only {', '.join(weaker)}" if cited else "it cites nothing"
            yield Finding(
                "claims.comparative_unsupported",
                Severity.ERROR,
                sentence.pointer,
                f"Comparative claim “{claim.text}” in {where(sentence)} needs a cited "
                f"randomised trial or systematic review in the same sentence; {backing}: "
                f"{quote(sentence.text)}.",
                quote=sentence.text,
            )
            break


_YES = re.compile(
    r"^\W*(?:yes|yep|absolutely|definitely|certainly|of course|without (?:a )?doubt|no contest|"
    r"not even close|hands down|by far|easily)\b",
    re.IGNORECASE,
)


def _answered_yes(text: ArticleText, sentence: Sentence, claim: Any) -> bool:
    """“Is it better than surgery? Absolutely — …”, “Steroids vs stem cells? Not even close”:
    a question the next sentence answers for the treatment asserts the comparison."""
    found = nlp.flags(claim)
    if found.negated or found.hypothetical or found.attributed or not nlp.asks(claim.doc):
        return False
    sentences = text.sentences
    at = sentences.index(sentence)
    following = sentences[at + 1] if at + 1 < len(sentences) else None
    return (
        following is not None
        and following.block == sentence.block
        and _YES.match(following.plain) is not None
    )


def _rhetorical(claim: Any) -> bool:
    """“Why settle for X when Y…?” asks nothing: its answer is the claim."""
    return claim[0].lower_ == "why" and nlp.flags(claim).negated is False


_CHANGES = frozenset(["increase", "increases", "decrease", "decreases", "rise", "rises", "drop",
                      "drops", "fall", "falls", "reduction", "reductions", "gain", "gains",
                      "improvement", "improvements", "change", "difference", "jump"])  # fmt: skip
_OTHER_SIDE = re.compile(r"\b(than|compared|comparison|versus|vs\.?|relative\s+to|against)\b")


def _fold_change(sentence: Sentence, claim: Any) -> bool:
    """“A fivefold increase in insulin-free days”: a relative change of an outcome (the
    relative-effects rule asks for its absolute numbers), not one treatment set against
    another, unless the sentence names the other side."""
    doc = claim.doc
    return (
        len(claim) == 1
        and claim[0].lower_.endswith("fold")
        and claim.end < len(doc)
        and doc[claim.end].lower_ in _CHANGES
        and not _OTHER_SIDE.search(sentence.plain.lower())
    )


def _a_contrast(claim: Any) -> bool:
    first = claim[0].lemma_.lower()
    return first in CONTRASTS or (len(claim) > 1 and claim[1].lower_ in ("contrast", "opposed"))


def _asserted_before(claim: Any) -> bool:
    """A contrast holds its claim after it ("unlike methotrexate, the cells do not harm the
    liver"): only what comes before it can deny or doubt it."""
    before = {m.category for m in claim._.modifiers if m.modifier_span[1] <= claim.start}
    return not before & {nlp.NEGATED, nlp.UNCERTAIN, nlp.HYPOTHETICAL, nlp.ATTRIBUTED}


_DISMISSIVE = frozenset(["merely", "only", "just", "simply", "barely"])
# Merits said in other words: how gently it acts, or a rival belittled as a sugar pill.
_GENTLY = frozenset(["gently", "softly", "naturally", "safely", "kindly", "placebo", "sugar",
                     "breeze", "painless", "effortless", "park"])  # fmt: skip
_HARM_VERBS = frozenset(["harm", "damage", "destroy", "hurt", "poison", "weaken", "suppress",
                         "injure", "burden", "strain"])  # fmt: skip


def _states_merit(sentence: Sentence, claim: Any) -> bool:
    """What the treatment does better, beside the contrast: a comparative ("greater relief",
    "act more quickly"), a benefit ("repair", "keeps working") or a rival belittled ("which
    only mask symptoms"). "Unlike steroids, the cells are given through a drip" states none."""
    for token in sentence.span:
        if claim.start <= token.i - sentence.span.start < claim.end:
            continue  # "while drugs only need a prescription": the contrast alone praises nothing
        if token.tag_ == nlp.COMPARATIVE or token.lower_ in _DISMISSIVE | _GENTLY:
            return True
        if (
            token.lemma_ in _HARM_VERBS
            and token.i > 0
            and token.doc[token.i - 1].lower_ in ("not", "n't", "never")
        ):
            return True  # "…, the cells do not destroy the liver"
        if token.lemma_ in BENEFITS - {"result", "effect"}:
            return True
    return False


# The other side of the comparison is a group of people (by age, sex…), not people on another
# treatment: "older people recover more slowly than younger people after the transplant".
_PEOPLE = re.compile(
    r"^[^.;:]*?\bthan\s+(?:in\s+)?(?:(?:the\s+)?(?:\w+er|older|younger|other)\s+)?"
    r"(?:people|patients|men|women|children|adults|girls|boys|ones|participants|smokers)\b"
    r"(?!\s+(?:on|taking|given|treated|receiving|who|with|having|using|in\s+the\s+\w+\s+"
    r"(?:group|arm)))",
    re.IGNORECASE,
)
# Doing something to the cells, not what they do for a patient: "easier to transport".
_HANDLING = frozenset(["store", "transport", "ship", "make", "produce", "grow", "collect",
                       "prepare", "freeze", "keep", "handle", "obtain", "find", "source",
                       "study", "measure", "manufacture", "harvest", "process", "label",
                       "track", "count", "standardise", "standardize"])  # fmt: skip


def _compares_handling(claim: Any) -> bool:
    """“Easier to transport”, “twice as likely to survive when frozen slowly”: how cells
    are handled, compared with another way of handling them, not with a rival treatment."""
    tokens = list(claim)
    if len(tokens) > 2 and tokens[1].lower_ == "to" and tokens[2].lemma_ in _HANDLING:
        return True
    after = list(claim.doc[claim.end : claim.end + 8])
    return any(
        t.lower_ in ("when", "if", "once") and n.lemma_ in _HANDLING and n.lower_ != n.lemma_
        for t, n in itertools.pairwise(after)
    )


_COST = frozenset(["price", "prices", "cost", "costs", "costly", "expensive", "cheap", "cheaper",
                   "pricier", "affordable", "dearer", "fee", "fees"])  # fmt: skip
_MERIT = frozenset(["effective", "safe", "safer", "better", "good", "well", "potent",
                    "gentle", "gentler", "powerful", "quicker", "faster", "lasting",
                    "successful"])  # fmt: skip


def _compares_cost(claim: Any) -> bool:
    """“Drug prices are higher here than elsewhere”: money, not what a treatment does."""
    words = {t.lower_ for t in claim.doc}
    in_claim = {t.lower_ for t in claim}
    return bool(words & _COST) and not in_claim & _MERIT


def _compares_choices(claim: Any) -> bool:
    """“It is safer to wait for results than to pay for an unproven treatment”: two things
    a reader may do, weighed as advice, not one treatment said to beat another."""
    tokens = [t.lower_ for t in claim]
    after = [t.lower_ for t in claim.doc[claim.end : claim.end + 1]]
    return len(tokens) > 2 and tokens[1] == "to" and after == ["to"]


_BURDEN = frozenset(["intensive", "invasive", "demanding", "aggressive", "toxic", "risky",
                     "dangerous", "painful", "gruelling", "grueling", "disruptive", "tiring",
                     "complicated", "complex"])  # fmt: skip


_EVIDENCED = frozenset(["studied", "tested", "researched", "understood", "known", "proven",
                        "established", "evidence", "trials", "studies", "data"])  # fmt: skip
_BURDENS = frozenset(["stay", "stays", "wait", "waits", "recovery", "downtime", "risk", "risks",
                      "side", "complications", "toxicity", "infections", "harm", "harms",
                      "burden", "admission", "admissions", "isolation", "course"])  # fmt: skip


def _counts_against(claim: Any) -> bool:
    """“It is more intensive than drug treatment”, “riskier than the drugs”, “needs a longer
    hospital stay than drugs”: a drawback of the treatment stated, which sells nothing
    (“less invasive than surgery”, “a shorter stay” still need a trial)."""
    first = claim[0].lower_
    second = claim[1].lower_ if len(claim) > 1 else ""
    if first in ("more", "longer", "higher", "greater", "bigger", "heavier") and any(
        t.lower_ in _BURDENS for t in claim[1:4]
    ):
        return True
    if first in ("less", "fewer") and any(t.lower_ in _EVIDENCED for t in claim[1:4]):
        return True  # "less well studied than the drugs": a weakness of its evidence
    return (first == "more" and second in _BURDEN) or first in (
        "riskier",
        "harder",
        "tougher",
        "worse",
    )


def _beats_a_disease(claim: Any) -> bool:
    """“beats Crohn's disease” defeats an illness (an absolute claim), it compares nothing."""
    after = claim.doc[claim.end : claim.end + 4]
    return claim[0].lemma_ in ("beat", "top") and any(t.lemma_ in DISEASES for t in after)


# --- Relative effects without absolute numbers -----------------------------------------

# ("odd" is the lemma the tables give "odds".)
_EFFECTS = ["flare", "infection", "symptom", "admission", "lesion", "hospitalisation",
            "risk", "rate", "chance", "odds", "likelihood", "relapse", "relapses", "mortality",
            "death", "deaths", "survival", "incidence", "symptoms", "flares", "progression",
            "hospitalisation", "hospitalization", "infections", "disability", "stay", "stays",
            "visit", "visits", "score", "scores", "activity", "pain", "fatigue", "lesions",
            "complication", "complications", "event", "events", "damage",
            "exacerbation", "recurrence", "attack", "episode", "frequency", "severity",
            "hazard", "readmission", "odd"]  # fmt: skip
# Verbs by which an effect changes, and words that hedge the size of the change.
_CHANGE = (
    "reduce",
    "lower",
    "cut",
    "increase",
    "raise",
    "improve",
    "decrease",
    "fall",
    "drop",
    "decline",
    "rise",
    "grow",
    "slash",
    "shrink",
    "slow",
    "speed",
    "boost",
    "extend",
    "shorten",
    "lengthen",
    "worsen",
    "climb",
    "jump",
    "diminish",
    "trim",
    "ease",
    "plummet",
    "plunge",
    "sink",
    "soar",
    "surge",
    "tumble",
    "dip",
    "lessen",
    "curb",
    "go",
)
# Shares of a whole: "a third", "two-fifths", "three quarters".
_FRACTIONS = ("half", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth",
              "tenths")  # fmt: skip
_HOW_MANY = {"OP": "?", "LOWER": {"IN": ["a", "one", "two", "three", "four", "nine"]}}
_HYPHEN = {"OP": "?", "ORTH": "-"}
_PERCENT = {"LOWER": {"IN": ["%", "percent", "per"]}}
_ABOUT = {
    "OP": "{0,3}",
    "LOWER": {
        "IN": [
            "about",
            "around",
            "almost",
            "nearly",
            "roughly",
            "approximately",
            "over",
            "more",
            "less",
            "than",
            "up",
            "to",
            "some",
            "just",
            "at",
            "least",
            "as",
            "much",
            "well",
            "under",
            "close",
        ]
    },
}
# "twice as common", "three times as likely": how often, not how long or how large.
_AS_OFTEN = (
    "likely",
    "many",
    "often",
    "much",
    "common",
    "frequent",
    "high",
    "low",
    "rare",
    "great",
    "severe",
    "deadly",
    "effective",
)
# "nearly", "more than", "about": how far, without "to" or "up" ("up to 60% of patients" is
# a share, "down to 60%" a level).
_ROUGHLY = {"OP": "{0,3}", "LOWER": {"IN": [w for w in _ABOUT["LOWER"]["IN"]
                                             if w not in ("to", "up")]}}  # fmt: skip
# A multiple written with its sign: "3x", "2.5×".
_TIMES_SIGN = {"LOWER": {"REGEX": r"^\d+(?:\.\d+)?[x×]$"}}
_CHANGE_NOUNS = ("reduction", "decrease", "increase", "drop", "fall", "rise", "improvement",
                 "decline", "cut", "gain", "jump")  # fmt: skip
nlp.add_patterns(
    "relative",
    [
        # the change said in shorthand: "relapse risk down 60%", "admissions up nearly 40 per cent"
        [_in("down", "up"), _ROUGHLY, {"LIKE_NUM": True}, _PERCENT],
        # a multiple with its sign: "3x less likely", "2.5× shorter", "a 4x higher risk"
        [_TIMES_SIGN, {"TAG": nlp.COMPARATIVE}],
        [_TIMES_SIGN, _in("as"), _in(*_AS_OFTEN)],
        [_TIMES_SIGN, _in("the"), {"OP": "?", "IS_PUNCT": False}, _lemma(*_EFFECTS)],
        # a change "in N times" or "in N%", as Russian and Spanish put it: "decreased in 2 times",
        # "diminishes in 50% the risk", "higher in 3 times"
        [_lemma(*_CHANGE), _in("in"), _ROUGHLY, {"LIKE_NUM": True}, _in("times")],
        [{"TAG": nlp.COMPARATIVE}, {"OP": "?", "TAG": nlp.ADJECTIVE}, _in("in"), _ROUGHLY,
         {"LIKE_NUM": True}, _in("times")],
        [_lemma(*_CHANGE), _in("in"), {"OP": "?", "LOWER": {"IN": ["a", "an", "one"]}}, _ROUGHLY,
         {"LIKE_NUM": True}, _PERCENT],
        # the change named, then its size: "reduction in annual relapse rate: 58%", "the drop in
        # admissions was 35 per cent"
        [_lemma(*_CHANGE_NOUNS), _in("in", "of"), {"OP": "{1,5}", "IS_PUNCT": False},
         {"ORTH": {"IN": [":", "–", "—", "-", "="]}}, _ROUGHLY, {"LIKE_NUM": True}, _PERCENT],
        [_lemma(*_CHANGE_NOUNS), _in("in", "of"), {"OP": "{1,5}", "IS_PUNCT": False},
         _lemma("be"), _ROUGHLY, {"LIKE_NUM": True}, _PERCENT],
        # a multiple or a share after how far: "more than doubled", "roughly halved"
        [_lemma(*_EFFECTS), nlp.gap(3), _ROUGHLY, _lemma("halve", "double", "triple", "quadruple")],
        [_lemma(*_CHANGE), nlp.gap(6), _in("to"), _ROUGHLY, _HOW_MANY, _HYPHEN, _in(*_FRACTIONS)],
        [_lemma("halve", "double", "triple", "quadruple", "cut", "slash"),
         nlp.gap(3), _lemma(*_EFFECTS)],
        [_in("halves", "halved", "halving", "doubles", "doubled", "doubling", "triples",
             "tripled", "quadruples", "quadrupled"), nlp.gap(3), _lemma(*_EFFECTS)],
        [_lemma(*_EFFECTS), nlp.gap(3),
         _lemma("halve", "double", "triple", "quadruple")],
        [_lemma(*_EFFECTS), nlp.gap(3),
         _in("halves", "halved", "doubles", "doubled", "triples", "tripled")],
        [{"LIKE_NUM": True}, {"ORTH": {"IN": ["%", "percent"]}, "OP": "?"},
         _in("per", "cent", "percent", "%"), {"OP": "?", "LOWER": "cent"},
         _in("lower", "higher", "less", "more", "fewer", "greater", "reduction", "decrease",
             "increase", "drop", "fall", "rise", "improvement", "reduced", "increased", "better",
             "cut", "lower-risk", "below", "above")],
        # "35% rarer", "20 per cent faster": any comparative
        [{"LIKE_NUM": True}, {"ORTH": {"IN": ["%", "percent"]}}, {"TAG": nlp.COMPARATIVE}],
        [{"LIKE_NUM": True}, _in("per"), _in("cent"), {"TAG": nlp.COMPARATIVE}],
        [{"LIKE_NUM": True}, {"ORTH": "%"},
         _in("lower", "higher", "less", "more", "fewer", "greater", "reduction", "decrease",
             "increase", "drop", "fall", "rise", "improvement", "reduced", "increased", "better",
             "cut", "below", "above")],
        # the effect named first, whatever the verb: "fatigue eased by 30%", "lesion counts sank
        # by three quarters", "hospital admissions by 40 per cent"
        [_lemma(*_EFFECTS), nlp.gap(6), _in("by"), _ABOUT, {"LIKE_NUM": True}, _PERCENT],
        [_lemma(*_EFFECTS), nlp.gap(6), _in("by"), _ABOUT, _HOW_MANY, _HYPHEN, _in(*_FRACTIONS)],
        # "cut to a fifth", "shrank to a quarter of its former level", "down by two-fifths"
        [_lemma(*_CHANGE), nlp.gap(6), _in("to"), _HOW_MANY, _HYPHEN, _in(*_FRACTIONS)],
        [_in("down", "up"), _in("by"), _ABOUT, _HOW_MANY, _HYPHEN, _in(*_FRACTIONS)],
        [_in("down", "up"), _in("by"), _ABOUT, {"LIKE_NUM": True}, _PERCENT],
        # "one-third as frequent", "a third fewer flares", "a third of the relapses (seen on
        # placebo)"
        [_in("a", "one", "two", "three"), _HYPHEN, _in(*_FRACTIONS), _in("as"), _in(*_AS_OFTEN)],
        [_in("a", "one", "two", "three"), _HYPHEN, _in(*_FRACTIONS), {"TAG": nlp.COMPARATIVE}],
        [_in("a", "one", "two", "three"), _HYPHEN, _in(*_FRACTIONS), _in("of"),
         _in("the", "their"), {"OP": "?", "IS_PUNCT": False}, _lemma(*_EFFECTS)],
        # "1.8 times that of the control group", "three times the risk"
        [{"LIKE_NUM": True}, _in("times"), _in("that", "those")],
        [{"LIKE_NUM": True}, _in("times"), _in("the"), {"OP": "?", "IS_PUNCT": False},
         _lemma(*_EFFECTS)],
        [{"LIKE_NUM": True}, {"ORTH": "-", "OP": "?"}, _in("fold")],
        [_lemma(*_CHANGE), nlp.gap(6), _in("by"), _ABOUT, {"LIKE_NUM": True},
         {"LOWER": {"IN": ["%", "percent", "per"]}}],
        [_lemma(*_CHANGE), nlp.gap(6), _in("by"), _ABOUT,
         _in("half", "a", "two-thirds", "third", "quarter", "two", "three", "one")],
        # "dropped 75 per cent", "fell 40%": the change without its "by"
        [_lemma(*_CHANGE), _ABOUT, {"LIKE_NUM": True},
         {"LOWER": {"IN": ["%", "percent", "per"]}}],
        # "half the risk", "twice the rate of infection", "a third of the relapses"
        [_in("half", "twice", "double", "triple", "thrice", "quadruple"), _in("the", "their"),
         {"OP": "?", "IS_PUNCT": False}, _lemma(*_EFFECTS)],
        [_in("relative"), _in("reduction", "increase", "decrease", "improvement", "change",
                              "drop", "fall", "rise", "decline", "difference", "gain", "benefit",
                              "reductions")],
        # "cut in half", "flares were halved"
        [_lemma(*_EFFECTS), nlp.gap(3), _lemma("cut", "reduce", "fall", "drop", "slash"),
         _in("in"), _in("half")],
        [_lemma("cut", "reduce", "slash"), nlp.gap(3), _lemma(*_EFFECTS), nlp.gap(2), _in("in"),
         _in("half")],
        [{"LIKE_NUM": True}, _in("times"), _in("more", "less", "as", "higher", "lower")],
        [_in("twice", "half", "thrice"), _in("as"), _in(*_AS_OFTEN)],
        [{"LIKE_NUM": True}, _in("times"), _in("as"), _in(*_AS_OFTEN)],
        [{"LOWER": {"REGEX": r"^(\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|"
                              r"fifty|hundred)-?fold$"}}],
        [_in("relative"), _in("risk")],
        [_in("hazard", "odds", "risk", "rate"), _in("ratio", "ratios")],
        [_in("risk"), _in("reduction"), {"OP": "?", "LOWER": "of"}, {"LIKE_NUM": True}],
    ],
)  # fmt: skip
_EFFECT_WORDS = frozenset(_EFFECTS) | {"treated", "group", "placebo", "arm", "control",
                                        "controls", "participants", "volunteers"}  # fmt: skip


_SAID = frozenset(["say", "says", "said"])


def _reported_after(claim: Any) -> bool:
    """“…by a third, researchers said”: a result reported, which still needs its absolute
    numbers; only a report after the figure, and nothing else that holds it back."""
    found = nlp.flags(claim)
    if found.negated or found.uncertain or found.hypothetical:
        return False
    return all(
        m.category != nlp.ATTRIBUTED
        or (m.rule.literal in _SAID and m.modifier_span[0] >= claim.end)
        for m in claim._.modifiers
    )


def _an_effect(sentence: Sentence, claim: Any) -> bool:
    """A relative change of an outcome, in treated people: not “twice as many women as men
    have lupus” (who gets a disease) nor “reduce your dose by half” (an instruction)."""
    words = _lemmas(sentence)
    if not (words & _EFFECT_WORDS or about_treatment(sentence)):
        return False
    in_claim = {t.lemma_ for t in claim} | {t.lower_ for t in claim}
    if words & {"dose", "doses", "dosage"} and not words & set(_EFFECTS):
        return False  # "the dose was increased by 50%": what was given, not what it did
    if words & _GROWN and not words & set(_EFFECTS):
        return False  # "the cells expanded 50 fold in the lab": how cells grow, not an outcome
    return not (in_claim & MEDICATIONS and not in_claim & _EFFECT_WORDS)


_GROWN = frozenset(["expand", "multiply", "proliferate", "culture", "lab", "laboratory", "dish",
                    "vitro", "flask", "passage"])  # fmt: skip
_AGAINST = frozenset(["placebo", "control", "controls", "than", "compared", "untreated",
                      "spare", "spared", "prevent", "prevented", "avoid", "avoided", "versus",
                      "vs"])  # fmt: skip


def _a_share(claim: Any) -> bool:
    """“a third of the relapses” is a relative effect only against a comparison (“…seen on
    placebo”, “spared”); alone it says how the relapses were split."""
    return any(t.lower_ == "of" for t in claim) and claim[0].lower_ in ("a", "one", "two", "three")


ABSOLUTE_FIGURE = re.compile(
    r"\b\d[\d,.]*\s*(?:of|out\s+of|in)\s+(?:every\s+)?\d[\d,]*\b"  # 3 of 40, 6 in 100
    r"|\bfrom\s+(?:about\s+)?\d[\d.,]*\s*%?\s*(?:to|→)\s*\d"  # from 30% to 15%
    r"|\b\d[\d.,]*\s*%\s*(?:vs\.?|versus|compared\s+with|against|and)\s*\d[\d.,]*\s*%"
    r"|\bper\s+(?:100|1,?000|10,?000|100,?000)\b"
    r"|\babsolute\b",
    re.IGNORECASE,
)


@rule(
    "relative-numbers",
    title="Relative effects come with absolute numbers",
    why="Absolute numbers beat relative ones: “halves the risk” may mean 2 in 100 to 1 in 100 "
    "(Informed Health Choices; Cochrane plain-language summaries).",
    codes=[
        Code(
            "claims.relative_only",
            "warning",
            "A relative effect (halves, doubles, an 80 % lower risk, N times, 3x, down 60 %, "
            "“decreased in 2 times”…) with no absolute figure in the same paragraph.",
        )
    ],
    flags=[
        "The transplant halves the relapse rate [@scot2018].",
        "People treated had an 80 % lower risk of progression [@scot2018].",
        "The number of new lesions dropped 75 per cent [@case1].",
        "Treated people had half the risk of disability worsening [@scot2018].",
        "Treated people had a third fewer flares [@scot2018].",
        "Mortality was 1.8 times that of the control group [@scot2018].",
        "Relapse risk down 60% after one infusion [@scot2018].",
        "Treated patients were 3x less likely to relapse [@scot2018].",
    ],
    passes=[
        "Relapses fell from 30% to 15% (an absolute drop of 15 in 100) [@scot2018].",
        "3 of 40 people died, about half the rate seen before [@wang2014].",
        "A third of the infections happened in the first month [@scot2018].",
        "Up to 60% of patients have a fever after the harvest [@scot2018].",
        "The cells expanded 50 fold in the lab [@x].",
    ],
)
def relative_numbers(text: ArticleText) -> Iterator[Finding]:
    reported: set[int] = set()
    for sentence in text.sentences:
        if sentence.block in reported:
            continue
        for claim in sentence.claims("relative"):
            if not (nlp.flags(claim).asserted or _reported_after(claim)):
                continue
            if not _an_effect(sentence, claim):
                continue
            if _a_share(claim) and not _lemmas(sentence) & _AGAINST:
                continue
            block_text = text.blocks[sentence.block][2]
            if ABSOLUTE_FIGURE.search(block_text):
                break
            reported.add(sentence.block)
            yield Finding(
                "claims.relative_only",
                Severity.WARNING,
                sentence.pointer,
                f"Relative effect “{claim.text}” without absolute numbers in {where(sentence)}: "
                f"say how many in 100 (or 1,000) before and after: {quote(sentence.text)}.",
                quote=sentence.text,
            )
            break
