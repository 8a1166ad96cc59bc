"""The page /proactieve-screening: dossier workers and admins screen a caseload in the browser."""

from __future__ import annotations

import io
import itertools
import json
import re
import sqlite3

import pytest
from test_batch import MARKER, caseload_lines

from rechtenverkenner.accounts.services import create_user, grant
from rechtenverkenner.db import session_scope
from rechtenverkenner.web import batch as batch_pages  # noqa: F401  (adds its routes to web)

PASSWORD = "correct horse battery staple"
_numbers = itertools.count()
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


@pytest.fixture(scope="module")
def page_app(tmp_path_factory, mini_catalog):  # type: ignore[no-untyped-def]
    from conftest import loaded_app

    app = loaded_app(f"sqlite:///{tmp_path_factory.mktemp('page') / 'page.sqlite3'}", mini_catalog)
    yield app
    app.extensions["rv_engine"].dispose()


def person(app, role: str | None, administration: str | None = "ocmw-gent"):  # type: ignore[no-untyped-def]
    """A logged-in test client with one role (None: anonymous)."""
    client = app.test_client()
    if role is None:
        return client
    email = f"batch-{role}-{next(_numbers)}@example.org"
    with session_scope(app) as session:
        create_user(session=session, email=email, name=role, password=PASSWORD)
        grant(session=session, email=email, role=role, administration_id=administration)
    assert client.post("/inloggen", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def upload(client, *, action="summary", name="caseload.jsonl", body=None, **fields):  # type: ignore[no-untyped-def]
    content = body if body is not None else ("\n".join(caseload_lines()) + "\n").encode()
    data = {
        "caseload": (io.BytesIO(content), name),
        "reference_date": "2025-06-01",
        "action": action,
        **fields,
    }
    return client.post("/proactieve-screening", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize(
    ("role", "admin", "allowed"),
    [
        (None, None, False),
        ("editor", "ocmw-gent", False),
        ("reviewer", "ocmw-gent", False),
        ("dossier_worker", "ocmw-gent", True),
        ("admin", None, True),
    ],
)
def test_only_dossier_workers_and_admins_may_screen_a_caseload(page_app, role, admin, allowed):  # type: ignore[no-untyped-def]
    client = person(page_app, role, admin)
    for response in (client.get("/proactieve-screening"), upload(client)):
        if allowed:
            assert response.status_code == 200
        elif role is None:
            assert response.status_code == 302
            assert "/inloggen" in response.headers["Location"]
        else:
            assert response.status_code == 403


def test_the_summary_is_drawn_as_charts_without_script_or_style(page_app):  # type: ignore[no-untyped-def]
    client = person(page_app, "dossier_worker")
    response = upload(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert html.count("<svg") == 3
    assert "style=" not in html
    assert not INLINE_SCRIPT.search(html)
    assert "35 clients screened, 4 lines with a problem" in html.replace("\n", " ") or "35" in html
    assert MARKER not in html  # counts only


def test_the_results_come_back_as_a_file_one_line_per_client(page_app):  # type: ignore[no-untyped-def]
    client = person(page_app, "admin", None)
    response = upload(client, action="download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert len(lines) == 39
    assert sum("error" in r for r in lines) == 4
    csv_response = upload(client, action="download", output_format="csv")
    assert csv_response.mimetype == "text/csv"
    assert csv_response.get_data(as_text=True).startswith("line,id,reference_date")


def test_a_csv_header_with_unknown_columns_is_refused_with_its_name(page_app):  # type: ignore[no-untyped-def]
    client = person(page_app, "dossier_worker")
    response = upload(client, name="caseload.csv", body=b"id,agee\n1,3\n")
    assert response.status_code == 422
    assert "agee" in response.get_data(as_text=True)


def test_a_summary_file_of_the_command_line_is_drawn_too(page_app, tmp_path):  # type: ignore[no-untyped-def]
    from datetime import date

    from rechtenverkenner.batch.runner import BatchOptions, run_batch
    from rechtenverkenner.batch.screener import BatchScreener
    from rechtenverkenner.catalog.snapshot import build_snapshot

    source = tmp_path / "caseload.jsonl"
    source.write_text("\n".join(caseload_lines()) + "\n")
    with session_scope(page_app) as session:
        screener = BatchScreener(build_snapshot(session=session))
    report = run_batch(
        BatchOptions(input=source, output=tmp_path / "r.jsonl", reference_date=date(2025, 6, 1)),
        screener=screener,
    )
    client = person(page_app, "dossier_worker")
    response = client.post(
        "/proactieve-screening/samenvatting",
        data={"summary": (io.BytesIO(report.summary_file.read_bytes()), "r.summary.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<svg") == 3
    bad = client.post(
        "/proactieve-screening/samenvatting",
        data={"summary": (io.BytesIO(b'{"rights": [{"slug": "<script>"}]}'), "x.json")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422


def test_nothing_of_an_upload_stays_in_the_database(page_app):  # type: ignore[no-untyped-def]
    client = person(page_app, "dossier_worker")
    assert upload(client, action="download").status_code == 200
    assert upload(client).status_code == 200
    path = page_app.config["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        text = "\n".join(str(db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)
    assert MARKER not in text
    assert "client-1" not in text
