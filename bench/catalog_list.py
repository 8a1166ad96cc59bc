"""Listing rights for a municipality with facets: in-memory snapshot vs a query per request.

The design keeps a per-worker snapshot of the published catalogue (refreshed by version) instead
of querying the database on every request. This measures both on the same data and filters in
one run and prints the ratio; absolute times on this machine are not comparable between runs.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from sqlmodel import Session

from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.catalog.queries import RightFilters, filter_rights
from rechtenverkenner.catalog.services import load_catalog
from rechtenverkenner.catalog.snapshot import build_snapshot
from rechtenverkenner.db import make_engine, upgrade_database

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
QUERIES = [
    RightFilters(municipality="9000"),
    RightFilters(municipality="2000", theme=["WelzijnGezondheid"]),
    RightFilters(municipality="8500", situation=["low_income"]),
    RightFilters(q="huurpremie"),
    RightFilters(municipality="1030", level=["local", "flemish"]),
    RightFilters(q="energie", municipality="3500"),
]
ROUNDS = 15


def _time(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        upgrade_database(url)
        engine = make_engine(url)
        with Session(engine) as session:
            load_catalog(session=session, data=read_catalog(CATALOG))
            session.commit()
        with Session(engine) as session:
            snapshot = build_snapshot(session=session)

        def with_snapshot() -> None:
            for filters in QUERIES:
                filter_rights(snapshot, filters)

        def per_request_query() -> None:
            # Baseline: read the published catalogue from the database for every request.
            for filters in QUERIES:
                with Session(engine) as session:
                    filter_rights(build_snapshot(session=session), filters)

        ours = [_time(with_snapshot) for _ in range(ROUNDS)]
        base = [_time(per_request_query) for _ in range(ROUNDS)]
        engine.dispose()
    ours_ms = statistics.median(ours) * 1000 / len(QUERIES)
    base_ms = statistics.median(base) * 1000 / len(QUERIES)
    print(
        f"catalog_list: {len(snapshot.rights)} rights, {len(QUERIES)} filter sets, "
        f"{ROUNDS} rounds (medians per request)"
    )
    print(f"  snapshot (ours)          {ours_ms:8.3f} ms")
    print(f"  query per request (base) {base_ms:8.3f} ms")
    print(f"  speed-up ours vs base    {base_ms / ours_ms:8.1f}x")
