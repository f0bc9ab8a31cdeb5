"""Regulatory claims: approval, clearance, registration or listing, presented as endorsement.

Clinics often say a treatment is “FDA-approved”, “registered with the FDA” or
“listed on ClinicalTrials.gov”; the FDA warns these claims misrepresent
compliance. A claim of approval stands only when the same sentence cites a
regulator's own document; negated and reported uses (“it is not approved”,
“clinics claim FDA approval”) are what trustworthy articles say.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cms.checks import nlp
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity, quote
from cms.checks.lexicon import REGULATORS, TREATMENTS
from cms.checks.rules.claims import where
from cms.checks.text import ArticleText

_APPROVE = ["approve", "approved", "approval", "clear", "cleared", "clearance", "register",
            "registered", "registration", "list", "listed", "license", "licensed", "licence",
            "licenced", "certify", "certified", "authorise", "authorised", "authorize",
            "authorized", "authorisation", "authorization", "endorse", "endorsed", "sanction",
            "sanctioned", "recognise", "recognised", "recognize", "recognized", "accredit",
            "accredited", "ratify", "ratified", "validate", "validated", "permit", "permitted",
            "vet", "vetted"]  # fmt: skip
_REGULATOR = sorted(REGULATORS | {"food", "european", "medicines", "health"})
_AUTHORITY_WORDS = sorted(REGULATORS | {"ministry", "authority", "agency", "administration",
                                        "canada", "regulators", "authorities", "regulator",
                                        "government", "union", "commission", "organization",
                                        "organisation", "ministries"})  # fmt: skip
_ASSENT = ["green", "go-ahead", "nod", "blessing", "seal", "approval", "licence", "license",
           "backing", "clearance", "authorisation", "authorization", "permission",
           "certificate", "certification", "thumbs", "all-clear", "ok", "okay", "stamp",
           "tick"]  # fmt: skip
# An approval taken back or refused is no claim: "the licence was withdrawn by the ministry".
_UNDONE = ["withdrawn", "revoked", "suspended", "refused", "rejected", "cancelled", "canceled",
           "denied", "removed", "annulled", "lost", "withheld"]  # fmt: skip
_UNDOING = frozenset(["withdraw", "revoke", "suspend", "refuse", "reject", "cancel", "deny",
                      "annul", "withhold"])  # fmt: skip
_APPROVED = ["approved", "licensed", "licenced", "authorised", "authorized", "cleared",
             "certified", "sanctioned"]  # fmt: skip
# Who grants an approval, by the head of its name: "the Ministry of Health", "health
# authorities", "the Korean regulator".
_AUTHORITIES = sorted(REGULATORS | {"ministry", "authority", "agency", "regulator",
                                    "administration", "department", "government",
                                    "organization", "organisation", "union",
                                    "commission"})  # fmt: skip
_FULL_NAMES = [
    [{"LOWER": "food"}, {"LOWER": "and"}, {"LOWER": "drug"}, {"LOWER": "administration"}],
    [{"LOWER": "european"}, {"LOWER": "medicines"}, {"LOWER": "agency"}],
    [{"LOWER": "health"}, {"LOWER": "canada"}],
]
nlp.add_patterns(
    "regulatory",
    [
        [{"LOWER": {"IN": sorted(REGULATORS)}}, {"ORTH": "-", "OP": "?"},
         {"LOWER": {"IN": _APPROVE}}],
        [{"LOWER": {"IN": sorted(REGULATORS | {"canada", "agency", "administration"})}},
         nlp.gap(3), {"LOWER": {"IN": _APPROVE}}],
        [{"LOWER": {"IN": _APPROVE}}, {"LOWER": {"IN": ["by", "with", "at"]}},
         {"LOWER": "the", "OP": "?"}, {"LOWER": {"IN": sorted(REGULATORS)}}],
        # "certified by the Ministry of Health", "approved by the Korean regulator"
        [{"LOWER": {"IN": _APPROVE}}, {"LOWER": {"IN": ["by", "with", "from"]}},
         {"LOWER": {"IN": ["the", "its", "their", "national", "local", "state"]}, "OP": "?"},
         {"OP": "{0,2}", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["ethics", "review", "hospital",
                                                                "university", "research"]}},
         {"LEMMA": {"IN": _AUTHORITIES}}],
        # "the approval of Mexican health authorities", "a licence from the ministry", "the
        # permission of the Ministry of Health"
        [{"LOWER": {"IN": ["approval", "clearance", "licence", "license", "authorisation",
                           "authorization", "certification", "endorsement", "accreditation",
                           "sanction", "blessing", "backing", "permission", "permit",
                           "registration", "consent"]}},
         {"LOWER": {"IN": ["of", "from", "by"]}}, {"LOWER": "the", "OP": "?"},
         {"OP": "{0,2}", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["ethics", "review", "hospital",
                                                                "university", "research"]}},
         {"LEMMA": {"IN": _AUTHORITIES}}],
        # "approved in 2019 by the Ministry", "authorised last year by Health Canada"
        [{"LOWER": {"IN": _APPROVE}},
         {"OP": "{1,3}", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["by", *nlp.NEGATIONS, *_UNDONE]}},
         {"LOWER": "by"}, {"LOWER": {"IN": ["the", "its", "their", "national", "local", "state"]},
                           "OP": "?"},
         {"OP": "{0,2}", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["ethics", "review", "hospital",
                                                                "university", "research"]}},
         {"LEMMA": {"IN": [*_AUTHORITIES, "canada"]}}],
        # "holds the registration of the URPL as a medicine": an authority's status, whoever
        # grants it, held up as making the product a treatment
        [{"LOWER": {"IN": ["registration", "approval", "licence", "license", "authorisation",
                           "authorization", "certification", "permission"]}},
         {"OP": "{0,4}", "IS_PUNCT": False, "LOWER": {"NOT_IN": [*nlp.NEGATIONS, *_UNDONE, "as"]}},
         {"LOWER": "as"}, {"LOWER": {"IN": ["a", "an"]}, "OP": "?"},
         {"OP": "{0,2}", "IS_PUNCT": False},
         {"LEMMA": {"IN": sorted(TREATMENTS - {"cell", "stem", "cure"})}}],
        # "officially recognised as a medical treatment"
        [{"LOWER": {"IN": ["recognised", "recognized", "accepted", "listed", "registered"]}},
         {"LOWER": "as"}, {"LOWER": {"IN": ["a", "an"]}, "OP": "?"},
         {"OP": "{0,2}", "IS_PUNCT": False},
         {"LEMMA": {"IN": sorted(TREATMENTS - {"cell", "stem", "cure"})}}],
        # "official approval", "regulatory clearance", "government licence"
        [{"LOWER": {"IN": ["official", "government", "state", "regulatory", "ministry",
                           "federal", "national"]}},
         {"LOWER": {"IN": ["approval", "clearance", "licence", "license", "authorisation",
                           "authorization", "certification", "registration", "endorsement",
                           "recognition", "sanction", "accreditation", "permit", "permission",
                           "seal", "stamp", "consent", "validation", "permissions", "permits",
                           "licences", "licenses", "approvals", "authorisations",
                           "authorizations", "certifications", "clearances"]}}],
        # "meets all FDA requirements", "complies with EMA standards"
        [{"LEMMA": {"IN": ["meet", "satisfy", "fulfil", "fulfill", "comply", "pass"]}},
         {"OP": "{0,2}", "LOWER": {"IN": ["all", "the", "with", "every", "strict", "its"]}},
         {"LOWER": {"IN": sorted(REGULATORS | {"regulatory", "government", "federal"})}},
         {"LEMMA": {"IN": ["requirement", "standard", "rule", "regulation", "guideline",
                           "criterion", "test", "criteria"]}}],
        # "a licence issued by the Ministry", "a permit granted by the regulator"
        [{"LOWER": {"IN": ["licence", "license", "permit", "approval", "authorisation",
                           "authorization", "certificate", "registration"]}},
         {"LOWER": {"IN": ["issued", "granted", "given", "awarded"]}}, {"LOWER": "by"},
         {"LOWER": "the", "OP": "?"}, {"OP": "{0,2}", "IS_PUNCT": False},
         {"LEMMA": {"IN": _AUTHORITIES}}],
        # "FDA-reviewed", "EMA-tested": an assent by its hyphen
        [{"LOWER": {"IN": sorted(REGULATORS)}}, {"ORTH": "-"},
         {"LOWER": {"IN": ["reviewed", "checked", "tested", "evaluated", "assessed", "backed",
                           "endorsed", "regulated", "recognised", "recognized"]}}],
        *[[{"LOWER": {"IN": _APPROVE}}, {"LOWER": {"IN": ["by", "with"]}},
           {"LOWER": "the", "OP": "?"}, *name] for name in _FULL_NAMES],
        [{"LOWER": {"IN": ["government", "state"]}}, {"ORTH": "-", "OP": "?"},
         {"LOWER": {"IN": ["approved", "licensed", "certified", "sanctioned"]}}],
        # "an approved therapy", "a fully licensed stem cell treatment"
        [{"LOWER": {"IN": _APPROVED}},
         {"OP": "{0,3}", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["by", "in", "for", "and", "or"]}},
         {"LEMMA": {"IN": sorted(TREATMENTS - {"cell", "stem", "cure"})}}],
        # A regulator's assent in other words: "the TGA has given the green light to…",
        # "FDA compliant", "has the FDA's blessing"
        [{"LOWER": {"IN": _AUTHORITY_WORDS}}, nlp.gap(6),
         {"LEMMA": {"IN": ["give", "grant", "award", "issue", "hand"]}}, nlp.gap(4),
         {"LOWER": {"IN": _ASSENT}}],
        [{"LOWER": {"IN": _AUTHORITY_WORDS}}, nlp.gap(6),
         {"LEMMA": {"IN": ["give", "grant", "award", "issue", "hand"]}}, nlp.gap(3),
         {"LOWER": "all"}, {"ORTH": "-", "OP": "?"}, {"LOWER": "clear"}],
        # the same assent in the passive: "has been given the nod by the FDA", "was granted a
        # licence by the Ministry of Health"
        [{"LEMMA": {"IN": ["give", "grant", "award", "issue", "hand"]}}, nlp.gap(3),
         {"LOWER": {"IN": _ASSENT}}, nlp.gap(3), {"LOWER": {"IN": ["by", "from"]}},
         {"OP": "{0,3}", "IS_PUNCT": False}, {"LOWER": {"IN": _AUTHORITY_WORDS}}],
        # "the FDA has signed off on…", "passed FDA review", "marketing authorisation"
        [{"LOWER": {"IN": _AUTHORITY_WORDS}}, nlp.gap(4), {"LEMMA": {"IN": ["sign", "rubber"]}},
         {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": ["off", "stamp", "stamped"]}}],
        [{"LEMMA": "pass"}, {"LOWER": {"IN": ["the", "an", "a", "its", "all"]}, "OP": "?"},
         {"LOWER": {"IN": sorted(REGULATORS | {"regulatory", "government", "official",
                                               "ministry", "federal", "state"})}},
         {"OP": "?", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["ethics"]}},
         {"LEMMA": {"IN": ["review", "inspection", "assessment", "evaluation", "scrutiny",
                           "check", "audit", "approval", "test"]}}],
        [{"LOWER": "marketing"}, {"LOWER": {"IN": ["authorisation", "authorization",
                                                  "approval", "licence", "license"]}}],
        # "federally permitted", "officially validated"
        [{"LOWER": {"IN": ["federally", "officially", "legally", "nationally", "formally"]}},
         {"LOWER": {"IN": [*_APPROVED, "permitted", "validated", "vetted", "ratified",
                           "registered", "listed"]}}],
        [{"LOWER": {"IN": _AUTHORITY_WORDS}}, {"ORTH": {"IN": ["-", "'s", "’s"]}, "OP": "?"},
         {"LOWER": {"IN": ["compliant", "compliance", "backed", "backing", "blessing",
                           "sanctioned", "endorsed", "validated", "vetted", "inspected",
                           "green-lit", "greenlit", "nod", "seal"]}}],
        [{"LOWER": {"IN": ["green", "official", "regulatory", "government"]}},
         {"ORTH": "-", "OP": "?"},
         {"LOWER": {"IN": ["light", "backing", "blessing", "nod", "seal", "endorsement",
                           "go-ahead"]}}],
        # "is approved for", "is fully legal and approved in Panama"
        [{"LEMMA": "be"}, {"OP": "{0,3}", "IS_PUNCT": False, "LOWER": {"NOT_IN": [
            *nlp.NEGATIONS, "by", "if", "whether", "only", "being"]}},
         {"LOWER": {"IN": _APPROVED}}, {"LOWER": {"IN": ["for", "to", "in"]}}],
    ],
)  # fmt: skip
# A listing in a trial registry is a fact; it is a regulatory claim only when the sentence
# presents it as approval, safety or legitimacy ("…, so it is legitimate").
nlp.add_patterns(
    "registry",
    [
        [{"LOWER": {"IN": ["listed", "registered", "appears", "included"]}},
         {"LOWER": {"IN": ["on", "with", "at", "in"]}}, {"LOWER": "the", "OP": "?"},
         {"OP": "{0,4}", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["a", "an", "any", "one"]}},
         {"LOWER": {"REGEX": r"^(clinicaltrials(\.gov)?|isrctn|registry|register)$"}}],
        # "the official US government database", "a national register"
        [{"LOWER": {"IN": ["official", "government", "federal", "national", "state"]}},
         {"OP": "{0,2}", "IS_PUNCT": False},
         {"LOWER": {"IN": ["database", "registry", "register", "list", "listing"]}}],
        # a registry's number held up as a credential: "our study has an NCT number"
        [{"LOWER": {"REGEX": r"^(nct|isrctn|eudract)\d*$"}},
         {"LOWER": {"IN": ["number", "id", "identifier", "registration", "listing"]}}],
        [{"LOWER": {"REGEX": r"^clinicaltrials\.gov$"}}, nlp.gap(3),
         {"LOWER": {"IN": ["listing", "listed", "registered", "registration"]}}],
        [{"LOWER": {"IN": ["registered", "listed"]}},
         {"OP": "?", "LOWER": {"IN": ["clinical", "research"]}},
         {"LEMMA": {"IN": ["trial", "study"]}}],
    ],
)  # fmt: skip
ENDORSED = frozenset(
    ["legitimate", "legit", "approved", "approval", "endorsed", "endorsement", "safe", "safety",
     "proven", "official", "officially", "recognised", "recognized", "validated", "sanctioned",
     "confirms", "confirm", "shows", "show", "proves", "prove", "means", "guarantee",
     "guarantees", "trust", "trusted", "legal", "certified", "credible", "vetted", "assured",
     "so", "therefore", "thus", "hence", "backing", "backed", "because", "blessing"]
)  # fmt: skip
NOT_REGULATORY = re.compile(
    r"\b(ethics\s+committee|institutional\s+review\s+board|irb|research\s+ethics|"
    r"approved\s+by\s+(?:an?|the)\s+(?:ethics|review|local|hospital|university)|"
    r"(?:trial|study)\s+to\s+(?:go\s+ahead|proceed|start|begin|continue)|"
    r"health\s+research\s+authority)\b",
    re.IGNORECASE,
)
_REGULATOR_SITES = re.compile(
    r"(^|\.)(fda\.gov|ema\.europa\.eu|europa\.eu|gov\.uk|mhra\.gov\.uk|tga\.gov\.au|canada\.ca|"
    r"hc-sc\.gc\.ca|pmda\.go\.jp|nmpa\.gov\.cn|swissmedic\.ch|who\.int)$",
    re.IGNORECASE,
)
_REGULATOR_NAMES = re.compile(
    r"food and drug administration|\bfda\b|european medicines agency|\bema\b|"
    r"medicines and healthcare products regulatory agency|\bmhra\b|"
    r"therapeutic goods administration|health canada|pharmaceuticals and medical devices agency|"
    r"swissmedic|world health organization",
    re.IGNORECASE,
)


_NONE = frozenset(["no", "none", "nothing", "neither", "nobody"])
# An approval stated with its limits, which is the real status a reader needs: "approved for
# some blood disorders, but not for MS", "authorised only for children with GVHD".
# Said of someone else's product: the seller's own ("our cells are approved in Mexico, not
# in the US") still claims.
_BOUNDED = re.compile(
    r"^(?:[^.;]*?\bnot\s+(?:for|in)\s|\s*(?:\w+\s+){0,3}?only\s+(?:for|in)\s|[^.;]*?\b(?:trials?|"
    r"studies)\s+only\b|\s*(?:for\s+use\s+)?(?:only\s+)?(?:with)?in\s+(?:clinical\s+)?(?:trials|studies)\b|"
    # "…licenses hospitals, not individual treatments": the treatment itself denied
    r"[^.;]*?\bnot\s+(?:\w+\s+){0,2}?(?:treatments?|therapies|products?|procedures?|cells?|"
    r"injections?|medicines?)\b)",
    re.IGNORECASE,
)
_SELLER_WORDS = frozenset(["we", "our", "us", "we're", "we've", "ours"])
# "…, but that does not mean its treatments have been tested": the status undercut at once.
_UNDERCUT = re.compile(
    r"\b(?:(?:does|do|did)\s+not|doesn't|don't|didn't)\s+(?:\w+\s+)?(?:mean|prove|show|guarantee|"
    r"tell\s+you)\b|\bis\s+(?:not|no)\s+(?:the\s+same\s+as|guarantee|proof)\b|\bsays\s+nothing\b",
    re.IGNORECASE,
)
# A licensed medicine named by its international name ("ocrelizumab", "tofacitinib"): an
# established drug's status, not a clinic's claim for its cells.
_INN = re.compile(r"^[a-z]{4,}(?:mab|nib|cept|limus|stat|tide|parin|xaban|imod|fumarate)$")
_CELL_WORDS = frozenset(["cell", "cells", "stem", "exosome", "exosomes", "serum", "injections",
                         "our", "we", "clinic", "clinic's", "product", "products"])  # fmt: skip
# A licence for what a facility does with cells, not for a treatment.
_FACILITY_LICENCE = re.compile(
    r"^\s*(?:[\w-]+\s+){0,6}?(?:to\s+(?:store|collect|process|bank|keep|handle)|for\s+(?:storage|"
    r"storing|processing|banking|collection))\b",
    re.IGNORECASE,
)
_DEFINES = frozenset(["means", "requires", "involves", "takes", "is", "does", "depends"])


def _states_the_real_status(claim: Any) -> bool:
    """An approval stated with its limits, undercut, defined, asked about, or of an
    established drug: what a reader needs to know, not a clinic's credential."""
    sentence = claim.sent
    after = claim.doc[claim.end : sentence.end].text
    seller = any(t.lower_ in _SELLER_WORDS for t in sentence)
    if not seller and (_BOUNDED.match(after) or _UNDERCUT.search(after)):
        return True
    if _FACILITY_LICENCE.match(after) and any(t.lower_.startswith("licen") for t in claim):
        return True  # "a licence from the Human Tissue Authority to store cells": a facility's
    before = [t.lower_ for t in claim.doc[max(claim.start - 3, sentence.start) : claim.start]]
    if any(w in ("which", "whether", "what") for w in before):
        return True  # "ask the clinic which regulator has approved the product": a question
    if (
        claim.start == sentence.start
        and claim.end < sentence.end
        and claim.doc[claim.end].lower_ in _DEFINES
    ):
        return True  # "Approval by a regulator means…": what approval is
    words = {t.lower_ for t in sentence}
    return not words & _CELL_WORDS and any(_INN.match(t.lower_) for t in sentence)


