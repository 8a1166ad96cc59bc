"""The rules engine on its own: three-valued logic, explanations, missing facts, monotonicity."""

from __future__ import annotations

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
from rechtenverkenner.rules.engine import Context, evaluate
from rechtenverkenner.rules.parameters import ParameterDateError
from rechtenverkenner.rules.profile import load_profile
from rechtenverkenner.rules.screening import compare, screen

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
DATA = read_catalog(CATALOG, run_examples=False)
PLACES = DATA.places()
STATUSES = sorted(DATA.vocabularies["status"])
ON = date(2025, 6, 1)
PLACES_SCREENED = ["44021", "11002", "21004", "31005", "71016", "24062", "12025", "35013"]


def rights_in(nis: str) -> list[dict[str, Any]]:
    """Current rights that apply to someone living in `nis` (same rule as the search index)."""
    region = PLACES.region[nis]
    province = next(m["province_nis"] for m in DATA.municipalities if m["nis_code"] == nis)
    out = []
    for right in DATA.rights.values():
        scope = right["scope"]
        if right["archived"]:
            continue
        regions = scope.get("regions") or ([scope["region"]] if "region" in scope else [])
        if (
            "belgium" in regions
            or region in regions
            or nis in scope.get("municipalities", ())
            or province in scope.get("provinces", ())
        ):
            out.append(right)
    return out


def run(criteria: Any, profile: dict[str, Any], on: date = ON, **kwargs: Any):  # type: ignore[no-untyped-def]
    ctx = Context(
        profile=load_profile(profile), on=on, parameters=DATA.parameters, places=PLACES, **kwargs
    )
    return evaluate(criteria, ctx)


# -- three-valued logic -------------------------------------------------------------------------

AGE_18 = {"kind": "age", "min": 18}
FLANDERS = {"kind": "residence", "region": "flanders"}


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ({"age": 30, "municipality_nis": "44021"}, True),
        ({"age": 30, "municipality_nis": "21004"}, False),
        ({"age": 12}, False),  # one part false: the whole AND is false, residence unknown
        ({"age": 30}, None),
        ({}, None),
    ],
)
def test_a_list_is_an_and_in_kleene_logic(profile, expected):  # type: ignore[no-untyped-def]
    assert run([AGE_18, FLANDERS], profile).result is expected


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ({"age": 30}, True),  # one part true: the OR is true, residence unknown
        ({"age": 12, "municipality_nis": "21004"}, False),
        ({"age": 12}, None),
    ],
)
def test_any_is_true_as_soon_as_one_part_is(profile, expected):  # type: ignore[no-untyped-def]
    assert run([{"any": [AGE_18, FLANDERS]}], profile).result is expected


def test_not_flips_an_answer_and_keeps_unknown():
    assert run([{"not": AGE_18}], {"age": 12}).result is True
    assert run([{"not": AGE_18}], {"age": 30}).result is False
    assert run([{"not": AGE_18}], {}).result is None


def test_missing_facts_are_only_those_that_can_still_change_the_answer():
    # Age already decides the AND: residence is not asked.
    assert run([AGE_18, FLANDERS], {"age": 12}).missing == []
    # Both open: the quicker question (residence) before income paperwork, shallow first.
    evaluation = run(
        [
            {"any": [{"kind": "status", "values": ["leefloon"]}, FLANDERS]},
            {"kind": "age", "min": 18},
        ],
        {},
    )
    assert evaluation.missing == ["age", "municipality_nis", "statuses"]


def test_each_step_explains_the_fact_and_the_dated_threshold():
    criteria = [
        {
            "kind": "income_below",
            "threshold": "vt.inkomensgrens_basis",
            "income_type": "gross_taxable",
        }
    ]
    evaluation = run(criteria, {"taxable_income": {"gross_yearly": "20000.00"}})
    (step,) = evaluation.steps
    assert step.result is True
    (threshold,) = step.leaf.thresholds
    assert threshold.parameter == "vt.inkomensgrens_basis"
    assert threshold.value == Decimal("25630.67")
    assert threshold.valid_from == date(2024, 1, 1)
    assert threshold.source["url"].startswith("https://")
    assert step.leaf.computed["income"] == Decimal("20000.00")


def test_a_date_before_the_first_parameter_value_is_an_error_not_a_guess():
    criteria = [{"kind": "income_below", "threshold": "vt.inkomensgrens_basis"}]
    with pytest.raises(ParameterDateError, match="vt.inkomensgrens_basis"):
        run(criteria, {"own_income": []}, on=date(1990, 1, 1))


