"""Compiled criteria (the batch's fast path) give the engine's statuses and missing facts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError
from test_profile_fast import objects

from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.rules import compiled as C
from rechtenverkenner.rules import profile as P
from rechtenverkenner.rules.compiled import compile_rights, screen_answers
from rechtenverkenner.rules.engine import Context, evaluate
from rechtenverkenner.rules.parameters import ParameterDateError
from rechtenverkenner.rules.screening import screen, status_of

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
DATA = read_catalog(CATALOG, run_examples=False)
PLACES = DATA.places()
STATUSES = sorted(DATA.vocabularies["status"])
RIGHTS = [r for r in DATA.rights.values() if not r["archived"]]
SCREENED = ["44021", "11002", "21004", "31005", "71016", "24062", "12025", "35013", "34022"]
DATES = [date(2023, 1, 1), date(2025, 6, 1), date(2026, 12, 1)]
MULTI_POSTCODE = next(pc for pc, codes in PLACES.postcodes.items() if len(codes) > 1)


def valid(data: dict[str, Any]) -> dict[str, Any]:
    try:
        return P.load_profile(data, statuses=STATUSES)
    except ValidationError:
        assume(False)
        raise


def answers_of_engine(rights, profile, **kwargs):  # type: ignore[no-untyped-def]
    return [
        (r.right["slug"], r.status, r.missing) for r in screen(rights, profile, **kwargs).results
    ]


def answers_compiled(rights, profile, **kwargs):  # type: ignore[no-untyped-def]
    compiled = compile_rights(rights, **kwargs)
    return [
        (right["slug"], status, missing)
        for right, status, missing in screen_answers(compiled, profile)
    ]


def same_answers(rights, profile, **kwargs):  # type: ignore[no-untyped-def]
    """Both give the same answers, or both raise ParameterDateError (a date before an amount)."""
    try:
        expected = answers_of_engine(rights, profile, **kwargs)
    except ParameterDateError:
        expected = "ParameterDateError"
    try:
        got = answers_compiled(rights, profile, **kwargs)
    except ParameterDateError:
        got = "ParameterDateError"
    assert got == expected


PLACE_FACTS = st.one_of(
    st.just({}),
    st.sampled_from(SCREENED).map(lambda nis: {"municipality_nis": nis}),
    st.sampled_from(["9000", "2000", "1000", MULTI_POSTCODE]).map(lambda pc: {"postcode": pc}),
)


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=objects(P.ProfileSchema()),
    place=PLACE_FACTS,
    nis=st.one_of(st.none(), st.sampled_from(SCREENED)),
    on=st.sampled_from(DATES),
)
def test_compiled_rights_give_the_statuses_and_missing_facts_of_screen(data, place, nis, on):  # type: ignore[no-untyped-def]
    data = {k: v for k, v in data.items() if k not in ("municipality_nis", "postcode")}
    profile = valid({**data, **place})
    kwargs = {"on": on, "parameters": DATA.parameters, "places": PLACES, "municipality_nis": nis}
    same_answers(RIGHTS, profile, **kwargs)


def _leaves(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [leaf for n in node for leaf in _leaves(n)]
    if node.get("kind"):
        return [node]
    if "not" in node:
        return _leaves(node["not"])
    return _leaves(node["all" if "all" in node else "any"])


CATALOGUE_LEAVES = sorted(
    {json.dumps(leaf, sort_keys=True) for r in RIGHTS for leaf in _leaves(r["criteria"] or [])}
)
EXTRA_LEAVES = [  # parameters and variants no right of the catalogue uses (yet)
    {"kind": "income_below", "threshold": "vt.inkomensgrens_basis", "unit": "applicant"},
    {"kind": "income_below", "threshold": "vt.inkomensgrens_basis", "unit": "parents"},
    {
        "kind": "income_below",
        "threshold": "igo.bedrag_maand.alleenstaand",
        "unit": "applicant_and_partner",
        "period": "month",
        "per_member": "vt.inkomensgrens_per_persoon",
        "per_dependant": "wonen.inkomensgrens.per_persoon_ten_laste",
        "dependants_not_counted": 2,
    },
    {"kind": "assets_below", "asset": "real_estate", "threshold": "wonen.inkomensgrens.andere"},
    {"kind": "occupation", "values": ["student"], "who": "any_household_member"},
    {"kind": "occupation", "values": ["student", "employed"], "who": "partner"},
    {"kind": "age", "min": 65, "who": "other_member"},
    {"kind": "disability", "scale": "self_reliance_points", "min": 9, "who": "partner"},
    {"kind": "status", "values": ["leefloon"], "who": "partner", "since_months_min": 12},
    {"kind": "education", "levels": ["secundair"], "who": "any_household_member"},
    {"kind": "residence", "municipalities": "own"},
    {"kind": "household", "children_min": 1, "children_max": 2},
    {"kind": "household", "children_max": 0, "composition": ["couple"]},
    {
        "kind": "housing",
        "tenure": ["private_tenant", "social_tenant"],
        "rent_max": "wonen.max_huurprijs.zelfstandige_woning",
        "rent_max_per_dependant": "wonen.max_huurprijs.verhoging_per_persoon_ten_laste",
    },
]
LEAVES = [json.loads(text) for text in CATALOGUE_LEAVES] + EXTRA_LEAVES
WHO = ["child", "partner", "any_household_member", "other_member"]


def _group(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    parts = st.lists(children, min_size=1, max_size=3)
    return st.one_of(
        parts,
        parts.map(lambda p: {"all": p}),
        parts.map(lambda p: {"any": p}),
        children.map(lambda c: {"not": c}),
        st.tuples(st.sampled_from(["all", "any"]), parts, st.sampled_from(WHO)).map(
            lambda t: {t[0]: t[1], "who": t[2]}
        ),
    )


TREES = st.recursive(st.sampled_from(LEAVES), _group, max_leaves=8).map(
    lambda t: t if isinstance(t, list) else [t]
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    tree=TREES,
    data=objects(P.ProfileSchema()),
    nis=st.sampled_from(SCREENED),
    own=st.sampled_from([(), ("44021",), ("44021", "11002")]),
    on=st.sampled_from(DATES),
)
def test_random_criteria_trees_compile_to_the_engines_answer(tree, data, nis, own, on):  # type: ignore[no-untyped-def]
    profile = valid(data)
    right = {"slug": "random", "criteria": tree, "scope": {"municipalities": list(own)}}
    ctx = Context(
        profile=profile,
        on=on,
        parameters=DATA.parameters,
        places=PLACES,
        municipality_nis=nis,
        own_municipalities=list(own),
    )
    try:
        evaluation = evaluate(tree, ctx)
    except ParameterDateError:
        with pytest.raises(ParameterDateError):
            answers_compiled(
                [right],
                profile,
                on=on,
                parameters=DATA.parameters,
                places=PLACES,
                municipality_nis=nis,
            )
        return
    expected = [("random", status_of(evaluation), evaluation.missing)]
    kwargs = {"on": on, "parameters": DATA.parameters, "places": PLACES, "municipality_nis": nis}
    assert answers_compiled([right], profile, **kwargs) == expected


def test_a_date_before_the_amounts_raises_as_the_engine_does():
    profile = P.load_profile({"own_income": [], "household": [], "age": 40})
    kwargs = {
        "on": date(1990, 1, 1),
        "parameters": DATA.parameters,
        "places": PLACES,
        "municipality_nis": "44021",
    }
    compiled = compile_rights(RIGHTS, **kwargs)
    assert not all(c.compiled for c in compiled)  # those rights are left to the engine
    with pytest.raises(ParameterDateError):
        screen(RIGHTS, profile, **kwargs)
    with pytest.raises(ParameterDateError):
        screen_answers(compiled, profile)


def test_a_kind_the_compiler_does_not_know_is_left_to_the_engine(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delitem(C.COMPILERS, "age")
    right = {"slug": "older", "criteria": [{"kind": "age", "min": 65}], "scope": {}}
    kwargs = {
        "on": DATES[1],
        "parameters": DATA.parameters,
        "places": PLACES,
        "municipality_nis": "44021",
    }
    (compiled,) = compile_rights([right], **kwargs)
    assert not compiled.compiled
    assert compiled.answer(P.load_profile({"age": 70})) == ("eligible", [])
    assert compiled.answer(P.load_profile({})) == ("unknown", ["age"])


def test_the_mini_catalogue_compiles_to_the_same_answers(mini_catalog):  # type: ignore[no-untyped-def]
    mini = read_catalog(mini_catalog, run_examples=False)
    rights = [r for r in mini.rights.values() if not r["archived"]]
    places = mini.places()
    for example in mini.examples:
        profile = P.load_profile(example.profile, statuses=sorted(mini.vocabularies["status"]))
        kwargs = {
            "on": example.on,
            "parameters": mini.parameters,
            "places": places,
            "municipality_nis": "44021",
        }
        same_answers(rights, profile, **kwargs)


def test_no_profile_stays_remembered_after_forget():
    import gc
    import weakref

    class Profile(dict):  # a dict that can be watched with a weak reference
        pass

    kwargs = {
        "on": DATES[1],
        "parameters": DATA.parameters,
        "places": PLACES,
        "municipality_nis": "44021",
    }
    compiled = compile_rights(RIGHTS, **kwargs)
    profile = Profile(P.load_profile({"age": 30, "household": [{"relation": "child", "age": 3}]}))
    watched = weakref.ref(profile)
    first = screen_answers(compiled, profile)
    assert screen_answers(compiled, profile) == first  # remembered answers are the same ones
    C.forget(compiled)
    del profile, first
    gc.collect()
    assert watched() is None
