"""The screening form: what a social worker fills in, turned into a client profile.

Every question may stay empty ("I don't know"); an empty answer leaves the fact out of the
profile, so the engine answers "we need to know" instead of guessing. The questions are grouped
in sections and the sections are shown in the order of how many rights they help decide.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ..rules.conditions import COMBINATORS
from ..rules.profile import (
    EDUCATION_LEVELS,
    LIVING_SITUATIONS,
    NATIONALITY_STATUSES,
    OCCUPATIONS,
    TENURES,
)

# Section of the form -> the condition kinds it answers.
SECTIONS: dict[str, tuple[str, ...]] = {
    "person": ("age",),
    "household": ("household",),
    "statuses": ("status",),
    "income": ("income_below",),
    "disability": ("disability",),
    "housing": ("housing",),
    "residence_status": ("legal_status",),
    "work": ("occupation", "education"),
    "savings": ("assets_below",),
}
MAIN_STATUSES = 12  # shown at once; the others behind "more"
FIELDS = (
    "municipality",
    "reference_date",
    "age",
    "living_situation",
    "partner",
    "children",
    "children_ages",
    "other_adults",
    "statuses_none",
    "income_own",
    "income_partner",
    "taxable_gross",
    "taxable_net",
    "savings",
    "disability",
    "disability_percent",
    "disability_points",
    "housing",
    "rent",
    "nationality_status",
    "occupations_none",
    "education_level",
)
LISTS = ("statuses", "occupations")


def _kinds(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_kinds(n) for n in node)) if node else set()
    for op in COMBINATORS:
        if op in node:
            return _kinds(node[op] if op != "not" else [node[op]])
    return {node["kind"]}


def section_order(rights: Sequence[Mapping[str, Any]]) -> list[tuple[str, int]]:
    """Form sections, the one that helps decide the most rights first."""
    used: Counter[str] = Counter()
    for right in rights:
        kinds = _kinds(right.get("criteria") or [])
        for section, section_kinds in SECTIONS.items():
            if kinds.intersection(section_kinds):
                used[section] += 1
    return sorted(
        ((s, used[s]) for s in SECTIONS), key=lambda kv: (-kv[1], list(SECTIONS).index(kv[0]))
    )


def status_order(rights: Sequence[Mapping[str, Any]], codes: Sequence[str]) -> list[str]:
    """Status codes, the most asked-for first."""
    used: Counter[str] = Counter()

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n)
            return
        for op in COMBINATORS:
            if op in node:
                walk(node[op] if op != "not" else [node[op]])
                return
        if node.get("kind") == "status":
            used.update(node["values"])

    for right in rights:
        walk(right.get("criteria") or [])
    return sorted(codes, key=lambda c: (-used[c], list(codes).index(c)))


@dataclass
class Answers:
    """The form as filled in: text values, ticked lists and the problems found."""

    values: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_form(cls, form: Any) -> Answers:
        values = {name: str(form.get(name, "")).strip()[:200] for name in FIELDS}
        lists = {name: [v[:60] for v in form.getlist(name)][:60] for name in LISTS}
        return cls(values, lists)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Answers:
        values = {name: str(data.get(name, ""))[:200] for name in FIELDS}
        lists = {name: [str(v)[:60] for v in data.get(name, [])][:60] for name in LISTS}
        return cls(values, lists)

    def as_dict(self) -> dict[str, Any]:
        return {**{k: v for k, v in self.values.items() if v}, **self.lists}

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def filled(self) -> int:
        """How many questions were answered (for "answer more to know more")."""
        return sum(1 for v in self.values.values() if v) + sum(1 for v in self.lists.values() if v)


def _int(answers: Answers, name: str, lo: int, hi: int) -> int | None:
    text = answers.get(name)
    if not text:
        return None
    if not re.fullmatch(r"\d{1,3}", text) or not lo <= int(text) <= hi:
        answers.errors[name] = "number"
        return None
    return int(text)


def _money(answers: Answers, name: str) -> str | None:
    text = answers.get(name).replace("€", "").replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", text):  # 1.234,56 as written in Belgium
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        answers.errors[name] = "money"
        return None
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        answers.errors[name] = "money"
        return None
    return f"{amount:.2f}"


def _choice(answers: Answers, name: str, allowed: Sequence[str]) -> str | None:
    value = answers.get(name)
    if not value:
        return None
    if value not in allowed:
        answers.errors[name] = "choice"
        return None
    return value


def build_profile(answers: Answers, status_codes: Sequence[str]) -> dict[str, Any]:
    """A client profile (the API's shape, as JSON data) from the answers; problems go to
    `answers.errors` keyed by field name."""
    profile: dict[str, Any] = {}
    age = _int(answers, "age", 0, 120)
    if age is not None:
        profile["age"] = age
    situation = _choice(answers, "living_situation", LIVING_SITUATIONS)
    if situation:
        profile["living_situation"] = situation
    household = _household(answers, situation)
    if household is not None:
        profile["household"] = household
    statuses = [c for c in answers.lists.get("statuses", []) if c in status_codes]
    if statuses or answers.get("statuses_none"):
        profile["statuses"] = statuses
    own = _money(answers, "income_own")
    if own is not None:
        profile["own_income"] = [] if own == "0.00" else [{"kind": "other", "monthly_net": own}]
    taxable = {}
    for name, key in (("taxable_gross", "gross_yearly"), ("taxable_net", "net_yearly")):
        value = _money(answers, name)
        if value is not None:
            taxable[key] = value
    if taxable:
        profile["taxable_income"] = taxable
    savings = _money(answers, "savings")
    if savings is not None:
        profile["capital"] = {"movable_total": savings}
    _disability(answers, profile)
    tenure = _choice(answers, "housing", TENURES)
    if tenure:
        profile["housing"] = tenure
    rent = _money(answers, "rent")
    if rent is not None:
        profile["rent_monthly"] = rent
    nationality = _choice(answers, "nationality_status", NATIONALITY_STATUSES)
    if nationality:
        profile["nationality_status"] = nationality
    occupations = [c for c in answers.lists.get("occupations", []) if c in OCCUPATIONS]
    if occupations or answers.get("occupations_none"):
        profile["occupations"] = occupations
    level = _choice(answers, "education_level", EDUCATION_LEVELS)
    if level:
        profile["education_level"] = level
    return profile


def _household(answers: Answers, situation: str | None) -> list[dict[str, Any]] | None:
    """The people under the same roof, when the form says who they all are."""
    alone = situation in ("alone", "homeless")
    partner = _choice(answers, "partner", ("yes", "no")) or ("no" if alone else None)
    children = _int(answers, "children", 0, 20)
    others = _int(answers, "other_adults", 0, 20)
    if alone:
        children = 0 if children is None else children
        others = 0 if others is None else others
    ages_text = answers.get("children_ages")
    ages: list[int] = []
    if ages_text:
        parts = [p for p in re.split(r"[,;\s]+", ages_text) if p]
        if not all(re.fullmatch(r"\d{1,2}", p) for p in parts):
            answers.errors["children_ages"] = "ages"
        else:
            ages = [int(p) for p in parts]
            if children is None:
                children = len(ages)
            elif len(ages) != children:
                answers.errors["children_ages"] = "ages_count"
                ages = []
    if alone and (partner == "yes" or children or others):
        answers.errors["living_situation"] = "alone_but_others"
        return None
    if partner is None or children is None or others is None:
        return None
    members: list[dict[str, Any]] = []
    if partner == "yes":
        member: dict[str, Any] = {"relation": "partner"}
        income = _money(answers, "income_partner")
        if income is not None:
            member["income"] = (
                [] if income == "0.00" else [{"kind": "other", "monthly_net": income}]
            )
        members.append(member)
    for i in range(children):
        child: dict[str, Any] = {"relation": "child", "dependent": True}
        if ages:
            child["age"] = ages[i]
        members.append(child)
    members += [{"relation": "other"} for _ in range(others)]
    return members


def _disability(answers: Answers, profile: dict[str, Any]) -> None:
    recognised = _choice(answers, "disability", ("yes", "no"))
    percent = _int(answers, "disability_percent", 0, 100)
    points = _int(answers, "disability_points", 0, 18)
    if recognised == "no":
        if percent or points:
            answers.errors["disability"] = "no_but_points"
            return
        profile["disability_recognised"] = False
        return
    scales = {}
    if percent is not None:
        scales["percent"] = percent
    if points is not None:
        scales["self_reliance_points"] = points
    if scales:
        profile["disability"] = scales


def reference_date(answers: Answers) -> date | None:
    text = answers.get("reference_date")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        answers.errors["reference_date"] = "date"
        return None
