"""Rule 4: a named author, a named medical reviewer, and disclosures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity
from cms.checks.text import ArticleText

PLACEHOLDER_NAMES = frozenset(
    {"admin", "administrator", "anonymous", "author", "editor", "staff", "unknown", "user", "team"}
)


def _normal(name: str) -> str:
    return " ".join(name.casefold().replace(".", " ").split())


@rule(
    "people",
    title="Named author, named medical reviewer, disclosures",
    why="HONcode 1 (authority) and 7–8 (funding, conflicts); NHS standard: clinical "
    "approval and transparency about conflicts of interest.",
    codes=[
        Code("people.author_unnamed", "error", "The author is a role, not a name."),
        Code("people.reviewer_missing", "error", "No medical reviewer.", waivable=False),
        Code("people.reviewer_is_author", "warning", "The reviewer is the sole author."),
        Code(
            "people.disclosures_missing",
            "error",
            "No funding and conflicts disclosures.",
            waivable=False,
        ),
    ],
    flags=["author: Admin", "reviewer: none"],
    passes=["author: Health CMS Editorial Team", "disclosures: None declared"],
)
def people(text: ArticleText) -> Iterator[Finding]:
    document = text.document
    author = document["author"]["name"]
    if _normal(author) in PLACEHOLDER_NAMES:
        yield Finding(
            "people.author_unnamed",
            Severity.ERROR,
            "/author/name",
            f"“{author}” is not a name: say who wrote the article (a person or an organisation).",
        )
    reviewer = document.get("reviewer")
    if reviewer is None:
        yield Finding(
            "people.reviewer_missing",
            Severity.ERROR,
            "/reviewer",
            "No medical reviewer: a named clinician must review the article before it is "
            "published.",
        )
    elif _normal(reviewer["name"]) == _normal(author):
        yield Finding(
            "people.reviewer_is_author",
            Severity.WARNING,
            "/reviewer/name",
            "The medical reviewer is also the only author: an independent reviewer is better.",
        )
    if document.get("disclosures") is None:
        yield Finding(
            "people.disclosures_missing",
            Severity.ERROR,
            "/disclosures",
            "Disclose funding and conflicts of interest (“None” and “None declared” are answers).",
        )


# Values that stand in for a person or an answer still to be given. "None" and
# "None declared" are answers (disclosures); these are not.
PLACEHOLDER_VALUES = re.compile(
    r"^\W*(unknown|anonymous|anon|admin|administrator|n\s*/\s*a|n\.a\.?|na|tbd|tbc|tba|todo|"
    r"to\s+do|fixme|xxx+|\?+|-+|placeholder|lorem\s+ipsum.*|name|your\s+name|author\s+name|"
    r"reviewer\s+name|first\s+last|john\s+doe|jane\s+doe|test|dummy|pending|to\s+be\s+"
    r"(confirmed|determined|added|written|announced)|\(?to\s+be\s+written\)?|"
    r"unknown\s+\w+(\s+\(imported\))?|.*\(imported\)|\[.*\]|<.*>|\{.*\})\W*$",
    re.IGNORECASE,
)
PLACEHOLDER_FIELDS = (
    ("/author/name", ("author", "name")),
    ("/author/credentials", ("author", "credentials")),
    ("/reviewer/name", ("reviewer", "name")),
    ("/reviewer/credentials", ("reviewer", "credentials")),
    ("/disclosures/funding", ("disclosures", "funding")),
    ("/disclosures/conflicts_of_interest", ("disclosures", "conflicts_of_interest")),
)


# Words that mark a value as still to be given wherever they stand ("Reviewer TBD",
# "TBC – awaiting sign-off"), and the words a template is made of ("Firstname Lastname",
# "Dr. X", "Author Name Here"): a value of template words only is no name.
MARKERS = frozenset({"tbd", "tba", "tbc", "tk", "todo", "fixme", "xxx", "lorem", "ipsum",
                     "insert", "awaiting", "pending"})  # fmt: skip
# Blanks and promises of a value: "Dr. ___", "…", "credentials to follow", "to come".
BLANK = re.compile(
    r"_{2,}|\.{3,}|…|\bto (?:follow|come)\b|\b(?:not yet|to be|still to be|yet to be) (?:known|"
    r"given|provided|supplied|available|confirmed|decided|assigned|added|filled|completed|"
    r"entered|named|declared|written|done|checked|agreed|updated|sent|sourced|obtained|"
    r"clarified|finali[sz]ed|verified|chased|requested|signed|drafted|inserted)\b|"
    r"\bnot\s+\w+\s+yet\b|\b(?:add|insert|enter|update|supply|complete)\s+(?:later|soon|here|"
    r"in\s+due\s+course)\b|^\W*(?:check|ask|confirm|chase|verify)\s+(?:with\s+)?\w+|"
    r"^\W*unknown(?:\s+\w+){0,4}\W*$|"
    # an instruction left for whoever fills the field in: "Editor to complete", "Fill in",
    # "Qualifications go here", "add before publishing"
    r"\b(?:editor|author|reviewer|writer|someone|we|you|team)\s+to\s+(?:complete|add|fill|"
    r"confirm|supply|provide|insert|write|check|update|enter|declare)\b|"
    r"^\W*(?:please\s+)?(?:fill|type|write|put)\s+(?:in|out|here)\b|\bgo(?:es)?\s+here\b|"
    r"\b(?:before|prior\s+to)\s+publi(?:shing|cation)\b",
    re.IGNORECASE,
)
# The shapes a template or a program leaves: "%AUTHOR%", "${name}", "[[reviewer]]", "null",
# "undefined", "xx", "asdf", "test123".
_TEMPLATE_SHAPE = re.compile(
    r"^(?:[%$#@]{1,2}\{?\w+\}?[%$#@]{0,2}|\[\[.*\]\]|__\w+__|null|nil|undefined|nan|"
    r"none\s*given|x{2,}|y{2,}|z{2,}|a{3,}|asdf\w*|qwerty\w*|abc|test\s*\d*|testing|sample|"
    r"example|foo|bar|baz|dummy\s*\w*|default|placeholder\s*\w*|"
    r"(?:user|admin|guest|editor|author|reviewer|test)[\s_.-]?\d+|"
    r"(?:test|demo|sample|dummy)\s+(?:user|account|author|name|reviewer|person))$",
    re.IGNORECASE,
)
# A role alone where a person's name belongs: "Staff Writer", "Medical Reviewer".
ROLE_WORDS = frozenset({"medical", "clinical", "reviewer", "writer", "editor", "staff",
                        "author", "doctor", "clinician", "expert", "contributor", "guest",
                        "health", "content", "senior", "junior", "editorial",
                        "specialist", "physician", "consultant", "nurse"})  # fmt: skip
# A field's own label given as its value: "Credentials", "Funding", "Name".
LABELS = {"name": {"name", "full name"}, "credentials": {"credentials", "credential",
          "qualifications", "degree", "degrees"}, "funding": {"funding", "funder", "funders"},
          "conflicts_of_interest": {"conflicts", "conflicts of interest", "coi"}}  # fmt: skip
TEMPLATE_WORDS = frozenset(
    {"name", "names", "surname", "firstname", "lastname", "forename", "first", "last", "full",
     "given", "family", "middle", "initial", "author", "authors", "reviewer", "reviewers",
     "here", "your", "the", "of", "title", "credentials", "degree", "dr", "mr", "mrs", "ms",
     "prof", "professor", "x", "y", "z", "n", "a", "b", "someone", "somebody", "person",
     "medical", "writer", "editor", "doe", "qualification",
     "qualifications", "funding", "source", "sources", "conflicts", "interest", "details",
     "goes", "missing", "needed", "required", "add", "enter", "other", "sample", "example",
     "dummy", "placeholder",
     # the same template names in other languages and countries: "Max Mustermann",
     # "Nombre Apellido", "Prénom Nom", "Nome Cognome", "Fulano de Tal", "Joe Bloggs"
     "joe", "fred", "j", "bloggs", "max", "erika", "mustermann", "musterfrau", "nombre",
     "apellido", "apellidos", "prénom",
     "prenom", "nom", "nome", "cognome", "fulano", "de", "tal", "vorname", "nachname",
     # Russian, Polish, Portuguese, Dutch, Turkish and Chinese forms' blanks: "Имя Фамилия",
     # "Imię Nazwisko", "Nome Sobrenome", "Voornaam Achternaam", "Ad Soyad", "姓名"
     "имя", "фамилия", "отчество", "imię", "imie", "nazwisko", "sobrenome", "voornaam",
     "achternaam", "ad", "soyad", "soyadı", "isim", "姓名", "张三", "李四"}
)  # fmt: skip
# Among them, the ones that stand for a blank (a role and a title alone, "Dr Reviewer", is
# how some systems name a person, not a blank).
BLANKS = frozenset({"name", "names", "surname", "firstname", "lastname", "forename", "here",
                    "x", "y", "z", "n", "someone", "somebody", "doe", "initial", "missing",
                    "enter", "add", "dummy", "placeholder", "mustermann", "bloggs",
                    "musterfrau", "apellido", "apellidos", "nombre", "prénom", "prenom",
                    "cognome", "fulano", "vorname", "nachname", "имя", "фамилия",
                    "отчество", "imię", "imie", "nazwisko", "sobrenome", "voornaam",
                    "achternaam", "soyad", "soyadı", "isim", "姓名", "张三", "李四"})  # fmt: skip
# A title and a sample word, and nothing else: "Dr Sample", "Prof. Example".
_TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "mx"})
_SAMPLE_WORDS = frozenset({"sample", "example", "test", "dummy"})
_VALUE_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)
_STANDING = re.compile(r"[^\s()\[\]{},;:/–—]+")


def is_placeholder(value: Any, key: str | None = None) -> bool:
    """Whether a field's value stands in for one still to be given (``key``: which field,
    for the shapes that depend on it: a role alone is no name, a label no value)."""
    if not isinstance(value, str):
        return False
    value = value.strip()
    if (
        PLACEHOLDER_VALUES.match(value)
        or BLANK.search(value)
        or _TEMPLATE_SHAPE.match(value)
        or _blank_after_its_label(value, key)
    ):
        return True
    if _normal(value) in LABELS.get(key or "", set()) or (key == "name" and _a_role_alone(value)):
        return True
    words = [w.casefold() for w in _VALUE_WORDS.findall(value)]
    if not words:
        return bool(value)  # only dashes, dots or signs: "—", "…", "*"
    # a marker standing as a word of its own ("Reviewer TBD"), not inside a hyphenated name
    if any(w.casefold().strip(".-") in MARKERS for w in _STANDING.findall(value)):
        return True
    return _a_sample_name(words) or (
        all(w in TEMPLATE_WORDS for w in words) and any(w in BLANKS for w in words)
    )


# A field's label left in front of its value: "COI: ???", "Reviewer: TBD".
_LABELLED = re.compile(r"^([^\W\d_][^:]{0,30}?)\s*:\s*(.*)$", re.UNICODE)
_ANY_LABEL = frozenset(
    set().union(*LABELS.values())
    | {"author", "reviewer", "medical reviewer", "writer", "credentials", "conflict",
       "conflict of interest", "competing interests", "disclosure", "disclosures"}
)  # fmt: skip


def _blank_after_its_label(value: str, key: str | None) -> bool:
    """“COI: ???”, “Funding: TBC”, “Name:”: the field's label, then nothing or a blank."""
    labelled = _LABELLED.match(value)
    if labelled is None or _normal(labelled.group(1)) not in _ANY_LABEL:
        return False
    rest = labelled.group(2).strip()
    return not rest or is_placeholder(rest, key)


