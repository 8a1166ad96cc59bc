"""Schemathesis against /api/v1/openapi.json: no 5xx, every response matching its schema.

A bounded number of cases per operation keeps the suite fast; property tests on the profile
schema and the search normaliser sit below.
"""

from __future__ import annotations

import string

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError
from schemathesis.checks import not_a_server_error, response_schema_conformance

from rechtenverkenner import create_app
from rechtenverkenner.rules.profile import load_profile
from rechtenverkenner.search.text import fold, tokens

# The operations, listed once from an app without a database (the document does not need one).
OPERATIONS = [
    result.ok().label
    for result in schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    ).get_all_operations()
]


@pytest.mark.parametrize("label", OPERATIONS)
def test_api_never_fails_and_matches_its_schema(web_app, label):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", web_app)
    operation = next(r.ok() for r in schema.get_all_operations() if r.ok().label == label)

    @given(case=operation.as_strategy())
    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):  # type: ignore[no-untyped-def]
        case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

    check()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    data=st.dictionaries(
        st.sampled_from(
            [
                "age",
                "statuses",
                "household",
                "own_income",
                "capital",
                "living_situation",
                "x",
                "postcode",
            ]
        ),
        json_values,
    )
)
def test_any_json_is_a_profile_or_a_validation_error(data):  # type: ignore[no-untyped-def]
    try:
        profile = load_profile(data, statuses=["leefloon"])
    except ValidationError as exc:
        messages = exc.messages
        profile = None
    if profile is None:
        assert isinstance(messages, dict)  # every problem is named by its field
    else:
        assert set(profile) <= set(data)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_the_normaliser_is_idempotent_and_plain(text):  # type: ignore[no-untyped-def]
    folded = fold(text)
    assert fold(folded) == folded
    assert set(folded) <= set(string.ascii_lowercase + string.digits + " ")
    assert tokens(text) == folded.split()
