"""Seeded synthetic client profiles, shaped like the ones social workers fill in.

Each fact is present with a probability, as real profiles are partly filled; values follow
rough Flemish proportions (ages, household types, incomes). Used by the screening and batch
benchmarks; the same seed gives the same profiles.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any

from rechtenverkenner.rules import profile as P

PLACES = ["44021", "11002", "31005", "71016", "24062", "12025", "35013", "21004", "41002", "34022"]
COMMON_STATUSES = [
    "verhoogde_tegemoetkoming",
    "leefloon",
    "unemployment_benefit",
    "sickness_benefit",
    "pension",
    "health_insurance",
    "groeipakket",
    "igo",
    "budget_guidance",
    "informal_carer",
]


def _money(rng: random.Random, lo: int, hi: int) -> str:
    return f"{rng.randint(lo * 100, hi * 100) / 100:.2f}"


def _income(rng: random.Random) -> list[dict[str, Any]]:
    if rng.random() < 0.25:
        return []
    return [
        {"kind": rng.choice(P.INCOME_KINDS[:7]), "monthly_net": _money(rng, 300, 2800)}
        for _ in range(rng.choice((1, 1, 1, 2)))
    ]


def _member(rng: random.Random, relation: str) -> dict[str, Any]:
    member: dict[str, Any] = {"relation": relation}
    if relation == "child":
        member["age"] = rng.randint(0, 24)
        if rng.random() < 0.8:
            member["dependent"] = member["age"] < 21
        if rng.random() < 0.5:
            member["education_level"] = rng.choice(P.EDUCATION_LEVELS[:4])
    else:
        member["age"] = rng.randint(18, 85)
        if rng.random() < 0.7:
            member["income"] = _income(rng)
    if rng.random() < 0.4:
        member["statuses"] = rng.sample(COMMON_STATUSES, rng.randint(0, 2))
    return member


def profile(rng: random.Random, statuses: Sequence[str] = COMMON_STATUSES) -> dict[str, Any]:
    """One profile as JSON data (strings for money), valid for `load_profile`."""
    p: dict[str, Any] = {"municipality_nis": rng.choice(PLACES)}

    def maybe(share: float) -> bool:
        return rng.random() < share

    if maybe(0.9):
        p["age"] = rng.randint(16, 90)
    situation = rng.choice(P.LIVING_SITUATIONS[:7])
    if maybe(0.85):
        p["living_situation"] = situation
    if maybe(0.7):
        members = []
        if situation.startswith("couple"):
            members.append(_member(rng, "partner"))
        if "children" in situation or situation == "shared_custody_equal":
            members += [_member(rng, "child") for _ in range(rng.randint(1, 4))]
        if situation in ("with_parents", "cohabiting_shared_household"):
            members += [_member(rng, "parent" if situation == "with_parents" else "friend")]
        p["household"] = members
    if maybe(0.75):
        p["statuses"] = rng.sample(list(statuses), rng.randint(0, 3))
    if maybe(0.7):
        p["own_income"] = _income(rng)
    if maybe(0.4):
        gross = rng.randint(5000, 70000)
        p["taxable_income"] = {
            "gross_yearly": f"{gross}.00",
            "net_yearly": f"{int(gross * 0.8)}.00",
        }
    if maybe(0.5):
        p["nationality_status"] = rng.choice(P.NATIONALITY_STATUSES)
    if maybe(0.5):
        p["housing"] = rng.choice(P.TENURES[:3])
        if p["housing"] != "owner_occupier" and maybe(0.7):
            p["rent_monthly"] = _money(rng, 250, 1100)
    if maybe(0.3):
        if maybe(0.7):
            p["disability_recognised"] = False
        else:
            p["disability"] = {
                "percent": rng.randint(0, 100),
                "self_reliance_points": rng.randint(0, 18),
            }
    if maybe(0.3):
        p["capital"] = {"movable_total": _money(rng, 0, 60000)}
    if maybe(0.3):
        p["occupations"] = rng.sample(P.OCCUPATIONS, rng.randint(0, 2))
    return p


def profiles(
    count: int, seed: int, statuses: Sequence[str] = COMMON_STATUSES
) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for _number in range(count):
        yield profile(rng, statuses)
