"""A live server with the real catalogue and a headless Chromium (Debian's, no download).

Where Chromium is missing the browser tests are skipped with a message, except on CI (CI=true),
where they fail: `make test` installs Chromium (see the Makefile).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from rechtenverkenner import create_app
from rechtenverkenner.accounts.services import create_user, grant
from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.catalog.services import load_catalog
from rechtenverkenner.db import session_scope, upgrade_database

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("RV_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("RV_ARTIFACTS", REPO / "tests" / "artifacts"))
PASSWORD = "correct horse battery staple"
USERS = {
    "editor@gent.example": ("editor", "ocmw-gent"),
    "reviewer@gent.example": ("reviewer", "ocmw-gent"),
    "dossier@gent.example": ("dossier_worker", "ocmw-gent"),
}


def _chromium_or_skip() -> str:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return CHROMIUM
    message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run the browser tests)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the real catalogue, served on a free loopback port in a thread."""
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite3'}"
    upgrade_database(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "browser-tests-only-" + "x" * 20,
            "CATALOG_VERSION_CHECK_SECONDS": 0,
            "RATELIMIT_ENABLED": False,
        }
    )
    with session_scope(app) as session:
        load_catalog(session=session, data=read_catalog(REPO / "catalog"))
        for email, (role, admin) in USERS.items():
            create_user(session=session, email=email, name=email.split("@")[0], password=PASSWORD)
            grant(session=session, email=email, role=role, administration_id=admin)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["rv_engine"].dispose()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    # bypass_csp only lets the test inject axe-core; the app's own CSP is tested in test_security
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True, locale="en-US"
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_report() -> Iterator[dict[str, dict[str, int]]]:
    """Serious/critical axe violations per page and width, written next to the screenshots."""
    report: dict[str, dict[str, int]] = {}
    yield report
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lines = [
        f"{page}\t{width}\t{count}"
        for page, widths in sorted(report.items())
        for width, count in sorted(widths.items())
    ]
    (ARTIFACTS / "axe-report.tsv").write_text(
        "page\twidth\tserious+critical\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
