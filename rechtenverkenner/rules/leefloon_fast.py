"""The leefloon advice for batches: the same answers as `advise`, in one flat pass.

`leefloon.advise` works an advice out step by step and explains each step in the client's
language; with `explain=False` it skips the texts but still walks through some forty small
functions. Screening a caseload of 100,000 clients needs only the outcome, the category, the
amounts, the missing facts and the flags, so this module does the common path in one function:

- the dated amounts and their confidence are read once per reference date (`LeefloonPlan`);
- the gates, the category, the resources (income lines, housemates, capital, advantages in
  kind), the general exemption and the amount follow `advise` line by line, with the same
  Decimal arithmetic in the same order and the same missing facts in the same order;
- what is rare and intricate (socio-professional exemptions, transfers of property, real
  estate, a parents' share the OCMW has not chosen, an amount with no value on the reference
  date) is left to `advise(explain=False)`, so those answers are `advise`'s by construction.

The answer is an `Advice` equal to `advise(..., explain=False)` field by field (explanation
empty); tests/test_leefloon_fast.py checks that on random profiles (hypothesis), on the
catalogue's worked examples and on the benchmark's profiles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .leefloon import (
    CATEGORY_OF,
    CENT,
    ELIGIBLE_NATIONALITY,
    EU,
    LIVES_ALONE,
    ZERO,
    Advice,
    IncomeRule,
    advise,
    money,
)
from .parameters import Parameter, ParameterDateError, ParameterValue
from .profile import age_on

MINOR_REASONS = ("married", "has_child_in_charge", "pregnant")


class _LeaveItToAdvise(Exception):
    """A path this module does not take: `advise` answers."""


@dataclass(frozen=True)
class LeefloonPlan:
    """What every advice of a batch shares: the reference date, amounts, rules and choices."""

    on: date
    parameters: Mapping[str, Parameter]
    income_rules: Mapping[str, IncomeRule]
    choices: Mapping[str, Any]
    values: Mapping[str, ParameterValue | None]
    exempt: frozenset[str]
    # Movable capital (KB art. 27): both limits, both rates as fractions, and whether one of
    # the four amounts has a low confidence; None when one has no value on the date.
    capital_rule: tuple[Decimal, Decimal, Decimal, Decimal, bool] | None = None

    @classmethod
    def build(
        cls,
        *,
        on: date,
        parameters: Mapping[str, Parameter],
        income_rules: Mapping[str, IncomeRule],
        choices: Mapping[str, Any] | None = None,
    ) -> LeefloonPlan:
        values: dict[str, ParameterValue | None] = {}
        for name, parameter in parameters.items():
            if name.startswith("leefloon."):
                try:
                    values[name] = parameter.at(on)
                except ParameterDateError:
                    values[name] = None  # `advise` raises if it reads it; the fast path defers
        exempt = frozenset(kind for kind, rule in income_rules.items() if rule.exempt_on(on))
        names = ("grens_1", "grens_2", "tarief_1", "tarief_2")
        found = [values.get(f"leefloon.roerend.{name}") for name in names]
        capital_rule = None
        if all(v is not None for v in found):
            lo, hi, r1, r2 = (v.value for v in found)  # type: ignore[union-attr]
            low = any(v.confidence == "low" for v in found)  # type: ignore[union-attr]
            capital_rule = (lo, hi, r1 / 100, r2 / 100, low)
        return cls(on, parameters, income_rules, dict(choices or {}), values, exempt, capital_rule)


class _Run:
    """The missing facts found so far and whether a low-confidence amount was read."""

    __slots__ = ("plan", "missing", "low")

    def __init__(self, plan: LeefloonPlan) -> None:
        self.plan = plan
        self.missing: list[str] = []
        self.low = False

    def param(self, name: str) -> Decimal:
        value = self.plan.values.get(name)
        if value is None:
            raise _LeaveItToAdvise(name)
        if value.confidence == "low":
            self.low = True
        return value.value


def advise_fast(plan: LeefloonPlan, profile: Mapping[str, Any]) -> Advice:
    """`advise(profile, explain=False, ...)` for the plan's date, amounts and choices.

    Raises:
        ParameterDateError: as `advise` does.
    """
    try:
        return _advise(plan, profile)
    except _LeaveItToAdvise:
        return advise(
            profile,
            on=plan.on,
            parameters=plan.parameters,
            income_rules=plan.income_rules,
            choices=plan.choices,
            explain=False,
        )


def _advise(plan: LeefloonPlan, profile: Mapping[str, Any]) -> Advice:
    run = _Run(plan)
    missing = run.missing
    get = profile.get
    age = int(profile["age"]) if "age" in profile else age_on(profile, plan.on)
    # -- the gates (law art. 3), in advise's order; each True, False or None (unknown) --
    residence = get("actual_residence_belgium")
    if residence is None:
        missing.append("actual_residence_belgium")
    else:
        residence = bool(residence)
    if age is None:
        missing.append("age")
        of_age = None
    elif age >= 18 or any(get(k) for k in MINOR_REASONS):
        of_age = True
    else:
        unknown = [k for k in MINOR_REASONS if k not in profile]
        missing += unknown
        of_age = None if unknown else False
    status = get("nationality_status")
    if status is None:
        missing.append("nationality_status")
        nationality = None
    elif status in ELIGIBLE_NATIONALITY:
        nationality = True
    elif status in EU:
        nationality = get("right_of_residence_more_than_3_months")
        if nationality is None:
            missing.append("right_of_residence_more_than_3_months")
        else:
            nationality = bool(nationality)
    else:
        nationality = False
    willing = get("willing_to_work")
    if willing is None:
        missing.append("willing_to_work")
    elif willing is not True:
        reason = get("work_exemption_reason")
        if reason is None:
            missing.append("work_exemption_reason")
            willing = None
        else:
            willing = reason != "none"
    benefits = get("other_benefits_claimed")
    if benefits is None:
        missing.append("other_benefits_claimed")
    else:
        benefits = bool(benefits)
    gates = (residence, of_age, nationality, willing, benefits)
    advice = Advice("eligible")
    flags = advice.flags
    if (age is not None and age < 25) or get("student") is True:
        flags.append("gpmi_required")
    situation = get("living_situation")
    if situation == "homeless_temporarily_hosted":
        flags.append("gpmi_required_homeless_hosted")
    if benefits is False:
        flags.append("claim_other_benefits_first")
    if status == "foreigners_register_only":
        flags.append("equivalent_leefloon_possible")
    paid = get("maintenance_paid_for_child_monthly")
    if paid and Decimal(paid) > 0:  # advise: Decimal(paid or 0) > 0
        flags.append("maintenance_specific_aid_possible")
    if False in gates:
        advice.outcome = "not_eligible"
        return advice  # no amount was read: no parameter_to_verify
    # -- category (law art. 14) --
    if situation is None:
        missing.append("living_situation")
        scratch = _Run(plan)  # the resource facts are still needed (advise's scratch run)
        _resources(scratch, profile, 2)
        missing += [f for f in scratch.missing if f != "ocmw_choices.ascendant_share"]
        return _incomplete(run, advice)
    if situation == "shared_custody_equal":
        flags.append("manual_review_shared_custody")
        two = run.param("leefloon.bedrag_jaar.categorie_2")
        three = run.param("leefloon.bedrag_jaar.categorie_3")
        average = money((two + three) / 2)
        advice.outcome = "manual_review"
        advice.category_amount_yearly = average
        advice.amounts_valid_from = plan.values["leefloon.bedrag_jaar.categorie_2"].valid_from  # type: ignore[union-attr]
        advice.calculation.append(("indicative_category_amount", average))
        advice.missing_facts = list(dict.fromkeys(missing))
        _finish(run, advice)
        return advice
    category = CATEGORY_OF[situation]
    if category == 3:
        children = _minor_children(get("household"), plan.on)
        if children is not None and not children:
            category = 1 if situation == "couple_with_children" else 2
    if situation not in LIVES_ALONE and "household" not in profile:
        missing.append("household")
    amount_name = AMOUNT[category]
    amount = run.param(amount_name)
    advice.category = category
    advice.category_amount_yearly = amount
    advice.amounts_valid_from = plan.values[amount_name].valid_from  # type: ignore[union-attr]
    found = _resources(run, profile, category)
    if found is None:
        raise _LeaveItToAdvise("ascendant_share")  # advise works out both ends (_range)
    parts, total, complete = found
    calculation = advice.calculation
    calculation.append(("category_amount", amount))
    calculation += parts
    # -- conclusion (advise's _conclude) --
    if total >= amount:
        advice.counted_resources_yearly = total if complete else None
        advice.outcome = "not_eligible"
        advice.yearly_amount = advice.monthly_amount = ZERO
        _finish(run, advice)
        return advice
    if not complete or None in gates:
        return _incomplete(run, advice)
    exemption = run.param(EXEMPTION[category])
    counted = max(ZERO, total - exemption)
    yearly = (amount - counted).quantize(CENT, rounding=ROUND_HALF_UP)
    monthly = (yearly / 12).quantize(CENT, rounding=ROUND_HALF_UP)
    advice.counted_resources_yearly = total
    advice.general_exemption_yearly = exemption
    advice.yearly_amount = yearly
    advice.monthly_amount = monthly
    calculation += [
        ("counted_resources", total),
        ("general_exemption", exemption),
        ("yearly_amount", yearly),
    ]
    _finish(run, advice)
    return advice


AMOUNT = {c: f"leefloon.bedrag_jaar.categorie_{c}" for c in (1, 2, 3)}
EXEMPTION = {c: f"leefloon.vrijstelling_algemeen.categorie_{c}" for c in (1, 2, 3)}


def _incomplete(run: _Run, advice: Advice) -> Advice:
    advice.outcome = "insufficient_data"
    advice.missing_facts = list(dict.fromkeys(run.missing))
    _finish(run, advice)
    return advice


def _finish(run: _Run, advice: Advice) -> None:
    if run.low and "parameter_to_verify" not in advice.flags:
        advice.flags.append("parameter_to_verify")


# -- category and resources (law art. 14 and 16, KB art. 22-35), as in advise -----------------


def _minor_children(members: Sequence[Mapping[str, Any]] | None, on: date) -> list[Any] | None:
    if members is None:
        return None
    found = []
    for member in members:
        if member.get("relation") != "child":
            continue
        age = age_on(member, on)
        if (
            age is not None
            and age < 18
            and member.get("dependent") is not False
            and member.get("unmarried") is not False
        ):
            found.append(member)
    return found


def _resources(
    run: _Run, profile: Mapping[str, Any], category: int
) -> tuple[list[tuple[str, Decimal]], Decimal, bool] | None:
    """Counted parts, their total and whether all are known; None when the OCMW must choose.

    The parts in advise's order (own income, housemates, capital with transfers, real estate,
    advantages in kind), each missing fact noted as advise notes it.
    """
    known: list[tuple[str, Decimal]] = []
    total = ZERO  # advise: sum(known values, ZERO), in the same order
    complete = True
    lines = profile.get("own_income")
    if lines is None:
        run.missing.append("own_income")
        complete = False
    else:
        own = _person_yearly(run, profile, lines, "own_income", spi_allowed=True, own=True)
        if own is None:
            complete = False
        else:
            known.append(("own_income", own))
            total += own
    cohabitants = _cohabitants(run, profile, category)
    if cohabitants == "choose":
        return None
    if cohabitants is None:
        complete = False
    else:
        known.append(("cohabitants", cohabitants))  # type: ignore[arg-type]
        total += cohabitants  # type: ignore[operator]
    transfers = _transfers(run, profile)
    capital = _capital(run, profile, transfers)
    if capital is None:
        complete = False
    else:
        known.append(("capital", capital))
        total += capital
    items = profile.get("property")
    if items is None:
        run.missing.append("property")
        complete = False
    elif items:
        raise _LeaveItToAdvise("property")
    else:
        known.append(("property", ZERO))
        total += ZERO
    in_kind = profile.get("advantages_in_kind_monthly")
    if in_kind is None:
        run.missing.append("advantages_in_kind_monthly")
        complete = False
    else:
        yearly = (Decimal(in_kind) * 12).quantize(CENT, rounding=ROUND_HALF_UP)  # money()
        known.append(("advantages_in_kind", yearly))
        total += yearly
    return known, total, complete


def _person_yearly(
    run: _Run,
    profile: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]],
    path: str,
    *,
    spi_allowed: bool,
    own: bool,
) -> Decimal | None:
    exempt = run.plan.exempt
    total, known = ZERO, True
    for i, line in enumerate(lines):
        kind = line.get("kind", "other")
        if kind in exempt or line.get("actually_received") is False:
            continue  # adds ZERO
        if "monthly_net" in line:
            monthly = Decimal(line["monthly_net"])
        elif "yearly_net" in line:
            monthly = Decimal(line["yearly_net"]) / 12
        elif "daily_net" in line:
            monthly = Decimal(line["daily_net"]) * run.param("leefloon.dagen_per_maand")
        else:
            run.missing.append(f"{path}.{i}.monthly_net")
            known = False
            continue
        spi = line.get("spi")
        if own and kind == "student_job" and profile.get("student") is True and spi is None:
            spi = "student_job"
        if spi and spi_allowed:
            raise _LeaveItToAdvise("spi")
        total += (monthly * 12).quantize(CENT, rounding=ROUND_HALF_UP)  # money()
    return total if known else None


def _cohabitants(run: _Run, profile: Mapping[str, Any], category: int) -> Decimal | None | str:
    members = profile.get("household")
    if members is None:
        return ZERO if profile.get("living_situation") in LIVES_ALONE else None
    cat1 = run.param("leefloon.bedrag_jaar.categorie_1")
    counted, known = ZERO, True
    excess_total = ZERO
    for i, member in enumerate(members):
        relation = member.get("relation")
        path = f"household.{i}"
        if relation is None:
            run.missing.append(f"{path}.relation")
            known = False
            continue
        if relation == "partner":
            if member.get("receives_leefloon") is True:
                continue
            lines = member.get("income")
            if lines is None:
                run.missing.append(f"{path}.income")
                known = False
                continue
            yearly = _person_yearly(
                run, profile, lines, f"{path}.income", spi_allowed=True, own=False
            )
            if yearly is None:
                known = False
                continue
            part = yearly if category == 3 else max(ZERO, yearly - cat1)
            counted += money(part)
        elif relation in ("parent", "adult_child"):
            lines = member.get("income")
            if lines is None:
                run.missing.append(f"{path}.income")
                known = False
                continue
            yearly = _person_yearly(
                run, profile, lines, f"{path}.income", spi_allowed=False, own=False
            )
            if yearly is None:
                known = False
                continue
            excess_total += yearly - cat1
    if excess_total > 0 and not known:
        return None
    if excess_total > 0:
        share = run.plan.choices.get("ascendant_share")
        if share is None:
            run.missing.append("ocmw_choices.ascendant_share")
            return "choose"
        counted += money(excess_total * Decimal(share))
    return counted if known else None


def _transfers(run: _Run, profile: Mapping[str, Any]) -> Decimal | None:
    items = profile.get("transfers_last_10_years")
    if items is None:
        run.missing.append("transfers_last_10_years")
        return None
    if not items:
        return ZERO
    if run.plan.choices.get("equity_waiver") is True:
        return ZERO
    raise _LeaveItToAdvise("transfers")


def _capital(run: _Run, profile: Mapping[str, Any], transfers: Decimal | None) -> Decimal | None:
    capital = profile.get("capital", {}).get("movable_total")
    if capital is None:
        run.missing.append("capital.movable_total")
        return None
    if transfers is None:
        return None
    base = Decimal(capital) * Decimal(profile["capital"].get("share", 1))
    total = base + transfers
    rule = run.plan.capital_rule
    if rule is None:
        raise _LeaveItToAdvise("leefloon.roerend")
    lo, hi, r1, r2, low = rule
    if low:
        run.low = True
    middle = min(max(total - lo, ZERO), hi - lo)
    top = max(total - hi, ZERO)
    return (middle * r1 + top * r2).quantize(CENT, rounding=ROUND_HALF_UP)