def test_only_a_social_inquiry_left_is_discretionary_not_missing_facts():
    criteria = [AGE_18, {"kind": "social_investigation", "by": "ocmw"}]
    evaluation = run(criteria, {"age": 30})
    assert (evaluation.result, evaluation.missing, evaluation.discretionary) == (None, [], True)
    evaluation = run(criteria, {})
    assert (evaluation.missing, evaluation.discretionary) == (["age"], False)


# -- the profile ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"agee": 3}, "agee"),
        ({"age": -1}, "age"),
        ({"age": "30"}, "age"),
        ({"living_situation": "solo"}, "living_situation"),
        ({"own_income": [{"kind": "wage", "monthly_net": "10.123"}]}, "own_income"),
        ({"own_income": [{"kind": "wage", "monthly_net": 1.5, "yearly_net": 3}]}, "own_income"),
        ({"age": 3, "birth_date": "2020-01-01"}, "birth_date"),
        ({"statuses": ["royalty"]}, "statuses"),
        ({"student": "yes"}, "student"),
    ],
)
def test_a_bad_profile_names_the_field(profile, field):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        load_profile(profile, statuses=STATUSES)
    assert field in caught.value.messages


def test_money_is_read_as_decimal_from_strings_and_numbers():
    loaded = load_profile({"own_income": [{"kind": "wage", "monthly_net": 1100.1}]})
    assert loaded["own_income"][0]["monthly_net"] == Decimal("1100.1")
    assert P.monthly_amount({"daily_net": Decimal("40.00")}) == Decimal("1040.00")


# -- screening and monotonicity ----------------------------------------------------------------


@pytest.mark.parametrize("nis", PLACES_SCREENED)
def test_an_empty_profile_is_never_told_not_entitled(nis):  # type: ignore[no-untyped-def]
    result = screen(
        rights_in(nis), {}, on=ON, parameters=DATA.parameters, places=PLACES, municipality_nis=nis
    )
    assert result.counts["not_eligible"] == 0
    for item in result.group("eligible"):
        # Only rights open to everyone who lives there are certain without any fact.
        kinds = {step.kind for step in item.evaluation.steps}
        assert kinds <= {"residence"}, item.right["slug"]
    assert result.questions()[0][1] >= result.questions()[-1][1]


def test_what_if_lists_the_rights_whose_answer_moved():
    rights = rights_in("44021")
    before = screen(
        rights,
        load_profile({"statuses": [], "household": []}),
        on=ON,
        parameters=DATA.parameters,
        places=PLACES,
        municipality_nis="44021",
    )
    after = screen(
        rights,
        load_profile({"statuses": ["leefloon"], "household": []}),
        on=ON,
        parameters=DATA.parameters,
        places=PLACES,
        municipality_nis="44021",
    )
    moved = {c.right["slug"]: (c.before, c.after) for c in compare(before, after)}
    assert moved["sociaal-tarief-water"] == ("not_eligible", "eligible")
    assert all(b != a for b, a in moved.values())


money = st.decimals(min_value=0, max_value=60000, places=2).map(lambda d: f"{d:.2f}")
income_line = st.fixed_dictionaries({"kind": st.sampled_from(P.INCOME_KINDS), "monthly_net": money})
member = st.fixed_dictionaries(
    {},
    optional={
        "relation": st.sampled_from(P.RELATIONS),
        "age": st.integers(0, 100),
        "dependent": st.booleans(),
        "income": st.lists(income_line, max_size=2),
        "statuses": st.lists(st.sampled_from(STATUSES), max_size=3, unique=True),
        "disability": st.dictionaries(st.sampled_from(P.DISABILITY_SCALES), st.integers(0, 18)),
        "education_level": st.sampled_from(P.EDUCATION_LEVELS),
        "occupations": st.lists(st.sampled_from(P.OCCUPATIONS), max_size=2, unique=True),
    },
)
profiles = st.fixed_dictionaries(
    {},
    optional={
        "age": st.integers(0, 100),
        "nationality_status": st.sampled_from(P.NATIONALITY_STATUSES),
        "actual_residence_belgium": st.booleans(),
        "living_situation": st.sampled_from(P.LIVING_SITUATIONS),
        "household": st.lists(member, max_size=4),
        "own_income": st.lists(income_line, max_size=3),
        "capital": st.fixed_dictionaries({"movable_total": money}),
        "property": st.lists(
            st.fixed_dictionaries(
                {"type": st.just("built"), "cadastral_income": money, "share": st.just("1")}
            ),
            max_size=2,
        ),
        "statuses": st.lists(st.sampled_from(STATUSES), max_size=4, unique=True),
        "status_since": st.dictionaries(
            st.sampled_from(STATUSES), st.dates(date(2015, 1, 1), date(2025, 5, 1)), max_size=2
        ),
        "disability": st.dictionaries(st.sampled_from(P.DISABILITY_SCALES), st.integers(0, 18)),
        "taxable_income": st.fixed_dictionaries(
            {}, optional={"gross_yearly": money, "net_yearly": money}
        ),
        "housing": st.sampled_from(P.TENURES),
        "rent_monthly": money,
        "occupations": st.lists(st.sampled_from(P.OCCUPATIONS), max_size=2, unique=True),
        "education_level": st.sampled_from(P.EDUCATION_LEVELS),
    },
)