def is_regulator_document(reference: dict[str, Any]) -> bool:
    """A reference published by a medicines regulator (by its site or its name)."""
    url = reference.get("url") or ""
    host = re.sub(r"^https?://([^/:]+).*$", r"\1", url)
    if host and _REGULATOR_SITES.search(host):
        return True
    names = [reference.get("container_title") or "", reference.get("publisher") or ""]
    names += [a.get("literal", "") for a in reference.get("authors", []) if isinstance(a, dict)]
    return any(_REGULATOR_NAMES.search(name) for name in names)


# "that is all registration means", "it only means a form was filed": a listing cut down to
# size, not held up.
_DEFLATED = re.compile(
    r"\b(all|only|merely|just|simply)\b[^.;]{0,25}\bmeans?\b|\bmeans?\s+(only|just|merely|"
    r"simply|little|nothing)\b",
    re.IGNORECASE,
)


def _presented_as_endorsement(sentence: Any, claim: Any) -> bool:
    if _DEFLATED.search(sentence.plain):
        return False
    words = {t.lower_ for t in sentence.span if t.i < claim.start or t.i >= claim.end}
    return bool(words & ENDORSED)


@rule(
    "regulatory-claims",
    title="Regulatory status is not overstated",
    why="FDA (2021, 2023): clinics that cite a ClinicalTrials.gov listing or say they are "
    "“registered with the FDA” misrepresent compliance; the only FDA-approved stem cell "
    "products are cord-blood cells for blood disorders. A claim of approval must cite the "
    "regulator's own document.",
    codes=[
        Code(
            "regulatory.unsupported_claim",
            "error",
            "“FDA-approved”, “approved by…”, “an approved treatment”, “FDA registered / listed / "
            "cleared” or a trial-registry listing presented as approval, without a regulator's "
            "document cited in the same sentence.",
        )
    ],
    flags=[
        "Our stem cell therapy is FDA-approved.",
        "The clinic is registered with the FDA.",
        "The treatment is listed on ClinicalTrials.gov, so it is legitimate.",
        "The therapy has the approval of the Ministry of Health in Colombia.",
        "The TGA has given the green light to these injections.",
        "Our exosome product is FDA compliant.",
        "The method has the permission of the Ministry of Health for treating MS.",
        "The injections were authorised last year by Health Canada for back pain.",
    ],
    passes=[
        "No stem cell product is approved for MS.",
        "Some clinics claim FDA approval that they do not have.",
        "The study was approved by the hospital's ethics committee [@x].",
        "Ocrelizumab is approved for relapsing MS [@ema2018].",
        "The trial team listed on ClinicalTrials.gov answers questions from patients.",
        "The clinic's licence was withdrawn by the Ministry of Health in 2022.",
        "The FDA has approved cord blood products for some blood disorders, but not for MS.",
        "The clinic is registered with the health department, but that does not mean its "
        "treatments work.",
        "Ask the clinic which regulator has approved the product.",
    ],
)
def regulatory_claims(text: ArticleText) -> Iterator[Finding]:
    for sentence in text.sentences:
        for claim in sentence.claims("regulatory", "registry"):
            if not nlp.flags(claim).asserted or NOT_REGULATORY.search(sentence.plain):
                continue
            after = claim.doc[claim.start + 1 : claim.end + 1]
            if any(t.lower_ in _NONE for t in after):
                continue  # "it has authorised no stem cell treatment": denied after the verb
            if claim.label_ == "regulatory" and _states_the_real_status(claim):
                continue  # "approved … for blood disorders, but not for MS", "…does not mean"
            near = claim.doc[max(claim.start - 5, claim.sent.start) : claim.end]
            if any(t.lower_ in _UNDONE or t.lemma_ in _UNDOING for t in near):
                continue  # "the EMA refused registration", "its licence was withdrawn"
            if claim.label_ == "registry" and not _presented_as_endorsement(sentence, claim):
                continue
            if any(is_regulator_document(ref) for ref in text.cited_references(sentence)):
                break
            yield Finding(
                "regulatory.unsupported_claim",
                Severity.ERROR,
                sentence.pointer,
                f"Regulatory claim “{claim.text}” in {where(sentence)}: cite the regulator's "
                f"own document that says so, or state the real status (for example “not "
                f"approved; available only in clinical trials”): {quote(sentence.text)}.",
                quote=sentence.text,
            )
            break
