"""`POST /api/v1/screening` on the mini catalogue: grouping, explanations, errors, privacy."""

from __future__ import annotations

import logging

import pytest


def post(web, body, lang="nl"):  # type: ignore[no-untyped-def]
    return web.post(f"/api/v1/screening?lang={lang}", json=body)


def by_slug(response) -> dict:  # type: ignore[no-untyped-def]
    return {r["right"]["slug"]: r for r in response.get_json()["results"]}


def test_gent_profile_is_screened_against_the_rights_that_apply_there(web):
    response = post(
        web,
        {
            "reference_date": "2025-06-01",
            "municipality_nis": "44021",
            "profile": {
                "statuses": ["verhoogde_tegemoetkoming"],
                "taxable_income": {"gross_yearly": "25000.00"},
                "household": [{"relation": "child", "age": 4, "dependent": True}],
            },
        },
    )
    assert response.status_code == 200
    results = by_slug(response)
    assert set(results) == {"gent-testrecht", "vlaams-testrecht", "federaal-testrecht"}
    assert results["gent-testrecht"]["status"] == "eligible"
    assert results["vlaams-testrecht"]["status"] == "eligible"
    federal = results["federaal-testrecht"]
    assert federal["status"] == "not_eligible"  # 25,000 > 21,000 from 2025-01-01
    income = federal["explanation"][1]
    assert income["result"] is False
    assert income["thresholds"][0]["value"] == "21000.00"
    assert income["thresholds"][0]["valid_from"] == "2025-01-01"
    assert income["facts"] == {}
    assert income["computed"]["income"] == "25000.00"
    assert response.get_json()["counts"] == {"eligible": 2, "unknown": 0, "not_eligible": 1}


def test_the_threshold_of_the_reference_date_is_used(web):
    body = {
        "municipality_nis": "44021",
        "profile": {"taxable_income": {"gross_yearly": "20500.00"}},
    }
    earlier = by_slug(post(web, {**body, "reference_date": "2024-06-01"}))
    later = by_slug(post(web, {**body, "reference_date": "2025-06-01"}))
    assert earlier["federaal-testrecht"]["status"] == "not_eligible"  # limit 20,000
    assert later["federaal-testrecht"]["status"] == "eligible"  # limit 21,000


def test_an_empty_profile_gets_questions_not_refusals(web):
    response = post(
        web, {"reference_date": "2025-06-01", "municipality_nis": "44021", "profile": {}}
    )
    body = response.get_json()
    assert body["counts"]["not_eligible"] == 0
    facts = [q["fact"] for q in body["questions"]]
    assert set(facts) == {"statuses", "household", "taxable_income.gross_yearly"}
    assert body["questions"][0]["question"]
    gent = by_slug(response)["gent-testrecht"]
    assert gent["status"] == "unknown"
    assert gent["missing_facts"] == ["statuses"]
    assert gent["questions"] == [
        "Welke uitkering of welk statuut heeft de cliënt (bv. verhoogde tegemoetkoming)?"
    ]


def test_texts_follow_the_language(web):
    body = {"reference_date": "2025-06-01", "municipality_nis": "44021", "profile": {}}
    fr = by_slug(post(web, body, lang="fr"))["gent-testrecht"]
    assert fr["right"]["title"] == "Droit gantois de test"
    assert fr["questions"][0].startswith("Quelle allocation")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"profile": {"agee": 3}, "municipality_nis": "44021"}, "profile.agee"),
        ({"profile": {"statuses": ["royalty"]}, "municipality_nis": "44021"}, "profile.statuses"),
        ({"profile": {"age": 30}}, "municipality_nis"),
        ({"profile": {"postcode": "1030"}}, "municipality_nis"),  # Brussel or Schaarbeek?
        (
            {"profile": {"municipality_nis": "11002"}, "municipality_nis": "44021"},
            "municipality_nis",
        ),
        ({"profile": {}, "municipality_nis": "99999"}, "municipality_nis"),
        (
            {"profile": {}, "municipality_nis": "44021", "reference_date": "1990-01-01"},
            "reference_date",
        ),
        (
            {"profile": {}, "municipality_nis": "44021", "reference_date": "01/02/2025"},
            "reference_date",
        ),
        ({"municipality_nis": "44021"}, "profile"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(web, body, field):  # type: ignore[no-untyped-def]
    response = post(web, body)
    assert response.status_code == 422
    error = response.get_json()
    assert field in error["errors"], error


def test_the_postcode_of_the_profile_says_where_to_screen(web):
    response = post(web, {"reference_date": "2025-06-01", "profile": {"postcode": "9000"}})
    assert response.status_code == 200
    assert response.get_json()["municipality_nis"] == "44021"


def test_nothing_of_the_profile_is_logged(web, caplog):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    post(
        web,
        {
            "reference_date": "2025-06-01",
            "municipality_nis": "44021",
            "profile": {"age": 47, "own_income": [{"kind": "wage", "monthly_net": "1234.56"}]},
        },
    )
    post(web, {"profile": {"agee": 47}})  # errors neither
    assert "1234.56" not in caplog.text
    assert "47" not in caplog.text