def _forget(profile: dict[str, Any], keep: list[bool], member_keep: list[bool]) -> dict[str, Any]:
    """The profile with some facts left out, in the profile and in household members."""
    smaller = {k: v for (k, v), kept in zip(profile.items(), keep, strict=False) if kept}
    if "household" in smaller:
        flags = iter(member_keep)
        smaller["household"] = [
            {k: v for k, v in m.items() if next(flags, True)} for m in smaller["household"]
        ]
    return smaller


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    profile=profiles,
    keep=st.lists(st.booleans(), min_size=20, max_size=20),
    member_keep=st.lists(st.booleans(), min_size=40, max_size=40),
    nis=st.sampled_from(PLACES_SCREENED),
    names_place=st.booleans(),
)
def test_adding_facts_only_moves_rights_out_of_unknown(
    profile, keep, member_keep, nis, names_place
):  # type: ignore[no-untyped-def]
    # A screening for a municipality says the client lives there (the API refuses a profile
    # that names another place or says the client does not live in Belgium).
    assume(profile.get("actual_residence_belgium") is not False)
    if names_place:
        profile = {"municipality_nis": nis, **profile}
    try:
        full = load_profile(profile, statuses=STATUSES)
        part = load_profile(_forget(profile, keep, member_keep), statuses=STATUSES)
    except ValidationError:
        assume(False)
    rights = rights_in(nis)
    kwargs = {"on": ON, "parameters": DATA.parameters, "places": PLACES, "municipality_nis": nis}
    knows_more = screen(rights, full, **kwargs)
    knows_less = screen(rights, part, **kwargs)
    for less, more in zip(knows_less.results, knows_more.results, strict=True):
        assert less.status in ("unknown", more.status), (less.right["slug"], part, full)


NURSERY_CHILD = {
    "all": [{"kind": "age", "min": 3, "max": 4}, {"kind": "education", "levels": ["kleuter"]}],
    "who": "child",
}


def test_a_group_with_who_must_be_met_by_one_and_the_same_person():
    # The 3-year-old's school is unknown; the 5-year-old goes to nursery school but is too old.
    household = [
        {"relation": "child", "age": 3},
        {"relation": "child", "age": 5, "education_level": "kleuter"},
    ]
    evaluation = run([NURSERY_CHILD], {"household": household})
    assert evaluation.result is None
    assert evaluation.missing == ["household.0.education_level"]
    household[0]["education_level"] = "kleuter"
    evaluation = run([NURSERY_CHILD], {"household": household})
    assert evaluation.result is True
    assert {k for s in evaluation.steps for k in s.leaf.facts} == {
        "household.0.age",
        "household.0.education_level",
    }
    household[0]["education_level"] = "lager"
    assert run([NURSERY_CHILD], {"household": household}).result is False
    assert run([NURSERY_CHILD], {"age": 30}).missing == ["household"]


def test_other_member_never_means_the_applicant():
    older = {"kind": "age", "min": 65, "who": "other_member"}
    assert (
        run([older], {"age": 67, "household": [{"relation": "partner", "age": 62}]}).result is False
    )
    assert (
        run([older], {"age": 40, "household": [{"relation": "parent", "age": 70}]}).result is True
    )
    everyone = {"kind": "age", "min": 65, "who": "any_household_member"}
    assert run([everyone], {"age": 67, "household": []}).result is True
