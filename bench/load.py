"""Load: gunicorn with 2 workers under wrk, against a "hello" ceiling measured in the same run.

Each run sets up a database, starts `gunicorn --workers 2` on a free loopback port exactly as
the README serves the app (`flask db upgrade`, `flask catalog load`, then gunicorn; the rate
limits of the POST APIs raised through ADVICE_RATE_LIMIT and SCREENING_RATE_LIMIT), warms both
workers up and drives one endpoint at a time with wrk (50 connections, 30 s each):

- hello: `GET /healthz`, the cost of HTTP, gunicorn and Flask with no work: the ceiling;
- search: `GET /api/v1/rights?q=...&municipality=9000`, rotating over a few queries (a typo
  among them);
- detail: `GET /api/v1/rights/<slug>`, rotating over a few rights;
- screening: `POST /api/v1/screening` with a Gent client profile;
- advice: `POST /api/v1/advice/leefloon` with a complete profile.

Runs: `sqlite` and `postgresql` with the real catalogue; `50k` with the real catalogue plus
50,000 synthetic published rights (bench/search.py's seeded `make_catalogue`, stored with one
version each by a bulk insert), on PostgreSQL when it answers, else on SQLite. The 50k run
drives hello, search and detail only: the synthetic rights have no conditions, so screening
them would measure the size of an answer nobody gets, and the advice does not read rights.

Per endpoint: requests/s, p50 and p99 latency, errors (non-2xx responses and socket errors:
connect, read, write, timeout) and the throughput as a share of the hello ceiling. Acceptance
(issue 8): 0 errors everywhere; at 50k rights, search >= 40% of hello and p99 < 100 ms.
wrk shares the 2 cores with gunicorn, for hello as for the rest, so read the ratios. The last
column says how much of the machine gunicorn, wrk and other processes used during each
endpoint's run: on a shared machine, a run where others took more than a few percent is
disturbed (and hello, measured at another moment, may have been disturbed differently).

Needs wrk (Debian: `apt-get install wrk`). Run: `python -m bench load` (or `python -m
bench.load`). Environment: RV_LOAD_DURATION (s per endpoint, default 30), RV_LOAD_CONNECTIONS
(50), RV_LOAD_THREADS (wrk threads, 2), RV_LOAD_RUNS (default sqlite,postgresql,50k),
RV_LOAD_SIZE (50000), RV_LOAD_ENDPOINTS (to drive fewer endpoints, e.g. hello,search),
RV_LOAD_POSTGRES (a PostgreSQL server URL; a database is created there for the run and dropped
afterwards; default: the server of TEST_DATABASE_URL, else postgres@127.0.0.1:5432). The
default run takes 8 to 9 minutes (the 50k run inserts its rights in about 45 s and warms each
worker up for 15 to 25 s). Results also go to bench/results/load-<timestamp>.json.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

WORKERS = 2
RAISED_LIMIT = "1000000 per minute"
SEARCHES = ("energie", "huurpremie", "leeflon", "studietoelage", "schulden", "kinderopvang")
DETAILS = ("leefloon", "vlaamse-huurpremie", "sociaal-tarief-energie", "groeipakket-schooltoeslag")
SCREENING = {
    "reference_date": "2025-06-01",
    "municipality_nis": "44021",
    "profile": {
        "age": 34,
        "statuses": ["leefloon"],
        "taxable_income": {"gross_yearly": "14000.00"},
        "household": [{"relation": "child", "age": 4, "dependent": True}],
    },
}
ADVICE = {
    "reference_date": "2025-06-01",
    "profile": {
        "age": 40,
        "actual_residence_belgium": True,
        "nationality_status": "belgian",
        "willing_to_work": True,
        "other_benefits_claimed": True,
        "living_situation": "alone",
        "own_income": [],
        "capital": {"movable_total": "0.00"},
        "property": [],
        "transfers_last_10_years": [],
        "advantages_in_kind_monthly": "0.00",
    },
}
# What a synthetic document (bench/search.py) brings; the rest of a right keeps its defaults.
SYNTHETIC_FIELDS = (
    "id",
    "title",
    "summary",
    "description",
    "keywords",
    "level",
    "product_type",
    "target_audiences",
    "themes",
    "situations",
    "scope",
)
ENDPOINTS = ("hello", "search", "detail", "screening", "advice")
SIZE_ENDPOINTS = ("hello", "search", "detail")


@dataclass(frozen=True)
class Settings:
    duration: int
    connections: int
    threads: int
    runs: tuple[str, ...]
    size: int
    endpoints: tuple[str, ...]
    postgres: str

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get
        test_url = env("TEST_DATABASE_URL", "")
        default_pg = (
            _with_database(test_url, "postgres")
            if test_url.startswith("postgresql")
            else "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        )
        return cls(
            duration=int(env("RV_LOAD_DURATION", "30")),
            connections=int(env("RV_LOAD_CONNECTIONS", "50")),
            threads=int(env("RV_LOAD_THREADS", "2")),
            runs=tuple(env("RV_LOAD_RUNS", "sqlite,postgresql,50k").split(",")),
            size=int(env("RV_LOAD_SIZE", "50000")),
            endpoints=tuple(env("RV_LOAD_ENDPOINTS", ",".join(ENDPOINTS)).split(",")),
            postgres=env("RV_LOAD_POSTGRES", default_pg),
        )


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name, query={}).render_as_string(hide_password=False)


# -- databases ---------------------------------------------------------------------------------


@contextmanager
def sqlite_database(tmp: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp / 'load.sqlite3'}"


@contextmanager
def postgres_database(server: str) -> Iterator[str]:
    """A fresh database on the PostgreSQL server, dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"rv_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _with_database(server, name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_answers(server: str) -> str | None:
    """None when the server answers, else why not."""
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(server)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure: the PostgreSQL runs are skipped, with the reason
        return str(exc).splitlines()[0]
    return None


