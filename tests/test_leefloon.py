"""The leefloon advice: worked examples, the spec's figures, the API and the audit record."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from rechtenverkenner.audit.models import AdviceRecord
from rechtenverkenner.audit.services import input_hash, purge_inputs, record_advice
from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.db import session_scope, upgrade_database
from rechtenverkenner.rules.examples import run_leefloon_case
from rechtenverkenner.rules.leefloon import advise, income_rules
from rechtenverkenner.rules.profile import load_profile

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
DATA = read_catalog(CATALOG, run_examples=False)
RULES = income_rules(DATA.vocabularies["leefloon_income_kind"])

COMPLETE = {
    "age": 40,
    "actual_residence_belgium": True,
    "nationality_status": "belgian",
    "willing_to_work": True,
    "other_benefits_claimed": True,
    "living_situation": "alone",
    "own_income": [],
    "capital": {"movable_total": "0.00"},
    "property": [],
    "transfers_last_10_years": [],
    "advantages_in_kind_monthly": "0.00",
}


def advice_for(profile, on=date(2025, 3, 1), **choices):  # type: ignore[no-untyped-def]
    return advise(
        load_profile(profile),
        on=on,
        parameters=DATA.parameters,
        income_rules=RULES,
        choices=choices,
    )


@pytest.mark.parametrize("case", DATA.leefloon_examples, ids=lambda c: f"{c.file}::{c.label}")
def test_worked_example(case):  # type: ignore[no-untyped-def]
    assert run_leefloon_case(case, DATA.parameters, RULES) is None


def test_there_are_at_least_30_worked_examples_covering_every_outcome_and_category():
    assert len(DATA.leefloon_examples) >= 30
    outcomes = {c.expect["outcome"] for c in DATA.leefloon_examples}
    assert outcomes == {"eligible", "not_eligible", "insufficient_data", "manual_review"}
    assert {c.expect.get("category") for c in DATA.leefloon_examples} >= {1, 2, 3}


def test_the_spec_student_case_to_the_cent():
    advice = advice_for(
        {
            **COMPLETE,
            "age": 20,
            "student": True,
            "willing_to_work": False,
            "work_exemption_reason": "equity_studies",
            "living_situation": "cohabiting_shared_household",
            "household": [{"relation": "friend", "age": 21}],
            "own_income": [{"kind": "gift_or_contribution_from_parents", "monthly_net": "300.00"}],
        },
        on=date(2025, 2, 1),
    )
    assert advice.outcome == "eligible"
    assert advice.category == 1
    assert advice.counted_resources_yearly == Decimal("3600.00")
    assert advice.yearly_amount == Decimal("7068.60")
    assert advice.monthly_amount == Decimal("589.05")
    assert "gpmi_required" in advice.flags


@pytest.mark.parametrize(
    ("on", "yearly", "monthly"),
    [
        (date(2023, 3, 1), "14569.58", "1214.13"),
        (date(2024, 6, 1), "15461.53", "1288.46"),
        (date(2025, 3, 1), "15770.41", "1314.20"),
    ],
)
def test_a_single_person_without_income_gets_the_category_2_amount_of_that_day(on, yearly, monthly):  # type: ignore[no-untyped-def]
    advice = advice_for(COMPLETE, on=on)
    assert (advice.outcome, advice.category) == ("eligible", 2)
    assert advice.yearly_amount == Decimal(yearly)
    assert advice.monthly_amount == Decimal(monthly)
    assert advice.yearly_amount == DATA.parameters["leefloon.bedrag_jaar.categorie_2"].value_at(on)


def test_an_empty_profile_is_insufficient_data_with_the_deciding_facts_first():
    advice = advice_for({})
    assert advice.outcome == "insufficient_data"
    assert advice.missing_facts[:3] == ["actual_residence_belgium", "age", "nationality_status"]
    assert "own_income" in advice.missing_facts
    assert advice.monthly_amount is None


def test_a_failed_gate_decides_even_with_facts_missing():
    advice = advice_for({"nationality_status": "irregular_stay"})
    assert advice.outcome == "not_eligible"
    failing = [s for s in advice.explanation if s.result is False]
    assert [s.legal_basis for s in failing] == ["Wet 26 mei 2002, art. 3, 3°"]


def test_resources_above_the_amount_decide_even_with_other_facts_missing():
    advice = advice_for(
        {"living_situation": "alone", "own_income": [{"kind": "wage", "monthly_net": "2100.00"}]}
    )
    assert advice.outcome == "not_eligible"


def test_parents_share_not_chosen_gives_both_ends():
    profile = {
        **COMPLETE,
        "living_situation": "with_parents",
        "household": [
            {"relation": "parent", "income": [{"kind": "wage", "monthly_net": "2000.00"}]},
            {"relation": "parent", "income": []},
        ],
    }
    advice = advice_for(profile)
    assert advice.outcome == "insufficient_data"
    assert advice.missing_facts == ["ocmw_choices.ascendant_share"]
    assert advice.range["0"]["outcome"] == "eligible"
    # Spec §4.5: together 24,000.00 minus 2 x 10,513.60 (one per parent) = 2,972.80.
    assert advice.range["1"]["counted_resources_yearly"] == "2972.80"
    half = advice_for(profile, ascendant_share=Decimal("0.5"))
    assert half.counted_resources_yearly == Decimal("1486.40")


def test_explanations_follow_the_language_and_cite_the_law():
    for lang, word in (("nl", "België"), ("fr", "Belgique"), ("en", "Belgium")):
        advice = advise(
            load_profile(COMPLETE),
            on=date(2025, 3, 1),
            parameters=DATA.parameters,
            income_rules=RULES,
            lang=lang,
        )
        assert word in advice.explanation[0].text
        assert all(step.legal_basis for step in advice.explanation)


# -- API ----------------------------------------------------------------------------------------


def post(web, body, lang="nl"):  # type: ignore[no-untyped-def]
    return web.post(f"/api/v1/advice/leefloon?lang={lang}", json=body)


def test_the_api_answers_as_the_spec_says(web):
    response = post(web, {"reference_date": "2025-02-01", "profile": COMPLETE})
    assert response.status_code == 200
    body = response.get_json()
    assert body["outcome"] == "eligible"
    assert body["eligible"] is True
    assert body["monthly_amount"] == "1314.20"
    assert body["amounts_valid_from"] == "2025-02-01"
    assert body["explanation"][0]["rule"] == "leefloon.residence"
    assert body["explanation"][0]["legal_basis"] == "Wet 26 mei 2002, art. 3, 1°"


def test_an_empty_profile_gets_insufficient_data_with_questions(web):
    body = post(web, {"reference_date": "2025-02-01", "profile": {}}).get_json()
    assert body["outcome"] == "insufficient_data"
    assert body["eligible"] is None
    assert body["questions"][0] == {
        "fact": "actual_residence_belgium",
        "question": "Woont de cliënt echt in België?",
    }


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"own_income": [{"kind": "wage", "monthly_net": "-10.00"}]}, "profile.own_income"),
        ({"own_income": [{"kind": "lottery", "monthly_net": "10.00"}]}, "profile.own_income"),
        ({"age": 300}, "profile.age"),
        ({"capital": {"movable_total": "veel"}}, "profile.capital"),
        ({"unknown_field": 1}, "profile.unknown_field"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(web, profile, field):  # type: ignore[no-untyped-def]
    response = post(web, {"reference_date": "2025-02-01", "profile": profile})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert any(key.startswith(field) for key in errors), errors


def test_a_date_before_the_first_amounts_is_a_422(web):
    response = post(web, {"reference_date": "2019-01-01", "profile": COMPLETE})
    assert response.status_code == 422
    assert "reference_date" in response.get_json()["errors"]


def test_the_advice_api_is_rate_limited(tmp_path, mini_catalog):  # type: ignore[no-untyped-def]
    from conftest import make_test_app

    from rechtenverkenner.catalog.services import load_catalog

    url = f"sqlite:///{tmp_path / 'limited.sqlite3'}"
    upgrade_database(url)
    app = make_test_app(url, mini_catalog, RATELIMIT_ENABLED=True, ADVICE_RATE_LIMIT="3 per minute")
    with session_scope(app) as session:
        load_catalog(session=session, data=read_catalog(mini_catalog))
    client = app.test_client()
    codes = [post(client, {"profile": {}}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.post("/api/v1/advice/leefloon", json={"profile": {}}).get_json()["code"] == 429
    app.extensions["rv_engine"].dispose()


# -- audit record -----------------------------------------------------------------------------


def _record(session, **kwargs):  # type: ignore[no-untyped-def]
    profile = load_profile(COMPLETE)
    advice = advise(profile, on=date(2025, 3, 1), parameters=DATA.parameters, income_rules=RULES)
    return record_advice(
        session=session,
        advice=advice,
        profile=profile,
        reference_date=date(2025, 3, 1),
        choices={},
        created_by="dossier@gent",
        administration_id="ocmw-gent",
        rules_version="test",
        catalog_version=1,
        parameters=DATA.parameters,
        **kwargs,
    )


def test_an_advice_record_keeps_the_hash_not_the_input(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        record = _record(session)
        assert record.input is None
        assert record.input_hash == input_hash(load_profile(COMPLETE), date(2025, 3, 1), {})
        assert record.parameters["leefloon.bedrag_jaar.categorie_2"] == "2025-02-01"
        assert record.monthly_amount == "1314.20"


def test_the_input_is_kept_only_with_a_dossier_reference_and_purged_after(app):  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        with pytest.raises(ValueError, match="retention"):
            _record(session, dossier_reference="D-1")
        with pytest.raises(ValueError, match="dossier reference"):
            _record(session, retention_days=30)
        record = _record(session, dossier_reference="D-1", retention_days=30)
        record_id = record.id
        assert record.input["profile"]["age"] == 40
    with session_scope(app) as session:
        assert purge_inputs(session=session, today=date.today()) == 0
        assert purge_inputs(session=session, today=date.today() + timedelta(days=31)) >= 1
    with session_scope(app) as session:
        kept = session.exec(select(AdviceRecord).where(AdviceRecord.id == record_id)).one()
        assert kept.input is None
        assert kept.dossier_reference is None
        assert kept.outcome == "eligible"


def test_flask_advice_purge_reports_what_it_removed(runner):  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["advice", "purge"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Purged the input of 0 advice record(s).")
