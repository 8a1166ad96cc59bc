"""Criteria compiled once, evaluated without explanations: the engine's fast path for batches.

`engine.evaluate` answers one right for one profile and explains itself: every condition
becomes a Step with the facts it used and the dated thresholds it compared with. A caseload of
100,000 clients needs only the answer (entitled, not entitled, unknown) and the missing facts,
so this module turns a right's criteria tree, once per reference date and place, into nested
plain functions of the profile:

- the dated thresholds are read once for the reference date (not once per condition and client);
- the place the screening is for and the right's own municipalities are fixed in advance;
- `all` stops at the first condition that fails and `any` at the first that holds (the engine
  evaluates every condition because the explanation shows them all; the answer is the same
  because evaluating a condition has no side effects and cannot fail once its thresholds are
  known);
- no Step, Leaf or Context object is made.

Each condition kind below mirrors its evaluator in engine.py line by line (the same Decimal
arithmetic in the same order, the same missing facts at the same depth), and the missing facts
are ranked exactly as `evaluate` ranks them. A right the compiler cannot take (a kind it does
not know, a threshold without a value on the reference date, a period that does not convert)
is left to the engine, so the answer is always the engine's answer: it raises where the
engine raises. tests/test_compiled_screening.py checks statuses and missing facts against
`screen` on random profiles, catalogue rights and random criteria trees (hypothesis).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .conditions import NODE_KEYS
from .engine import (
    COMPOSITIONS,
    INFINITY,
    Context,
    Places,
    _disability_points,
    _months_between,
    evaluate,
    question_rank,
)
from .parameters import Parameter, ParameterDateError
from .profile import age_on, monthly_amount
from .screening import status_of

Tri = bool | None
Facts = list[str]
LeafFn = Callable[[Mapping[str, Any]], tuple[Tri, Facts]]
NodeFn = Callable[[Mapping[str, Any]], tuple[Tri, list[tuple[int, str]]]]
NONE: list[Any] = []  # shared empty answer; never appended to


class _CannotCompile(Exception):
    """This right is left to the engine (which then answers or raises as it always does)."""


@dataclass(frozen=True)
class Bound:
    """What a compiled right is fixed to: the reference date and the place screened."""

    on: date
    parameters: Mapping[str, Parameter]
    places: Places
    municipality_nis: str | None = None
    own_municipalities: Sequence[str] = ()
    # Leaves (and income sums) shared by the rights compiled together: the same condition in
    # two rights is evaluated once per profile. Never part of what a right means.
    shared: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def in_period(self, name: str, per: str) -> Decimal:
        """`engine._in_period`: the threshold on the reference date, in the period `per`."""
        try:
            value = self.parameters[name].at(self.on).value
        except (KeyError, ParameterDateError):
            raise _CannotCompile(name) from None
        period = self.parameters[name].period
        if period == per or period == "none":
            return value
        if period == "year" and per == "month":
            return value / 12
        if period == "month" and per == "year":
            return value * 12
        raise _CannotCompile(name)


def remembered(answer: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`answer` for the profile it was last asked about, without working it out again.

    A condition shared by several rights is asked about one profile once per right, one right
    after the other: the last answer is the one wanted. Keyed by the profile object itself
    (`is`: the last one is held, so its identity cannot be reused); one tuple per update, so a
    reader in another thread sees a matching pair.
    """
    last: list[tuple[Any, Any]] = [(None, None)]

    def again(profile: Any) -> Any:
        seen, found = last[0]
        if seen is profile:
            return found
        found = answer(profile)
        last[0] = (profile, found)
        return found

    def forget() -> None:
        last[0] = (None, None)

    again.forget = forget  # type: ignore[attr-defined]
    return again


# -- people a condition speaks of (engine.subjects and engine.exists) --------------------------


