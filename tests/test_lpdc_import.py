"""Import of LPDC instances and IPDC concepts, on SQLite and PostgreSQL: the example files field
by field, newest version wins, a broken record among valid ones, a crash halfway, model entry
changes, who may import, the command and the API."""

from __future__ import annotations

import copy
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lpdc_support import EXAMPLE_FILES, EXAMPLES, example, register_lpdc_api
from sqlmodel import func, select

from rechtenverkenner.accounts.services import actor_for, create_user, get_user, grant, issue_token
from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.catalog.models import (
    Administration,
    EntryTemplate,
    RecordItem,
    Right,
    RightVersion,
    TemplateVersion,
)
from rechtenverkenner.catalog.services import get_catalog_version, load_catalog
from rechtenverkenner.db import session_scope
from rechtenverkenner.editor.models import AuditEvent
from rechtenverkenner.editor.services import document
from rechtenverkenner.lpdc import importer
from rechtenverkenner.lpdc.importer import import_document

CONCEPT = "https://ipdc.tni-vlaanderen.be/id/concept/705d401c-1a41-4802-a863-b22499f71b84"
AKTE = "http://data.lblod.info/id/public-service/c31c343e-836c-4674-8efa-991cc2078493"
ARCHIVED = "http://data.lblod.info/id/public-service/2e018424-7af6-4798-8026-0e627a8694d8"
DIEST = "http://data.lblod.info/id/public-service/aae82967-fd21-4a05-a870-7d2b43f4d443"
GENT = "http://data.lblod.info/id/bestuurseenheden/353234a365664e581db5c2f7cc07add2534b47b8e1ab87c821fc6e6365e6bef5"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def mini_data(mini_catalog):  # type: ignore[no-untyped-def]
    return read_catalog(mini_catalog, run_examples=False)


@pytest.fixture
def lpdc_app(databases, mini_catalog, mini_data):  # type: ignore[no-untyped-def]
    """A fresh database with the mini catalogue (each back end)."""
    from conftest import make_test_app

    app = make_test_app(databases.create(), mini_catalog)
    with session_scope(app) as session:
        load_catalog(session=session, data=mini_data)
    register_lpdc_api(app)
    yield app
    app.extensions["rv_engine"].dispose()


def run(app, doc, actor=None, source="test"):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        return import_document(session=session, document=doc, actor=actor, source=source)


def right_by_iri(session, iri):  # type: ignore[no-untyped-def]
    return session.exec(select(Right).where(Right.iri == iri)).one()


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_example_files_import_without_rejection(lpdc_app):
    reports = [run(lpdc_app, example(name), source=name) for name in EXAMPLE_FILES]
    assert [r.rejected for r in reports] == [[], [], [], []]
    assert [len(r.created) for r in reports] == [2, 1, 0, 1]
    # the LDES page holds two versions of one instance; the concept file and page one snapshot
    assert [o.note for o in reports[0].unchanged] == [
        "a newer version of this record is in the same file"
    ]
    assert [o.note for o in reports[2].unchanged] == ["this version is the one we hold"]


