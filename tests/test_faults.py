"""Faults under the real server: gunicorn with 2 workers on a free loopback port, as served.

- A worker killed with SIGKILL in the middle of editor writes leaves no half-written right or
  version: each right's versions, items, lock version, audit trail and status agree, the
  catalogue version counts every publish, and every acknowledged write is there. The same for
  `flask catalog load` killed inside its transaction: the old catalogue or the new, never a mix.
  (SQLite, and PostgreSQL when TEST_DATABASE_URL is set.)
- PostgreSQL stopped under load: a private instance started here with initdb/pg_ctl (never
  the machine's shared server). Every answer is 200 or 503 with Retry-After (no 500, no dropped
  connection, pages of a logged-in editor included); once it is back, everything answers again
  without restarting gunicorn (the same worker processes).
- A read-only SQLite file and a full disk (RLIMIT_FSIZE, what `ulimit -f` sets): `flask catalog
  load` ends with one clear line, an editor save with 503 and Retry-After; nothing is lost, and
  once the fault is removed the same writes succeed, without restarting gunicorn.

Bugs these faults found have a test of their own too: two copies of one model entry at once
(a 500 on the unique slug), two publishes at once (one catalogue version bump lost on
PostgreSQL), a connection lost inside a request (a 500 from the session's teardown).

Bounded: about 50 s on SQLite on a quiet machine, 25 s more with PostgreSQL.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import pwd
import random
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, loaded_app, make_test_app
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from rechtenverkenner.accounts.services import actor_for, create_user, get_user, grant, issue_token
from rechtenverkenner.catalog.documents import RIGHT_FIELDS, record_document
from rechtenverkenner.catalog.models import (
    ITEM_LISTS,
    EntryTemplate,
    RecordItem,
    Right,
    RightVersion,
)
from rechtenverkenner.catalog.services import bump_catalog_version, get_catalog_version
from rechtenverkenner.db import get_session, make_engine, session_scope
from rechtenverkenner.editor import services as editor
from rechtenverkenner.editor.models import AuditEvent

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="uses /proc, prlimit, chattr")

RAISED_LIMIT = "1000000 per minute"
KILLS = 6
EMAIL = "faults@example.org"
PASSWORD = "a long enough password"
STATE_AFTER = {  # the status a right has after its last audited act
    "instantiate": "draft",
    "save": "draft",
    "template_change_resolved": None,  # keeps the status unless blocks were taken over
    "submitted": "submitted",
    "approved": "approved",
    "rejected": "rejected",
    "published": "published",
    "archived": "archived",
}
VERSION_KEYS = {"id", "slug", "iri", "version", *RIGHT_FIELDS, *ITEM_LISTS}
COMPARED = ("title", "summary", "description", "criteria", "keywords", "themes", *ITEM_LISTS)


# -- the server ------------------------------------------------------------------------------


class Server:
    """`gunicorn --workers 2` on a free loopback port; its log is read through a pipe.

    A pipe, not a file: under RLIMIT_FSIZE a log file could not grow, and the workers would
    fail on their log lines instead of on the database.
    """

    def __init__(self, url: str, catalog: Path) -> None:
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "CATALOG_DIR": str(catalog),
            "SECRET_KEY": uuid.uuid4().hex,
            "ADVICE_RATE_LIMIT": RAISED_LIMIT,
            "SCREENING_RATE_LIMIT": RAISED_LIMIT,
        }
        self.env.pop("REDIS_URL", None)
        self.lines: list[str] = []
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                "127.0.0.1:0",
                "--no-control-socket",
                "--graceful-timeout",
                "5",
                "wsgi:app",
            ],
            cwd=REPO,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.port:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log)
            if found:
                self.port = int(found.group(1))
            elif self.proc.poll() is not None:
                pytest.fail(f"gunicorn did not start:\n{self.log}")
            time.sleep(0.05)
        while time.monotonic() < deadline:
            if len(self.workers()) == 2 and call(self.port, "GET", "/healthz").status == 200:
                return self
            time.sleep(0.05)
        pytest.fail(f"gunicorn did not answer:\n{self.log}")

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._drainer.join(timeout=10)
        assert self.proc.stdout is not None
        self.proc.stdout.close()

    def _drain(self) -> None:
        assert self.proc is not None
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def workers(self) -> list[int]:
        assert self.proc is not None
        return children(self.proc.pid)

    def busy_workers(self) -> list[int]:
        """Workers holding a client connection now, that is in the middle of a request."""
        port = f":{self.port:04X}"
        established = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(port) and fields[3] == "01":  # local address, ESTABLISHED
                established.add(f"socket:[{fields[9]}]")
        busy = []
        for pid in self.workers():
            try:
                links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
            except OSError:  # gone meanwhile
                continue
            if established & set(links):
                busy.append(pid)
        return busy

    def unhandled(self) -> list[str]:
        """Lines of the log that say a request ended in an unexpected exception."""
        return [ln for ln in self.lines if "Unhandled error" in ln or "Exception on " in ln]


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


@dataclass
class Answer:
    status: int  # 0: no HTTP answer (the connection was reset or closed)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str = ""

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    token: str | None = None,
    cookie: str | None = None,
    form: dict[str, str] | None = None,
    timeout: float = 30,
) -> Answer:
    headers: dict[str, str] = {}
    data: str | None = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    if form is not None:
        from urllib.parse import urlencode

        data = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if cookie:
        headers["Cookie"] = cookie
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return Answer(
            response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        )
    except (OSError, http.client.HTTPException) as exc:
        return Answer(0, error=type(exc).__name__)
    finally:
        conn.close()


def log_in(port: int) -> str:
    """A logged-in editor's session cookie, through the login form (CSRF token included)."""
    page = call(port, "GET", "/inloggen")
    csrf = re.search(rb'name="csrf_token" value="([^"]+)"', page.body)
    assert page.status == 200
    assert csrf, page.body[:300]
    cookie = page.headers["set-cookie"].split(";", 1)[0]
    answer = call(
        port,
        "POST",
        "/inloggen",
        cookie=cookie,
        form={"email": EMAIL, "password": PASSWORD, "csrf_token": csrf.group(1).decode()},
    )
    assert answer.status == 302, answer.body[:300]
    return answer.headers["set-cookie"].split(";", 1)[0]