def _subjects(who: str, profile: Mapping[str, Any]) -> tuple[list[tuple[str, Any]], bool]:
    if who == "applicant":
        return [("", profile)], True
    members = profile.get("household")
    known = members is not None
    chosen = [("", profile)] if who == "any_household_member" else []
    anyone = who in ("any_household_member", "other_member")
    for i, member in enumerate(members or ()):
        relation = member.get("relation")
        if (
            anyone
            or (who == "partner" and relation == "partner")
            or (who == "child" and relation == "child")
        ):
            chosen.append((f"household.{i}.", member))
        elif relation is None and not anyone:
            known = False
    return chosen, known


def _exists(
    who: str, profile: Mapping[str, Any], check: Callable[[str, Any], tuple[Tri, Facts]]
) -> tuple[Tri, Facts]:
    people, complete = _subjects(who, profile)
    missing: Facts = []
    unknown = False
    for prefix, data in people:
        result, needs = check(prefix, data)
        if result is True:
            return True, NONE
        if result is None:
            unknown = True
            missing += needs
    if not complete:
        missing.append("household")
        return None, missing
    return (None, missing) if unknown else (False, NONE)


def _for(who: str, check: Callable[[str, Any], tuple[Tri, Facts]]) -> LeafFn:
    """A condition on the people `who` names; for the applicant alone, `exists` is the check."""
    if who == "applicant":  # one subject and a complete list: exists answers what check does

        def applicant(profile: Mapping[str, Any]) -> tuple[Tri, Facts]:
            return check("", profile)

        return applicant

    def someone(profile: Mapping[str, Any]) -> tuple[Tri, Facts]:
        return _exists(who, profile, check)

    return someone


def _per_person(
    who: str, read: Callable[[str, Any], tuple[Any, str]], test: Callable[[Any], bool]
) -> LeafFn:
    """engine.per_person: true if someone `who` names passes `test`."""

    def check(prefix: str, data: Any) -> tuple[Tri, Facts]:
        value, path = read(prefix, data)
        if value is None:
            return None, [path]
        return test(value), NONE

    return _for(who, check)


# -- one compiler per condition kind (mirrors engine.eval_*) -----------------------------------


def _age(node: Mapping[str, Any], b: Bound) -> LeafFn:
    lo, hi, on = node.get("min"), node.get("max"), b.on

    def test(age: int) -> bool:
        return (lo is None or age >= lo) and (hi is None or age <= hi)

    who = node.get("who", "applicant")
    if who == "applicant":

        def leaf(profile: Mapping[str, Any]) -> tuple[Tri, Facts]:
            age = age_on(profile, on)
            if age is None:
                return None, ["age"]
            return test(age), NONE

        return leaf
    return _per_person(who, lambda prefix, data: (age_on(data, on), f"{prefix}age"), test)


def _residence(node: Mapping[str, Any], b: Bound) -> LeafFn:
    postcodes, region_of, default = b.places.postcodes, b.places.region, b.municipality_nis

    def codes_of(profile: Mapping[str, Any]) -> tuple[list[str], str | None]:
        if "municipality_nis" in profile:
            return [profile["municipality_nis"]], None
        if "postcode" in profile:
            codes = list(postcodes.get(profile["postcode"], ()))
            return codes, ("municipality_nis" if len(codes) != 1 else None)
        if default:
            return [default], None
        return [], "municipality_nis"

    if "region" in node:
        region = node["region"]
        if region == "belgium":

            def belgium(profile: Mapping[str, Any]) -> tuple[Tri, Facts]:
                codes, _unsure = codes_of(profile)
                lives_here = profile.get("actual_residence_belgium")
                if lives_here is False:
                    return False, NONE
                if codes or lives_here:
                    return True, NONE
                return None, ["municipality_nis"]

            return belgium

        def answer(code: str) -> bool:
            return region_of.get(code) == region

    else:
        wanted = node["municipalities"]
        if wanted == "own":
            wanted = b.own_municipalities

        def answer(code: str) -> bool:
            return code in wanted

    def leaf(profile: Mapping[str, Any]) -> tuple[Tri, Facts]:
        codes, unsure = codes_of(profile)
        answers = {answer(code) for code in codes}
        if len(answers) == 1:
            return answers.pop(), NONE
        return None, [unsure or "municipality_nis"]

    return leaf