def test_an_lpdc_instance_lands_field_by_field(lpdc_app):
    run(lpdc_app, example("concept-snapshot.jsonld"))
    run(lpdc_app, example("instance-snapshot-ldes-page.json"))
    with session_scope(lpdc_app) as session:
        right = right_by_iri(session, AKTE)
        doc = document(session, right)
        template = session.exec(select(EntryTemplate).where(EntryTemplate.iri == CONCEPT)).one()
        version = session.exec(select(RightVersion).where(RightVersion.right_id == right.id)).one()
    assert (right.status, right.origin, right.version) == ("published", "lpdc", 1)
    assert doc["title"] == {
        "nl": "Akte van Belgische nationaliteit",
        "en": "Certificate of Belgian nationality",
    }
    assert doc["description"]["nl"].startswith("<p>De akte van Belgische nationaliteit wordt")
    assert doc["additional_description"]["nl"] == "<p>Verdere beschrijving</p>"
    assert doc["exceptions"] == {"nl": "<p>uitzonderingen</p>", "en": "<p>Exceptions</p>"}
    assert doc["regulation_text"] == {"nl": "<p>Regelgeving</p>", "en": "<p>Regulation</p>"}
    assert right.dutch_variant == "nl-BE-x-informal"
    # requirements, in order, with their evidence
    assert [r["title"]["nl"] for r in doc["requirements"]] == ["Voorwaarden - 1", "Voorwaarden - 2"]
    assert doc["requirements"][1]["evidence"]["title"] == {"nl": "Bewijs - 2", "en": "Evidence - 2"}
    assert "uw eigen identiteitskaart" in doc["requirements"][0]["evidence"]["description"]["nl"]
    # procedures with the websites where they start
    assert [p["title"]["nl"] for p in doc["procedures"]] == [
        "Procedure - nl - 1",
        "Procedure - nl - 2",
    ]
    assert [w["url"] for w in doc["procedures"][1]["websites"]] == [
        "https://procedure-website.com21",
        "https://procedure-website.com22",
    ]
    assert doc["procedures"][0]["websites"][0]["title"]["nl"] == "Procedure website titel - 1 - 1"
    assert [c["title"]["nl"] for c in doc["costs"]] == ["Bedrag kost - 1", "Bedrag kost - 2"]
    assert (
        doc["costs"][0]["description"]["nl"] == "<p>De aanvraag en het attest zijn gratis. - 1</p>"
    )
    assert [f["title"]["en"] for f in doc["financial_advantages"]] == [
        "Financial advantage - 1",
        "Financial advantage - 2",
    ]
    assert [r["url"] for r in doc["legal_resources"]] == [
        "https://codex.vlaanderen.be/regelgeving1",
        "https://codex.vlaanderen.be/regelgeving2",
    ]
    assert doc["more_info"][0]["url"].endswith("/nationaliteit1")
    # contact points with their address
    first = doc["contact_points"][0]
    assert {k: first[k] for k in ("email", "phone", "url", "opening_hours")} == {
        "email": "info@gent.be1",
        "phone": "04123456781",
        "url": "https://www.gent.be1",
        "opening_hours": "24/24 - 1",
    }
    assert first["address"] == {
        "street": {"nl": "Burggravenlaan"},
        "house_number": "1",
        "box": "a",
        "postcode": "9000",
        "municipality": {"nl": "Gent"},
        "country": {"nl": "België"},
    }
    assert doc["contact_points"][1]["address"]["municipality"] == {"nl": "Gent-Sint-Pieter"}
    # codes
    assert doc["product_type"] == "FinancieelVoordeel"
    assert doc["target_audiences"] == ["Burger", "Onderneming"]
    assert doc["themes"] == ["BurgerOverheid", "CultuurSportVrijeTijd"]
    assert doc["languages"] == ["NLD", "ENG"]
    assert doc["competent_levels"] == ["Federaal", "Europees"]
    assert doc["executing_levels"] == ["Lokaal", "Derden"]
    assert doc["publication_channels"] == ["YourEurope"]
    assert doc["your_europe_categories"] == ["VerblijfNaturalisatie", "VoertuigenVerkeersregels"]
    assert doc["keywords"] == {"nl": ["Akte", "Nationaliteit"]}
    # authorities, territory, dates, the model entry and the version
    assert right.owner_id == "stad-gent"
    assert doc["competent_authorities"] == ["stad-gent", "ocmw-gent"]
    assert doc["executing_authorities"] == ["stad-gent"]
    assert "44021" in doc["scope"]["municipalities"]  # BE23444021, and arrondissement BE234
    assert doc["level"] == "local"
    assert (doc["start_date"], doc["end_date"]) == ("2020-08-26", "2025-07-12")
    assert (right.template_id, right.template_iri) == (template.id, CONCEPT)
    assert version.iri == (
        "http://data.lblod.info/id/public-service-snapshot/6e9334cb-272c-443d-8b0a-1b02149a5127"
    )
    assert version.generated_at.replace(tzinfo=UTC) == datetime(
        2024, 2, 28, 2, 16, 39, 134000, tzinfo=UTC
    )
    assert right.lpdc_metadata["received"]["geografischToepassingsgebieden"] == [
        "BE234",
        "BE23444021",
    ]


