"""The leefloon formula in OpenFisca-core, vectorised: the baseline of the batch benchmark.

OpenFisca ("rules as code" with numpy) computes a formula for a whole population at once: one
array per variable, one numpy operation per step. This module writes the same leefloon formula
as `rechtenverkenner.rules.leefloon.advise` (gates, category, resources, general exemption,
amount, and which outcome when facts are unknown) as OpenFisca variables, with the same dated
amounts (copied from the catalogue's parameters into an OpenFisca parameter tree) and the same
income-kind rules (counted or exempt, from the catalogue vocabulary, as dated parameters).

How the model is laid out, as an OpenFisca country package would:
- one entity, the applicant; the household's facts are inputs of the applicant, summed by role
  (partner, parents and adult children) the way a data extract per client delivers them;
- money in integer cents (OpenFisca stores `float` as float32, which cannot hold every cent of
  a yearly amount), rounded half up to the cent where `advise` rounds;
- an unknown fact is the value -1 (OpenFisca has no "unknown"), and the formula says which
  outcome that leads to, as `advise` does.

`inputs()` turns checked profiles into those arrays and reports the profiles the model does not
cover (socio-professional exemptions, yearly or daily amounts, transfers of property, real
estate, several partners): those the benchmark counts and leaves out of the comparison. The
benchmark checks, profile by profile, that OpenFisca and `advise` give the same outcome,
category and monthly amount.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from rechtenverkenner.rules import leefloon as L
from rechtenverkenner.rules import profile as P
from rechtenverkenner.rules.leefloon import IncomeRule
from rechtenverkenner.rules.parameters import Parameter

UNKNOWN = -1
OUTCOMES = ("eligible", "not_eligible", "insufficient_data", "manual_review")
ROLES = ("own", "partner", "ascendant")
KINDS = P.INCOME_KINDS
NATIONALITY = {code: i for i, code in enumerate(P.NATIONALITY_STATUSES)}
SITUATION = {code: i for i, code in enumerate(P.LIVING_SITUATIONS)}
EXEMPTION = {code: i for i, code in enumerate(P.WORK_EXEMPTIONS)}  # "none" is 0

Person = build_entity(
    key="person",
    plural="persons",
    label="An applicant for the leefloon",
    is_person=True,
)


def _input(name: str, label: str) -> type[Variable]:
    """An integer input of the applicant, per month (-1: unknown, where that can be)."""
    return type(
        name,
        (Variable,),
        {
            "value_type": int,
            "entity": Person,
            "definition_period": DateUnit.MONTH,
            "label": label,
            "default_value": UNKNOWN,
        },
    )


INPUTS = {
    "actual_residence_belgium": "Lives in Belgium (1, 0, -1)",
    "age": "Age in years on the reference date",
    "married": "Married (minors), 1/0/-1",
    "has_child_in_charge": "Has a child in charge (minors), 1/0/-1",
    "pregnant": "Pregnant (minors), 1/0/-1",
    "nationality": "Nationality or residence status, index in the profile enumeration",
    "eu_right_of_residence": "EU citizens: right of residence beyond 3 months, 1/0/-1",
    "willing_to_work": "Willing to work, 1/0/-1",
    "work_exemption": "Reason the willingness to work is waived, index (0: none)",
    "other_benefits_claimed": "Other benefits asserted first, 1/0/-1",
    "living_situation": "Living situation, index in the profile enumeration",
    "household_known": "The people under the same roof are known, 1/0",
    "minor_children": "Unmarried children under 18 in the applicant's charge",
    "unknown_relations": "Housemates whose relation is unknown",
    "own_income_known": "The applicant's income lines are known, 1/0",
    "partner_count": "Partners under the same roof",
    "partner_receives_leefloon": "The partner receives a leefloon, 1/0",
    "partner_income_known": "The partner's income lines are known, 1/0",
    "ascendant_count": "Parents and adult children under the same roof",
    "ascendant_income_known": "Their income lines are known, 1/0",
    "capital_cents": "Movable capital in cents (-1: unknown)",
    "transfers_known": "Transfers of property in the last 10 years are known (none), 1/0",
    "property_known": "Real estate is known (none), 1/0",
    "in_kind_monthly_cents": "Advantages in kind per month in cents (-1: unknown)",
    "ascendant_share_bp": "OCMW's share of the parents' excess, basis points (-1: not chosen)",
}
for _role in ROLES:
    for _kind in KINDS:
        INPUTS[f"{_role}_{_kind}_cents"] = f"{_role}: {_kind} received per month, cents"
        INPUTS[f"{_role}_{_kind}_unknown"] = f"{_role}: {_kind} lines without an amount"


def _cents(value: Any) -> np.ndarray | int:
    return int((Decimal(str(value)) * 100).to_integral_value())


def _half_up_div(numerator: np.ndarray, denominator: int) -> np.ndarray:
    """numerator / denominator rounded half up, for numerator >= 0 (integers)."""
    return (2 * numerator + denominator) // (2 * denominator)


class gate_residence(Variable):  # noqa: N801  (OpenFisca names variables in snake_case)
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Gate: actual residence in Belgium (law art. 3, 1°): 1, 0 or -1"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        return person("actual_residence_belgium", period)


class gate_age(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Gate: of age, or a minor married, with a child in charge or pregnant (art. 3, 2°)"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        age = person("age", period)
        reasons = [person(k, period) for k in ("married", "has_child_in_charge", "pregnant")]
        any_reason = np.logical_or.reduce([r == 1 for r in reasons])
        any_unknown = np.logical_or.reduce([r == UNKNOWN for r in reasons])
        minor = np.where(any_reason, 1, np.where(any_unknown, UNKNOWN, 0))
        return np.where(age == UNKNOWN, UNKNOWN, np.where(age >= 18, 1, minor))


class gate_nationality(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Gate: nationality or residence status (art. 3, 3°)"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        status = person("nationality", period)
        eligible = np.isin(status, [NATIONALITY[c] for c in L.ELIGIBLE_NATIONALITY])
        eu = np.isin(status, [NATIONALITY[c] for c in L.EU])
        right = person("eu_right_of_residence", period)
        return np.select(
            [status == UNKNOWN, eligible, eu], [UNKNOWN, 1, np.where(right == 1, 1, right)], 0
        )


class gate_work(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Gate: willing to work, or waived for health or equity (art. 3, 5°)"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        willing = person("willing_to_work", period)
        reason = person("work_exemption", period)
        waived = np.select([reason == UNKNOWN, reason == EXEMPTION["none"]], [UNKNOWN, 0], 1)
        return np.select([willing == 1, willing == UNKNOWN], [1, UNKNOWN], waived)


class gate_benefits(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Gate: other benefits asserted first (art. 3, 6° and art. 4)"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        return person("other_benefits_claimed", period)


GATES = ("gate_residence", "gate_age", "gate_nationality", "gate_work", "gate_benefits")


class category(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Category 1, 2 or 3 (law art. 14 §1); 0 when unknown or left to the OCMW"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        situation = person("living_situation", period)
        table = np.zeros(len(SITUATION) + 1, dtype=np.int32)  # the last slot: unknown (-1)
        for code, cat in L.CATEGORY_OF.items():
            table[SITUATION[code]] = cat
        base = table[situation]
        known_children = person("household_known", period) == 1
        no_children = known_children & (person("minor_children", period) == 0)
        couple = situation == SITUATION["couple_with_children"]
        return np.where((base == 3) & no_children, np.where(couple, 1, 2), base)


def _amount_cents(parameters: Any, period: Any, name: str) -> int:
    node = parameters(period.start).leefloon
    for part in name.split("."):
        node = getattr(node, part)
    return _cents(node)


class category_amount(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Yearly leefloon amount of the category, cents (KB 11 July 2002)"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        cat = person("category", period)
        amounts = [
            _amount_cents(parameters, period, f"bedrag_jaar.categorie_{c}") for c in (1, 2, 3)
        ]
        return np.select([cat == 1, cat == 2, cat == 3], amounts, 0)


def _yearly_income(person: Any, period: Any, parameters: Any, role: str) -> tuple[Any, Any]:
    """Counted yearly income of a role, cents, and whether every counted line has an amount."""
    exempt = parameters(period.start).leefloon.vrijgesteld
    total = np.zeros(person.count, dtype=np.int64)
    known = np.ones(person.count, dtype=bool)
    for kind in KINDS:
        if getattr(exempt, kind):
            continue
        total += person(f"{role}_{kind}_cents", period).astype(np.int64) * 12
        known &= person(f"{role}_{kind}_unknown", period) == 0
    return total, known


class own_income_yearly(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "The applicant's counted income per year, cents; -1 when unknown (law art. 16)"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        total, known = _yearly_income(person, period, parameters, "own")
        return np.where(known & (person("own_income_known", period) == 1), total, UNKNOWN)


class cohabitants_counted(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Counted part of housemates' resources, cents; -1 unknown, -2 OCMW must choose"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        cat = person("category", period)
        cat1 = _amount_cents(parameters, period, "bedrag_jaar.categorie_1")
        household = person("household_known", period) == 1
        situation = person("living_situation", period)
        alone = np.isin(situation, [SITUATION[c] for c in L.LIVES_ALONE])
        partners = person("partner_count", period)
        receives = person("partner_receives_leefloon", period) == 1
        partner_total, partner_lines = _yearly_income(person, period, parameters, "partner")
        partner_known = (partners == 0) | receives
        partner_known |= (person("partner_income_known", period) == 1) & partner_lines
        partner_part = np.where(cat == 3, partner_total, np.maximum(0, partner_total - cat1))
        partner_part = np.where((partners == 0) | receives, 0, partner_part)
        ascendants = person("ascendant_count", period)
        asc_total, asc_lines = _yearly_income(person, period, parameters, "ascendant")
        asc_known = (ascendants == 0) | (
            (person("ascendant_income_known", period) == 1) & asc_lines
        )
        excess = np.where(ascendants > 0, asc_total - ascendants.astype(np.int64) * cat1, 0)
        share = person("ascendant_share_bp", period).astype(np.int64)
        known = household & (person("unknown_relations", period) == 0) & partner_known & asc_known
        asc_part = np.where(excess > 0, _half_up_div(np.maximum(excess, 0) * share, 10000), 0)
        counted = partner_part + asc_part
        counted = np.where((excess > 0) & (share == UNKNOWN), -2, counted)
        counted = np.where(known, counted, UNKNOWN)
        return np.where(household, counted, np.where(alone, 0, UNKNOWN))


class capital_counted(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Yearly income counted on movable capital, cents; -1 unknown (KB art. 27)"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        roerend = parameters(period.start).leefloon.roerend
        lo, hi = _cents(roerend.grens_1), _cents(roerend.grens_2)
        r1, r2 = _cents(roerend.tarief_1), _cents(roerend.tarief_2)  # percent x 100
        capital = person("capital_cents", period).astype(np.int64)
        middle = np.minimum(np.maximum(capital - lo, 0), hi - lo)
        top = np.maximum(capital - hi, 0)
        income = _half_up_div(middle * r1 + top * r2, 10000)
        known = (capital != UNKNOWN) & (person("transfers_known", period) == 1)
        return np.where(known, income, UNKNOWN)


class resources(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Counted yearly resources of the parts that are known, cents (law art. 16)"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        total = np.zeros(person.count, dtype=np.int64)
        for part in _resource_parts(person, period):
            total += np.where(part >= 0, part, 0)
        return total


def _resource_parts(person: Any, period: Any) -> list[Any]:
    in_kind = person("in_kind_monthly_cents", period).astype(np.int64)
    property_counted = np.where(person("property_known", period) == 1, 0, UNKNOWN)
    return [
        person("own_income_yearly", period),
        person("cohabitants_counted", period),
        person("capital_counted", period),
        property_counted,
        np.where(in_kind >= 0, in_kind * 12, UNKNOWN),
    ]


class resources_complete(Variable):  # noqa: N801
    value_type = bool
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Every part of the resources is known"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        return np.logical_and.reduce([part >= 0 for part in _resource_parts(person, period)])


# How the advice ends, in the order `advise` decides it.
ELIGIBLE, GATE_FAILS, NO_SITUATION, SHARED_CUSTODY, CHOOSE, ABOVE, INCOMPLETE = range(7)
OUTCOME_OF = np.array([0, 1, 2, 3, 2, 1, 2], dtype=np.int32)  # index in OUTCOMES


class decision(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Where the advice ends: eligible, a gate fails, no situation, shared custody, ..."

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        gates = np.stack([person(g, period) for g in GATES])
        gate_false = (gates == 0).any(axis=0)
        gate_unknown = (gates == UNKNOWN).any(axis=0)
        situation = person("living_situation", period)
        shared = situation == SITUATION["shared_custody_equal"]
        choose = person("cohabitants_counted", period) == -2
        above = person("resources", period) >= person("category_amount", period)
        complete = person("resources_complete", period)
        return np.select(
            [gate_false, situation == UNKNOWN, shared, choose, above, ~complete | gate_unknown],
            [GATE_FAILS, NO_SITUATION, SHARED_CUSTODY, CHOOSE, ABOVE, INCOMPLETE],
            ELIGIBLE,
        )


class outcome(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "eligible (0), not_eligible (1), insufficient_data (2), manual_review (3)"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        return OUTCOME_OF[person("decision", period)]


class category_given(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "The category the advice names (0: none, before the gates or without a situation)"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        ends = person("decision", period)
        named = ~np.isin(ends, [GATE_FAILS, NO_SITUATION, SHARED_CUSTODY])
        return np.where(named, person("category", period), 0)


class monthly_amount(Variable):  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Monthly leefloon, cents (-1: none given): (amount - resources + exemption) / 12"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]  # noqa: N805
        cat = person("category", period)
        exemptions = [
            _amount_cents(parameters, period, f"vrijstelling_algemeen.categorie_{c}")
            for c in (1, 2, 3)
        ]
        exemption = np.select([cat == 1, cat == 2, cat == 3], exemptions, 0)
        counted = np.maximum(0, person("resources", period) - exemption)
        yearly = np.maximum(person("category_amount", period) - counted, 0)
        ends = person("decision", period)
        return np.select([ends == ELIGIBLE, ends == ABOVE], [_half_up_div(yearly, 12), 0], UNKNOWN)


FORMULAS = (
    gate_residence,
    gate_age,
    gate_nationality,
    gate_work,
    gate_benefits,
    category,
    category_amount,
    own_income_yearly,
    cohabitants_counted,
    capital_counted,
    resources,
    resources_complete,
    decision,
    outcome,
    category_given,
    monthly_amount,
)


def build_system(
    parameters: Mapping[str, Parameter], income_rules: Mapping[str, IncomeRule]
) -> TaxBenefitSystem:
    """The OpenFisca tax-benefit system: entity, variables, and the catalogue's dated amounts."""
    system = TaxBenefitSystem([Person])
    for name, label in INPUTS.items():
        system.add_variable(_input(name, label))
    for formula in FORMULAS:
        system.add_variable(formula)
    tree: dict[str, Any] = {}
    for name, param in parameters.items():
        if not name.startswith("leefloon."):
            continue
        node = tree
        *path, leaf = name.split(".")[1:]
        for part in path:
            node = node.setdefault(part, {})
        node[leaf] = {
            "values": {v.valid_from.isoformat(): {"value": float(v.value)} for v in param.values}
        }
    exempt: dict[str, Any] = {}
    for kind in KINDS:
        rule = income_rules.get(kind)
        values = {"2000-01-01": {"value": False}}
        if rule is not None and rule.treatment == "exempt":
            since = rule.exempt_from or date(2000, 1, 1)
            values[since.isoformat()] = {"value": True}
        exempt[kind] = {"values": values}
    tree["vrijgesteld"] = exempt
    system.parameters = ParameterNode("", data={"leefloon": tree})
    return system