# -- the database ------------------------------------------------------------------------------


@dataclass
class Site:
    url: str
    catalog: Path
    token: str
    template_id: str
    right_id: str
    version: int  # the catalogue version after the load


def make_site(url: str, catalog: Path) -> Site:
    """The catalogue loaded, an editor-reviewer of OCMW Gent with an API token, and a draft."""
    app = loaded_app(url, catalog)
    with session_scope(app) as session:
        create_user(session=session, email=EMAIL, name="Fault tester", password=PASSWORD)
        for role in ("editor", "reviewer"):
            grant(session=session, email=EMAIL, role=role, administration_id="ocmw-gent")
        token = issue_token(session=session, email=EMAIL, name="faults")
        template = session.exec(select(EntryTemplate).order_by(EntryTemplate.slug)).first()
        assert template is not None
        actor = actor_for(session=session, user=get_user(session=session, email=EMAIL))
        right = editor.instantiate(session, actor, template.id, "ocmw-gent")
        site = Site(
            url, catalog, token, template.id, right.id, get_catalog_version(session=session)
        )
    app.extensions["rv_engine"].dispose()
    return site


def changes(n: int) -> dict[str, Any]:
    """An edit that touches the text and replaces the item lists (deleted and re-added)."""
    return {
        "title": {"nl": f"Gentse korting op zwemmen {n}"},
        "summary": {"nl": f"Met je kansenpas zwem je goedkoper, versie {n}."},
        "description": {"nl": f"<p>Met je kansenpas zwem je goedkoper ({n}).</p>"},
        "contact_points": [{"email": "info@ocmw.gent", "phone": "09 266 99 00"}],
        "requirements": [
            {"title": {"nl": f"Voorwaarde {n}.{i}"}, "description": {"nl": "<p>Uitleg.</p>"}}
            for i in range(1, 2 + n % 3)
        ],
    }


