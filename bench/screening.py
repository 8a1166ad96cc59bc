"""Screening: profiles per second against the whole seed catalogue and a 10x synthetic one.

One process, in memory. Three measurements on the same seeded profiles, in one run:
- engine: `rules.screening.screen` over every current right of the catalogue (1x) and over a
  catalogue ten times as large (each right copied ten times), profiles per second;
- service: what `POST /api/v1/screening` does for one profile (rights of the client's place,
  evaluation, explanation texts), median and p95 per profile;
- baseline: walking the same criteria trees without evaluating them, to read the engine time
  as a multiple of the bare cost of visiting every condition (noise on this machine hits both).

Run: `python -m bench screening`; RV_BENCH_PROFILES for another number of profiles.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from rechtenverkenner import screening as service
from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.catalog.services import load_catalog
from rechtenverkenner.catalog.snapshot import build_snapshot
from rechtenverkenner.db import make_engine, upgrade_database
from rechtenverkenner.rules.conditions import COMBINATORS
from rechtenverkenner.rules.profile import load_profile
from rechtenverkenner.rules.screening import screen

from .profiles import profiles

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
ON = date(2025, 6, 1)


def _walk(node: Any) -> int:
    if isinstance(node, list):
        return sum(_walk(n) for n in node)
    for op in COMBINATORS:
        if op in node:
            return _walk(node[op] if op != "not" else [node[op]])
    return 1


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct))]


def main() -> None:
    count = int(os.environ.get("RV_BENCH_PROFILES", "2000"))
    data = read_catalog(CATALOG, run_examples=False)
    places = data.places()
    rights = [r for r in data.rights.values() if not r["archived"]]
    tenfold = [{**r, "slug": f"{r['slug']}-{i}"} for i in range(10) for r in rights]
    statuses = list(data.vocabularies["status"])
    loaded = [load_profile(p, statuses=statuses) for p in profiles(count, seed=11)]

    def engine_rate(catalogue: list[dict[str, Any]], sample: list[dict[str, Any]]) -> float:
        start = time.perf_counter()
        for profile in sample:
            screen(
                catalogue,
                profile,
                on=ON,
                parameters=data.parameters,
                places=places,
                municipality_nis=profile["municipality_nis"],
            )
        return len(sample) / (time.perf_counter() - start)

    def walk_rate(catalogue: list[dict[str, Any]], sample: list[dict[str, Any]]) -> float:
        start = time.perf_counter()
        for _profile in sample:
            for right in catalogue:
                _walk(right["criteria"])
        return len(sample) / (time.perf_counter() - start)

    engine_rate(rights, loaded[:50])  # warm-up
    one = engine_rate(rights, loaded)
    sample = loaded[: max(count // 10, 50)]
    ten = engine_rate(tenfold, sample)
    one_same = engine_rate(rights, sample)  # the same profiles as the 10x run, for the ratio
    walk = walk_rate(rights, loaded)

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        upgrade_database(url)
        db = make_engine(url)
        with Session(db) as session:
            load_catalog(session=session, data=data)
            session.commit()
        with Session(db) as session:
            snapshot = build_snapshot(session=session)
        db.dispose()
    per_request = []
    for profile in loaded:
        start = time.perf_counter()
        req = service.prepare(snapshot, profile, on=ON)
        result = service.run(snapshot, req)
        service.screening_dict(snapshot, result, req, "nl")
        per_request.append(time.perf_counter() - start)
    engine_only = []
    for profile in loaded[:500]:
        nis = profile["municipality_nis"]
        here = service.rights_for(snapshot, nis)
        start = time.perf_counter()
        screen(
            here,
            profile,
            on=ON,
            parameters=snapshot.parameters,
            places=service.engine_places(snapshot),
            municipality_nis=nis,
        )
        engine_only.append(time.perf_counter() - start)

    print(
        f"screening: {len(rights)} current rights ({len(tenfold)} in the 10x catalogue), "
        f"{count} seeded profiles, reference date {ON}"
    )
    print(f"  engine, whole catalogue (1x)        {one:10.0f} profiles/s")
    print(f"  engine, 10x catalogue               {ten:10.0f} profiles/s")
    print(f"  10x / 1x time per profile           {one_same / ten:10.1f}x  (linear would be 10x)")
    print(f"  baseline: walk the trees only (1x)  {walk:10.0f} profiles/s")
    print(f"  engine / bare walk time             {walk / one:10.1f}x")
    for label, times in (
        ("one profile, rights of its place, engine only", engine_only),
        ("one profile as the API answers it (with texts)", per_request),
    ):
        median_ms = statistics.median(times) * 1000
        p95_ms = _percentile(times, 0.95) * 1000
        print(f"  {label}: median {median_ms:.3f} ms, p95 {p95_ms:.3f} ms")