def flask(url: str, *args: str) -> str:
    """Run `flask --app wsgi ARGS` against the database at `url`, as the README does."""
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout.strip()


def add_synthetic_rights(url: str, size: int, seed: int = 1) -> list[str]:
    """Store `size` synthetic published rights with one version each; return a few slugs.

    Documents come from bench/search.py's `make_catalogue` (titles, summaries, bodies and
    keywords drawn from the real catalogue's words); rows go in with bulk INSERTs. The
    catalogue version moves, as after a load, so every worker reads them.
    """
    from sqlalchemy import insert
    from sqlmodel import Session, select

    from rechtenverkenner.catalog.documents import (
        RIGHT_FIELDS,
        RIGHT_IRI,
        RIGHT_VERSION_IRI,
        record_document,
        version_id,
    )
    from rechtenverkenner.catalog.models import (
        Administration,
        RecordItem,
        Right,
        RightStatus,
        RightVersion,
        new_id,
        utcnow,
    )
    from rechtenverkenner.catalog.services import bump_catalog_version
    from rechtenverkenner.db import make_engine

    from .search import harvest, make_catalogue

    docs = make_catalogue(size, seed, harvest())
    # Plain rows: building 150,000 SQLModel objects would take minutes (pydantic defaults).
    base_right = Right(id="-", slug="-", iri="-", level="local").model_dump()
    base_item = RecordItem(list_name="requirements").model_dump()
    engine = make_engine(url)
    with Session(engine) as session:
        by_level: dict[str, str] = {}
        by_municipality: dict[str, str] = {}
        for admin in session.exec(select(Administration).order_by(Administration.id)):
            by_level.setdefault(admin.level, admin.id)
            if admin.municipality_nis:
                by_municipality.setdefault(admin.municipality_nis, admin.id)
        levels = {"federal": "Federaal", "flemish": "Vlaams", "provincial": "Provinciaal"}
        now = utcnow()
        rights, items, versions = [], [], []
        for doc in docs:
            nis = (doc["scope"].get("municipalities") or [""])[0]
            authority = by_municipality.get(nis) or by_level.get(levels.get(doc["level"], ""))
            right = {
                **base_right,
                **{k: doc[k] for k in SYNTHETIC_FIELDS},
                "slug": doc["slug"][-110:].lstrip("-"),
                "iri": RIGHT_IRI.format(doc["id"]),
                "competent_authorities": [authority] if authority else [],
                "executing_authorities": [authority] if authority else [],
                "owner_id": authority,
                "status": RightStatus.published.value,
                "origin": "bench",  # never archived by `flask catalog load`
                "version": 1,
                "created_at": now,
                "modified_at": now,
            }
            own = [
                {
                    **base_item,
                    "id": new_id(),
                    "right_id": right["id"],
                    "order": order,
                    "title": req["title"],
                    "description": req["description"],
                }
                for order, req in enumerate(doc["requirements"], start=1)
            ]
            vid = version_id(right["id"], 1)
            versions.append(
                {
                    "id": vid,
                    "right_id": right["id"],
                    "number": 1,
                    "iri": RIGHT_VERSION_IRI.format(vid),
                    "generated_at": now,
                    "data": record_document(SimpleNamespace(**right), own, RIGHT_FIELDS),
                }
            )
            rights.append(right)
            items += own
        for model, rows in ((Right, rights), (RecordItem, items), (RightVersion, versions)):
            for start in range(0, len(rows), 2000):
                session.execute(insert(model), rows[start : start + 2000])
        bump_catalog_version(session=session)
        session.commit()
    engine.dispose()
    return [r["slug"] for r in rights[:: max(1, size // 4)][:4]]


# -- the server --------------------------------------------------------------------------------


class Server:
    """`gunicorn --workers 2` on a free loopback port, with its log in a file."""

    def __init__(self, url: str, log: Path, workers: int = WORKERS) -> None:
        self.url = url
        self.log = log
        self.workers = workers
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self, timeout: float = 60) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "SECRET_KEY": uuid.uuid4().hex,
            "ADVICE_RATE_LIMIT": RAISED_LIMIT,
            "SCREENING_RATE_LIMIT": RAISED_LIMIT,
        }
        env.pop("REDIS_URL", None)  # limits counted in memory: the raised limits never bite
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--workers",
                    str(self.workers),
                    "--bind",
                    "127.0.0.1:0",
                    "--no-control-socket",
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log_text())
            if found:
                self.port = int(found.group(1))
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_text()}")
            time.sleep(0.05)
        else:
            raise RuntimeError("gunicorn did not start listening")
        while time.monotonic() < deadline:
            if get(self.base + "/readyz", timeout=30)[0] == 200:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn never became ready:\n{self.log_text()}")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def pids(self) -> list[int]:
        """The master and its workers."""
        assert self.proc is not None
        workers = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.proc.pid:
                workers.append(int(stat.parent.name))
        return [self.proc.pid, *workers]

    def events(self) -> dict[str, int]:
        """Worker restarts and errors the server logged (0 each in a clean run)."""
        log = self.log_text()
        return {
            "workers_booted": log.count("Booting worker"),
            "worker_timeouts": log.count("WORKER TIMEOUT"),
            "unhandled_errors": log.count("Unhandled error") + log.count("Exception on "),
        }


