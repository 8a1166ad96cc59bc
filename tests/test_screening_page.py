"""The page "Welke rechten heeft mijn cliënt?" on the mini catalogue (no JavaScript needed)."""

from __future__ import annotations

import json
import re

from rechtenverkenner.web.screening_form import Answers, build_profile, section_order

STATUSES = ["verhoogde_tegemoetkoming", "leefloon"]


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def section(page: str, title: str) -> str:
    """The text from a group heading to the next heading."""
    start = page.index(title)
    rest = page[start + len(title) :]
    ends = [
        rest.find(h) for h in ("Waarschijnlijk", "We moeten", "Mogelijk", "Verander") if h in rest
    ]
    return rest[: min(e for e in ends if e > 0)] if ends else rest


def test_the_form_asks_every_section_and_remembers_the_municipality(web):
    web.set_cookie("municipality", "9000")
    response = web.get("/welke-rechten?lang=nl")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'value="9000"' in html
    for name in ("age", "living_situation", "statuses", "income_own", "disability", "housing"):
        assert f'name="{name}"' in html
    assert response.headers["Cache-Control"] == "no-store"


def test_a_partial_answer_groups_the_rights_with_reasons(web):
    response = web.post(
        "/welke-rechten?lang=nl",
        data={"municipality": "Gent", "statuses": ["leefloon"], "reference_date": "2025-06-01"},
    )
    assert response.status_code == 200
    page = text(response)
    assert "Gents testrecht" in section(page, "Waarschijnlijk recht op")
    unknown = section(page, "We moeten meer weten")
    assert "Federaal testrecht" in unknown
    assert "Vlaams testrecht" in unknown
    assert "Wat is het bruto belastbaar inkomen" in page
    assert "21.000,00 euro" in page  # the dated threshold, with its date
    assert response.headers["Cache-Control"] == "no-store"


def test_what_if_shows_which_rights_moved(web):
    first = {"municipality": "9000", "reference_date": "2025-06-01", "living_situation": "alone"}
    second = {
        **first,
        "living_situation": "with_dependent_children",
        "children": "2",
        "partner": "no",
        "other_adults": "0",
        "previous": json.dumps(first),
    }
    page = text(web.post("/welke-rechten?lang=nl", data=second))
    assert "Wat veranderde" in page
    assert re.search(r"Vlaams testrecht ?: .*?waarschijnlijk recht op", page)


def test_bad_answers_are_explained_next_to_the_question(web):
    response = web.post(
        "/welke-rechten?lang=nl",
        data={"municipality": "Nergensdorp", "age": "veertig", "income_own": "12,345"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="err-municipality"' in html
    assert 'id="err-age"' in html
    assert 'id="err-income_own"' in html
    assert 'aria-invalid="true"' in html


def test_answers_become_a_profile_without_guessing():
    answers = Answers.from_dict(
        {"age": "34", "living_situation": "alone", "income_own": "1.250,50"}
    )
    profile = build_profile(answers, STATUSES)
    assert profile == {
        "age": 34,
        "living_situation": "alone",
        "household": [],
        "own_income": [{"kind": "other", "monthly_net": "1250.50"}],
    }
    # Partner known but number of other adults not: the household stays unknown.
    partial = build_profile(Answers.from_dict({"partner": "yes", "children": "1"}), STATUSES)
    assert "household" not in partial
    full = build_profile(
        Answers.from_dict(
            {
                "partner": "yes",
                "children": "2",
                "children_ages": "3, 7",
                "other_adults": "0",
                "income_partner": "0",
                "statuses_none": "1",
            }
        ),
        STATUSES,
    )
    assert full["household"] == [
        {"relation": "partner", "income": []},
        {"relation": "child", "dependent": True, "age": 3},
        {"relation": "child", "dependent": True, "age": 7},
    ]
    assert full["statuses"] == []


def test_sections_come_in_order_of_how_many_rights_they_decide():
    rights = [
        {"criteria": [{"kind": "status", "values": ["leefloon"]}]},
        {"criteria": [{"any": [{"kind": "status", "values": ["x"]}, {"kind": "age", "min": 1}]}]},
        {"criteria": [{"kind": "housing", "tenure": ["social_tenant"]}]},
    ]
    order = section_order(rights)
    assert order[0] == ("statuses", 2)
    assert dict(order)["housing"] == 1
    assert dict(order)["savings"] == 0