def consistency_problems(url: str, base_version: int | None = None) -> list[str]:
    """Everything that would betray a half-written right, version or catalogue load."""
    engine = make_engine(url)
    problems: list[str] = []
    with Session(engine) as session:
        rights = list(session.exec(select(Right)))
        versions: dict[str, list[RightVersion]] = defaultdict(list)
        for version in session.exec(select(RightVersion)):
            versions[version.right_id].append(version)
        items: dict[str, list[RecordItem]] = defaultdict(list)
        for item in session.exec(select(RecordItem).where(RecordItem.right_id.is_not(None))):
            items[item.right_id].append(item)
        events: dict[str | None, list[AuditEvent]] = defaultdict(list)
        for event in session.exec(select(AuditEvent).order_by(AuditEvent.at)):
            events[event.right_id].append(event)
        ids = {r.id for r in rights}
        for orphan in (set(versions) | set(items) | set(events)) - ids - {None}:
            problems.append(f"rows of a right that does not exist: {orphan}")
        published = 0
        for right in rights:
            mine = sorted(versions[right.id], key=lambda v: v.number)
            numbers = [v.number for v in mine]
            if numbers != list(range(1, right.version + 1)):
                problems.append(f"{right.slug}: version {right.version}, versions {numbers}")
            for version in mine:
                data = version.data
                if VERSION_KEYS - set(data) or (data["id"], data["version"]) != (
                    right.id,
                    version.number,
                ):
                    problems.append(f"{right.slug}: version {version.number} is incomplete")
            per_list = Counter(i.list_name for i in items[right.id])
            for list_name, count in per_list.items():
                orders = sorted(i.order for i in items[right.id] if i.list_name == list_name)
                if orders != list(range(1, count + 1)):
                    problems.append(f"{right.slug}: {list_name} numbered {orders}")
            if right.status == "published" and mine:
                current = record_document(right, items[right.id], RIGHT_FIELDS)
                for key in COMPARED:
                    if mine[-1].data.get(key) != current.get(key):
                        problems.append(f"{right.slug}: published version differs in {key}")
            if right.origin == "editor":
                acts = [e.action for e in events[right.id]]
                saves = acts.count("save") + acts.count("template_change_resolved")
                if acts.count("instantiate") != 1 or right.lock_version != 1 + saves:
                    problems.append(f"{right.slug}: lock {right.lock_version}, audit {acts}")
                if acts.count("published") != right.version:
                    problems.append(f"{right.slug}: version {right.version}, audit {acts}")
                last = [STATE_AFTER[a] for a in acts if STATE_AFTER.get(a)]
                if last and last[-1] != right.status:
                    problems.append(f"{right.slug}: status {right.status}, audit {acts}")
                published += right.version
        if base_version is not None:
            version = get_catalog_version(session=session)
            if version != base_version + published:
                problems.append(f"catalogue version {version}, expected {base_version}+{published}")
    if url.startswith("sqlite"):
        with engine.connect() as conn:
            check = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
            keys = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if check != "ok" or keys:
            problems.append(f"SQLite integrity: {check}, foreign keys: {keys}")
    engine.dispose()
    return problems


def summaries(url: str) -> tuple[int, set[str]]:
    """The catalogue version and the Dutch summaries of the published catalogue rights."""
    engine = make_engine(url)
    with Session(engine) as session:
        version = get_catalog_version(session=session)
        query = select(Right).where(Right.origin == "catalog", Right.status == "published")
        texts = {r.summary.get("nl", "") for r in session.exec(query)}
    engine.dispose()
    return version, texts


def change_catalogue(catalog: Path, mark: str) -> int:
    """Prefix the Dutch summary of every right in `catalog` with `mark`; return how many."""
    changed = 0
    for path in sorted((catalog / "rights").glob("*.yaml")):
        right = yaml.safe_load(path.read_text(encoding="utf-8"))
        right["summary"]["nl"] = mark + right["summary"]["nl"]
        path.write_text(yaml.safe_dump(right, allow_unicode=True, sort_keys=False), "utf-8")
        changed += 1
    return changed