def test_an_ipdc_instance_adds_its_unknown_authority_from_lpdcs_list(lpdc_app):
    report = run(lpdc_app, example("ipdc-api-instantie.jsonld"))
    assert len(report.created) == 1
    with session_scope(lpdc_app) as session:
        right = right_by_iri(session, DIEST)
        admin = session.get(Administration, right.owner_id)
        doc = document(session, right)
    assert (admin.id, admin.ovo, admin.kind, admin.level) == (
        "ocmw-diest",
        "OVO002514",
        "ocmw",
        "Lokaal",
    )
    assert admin.municipality_nis == "24020"
    # the OCMW writes formally (its manual text is the formal one), so the formal text is ours
    assert (admin.dutch_variant, right.dutch_variant) == ("nl-BE-x-formal", "nl-BE-x-formal")
    assert "zodat u het contract" in doc["description"]["nl"]
    assert doc["title"]["en"] == "titel en"
    assert doc["scope"] == {"municipalities": ["24020"]}
    assert doc["product_type"] == "AdviesBegeleiding"
    assert doc["target_audiences"] == ["Burger", "Vereniging", "VlaamseOverheid"]
    assert doc["product_number"] == "44679"
    assert (doc["start_date"], doc["end_date"]) == ("2024-03-12", "2024-09-21")
    assert right.lpdc_extra["linkedConceptProductnummer"] == "44618"
    assert right.lpdc_metadata["metadata"]["generatedInformeleFields"] is True
    assert right.template_iri.endswith("a7cedff2-e87d-42ca-b491-27075b7e15c2")


def test_an_ipdc_concept_becomes_a_model_entry(lpdc_app):
    run(lpdc_app, example("concept-snapshot.jsonld"))
    with session_scope(lpdc_app) as session:
        template = session.exec(select(EntryTemplate).where(EntryTemplate.iri == CONCEPT)).one()
        items = session.exec(select(RecordItem).where(RecordItem.template_id == template.id))
        lists = {}
        for item in items:
            lists.setdefault(item.list_name, []).append(item)
        version = session.exec(
            select(TemplateVersion).where(TemplateVersion.template_id == template.id)
        ).one()
    # no manual Dutch text: the generated informal one (our register), then plain nl
    assert template.title["nl"] == "Akte van Belgische nationaliteit - informal"
    assert template.title["en"] == "Certificate of Belgian nationality"
    assert template.product_number == "1502"
    assert template.tags == ["YourEuropeVerplicht"]
    assert template.competent_levels == ["Federaal", "Europees"]
    assert sorted(lists) == [
        "costs",
        "financial_advantages",
        "legal_resources",
        "more_info",
        "procedures",
        "requirements",
    ]
    assert lists["requirements"][0].data["evidence"]["title"]["nl"] == "Bewijs - informal"
    assert lists["procedures"][0].data["websites"][0]["url"] == "https://procedure-website.com"
    assert lists["legal_resources"][0].url == "https://ipdc.be/regelgeving"
    assert template.lpdc_metadata["publicatieLink"]["url"].startswith("https://www.uat-vlaanderen")
    assert version.iri.endswith("/conceptsnapshot/50fd7f03-276f-403e-ad39-152dba4e39be")


def member(name: str, index: int = 0) -> dict:
    return copy.deepcopy(example(name)["member"][index])


def a_version(base: dict, n: int, at: str) -> dict:
    out = copy.deepcopy(base)
    out["@id"] = (
        f"http://data.lblod.info/id/public-service-snapshot/00000000-0000-4000-8000-{n:012d}"
    )
    out["generatedAtTime"] = at
    return out


