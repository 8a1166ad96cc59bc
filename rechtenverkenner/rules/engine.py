"""Evaluate a right's criteria over a client profile with three-valued logic.

Each leaf answers True, False or None (unknown), and says which facts it used, which dated
thresholds it compared with, and which missing facts would settle it. `all`, `any` and `not`
combine leaves the Kleene way: `all` is False as soon as one part is False, `any` is True as soon
as one part is True. So a fact that is added can only turn an unknown into an answer, never
flip an answer (the property tests check this on random profiles).

Pure Python over plain data: the caller passes the profile, the reference date, the dated
parameters and the place tables; nothing here reads Flask or a database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from .conditions import KINDS
from .parameters import Parameter, ParameterValue
from .profile import age_on, monthly_amount

Tri = bool | None
INFINITY = Decimal("Infinity")

# The order in which a social worker is best asked for facts: quick, known, then paperwork.
QUESTION_ORDER = (
    "municipality_nis",
    "age",
    "living_situation",
    "household",
    "statuses",
    "disability",
    "disability_points",
    "own_income",
    "income",
    "taxable_income",
    "housing",
    "rent_monthly",
    "nationality_status",
    "actual_residence_belgium",
    "occupations",
    "student",
    "education_level",
    "dependent",
    "relation",
    "capital",
    "property",
    "status_since",
)

# living_situation -> the household compositions of the condition vocabulary it means.
COMPOSITIONS = {
    "alone": {"single"},
    "homeless": {"single"},
    "homeless_temporarily_hosted": {"single"},
    "cohabiting_shared_household": {"cohabiting_others"},
    "with_parents": {"cohabiting_others"},
    "couple_no_children": {"couple"},
    "couple_with_children": {"couple", "with_children"},
    "with_dependent_children": {"single_parent", "with_children"},
    "shared_custody_equal": {"single_parent", "with_children"},
}


@dataclass(frozen=True)
class Places:
    """What the engine needs to know about Belgian places."""

    region: Mapping[str, str]  # NIS code -> belgium region code (flanders, brussels, wallonia)
    postcodes: Mapping[str, Sequence[str]]  # postcode -> NIS codes


@dataclass(frozen=True)
class Context:
    """Everything a condition is evaluated against, besides the condition itself."""

    profile: Mapping[str, Any]
    on: date
    parameters: Mapping[str, Parameter]
    places: Places
    municipality_nis: str | None = None  # where the screening is for, if the profile is silent
    own_municipalities: Sequence[str] = ()  # `municipalities: own` of a model entry

    def parameter(self, name: str) -> ParameterValue:
        """The value of a dated parameter on the reference date (ParameterDateError before it)."""
        return self.parameters[name].at(self.on)


@dataclass(frozen=True)
class Threshold:
    """A dated amount a fact was compared with, and where it comes from."""

    parameter: str
    value: Decimal
    valid_from: date
    source: Mapping[str, str]
    confidence: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "value": f"{self.value:.2f}",
            "valid_from": self.valid_from.isoformat(),
            "source_url": self.source.get("url"),
            "source": self.source.get("title") or self.source.get("name"),
            "confidence": self.confidence,
        }


@dataclass
class Leaf:
    """What one condition found."""

    result: Tri
    facts: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    thresholds: list[Threshold] = field(default_factory=list)
    computed: dict[str, Any] = field(default_factory=dict)  # derived figures, e.g. income


@dataclass
class Step:
    """One condition of a right, evaluated: the unit of an explanation."""

    index: int  # position among the right's leaves, in reading order
    node: Mapping[str, Any]
    leaf: Leaf
    discretionary: bool = False

    @property
    def kind(self) -> str:
        return str(self.node["kind"])

    @property
    def result(self) -> Tri:
        return self.leaf.result


@dataclass
class Evaluation:
    """The answer for one criteria tree."""

    result: Tri
    steps: list[Step]
    missing: list[str]  # facts that would settle it, most decisive first
    discretionary: bool  # unknown only because a service decides after an inquiry


# -- facts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """A person a condition speaks of, with the prefix of their facts in the profile."""

    prefix: str
    data: Mapping[str, Any]


def subjects(who: str, profile: Mapping[str, Any]) -> tuple[list[Subject], bool]:
    """The people `who` names, and whether that list is complete (the household is known)."""
    if who == "applicant":
        return [Subject("", profile)], True
    members = profile.get("household")
    known = members is not None
    chosen = [Subject("", profile)] if who == "any_household_member" else []
    for i, member in enumerate(members or ()):
        relation = member.get("relation")
        wanted = (
            who in ("any_household_member", "other_member")
            or (who == "partner" and relation == "partner")
            or (who == "child" and relation == "child")
        )
        if wanted:
            chosen.append(Subject(f"household.{i}.", member))
        elif relation is None and who not in ("any_household_member", "other_member"):
            known = False  # this member might be the one
    return chosen, known


def exists(
    subjects_: Sequence[Subject], complete: bool, test: Callable[[Subject], tuple[Tri, list[str]]]
) -> tuple[Tri, list[str]]:
    """True if one subject passes, False if the list is complete and none can, else unknown."""
    missing: list[str] = []
    unknown = False
    for subject in subjects_:
        result, needs = test(subject)
        if result is True:
            return True, []
        if result is None:
            unknown = True
            missing += needs
    if not complete:
        missing.append("household")
        return None, missing
    return (None, missing) if unknown else (False, [])


def residence_codes(ctx: Context) -> tuple[list[str], str | None]:
    """Possible municipalities of residence, and the fact that would pin them down if unsure."""
    profile = ctx.profile
    if "municipality_nis" in profile:
        return [profile["municipality_nis"]], None
    if "postcode" in profile:
        codes = list(ctx.places.postcodes.get(profile["postcode"], ()))
        return codes, ("municipality_nis" if len(codes) != 1 else None)
    if ctx.municipality_nis:
        return [ctx.municipality_nis], None
    return [], "municipality_nis"


# -- evaluators: one small function per condition kind ---------------------------------------


def per_person(
    node: Mapping[str, Any],
    ctx: Context,
    read: Callable[[Subject], tuple[Any, str]],
    test: Callable[[Any], bool],
) -> Leaf:
    """A condition on one fact of a person: true if someone `who` names passes `test`.

    `read` returns the fact (None when unknown) and its path in the profile.
    """
    people, complete = subjects(node.get("who", "applicant"), ctx.profile)
    facts: dict[str, Any] = {}

    def check(s: Subject) -> tuple[Tri, list[str]]:
        value, path = read(s)
        if value is None:
            return None, [path]
        facts[path] = value
        return test(value), []

    result, missing = exists(people, complete, check)
    return Leaf(result, facts, missing)


def eval_age(node: Mapping[str, Any], ctx: Context) -> Leaf:
    lo, hi = node.get("min"), node.get("max")
    return per_person(
        node,
        ctx,
        lambda s: (age_on(s.data, ctx.on), f"{s.prefix}age"),
        lambda age: (lo is None or age >= lo) and (hi is None or age <= hi),
    )


def eval_residence(node: Mapping[str, Any], ctx: Context) -> Leaf:
    codes, unsure = residence_codes(ctx)
    if "region" in node:
        region = node["region"]
        if region == "belgium":
            if ctx.profile.get("actual_residence_belgium") is False:
                return Leaf(False, {"actual_residence_belgium": False})
            if codes or ctx.profile.get("actual_residence_belgium"):
                return Leaf(True, {"municipality_nis": codes[0]} if len(codes) == 1 else {})
            return Leaf(None, missing=["municipality_nis"])
        answers = {ctx.places.region.get(code) == region for code in codes}
    else:
        wanted = node["municipalities"]
        if wanted == "own":
            wanted = ctx.own_municipalities
        answers = {code in wanted for code in codes}
    facts = {"municipality_nis": codes[0]} if len(codes) == 1 else {}
    if len(answers) == 1:
        return Leaf(answers.pop(), facts)
    return Leaf(None, facts, [unsure or "municipality_nis"])


def eval_legal_status(node: Mapping[str, Any], ctx: Context) -> Leaf:
    status = ctx.profile.get("nationality_status")
    if status is None:
        return Leaf(None, missing=["nationality_status"])
    return Leaf(status in node["values"], {"nationality_status": status})


def eval_status(node: Mapping[str, Any], ctx: Context) -> Leaf:
    wanted = set(node["values"])
    months = node.get("since_months_min")
    people, complete = subjects(node.get("who", "applicant"), ctx.profile)
    facts: dict[str, Any] = {}

    def test(s: Subject) -> tuple[Tri, list[str]]:
        held = s.data.get("statuses")
        if held is None:
            return None, [f"{s.prefix}statuses"]
        facts[f"{s.prefix}statuses"] = list(held)
        found = sorted(wanted.intersection(held))
        if not found:
            return False, []
        if not months:
            return True, []
        since = s.data.get("status_since", {})
        dates = [since[code] for code in found if code in since]
        if any(_months_between(d, ctx.on) >= months for d in dates):
            return True, []
        if len(dates) == len(found):
            return False, []
        return None, [f"{s.prefix}status_since.{code}" for code in found if code not in since]

    result, missing = exists(people, complete, test)
    return Leaf(result, facts, missing)


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def _income_interval(node: Mapping[str, Any], ctx: Context) -> tuple[Decimal, Decimal, list[str]]:
    """Monthly income (lowest and highest it can be) and what is missing to know it exactly."""
    profile = ctx.profile
    kind = node.get("income_type", "net")
    if kind in ("gross_taxable", "net_taxable"):
        key = "gross_yearly" if kind == "gross_taxable" else "net_yearly"
        value = profile.get("taxable_income", {}).get(key)
        if value is None:
            return Decimal(0), INFINITY, [f"taxable_income.{key}"]
        return Decimal(value) / 12, Decimal(value) / 12, []
    unit = node.get("unit", "household")
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


def _threshold_interval(
    node: Mapping[str, Any], ctx: Context, leaf: Leaf, per: str
) -> tuple[Decimal, Decimal, list[str]]:
    """The limit (lowest and highest it can be for this household) in the period `per`."""
    base = _in_period(ctx, node["threshold"], per, leaf)
    lo = hi = base
    missing: list[str] = []
    members = ctx.profile.get("household")
    if node.get("per_member"):
        extra = _in_period(ctx, node["per_member"], per, leaf)
        if members is None:
            hi = INFINITY
            missing.append("household")
        else:
            lo += extra * len(members)
            hi += extra * len(members)
    if node.get("per_dependant"):
        extra = _in_period(ctx, node["per_dependant"], per, leaf)
        if members is None:
            hi = INFINITY
            missing.append("household")
        else:
            sure = sum(1 for m in members if m.get("dependent") is True)
            maybe = [
                f"household.{i}.dependent"
                for i, m in enumerate(members)
                if "dependent" not in m and m.get("relation") in ("child", None)
            ]
            free = node.get("dependants_not_counted") or 0
            lo += extra * max(sure - free, 0)
            hi += extra * max(sure + len(maybe) - free, 0)
            missing += maybe
    return lo, hi, missing


def _in_period(ctx: Context, name: str, per: str, leaf: Leaf) -> Decimal:
    value = ctx.parameter(name)
    leaf.thresholds.append(
        Threshold(name, value.value, value.valid_from, value.source, value.confidence)
    )
    period = ctx.parameters[name].period
    if period == per or period == "none":
        return value.value
    if period == "year" and per == "month":
        return value.value / 12
    if period == "month" and per == "year":
        return value.value * 12
    raise ValueError(f"parameter {name} is per {period}, cannot compare per {per}")


def eval_income_below(node: Mapping[str, Any], ctx: Context) -> Leaf:
    leaf = Leaf(None)
    per = node.get("period", "year")
    inc_lo, inc_hi, inc_missing = _income_interval(node, ctx)
    if per == "year":
        inc_lo, inc_hi = inc_lo * 12, inc_hi * 12
    thr_lo, thr_hi, thr_missing = _threshold_interval(node, ctx, leaf, per)
    if inc_hi == inc_lo:
        leaf.computed["income"] = inc_lo.quantize(Decimal("0.01"))
    if thr_hi == thr_lo:
        leaf.computed["limit"] = thr_lo.quantize(Decimal("0.01"))
    leaf.computed["period"] = per
    if inc_hi <= thr_lo:
        leaf.result = True
    elif inc_lo > thr_hi:
        leaf.result = False
    else:
        leaf.missing = list(dict.fromkeys(inc_missing + thr_missing))
    return leaf


def eval_assets_below(node: Mapping[str, Any], ctx: Context) -> Leaf:
    leaf = Leaf(None)
    limit = _in_period(ctx, node["threshold"], ctx.parameters[node["threshold"]].period, leaf)
    if node["asset"] == "savings":
        value = ctx.profile.get("capital", {}).get("movable_total")
        if value is None:
            leaf.missing = ["capital.movable_total"]
            return leaf
        leaf.facts["capital.movable_total"] = value
        leaf.result = Decimal(value) <= limit
        return leaf
    holdings = ctx.profile.get("property")
    if holdings is None:
        leaf.missing = ["property"]
        return leaf
    total, missing = Decimal(0), []
    for i, item in enumerate(holdings):
        for key in ("cadastral_income", "share"):
            if key not in item:
                missing.append(f"property.{i}.{key}")
        if "cadastral_income" in item and "share" in item:
            total += Decimal(item["cadastral_income"]) * Decimal(item["share"])
    if missing:
        leaf.result = False if total > limit else None
        leaf.missing = [] if leaf.result is False else missing
        return leaf
    leaf.computed["cadastral_income"] = total.quantize(Decimal("0.01"))
    leaf.result = total <= limit
    return leaf


def _disability_points(data: Mapping[str, Any], scale: str, prefix: str) -> tuple[Any, str]:
    scales = data.get("disability", {})
    path = f"{prefix}disability.{scale}"
    if scale in scales:
        return scales[scale], path
    if scale == "self_reliance_points" and "disability_points" in data:
        return data["disability_points"], f"{prefix}disability_points"
    if data.get("disability_recognised") is False:
        return 0, f"{prefix}disability_recognised"
    return None, path


def eval_disability(node: Mapping[str, Any], ctx: Context) -> Leaf:
    scale, minimum = node["scale"], node["min"]
    return per_person(
        node,
        ctx,
        lambda s: _disability_points(s.data, scale, s.prefix),
        lambda points: points >= minimum,
    )


def eval_household(node: Mapping[str, Any], ctx: Context) -> Leaf:
    parts: list[Tri] = []
    leaf = Leaf(None)
    if node.get("composition"):
        situation = ctx.profile.get("living_situation")
        if situation is None:
            parts.append(None)
            leaf.missing.append("living_situation")
        else:
            leaf.facts["living_situation"] = situation
            parts.append(bool(COMPOSITIONS[situation].intersection(node["composition"])))
    lo, hi = node.get("children_min"), node.get("children_max")
    if lo is not None or hi is not None:
        members = ctx.profile.get("household")
        if members is None:
            parts.append(None)
            leaf.missing.append("household")
        else:
            children = [(i, m) for i, m in enumerate(members) if m.get("relation") == "child"]
            sure = sum(1 for _, m in children if m.get("dependent") is True)
            maybe = [f"household.{i}.dependent" for i, m in children if "dependent" not in m]
            unsure_relation = [
                f"household.{i}.relation" for i, m in enumerate(members) if "relation" not in m
            ]
            most = sure + len(maybe) + len(unsure_relation)
            leaf.facts["dependent_children"] = sure if most == sure else f"{sure}-{most}"
            ok_lo = True if lo is None or sure >= lo else (False if most < lo else None)
            ok_hi = True if hi is None or most <= hi else (False if sure > hi else None)
            part = _all([ok_lo, ok_hi])
            parts.append(part)
            if part is None:
                leaf.missing += maybe + unsure_relation
    leaf.result = _all(parts)
    if leaf.result is not None:
        leaf.missing = []
    return leaf


def eval_housing(node: Mapping[str, Any], ctx: Context) -> Leaf:
    leaf = Leaf(None)
    tenure = ctx.profile.get("housing")
    parts: list[Tri] = []
    if tenure is None:
        parts.append(None)
        leaf.missing.append("housing")
    else:
        leaf.facts["housing"] = tenure
        parts.append(tenure in node["tenure"])
    if node.get("rent_max"):
        low, high, unsure = _rent_limit(node, ctx, leaf)
        rent = ctx.profile.get("rent_monthly")
        if rent is None:
            parts.append(None)
            leaf.missing.append("rent_monthly")
        else:
            leaf.facts["rent_monthly"] = rent
            if Decimal(rent) <= low:
                parts.append(True)
            elif Decimal(rent) > high:
                parts.append(False)
            else:
                parts.append(None)
                leaf.missing += unsure
    leaf.result = _all(parts)
    if leaf.result is not None:
        leaf.missing = []
    return leaf


def _rent_limit(
    node: Mapping[str, Any], ctx: Context, leaf: Leaf
) -> tuple[Decimal, Decimal, list[str]]:
    """Monthly rent cap, raised by a percentage per dependant up to a cap, if the right says so."""
    base = _in_period(ctx, node["rent_max"], "month", leaf)
    if not node.get("rent_max_per_dependant"):
        return base, base, []
    step = _in_period(ctx, node["rent_max_per_dependant"], "none", leaf)
    cap = (
        _in_period(ctx, node["rent_max_increase_cap"], "none", leaf)
        if node.get("rent_max_increase_cap")
        else INFINITY
    )
    members = ctx.profile.get("household")
    if members is None:
        return base, base * (1 + cap / 100) if cap != INFINITY else INFINITY, ["household"]
    sure = sum(1 for m in members if m.get("dependent") is True)
    maybe = [
        f"household.{i}.dependent"
        for i, m in enumerate(members)
        if "dependent" not in m and m.get("relation") in ("child", None)
    ]

    def raised(count: int) -> Decimal:
        return base * (1 + min(step * count, cap) / 100)

    return raised(sure), raised(sure + len(maybe)), maybe


def eval_occupation(node: Mapping[str, Any], ctx: Context) -> Leaf:
    wanted = set(node["values"])
    people, complete = subjects(node.get("who", "applicant"), ctx.profile)
    facts: dict[str, Any] = {}

    def test(s: Subject) -> tuple[Tri, list[str]]:
        held = s.data.get("occupations")
        if held is not None:
            facts[f"{s.prefix}occupations"] = list(held)
            return bool(wanted.intersection(held)), []
        if "student" in s.data:
            facts[f"{s.prefix}student"] = s.data["student"]
            if s.data["student"] and "student" in wanted:
                return True, []
            if not s.data["student"] and wanted == {"student"}:
                return False, []
        return None, [f"{s.prefix}occupations"]

    result, missing = exists(people, complete, test)
    return Leaf(result, facts, missing)


def eval_education(node: Mapping[str, Any], ctx: Context) -> Leaf:
    return per_person(
        node,
        ctx,
        lambda s: (s.data.get("education_level"), f"{s.prefix}education_level"),
        lambda level: level in node["levels"],
    )


def eval_social_investigation(node: Mapping[str, Any], ctx: Context) -> Leaf:
    """A service decides after talking with the client: no fact can settle it beforehand."""
    return Leaf(None)


EVALUATORS: dict[str, Callable[[Mapping[str, Any], Context], Leaf]] = {
    "age": eval_age,
    "residence": eval_residence,
    "legal_status": eval_legal_status,
    "status": eval_status,
    "income_below": eval_income_below,
    "assets_below": eval_assets_below,
    "disability": eval_disability,
    "household": eval_household,
    "housing": eval_housing,
    "occupation": eval_occupation,
    "education": eval_education,
    "social_investigation": eval_social_investigation,
}


# -- combining -------------------------------------------------------------------------------


def _all(values: Sequence[Tri]) -> Tri:
    result: Tri = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def _any(values: Sequence[Tri]) -> Tri:
    result: Tri = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


@dataclass
class _Node:
    result: Tri
    missing: list[tuple[int, str]]  # (depth, fact)
    discretionary: bool


def evaluate(criteria: Any, ctx: Context) -> Evaluation:
    """Evaluate a criteria tree (a list means all of it) for one profile on one date."""
    steps: list[Step] = []
    top = _evaluate(criteria, ctx, steps, 0)
    ranked = sorted(
        dict.fromkeys(top.missing), key=lambda item: (item[0], question_rank(item[1]), item[1])
    )
    missing = list(dict.fromkeys(fact for _, fact in ranked))
    discretionary = top.result is None and not missing
    return Evaluation(top.result, steps, missing, discretionary)


def _evaluate(node: Any, ctx: Context, steps: list[Step], depth: int) -> _Node:
    if isinstance(node, list):
        return _combine(_all, [_evaluate(n, ctx, steps, depth) for n in node])
    kind_name = node.get("kind")
    if kind_name is not None:  # a leaf: the common case, checked first
        kind = KINDS[kind_name]
        leaf = EVALUATORS[kind_name](node, ctx)
        steps.append(Step(len(steps), node, leaf, kind.discretionary))
        if leaf.result is None:
            return _Node(None, [(depth, fact) for fact in leaf.missing], kind.discretionary)
        return _Node(leaf.result, [], False)
    if "not" in node:
        inner = _evaluate(node["not"], ctx, steps, depth + 1)
        result = None if inner.result is None else not inner.result
        return _Node(result, inner.missing, inner.discretionary)
    op = "all" if "all" in node else "any"
    if node.get("who", "applicant") != "applicant":
        return _for_one_person(node, op, ctx, steps, depth)
    parts = [_evaluate(n, ctx, steps, depth + 1) for n in node[op]]
    return _combine(_all if op == "all" else _any, parts)


def _for_one_person(
    node: Mapping[str, Any], op: str, ctx: Context, steps: list[Step], depth: int
) -> _Node:
    """A group with `who`: one and the same person must meet it ("a child of 3 or 4 who goes
    to nursery school"), so its conditions read that person's facts."""
    people, complete = subjects(node["who"], ctx.profile)
    group = {op: node[op]}
    outcomes: list[tuple[_Node, list[Step]]] = []
    for person in people:
        own: list[Step] = []
        result = _evaluate(group, replace(ctx, profile=person.data), own, depth + 1)
        prefixed = [m for m in result.missing]
        result = _Node(
            result.result,
            [(d, person.prefix + fact) for d, fact in prefixed],
            result.discretionary,
        )
        outcomes.append((result, [_prefixed_step(s, person.prefix) for s in own]))
        if result.result is True:
            break
    passed = [o for o in outcomes if o[0].result is True]
    shown = passed[:1] or outcomes
    for _result, own in shown:
        for step in own:
            step.index = len(steps)
            steps.append(step)
    if passed:
        return _Node(True, [], False)
    open_ = [r for r, _ in outcomes if r.result is None]
    missing = [m for r in open_ for m in r.missing]
    if not complete:
        missing.append((depth, "household"))
    if open_ or not complete:
        return _Node(None, missing, any(r.discretionary for r in open_))
    return _Node(False, [], False)


def _prefixed_step(step: Step, prefix: str) -> Step:
    if not prefix:
        return step
    leaf = step.leaf
    moved = Leaf(
        leaf.result,
        {prefix + k: v for k, v in leaf.facts.items()},
        [prefix + m for m in leaf.missing],
        leaf.thresholds,
        leaf.computed,
    )
    return Step(step.index, step.node, moved, step.discretionary)


def _combine(rule: Callable[[Sequence[Tri]], Tri], parts: list[_Node]) -> _Node:
    result = rule([p.result for p in parts])
    if result is not None:
        return _Node(result, [], False)
    open_parts = [p for p in parts if p.result is None]
    missing = [m for p in open_parts for m in p.missing]
    return _Node(None, missing, any(p.discretionary for p in open_parts))


def question_rank(fact: str) -> int:
    """Where a missing fact comes in QUESTION_ORDER (by its last named part, for members)."""
    names = [part for part in fact.split(".") if not part.isdigit()] or [fact]
    name = names[-1] if names[0] == "household" else names[0]
    return QUESTION_ORDER.index(name) if name in QUESTION_ORDER else len(QUESTION_ORDER)