def flask(url: str, *args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """`flask --app wsgi ARGS` on `url`; `limit` caps the size of files it may write."""

    def cap() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap,  # runs in the child between fork and exec
        check=False,
    )


def assert_one_clear_line(done: subprocess.CompletedProcess[str]) -> str:
    """Exit code 1 and one `Error: ...` line naming the database, no traceback."""
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("Error: ")]
    assert len(errors) == 1, done.stderr
    assert "database" in errors[0], done.stderr
    return errors[0]


# -- kill -9 during writes -------------------------------------------------------------------


@dataclass
class WriteLog:
    """What the writers were told: acknowledged writes, interrupted calls, surprises."""

    created: list[str] = field(default_factory=list)
    published: dict[str, int] = field(default_factory=dict)
    published_at: list[float] = field(default_factory=list)
    interrupted: int = 0
    unexpected: list[str] = field(default_factory=list)

    def ok(self, step: str, answer: Answer, expected: int) -> bool:
        if answer.status == expected:
            return True
        if answer.status == 0:
            self.interrupted += 1
        else:
            self.unexpected.append(f"{step}: {answer.status} {answer.body[:200]!r}")
        return False


def write_rights(port: int, site: Site, log: WriteLog, stop: threading.Event) -> None:
    """Make rights and publish them twice, over and over; an interrupted right is left as is."""
    n = 0
    while not stop.is_set():
        answer = call(
            port,
            "POST",
            "/api/v1/editor/rights",
            {"template_id": site.template_id, "administration_id": "ocmw-gent"},
            token=site.token,
        )
        if not log.ok("create", answer, 201):
            continue
        right = answer.json()
        log.created.append(right["id"])
        base, lock = f"/api/v1/editor/rights/{right['id']}", right["lock_version"]
        for _publish in range(2):
            n += 1
            answer = call(
                port,
                "PATCH",
                base,
                {"lock_version": lock, "changes": changes(n)},
                token=site.token,
            )
            if stop.is_set() or not log.ok("save", answer, 200):
                break
            lock = answer.json()["lock_version"]
            for step in ("submit", "approve", "publish"):
                answer = call(port, "POST", f"{base}/{step}", token=site.token)
                if not log.ok(step, answer, 200):
                    break
            else:
                log.published[right["id"]] = answer.json()["version"]
                log.published_at.append(time.monotonic())
                continue
            break


def test_killing_workers_mid_write_leaves_no_half_written_right(databases, mini_catalog):  # type: ignore[no-untyped-def]
    site = make_site(databases.create(), mini_catalog)
    rng = random.Random(8)
    log, stop = WriteLog(), threading.Event()
    with Server(site.url, site.catalog) as server:
        writers = [
            threading.Thread(target=write_rights, args=(server.port, site, log, stop))
            for _writer in range(4)
        ]
        for writer in writers:
            writer.start()
        kills, deadline = 0, time.monotonic() + 90
        while kills < KILLS and time.monotonic() < deadline:
            time.sleep(rng.uniform(0.05, 0.2))
            busy = server.busy_workers()  # holding a writer's connection: inside a write
            if busy:
                os.kill(rng.choice(busy), signal.SIGKILL)
                kills += 1
        last_kill = time.monotonic()
        deadline = last_kill + 30
        while time.monotonic() < deadline and not any(t > last_kill for t in log.published_at):
            time.sleep(0.1)
        stop.set()
        for writer in writers:
            writer.join(timeout=60)
        unhandled = server.unhandled()
        server_log = server.log
    print(  # shown with -s: how hard the kills hit
        f"{kills} kills, {log.interrupted} calls cut off, {len(log.created)} rights made, "
        f"{len(log.published_at)} publishes acknowledged"
    )
    assert kills == KILLS
    assert log.interrupted >= 2, "the kills did not cut writes off"
    assert any(t > last_kill for t in log.published_at), "writes did not resume after the kills"
    assert not log.unexpected, (log.unexpected, server_log[-6000:])
    assert not unhandled, server_log[-6000:]
    assert consistency_problems(site.url, base_version=site.version) == []
    engine = make_engine(site.url)
    with Session(engine) as session:  # every acknowledged write is there
        for right_id in log.created:
            assert session.get(Right, right_id) is not None
        for right_id, number in log.published.items():
            right = session.get(Right, right_id)
            assert right is not None
            assert right.version >= number
    engine.dispose()