def _legal_status(node: Mapping[str, Any], b: Bound) -> LeafFn:
    values = node["values"]

    def leaf(profile: Mapping[str, Any]) -> tuple[Tri, Facts]:
        status = profile.get("nationality_status")
        if status is None:
            return None, ["nationality_status"]
        return status in values, NONE

    return leaf


def _status(node: Mapping[str, Any], b: Bound) -> LeafFn:
    wanted = set(node["values"])
    months = node.get("since_months_min")
    on = b.on
    who = node.get("who", "applicant")

    def check(prefix: str, data: Any) -> tuple[Tri, Facts]:
        held = data.get("statuses")
        if held is None:
            return None, [f"{prefix}statuses"]
        found = sorted(wanted.intersection(held))
        if not found:
            return False, NONE
        if not months:
            return True, NONE
        since = data.get("status_since", {})
        dates = [since[code] for code in found if code in since]
        if any(_months_between(d, on) >= months for d in dates):
            return True, NONE
        if len(dates) == len(found):
            return False, NONE
        return None, [f"{prefix}status_since.{code}" for code in found if code not in since]

    return _for(who, check)


def _income_of(
    taxable_key: str | None, unit: str
) -> Callable[[Mapping[str, Any]], tuple[Decimal, Decimal, Facts]]:
    """engine._income_interval for one income type and unit (shared by income_below leaves)."""

    def income(profile: Mapping[str, Any]) -> tuple[Decimal, Decimal, Facts]:
        """The monthly income, lowest and highest it can be, and what is missing to know it."""
        if taxable_key is not None:
            value = profile.get("taxable_income", {}).get(taxable_key)
            if value is None:
                return Decimal(0), INFINITY, [f"taxable_income.{taxable_key}"]
            return Decimal(value) / 12, Decimal(value) / 12, []
        lo, hi, missing = Decimal(0), Decimal(0), []
        parts: list[tuple[str, Mapping[str, Any]]] = []
        if unit != "parents":
            parts.append(("own_income", profile))
        members = profile.get("household")
        if unit != "applicant":
            if members is None:
                hi = INFINITY
                missing.append("household")
            for i, member in enumerate(members or ()):
                relation = member.get("relation")
                counted = (
                    unit == "household"
                    or (unit == "applicant_and_partner" and relation == "partner")
                    or (unit == "parents" and relation == "parent")
                )
                if counted:
                    parts.append((f"household.{i}.income", member))
                elif relation is None:
                    hi = INFINITY
                    missing.append(f"household.{i}.relation")
        for path, holder in parts:
            lines = holder.get("income" if path != "own_income" else "own_income")
            if lines is None:
                hi = INFINITY
                missing.append(path)
                continue
            for j, line in enumerate(lines):
                amount = monthly_amount(line)
                if amount is None:
                    hi = INFINITY
                    missing.append(f"{path}.{j}.monthly_net")
                else:
                    lo += amount
                    hi += amount
        return lo, hi, missing

    return income