def test_the_newest_version_wins_and_an_older_one_never_overwrites_it(lpdc_app):
    akte = member("instance-snapshot-ldes-page.json")
    newer = a_version(akte, 2, "2024-05-01T00:00:00Z")
    newer["naam"]["nl-BE-x-informal"] = "Akte (nieuw)"
    older = a_version(akte, 3, "2024-01-01T00:00:00Z")
    older["naam"]["nl-BE-x-informal"] = "Akte (oud)"
    run(lpdc_app, {"member": [akte]})
    report = run(lpdc_app, {"member": [newer]})
    assert len(report.updated) == 1
    report = run(lpdc_app, {"member": [older]})
    assert len(report.unchanged) == 1
    assert report.unchanged[0].note.startswith("older than the version we hold")
    # within one file too, whatever the order
    newest = a_version(newer, 4, "2024-06-01T00:00:00Z")
    newest["naam"]["nl-BE-x-informal"] = "Akte (nieuwste)"
    report = run(lpdc_app, {"member": [newest, older]})
    assert (len(report.updated), len(report.unchanged)) == (1, 1)
    with session_scope(lpdc_app) as session:
        right = right_by_iri(session, AKTE)
        numbers = session.exec(
            select(RightVersion.number).where(RightVersion.right_id == right.id)
        ).all()
        assert right.title["nl"] == "Akte (nieuwste)"
        assert sorted(numbers) == [1, 2, 3]
    assert run(lpdc_app, {"member": [akte]}).unchanged[0].note.startswith("older")


def test_the_archived_version_is_the_one_kept(lpdc_app):
    run(lpdc_app, example("instance-snapshot-ldes-page.json"))
    with session_scope(lpdc_app) as session:
        right = right_by_iri(session, ARCHIVED)
        assert (right.status, right.archived) == ("archived", True)
        assert right.title == {"nl": "Instantie die gearchiveerd is"}


def test_a_broken_record_is_named_and_leaves_nothing_while_the_others_go_in(lpdc_app):
    good = [member("instance-snapshot-ldes-page.json", i) for i in (0, 2)]
    diest = example("ipdc-api-instantie.jsonld")
    broken = copy.deepcopy(diest)  # owned by an OCMW we would add ... if it were valid
    broken["@id"] = "http://data.lblod.info/id/public-service/11111111-2222-4333-8444-555555555555"
    broken["naam"]["nl-BE-x-formal"] = "Kapot record"
    broken["themas"] = ["BurgerOverheid", "Zwemmen"]
    doc = {
        "@context": ["http://hostname/ipdc-lpdc-im.jsonld"],
        "member": [good[0], broken, good[1]],
    }
    with session_scope(lpdc_app) as session:
        version_before = get_catalog_version(session=session)
        admins_before = count(session, Administration)
    report = run(lpdc_app, doc)
    assert len(report.created) == 2
    assert [(o.record, o.kind, o.note) for o in report.rejected] == [
        (f"Kapot record <{broken['@id']}>", "right", "themas: unknown code 'Zwemmen'")
    ]
    assert "rejected: Kapot record" in "\n".join(report.lines())
    with session_scope(lpdc_app) as session:
        assert not session.exec(select(Right).where(Right.iri == broken["@id"])).all()
        assert count(session, Administration) == admins_before  # OCMW Diest was not added
        assert (
            session.exec(select(Administration).where(Administration.ovo == "OVO002514")).first()
            is None
        )
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "lpdc_import")).all()
        assert sorted(e.details["record"] for e in events) == sorted([AKTE, ARCHIVED])
        assert get_catalog_version(session=session) == version_before + 1


def test_an_unknown_authority_rejects_the_record(lpdc_app):
    diest = example("ipdc-api-instantie.jsonld")
    diest["bevoegdeOverheden"] = [{"id": "OVO999999"}]
    report = run(lpdc_app, diest)
    assert report.rejected[0].note.startswith(
        "bevoegdeOverheden: unknown authority https://data.vlaanderen.be/id/organisatie/OVO999999"
    )


