"""Leefloon advice: latency per advice and throughput over 100k random profiles, one process.

Profiles come from `bench/profiles.py` (seeded), completed with the facts the advice needs
(residence, willingness to work, capital, ...), so most of them reach a full calculation.
Baseline in the same run: the profile check alone (`load_profile`), the cost every request
pays anyway; the advice is reported as a multiple of it.

Run: `python -m bench leefloon`; RV_BENCH_ADVICE_PROFILES for another count (default 100,000).
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.rules.leefloon import advise, income_rules
from rechtenverkenner.rules.profile import load_profile

from .profiles import profiles

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
ON = date(2025, 6, 1)


def complete(profile: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Add the leefloon facts the screening profiles leave out, as a dossier would have them."""
    out = dict(profile)
    out.setdefault("actual_residence_belgium", rng.random() < 0.97)
    out.setdefault("nationality_status", "belgian")
    if out["nationality_status"] in ("eu_citizen", "eu_family_member"):
        out["right_of_residence_more_than_3_months"] = rng.random() < 0.8
    out["willing_to_work"] = rng.random() < 0.85
    if not out["willing_to_work"]:
        out["work_exemption_reason"] = rng.choice(("health", "equity_studies", "none"))
    out["other_benefits_claimed"] = rng.random() < 0.95
    out.setdefault("own_income", [])
    out.setdefault("capital", {"movable_total": f"{rng.randint(0, 20000)}.00"})
    out.setdefault("property", [])
    out["transfers_last_10_years"] = []
    out["advantages_in_kind_monthly"] = "0.00"
    out.pop("municipality_nis", None)
    for member in out.get("household", []):
        if member["relation"] in ("partner", "parent"):
            member.setdefault("income", [])
    return out


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct))]


def main() -> None:
    count = int(os.environ.get("RV_BENCH_ADVICE_PROFILES", "100000"))
    data = read_catalog(CATALOG, run_examples=False)
    rules = income_rules(data.vocabularies["leefloon_income_kind"])
    statuses = list(data.vocabularies["status"])
    rng = random.Random(5)
    raw = [complete(p, rng) for p in profiles(count, seed=21, statuses=statuses)]
    choices = {"ascendant_share": "0.5"}

    start = time.perf_counter()
    loaded = [load_profile(p) for p in raw]
    check_s = time.perf_counter() - start

    latencies = []
    full_calculation = []  # advices that went all the way to an amount
    for profile in loaded[:5000]:
        t0 = time.perf_counter()
        advice = advise(
            profile, on=ON, parameters=data.parameters, income_rules=rules, choices=choices
        )
        took = time.perf_counter() - t0
        latencies.append(took)
        if advice.outcome == "eligible":
            full_calculation.append(took)

    outcomes: dict[str, int] = {}
    start = time.perf_counter()
    for profile in loaded:
        advice = advise(
            profile, on=ON, parameters=data.parameters, income_rules=rules, choices=choices
        )
        outcomes[advice.outcome] = outcomes.get(advice.outcome, 0) + 1
    advise_s = time.perf_counter() - start

    print(f"leefloon: {count:,} seeded profiles, reference date {ON}, one process")
    print(
        f"  one advice: median {statistics.median(latencies) * 1000:.3f} ms, "
        f"p95 {_percentile(latencies, 0.95) * 1000:.3f} ms  (goal: median < 2 ms)"
    )
    print(
        f"  eligible advices only (full calculation): median "
        f"{statistics.median(full_calculation) * 1000:.3f} ms, "
        f"p95 {_percentile(full_calculation, 0.95) * 1000:.3f} ms"
    )
    print(f"  throughput: {count / advise_s:,.0f} advices/s ({advise_s:.1f} s for {count:,})")
    print(f"  baseline, profile check only: {count / check_s:,.0f} profiles/s")
    print(f"  advice / profile check time: {advise_s / check_s:.2f}x")
    print("  outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items())))