def test_two_copies_of_one_model_entry_at_once_both_succeed(databases, mini_catalog):  # type: ignore[no-untyped-def]
    """Two editors (or a client retrying) copy one model entry at the same moment.

    Both looked for a free slug before either had written its right: the second insert hit the
    unique slug and answered 500 (found by the kill test's concurrent writers).
    """
    site = make_site(databases.create(), mini_catalog)
    app = make_test_app(site.url, mini_catalog)
    with session_scope(app) as session:
        actor = actor_for(session=session, user=get_user(session=session, email=EMAIL))
    first_written = threading.Event()
    slugs: dict[str, Any] = {}

    def first() -> None:
        with session_scope(app) as session:
            slugs["first"] = editor.instantiate(session, actor, site.template_id, "ocmw-gent").slug
            first_written.set()
            time.sleep(1.0)  # the transaction stays open while the second copy starts

    def second() -> None:
        first_written.wait(timeout=30)
        try:
            with session_scope(app) as session:
                right = editor.instantiate(session, actor, site.template_id, "ocmw-gent")
                slugs["second"] = right.slug
        except Exception as exc:  # what the API turned into a 500
            slugs["second"] = exc

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    app.extensions["rv_engine"].dispose()
    assert isinstance(slugs["second"], str), slugs["second"]
    assert slugs["second"] != slugs["first"]
    assert consistency_problems(site.url) == []


def test_two_publishes_at_once_both_move_the_catalogue_version(databases, mini_catalog):  # type: ignore[no-untyped-def]
    """Every publish adds one to the shared catalogue version, also two at the same moment.

    The version was read, then written: on PostgreSQL two publishes wrote the same number (found
    by the kill test's check), and a worker that had seen it after the first never reloaded
    its snapshot for the second: a published right missing from that worker's answers.
    """
    app = loaded_app(databases.create(), mini_catalog)
    with session_scope(app) as session:
        before = get_catalog_version(session=session)
    first_bumped = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        with session_scope(app) as session:
            bump_catalog_version(session=session)
            first_bumped.set()
            time.sleep(1.0)  # the transaction stays open while the second publish bumps

    def second() -> None:
        first_bumped.wait(timeout=30)
        try:
            with session_scope(app) as session:
                bump_catalog_version(session=session)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with session_scope(app) as session:
        after = get_catalog_version(session=session)
    app.extensions["rv_engine"].dispose()
    assert not errors, errors
    assert after == before + 2


@contextmanager
def writing_detector(url: str, marker: str) -> Iterator[Any]:
    """A function that says whether the process named `marker` holds an open write."""
    if url.startswith("sqlite"):
        path = make_url(url).database

        def sqlite_writing() -> bool:
            conn = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")  # refused while another writer holds the lock
                conn.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                conn.close()

        yield sqlite_writing
        return
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name "
        "AND backend_xid IS NOT NULL"
    )

    def postgres_writing() -> bool:
        with admin.connect() as conn:
            return bool(conn.execute(query, {"name": marker}).scalar())

    yield postgres_writing
    admin.dispose()


