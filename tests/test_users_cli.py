"""`flask users ...`: accounts, roles and API tokens from the command line; no password shown."""

from __future__ import annotations

import itertools

from sqlmodel import select

from rechtenverkenner.accounts.models import Membership, User
from rechtenverkenner.accounts.services import get_user, user_for_token
from rechtenverkenner.db import session_scope

PASSWORD = "correct horse battery staple"
_numbers = itertools.count()


def new_email() -> str:
    return f"cli-{next(_numbers)}@example.org"


def create(runner, email: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        args=["users", "create", email, "--name", "An Peeters", "--password-stdin"],
        input=PASSWORD + "\n",
    )


def roles_of(web_app, email: str) -> set[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    with session_scope(web_app) as session:
        user = get_user(session=session, email=email)
        rows = session.exec(select(Membership).where(Membership.user_id == user.id))
        return {(m.role, m.administration_id) for m in rows}


def test_create_asks_the_password_twice_and_never_shows_it(runner, web_app):  # type: ignore[no-untyped-def]
    email = new_email()
    result = runner.invoke(
        args=["users", "create", email, "--name", "An Peeters"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert f"Created the account {email}" in result.stdout
    assert PASSWORD not in result.output
    with session_scope(web_app) as session:
        user = get_user(session=session, email=email)
        assert user.name == "An Peeters"
        assert PASSWORD not in user.password_hash


def test_create_reads_the_password_from_stdin_for_scripts(runner):  # type: ignore[no-untyped-def]
    email = new_email()
    result = create(runner, email)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    again = create(runner, email)
    assert again.exit_code == 1
    assert "already has an account" in again.stderr


def test_a_short_password_is_refused_with_a_clear_message(runner, web_app):  # type: ignore[no-untyped-def]
    email = new_email()
    result = runner.invoke(
        args=["users", "create", email, "--name", "Kort", "--password-stdin"], input="kort\n"
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: a password needs at least 12 characters"
    assert "kort" not in result.output
    with session_scope(web_app) as session:
        assert session.exec(select(User).where(User.email == email)).first() is None


def test_grant_and_revoke_a_role_for_an_administration(runner, web_app):  # type: ignore[no-untyped-def]
    email = new_email()
    create(runner, email)
    result = runner.invoke(args=["users", "grant", email, "editor", "ocmw-gent"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{email} is now editor for ocmw-gent."
    runner.invoke(args=["users", "grant", email, "reviewer", "stad-antwerpen"])
    runner.invoke(args=["users", "grant", email, "admin"])
    assert roles_of(web_app, email) == {
        ("editor", "ocmw-gent"),
        ("reviewer", "stad-antwerpen"),
        ("admin", None),
    }
    result = runner.invoke(args=["users", "revoke", email, "editor", "ocmw-gent"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{email} is no longer editor for ocmw-gent."
    result = runner.invoke(args=["users", "revoke", email, "admin"])
    assert result.exit_code == 0, result.output
    assert roles_of(web_app, email) == {("reviewer", "stad-antwerpen")}
    result = runner.invoke(args=["users", "revoke", email, "editor", "ocmw-gent"])
    assert result.exit_code == 0
    assert "nothing changed" in result.stdout


def test_an_unknown_role_is_refused_with_a_clear_message(runner, web_app):  # type: ignore[no-untyped-def]
    email = new_email()
    create(runner, email)
    for command in ("grant", "revoke"):
        result = runner.invoke(args=["users", command, email, "superuser", "ocmw-gent"])
        assert result.exit_code == 1, command
        assert "unknown role 'superuser'" in result.stderr
        assert "admin, editor, reviewer, dossier_worker" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert roles_of(web_app, email) == set()


def test_a_role_needs_a_known_administration_and_a_known_user(runner):  # type: ignore[no-untyped-def]
    email = new_email()
    create(runner, email)
    result = runner.invoke(args=["users", "grant", email, "editor"])
    assert result.exit_code == 1
    assert "role editor needs a known administration" in result.stderr
    result = runner.invoke(args=["users", "grant", email, "editor", "stad-nergens"])
    assert result.exit_code == 1
    assert "'stad-nergens'" in result.stderr
    result = runner.invoke(args=["users", "revoke", email, "editor"])
    assert result.exit_code == 1
    assert "role editor needs an administration" in result.stderr
    result = runner.invoke(args=["users", "grant", "niemand@example.org", "admin"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no account for niemand@example.org"


def test_a_token_is_shown_once_works_and_stops_working_when_revoked(runner, web_app):  # type: ignore[no-untyped-def]
    email = new_email()
    create(runner, email)
    result = runner.invoke(args=["users", "token-create", email, "gent-koppeling"])
    assert result.exit_code == 0, result.output
    token, notice = result.stdout.strip().splitlines()
    assert token.startswith("rv_")
    assert "shown only now" in notice
    with session_scope(web_app) as session:
        user = user_for_token(session=session, token=token)
        assert user is not None
        assert user.email == email

    result = runner.invoke(args=["users", "token-revoke", email, "gent-koppeling"])
    assert result.exit_code == 0, result.output
    assert "Revoked 1 API token(s)" in result.stdout
    with session_scope(web_app) as session:
        assert user_for_token(session=session, token=token) is None

    again = runner.invoke(args=["users", "token-revoke", email, "gent-koppeling"])
    assert again.exit_code == 1
    assert "no active API token named 'gent-koppeling'" in again.stderr


def test_a_token_for_an_unknown_user_is_refused(runner):  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["users", "token-create", "niemand@example.org", "x"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "Error: no account for niemand@example.org"
