"""docs/checks.md: the rule catalogue, generated from the registry, with examples."""

from __future__ import annotations

from cms.checks.engine import RULES
from cms.ingest.service import NOTES

CATALOGUE_PATH = "docs/checks.md"

HEADER = """\
# Health-content checks

Generated from `cms/checks/rules/` by `cms catalogue` (a test fails when this file is
stale). Each finding has a stable `code`, a `severity` (errors block publishing,
warnings are shown to editors and reviewers), a JSON `pointer`, a message that
quotes the offending text and, when there is one, the exact `quote` it is about.
Documents that do not match the article schema get `schema.<code>` findings (for
example `schema.risks_required` at `/sections`) and no content findings until they do.

Run them with `cms check PATH…`, `GET /api/v1/manage/articles/{id}/checks` or
`POST /api/v1/manage/checks`; `publish` and `cms import --publish` refuse errors.

**How sentences are read.** Claims are recognised as language, not by word lists:
each sentence is tokenised and lemmatised (spaCy), phrases are matched by their form
(any inflection of *cure*, *reverse*, *eliminate*; superlatives and comparatives by
their grade; constructions such as “-er than” or “N times as”), and medspaCy's
ConText decides whether the sentence negates, doubts, supposes or reports the phrase.
“No treatment can cure lupus yet”, “whether it helps is unclear”, “if it worked…” and
“some websites call it a cure, which it is not” make no claim; nor do “few people are
symptom-free”, a result bounded in time (“free of disease at five years”), a permanence of
harm (“fertility can be lost permanently”) or a word mentioned as a word (“the term
miracle cell”). Other wordings are found by their construction: “a thing of the past”,
“nothing beats…”, “a safer alternative to…”, “most scientists accept…”; a hedge inside what
an authority is said to show (“experts say it could help”) leaves the appeal as vague as
before. Claims made with nouns and idioms count as well (“a permanent solution”, “complete
resolution”, “say goodbye to joint pain”, “neuropathy becomes history”, “without equal”,
“has the edge over”, “a step up from”, “trial after trial has vindicated”, “a third fewer
flares”), and so does a contrast of treatments that states a merit (“unlike biologics, which
only mask symptoms, …”). So do the idioms of other voices: a disease sent “packing” or
“shown the door”, “foolproof”, “a 0% complication rate”, “head and shoulders above”, “runs
rings round”, careless copy's “then” for “than”, a question the copy answers (“Is it better
than surgery? Absolutely”), “boffins have cracked it”, “the verdict is in”, “3x less likely”
and the “decreased in 2 times” of a translation. A universal with no benefit (“follow-up
was complete for every participant”), a rarity said after the phrase (“complete resolution
was rare”), a comparison of groups of people or with an earlier time, a drawback (“a longer
hospital stay than drugs”), a passing harm that clears (“the infection cleared completely”)
and a treatment “done only at accredited centres” make no claim. A question (“can stem
cells cure diabetes?”) asserts nothing, unless the next sentence answers it. Some rules also read a
sentence's shape: who it speaks to (an imperative, “you can…”, “patients may…”) and what it
tells them to do to a treatment, dose or doctor (unsafe advice: a verb with its particle,
“hold off on…”, “let it lapse”; a medicine that “can be dropped”; “we ask every patient
to…”; a counted dose with a frequency, whatever its verb; not a question embedded after
“you”, “your team will tell you which medicines to pause”, nor a request inside the
sentence's opening condition); an imperative whose object or place is the seller (“tell
us your dates”, “pop into our rooms”) or that the seller answers (“…and we'll be in
touch”: advertising, where quoted clinic copy passes only when the editor's own words
frame it as an advert or a sales tactic and the seller is not the one speaking); a
regulator's assent in other words (“signed off on”, “passed FDA review”, “federally
permitted”), denied after the verb (“authorised no…”) or not; who speaks and of what (a
named person's recovery, or one told from their own treatment, “…a fortnight after his
session”, is a testimonial; an advocate's advice, a cited study's participant or a
cautionary account, “I felt worse, not better”, is not); the script of its characters and
the place of a word or an opening phrase set off by commas, where a foreign term glossed
in quotation marks or named as a slogan, a term introduced as one and glossed after it, a
name opening a sentence and the lower-case words inside a name, are no debris (language);
a short line made only of a page's controls, or a control with its count (page
furniture); the shape of a template value (placeholders). A citation in the same sentence
changes what a claim needs (see each rule).

**Waivers.** A reviewer (or admin) may waive a specific error finding with a reason:
`POST /api/v1/manage/articles/{id}/checks/waivers`. A waiver covers the finding with
the same code, pointer and quoted text on every later revision while that text is
unchanged, shows in every check report, and lets publish proceed. Codes marked
*not waivable* below are facts or safety floors and cannot be waived: schema errors,
the risks section, unsafe markup and links, unsafe advice, unresolved citations,
review dates, a missing reviewer or missing disclosures.
"""


def _examples(label: str, examples: tuple[str, ...]) -> str:
    if not examples:
        return ""
    return f"\n{label}:\n\n" + "".join(f"- {example}\n" for example in examples)


def render() -> str:
    parts = [HEADER]
    for number, rule in enumerate(RULES, start=1):
        parts.append(
            f"\n## {number}. {rule.title}\n\n{rule.why}\n\n"
            "| code | severity | waivable | flags |\n|---|---|---|---|\n"
        )
        for code in rule.codes:
            waivable = (
                "yes"
                if code.waivable and "error" in code.severity
                else ("not waivable" if not code.waivable else "–")
            )
            parts.append(f"| `{code.code}` | {code.severity} | {waivable} | {code.summary} |\n")
        parts.append(_examples("Flags, for example", rule.flags))
        parts.append(_examples("Does not flag", rule.passes))
    parts.append(
        "\n## Ingestion notes\n\n`cms ingest` and `POST /api/v1/manage/ingest` add these to "
        "the findings about an imported legacy article.\n\n"
        "| code | severity | flags |\n|---|---|---|\n"
    )
    parts += [f"| `{code}` | {severity} | {summary} |\n" for code, severity, summary in NOTES]
    return "".join(parts)