def _income_below(node: Mapping[str, Any], b: Bound) -> LeafFn:
    per = node.get("period", "year")
    kind = node.get("income_type", "net")
    unit = node.get("unit", "household")
    base = b.in_period(node["threshold"], per)
    per_member = b.in_period(node["per_member"], per) if node.get("per_member") else None
    per_dependant = b.in_period(node["per_dependant"], per) if node.get("per_dependant") else None
    free = node.get("dependants_not_counted") or 0
    taxable_key = {"gross_taxable": "gross_yearly", "net_taxable": "net_yearly"}.get(kind)

    income = b.shared.get(("income", taxable_key, unit))
    if income is None:
        income = b.shared[("income", taxable_key, unit)] = remembered(_income_of(taxable_key, unit))

    def leaf(profile: Mapping[str, Any]) -> tuple[Tri, Facts]:
        inc_lo, inc_hi, inc_missing = income(profile)
        if per == "year":
            inc_lo, inc_hi = inc_lo * 12, inc_hi * 12
        # engine._threshold_interval
        lo = hi = base
        thr_missing: Facts = []
        members = profile.get("household")
        if per_member is not None:
            if members is None:
                hi = INFINITY
                thr_missing.append("household")
            else:
                lo += per_member * len(members)
                hi += per_member * len(members)
        if per_dependant is not None:
            if members is None:
                hi = INFINITY
                thr_missing.append("household")
            else:
                sure = sum(1 for m in members if m.get("dependent") is True)
                maybe = [
                    f"household.{i}.dependent"
                    for i, m in enumerate(members)
                    if "dependent" not in m and m.get("relation") in ("child", None)
                ]
                lo += per_dependant * max(sure - free, 0)
                hi += per_dependant * max(sure + len(maybe) - free, 0)
                thr_missing += maybe
        if inc_hi <= lo:
            return True, NONE
        if inc_lo > hi:
            return False, NONE
        return None, list(dict.fromkeys(inc_missing + thr_missing))

    return leaf


def _assets_below(node: Mapping[str, Any], b: Bound) -> LeafFn:
    name = node["threshold"]
    if name not in b.parameters:
        raise _CannotCompile(name)
    limit = b.in_period(name, b.parameters[name].period)
    if node["asset"] == "savings":

        def savings(profile: Mapping[str, Any]) -> tuple[Tri, Facts]:
            value = profile.get("capital", {}).get("movable_total")
            if value is None:
                return None, ["capital.movable_total"]
            return Decimal(value) <= limit, NONE

        return savings

    def real_estate(profile: Mapping[str, Any]) -> tuple[Tri, Facts]:
        holdings = profile.get("property")
        if holdings is None:
            return None, ["property"]
        total, missing = Decimal(0), []
        for i, item in enumerate(holdings):
            for key in ("cadastral_income", "share"):
                if key not in item:
                    missing.append(f"property.{i}.{key}")
            if "cadastral_income" in item and "share" in item:
                total += Decimal(item["cadastral_income"]) * Decimal(item["share"])
        if missing:
            return (False, NONE) if total > limit else (None, missing)
        return total <= limit, NONE

    return real_estate


def _disability(node: Mapping[str, Any], b: Bound) -> LeafFn:
    scale, minimum = node["scale"], node["min"]
    return _per_person(
        node.get("who", "applicant"),
        lambda prefix, data: _disability_points(data, scale, prefix),
        lambda points: points >= minimum,
    )


def _all3(values: Sequence[Tri]) -> Tri:
    result: Tri = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def _household(node: Mapping[str, Any], b: Bound) -> LeafFn:
    composition = node.get("composition")
    lo, hi = node.get("children_min"), node.get("children_max")
    counts_children = lo is not None or hi is not None

    def leaf(profile: Mapping[str, Any]) -> tuple[Tri, Facts]:
        parts: list[Tri] = []
        missing: Facts = []
        if composition:
            situation = profile.get("living_situation")
            if situation is None:
                parts.append(None)
                missing.append("living_situation")
            else:
                parts.append(bool(COMPOSITIONS[situation].intersection(composition)))
        if counts_children:
            members = profile.get("household")
            if members is None:
                parts.append(None)
                missing.append("household")
            else:
                children = [(i, m) for i, m in enumerate(members) if m.get("relation") == "child"]
                sure = sum(1 for _, m in children if m.get("dependent") is True)
                maybe = [f"household.{i}.dependent" for i, m in children if "dependent" not in m]
                unsure_relation = [
                    f"household.{i}.relation" for i, m in enumerate(members) if "relation" not in m
                ]
                most = sure + len(maybe) + len(unsure_relation)
                ok_lo = True if lo is None or sure >= lo else (False if most < lo else None)
                ok_hi = True if hi is None or most <= hi else (False if sure > hi else None)
                part = _all3([ok_lo, ok_hi])
                parts.append(part)
                if part is None:
                    missing += maybe + unsure_relation
        result = _all3(parts)
        return (result, NONE) if result is not None else (None, missing)

    return leaf


