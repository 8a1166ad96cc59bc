"""Search on the real catalogue: the examples social workers type find the right rights."""

from __future__ import annotations

import pytest

from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.catalog.services import load_catalog
from rechtenverkenner.db import session_scope, upgrade_database
from tests.conftest import REPO, make_test_app


@pytest.fixture(scope="module")
def real(tmp_path_factory):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path_factory.mktemp('real') / 'real.sqlite3'}"
    upgrade_database(url)
    app = make_test_app(url, REPO / "catalog")
    with session_scope(app) as session:
        load_catalog(session=session, data=read_catalog(REPO / "catalog"))
    yield app.test_client()
    app.extensions["rv_engine"].dispose()


def search(client, query: str, **params) -> dict:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/rights", query_string={"q": query, "per_page": 20, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def slugs(body: dict) -> list[str]:
    return [item["slug"] for item in body["items"]]


def test_leeflon_finds_leefloon_first(real):
    body = search(real, "leeflon")
    assert slugs(body)[0] == "leefloon"
    assert body["did_you_mean"] == "leefloon"


def test_huurpremi_gent_finds_the_huurpremie_for_people_in_gent(real):
    body = search(real, "huurpremi gent")
    assert "vlaamse-huurpremie" in slugs(body)[:3]
    assert [m["nis_code"] for m in body["municipalities"]] == ["44021"]
    assert not any(s.startswith("antwerpen-") for s in slugs(body))


@pytest.mark.parametrize("query", ["9000", "Gent", "gent"])
def test_a_postcode_or_name_filters_to_gent(real, query):
    body = search(real, query, per_page=100)
    assert [m["nis_code"] for m in body["municipalities"]] == ["44021"]
    found = slugs(body)
    assert found[0].startswith("gent-")  # Gent's own rights first
    assert "leefloon" in found
    assert not any(s.startswith(("antwerpen-", "kortrijk-")) for s in found)


def test_verhoogde_tegemoedkoming_with_a_typo(real):
    body = search(real, "verhoogde tegemoedkoming")
    assert slugs(body)[0] == "verhoogde-tegemoetkoming"
    assert body["did_you_mean"] == "verhoogde tegemoetkoming"


def test_a_situation_in_many_words(real):
    found = slugs(search(real, "korting energie alleenstaande moeder"))
    assert "sociaal-tarief-energie" in found[:5]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("MAF", "maximumfactuur"),
        ("IT", "it"),
        ("revenu d'intégration", "leefloon"),
        ("allocations familiales", "groeipakket-basisbedrag"),
        ("stookolie", "verwarmingstoelage-stookoliefonds"),
        ("mazout", "verwarmingstoelage-stookoliefonds"),
        ("huursubsidie", "vlaamse-huursubsidie"),
        ("studiebeurs", "studietoelage-hoger-onderwijs"),
        ("omnio", "verhoogde-tegemoetkoming"),
    ],
)
def test_synonyms_abbreviations_and_french_words(real, query, expected):
    assert expected in slugs(search(real, query))[:3]


def test_prefix_of_the_last_word(real):
    assert "maximumfactuur" in slugs(search(real, "maximumfac"))[:1]


def test_search_answers_with_facets(real):
    body = search(real, "korting")
    assert body["total"] > 5
    assert sum(body["facets"]["level"].values()) == body["total"]
    narrowed = search(real, "korting", level="local")
    assert narrowed["facets"]["level"] == body["facets"]["level"]  # own filter not applied
    assert narrowed["total"] == body["facets"]["level"]["local"]


def test_nonsense_finds_nothing_and_says_so(real):
    body = search(real, "qqqzzzxx")
    assert body["total"] == 0
    assert body["items"] == []


def test_results_page_highlights_and_offers_did_you_mean(real):
    page = real.get("/rechten?q=leeflon").get_data(as_text=True)
    assert "<mark>Leefloon</mark>" in page
    assert "Bedoel je" in page or "Did you mean" in page
    assert 'name="theme"' in page  # facets as checkboxes


def test_results_partial_for_live_updates(real):
    partial = real.get("/rechten?q=huurpremie&partial=1").get_data(as_text=True)
    assert "<html" not in partial
    assert "huurpremie" in partial.lower()


def test_municipality_is_remembered_and_can_be_cleared(tmp_path):
    from tests.conftest import build_mini_catalog

    catalog = build_mini_catalog(tmp_path / "catalog")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade_database(url)
    app = make_test_app(url, catalog)
    with session_scope(app) as session:
        load_catalog(session=session, data=read_catalog(catalog))
    client = app.test_client()
    client.get("/rechten?municipality=9000")
    remembered = client.get("/rechten").get_data(as_text=True)
    assert "Gents testrecht" in remembered
    assert "Antwerps testrecht" not in remembered
    cleared = client.get("/rechten?municipality=").get_data(as_text=True)
    assert "Antwerps testrecht" in cleared
    assert "Antwerps testrecht" in client.get("/rechten").get_data(as_text=True)
    app.extensions["rv_engine"].dispose()


def test_print_sheet_of_chosen_rights(real):
    page = real.get("/rechten/afdrukken?r=leefloon&r=verhoogde-tegemoetkoming")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h2>Leefloon" in text
    assert "Verhoogde tegemoetkoming" in text
    assert real.get("/rechten/afdrukken").status_code == 302


def test_a_repeated_search_is_answered_from_the_snapshot_cache(real):  # type: ignore[no-untyped-def]
    from rechtenverkenner.catalog.queries import RightFilters, filter_rights
    from rechtenverkenner.catalog.snapshot import build_snapshot
    from rechtenverkenner.db import session_scope

    with session_scope(real.application) as session:
        snapshot = build_snapshot(session=session)
    first = filter_rights(snapshot, RightFilters(q="huurpremie", municipality="9000"))
    again = filter_rights(snapshot, RightFilters(q="huurpremie", municipality="9000"))
    other = filter_rights(snapshot, RightFilters(q="huurpremie", municipality="2000"))
    assert again is first
    assert other is not first
    with session_scope(real.application) as session:
        fresh = build_snapshot(session=session)  # a new catalogue version starts empty
    assert filter_rights(fresh, RightFilters(q="huurpremie", municipality="9000")) is not first
