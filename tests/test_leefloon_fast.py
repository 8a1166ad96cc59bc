"""The batch's leefloon advice (without explanations, flat fast path) is `advise`'s advice."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.rules import profile as P
from rechtenverkenner.rules.leefloon import advise, income_rules
from rechtenverkenner.rules.leefloon_fast import LeefloonPlan, advise_fast
from rechtenverkenner.rules.parameters import ParameterDateError

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
DATA = read_catalog(CATALOG, run_examples=False)
RULES = income_rules(DATA.vocabularies["leefloon_income_kind"])
DATES = [
    date(2021, 6, 1),
    date(2022, 1, 1),
    date(2024, 12, 15),
    date(2025, 6, 1),
    date(2026, 12, 1),
]
CHOICES = [
    {},
    {"ascendant_share": Decimal("0.5")},
    {"equity_waiver": True},
    {"ascendant_share": Decimal("0"), "equity_waiver": False},
    {"ascendant_share": Decimal("1")},
]


def full(profile: Any, on: date, choices: Any, explain: bool) -> Any:
    try:
        advice = advise(
            profile,
            on=on,
            parameters=DATA.parameters,
            income_rules=RULES,
            choices=choices,
            explain=explain,
        )
    except ParameterDateError:
        return "ParameterDateError"
    return advice.as_dict()


def fast(profile: Any, on: date, choices: Any) -> Any:
    plan = LeefloonPlan.build(
        on=on, parameters=DATA.parameters, income_rules=RULES, choices=choices
    )
    try:
        return advise_fast(plan, profile).as_dict()
    except ParameterDateError:
        return "ParameterDateError"


def without_explanation(answer: Any) -> Any:
    return answer if isinstance(answer, str) else {**answer, "explanation": []}


def optional(**facts: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=facts)


MONEY = st.decimals(min_value=0, max_value=3000, places=2).map(str)
AMOUNT = st.sampled_from(["monthly_net", "monthly_net", "yearly_net", "daily_net", None])
INCOME_LINE = st.tuples(
    optional(
        kind=st.sampled_from(P.INCOME_KINDS),
        actually_received=st.booleans(),
        spi=st.sampled_from(P.SPI_KINDS),
        started_while_on_leefloon=st.booleans(),
        contract_months=st.integers(0, 12),
        regional_attestation=st.booleans(),
    ),
    AMOUNT,
    MONEY,
).map(lambda t: {**t[0], t[1]: t[2]} if t[1] else t[0])
MEMBER = optional(
    relation=st.sampled_from(P.RELATIONS),
    age=st.integers(0, 90),
    unmarried=st.booleans(),
    dependent=st.booleans(),
    receives_leefloon=st.booleans(),
    income=st.lists(INCOME_LINE, max_size=2),
)
PROPERTY = optional(
    type=st.sampled_from(P.PROPERTY_TYPES),
    cadastral_income=MONEY,
    share=st.sampled_from(["1", "0.5", "0.25"]),
    right=st.sampled_from(P.PROPERTY_RIGHTS),
    own_home=st.booleans(),
)
TRANSFER = optional(
    type=st.sampled_from(P.TRANSFER_TYPES),
    transfer=st.sampled_from(["sale", "gift"]),
    market_value=st.decimals(min_value=0, max_value=200000, places=2).map(str),
    share=st.sampled_from(["1", "0.5"]),
    right=st.sampled_from(P.PROPERTY_RIGHTS),
    only_built_property=st.booleans(),
    personal_debts_repaid_from_proceeds=MONEY,
    years_between_transfer_and_application=st.integers(0, 10),
)
LEEFLOON_FACTS = optional(
    actual_residence_belgium=st.sampled_from([True, True, True, False]),
    age=st.integers(15, 80),
    married=st.booleans(),
    pregnant=st.booleans(),
    has_child_in_charge=st.booleans(),
    nationality_status=st.sampled_from(["belgian", "belgian", *P.NATIONALITY_STATUSES]),
    right_of_residence_more_than_3_months=st.booleans(),
    willing_to_work=st.sampled_from([True, True, True, False]),
    work_exemption_reason=st.sampled_from(P.WORK_EXEMPTIONS),
    other_benefits_claimed=st.sampled_from([True, True, True, False]),
    living_situation=st.sampled_from(P.LIVING_SITUATIONS),
    student=st.booleans(),
    household=st.lists(MEMBER, max_size=3),
    own_income=st.lists(INCOME_LINE, max_size=3),
    capital=optional(
        movable_total=st.decimals(0, 30000, places=2).map(str), share=st.sampled_from(["1", "0.5"])
    ),
    property=st.lists(PROPERTY, max_size=2),
    transfers_last_10_years=st.lists(TRANSFER, max_size=2),
    advantages_in_kind_monthly=MONEY,
    maintenance_paid_for_child_monthly=st.sampled_from(["0.00", "0", "150.00"]),
    statuses=st.lists(st.sampled_from(["leefloon", "verhoogde_tegemoetkoming"]), max_size=2),
)


# Most random profiles stop at a gate or lack a fact; these go on to the amount.
THROUGH_THE_GATES = st.fixed_dictionaries(
    {
        "actual_residence_belgium": st.just(True),
        "age": st.integers(18, 80),
        "nationality_status": st.just("belgian"),
        "willing_to_work": st.just(True),
        "other_benefits_claimed": st.just(True),
        "living_situation": st.sampled_from(P.LIVING_SITUATIONS),
        "transfers_last_10_years": st.just([]),
        "property": st.just([]),
        "advantages_in_kind_monthly": st.sampled_from(["0.00", "25.00"]),
        "capital": optional(movable_total=st.decimals(0, 30000, places=2).map(str)),
        "own_income": st.lists(INCOME_LINE, max_size=2),
    }
)


@st.composite
def leefloon_profiles(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(LEEFLOON_FACTS)
    if draw(st.booleans()):
        data.update(draw(THROUGH_THE_GATES))
        data.pop("birth_date", None)
    try:
        return P.load_profile(data)
    except ValidationError:
        assume(False)
        raise


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(profile=leefloon_profiles(), on=st.sampled_from(DATES), choices=st.sampled_from(CHOICES))
def test_the_advice_without_explanation_is_the_same_advice(profile, on, choices):  # type: ignore[no-untyped-def]
    explained = full(profile, on, choices, explain=True)
    lean = full(profile, on, choices, explain=False)
    assert without_explanation(explained) == without_explanation(lean)
    assert isinstance(lean, str) or lean["explanation"] == []


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(profile=leefloon_profiles(), on=st.sampled_from(DATES), choices=st.sampled_from(CHOICES))
def test_the_fast_path_gives_advises_advice_field_by_field(profile, on, choices):  # type: ignore[no-untyped-def]
    assert fast(profile, on, choices) == full(profile, on, choices, explain=False)


@pytest.mark.parametrize(
    "case", DATA.leefloon_examples, ids=[f"{c.file}:{c.index}" for c in DATA.leefloon_examples]
)
def test_every_worked_example_is_answered_the_same_by_the_fast_path(case):  # type: ignore[no-untyped-def]
    assert fast(case.profile, case.on, case.choices) == full(
        case.profile, case.on, case.choices, explain=False
    )


def test_the_benchmark_profiles_get_the_same_advice():
    from bench.leefloon import complete
    from bench.profiles import profiles

    rng = random.Random(8)
    statuses = sorted(DATA.vocabularies["status"])
    for raw in profiles(400, seed=9, statuses=statuses):
        profile = P.load_profile(complete(raw, rng))
        for choices in ({"ascendant_share": Decimal("0.5")}, {}):
            assert fast(profile, DATES[3], choices) == full(profile, DATES[3], choices, False)