def _housing(node: Mapping[str, Any], b: Bound) -> LeafFn:
    tenures = node["tenure"]
    rent_max = node.get("rent_max")
    base = step = cap = Decimal(0)
    if rent_max:
        base = b.in_period(rent_max, "month")
        if node.get("rent_max_per_dependant"):
            step = b.in_period(node["rent_max_per_dependant"], "none")
            cap = (
                b.in_period(node["rent_max_increase_cap"], "none")
                if node.get("rent_max_increase_cap")
                else INFINITY
            )
    raises_per_dependant = bool(rent_max and node.get("rent_max_per_dependant"))

    def raised(count: int) -> Decimal:
        return base * (1 + min(step * count, cap) / 100)

    def rent_limit(profile: Mapping[str, Any]) -> tuple[Decimal, Decimal, Facts]:
        """engine._rent_limit."""
        if not raises_per_dependant:
            return base, base, NONE
        members = profile.get("household")
        if members is None:
            return base, base * (1 + cap / 100) if cap != INFINITY else INFINITY, ["household"]
        sure = sum(1 for m in members if m.get("dependent") is True)
        maybe = [
            f"household.{i}.dependent"
            for i, m in enumerate(members)
            if "dependent" not in m and m.get("relation") in ("child", None)
        ]
        return raised(sure), raised(sure + len(maybe)), maybe

    def leaf(profile: Mapping[str, Any]) -> tuple[Tri, Facts]:
        parts: list[Tri] = []
        missing: Facts = []
        tenure = profile.get("housing")
        if tenure is None:
            parts.append(None)
            missing.append("housing")
        else:
            parts.append(tenure in tenures)
        if rent_max:
            low, high, unsure = rent_limit(profile)
            rent = profile.get("rent_monthly")
            if rent is None:
                parts.append(None)
                missing.append("rent_monthly")
            elif Decimal(rent) <= low:
                parts.append(True)
            elif Decimal(rent) > high:
                parts.append(False)
            else:
                parts.append(None)
                missing += unsure
        result = _all3(parts)
        return (result, NONE) if result is not None else (None, missing)

    return leaf


def _occupation(node: Mapping[str, Any], b: Bound) -> LeafFn:
    wanted = set(node["values"])
    only_student = wanted == {"student"}
    who = node.get("who", "applicant")

    def check(prefix: str, data: Any) -> tuple[Tri, Facts]:
        held = data.get("occupations")
        if held is not None:
            return bool(wanted.intersection(held)), NONE
        if "student" in data:
            if data["student"] and "student" in wanted:
                return True, NONE
            if not data["student"] and only_student:
                return False, NONE
        return None, [f"{prefix}occupations"]

    return _for(who, check)


def _education(node: Mapping[str, Any], b: Bound) -> LeafFn:
    levels = node["levels"]
    return _per_person(
        node.get("who", "applicant"),
        lambda prefix, data: (data.get("education_level"), f"{prefix}education_level"),
        lambda level: level in levels,
    )


def _social_investigation(node: Mapping[str, Any], b: Bound) -> LeafFn:
    def leaf(profile: Mapping[str, Any]) -> tuple[Tri, Facts]:
        return None, NONE

    return leaf


COMPILERS: dict[str, Callable[[Mapping[str, Any], Bound], LeafFn]] = {
    "age": _age,
    "residence": _residence,
    "legal_status": _legal_status,
    "status": _status,
    "income_below": _income_below,
    "assets_below": _assets_below,
    "disability": _disability,
    "household": _household,
    "housing": _housing,
    "occupation": _occupation,
    "education": _education,
    "social_investigation": _social_investigation,
}


