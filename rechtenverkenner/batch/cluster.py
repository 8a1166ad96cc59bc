"""Screening chunks of a caseload on Dask (`dask.distributed`): a local cluster or a real one.

By default the command starts a LocalCluster with one worker process per core of this machine;
`--scheduler tcp://HOST:8786` sends the chunks to an existing Dask cluster of many machines.

Every worker loads the catalogue itself, from the database: the published catalogue the site
and the API answer from (the catalogue/ folder is only its seed, cities publish their own rights
in the editor). A local cluster is given this command's database URL once, before the run;
the workers of a real cluster read `DATABASE_URL` from their own environment, like the web
workers (or are sent the URL the same way with `--send-database-url`). Tasks name the
database by a key, never by its URL. Each worker hashes what it loaded (`catalogue_fingerprint`:
rights, places, vocabularies, dated parameters and the engine's source); the run checks that
hash on every worker before it starts and on every chunk it gets back, and stops as soon as
one differs, so a run never mixes catalogue versions (a publish during the run, a worker with
other code). A worker whose cached catalogue is older than the run's reloads it once.

Personal data: the chunks travel to the workers and back and are never stored there (spilling
to disk is switched off for the local cluster; configure a real cluster the same way); the
task function never raises (a bad line is an error record), so Dask has nothing to log about a
client, and task keys carry only a run id and a chunk number.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .screener import BatchScreener, ChunkResult, Defaults, screen_chunk

# Per worker process: the screener loaded for a database, by its key ("env", or the hash of a
# URL sent once before the run), and the URLs sent. Tasks carry the key, never the URL: a
# URL holds a password, and the scheduler keeps the task graphs it has seen.
_SCREENERS: dict[str, BatchScreener] = {}
_URLS: dict[str, str] = {}
_NO_SPILL = {
    "distributed.worker.memory.target": False,
    "distributed.worker.memory.spill": False,
    "distributed.worker.memory.pause": 0.95,
    "distributed.worker.memory.terminate": False,
}


class CatalogueMismatch(RuntimeError):
    """A worker answers from another catalogue (or code) than this run."""


def database_key(url: str | None) -> str:
    """How tasks name the database: "env" (the worker's DATABASE_URL) or a hash of the URL."""
    return "env" if url is None else "url-" + hashlib.sha256(url.encode()).hexdigest()[:16]


def _database_url(key: str) -> str:
    found = os.environ.get("DATABASE_URL") if key == "env" else _URLS.get(key)
    if not found:
        raise RuntimeError("this worker has no DATABASE_URL: set it, or use --send-database-url")
    return found


def worker_screener(key: str, expected: str | None = None) -> BatchScreener:
    """The worker's screener, loaded from the database once (again when `expected` differs)."""
    screener = _SCREENERS.get(key)
    if screener is None or (expected is not None and screener.fingerprint != expected):
        screener = _SCREENERS[key] = load_screener(_database_url(key))
    return screener


def load_screener(url: str) -> BatchScreener:
    """Read the published catalogue from the database at `url`."""
    from sqlmodel import Session

    from ..catalog.snapshot import build_snapshot
    from ..db import make_engine

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            snapshot = build_snapshot(session=session)
    finally:
        engine.dispose()
    return BatchScreener(snapshot)


def worker_fingerprint(url: str | None, expected: str | None = None) -> str:
    """Run on every worker before the run: the hash of the catalogue it answers from.

    `url` (the local cluster's, or with --send-database-url) is kept on the worker for the
    run's tasks; None: the worker's own DATABASE_URL.
    """
    key = database_key(url)
    if url is not None:
        _URLS[key] = url
    try:
        return worker_screener(key, expected).fingerprint
    except Exception as exc:  # reported by type only: a message could hold a password
        return f"error: {type(exc).__name__}"


@dataclass(frozen=True)
class Lines:
    """A chunk's input lines, scattered to a worker as one piece of data (not in the graph)."""

    items: list[tuple[int, Any]]


def screen_on_worker(
    index: int,
    lines: Lines,
    defaults: Defaults,
    output: tuple[str, tuple[str, ...]],
    fingerprint: str,
    database: str,
) -> ChunkResult:
    """The Dask task: screen one chunk; never raises (Dask would log its arguments)."""
    from .runner import renderer_from_spec
    from .summary import Summary

    try:
        screener = worker_screener(database, fingerprint)
        if screener.fingerprint != fingerprint:
            return ChunkResult(index, [], Summary(), screener.fingerprint, [])
        return screen_chunk(screener, index, lines.items, defaults, renderer_from_spec(output))
    except Exception as exc:
        return ChunkResult(index, [], Summary(), f"error: {type(exc).__name__}", [])


def run_on_dask(
    work: Iterator[tuple[int, list[tuple[int, Any]]]],
    take: Callable[[ChunkResult], None],
    *,
    defaults: Defaults,
    output: tuple[str, tuple[str, ...]],
    fingerprint: str,
    workers: int,
    scheduler: str | None,
    database_url: str | None,
    client: Any = None,
) -> None:
    """Screen every chunk on Dask and hand the results to `take` in chunk order.

    `client`: a distributed.Client to use (and leave open); else a LocalCluster of `workers`
    processes is started, or `scheduler` is connected to, for this run.

    Raises:
        CatalogueMismatch: a worker has another catalogue, before or during the run.
    """
    from distributed import as_completed

    own = client is None
    cluster = None
    if own:
        cluster, client = start_client(workers=workers, scheduler=scheduler)
    try:
        client.wait_for_workers(1, timeout=120)
        found = client.run(worker_fingerprint, database_url, fingerprint)
        wrong = {w: f for w, f in found.items() if f != fingerprint}
        if wrong:
            raise CatalogueMismatch(_mismatch(fingerprint, wrong))
        database = database_key(database_url)
        window = 2 * max(len(found), 1) + 2
        run_id = uuid.uuid4().hex[:12]
        pending = as_completed()
        scattered: dict[Any, Any] = {}  # task key -> the future of its scattered lines
        in_flight = 0

        def submit_next() -> bool:
            nonlocal in_flight
            chunk = next(work, None)
            if chunk is None:
                return False
            index, items = chunk
            # The lines go straight to a worker (scatter), not through the task graph: the
            # scheduler keeps graphs it has seen for its diagnostics, and must not keep clients.
            data = client.scatter(Lines(items), hash=False)
            future = client.submit(
                screen_on_worker,
                index,
                data,
                defaults,
                output,
                fingerprint,
                database,
                key=f"rv-batch-{run_id}-{index}",
                pure=False,
            )
            scattered[future.key] = data
            pending.add(future)
            in_flight += 1
            return True

        while in_flight < window and submit_next():
            pass
        ready: dict[int, ChunkResult] = {}
        next_index = 0
        for future in pending:
            result: ChunkResult = future.result()
            future.release()
            scattered.pop(future.key).release()
            in_flight -= 1
            if result.fingerprint != fingerprint:
                for other in list(pending.futures):
                    other.cancel()
                raise CatalogueMismatch(_mismatch(fingerprint, {"a worker": result.fingerprint}))
            ready[result.index] = result
            while next_index in ready:
                take(ready.pop(next_index))
                next_index += 1
            while in_flight < window and submit_next():
                pass
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


def start_client(*, workers: int, scheduler: str | None) -> tuple[Any, Any]:
    """(LocalCluster or None, Client): a local cluster of `workers` processes, or `scheduler`."""
    import dask
    from distributed import Client, LocalCluster

    cluster = None
    with dask.config.set(_NO_SPILL):
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                scheduler_port=0,
                silence_logs=40,  # logging.ERROR
            )
        client = Client(cluster if cluster is not None else scheduler)
    return cluster, client


def _mismatch(expected: str, found: dict[str, str]) -> str:
    seen = ", ".join(sorted({f[:12] if not f.startswith("error") else f for f in found.values()}))
    return (
        f"{len(found)} worker(s) answer from another catalogue or code ({seen}) than this run "
        f"({expected[:12]}): the run stops so as not to mix versions"
    )
