"""The pages work without JavaScript, in three languages, with every section of a right."""

from __future__ import annotations

import re

import pytest


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_home_has_search_situation_tiles_and_municipality_box(web):
    page = text(web.get("/"))
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert 'role="search"' in page
    assert 'href="/rechten?situation=low_income"' in page
    assert 'name="municipality"' in page
    assert "<script" not in page  # nothing depends on JavaScript


def test_list_filters_by_municipality_with_checkbox_facets(web):
    page = text(web.get("/rechten?municipality=9000"))
    assert "Gents testrecht" in page
    assert "Antwerps testrecht" not in page
    assert 'type="checkbox" name="level" value="local"' in page
    assert "Gent</strong> (44021)" in page


def test_list_filters_by_situation_and_level(web):
    page = text(web.get("/rechten?situation=family_with_children"))
    assert "Vlaams testrecht" in page
    assert "Gents testrecht" not in page
    page = text(web.get("/rechten?level=provincial"))
    assert "Provinciaal testrecht" in page
    assert "Federaal testrecht" not in page


def test_unknown_municipality_shows_a_clear_message_not_an_error(web):
    response = web.get("/rechten?municipality=Atlantis")
    assert response.status_code == 200
    assert 'role="alert"' in text(response)


def test_detail_page_shows_every_section(web):
    page = text(web.get("/rechten/gent-testrecht"))
    for marker in (
        "<h1>Gents testrecht</h1>",
        "level-local",
        "access-individual",
        "Botermarkt",
        'href="tel:092101010"',
        "https://stad.gent/test",
        "2026-11-28",
    ):
        assert marker in page, marker
    federal = text(web.get("/rechten/federaal-testrecht"))
    assert "21.000,00 euro per jaar" in federal  # dated parameter resolved for today
    assert "<script>alert" not in federal
    assert 'href="/rechten/gent-testrecht"' in federal  # related right


def test_detail_by_id_redirects_to_the_slug(web):
    right_id = web.get("/api/v1/rights/gent-testrecht").get_json()["id"]
    response = web.get(f"/rechten/{right_id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/rechten/gent-testrecht")


@pytest.mark.parametrize(
    ("lang", "title", "heading"),
    [
        ("nl", "Federaal testrecht", "Hoe aanvragen?"),
        ("fr", "Droit fédéral de test", "Comment faire la demande ?"),
        ("en", "Federal test right", "How to apply?"),
    ],
)
def test_language_switch_translates_interface_and_content(web, lang, title, heading):
    page = text(web.get(f"/rechten/federaal-testrecht?lang={lang}"))
    assert f'<html lang="{lang}">' in page
    assert title in page
    assert heading in page


def test_language_choice_is_remembered(web):
    web.get("/?lang=fr")
    page = text(web.get("/"))
    assert '<html lang="fr">' in page


def test_missing_page_is_friendly_and_translated(web):
    response = web.get("/rechten/bestaat-niet?lang=nl")
    assert response.status_code == 404
    page = text(response)
    assert "<h1>Pagina niet gevonden</h1>" in page
    assert "Traceback" not in page


def test_pagination_links_keep_the_filters(web):
    page = text(web.get("/rechten?level=local&page=1"))
    assert re.search(r"3 rechten gevonden|3 rights found", page)