# -- combining (mirrors engine._evaluate, _combine and _for_one_person) ------------------------

# A part of a group: a compiled node (depth None: it answers (depth, fact) pairs already) or a
# leaf with its depth (it answers plain facts; the group adds the depth, saving a call a leaf).
Part = tuple[Callable[[Mapping[str, Any]], tuple[Tri, Any]], int | None]


def _compile(node: Any, depth: int, b: Bound) -> NodeFn:
    fn, leaf_depth = _part(node, depth, b)
    if leaf_depth is None:
        return fn
    return _all_of([(fn, leaf_depth)])


def _part(node: Any, depth: int, b: Bound) -> Part:
    if isinstance(node, list):
        return _all_of([_part(n, depth, b) for n in node]), None
    kind = node.get("kind")
    if kind is not None:
        if kind not in COMPILERS:
            raise _CannotCompile(kind)
        key = _leaf_key(node, b)
        leaf = b.shared.get(key)
        if leaf is None:
            leaf = b.shared[key] = remembered(COMPILERS[kind](node, b))
        return leaf, depth
    if "not" in node:
        inner = _compile(node["not"], depth + 1, b)

        def negated(profile: Mapping[str, Any]) -> tuple[Tri, list[tuple[int, str]]]:
            result, missing = inner(profile)
            return (None, missing) if result is None else (not result, NONE)

        return negated, None
    op = "all" if "all" in node else "any"
    if node.get("who", "applicant") != "applicant":
        return _one_person(node["who"], _compile({op: node[op]}, depth + 1, b), depth), None
    parts = [_part(n, depth + 1, b) for n in node[op]]
    return (_all_of(parts) if op == "all" else _any_of(parts)), None


def _leaf_key(node: Mapping[str, Any], b: Bound) -> tuple[str, str, tuple[str, ...] | None]:
    """Two conditions with this key answer alike for every profile (notes aside)."""
    params = {k: v for k, v in node.items() if k not in NODE_KEYS}
    own = tuple(b.own_municipalities) if node.get("municipalities") == "own" else None
    return ("leaf", json.dumps(params, sort_keys=True, default=str), own)


def _all_of(parts: list[Part]) -> NodeFn:
    def node(profile: Mapping[str, Any]) -> tuple[Tri, list[tuple[int, str]]]:
        missing: list[tuple[int, str]] | None = None
        for fn, depth in parts:
            result, needs = fn(profile)
            if result is False:
                return False, NONE
            if result is None:
                if depth is not None:
                    needs = [(depth, fact) for fact in needs]
                missing = needs if missing is None else missing + needs
        return (True, NONE) if missing is None else (None, missing)

    return node


def _any_of(parts: list[Part]) -> NodeFn:
    def node(profile: Mapping[str, Any]) -> tuple[Tri, list[tuple[int, str]]]:
        missing: list[tuple[int, str]] | None = None
        for fn, depth in parts:
            result, needs = fn(profile)
            if result is True:
                return True, NONE
            if result is None:
                if depth is not None:
                    needs = [(depth, fact) for fact in needs]
                missing = needs if missing is None else missing + needs
        return (False, NONE) if missing is None else (None, missing)

    return node


def _one_person(who: str, group: NodeFn, depth: int) -> NodeFn:
    """One and the same person must meet the whole group (engine._for_one_person)."""

    def node(profile: Mapping[str, Any]) -> tuple[Tri, list[tuple[int, str]]]:
        people, complete = _subjects(who, profile)
        missing: list[tuple[int, str]] = []
        open_ = False
        for prefix, data in people:
            result, needs = group(data)
            if result is True:
                return True, NONE
            if result is None:
                open_ = True
                missing += [(d, prefix + fact) for d, fact in needs]
        if not complete:
            missing.append((depth, "household"))
        if open_ or not complete:
            return None, missing
        return False, NONE

    return node


@lru_cache(maxsize=8192)
def _rank(fact: str) -> int:
    return question_rank(fact)


