"""The editor's service layer on both databases: template → draft → review → publish, locks,
sanitising, the audit log, and who may do what (the policy, whatever the page or API)."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import select

from rechtenverkenner.accounts.policy import Forbidden, NotLoggedIn
from rechtenverkenner.accounts.services import (
    AccountError,
    actor_for,
    authenticate,
    create_user,
    grant,
    issue_token,
    revoke_token,
    user_for_token,
)
from rechtenverkenner.catalog.models import EntryTemplate, Right
from rechtenverkenner.catalog.queries import RightFilters, filter_rights
from rechtenverkenner.catalog.snapshot import build_snapshot
from rechtenverkenner.db import session_scope
from rechtenverkenner.editor import services as editor

PASSWORD = "correct horse battery staple"
_numbers = itertools.count()


def person(session, role, administration, name=None):  # type: ignore[no-untyped-def]
    email = f"{name or role}-{next(_numbers)}@example.org"
    create_user(session=session, email=email, name=email, password=PASSWORD)
    if role:
        grant(session=session, email=email, role=role, administration_id=administration)
    from rechtenverkenner.accounts.services import get_user

    return actor_for(session=session, user=get_user(session=session, email=email))


def template_id(session) -> str:  # type: ignore[no-untyped-def]
    return session.exec(select(EntryTemplate).where(EntryTemplate.slug == "testmodel")).one().id


FILLED = {
    "title": {"nl": "Gentse korting op zwemmen"},
    "description": {"nl": "<p>Met je kansenpas zwem je goedkoper.</p>"},
    "contact_points": [{"email": "info@ocmw.gent", "phone": "09 266 99 00"}],
}


def make_published(session):  # type: ignore[no-untyped-def]
    editor_ = person(session, "editor", "ocmw-gent")
    reviewer = person(session, "reviewer", "ocmw-gent")
    right = editor.instantiate(session, editor_, template_id(session), "ocmw-gent")
    editor.save(session, editor_, right.id, right.lock_version, FILLED)
    editor.submit(session, editor_, right.id)
    editor.approve(session, reviewer, right.id)
    editor.publish(session, reviewer, right.id)
    return right, editor_, reviewer


def test_template_to_published_right_is_found_for_9000_not_2000(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        right, editor_, _ = make_published(session)
        rows = editor.templates_for(session, editor_, "ocmw-gent")
        assert [r["added"] for r in rows if r["slug"] == "testmodel"] == [True]
        snapshot = build_snapshot(session=session)
        slug = right.slug
    found = {
        d["slug"]
        for d, _ in filter_rights(snapshot, RightFilters(q="zwemmen", municipality="9000")).items
    }
    assert slug in found
    found = {
        d["slug"]
        for d, _ in filter_rights(snapshot, RightFilters(q="zwemmen", municipality="2000")).items
    }
    assert slug not in found


def test_instantiate_copies_content_with_the_own_territory(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        editor_ = person(session, "editor", "ocmw-gent")
        right = editor.instantiate(session, editor_, template_id(session), "ocmw-gent")
        assert right.status == "draft"
        assert right.scope == {"municipalities": ["44021"]}
        assert right.criteria == [{"kind": "residence", "municipalities": ["44021"]}]
        assert "ocmw-gent" in right.executing_authorities
        assert right.title["nl"] == "Testmodel"


def test_another_citys_editor_can_neither_read_change_nor_publish(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        right, _, _ = make_published(session)
        antwerp = person(session, "editor", "stad-antwerpen")
        antwerp_reviewer = person(session, "reviewer", "stad-antwerpen")
        with pytest.raises(Forbidden):
            editor.get_right(session, antwerp, right.id, "read_draft")
        with pytest.raises(Forbidden):
            editor.save(session, antwerp, right.id, right.lock_version, {"title": {"nl": "x"}})
        with pytest.raises(Forbidden):
            editor.publish(session, antwerp_reviewer, right.id)
        with pytest.raises(Forbidden):
            editor.instantiate(session, antwerp, template_id(session), "ocmw-gent")
        with pytest.raises(NotLoggedIn):
            editor.submit(session, None, right.id)


def test_an_editor_cannot_review_and_a_reviewer_cannot_edit(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        editor_ = person(session, "editor", "ocmw-gent")
        reviewer = person(session, "reviewer", "ocmw-gent")
        right = editor.instantiate(session, editor_, template_id(session), "ocmw-gent")
        editor.save(session, editor_, right.id, right.lock_version, FILLED)
        editor.submit(session, editor_, right.id)
        with pytest.raises(Forbidden):
            editor.approve(session, editor_, right.id)
        with pytest.raises(Forbidden):
            editor.save(session, reviewer, right.id, right.lock_version, {"title": {"nl": "x"}})


def test_a_stale_save_is_a_conflict_and_the_first_edit_stays(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        editor_ = person(session, "editor", "ocmw-gent")
        right = editor.instantiate(session, editor_, template_id(session), "ocmw-gent")
        opened = right.lock_version
        editor.save(session, editor_, right.id, opened, {"title": {"nl": "Eerste versie"}})
        with pytest.raises(editor.Conflict) as caught:
            editor.save(session, editor_, right.id, opened, {"title": {"nl": "Tweede versie"}})
        assert caught.value.current["title"]["nl"] == "Eerste versie"
        assert session.get(Right, right.id).title["nl"] == "Eerste versie"


def test_scripts_and_javascript_links_never_survive(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        editor_ = person(session, "editor", "ocmw-gent")
        right = editor.instantiate(session, editor_, template_id(session), "ocmw-gent")
        editor.save(
            session,
            editor_,
            right.id,
            right.lock_version,
            {
                "title": {"nl": "Titel<script>alert(1)</script>"},
                "description": {
                    "nl": '<p onclick="x()">Tekst <a href="javascript:alert(1)">klik</a>'
                    "<script>alert(2)</script></p>"
                },
                "requirements": [
                    {
                        "title": {"nl": "Voorwaarde"},
                        "description": {"nl": "<img src=x onerror=alert(3)>Uitleg"},
                    }
                ],
            },
        )
        doc = editor.document(session, session.get(Right, right.id))
        text = str(doc)
        assert "<script" not in text
        assert "javascript:" not in text
        assert "onclick" not in text
        assert "onerror" not in text
        assert doc["requirements"][0]["description"]["nl"] == "Uitleg"


def test_submit_is_blocked_by_validation_errors_with_the_field_named(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        editor_ = person(session, "editor", "ocmw-gent")
        right = editor.instantiate(session, editor_, template_id(session), "ocmw-gent")
        editor.save(
            session,
            editor_,
            right.id,
            right.lock_version,
            {"procedures": [{"title": {"nl": "Aanvragen"}}]},
        )
        with pytest.raises(editor.Blocked) as caught:
            editor.submit(session, editor_, right.id)
        assert "procedures 1: a title and a description are needed" in caught.value.errors


def test_rejection_needs_a_reason_and_every_step_is_in_the_audit_log(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        editor_ = person(session, "editor", "ocmw-gent")
        reviewer = person(session, "reviewer", "ocmw-gent")
        right = editor.instantiate(session, editor_, template_id(session), "ocmw-gent")
        editor.save(session, editor_, right.id, right.lock_version, FILLED)
        editor.submit(session, editor_, right.id)
        with pytest.raises(editor.Blocked):
            editor.reject(session, reviewer, right.id, "  ")
        editor.reject(session, reviewer, right.id, "Het bedrag ontbreekt.")
        editor.submit(session, editor_, right.id)
        editor.approve(session, reviewer, right.id)
        editor.publish(session, reviewer, right.id)
        log = editor.audit_log(session, reviewer, right.id)
        assert [e.action for e in log] == [
            "instantiate",
            "save",
            "submitted",
            "rejected",
            "submitted",
            "approved",
            "published",
        ]
        assert log[3].details["reason"] == "Het bedrag ontbreekt."
        assert all(e.user_email and e.at for e in log)
        assert log[1].details["changed"] == ["contact_points", "description", "title"]


def test_editing_a_published_right_keeps_the_public_version_until_republished(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        right, editor_, reviewer = make_published(session)
        current = session.get(Right, right.id)
        editor.save(
            session,
            editor_,
            right.id,
            current.lock_version,
            {"title": {"nl": "Nieuwe titel in ontwerp"}},
        )
        assert session.get(Right, right.id).status == "draft"
        public = build_snapshot(session=session).right(right.slug)
        assert public["title"]["nl"] == "Gentse korting op zwemmen"


def test_failing_worked_examples_block_publish(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        editor_ = person(session, "editor", "ocmw-gent")
        reviewer = person(session, "reviewer", "ocmw-gent")
        right = editor.instantiate(session, editor_, template_id(session), "ocmw-gent")
        editor.save(session, editor_, right.id, right.lock_version, FILLED)
        session.get(Right, right.id).examples = [
            {
                "name": "Woont in Antwerpen",
                "date": "2025-06-01",
                "profile": {"municipality_nis": "11002"},
                "expect": "eligible",
            }
        ]
        editor.submit(session, editor_, right.id)
        editor.approve(session, reviewer, right.id)
        with pytest.raises(editor.Blocked) as caught:
            editor.publish(session, reviewer, right.id)
        assert "expected eligible, got not_eligible" in caught.value.errors[0]


def test_accounts_passwords_and_tokens(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        with pytest.raises(AccountError, match="12 characters"):
            create_user(session=session, email="kort@example.org", name="K", password="kort")
        user = create_user(session=session, email="Tok@Example.org", name="T", password=PASSWORD)
        assert user.email == "tok@example.org"
        assert user.password_hash.startswith("scrypt:")
        assert authenticate(session=session, email="tok@example.org", password=PASSWORD)
        assert authenticate(session=session, email="tok@example.org", password="wrong" * 3) is None
        token = issue_token(session=session, email="tok@example.org", name="batch")
        assert token not in str(session.exec(select(type(user))).all())
        assert user_for_token(session=session, token=token).id == user.id
        assert revoke_token(session=session, email="tok@example.org", name="batch") == 1
        assert user_for_token(session=session, token=token) is None
        with pytest.raises(AccountError):
            grant(session=session, email="tok@example.org", role="editor", administration_id=None)
