"""Translations: linked both ways, served with an explicit locale fallback, and marked
outdated (and held back from publishing) when the original's safety content changes."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from cms.articles import service as articles
from cms.articles.models import Article
from cms.articles.schemas import load_document
from cms.audit.models import AuditEvent
from cms.cli import main
from cms.delivery.models import DeliveryChange
from cms.errors import ContentChecksFailed, InvalidDocument
from cms.publishing import service as publishing
from tests.editors import MANAGE, Editors
from tests.factories import NOW, TESTER, article_document, create_article

pytestmark = pytest.mark.usefixtures("clock")

ROOT = Path(__file__).resolve().parents[2]
ORIGINAL_FILE = ROOT / "fixtures" / "articles" / "mesenchymal-stem-cells-lupus.yaml"
GERMAN_FILE = ROOT / "fixtures" / "articles" / "mesenchymale-stammzellen-lupus.de.yaml"
EN, DE = "mesenchymal-stem-cells-lupus", "mesenchymale-stammzellen-lupus"
API = "/api/v1/articles"


def _import(cli: FlaskCliRunner, *paths: Path) -> str:
    result = cli.invoke(main, ["import", "--publish", *map(str, paths)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def family(cli: FlaskCliRunner, tmp_path: Path) -> Path:
    """The English fixture and its German translation, imported and published in one go
    (the translation's file sorts first: the import still creates the original first)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ORIGINAL_FILE, folder)
    shutil.copy(GERMAN_FILE, folder / "0-translation.de.yaml")  # sorts before its original
    _import(cli, folder)
    return folder


def _article(session: Session, slug: str, locale: str) -> Article:
    article = articles.find_by_slug(session, slug=slug, locale=locale)
    assert article is not None
    return article


def _republish(session: Session, slug: str, locale: str, change: Any, *, now: dt.datetime) -> None:
    """A new revision of a live article, changed by ``change(document)``, published."""
    article = _article(session, slug, locale)
    document = copy.deepcopy(articles.current_revision(session, article).document)
    change(document)
    articles.save_revision(
        session, article=article, document=load_document(document), actor=TESTER, now=now
    )
    publishing.publish(session, article=article, actor=TESTER, now=now, approval=None)
    session.commit()


def _section(document: dict[str, Any], section_type: str) -> dict[str, Any]:
    return next(s for s in document["sections"] if s["type"] == section_type)


def _add_a_harm(document: dict[str, Any]) -> None:
    _section(document, "risks")["body"] += (
        "\n- **Blood clots:** clots in veins have been reported after cell infusions [@fda2021]."
    )


def test_an_imported_translation_is_linked_both_ways(client: FlaskClient, family: Path):
    english = client.get(f"{API}/{EN}")
    german = client.get(f"{API}/{DE}?locale=de")
    assert english.status_code == german.status_code == 200
    assert english.get_json()["translations"] == [{"locale": "de", "slug": DE}]
    assert english.get_json()["translation_of"] is None
    assert german.get_json()["translation_of"] == {"locale": "en", "slug": EN}
    assert german.get_json()["translations"] == [{"locale": "en", "slug": EN}]
    assert german.get_json()["translation_outdated"] is False
    assert english.headers["Content-Language"] == "en"
    assert german.headers["Content-Language"] == "de"


def test_the_german_translation_records_the_revision_it_follows(session: Session, family: Path):
    german = _article(session, DE, "de")
    english = _article(session, EN, "en")
    assert german.translation_source_id == english.id
    recorded = articles.current_revision(session, german).document["translation_of"]
    assert recorded == {"slug": EN, "locale": "en", "revision": english.live_revision}


def test_editors_see_the_family_of_each_article(
    client: FlaskClient, session: Session, editors: Editors, family: Path
):
    english, german = _article(session, EN, "en"), _article(session, DE, "de")
    seen = client.get(f"{MANAGE}/{english.id}", headers=editors.headers("editor")).get_json()
    assert seen["translations"] == [
        {"id": str(german.id), "locale": "de", "slug": DE, "status": "published", "original": False}
    ]
    seen = client.get(f"{MANAGE}/{german.id}", headers=editors.headers("editor")).get_json()
    assert [(m["slug"], m["original"]) for m in seen["translations"]] == [(EN, True)]


def test_a_missing_locale_falls_back_only_when_asked_and_says_so(client: FlaskClient, family: Path):
    served = client.get(f"{API}/{EN}?locale=de-AT&fallback=de,en")
    assert served.status_code == 200
    body = served.get_json()
    assert (body["locale"], body["slug"]) == ("de", DE)
    assert body["requested_locale"] == "de-AT"
    assert body["fallback"] is True
    assert served.headers["Content-Language"] == "de"
    assert served.headers["Content-Location"] == f"{API}/{DE}?locale=de&fallback=de,en"
    # A chain without German falls through to the original.
    english = client.get(f"{API}/{DE}?locale=fr&fallback=en").get_json()
    assert (english["locale"], english["requested_locale"]) == ("en", "fr")
    # Never silently: without a chain, a 404 that says where the article is.
    missing = client.get(f"{API}/{EN}?locale=de-AT")
    assert missing.status_code == 404
    assert missing.get_json()["available"] == [
        {"locale": "de", "slug": DE},
        {"locale": "en", "slug": EN},
    ]


def test_a_cached_fallback_answer_follows_the_family(
    client: FlaskClient, session: Session, family: Path
):
    url = f"{API}/{EN}?locale=de-AT&fallback=de,en"
    assert client.get(url).get_json()["locale"] == "de"  # now in the delivery cache
    publishing.unpublish(session, article=_article(session, DE, "de"), actor=TESTER, now=NOW,
                         comment=None)  # fmt: skip
    session.commit()
    served = client.get(url)
    assert (served.get_json()["locale"], served.headers["Content-Language"]) == ("en", "en")


def test_a_fallback_answer_is_conditional_like_any_other(client: FlaskClient, family: Path):
    url = f"{API}/{EN}?locale=de-AT&fallback=de"
    first = client.get(url)
    plain = client.get(f"{API}/{DE}?locale=de")
    assert first.headers["ETag"] != plain.headers["ETag"]  # the bodies differ
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_no_locale_in_the_chain_is_a_404_listing_the_available_ones(
    client: FlaskClient, family: Path
):
    missing = client.get(f"{API}/{EN}?locale=fr&fallback=es,it")
    assert missing.status_code == 404
    assert "available in: de, en" in missing.get_json()["detail"]
    assert client.get(f"{API}/no-such-article?locale=de&fallback=en").status_code == 404


def test_locales_in_queries_are_canonicalised_and_validated(client: FlaskClient, family: Path):
    assert client.get(f"{API}/{DE}?locale=DE").get_json()["locale"] == "de"
    served = client.get(f"{API}/{EN}?locale=de-at&fallback=DE").get_json()
    assert served["requested_locale"] == "de-AT"
    bad = client.get(f"{API}/{EN}?locale=deutsch")
    assert bad.status_code == 400
    assert bad.get_json()["errors"][0]["pointer"] == "/query/locale"
    assert client.get(f"{API}/{EN}?fallback=x-klingon").status_code == 400


def test_a_change_to_the_originals_risks_marks_the_translation_outdated_and_blocks_it(
    client: FlaskClient, session: Session, family: Path
):
    changed_at = NOW + dt.timedelta(days=3)
    _republish(session, EN, "en", _add_a_harm, now=changed_at)

    german = client.get(f"{API}/{DE}?locale=de").get_json()
    assert german["translation_outdated"] is True
    assert dt.datetime.fromisoformat(german["translation_outdated_since"]) == changed_at
    # A new German revision may not go live while it follows the old risks.
    with pytest.raises(ContentChecksFailed) as refused:
        _republish(
            session, DE, "de", lambda d: d.update(title=d["title"] + " (2026)"), now=changed_at
        )
    session.rollback()
    [finding] = refused.value.extra["findings"]
    assert finding["code"] == "translation.outdated"
    assert finding["pointer"] == "/translation_of/revision"
    assert f"'{EN}' (en)" in finding["message"]
    # Re-translated: it says so by following the original's new live revision.
    live = _article(session, EN, "en").live_revision

    def retranslate(document: dict[str, Any]) -> None:
        _section(document, "risks")["body"] += (
            "\n- **Blutgerinnsel:** nach Zellinfusionen wurden Gerinnsel in Venen berichtet "
            "[@fda2021]."
        )
        document["translation_of"]["revision"] = live

    _republish(session, DE, "de", retranslate, now=changed_at)
    assert client.get(f"{API}/{DE}?locale=de").get_json()["translation_outdated"] is False


def test_changes_outside_risks_evidence_and_benefits_leave_the_translation_current(
    client: FlaskClient, session: Session, family: Path
):
    def reword_outlook(document: dict[str, Any]) -> None:
        _section(document, "outlook")["heading"] = "What this means for you today"

    _republish(session, EN, "en", reword_outlook, now=NOW + dt.timedelta(days=1))
    german = client.get(f"{API}/{DE}?locale=de").get_json()
    assert german["translation_outdated"] is False
    assert german["translation_outdated_since"] is None


def test_reverting_the_original_makes_the_translation_current_again(
    client: FlaskClient, session: Session, family: Path
):
    original = articles.current_revision(session, _article(session, EN, "en")).document
    _republish(session, EN, "en", _add_a_harm, now=NOW + dt.timedelta(days=1))
    assert client.get(f"{API}/{DE}?locale=de").get_json()["translation_outdated"] is True

    def revert(document: dict[str, Any]) -> None:
        document["sections"] = copy.deepcopy(original["sections"])

    _republish(session, EN, "en", revert, now=NOW + dt.timedelta(days=2))
    assert client.get(f"{API}/{DE}?locale=de").get_json()["translation_outdated"] is False


def test_taking_the_translation_off_removes_it_from_the_originals_links(
    client: FlaskClient, session: Session, family: Path
):
    english = client.get(f"{API}/{EN}")
    german = _article(session, DE, "de")
    publishing.unpublish(session, article=german, actor=TESTER, now=NOW, comment=None)
    session.commit()
    after = client.get(f"{API}/{EN}")
    assert after.get_json()["translations"] == []
    assert after.headers["ETag"] != english.headers["ETag"]
    # The original's answer changed: its change is recorded for caches and apps.
    last = session.execute(
        sa.select(DeliveryChange.slug, DeliveryChange.kind).order_by(DeliveryChange.id.desc())
    ).first()
    assert tuple(last) == (EN, "updated")


def test_a_reviewer_confirms_an_outdated_translation_then_signs_it_off(
    client: FlaskClient, session: Session, editors: Editors, family: Path
):
    _republish(session, EN, "en", _add_a_harm, now=NOW + dt.timedelta(days=1))
    german = _article(session, DE, "de")
    url = f"{MANAGE}/{german.id}"
    etag = client.get(url, headers=editors.headers("editor")).headers["ETag"]
    # An editor may not confirm; a reviewer may, with a reason.
    assert (
        client.post(
            f"{url}/translation/confirm",
            json={"reason": "Checked."},
            headers=editors.headers("editor", **{"If-Match": etag}),
        ).status_code
        == 403
    )
    confirmed = client.post(
        f"{url}/translation/confirm",
        json={"reason": "The new harm is already in the German risks list."},
        headers=editors.headers("reviewer", **{"If-Match": etag}),
    )
    assert confirmed.status_code == 200, confirmed.get_json()
    body = confirmed.get_json()
    assert body["status"] == "in_review"
    assert body["translation_of"]["revision"] == _article(session, EN, "en").live_revision
    approved = editors.act("admin", str(german.id), confirmed.headers["ETag"], "approve")
    assert approved.status_code == 200, approved.get_json()
    published = editors.act("publisher", str(german.id), approved.headers["ETag"], "publish")
    assert published.status_code == 200, published.get_json()
    assert client.get(f"{API}/{DE}?locale=de").get_json()["translation_outdated"] is False
    reasons = session.scalars(
        sa.select(AuditEvent.details).where(AuditEvent.action == "article.confirm_translation")
    ).all()
    assert [r["reason"] for r in reasons] == ["The new harm is already in the German risks list."]


def test_confirming_what_needs_no_confirmation_is_a_conflict(
    client: FlaskClient, session: Session, editors: Editors, family: Path
):
    for slug, locale in ((DE, "de"), (EN, "en")):  # current translation; an original
        article = _article(session, slug, locale)
        url = f"{MANAGE}/{article.id}"
        etag = client.get(url, headers=editors.headers("editor")).headers["ETag"]
        answer = client.post(
            f"{url}/translation/confirm",
            json={"reason": "Checked."},
            headers=editors.headers("reviewer", **{"If-Match": etag}),
        )
        assert answer.status_code == 409, answer.get_json()


def test_the_check_report_shows_the_outdated_translation(
    client: FlaskClient, session: Session, editors: Editors, family: Path
):
    _republish(session, EN, "en", _add_a_harm, now=NOW + dt.timedelta(days=1))
    german = _article(session, DE, "de")
    report = client.get(f"{MANAGE}/{german.id}/checks", headers=editors.headers("editor"))
    body = report.get_json()
    assert body["publishable"] is False
    assert [f["code"] for f in body["findings"]] == ["translation.outdated"]


# --- Links that cannot be made ---------------------------------------------------


def _translation(**overrides: Any) -> dict[str, Any]:
    defaults = {
        "slug": "stammzellen-sklerodermie",
        "locale": "de",
        "translation_of": {"slug": "stem-cells-scleroderma", "locale": "en"},
    }
    return article_document(**(defaults | overrides))


@pytest.mark.parametrize(
    ("reference", "pointer", "code"),
    [
        ({"slug": "no-such-article", "locale": "en"}, "/slug", "not_found"),
        ({"slug": "stem-cells-scleroderma", "locale": "de"}, "/locale", "same_locale"),
        ({"slug": "stem-cells-scleroderma", "locale": "en", "revision": 9}, "/revision", "range"),
    ],
)
def test_a_translation_of_nothing_valid_is_refused_and_nothing_is_written(
    session: Session, reference: dict[str, Any], pointer: str, code: str
):
    create_article(session)
    before = session.scalar(sa.select(sa.func.count()).select_from(Article))
    with pytest.raises(InvalidDocument) as refused:
        articles.create_article(
            session, document=load_document(_translation(translation_of=reference)),
            actor=TESTER, now=NOW,
        )  # fmt: skip
    errors = [(e.pointer, e.code) for e in refused.value.errors]
    assert errors == [("/translation_of" + pointer, code)]
    assert session.scalar(sa.select(sa.func.count()).select_from(Article)) == before


def test_an_original_has_one_translation_per_locale_and_no_chains(session: Session):
    create_article(session)
    first = articles.create_article(
        session, document=load_document(_translation()), actor=TESTER, now=NOW
    )
    with pytest.raises(InvalidDocument) as second:
        articles.create_article(
            session, document=load_document(_translation(slug="andere-uebersetzung")),
            actor=TESTER, now=NOW,
        )  # fmt: skip
    assert second.value.errors[0].code == "translation_exists"
    with pytest.raises(InvalidDocument) as chained:
        articles.create_article(
            session,
            document=load_document(
                _translation(
                    slug="stammzellen-sklerodermie-at",
                    locale="de-AT",
                    translation_of={"slug": first.slug, "locale": "de"},
                )
            ),
            actor=TESTER,
            now=NOW,
        )
    assert chained.value.errors[0].code == "not_original"


def test_an_import_naming_a_missing_original_fails_whole_naming_file_and_field(
    cli: FlaskCliRunner, session: Session, tmp_path: Path
):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(article_document(slug="an-original")), "utf-8")
    (folder / "b.de.yaml").write_text(
        yaml.safe_dump(
            _translation(translation_of={"slug": "not-imported", "locale": "en"}),
            allow_unicode=True,
        ),
        "utf-8",
    )
    result = cli.invoke(main, ["import", str(folder)])
    assert result.exit_code != 0
    assert "b.de.yaml" in result.output
    assert "/translation_of/slug" in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(Article)) == 0


def test_the_sections_of_a_translation_are_its_own(client: FlaskClient, family: Path):
    german = client.get(f"{API}/{DE}?locale=de&section_types=benefits").get_json()
    assert [s["type"] for s in german["sections"]] == ["benefits", "risks"]
    assert "Risiken" in german["sections"][1]["heading"]
