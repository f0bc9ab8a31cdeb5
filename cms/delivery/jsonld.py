"""schema.org JSON-LD for a published article: a ``MedicalWebPage``.

Built once at publish time from the public document, like the detail bytes.
What depends on the deployment (the page URL under ``CMS_PUBLIC_BASE_URL`` and
the publisher) is not stored: ``Site.page`` puts it in front of the stored
bytes at read time, so changing those settings needs no republishing.

Mapping (https://schema.org/MedicalWebPage, https://schema.org/HealthTopicContent):
sections become ``hasPart`` entries with their ``hasHealthAspect``; references
become ``citation`` entries (``MedicalScholarlyArticle`` for journal articles,
reviews and guidelines, ``WebPage``, ``Book``, ``MedicalTrial`` for a trial
registration), with DOIs as ``sameAs`` (https://doi.org/...) and as a
``PropertyValue`` identifier, and trial registrations as ``MedicalTrial`` with
their ClinicalTrials.gov code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import orjson

from cms.search.text import plain_text

SCHEMA = "schema:"
MEDIA_TYPE = "application/ld+json"

HEALTH_ASPECTS = {
    "overview": "OverviewHealthAspect",
    "mechanism": "HowItWorksHealthAspect",
    "evidence": "EffectivenessHealthAspect",
    "benefits": "BenefitsHealthAspect",
    "risks": "RisksOrComplicationsHealthAspect",
    "outlook": "PrognosisHealthAspect",
}
# Publication types as PubMed names them.
PUBLICATION_TYPES = {
    "systematic-review": "Systematic Review",
    "rct": "Randomized Controlled Trial",
    "cohort": "Observational Study",
    "case-series": "Case Series",
    "case-report": "Case Reports",
    "guideline": "Practice Guideline",
    "expert-opinion": "Editorial",
}
CITATION_TYPES = {
    "article-journal": "MedicalScholarlyArticle",
    "review": "MedicalScholarlyArticle",
    "guideline": "MedicalScholarlyArticle",
    "trial-registry": "MedicalTrial",
    "webpage": "WebPage",
    "book": "Book",
}
TRIAL_REGISTRY = "ClinicalTrials.gov"


def _person_or_organization(person: Mapping[str, Any]) -> dict[str, Any]:
    # Credentials belong to a person; a byline without them is an organisation (an
    # editorial team) as far as the document can tell.
    node: dict[str, Any] = {
        "@type": "Person" if person.get("credentials") else "Organization",
        "name": person["name"],
    }
    if person.get("credentials"):
        node["jobTitle"] = person["credentials"]
    if person.get("url"):
        node["url"] = person["url"]
    return node


def _reference_author(author: Mapping[str, Any]) -> dict[str, Any]:
    if "literal" in author:
        return {"@type": "Organization", "name": author["literal"]}
    node = {"@type": "Person", "familyName": author["family"]}
    if "given" in author:
        node["givenName"] = author["given"]
    node["name"] = " ".join(filter(None, (author.get("given"), author["family"])))
    return node


def _identifier(kind: str, value: str) -> dict[str, Any]:
    return {"@type": "PropertyValue", "propertyID": kind, "value": value}


def _trial(nct: str, name: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "MedicalTrial"}
    if name:
        node["name"] = name
    node["code"] = {"@type": "MedicalCode", "codeValue": nct, "codingSystem": TRIAL_REGISTRY}
    node["url"] = f"https://clinicaltrials.gov/study/{nct}"
    return node


def _identifiers(reference: Mapping[str, Any]) -> dict[str, Any]:
    """A DOI as ``sameAs`` (its resolver URL); DOI, PMID and PMCID as PropertyValues."""
    found: dict[str, Any] = {}
    identifiers = []
    if "doi" in reference:
        found["sameAs"] = f"https://doi.org/{reference['doi']}"
        identifiers.append(_identifier("DOI", reference["doi"]))
    for key, label in (("pmid", "PMID"), ("pmcid", "PMCID")):
        if key in reference:
            identifiers.append(_identifier(label, reference[key]))
    if identifiers:
        found["identifier"] = identifiers
    return found


def citation(reference: Mapping[str, Any]) -> dict[str, Any]:
    """One reference as a schema.org node."""
    kind = CITATION_TYPES[reference["type"]]
    if kind == "MedicalTrial" and "nct" in reference:
        node = _trial(reference["nct"], reference["title"])
    else:
        node = {"@type": kind, "name": reference["title"]}
    if kind == "MedicalScholarlyArticle":
        node["headline"] = reference["title"]
        design = reference.get("study_design")
        if design in PUBLICATION_TYPES:
            node["publicationType"] = PUBLICATION_TYPES[design]
    if reference.get("authors"):
        node["author"] = [_reference_author(a) for a in reference["authors"]]
    if reference.get("container_title"):
        node["isPartOf"] = {
            "@type": "Periodical" if kind == "MedicalScholarlyArticle" else "WebSite",
            "name": reference["container_title"],
        }
    if reference.get("year"):
        node["datePublished"] = str(reference["year"])
    node.update(_identifiers(reference))
    if "nct" in reference and kind != "MedicalTrial":
        node["about"] = _trial(reference["nct"])
    href = reference.get("url") or reference.get("href")
    if href and "url" not in node:
        node["url"] = href
    return node


def _condition(slug: str) -> dict[str, Any]:
    return {"@type": "MedicalCondition", "name": slug.replace("-", " "), "identifier": slug}


def page_document(public: Mapping[str, Any]) -> dict[str, Any]:
    """The stored part of the page: everything but the deployment's URL and publisher.

    ``public`` is the public article as the detail endpoint serves it; section text is
    the plain text the search index holds.
    """
    document: dict[str, Any] = {
        "headline": public["title"],
        "name": public["title"],
        "description": public["summary"],
        "inLanguage": public["locale"],
        "datePublished": str(public["published_at"]),
        "dateModified": str(public["updated_at"]),
    }
    if public.get("last_reviewed"):
        document["lastReviewed"] = str(public["last_reviewed"])
    if public.get("reviewer"):
        reviewer = public["reviewer"]
        document["reviewedBy"] = {
            "@type": "Person",
            "name": reviewer["name"],
            "jobTitle": reviewer["credentials"],
        }
    document["author"] = _person_or_organization(public["author"])
    if public.get("conditions"):
        document["about"] = [_condition(slug) for slug in public["conditions"]]
    document["hasPart"] = [
        {
            "@type": "HealthTopicContent",
            "headline": section["heading"],
            "hasHealthAspect": {"@id": SCHEMA + HEALTH_ASPECTS[section["type"]]},
            "text": plain_text(section["body"]),
        }
        for section in public["sections"]
    ]
    document["citation"] = [citation(reference) for reference in public["references"]]
    return document


@dataclass(frozen=True, slots=True)
class Site:
    """The deployment's part of every page: where articles live and who publishes them."""

    base_url: str
    publisher_name: str
    publisher_url: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Site:
        return cls(
            base_url=config["PUBLIC_BASE_URL"].rstrip("/"),
            publisher_name=config["PUBLISHER_NAME"],
            publisher_url=config["PUBLISHER_URL"],
        )

    @property
    def digest(self) -> str:
        """Changes whenever the settings do: part of every page's ETag."""
        raw = orjson.dumps([self.base_url, self.publisher_name, self.publisher_url])
        return hashlib.blake2b(raw, digest_size=4).hexdigest()

    def article_url(self, *, slug: str, locale: str) -> str:
        return f"{self.base_url}/{quote(locale)}/articles/{quote(slug)}"

    def page(self, stored: str, *, slug: str, locale: str) -> bytes:
        """The whole JSON-LD document: context, type, URL and publisher, then the stored part."""
        url = self.article_url(slug=slug, locale=locale)
        head = orjson.dumps(
            {
                "@context": "https://schema.org",
                "@type": "MedicalWebPage",
                "@id": url,
                "url": url,
                "publisher": {
                    "@type": "Organization",
                    "name": self.publisher_name,
                    "url": self.publisher_url,
                },
            }
        )
        return head[:-1] + b"," + stored.encode()[1:]
