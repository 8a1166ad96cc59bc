"""A changed model entry marks its rights "review needed"; the editor resolves it three ways."""

from __future__ import annotations

import pytest
from sqlmodel import select

from rechtenverkenner.accounts.services import actor_for, create_user, get_user, grant
from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.catalog.models import EntryTemplate, Right
from rechtenverkenner.catalog.services import load_catalog
from rechtenverkenner.db import session_scope, upgrade_database
from rechtenverkenner.editor import services as editor
from rechtenverkenner.editor.template_changes import changed_blocks, three_way

PASSWORD = "correct horse battery staple"


@pytest.fixture
def setup(tmp_path, catalog_copy):  # type: ignore[no-untyped-def]
    from conftest import make_test_app

    url = f"sqlite:///{tmp_path / 'changes.sqlite3'}"
    upgrade_database(url)
    app = make_test_app(url, catalog_copy)
    with session_scope(app) as session:
        load_catalog(session=session, data=read_catalog(catalog_copy))
        create_user(session=session, email="ed@example.org", name="Ed", password=PASSWORD)
        grant(session=session, email="ed@example.org", role="editor", administration_id="ocmw-gent")
        actor = actor_for(session=session, user=get_user(session=session, email="ed@example.org"))
        template = session.exec(
            select(EntryTemplate).where(EntryTemplate.slug == "testmodel")
        ).one()
        right = editor.instantiate(session, actor, template.id, "ocmw-gent")
        editor.save(
            session,
            actor,
            right.id,
            right.lock_version,
            {"contact_points": [{"email": "eigen@ocmw.gent"}]},
        )
    path = catalog_copy / "templates" / "testmodel.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "<p>Kopieer dit naar je eigen stad.</p>", "<p>Nieuwe uitleg van het model.</p>"
    )
    path.write_text(text + "keywords: {nl: [zwemmen]}\n", encoding="utf-8")
    with session_scope(app) as session:
        report = load_catalog(session=session, data=read_catalog(catalog_copy))
    yield app, actor, right.id, report
    app.extensions["rv_engine"].dispose()


def test_a_new_template_version_marks_its_rights_with_the_changed_blocks(setup):  # type: ignore[no-untyped-def]
    app, actor, right_id, report = setup
    # ours and gent-testrecht of the catalogue, both made from testmodel
    assert report.updated["rights to review (model entry changed)"] == 2
    with session_scope(app) as session:
        right = session.get(Right, right_id)
        assert right.review_status == "template_changed"
        assert right.changed_blocks == ["basic", "related"]
        rows = three_way(session, editor.document(session, right), right)
        description = next(r for r in rows if r["field"] == "description")
        assert description["based_on"]["nl"] == "<p>Kopieer dit naar je eigen stad.</p>"
        assert description["latest"]["nl"] == "<p>Nieuwe uitleg van het model.</p>"


def test_take_over_completely_keeps_the_own_contact_points(setup):  # type: ignore[no-untyped-def]
    app, actor, right_id, _ = setup
    with session_scope(app) as session:
        editor.resolve_template_change(session, actor, right_id, "all")
        right = session.get(Right, right_id)
        doc = editor.document(session, right)
        assert doc["description"]["nl"] == "<p>Nieuwe uitleg van het model.</p>"
        assert doc["keywords"] == {"nl": ["zwemmen"]}
        assert doc["contact_points"][0]["email"] == "eigen@ocmw.gent"
        assert (right.review_status, right.changed_blocks, right.status) == (None, [], "draft")
        assert right.based_on_template_version == 2


def test_take_over_block_by_block_or_nothing(setup):  # type: ignore[no-untyped-def]
    app, actor, right_id, _ = setup
    with session_scope(app) as session:
        with pytest.raises(editor.Blocked):
            editor.resolve_template_change(session, actor, right_id, "blocks", ["costs"])
        editor.resolve_template_change(session, actor, right_id, "blocks", ["related"])
        doc = editor.document(session, session.get(Right, right_id))
        assert doc["keywords"] == {"nl": ["zwemmen"]}
        assert doc["description"]["nl"] == "<p>Kopieer dit naar je eigen stad.</p>"
        with pytest.raises(editor.WorkflowError):
            editor.resolve_template_change(session, actor, right_id, "none")


def test_only_functional_differences_count():
    a = {"title": {"nl": "X"}, "requirements": [{"id": "1", "order": 1, "title": {"nl": "R"}}]}
    b = {"title": {"nl": "X"}, "requirements": [{"id": "2", "order": 1, "title": {"nl": "R"}}]}
    assert changed_blocks(a, b) == []
    assert changed_blocks(a, {**b, "title": {"nl": "Y"}}) == ["basic"]