def test_a_crash_halfway_leaves_the_database_as_before_the_file(lpdc_app, monkeypatch):
    doc = example("instance-snapshot-ldes-page.json")
    doc["member"].append(example("ipdc-api-instantie.jsonld"))
    with session_scope(lpdc_app) as session:
        before = {m: count(session, m) for m in (Right, RecordItem, RightVersion, Administration)}
        version_before = get_catalog_version(session=session)
    real = importer._write_right
    calls = []

    def crash_on_second(session, state, plan):  # type: ignore[no-untyped-def]
        calls.append(plan.incoming.record_iri)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(session, state, plan)

    monkeypatch.setattr(importer, "_write_right", crash_on_second)
    with pytest.raises(RuntimeError, match="disk full"):
        run(lpdc_app, doc)
    assert len(calls) == 2
    with session_scope(lpdc_app) as session:
        after = {m: count(session, m) for m in (Right, RecordItem, RightVersion, Administration)}
        assert after == before
        assert get_catalog_version(session=session) == version_before
        assert not session.exec(select(AuditEvent).where(AuditEvent.action == "lpdc_import")).all()
    monkeypatch.setattr(importer, "_write_right", real)
    assert len(run(lpdc_app, doc).created) == 3  # the same file goes in once the fault is gone


def test_a_new_concept_version_marks_the_rights_made_from_it(lpdc_app):
    concept = example("concept-snapshot.jsonld")
    run(lpdc_app, concept)
    run(lpdc_app, example("instance-snapshot-ldes-page.json"))  # Akte is made from it
    newer = copy.deepcopy(concept)
    newer["@id"] = (
        "https://ipdc.tni-vlaanderen.be/id/conceptsnapshot/99999999-276f-403e-ad39-152dba4e39be"
    )
    newer["generatedAtTime"] = "2024-09-01T10:00:00Z"
    newer["naam"]["nl-BE-x-generated-informal"] = "Akte van Belgische nationaliteit (nieuw)"
    newer["kosten"][0]["beschrijving"]["nl-BE-x-generated-informal"] = (
        "<p>Het attest kost 5 euro.</p>"
    )
    report = run(lpdc_app, newer)
    assert (len(report.updated), report.marked_for_review) == (1, 1)
    assert "1 right(s) now need review" in report.summary()
    with session_scope(lpdc_app) as session:
        right = right_by_iri(session, AKTE)
        template = session.get(EntryTemplate, right.template_id)
        assert (right.review_status, right.changed_blocks) == (
            "template_changed",
            ["basic", "costs"],
        )
        assert right.based_on_template_version == 1
        assert template.version == 2
    # the older snapshot arriving late changes nothing
    report = run(lpdc_app, concept)
    assert report.unchanged[0].note.startswith("older than the version we hold")
    with session_scope(lpdc_app) as session:
        template = session.exec(select(EntryTemplate).where(EntryTemplate.iri == CONCEPT)).one()
        assert template.title["nl"] == "Akte van Belgische nationaliteit (nieuw)"


def test_a_right_imported_before_its_concept_is_linked_when_the_concept_arrives(lpdc_app):
    run(lpdc_app, example("instance-snapshot-ldes-page.json"))
    with session_scope(lpdc_app) as session:
        assert right_by_iri(session, AKTE).template_id is None
    run(lpdc_app, example("concept-snapshot-ldes-page.json"))
    with session_scope(lpdc_app) as session:
        right = right_by_iri(session, AKTE)
        assert right.template_id is not None
        assert right.based_on_template_version == 1


def test_a_right_being_edited_here_is_not_overwritten(lpdc_app):
    akte = member("instance-snapshot-ldes-page.json")
    run(lpdc_app, {"member": [akte]})
    with session_scope(lpdc_app) as session:
        right = right_by_iri(session, AKTE)
        right.status = "draft"
        session.add(right)
    report = run(lpdc_app, {"member": [a_version(akte, 7, "2025-01-01T00:00:00Z")]})
    assert "being edited here (status draft)" in report.rejected[0].note