@dataclass
class Inputs:
    """The input arrays, and which profiles the OpenFisca model covers."""

    columns: dict[str, np.ndarray]
    covered: np.ndarray  # bool per profile


def _tri(value: Any) -> int:
    return UNKNOWN if value is None else int(bool(value))


def _lines(lines: Iterable[Mapping[str, Any]], row: int, role: str, into: dict[str, Any]) -> bool:
    """Add income lines to the role's sums by kind; False when the model does not cover one."""
    for line in lines:
        if line.get("spi") or "yearly_net" in line or "daily_net" in line:
            return False
        if line.get("actually_received") is False:
            continue  # a claim not yet paid is no resource
        kind = line.get("kind", "other")
        if "monthly_net" in line:
            into[f"{role}_{kind}_cents"][row] += _cents(line["monthly_net"])
        else:
            into[f"{role}_{kind}_unknown"][row] += 1
    return True


def inputs(profiles: list[Mapping[str, Any]], *, on: date, choices: Mapping[str, Any]) -> Inputs:
    """Checked profiles (as `load_profile` returns them) as the model's input arrays."""
    count = len(profiles)
    cols = {name: np.full(count, UNKNOWN, dtype=np.int32) for name in INPUTS}
    for name in INPUTS:
        if name.endswith(("_cents", "_unknown")) and name.startswith(ROLES):
            cols[name][:] = 0
    for name in ("minor_children", "unknown_relations", "partner_count", "ascendant_count"):
        cols[name][:] = 0
    for name in (
        "household_known",
        "own_income_known",
        "partner_receives_leefloon",
        "partner_income_known",
        "ascendant_income_known",
        "transfers_known",
        "property_known",
    ):
        cols[name][:] = 0
    covered = np.ones(count, dtype=bool)
    share = choices.get("ascendant_share")
    cols["ascendant_share_bp"][:] = UNKNOWN if share is None else _cents(Decimal(share) * 100)
    for row, p in enumerate(profiles):
        age = P.age_on(p, on)
        cols["age"][row] = UNKNOWN if age is None else age
        cols["actual_residence_belgium"][row] = _tri(p.get("actual_residence_belgium"))
        for key in ("married", "has_child_in_charge", "pregnant"):
            cols[key][row] = 1 if p.get(key) else (UNKNOWN if key not in p else 0)
        cols["nationality"][row] = NATIONALITY.get(p.get("nationality_status"), UNKNOWN)
        cols["eu_right_of_residence"][row] = _tri(p.get("right_of_residence_more_than_3_months"))
        cols["willing_to_work"][row] = _tri(p.get("willing_to_work"))
        cols["work_exemption"][row] = EXEMPTION.get(p.get("work_exemption_reason"), UNKNOWN)
        cols["other_benefits_claimed"][row] = _tri(p.get("other_benefits_claimed"))
        cols["living_situation"][row] = SITUATION.get(p.get("living_situation"), UNKNOWN)
        ok = True
        lines = p.get("own_income")
        if lines is not None:
            cols["own_income_known"][row] = 1
            ok &= _lines(lines, row, "own", cols)
            if p.get("student") is True and any(x.get("kind") == "student_job" for x in lines):
                ok = False  # a student job of a student has its own exemption
        members = p.get("household")
        if members is not None:
            cols["household_known"][row] = 1
            partners_known = ascendants_known = 1
            for member in members:
                relation = member.get("relation")
                if relation is None:
                    cols["unknown_relations"][row] += 1
                elif relation == "partner":
                    cols["partner_count"][row] += 1
                    cols["partner_receives_leefloon"][row] = int(
                        member.get("receives_leefloon") is True
                    )
                    if member.get("income") is None:
                        partners_known = 0
                    else:
                        ok &= _lines(member["income"], row, "partner", cols)
                elif relation in ("parent", "adult_child"):
                    cols["ascendant_count"][row] += 1
                    if member.get("income") is None:
                        ascendants_known = 0
                    else:
                        ok &= _lines(member["income"], row, "ascendant", cols)
                if relation == "child":
                    child_age = P.age_on(member, on)
                    if (
                        child_age is not None
                        and child_age < 18
                        and member.get("dependent") is not False
                        and member.get("unmarried") is not False
                    ):
                        cols["minor_children"][row] += 1
            cols["partner_income_known"][row] = partners_known
            cols["ascendant_income_known"][row] = ascendants_known
            ok &= cols["partner_count"][row] <= 1
        capital = p.get("capital", {})
        if "movable_total" in capital:
            if capital.get("share", 1) != 1:
                ok = False
            cols["capital_cents"][row] = _cents(capital["movable_total"])
        transfers = p.get("transfers_last_10_years")
        if transfers is not None:
            cols["transfers_known"][row] = 1
            ok &= not transfers
        holdings = p.get("property")
        if holdings is not None:
            cols["property_known"][row] = 1
            ok &= not holdings
        if "advantages_in_kind_monthly" in p:
            cols["in_kind_monthly_cents"][row] = _cents(p["advantages_in_kind_monthly"])
        covered[row] = ok
    return Inputs(cols, covered)


def calculate(system: TaxBenefitSystem, given: Inputs, on: date) -> dict[str, np.ndarray]:
    """Outcome (index in OUTCOMES), category (0: none) and monthly amount in cents (-1: none)."""
    count = len(given.covered)
    simulation = SimulationBuilder().build_default_simulation(system, count)
    month = on.strftime("%Y-%m")
    for name, column in given.columns.items():
        simulation.set_input(name, month, column)
    return {
        "outcome": simulation.calculate("outcome", month),
        "category": simulation.calculate("category_given", month),
        "monthly_cents": simulation.calculate("monthly_amount", month),
    }
