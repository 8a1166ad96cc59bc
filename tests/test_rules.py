"""Dated parameters and condition kinds: pure Python, no Flask."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rechtenverkenner.rules.conditions import KINDS, CriteriaContext, Labeller, describe
from rechtenverkenner.rules.conditions import validate_criteria as validate
from rechtenverkenner.rules.parameters import Parameter, ParameterDateError, ParameterValue


def parameter() -> Parameter:
    return Parameter(
        "test.grens",
        {"nl": "Grens"},
        "EUR",
        "year",
        (
            ParameterValue(date(2025, 1, 1), Decimal("21000.00"), {"title": "b"}),
            ParameterValue(date(2024, 1, 1), Decimal("20000.00"), {"title": "a"}),
        ),
    )


def test_parameter_gives_the_value_in_force_on_a_date():
    p = parameter()
    assert p.value_at(date(2024, 1, 1)) == Decimal("20000.00")
    assert p.value_at(date(2024, 12, 31)) == Decimal("20000.00")
    assert p.value_at(date(2025, 1, 1)) == Decimal("21000.00")
    assert p.value_at(date(2030, 6, 1)) == Decimal("21000.00")


def test_parameter_refuses_a_date_before_its_first_value():
    with pytest.raises(ParameterDateError, match="no value before 2024-01-01"):
        parameter().value_at(date(2023, 12, 31))


CTX = CriteriaContext(
    vocab={
        "region": {"belgium", "flanders"},
        "status": {"leefloon"},
        "who": {"applicant"},
        "scale": {"percent"},
        "tenure": {"private_tenant"},
    },
    parameters={"test.grens"},
    municipalities={"44021"},
    requirement_count=1,
)


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        ({"kind": "age", "min": 18}, []),
        ({"kind": "age"}, [("c", "give at least one of min, max")]),
        ({"kind": "age", "min": 30, "max": 20}, [("c.min", "min is larger than max")]),
        ({"kind": "age", "min": "18"}, [("c.min", "must be a whole number, 0 or more")]),
        (
            {"kind": "residence", "region": "belgium", "municipalities": ["44021"]},
            [("c", "give exactly one of region, municipalities")],
        ),
        (
            {"kind": "residence", "municipalities": "own"},
            [("c.municipalities", "must be a non-empty list of NIS codes")],
        ),
        (
            {"kind": "status", "values": ["leefloon", "wealth"]},
            [("c.values[1]", "unknown value 'wealth' (see vocabulary status)")],
        ),
        (
            {"kind": "income_below", "threshold": "nope"},
            [("c.threshold", "unknown parameter 'nope' (no file in catalog/parameters/)")],
        ),
        (
            {"kind": "age", "min": 1, "requirement": 2},
            [("c.requirement", "must be a requirement number 1..1")],
        ),
        (
            {"any": [{"kind": "age", "min": 1}]},
            [("c.any", "must be a list of at least two conditions")],
        ),
        ({"not": {"kind": "status", "values": ["leefloon"]}}, []),
        (
            {"all": [], "kind": "age"},
            [("c", "a node is either one combinator (all/any/not) or a `kind`")],
        ),
    ],
)
def test_criteria_validation_names_the_key(node, expected):
    assert validate(node, "c", CTX) == expected


def test_model_entries_may_use_own_municipality():
    ctx = CriteriaContext(CTX.vocab, CTX.parameters, CTX.municipalities, 0, allow_own=True)
    assert validate({"kind": "residence", "municipalities": "own"}, "c", ctx) == []


EXAMPLES = {
    "age": {"kind": "age", "min": 18, "max": 24},
    "residence": {"kind": "residence", "region": "flanders"},
    "legal_status": {"kind": "legal_status", "values": ["belgian"]},
    "status": {"kind": "status", "values": ["leefloon"], "since_months_min": 3},
    "income_below": {"kind": "income_below", "threshold": "test.grens", "per_member": "test.grens"},
    "assets_below": {"kind": "assets_below", "asset": "savings", "threshold": "test.grens"},
    "disability": {"kind": "disability", "scale": "percent", "min": 66},
    "household": {"kind": "household", "composition": ["single_parent"], "children_min": 1},
    "housing": {"kind": "housing", "tenure": ["private_tenant"], "rent_max": "test.grens"},
    "occupation": {"kind": "occupation", "values": ["student"]},
    "education": {"kind": "education", "levels": ["hoger"]},
    "social_investigation": {"kind": "social_investigation", "by": "ocmw"},
}


def test_every_kind_has_an_example_here():
    assert set(EXAMPLES) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_every_kind_reads_as_a_sentence(kind, lang):
    labeller = Labeller(
        {"region": {"flanders": {"nl": "Vlaanderen", "fr": "la Flandre", "en": "Flanders"}}},
        {"test.grens": {"nl": "21.000 euro", "fr": "21 000 euro", "en": "EUR 21,000"}},
    )
    [node] = describe([EXAMPLES[kind]], lang, labeller)
    sentence = node["text"]
    assert sentence.endswith(".")
    assert sentence[0].isupper()
    assert "{" not in sentence
    assert node["discretionary"] is (kind == "social_investigation")
    if kind == "income_below":
        assert {"nl": "21.000 euro", "fr": "21 000 euro", "en": "EUR 21,000"}[lang] in sentence


def test_sentences_keep_the_tree_structure():
    tree = [{"any": [{"kind": "age", "min": 18}, {"kind": "status", "values": ["leefloon"]}]}]
    [node] = describe(tree, "nl", Labeller({}))
    assert node["op"] == "any"
    assert [c["kind"] for c in node["children"]] == ["age", "status"]