def get(url: str, timeout: float = 10, body: dict[str, Any] | None = None) -> tuple[int, float]:
    """Status and seconds of one request (status 0 when the connection failed)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - start


def warm_up(base: str, paths: list[str], timeout: float = 600) -> dict[str, Any]:
    """Ask one request at a time until 12 in a row answer fast: both workers are warm.

    The first search in a worker builds its snapshot and search index (seconds at 50k
    rights). One at a time, so two workers never build at once on the 2 cores (together they
    can pass gunicorn's 30 s worker timeout and be restarted, again and again). Returns the
    seconds it took and how long each slow (cold) answer took.
    """
    start = time.monotonic()
    cold: list[float] = []
    fast, i = 0, 0
    while fast < 12:
        if time.monotonic() - start > timeout:
            raise RuntimeError("the workers did not warm up")
        status, seconds = get(base + paths[i % len(paths)], timeout=timeout)
        i += 1
        if status == 200 and seconds < 0.5:
            fast += 1
        else:
            fast = 0
            cold.append(round(seconds, 1))
    return {"seconds": round(time.monotonic() - start, 1), "cold_answers_s": cold}


# -- wrk ---------------------------------------------------------------------------------------

LUA = """
local specs = {SPECS}
non2xx = 0
local threads = {}
local reqs = {}
local n = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for i, s in ipairs(specs) do
    local headers = {["Host"] = "HOST"}
    if s[3] then headers["Content-Type"] = "application/json" end
    reqs[i] = wrk.format(s[1], s[2], headers, s[3])
  end
  n = math.random(#reqs)
end

function request()
  n = n % #reqs + 1
  return reqs[n]
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes, bad, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
"""


def lua_script(specs: list[tuple[str, str, str | None]], host: str) -> str:
    def quote(text: str | None) -> str:
        return "nil" if text is None else f"[==[{text}]==]"

    rows = ", ".join(f"{{{quote(m)}, {quote(p)}, {quote(b)}}}" for m, p, b in specs)
    return LUA.replace("{SPECS}", "{" + rows + "}").replace("HOST", host)


def requests_for(endpoint: str, slugs: list[str]) -> list[tuple[str, str, str | None]]:
    if endpoint == "hello":
        return [("GET", "/healthz", None)]
    if endpoint == "search":
        return [("GET", f"/api/v1/rights?q={q}&municipality=9000", None) for q in SEARCHES]
    if endpoint == "detail":
        return [("GET", f"/api/v1/rights/{slug}", None) for slug in slugs]
    if endpoint == "screening":
        return [("POST", "/api/v1/screening", json.dumps(SCREENING))]
    return [("POST", "/api/v1/advice/leefloon", json.dumps(ADVICE))]


def cpu_seconds(pids: list[int]) -> tuple[float, float]:
    """Busy seconds of all CPUs since boot, and of the processes `pids` (Linux /proc).

    Interrupt time (the loopback network's softirq work, charged to no process) is not
    counted as busy: it belongs to the load test, not to other processes.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, _irq, _softirq, steal = values
    busy = user + nice + system + steal
    own = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        own += int(fields[11]) + int(fields[12])  # utime, stime
    return busy / ticks, own / ticks


def run_wrk(
    server: Server, endpoint: str, slugs: list[str], settings: Settings, tmp: Path
) -> dict[str, Any]:
    """Drive one endpoint; also say how much CPU the server, wrk and other processes used."""
    base = server.base
    host = base.removeprefix("http://")
    script = tmp / f"{endpoint}.lua"
    script.write_text(lua_script(requests_for(endpoint, slugs), host), encoding="utf-8")
    pids = server.pids()
    busy0, server0 = cpu_seconds(pids)
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [
            "wrk",
            f"--threads={settings.threads}",
            f"--connections={settings.connections}",
            f"--duration={settings.duration}s",
            "--timeout=10s",
            f"--script={script}",
            base + requests_for(endpoint, slugs)[0][1],
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    busy1, server1 = cpu_seconds(pids)
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("RESULT "))
    raw = json.loads(line.removeprefix("RESULT "))
    seconds = raw["duration_us"] / 1e6
    capacity = seconds * (os.cpu_count() or 1) / 100  # seconds per percent of the machine
    used_by_wrk = (children1.ru_utime + children1.ru_stime) - (
        children0.ru_utime + children0.ru_stime
    )
    cpu = {
        "server": round((server1 - server0) / capacity),
        "wrk": round(used_by_wrk / capacity),
        "others": max(0, round((busy1 - busy0 - (server1 - server0) - used_by_wrk) / capacity)),
    }
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "endpoint": endpoint,
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "non2xx": raw["non2xx"],
        "socket_errors": {k: raw[k] for k in ("connect", "read", "write", "timeout")},
        "errors": raw["non2xx"] + socket_errors,
        "kb_per_response": round(raw["bytes"] / max(1, raw["requests"]) / 1024, 2),
        "cpu_percent": cpu,  # of the whole machine, during the run: others > 0 means noise
    }


# -- runs --------------------------------------------------------------------------------------


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def run(name: str, settings: Settings, tmp: Path) -> dict[str, Any]:
    """One server: set up its database, start it, warm it up, drive every endpoint."""
    backend = "sqlite" if name == "sqlite" else "postgresql"
    if name == "50k" and postgres_answers(settings.postgres):
        backend = "sqlite"
    out: dict[str, Any] = {"run": name, "backend": backend, "load_average_before": load_average()}
    database = sqlite_database(tmp) if backend == "sqlite" else postgres_database(settings.postgres)
    with database as url:
        started = time.monotonic()
        flask(url, "db", "upgrade")
        out["catalog_load"] = flask(url, "catalog", "load")
        slugs = list(DETAILS)
        endpoints = [e for e in settings.endpoints if e in ENDPOINTS]
        if name == "50k":
            t0 = time.monotonic()
            slugs = slugs[:2] + add_synthetic_rights(url, settings.size)[:2]
            out["synthetic_rights"] = settings.size
            out["synthetic_insert_s"] = round(time.monotonic() - t0, 1)
            endpoints = [e for e in endpoints if e in SIZE_ENDPOINTS]
        out["setup_s"] = round(time.monotonic() - started, 1)
        server = Server(url, tmp / f"gunicorn-{name}.log")
        try:
            server.start(timeout=300)
            searches = [p for _m, p, _b in requests_for("search", slugs)]
            warm = warm_up(server.base, searches[:2])
            out["warm_up_s"], out["cold_answers_s"] = warm["seconds"], warm["cold_answers_s"]
            checks: list[tuple[str, dict[str, Any] | None]] = [
                (p, None) for p in searches + [f"/api/v1/rights/{s}" for s in slugs]
            ]
            for endpoint, body in (("screening", SCREENING), ("advice", ADVICE)):
                if endpoint in endpoints:
                    checks += [(requests_for(endpoint, slugs)[0][1], body)] * 6  # both workers
            for path, body in checks:
                status, _ = get(server.base + path, timeout=60, body=body)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status} before the load")
            ready = json.loads(urllib.request.urlopen(server.base + "/readyz").read())
            out["rights_in_snapshot"] = ready["rights"]
            results: list[dict[str, Any]] = []
            hello: dict[str, Any] | None = None
            for endpoint in endpoints:
                result = run_wrk(server, endpoint, slugs, settings, tmp)
                hello = result if endpoint == "hello" else hello
                result["ratio_to_hello"] = round(result["rps"] / hello["rps"], 3) if hello else None
                results.append(result)
                print_result(name, result)
            out["endpoints"] = results
        finally:
            server.stop()
        out["server"] = server.events()
        out["load_average_after"] = load_average()
    return out


def print_result(run_name: str, result: dict[str, Any]) -> None:
    ratio = result["ratio_to_hello"]
    ratio = f"{ratio:.2f}" if ratio is not None else "-"
    sockets = sum(result["socket_errors"].values())
    cpu = result["cpu_percent"]
    print(
        f"  {run_name:<10} {result['endpoint']:<10} {result['rps']:>9.1f} "
        f"{result['p50_ms']:>8.1f} {result['p99_ms']:>8.1f} {result['max_ms']:>8.1f} "
        f"{result['non2xx']:>6} {sockets:>6} {ratio:>6}   "
        f"{cpu['server']:>3}/{cpu['wrk']:>3}/{cpu['others']:>3}",
        flush=True,
    )


def verdict(runs: list[dict[str, Any]]) -> list[str]:
    """The acceptance points of issue 8 that this run can judge."""
    lines = []
    for r in runs:
        if "failed" in r:
            lines.append(f"FAIL {r['run']}: {r['failed'].splitlines()[0]}")
        if "endpoints" not in r:
            continue
        errors = sum(e["errors"] for e in r["endpoints"])
        server = r["server"]
        ok = errors == 0 and server["worker_timeouts"] == 0 and server["unhandled_errors"] == 0
        lines.append(
            f"{'PASS' if ok else 'FAIL'} {r['run']}: {errors} errors, "
            f"{server['worker_timeouts']} worker timeouts, "
            f"{server['unhandled_errors']} unhandled errors in the server log"
        )
        search = next((e for e in r["endpoints"] if e["endpoint"] == "search"), None)
        if r["run"] == "50k" and search and search.get("ratio_to_hello") is not None:
            ok = search["ratio_to_hello"] >= 0.40 and search["p99_ms"] < 100
            lines.append(
                f"{'PASS' if ok else 'FAIL'} 50k search: {search['ratio_to_hello']:.0%} of hello "
                f"(needs >= 40%), p99 {search['p99_ms']:.1f} ms (needs < 100 ms) "
                f"over {r.get('rights_in_snapshot')} rights"
            )
    return lines


def main() -> None:
    settings = Settings.from_env()
    if shutil.which("wrk") is None:
        print("load: wrk is not installed (Debian: apt-get install wrk); skipped")
        return
    print(
        f"load: gunicorn --workers {WORKERS}, wrk {settings.threads} threads, "
        f"{settings.connections} connections, {settings.duration} s per endpoint; "
        f"{os.cpu_count()} CPUs, load average {load_average()}"
    )
    print(
        "  cpu %: the machine's CPU used during the endpoint's run by gunicorn / wrk / other "
        "processes (others above a few % means the numbers are disturbed)"
    )
    print(
        f"  {'run':<10} {'endpoint':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'non2xx':>6} {'socket':>6} {'/hello':>6}   cpu %"
    )
    pg_problem = postgres_answers(settings.postgres)
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="rv-load-") as tmp_name:
        tmp = Path(tmp_name)
        for name in settings.runs:
            if name == "postgresql" and pg_problem:
                print(f"  postgresql skipped: {pg_problem}")
                runs.append({"run": name, "skipped": pg_problem})
                continue
            try:
                result = run(name, settings, tmp)
            except Exception as exc:  # one run failing (no CREATE DATABASE right, ...) says why
                print(f"  {name} failed: {exc}", flush=True)
                runs.append({"run": name, "failed": str(exc)})
                continue
            extra = (
                f", {result['synthetic_rights']} synthetic rights inserted in "
                f"{result['synthetic_insert_s']} s"
                if "synthetic_rights" in result
                else ""
            )
            print(
                f"  {name}: {result['backend']}, {result['rights_in_snapshot']} rights in the "
                f"snapshot{extra}; setup {result['setup_s']} s, warm-up {result['warm_up_s']} s "
                f"(cold answers {result['cold_answers_s']} s); load average "
                f"{result['load_average_before']} before, {result['load_average_after']} after",
                flush=True,
            )
            runs.append(result)
    for line in verdict(runs):
        print(f"  {line}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"load-{datetime.now():%Y%m%d-%H%M%S}.json"
    document = {
        "bench": "load",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "settings": asdict(settings),
        "runs": runs,
    }
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    print(f"  results written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