def _a_sample_name(words: list[str]) -> bool:
    """“Dr Sample”, “Prof. Example”: a title and a sample word, and nothing else."""
    return len(words) == 2 and words[0] in _TITLES and words[1] in _SAMPLE_WORDS


def _a_role_alone(value: str) -> bool:
    """“Medical Reviewer”, “Staff Writer”: a role where a name belongs (an organisation's name,
    “Health CMS Editorial Team”, has a word of its own)."""
    words = [w.casefold() for w in _VALUE_WORDS.findall(value)]
    return bool(words) and len(words) <= 3 and all(w in ROLE_WORDS for w in words)


@rule(
    "placeholders",
    title="No placeholder people or values",
    why="An unnamed author or reviewer, or a disclosure left as “TBD”, hides who stands "
    "behind the content (HONcode 1 and 7, NHS standard); the ingester's own placeholders "
    "mark what an editor has yet to supply.",
    codes=[
        Code(
            "people.placeholder",
            "error",
            "“Unknown”, “Anonymous”, “Admin”, “N/A”, “TBD”, “TODO”, “Unknown author "
            "(imported)”… as author, reviewer, credentials or disclosures.",
        )
    ],
    flags=[
        "reviewer: TBD",
        "credentials: N/A",
        "author: Unknown author (imported)",
        "author: %AUTHOR%",
        "reviewer: Medical Reviewer",
        "funding: Not yet provided",
        "conflicts_of_interest: COI: ???",
        "reviewer: Имя Фамилия",
    ],
    passes=[
        "reviewer: Dr Amara Okafor, MD",
        "conflicts_of_interest: None declared",
        "author: Health CMS Editorial Team",
        "funding: Funding: the Lupus Trust",
    ],
)
def placeholders(text: ArticleText) -> Iterator[Finding]:
    document = text.document
    for where, (parent, key) in PLACEHOLDER_FIELDS:
        value = (document.get(parent) or {}).get(key)
        if where == "/author/name" and _normal(value or "") in PLACEHOLDER_NAMES:
            continue  # reported as people.author_unnamed
        if is_placeholder(value, key):
            yield Finding(
                "people.placeholder",
                Severity.ERROR,
                where,
                f"“{value}” is a placeholder: give the real {key.replace('_', ' ')} before "
                "publishing.",
                quote=value,
            )
