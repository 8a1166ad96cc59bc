"""Fixtures: the mini catalogue, databases on SQLite and PostgreSQL, apps and clients.

Database tests run on both back ends: SQLite always, PostgreSQL when TEST_DATABASE_URL is set
(each test session works in a schema of its own, dropped at the end). On CI a missing or
unreachable PostgreSQL is an error, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from rechtenverkenner import create_app
from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.catalog.services import load_catalog
from rechtenverkenner.db import session_scope, upgrade_database
from rechtenverkenner.web import batch as _batch_pages  # noqa: F401  (its routes, before any app)

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "data" / "catalog"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def build_mini_catalog(target: Path) -> Path:
    """The real reference data and vocabularies with the small test set of rights."""
    target.mkdir(parents=True)
    for name in ("reference", "vocabularies"):
        shutil.copytree(REPO / "catalog" / name, target / name)
    shutil.copy(REPO / "catalog" / "administrations.yaml", target / "administrations.yaml")
    for name in ("rights", "templates", "parameters"):
        shutil.copytree(MINI / name, target / name)
    # The leefloon amounts are the real ones: the advice tests check real figures.
    leefloon = REPO / "catalog" / "parameters" / "leefloon"
    shutil.copytree(leefloon, target / "parameters" / "leefloon")
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


@pytest.fixture(scope="session")
def mini_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mini_catalog(tmp_path_factory.mktemp("mini") / "catalog")


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A private, writable copy of the mini catalogue that a test may break or change."""
    return build_mini_catalog(tmp_path / "catalog")


class DatabaseFactory:
    """Creates empty databases for one back end and removes them afterwards."""

    def __init__(self, backend: str, tmp: Path) -> None:
        self.backend = backend
        self.tmp = tmp
        self._schemas: list[str] = []
        self.base_url = os.environ.get("TEST_DATABASE_URL", "")
        if backend == "postgresql":
            if not self.base_url:
                if os.environ.get("CI"):
                    pytest.fail("CI must run the PostgreSQL tests: set TEST_DATABASE_URL")
                pytest.skip("TEST_DATABASE_URL is not set")
            self.admin = create_engine(self.base_url, isolation_level="AUTOCOMMIT")
            try:
                with self.admin.connect() as conn:
                    conn.execute(text("SELECT 1"))
            except Exception as exc:  # pragma: no cover - depends on the machine
                if os.environ.get("CI"):
                    pytest.fail(f"PostgreSQL at TEST_DATABASE_URL is unreachable: {exc}")
                pytest.skip(f"PostgreSQL unreachable: {exc}")

    def create(self) -> str:
        """An empty database (SQLite file or PostgreSQL schema), migrated to head."""
        name = f"rv_test_{uuid.uuid4().hex[:10]}"
        if self.backend == "sqlite":
            url = f"sqlite:///{self.tmp / (name + '.sqlite3')}"
        else:
            with self.admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{name}"'))
            self._schemas.append(name)
            url = (
                make_url(self.base_url)
                .update_query_dict({"options": f"-csearch_path={name}"})
                .render_as_string(hide_password=False)
            )
        upgrade_database(url)
        return url

    def close(self) -> None:
        if self.backend == "postgresql":
            with self.admin.connect() as conn:
                for name in self._schemas:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
            self.admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(request.param, tmp_path_factory.mktemp(request.param))
    yield factory
    factory.close()


def make_test_app(url: str, catalog: Path, **config):  # type: ignore[no-untyped-def]
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "CATALOG_DIR": str(catalog),
            "SECRET_KEY": "test",
            "CATALOG_VERSION_CHECK_SECONDS": 0,
            "RATELIMIT_ENABLED": False,  # one test turns it on (test_leefloon_api)
            "WTF_CSRF_ENABLED": False,  # test_auth turns it on
            **config,
        }
    )


def loaded_app(url: str, catalog: Path, **config):  # type: ignore[no-untyped-def]
    """A test app on a migrated database holding `catalog` (for tests that need their own)."""
    upgrade_database(url)
    app = make_test_app(url, catalog, **config)
    with session_scope(app) as session:
        load_catalog(session=session, data=read_catalog(catalog))
    return app


@pytest.fixture(scope="session")
def app(databases: DatabaseFactory, mini_catalog: Path):  # type: ignore[no-untyped-def]
    """An app on a database holding the mini catalogue (each back end)."""
    app = make_test_app(databases.create(), mini_catalog)
    with session_scope(app) as session:
        load_catalog(session=session, data=read_catalog(mini_catalog))
    yield app
    app.extensions["rv_engine"].dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def empty_app(databases: DatabaseFactory, mini_catalog: Path):  # type: ignore[no-untyped-def]
    """An app on a fresh, migrated but empty database (each back end)."""
    app = make_test_app(databases.create(), mini_catalog)
    yield app
    app.extensions["rv_engine"].dispose()


@pytest.fixture(scope="session")
def web_app(tmp_path_factory: pytest.TempPathFactory, mini_catalog: Path):  # type: ignore[no-untyped-def]
    """SQLite app for the page tests (pages do not depend on the back end)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.sqlite3'}"
    upgrade_database(url)
    app = make_test_app(url, mini_catalog)
    with session_scope(app) as session:
        load_catalog(session=session, data=read_catalog(mini_catalog))
    yield app
    app.extensions["rv_engine"].dispose()


@pytest.fixture
def web(web_app):  # type: ignore[no-untyped-def]
    return web_app.test_client()


@pytest.fixture
def runner(web_app):  # type: ignore[no-untyped-def]
    return web_app.test_cli_runner()


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """Say how many tests ran on each database back end, so a skipped PostgreSQL shows."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            if getattr(report, "when", "call") not in ("call", "setup") or (
                outcome == "passed" and report.when != "call"
            ):
                continue
            for backend in ("sqlite", "postgresql"):
                if f"[{backend}" in nodeid or f"-{backend}]" in nodeid or f"-{backend}-" in nodeid:
                    counts.setdefault(backend, {}).setdefault(outcome, 0)
                    counts[backend][outcome] += 1
    if counts:
        terminalreporter.section("database back ends")
        for backend, per in sorted(counts.items()):
            line = ", ".join(f"{n} {outcome}" for outcome, n in sorted(per.items()))
            terminalreporter.write_line(f"{backend}: {line}")