def people(app):  # type: ignore[no-untyped-def]
    actors = {}
    with session_scope(app) as session:
        for email, role, admin in (
            ("gent@example.org", "editor", "stad-gent"),
            ("antwerpen@example.org", "editor", "stad-antwerpen"),
            ("kc@example.org", "admin", None),
            ("dossier@example.org", "dossier_worker", "ocmw-gent"),
        ):
            create_user(session=session, email=email, name=email, password=PASSWORD)
            grant(session=session, email=email, role=role, administration_id=admin)
            actors[email.split("@")[0]] = actor_for(
                session=session, user=get_user(session=session, email=email)
            )
    return actors


def test_editors_import_only_their_own_administrations_records(lpdc_app):
    actors = people(lpdc_app)
    page = example("instance-snapshot-ldes-page.json")  # both instances belong to Stad Gent
    report = run(lpdc_app, page, actor=actors["antwerpen"])
    assert len(report.rejected) == 2
    assert "may not create for stad-gent" in report.rejected[0].note
    assert len(run(lpdc_app, page, actor=actors["gent"]).created) == 2
    report = run(lpdc_app, example("concept-snapshot.jsonld"), actor=actors["gent"])
    assert "admins only" in report.rejected[0].note
    assert len(run(lpdc_app, example("concept-snapshot.jsonld"), actor=actors["kc"]).created) == 1


def test_the_api_imports_for_editors_with_a_token(lpdc_app):
    people(lpdc_app)
    with session_scope(lpdc_app) as session:
        tokens = {
            who: issue_token(session=session, email=f"{who}@example.org", name="sync")
            for who in ("gent", "dossier")
        }
    client = lpdc_app.test_client()
    body = json.dumps(example("instance-snapshot-ldes-page.json"))
    assert client.post("/api/v1/import/lpdc", data=body).status_code == 401
    headers = {"Authorization": f"Bearer {tokens['dossier']}"}
    answer = client.post("/api/v1/import/lpdc", data=body, headers=headers)
    assert answer.status_code == 403
    headers = {"Authorization": f"Bearer {tokens['gent']}", "Content-Type": "application/ld+json"}
    answer = client.post("/api/v1/import/lpdc", data=body, headers=headers)
    assert answer.status_code == 200
    assert answer.get_json()["counts"] == {
        "created": 2,
        "updated": 0,
        "unchanged": 1,
        "rejected": 0,
    }
    files = {
        "file": [
            (io.BytesIO((EXAMPLES / "ipdc-api-instantie.jsonld").read_bytes()), "ipdc.jsonld"),
            (io.BytesIO(body.encode("utf-8")), "page.json"),
        ]
    }
    answer = client.post(
        "/api/v1/import/lpdc",
        data=files,
        headers={"Authorization": f"Bearer {tokens['gent']}"},
        content_type="multipart/form-data",
    )
    report = answer.get_json()
    assert answer.status_code == 200
    assert report["counts"]["unchanged"] == 3  # the page again
    assert "may not create for ocmw-diest" in report["rejected"][0]["note"]  # not Gent's
    answer = client.post("/api/v1/import/lpdc", data="{nope", headers=headers)
    assert answer.status_code == 422


