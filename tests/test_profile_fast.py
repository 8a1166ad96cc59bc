"""The fast profile reader answers exactly as `load_profile`, on valid and invalid input alike."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError, fields

from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.rules import profile as P
from rechtenverkenner.rules.profile_fast import load_profile_fast, read_if_sure

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
STATUSES = sorted(read_catalog(CATALOG, run_examples=False).vocabularies["status"])


def strict(value: Any) -> Any:
    """A form that tells apart what == does not: True and 1, Decimal('1.0') and Decimal('1')."""
    if isinstance(value, dict):
        return ("dict", [(k, strict(v)) for k, v in value.items()])  # key order too
    if isinstance(value, list | tuple):
        return (type(value).__name__, [strict(v) for v in value])
    return (type(value).__name__, repr(value))


# -- values, right and wrong, for every kind of field of the schema ----------------------------

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
    st.lists(st.integers(), max_size=1),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)
# (values a field accepts, borderline or wrong values)
MONEY = (
    st.one_of(
        st.decimals(min_value=0, max_value=100000, places=2).map(str),
        st.integers(0, 10**6),
        st.floats(min_value=0, max_value=1e6).map(lambda f: round(f, 2)),
        st.sampled_from(["0", "12.5", " 12.50 ", "1E+2", "0.00"]),
    ),
    st.one_of(
        st.decimals(min_value=0, max_value=1000, places=3).map(str),
        st.sampled_from(["NaN", "Infinity", "-1", "12,50", "", "1E-3", True]),
    ),
)
SHARE = (
    st.one_of(
        st.decimals(min_value=0, max_value=1, places=3).map(str),
        st.floats(min_value=0, max_value=1),
        st.sampled_from([0, 1, "0.5", " 0.5", "1.0", ".5", "1e-1"]),
    ),
    st.sampled_from(["NaN", "-0.1", "1.5", 2, True, "x"]),
)
DATES = (
    st.dates(date(1900, 1, 1), date(2030, 12, 31)).map(date.isoformat),
    st.sampled_from(["2020-02-30", "20200101", "2020-W01-1", "2020-1-1", "٢٠٢٠-٠١-٠١", ""]),
)
BOOLS = (st.booleans(), st.sampled_from([0, 1, 0.0, 1.0, 2, "true", None]))


def _ints(field: fields.Field) -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]:
    rule = next((v for v in field.validators if hasattr(v, "min")), None)
    lo, hi = (rule.min, rule.max) if rule else (0, 100)
    return (
        st.integers(lo, hi),
        st.one_of(st.sampled_from([lo - 1, hi + 1, 3.0, True, "12", 10**20]), st.integers()),
    )


def _strings(field: fields.Field) -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]:
    choices = [v.choices for v in field.validators if hasattr(v, "choices")]
    if choices:
        return st.sampled_from(list(choices[0])), st.one_of(st.text(max_size=6), st.integers())
    if any(hasattr(v, "regex") for v in field.validators):
        good = st.sampled_from(["44021", "11002", "21004", "9000", "1000", "2000"])
        bad = st.sampled_from(["44021\n", "٤٤٠٢١", "1000 ", "4402", "440210", 44021])
        return good, bad
    return st.sampled_from(STATUSES), st.one_of(st.text(max_size=6), st.integers())


def value_for(field: fields.Field, depth: int, wild: bool) -> st.SearchStrategy[Any]:
    """Values the field accepts, now and then (often, when `wild`) one it must refuse."""
    good: st.SearchStrategy[Any]
    bad: st.SearchStrategy[Any] = JUNK
    if isinstance(field, P.Money):
        good, bad = MONEY
    elif isinstance(field, P.Share):
        good, bad = SHARE
    elif isinstance(field, fields.Date):
        good, bad = DATES
    elif isinstance(field, fields.Boolean):
        good, bad = BOOLS
    elif isinstance(field, fields.Integer):
        good, bad = _ints(field)
    elif isinstance(field, fields.String):
        good, bad = _strings(field)
    elif isinstance(field, fields.List):
        inner = value_for(field.inner, depth, wild)
        good = st.lists(inner, max_size=3)
        bad = st.one_of(st.tuples(inner), JUNK)
    elif isinstance(field, fields.Dict):
        keys = value_for(field.key_field, depth, False) if field.key_field else st.text(max_size=3)
        values = value_for(field.value_field, depth, wild) if field.value_field else JUNK
        good = st.dictionaries(keys, values, max_size=2)
    elif isinstance(field, fields.Nested):
        schema = field.nested if isinstance(field.nested, type) else type(field.nested)
        good = objects(schema(), depth + 1, wild) if depth < 2 else st.just({})
    else:
        good = JUNK
    return rarely(bad, good, 3 if wild else 40)


def rarely(bad: st.SearchStrategy[Any], good: st.SearchStrategy[Any], every: int) -> Any:
    """`bad` about once in `every` draws, else `good` (one_of would draw each branch alike)."""
    return st.integers(1, every).flatmap(lambda n: bad if n == every // 2 + 1 else good)


def objects(schema: Any, depth: int = 0, wild: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Mappings for a schema: some of its fields, now and then an unknown key."""
    optional = {name: value_for(field, depth, wild) for name, field in schema.load_fields.items()}
    known = st.fixed_dictionaries({}, optional=optional)
    unknown = st.dictionaries(st.sampled_from(["agee", "extra", "Age"]), JUNK, max_size=1)
    with_unknown = st.tuples(known, unknown).map(lambda t: {**t[0], **t[1]})
    return rarely(with_unknown, known, 5 if wild else 20)


