"""Command groups `flask catalog`, `flask advice`, `flask users`: thin service wrappers."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from .catalog.loader import CatalogData, CatalogError, read_catalog
from .db import DatabaseCommands, session_scope


@click.group("catalog", cls=DatabaseCommands)
def catalog_cli() -> None:
    """Check and load the catalogue folder."""


def _read_or_fail(path: str | None) -> CatalogData:
    """Read the catalogue folder; on problems print each (file: key: message) and exit 1."""
    try:
        return read_catalog(Path(path or current_app.config["CATALOG_DIR"]))
    except CatalogError as exc:
        for issue in exc.issues:
            click.echo(str(issue), err=True)
        raise click.ClickException(f"{len(exc.issues)} problem(s) in the catalogue.") from None


@catalog_cli.command("check")
@click.argument("path", required=False)
def check_command(path: str | None) -> None:
    """Check the catalogue folder PATH (default: the configured catalog/) strictly."""
    data = _read_or_fail(path)
    click.echo(
        f"Catalogue OK: {len(data.rights)} rights, {len(data.templates)} model entries, "
        f"{len(data.parameters)} parameters, {len(data.administrations)} administrations, "
        f"{len(data.municipalities)} municipalities, "
        f"{len(data.examples) + len(data.leefloon_examples)} worked examples passed."
    )


@catalog_cli.command("load")
@click.argument("path", required=False)
def load_command(path: str | None) -> None:
    """Check the catalogue folder and load it into the database (idempotent)."""
    from .catalog.services import load_catalog

    data = _read_or_fail(path)
    with session_scope() as session:
        report = load_catalog(session=session, data=data)
    click.echo(report.summary())


@click.group("advice", cls=DatabaseCommands)
def advice_cli() -> None:
    """Stored leefloon advices (audit records)."""


@advice_cli.command("purge")
def purge_command() -> None:
    """Remove stored advice inputs whose retention period has ended (run it daily)."""
    from .audit.services import purge_inputs

    with session_scope() as session:
        count = purge_inputs(session=session)
    click.echo(f"Purged the input of {count} advice record(s).")


@click.group("users", cls=DatabaseCommands)
def users_cli() -> None:
    """Accounts, roles and API tokens."""


def _account_failed(exc: Exception) -> click.ClickException:
    """One clear line on stderr and exit code 1 (click prints "Error: ...")."""
    return click.ClickException(str(exc))


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of stdin (for scripts) instead of asking.",
)
def users_create_command(email: str, name: str, password_stdin: bool) -> None:
    """Create an account for EMAIL; the password is asked twice, never shown."""
    import sys

    from .accounts.services import AccountError, create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with session_scope() as session:
            user = create_user(session=session, email=email, name=name, password=password)
            created = user.email
    except AccountError as exc:
        raise _account_failed(exc) from None
    click.echo(f"Created the account {created}; give it a role with `flask users grant`.")


@users_cli.command("grant")
@click.argument("email")
@click.argument("role")
@click.argument("administration_id", required=False)
def users_grant_command(email: str, role: str, administration_id: str | None) -> None:
    """Give EMAIL the ROLE for ADMINISTRATION_ID (every role but admin needs one).

    ROLE is admin, editor, reviewer or dossier_worker; ADMINISTRATION_ID is an id from
    catalog/administrations.yaml, such as ocmw-gent.
    """
    from .accounts.services import AccountError, grant

    try:
        with session_scope() as session:
            grant(session=session, email=email, role=role, administration_id=administration_id)
    except AccountError as exc:
        raise _account_failed(exc) from None
    where = f" for {administration_id}" if role != "admin" else ""
    click.echo(f"{email} is now {role}{where}.")


@users_cli.command("revoke")
@click.argument("email")
@click.argument("role")
@click.argument("administration_id", required=False)
def users_revoke_command(email: str, role: str, administration_id: str | None) -> None:
    """Take the ROLE for ADMINISTRATION_ID away from EMAIL."""
    from .accounts.models import ROLES
    from .accounts.services import AccountError, revoke

    # The service only deletes what matches; refuse what can never match, so a typo is noticed.
    if role not in ROLES:
        raise click.ClickException(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if role != "admin" and not administration_id:
        raise click.ClickException(f"role {role} needs an administration")
    try:
        with session_scope() as session:
            count = revoke(
                session=session, email=email, role=role, administration_id=administration_id
            )
    except AccountError as exc:
        raise _account_failed(exc) from None
    where = f" for {administration_id}" if role != "admin" else ""
    if count:
        click.echo(f"{email} is no longer {role}{where}.")
    else:
        click.echo(f"{email} was not {role}{where}: nothing changed.")


@users_cli.command("token-create")
@click.argument("email")
@click.argument("token_name")
def users_token_create_command(email: str, token_name: str) -> None:
    """Issue an API token named TOKEN_NAME for EMAIL and print it (only this once)."""
    from .accounts.services import AccountError, issue_token

    try:
        with session_scope() as session:
            token = issue_token(session=session, email=email, name=token_name)
    except AccountError as exc:
        raise _account_failed(exc) from None
    click.echo(token)
    click.echo(
        f"This is the API token {token_name!r} of {email}. It is shown only now: "
        "only its hash is stored, so copy it to a safe place."
    )


@users_cli.command("token-revoke")
@click.argument("email")
@click.argument("token_name")
def users_token_revoke_command(email: str, token_name: str) -> None:
    """Revoke every active API token named TOKEN_NAME of EMAIL."""
    from .accounts.services import AccountError, revoke_token

    try:
        with session_scope() as session:
            count = revoke_token(session=session, email=email, name=token_name)
    except AccountError as exc:
        raise _account_failed(exc) from None
    if not count:
        raise click.ClickException(f"{email} has no active API token named {token_name!r}.")
    click.echo(f"Revoked {count} API token(s) named {token_name!r} of {email}.")


def init_app(app: Flask) -> None:
    from .batch.cli import screen_cli
    from .lpdc.cli import lpdc_cli

    app.cli.add_command(catalog_cli)
    app.cli.add_command(advice_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(lpdc_cli)
    app.cli.add_command(screen_cli)