def test_a_catalogue_load_killed_in_its_transaction_keeps_the_old_catalogue(  # type: ignore[no-untyped-def]
    databases, tmp_path
):
    catalog = tmp_path / "catalog"
    shutil.copytree(REPO / "catalog", catalog)
    site = make_site(databases.create(), catalog)
    before_version, before = summaries(site.url)
    count = change_catalogue(catalog, "Gewijzigd ")
    marker = f"rv-faults-{uuid.uuid4().hex[:8]}"
    url = site.url
    if not url.startswith("sqlite"):
        url = (
            make_url(url)
            .update_query_dict({"application_name": marker})
            .render_as_string(hide_password=False)
        )
    with writing_detector(site.url, marker) as writing:
        proc = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "catalog", "load", str(catalog)],
            cwd=REPO,
            env={**os.environ, "DATABASE_URL": url},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        caught = False
        deadline = time.monotonic() + 90
        while proc.poll() is None and time.monotonic() < deadline:
            if writing():
                proc.send_signal(signal.SIGKILL)
                caught = True
                break
            time.sleep(0.002)
        _out, err = proc.communicate(timeout=30)
    assert caught, f"the load ended before it was seen writing: {err}"
    assert consistency_problems(site.url) == []
    version, texts = summaries(site.url)
    changed = {t for t in texts if t.startswith("Gewijzigd ")}
    assert (version, texts) == (before_version, before) or (
        version == before_version + 1 and len(changed) == count == len(texts)
    ), "a half-loaded catalogue"
    done = flask(site.url, "catalog", "load", str(catalog))  # the load again: all or nothing
    assert done.returncode == 0, done.stderr
    version, texts = summaries(site.url)
    assert version == before_version + 1
    assert all(t.startswith("Gewijzigd ") for t in texts)
    assert len(texts) == count
    assert consistency_problems(site.url) == []


