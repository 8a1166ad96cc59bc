"""The catalogue API answers as api.md says, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest


def slugs(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {item["slug"] for item in response.get_json()["items"]}


def test_postcode_9000_lists_gent_local_with_flemish_and_federal_rights(client):
    response = client.get("/api/v1/rights?municipality=9000")
    assert response.status_code == 200
    found = slugs(response)
    assert {"gent-testrecht", "vlaams-testrecht", "federaal-testrecht"} <= found
    assert "antwerpen-testrecht" not in found
    assert "brussel-testrecht" not in found
    assert "provinciaal-testrecht" not in found  # Gent is in Oost-Vlaanderen
    body = response.get_json()
    assert [m["nis_code"] for m in body["municipalities"]] == ["44021"]


def test_nis_code_and_name_resolve_like_the_postcode(client):
    by_postcode = slugs(client.get("/api/v1/rights?municipality=9000"))
    assert slugs(client.get("/api/v1/rights?municipality=44021")) == by_postcode
    assert slugs(client.get("/api/v1/rights?municipality=Gand")) == by_postcode


def test_shared_postcode_names_both_municipalities(client):
    body = client.get("/api/v1/rights?municipality=1030").get_json()
    named = {m["nis_code"]: m["name"] for m in body["municipalities"]}
    assert named == {"21004": "Brussel", "21015": "Schaarbeek"}
    found = {item["slug"] for item in body["items"]}
    assert "brussel-testrecht" in found  # applies in one of the two
    assert "vlaams-testrecht" not in found  # Flanders only


def test_provincial_right_applies_in_its_province(client):
    assert "provinciaal-testrecht" in slugs(client.get("/api/v1/rights?municipality=3000"))


def test_old_nis_code_resolves_to_the_merged_municipality(client):
    # Kortessem (73040) merged into Hasselt (71072) on 2025-01-01.
    body = client.get("/api/v1/rights?municipality=73040").get_json()
    assert [m["nis_code"] for m in body["municipalities"]] == ["71072"]


def test_unknown_municipality_is_a_422_naming_the_field(client):
    response = client.get("/api/v1/rights?municipality=9999")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422
    assert body["status"] == "Unprocessable Entity"
    assert "municipality" in body["errors"]


@pytest.mark.parametrize(
    "query", ["per_page=0", "per_page=101", "page=0", "level=galactic", "page=abc"]
)
def test_bad_arguments_are_422_not_500(client, query):
    response = client.get(f"/api/v1/rights?{query}")
    assert response.status_code == 422
    body = response.get_json()
    assert set(body) == {"code", "status", "message", "errors"}
    assert body["errors"]


def test_filters_are_or_within_and_across(client):
    both = slugs(client.get("/api/v1/rights?level=federal&level=flemish"))
    assert both == {"federaal-testrecht", "vlaams-testrecht"}
    narrowed = slugs(
        client.get("/api/v1/rights?level=federal&level=flemish&theme=OnderwijsWetenschap")
    )
    assert narrowed == {"vlaams-testrecht"}


def test_facets_count_with_every_filter_but_their_own(client):
    body = client.get("/api/v1/rights?level=local").get_json()
    assert body["total"] == 3
    assert body["facets"]["level"]["federal"] == 1  # other levels still counted
    assert body["facets"]["level"]["local"] == 3
    assert body["facets"]["theme"] == {"CultuurSportVrijeTijd": 3}


def test_free_text_matches_words_and_prefixes(client):
    assert slugs(client.get("/api/v1/rights?q=huurpremie")) == {"federaal-testrecht"}
    assert "gent-testrecht" in slugs(client.get("/api/v1/rights?q=gent"))
    assert slugs(client.get("/api/v1/rights?q=xyzzy")) == set()


def test_pagination_carries_total_page_and_per_page(client):
    body = client.get("/api/v1/rights?per_page=2&page=2").get_json()
    assert (body["total"], body["page"], body["per_page"]) == (6, 2, 2)
    assert len(body["items"]) == 2


def test_detail_has_every_section_criteria_and_sentences(client):
    body = client.get("/api/v1/rights/federaal-testrecht?lang=fr").get_json()
    assert body["title"] == "Droit fédéral de test"
    assert body["lang"] == "fr"
    assert "<script>" not in body["description"]
    assert body["criteria"][1]["kind"] == "income_below"
    sentence = body["conditions"][1]["text"]
    assert "21 000,00 euro" in sentence or "21\u202f000,00 euro" in sentence
    assert body["financial_advantages"][0]["amount"]["value"] == "21000.00"
    assert body["competent_authorities"][0]["ovo"] == "OVO027345"
    assert body["versions"][0]["number"] == 1
    for key in (
        "requirements",
        "procedures",
        "costs",
        "legal_resources",
        "more_info",
        "contact_points",
        "sources",
        "last_checked",
        "scope",
        "iri",
    ):
        assert key in body


def test_detail_falls_back_to_dutch_and_says_so(client):
    body = client.get("/api/v1/rights/gent-testrecht?lang=fr").get_json()
    assert body["title"] == "Droit gantois de test"
    assert body["description"].startswith("<p>Een lokale korting")  # only in Dutch


def test_detail_by_id_and_unknown_right(client):
    by_slug = client.get("/api/v1/rights/gent-testrecht").get_json()
    assert client.get(f"/api/v1/rights/{by_slug['id']}").get_json()["slug"] == "gent-testrecht"
    missing = client.get("/api/v1/rights/bestaat-niet")
    assert missing.status_code == 404
    assert missing.get_json()["code"] == 404


def test_versions_endpoint_returns_complete_versions(client):
    body = client.get("/api/v1/rights/gent-testrecht/versions").get_json()
    assert body["total"] == 1
    assert body["items"][0]["data"]["title"]["nl"] == "Gents testrecht"
    assert body["items"][0]["data"]["contact_points"][0]["phone"] == "09 210 10 10"


def test_municipalities_by_postcode_name_and_nis(client):
    body = client.get("/api/v1/municipalities?q=9000").get_json()
    assert [m["nis_code"] for m in body["items"]] == ["44021"]
    assert "9000" in body["items"][0]["postcodes"]
    assert (
        client.get("/api/v1/municipalities?q=hasselt").get_json()["items"][0]["nis_code"] == "71072"
    )
    everything = client.get("/api/v1/municipalities?per_page=100").get_json()
    assert everything["total"] == 565  # active on 2025-01-01


def test_vocabularies_have_labels_in_three_languages(client):
    body = client.get("/api/v1/vocabularies").get_json()
    for group in ("themes", "situations", "levels", "product_types"):
        for term in body[group]:
            assert {"nl", "fr", "en"} <= set(term["label"]), (group, term["code"])
    kinds = {k["kind"] for k in body["condition_kinds"]}
    assert {"age", "residence", "income_below", "social_investigation"} <= kinds


def test_templates_list_and_detail(client):
    body = client.get("/api/v1/templates").get_json()
    assert [t["slug"] for t in body["items"]] == ["testmodel"]
    detail = client.get("/api/v1/templates/testmodel?lang=en").get_json()
    assert detail["title"] == "Test model"
    assert client.get("/api/v1/templates/nope").status_code == 404


def test_openapi_document_describes_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/rights",
        "/api/v1/rights/{key}",
        "/api/v1/municipalities",
        "/api/v1/vocabularies",
        "/api/v1/templates",
    ):
        assert path in spec["paths"]


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz").get_json()
    assert ready["status"] == "ok"
    assert ready["rights"] == 6


def test_readiness_fails_without_a_catalogue(empty_app):
    response = empty_app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"]


def test_database_down_is_a_503_with_retry_after(mini_catalog, tmp_path):
    from tests.conftest import make_test_app

    app = make_test_app(f"sqlite:///{tmp_path}/missing/dir/db.sqlite3", mini_catalog)
    api = app.test_client().get("/api/v1/rights")
    assert api.status_code == 503
    assert api.headers["Retry-After"]
    assert api.get_json()["code"] == 503
    page = app.test_client().get("/rechten")
    assert page.status_code == 503
    assert "<html" in page.get_data(as_text=True)
    assert app.test_client().get("/readyz").status_code == 503