# Mostly valid profiles (a wrong value here and there), and wild ones (wrong values often).
PROFILES = st.one_of(objects(P.ProfileSchema()), objects(P.ProfileSchema(), wild=True))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(PROFILES, JUNK))
def test_the_fast_reader_is_sure_only_of_what_load_profile_accepts_and_returns_the_same(data):  # type: ignore[no-untyped-def]
    fast = read_if_sure(data)
    try:
        slow = P.load_profile(data)
    except ValidationError:
        assert fast is None, data
        return
    if fast is not None:
        assert strict(fast) == strict(slow), data


def answer(read: Any, data: Any) -> Any:
    """What a reader makes of `data`: the data in strict form, or the error messages."""
    try:
        return ("data", strict(read(data, statuses=STATUSES)))
    except ValidationError as exc:
        return ("errors", exc.messages)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=PROFILES)
def test_load_profile_fast_gives_the_same_data_or_the_same_errors(data):  # type: ignore[no-untyped-def]
    assert answer(load_profile_fast, data) == answer(P.load_profile, data)


def test_the_fast_reader_is_sure_of_ordinary_profiles():
    from bench.profiles import profiles

    rng = random.Random(3)
    for profile in profiles(300, seed=4, statuses=STATUSES):
        profile["capital"] = {"movable_total": "1200.00", "share": rng.choice(["1", "0.5", 1])}
        profile["birth_date"] = "1980-02-29"
        profile.pop("age", None)
        assert read_if_sure(profile) is not None, profile
        assert strict(read_if_sure(profile)) == strict(P.load_profile(profile))


@pytest.mark.parametrize(
    "data",
    [
        {"married": 1},  # marshmallow reads 1 as true: the fast path leaves it to marshmallow
        {"own_income": ({"kind": "wage"},)},  # a tuple is a list for marshmallow
        {"age": 30, "birth_date": "1990-01-01"},  # two ways of one fact
        {"municipality_nis": "44021\n"},  # $ matches before a final newline
        {"statuses": ["royalty"]},  # an unknown status: checked with the vocabulary
    ],
)
def test_borderline_input_is_answered_as_load_profile_answers_it(data):  # type: ignore[no-untyped-def]
    assert answer(load_profile_fast, data) == answer(P.load_profile, data)


def test_money_stays_decimal_as_written():
    loaded = load_profile_fast({"own_income": [{"kind": "wage", "monthly_net": "1100.50"}]})
    assert repr(loaded["own_income"][0]["monthly_net"]) == repr(Decimal("1100.50"))