# -- PostgreSQL stopped under load ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_bindir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PrivatePostgres:
    """A PostgreSQL server of this test alone: initdb in a temporary folder, its own port.

    initdb refuses to run as root, so under root the server runs as the `postgres` user.
    """

    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir = bindir
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0

    def run(self, program: str, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        done = subprocess.run(
            [*prefix, str(self.bindir / program), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{program}: {done.stdout}{done.stderr}"

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off"
        )
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
                 "-w", "-t", "60", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        admin = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self.url(name)


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    bindir = _postgres_bindir()
    problem = None
    if bindir is None:
        problem = "no PostgreSQL server binaries (initdb, pg_ctl) on this machine"
    elif os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            problem = "running as root without a `postgres` user to run the server as"
        if shutil.which("runuser") is None:
            problem = "running as root without runuser"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    assert bindir is not None
    root = Path(tempfile.mkdtemp(prefix="rv-faults-pg-", dir="/tmp"))  # reachable for postgres
    server = PrivatePostgres(bindir, root)
    if server.as_postgres:
        account = pwd.getpwnam("postgres")
        os.chown(root, account.pw_uid, account.pw_gid)
    started = False
    try:
        server.init()
        server.start()
        started = True
        yield server
    finally:
        if started:
            with suppress(AssertionError):  # already stopped
                server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def test_a_connection_lost_in_a_request_does_not_turn_its_answer_into_a_500(  # type: ignore[no-untyped-def]
    private_postgres, caplog
):
    """PostgreSQL went away while a request held a transaction (found by the outage test).

    Closing the request's session rolled back on the dead connection and raised at teardown,
    where no error handler runs: gunicorn answered 500 instead of the request's own answer.
    """
    url = private_postgres.create_database("teardown")
    app = make_test_app(url, REPO / "catalog")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    alive = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
    with app.test_request_context("/"):
        pid = get_session().execute(text("SELECT pg_backend_pid()")).scalar()  # in a transaction
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            deadline = time.monotonic() + 10
            while conn.execute(alive, {"pid": pid}).scalar() and time.monotonic() < deadline:
                time.sleep(0.05)
    # Leaving the request ran the teardown: it did not raise.
    admin.dispose()
    app.extensions["rv_engine"].dispose()
    assert "database connection lost at the end of a request" in caplog.text


SCREENING = {"reference_date": "2025-06-01", "municipality_nis": "44021", "profile": {"age": 34}}
ADVICE = {"reference_date": "2025-06-01", "profile": {"age": 40, "living_situation": "alone"}}


def test_postgresql_stopped_under_load_gives_503_and_recovers_without_restart(  # type: ignore[no-untyped-def]
    private_postgres, mini_catalog
):
    site = make_site(private_postgres.create_database("outage"), mini_catalog)
    with Server(site.url, site.catalog) as server:
        port, token = server.port, site.token
        cookie = log_in(port)
        editor_path = f"/api/v1/editor/rights/{site.right_id}"
        calls: list[tuple[str, str, str, Any, dict[str, Any]]] = [
            ("search", "GET", "/api/v1/rights?q=test&municipality=9000", None, {}),
            ("detail", "GET", "/api/v1/rights/gent-testrecht", None, {}),
            ("readyz", "GET", "/readyz", None, {}),
            ("list page", "GET", "/rechten?q=test", None, {}),
            ("right page", "GET", "/rechten/gent-testrecht", None, {}),
            ("screening", "POST", "/api/v1/screening", SCREENING, {}),
            ("advice", "POST", "/api/v1/advice/leefloon", ADVICE, {}),
            ("editor api", "GET", editor_path, None, {"token": token}),
            ("editor page", "GET", "/redactie", None, {"cookie": cookie}),
            ("page, logged in", "GET", "/rechten/gent-testrecht", None, {"cookie": cookie}),
        ]
        phase = ["before"]
        seen: list[tuple[str, str, Answer]] = []
        stop = threading.Event()

        def reader(offset: int) -> None:
            i = offset
            while not stop.is_set():
                name, method, path, body, extra = calls[i % len(calls)]
                i += 1
                now = phase[0]
                answer = call(port, method, path, body, timeout=20, **extra)
                seen.append((now if now == phase[0] else "changing", name, answer))

        def saver() -> None:  # one writer: read the lock version, save with it
            n = 0
            while not stop.is_set():
                now = phase[0]
                answer = call(port, "GET", editor_path, token=token, timeout=20)
                if answer.status == 200:
                    n += 1
                    lock = answer.json()["lock_version"]
                    change = {"lock_version": lock, "changes": changes(n)}
                    answer = call(port, "PATCH", editor_path, change, token=token, timeout=20)
                seen.append((now if now == phase[0] else "changing", "editor save", answer))
                time.sleep(0.02)

        workers_before = server.workers()
        threads = [threading.Thread(target=reader, args=(i,)) for i in range(5)]
        threads.append(threading.Thread(target=saver))
        for thread in threads:
            thread.start()
        names = {c[0] for c in calls} | {"editor save"}
        needs_database = {"readyz", "detail", "editor api", "editor save", "editor page"}

        def seen_in(now: str, status: int | None = None) -> set[str]:
            return {n for p, n, a in list(seen) if p == now and status in (None, a.status)}

        time.sleep(1.5)
        phase[0] = "down"
        private_postgres.stop("fast")
        time.sleep(3.0)  # longer than the snapshot's version check (2 s)
        deadline = time.monotonic() + 20  # a slow machine: until each has met the outage
        while not needs_database <= seen_in("down", 503) and time.monotonic() < deadline:
            time.sleep(0.2)
        phase[0] = "restarting"
        private_postgres.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            probes = [call(port, "GET", p) for p in ("/readyz", calls[0][2], calls[1][2])]
            if all(a.status == 200 for a in probes):
                break
            time.sleep(0.2)
        phase[0] = "after"
        time.sleep(2.0)
        deadline = time.monotonic() + 20  # a slow machine: until every call came round again
        while seen_in("after") != names and time.monotonic() < deadline:
            time.sleep(0.2)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        workers_after = server.workers()
        unhandled = server.unhandled()
    by_phase: dict[str, Counter[tuple[str, int]]] = defaultdict(Counter)
    for now, name, answer in seen:
        by_phase[now][(name, answer.status)] += 1
    report = {p: dict(c) for p, c in by_phase.items()}
    bad = [(p, n, a.status, a.body[:200]) for p, n, a in seen if a.status not in (200, 503)]
    assert not bad, (bad[:10], report)
    no_retry = [(p, n) for p, n, a in seen if a.status == 503 and "retry-after" not in a.headers]
    assert not no_retry, no_retry[:10]
    for quiet in ("before", "after"):  # requests that began and ended in that phase
        assert all(a.status == 200 for p, _n, a in seen if p == quiet), report[quiet]
    assert needs_database <= seen_in("down", 503), report
    assert seen_in("after") == names, report
    assert workers_after == workers_before, "gunicorn workers were restarted"
    assert not unhandled, unhandled


# -- a read-only file, a full disk ------------------------------------------------------------


def digest(url: str) -> dict[str, str]:
    """A fingerprint of every row that a write could change (read without writing)."""
    path = make_url(url).database
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for table in ("rights", "record_item", "right_version", "audit_event", "catalog_state"):
            rows = conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            out[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out
    finally:
        conn.close()


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make the database file read-only, for root too (the immutable attribute)."""
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if done.returncode:
            reason = f"chattr +i is not possible here: {done.stderr.decode().strip()}"
            pytest.fail(reason) if os.environ.get("CI") else pytest.skip(reason)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)


def save(port: int, site: Site, lock: int, n: int) -> Answer:
    body = {"lock_version": lock, "changes": changes(n)}
    return call(port, "PATCH", f"/api/v1/editor/rights/{site.right_id}", body, token=site.token)


@pytest.fixture
def sqlite_site(tmp_path: Path, catalog_copy: Path) -> Site:
    url = f"sqlite:///{tmp_path / 'faults.sqlite3'}"
    site = make_site(url, catalog_copy)
    change_catalogue(catalog_copy, "Nieuw ")  # what the next `flask catalog load` writes
    return site


def test_a_read_only_database_refuses_writes_clearly_and_loses_nothing(sqlite_site):  # type: ignore[no-untyped-def]
    site = sqlite_site
    before = digest(site.url)
    with Server(site.url, site.catalog) as server:
        workers = server.workers()
        with read_only(Path(make_url(site.url).database)):
            failed = flask(site.url, "catalog", "load", str(site.catalog))
            assert "readonly" in assert_one_clear_line(failed)
            for _worker in range(2):  # the workers connect now, to a file they cannot write
                assert call(server.port, "GET", "/api/v1/rights/gent-testrecht").status == 200
                refused = save(server.port, site, lock=1, n=1)
                assert refused.status == 503, refused.body
                assert refused.headers.get("retry-after")
                assert refused.json()["code"] == 503
            assert digest(site.url) == before
        accepted = save(server.port, site, lock=1, n=1)  # writable again, the same server
        assert accepted.status == 200, accepted.body
        assert accepted.json()["lock_version"] == 2
        assert server.workers() == workers
        assert not server.unhandled(), server.unhandled()
    loaded = flask(site.url, "catalog", "load", str(site.catalog))
    assert loaded.returncode == 0, loaded.stderr
    assert "Catalogue loaded" in loaded.stdout
    assert consistency_problems(site.url, base_version=site.version + 1) == []


def test_a_full_disk_refuses_writes_clearly_and_loses_nothing(sqlite_site):  # type: ignore[no-untyped-def]
    site = sqlite_site
    before = digest(site.url)
    with Server(site.url, site.catalog) as server:
        workers = server.workers()
        processes = [server.proc.pid, *workers]  # type: ignore[union-attr]
        for _worker in range(2):  # both workers open their connection before the disk fills
            assert call(server.port, "GET", f"/api/v1/editor/rights/{site.right_id}",
                        token=site.token).status == 200  # fmt: skip
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        for pid in processes:  # no file of the server may grow past 4 KiB: a full disk
            resource.prlimit(pid, resource.RLIMIT_FSIZE, (4096, hard))
        try:
            for _worker in range(2):
                refused = save(server.port, site, lock=1, n=1)
                assert refused.status == 503, refused.body
                assert refused.headers.get("retry-after")
            failed = flask(site.url, "catalog", "load", str(site.catalog), limit=4096)
            assert_one_clear_line(failed)
            assert digest(site.url) == before
        finally:
            for pid in processes:
                resource.prlimit(pid, resource.RLIMIT_FSIZE, (soft, hard))
        accepted = save(server.port, site, lock=1, n=1)  # the same server, room again
        assert accepted.status == 200, accepted.body
        assert accepted.json()["lock_version"] == 2
        assert server.workers() == workers
        assert not server.unhandled(), server.unhandled()
    loaded = flask(site.url, "catalog", "load", str(site.catalog))
    assert loaded.returncode == 0, loaded.stderr
    assert "Catalogue loaded" in loaded.stdout
    assert consistency_problems(site.url, base_version=site.version + 1) == []
