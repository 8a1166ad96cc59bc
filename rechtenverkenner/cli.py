"""Command groups `flask catalog check|load` and `flask advice purge`: thin service wrappers."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .catalog.loader import CatalogData, CatalogError, read_catalog
from .db import session_scope


@click.group("catalog", cls=AppGroup)
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


@click.group("advice", cls=AppGroup)
def advice_cli() -> None:
    """Stored leefloon advices (audit records)."""


@advice_cli.command("purge")
def purge_command() -> None:
    """Remove stored advice inputs whose retention period has ended (run it daily)."""
    from .audit.services import purge_inputs

    with session_scope() as session:
        count = purge_inputs(session=session)
    click.echo(f"Purged the input of {count} advice record(s).")


def init_app(app: Flask) -> None:
    app.cli.add_command(catalog_cli)
    app.cli.add_command(advice_cli)
