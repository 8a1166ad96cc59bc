"""The dossier worker's page /leefloonadvies: stepwise form, advice laid out, nothing stored."""

from __future__ import annotations

import re

from sqlmodel import func, select

from rechtenverkenner.audit.models import AdviceRecord
from rechtenverkenner.db import session_scope

STUDENT = {
    "reference_date": "2025-02-01",
    "age": "20",
    "actual_residence_belgium": "yes",
    "nationality_status": "belgian",
    "student": "yes",
    "willing_to_work": "no",
    "work_exemption_reason": "equity_studies",
    "other_benefits_claimed": "yes",
    "living_situation": "cohabiting_shared_household",
    "m0_relation": "friend",
    "m0_age": "21",
    "i0_kind": "gift_or_contribution_from_parents",
    "i0_amount": "300",
    "capital": "0",
    "property_none": "1",
    "transfers_none": "1",
    "advantages_in_kind": "0",
}


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_form_has_every_step_and_works_without_javascript(web):
    response = web.get("/leefloonadvies?lang=nl")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script" not in html.split("<main", 1)[1]
    for name in (
        "age",
        "living_situation",
        "m0_relation",
        "i0_kind",
        "capital",
        "p0_ki",
        "t0_value",
        "ascendant_share",
    ):
        assert f'name="{name}"' in html


def test_the_spec_student_case_is_laid_out_with_its_calculation(web, web_app):
    response = web.post("/leefloonadvies?lang=nl", data=STUDENT)
    assert response.status_code == 200
    page = text(response)
    assert "589,05 euro per maand" in page
    assert "10.513,60 euro" in page
    assert "3.600,00 euro" in page
    assert "7.068,60 euro" in page
    assert "Wet 26 mei 2002, art. 3, 1°" in page
    assert response.headers["Cache-Control"] == "no-store"
    with session_scope(web_app) as session:
        assert session.exec(select(func.count()).select_from(AdviceRecord)).one() == 0


def test_a_partial_file_lists_the_questions_to_ask(web):
    page = text(web.post("/leefloonadvies?lang=nl", data={"age": "40"}))
    assert "Woont de cliënt echt in België?" in page
    assert "Hoeveel spaargeld heeft de cliënt?" in page


def test_bad_answers_are_shown_next_to_the_question(web):
    response = web.post(
        "/leefloonadvies?lang=nl", data={**STUDENT, "i0_amount": "veel", "ascendant_share": "150"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="err-i0_amount"' in html
    assert 'id="err-ascendant_share"' in html
