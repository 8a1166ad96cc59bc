"""Loading `catalog/` into the database: idempotent, versioned, nothing lost (both back ends)."""

from __future__ import annotations

from sqlmodel import func, select

from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.catalog.models import (
    Administration,
    Municipality,
    Postcode,
    RecordItem,
    Right,
    RightVersion,
    TemplateVersion,
)
from rechtenverkenner.catalog.services import get_catalog_version, load_catalog
from rechtenverkenner.db import session_scope


def load(app, folder):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        return load_catalog(session=session, data=read_catalog(folder))


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.exec(select(func.count()).select_from(model)).one()


def test_first_load_creates_everything(empty_app, mini_catalog):
    report = load(empty_app, mini_catalog)
    assert report.created["rights"] == 6
    assert report.created["model entries"] == 1
    assert report.created["municipalities"] == 594
    assert report.version == 1
    with session_scope(empty_app) as session:
        assert count(session, Postcode) == 1158
        assert count(session, Administration) == 46
        assert count(session, RightVersion) == 6
        assert count(session, TemplateVersion) == 1
        gent = session.exec(select(Right).where(Right.slug == "gent-testrecht")).one()
        assert gent.status == "published"
        assert gent.owner_id == "stad-gent"
        assert gent.template_id is not None
        assert gent.iri.startswith("http://data.lblod.info/id/public-service/")


def test_second_load_changes_nothing(empty_app, mini_catalog):
    load(empty_app, mini_catalog)
    with session_scope(empty_app) as session:
        before = count(session, RightVersion), count(session, RecordItem)
    report = load(empty_app, mini_catalog)
    assert not report.changed
    assert report.summary() == "Catalogue unchanged (version 1)."
    with session_scope(empty_app) as session:
        assert (count(session, RightVersion), count(session, RecordItem)) == before
        assert get_catalog_version(session=session) == 1


def test_a_changed_right_gets_exactly_one_new_complete_version(empty_app, catalog_copy):
    load(empty_app, catalog_copy)
    path = catalog_copy / "rights" / "gent-testrecht.yaml"
    path.write_text(path.read_text().replace("Korting in Gent.", "Meer korting in Gent."))
    report = load(empty_app, catalog_copy)
    assert report.updated == {"rights": 1}
    assert report.version == 2
    with session_scope(empty_app) as session:
        gent = session.exec(select(Right).where(Right.slug == "gent-testrecht")).one()
        versions = session.exec(
            select(RightVersion)
            .where(RightVersion.right_id == gent.id)
            .order_by(RightVersion.number)
        ).all()
        assert [v.number for v in versions] == [1, 2]
        assert versions[0].data["summary"]["nl"] == "Korting in Gent."  # immutable
        assert versions[1].data["summary"]["nl"] == "Meer korting in Gent."
        assert versions[1].data["contact_points"][0]["phone"] == "09 210 10 10"  # complete
        items = session.exec(select(RecordItem).where(RecordItem.right_id == gent.id)).all()
        assert len(items) == 1  # child items replaced, not duplicated


def test_a_removed_right_is_archived_not_deleted(empty_app, catalog_copy):
    load(empty_app, catalog_copy)
    (catalog_copy / "rights" / "antwerpen-testrecht.yaml").unlink()
    report = load(empty_app, catalog_copy)
    assert report.archived == {"rights": 1}
    with session_scope(empty_app) as session:
        right = session.exec(select(Right).where(Right.slug == "antwerpen-testrecht")).one()
        assert right.status == "archived"
        assert right.version == 2
    client = empty_app.test_client()
    assert client.get("/api/v1/rights/antwerpen-testrecht").status_code == 404


def test_a_broken_catalogue_loads_nothing(empty_app, catalog_copy):
    path = catalog_copy / "rights" / "gent-testrecht.yaml"
    path.write_text(path.read_text().replace("level: local", "level: cosmic"))
    result = empty_app.test_cli_runner().invoke(args=["catalog", "load", str(catalog_copy)])
    assert result.exit_code != 0
    assert "catalog/rights/gent-testrecht.yaml: level" in result.output
    with session_scope(empty_app) as session:
        assert count(session, Municipality) == 0


def test_load_command_reports_and_is_idempotent(empty_app, mini_catalog):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(args=["catalog", "load", str(mini_catalog)])
    assert first.exit_code == 0, first.output
    assert "created" in first.output
    second = runner.invoke(args=["catalog", "load", str(mini_catalog)])
    assert "Catalogue unchanged" in second.output


def test_workers_see_a_new_catalogue_version(empty_app, catalog_copy):
    """Two apps on one database stand for two workers: a load by one reaches the other."""
    from tests.conftest import make_test_app

    load(empty_app, catalog_copy)
    other = make_test_app(empty_app.config["DATABASE_URL"], catalog_copy)
    before = other.test_client().get("/api/v1/rights/gent-testrecht").get_json()
    assert before["summary"] == "Korting in Gent."
    path = catalog_copy / "rights" / "gent-testrecht.yaml"
    path.write_text(path.read_text().replace("Korting in Gent.", "Nieuwe korting."))
    load(empty_app, catalog_copy)
    after = other.test_client().get("/api/v1/rights/gent-testrecht").get_json()
    assert after["summary"] == "Nieuwe korting."
    other.extensions["rv_engine"].dispose()
