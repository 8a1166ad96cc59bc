"""Database engine and one session per request; `flask db upgrade` runs the Alembic migrations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app, g
from flask.cli import AppGroup
from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlmodel import Session, create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys and a busy timeout like PostgreSQL behaves."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        path = engine.url.database or ""
        on_disk = path not in ("", ":memory:") and not path.startswith("file:")

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
            # SQLite opens a file it may not write read-only, and the connection stays so after
            # the file is fixed: every write would keep failing until a restart.
            record.info["read_only"] = on_disk and not os.access(path, os.W_OK)

        @event.listens_for(engine, "checkout")
        def _reopen_when_writable(dbapi_connection, record, proxy):  # type: ignore[no-untyped-def]
            if record.info.get("read_only") and os.access(path, os.W_OK):
                raise DisconnectionError("the database file can be written again: reconnect")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def get_engine(app: Flask | None = None) -> Engine:
    app = app or current_app
    return app.extensions["rv_engine"]


def get_session() -> Session:
    """Return the request's session, created on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


@contextmanager
def session_scope(app: Flask | None = None) -> Iterator[Session]:
    """A session for commands and background work: commit on success, roll back on error."""
    with Session(get_engine(app), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except DBAPIError:
            # The database went away during the request, whose answer (often a 503) is ready:
            # drop the connection instead of rolling back on it; the answer must not become a 500.
            current_app.logger.warning("database connection lost at the end of a request")
            session.invalidate()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    """Bring the database schema to `revision` with the Alembic migrations."""
    command.upgrade(alembic_config(url), revision)


def database_failure(exc: OperationalError) -> str:
    """One line for people: what the database said, and that the command changed nothing."""
    said = str(exc.orig or exc).strip().splitlines()[0]
    return (
        f"the database refused the work ({said}); nothing was changed. Check that the database "
        "runs, that its file may be written and that the disk has room, then run it again."
    )


class DatabaseCommands(AppGroup):
    """A command group whose database failures end in one clear line, not a traceback.

    Its commands work in one `session_scope`, rolled back on the failure: nothing changed.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OperationalError as exc:
            raise click.ClickException(database_failure(exc)) from None


@click.group("db", cls=AppGroup)
def db_cli() -> None:
    """Database schema commands."""


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Apply the migrations up to REVISION (default: head)."""
    upgrade_database(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database at {revision}.")


def init_app(app: Flask) -> None:
    app.extensions["rv_engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)
    app.cli.add_command(db_cli)