def test_the_command_imports_a_folder_with_a_report(lpdc_app, tmp_path: Path):
    for name in ("instance-snapshot-ldes-page.json", "ipdc-api-instantie.jsonld"):
        (tmp_path / name).write_bytes((EXAMPLES / name).read_bytes())
    runner = lpdc_app.test_cli_runner()
    result = runner.invoke(args=["lpdc", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "LPDC import: 3 created, 0 updated, 1 unchanged, 0 rejected." in result.output
    assert "unchanged:" not in result.output  # only rejections are listed by default
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    result = runner.invoke(args=["lpdc", "import", "--verbose", str(tmp_path)])
    assert result.exit_code == 1
    assert "0 created, 0 updated, 4 unchanged, 1 rejected" in result.output
    assert "rejected: broken.json: broken.json is not JSON" in result.output
    assert (
        f"unchanged: Akte van Belgische nationaliteit <{AKTE}>: this version is the one we hold"
        in result.output
    )


def test_the_command_rolls_a_crashing_file_back(lpdc_app, monkeypatch, tmp_path: Path):
    (tmp_path / "page.json").write_bytes(
        (EXAMPLES / "instance-snapshot-ldes-page.json").read_bytes()
    )

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("interrupted")

    monkeypatch.setattr(importer, "_write_right", crash)
    result = lpdc_app.test_cli_runner().invoke(args=["lpdc", "import", str(tmp_path / "page.json")])
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)
    with session_scope(lpdc_app) as session:
        assert not session.exec(select(Right).where(Right.origin == "lpdc")).all()


def test_dates_of_the_import_are_kept(lpdc_app):
    run(lpdc_app, example("instance-snapshot-ldes-page.json"))
    with session_scope(lpdc_app) as session:
        right = right_by_iri(session, AKTE)
        assert right.created_at.replace(tzinfo=UTC) == datetime(
            2024, 2, 14, 13, 42, 12, 357000, tzinfo=UTC
        )
        assert right.modified_at.replace(tzinfo=UTC) == datetime(
            2024, 2, 14, 13, 59, 25, 237000, tzinfo=UTC
        )
        assert right.start_date == date(2020, 8, 26)


def test_a_version_published_here_later_is_not_overwritten_by_an_older_lpdc_one(lpdc_app):
    from rechtenverkenner.catalog.services import _add_version
    from rechtenverkenner.editor.services import items_of

    akte = member("instance-snapshot-ldes-page.json")
    run(lpdc_app, {"member": [akte]})
    with session_scope(lpdc_app) as session:
        right = right_by_iri(session, AKTE)
        right.title = {**right.title, "nl": "Akte (hier bijgewerkt)"}
        right.version += 1  # what editor.publish does: a new complete version, now
        _add_version(session, right, items_of(session, right.id))
    later_in_lpdc = a_version(akte, 8, "2024-05-01T00:00:00Z")
    report = run(lpdc_app, {"member": [later_in_lpdc]})
    assert report.unchanged[0].note.startswith("older than the version we hold")
    with session_scope(lpdc_app) as session:
        assert right_by_iri(session, AKTE).title["nl"] == "Akte (hier bijgewerkt)"


def test_imported_rights_show_on_the_public_site(lpdc_app):
    for name in ("instance-snapshot-ldes-page.json", "ipdc-api-instantie.jsonld"):
        run(lpdc_app, example(name))
    client = lpdc_app.test_client()
    assert client.get("/rechten/akte-van-belgische-nationaliteit").status_code == 200
    detail = client.get("/api/v1/rights/akte-van-belgische-nationaliteit").get_json()
    assert detail["title"] == "Akte van Belgische nationaliteit"
    found = client.get("/api/v1/rights?q=akte&municipality=9000").get_json()
    assert [i["slug"] for i in found["items"]] == ["akte-van-belgische-nationaliteit"]
    assert client.get("/rechten/instantie-die-gearchiveerd-is").status_code == 404  # archived


def test_a_tombstone_archives_the_record_and_deletes_nothing(lpdc_app):
    run(lpdc_app, {"member": [member("instance-snapshot-ldes-page.json")]})
    tombstone = {
        "@id": "http://data.lblod.info/id/public-service-snapshot/0000-tombstone",
        "@type": "https://www.w3.org/ns/activitystreams#Tombstone",
        "isVersionOf": AKTE,
        "https://www.w3.org/ns/activitystreams#deleted": "2024-06-01T00:00:00Z",
    }
    report = run(lpdc_app, {"member": [tombstone]})
    assert [o.note for o in report.updated] == ["archived: deleted at the source"]
    with session_scope(lpdc_app) as session:
        right = right_by_iri(session, AKTE)
        assert (right.status, right.archived, right.version) == ("archived", True, 2)
        assert count(session, RecordItem) > 0  # the content stays
    assert (
        run(lpdc_app, {"member": [tombstone]}).unchanged[0].note.endswith("already archived here")
    )
    unknown = {**tombstone, "isVersionOf": "http://data.lblod.info/id/public-service/nowhere"}
    assert run(lpdc_app, {"member": [unknown]}).unchanged[0].note.endswith("not in our catalogue")