_RANKED: dict[tuple[tuple[int, str], ...], list[str]] = {}


def _ranked(pairs: list[tuple[int, str]]) -> list[str]:
    """The missing facts most decisive first, exactly as `engine.evaluate` orders them."""
    if len(pairs) == 1:
        return [pairs[0][1]]
    key = tuple(pairs)
    found = _RANKED.get(key)
    if found is None:
        ranked = sorted(dict.fromkeys(pairs), key=lambda item: (item[0], _rank(item[1]), item[1]))
        found = list(dict.fromkeys(fact for _, fact in ranked))
        if len(_RANKED) > 65536:
            _RANKED.clear()
        _RANKED[key] = found
    return list(found)


# -- a right, compiled ------------------------------------------------------------------------


class CompiledRight:
    """One right's criteria for one reference date and place: status and missing facts."""

    __slots__ = ("right", "_fast", "_context")

    def __init__(self, right: Mapping[str, Any], bound: Bound) -> None:
        self.right = right
        criteria = right.get("criteria") or []
        try:
            self._fast: NodeFn | None = _compile(criteria, 0, bound)
        except _CannotCompile:
            self._fast = None  # the engine answers (or raises) for this one
        self._context = bound

    @property
    def compiled(self) -> bool:
        return self._fast is not None

    def answer(self, profile: Mapping[str, Any]) -> tuple[str, list[str]]:
        """The right's status (eligible, unknown, not_eligible) and the facts that would settle it.

        Raises:
            ParameterDateError: as `screen` does, for a right left to the engine.
        """
        if self._fast is None:
            b = self._context
            evaluation = evaluate(
                self.right.get("criteria") or [],
                Context(
                    profile=profile,
                    on=b.on,
                    parameters=b.parameters,
                    places=b.places,
                    municipality_nis=b.municipality_nis,
                    own_municipalities=b.own_municipalities,
                ),
            )
            return status_of(evaluation), evaluation.missing
        result, pairs = self._fast(profile)
        if result is True:
            return "eligible", []
        if result is False:
            return "not_eligible", []
        return "unknown", _ranked(pairs)


def forget(compiled: Sequence[CompiledRight]) -> None:
    """Let go of the last profile each shared condition remembers (personal data in memory)."""
    seen: set[int] = set()
    for item in compiled:
        shared = item._context.shared
        if id(shared) in seen:
            continue
        seen.add(id(shared))
        for remembered_fn in shared.values():
            remembered_fn.forget()


def compile_rights(
    rights: Sequence[Mapping[str, Any]],
    *,
    on: date,
    parameters: Mapping[str, Parameter],
    places: Places,
    municipality_nis: str | None = None,
) -> list[CompiledRight]:
    """Compile the rights of one place for one reference date (arguments as for `screen`)."""
    shared: dict[Any, Any] = {}
    return [
        CompiledRight(
            right,
            Bound(
                on=on,
                parameters=parameters,
                places=places,
                municipality_nis=municipality_nis,
                own_municipalities=(right.get("scope") or {}).get("municipalities", ()),
                shared=shared,
            ),
        )
        for right in rights
    ]


def screen_answers(
    compiled: Sequence[CompiledRight], profile: Mapping[str, Any]
) -> list[tuple[Mapping[str, Any], str, list[str]]]:
    """`screen` without explanations: (right, status, missing facts) in the rights' order.

    Raises:
        ParameterDateError: as `screen` does.
    """
    out: list[tuple[Mapping[str, Any], str, list[str]]] = []
    append = out.append
    for item in compiled:
        fast = item._fast
        if fast is None:
            status, missing = item.answer(profile)
            append((item.right, status, missing))
            continue
        result, pairs = fast(profile)
        if result is True:
            append((item.right, "eligible", NONE))
        elif result is False:
            append((item.right, "not_eligible", NONE))
        else:
            append((item.right, "unknown", _ranked(pairs)))
    return out
