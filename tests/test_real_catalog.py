"""The real `catalog/` loads end to end and holds what the product promises."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.catalog.services import load_catalog
from rechtenverkenner.db import session_scope

TODAY = date(2026, 11, 28)  # the day the catalogue was last reviewed as a whole
CATALOG = Path(__file__).resolve().parent.parent / "catalog"
CENTRUMSTEDEN = {
    "41002": "Aalst",
    "11002": "Antwerpen",
    "31005": "Brugge",
    "71016": "Genk",
    "44021": "Gent",
    "71072": "Hasselt",
    "34022": "Kortrijk",
    "24062": "Leuven",
    "12025": "Mechelen",
    "35013": "Oostende",
    "36015": "Roeselare",
    "46021": "Sint-Niklaas",
    "13040": "Turnhout",
}


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return read_catalog(CATALOG)


def test_catalogue_has_at_least_60_rights_and_10_model_entries(data):
    assert len(data.rights) >= 60
    assert len(data.templates) >= 10
    levels = Counter(r["level"] for r in data.rights.values())
    assert levels["federal"] + levels["flemish"] >= 25


def test_every_centrumstad_and_the_vgc_has_two_current_local_rights(data):
    local = Counter()
    for right in data.rights.values():
        if right["level"] != "local" or (right.get("end_date") and right["end_date"] < TODAY):
            continue
        owners = {data.administrations[a]["kind"] for a in right["competent_authorities"]}
        if "vgc" in owners:
            local["VGC"] += 1
            continue
        for nis in right["scope"].get("municipalities", []):
            if nis in CENTRUMSTEDEN:
                local[CENTRUMSTEDEN[nis]] += 1
    for name in [*CENTRUMSTEDEN.values(), "VGC"]:
        assert local[name] >= 2, f"{name} has {local[name]} local rights"


def test_administrations_cover_centrumsteden_their_ocmws_and_the_vgc(data):
    kinds = Counter((a["kind"], a.get("municipality")) for a in data.administrations.values())
    for nis in CENTRUMSTEDEN:
        assert kinds[("municipality", nis)] == 1
        assert kinds[("ocmw", nis)] == 1
    assert any(a["kind"] == "vgc" and a["ovo"] for a in data.administrations.values())


def test_every_right_keeps_sources_a_check_date_and_translations(data):
    for slug, right in data.rights.items():
        assert right["sources"], slug
        assert right["last_checked"], slug
        for field in ("title", "summary"):
            assert {"nl", "fr", "en"} <= set(right[field]), (slug, field)


def test_most_rights_have_structured_criteria(data):
    with_criteria = [s for s, r in data.rights.items() if r["criteria"]]
    assert len(with_criteria) >= 0.9 * len(data.rights)


def test_municipalities_include_the_2025_mergers(data):
    active = [m for m in data.municipalities if m["valid_until"] is None]
    assert len(active) == 565
    flemish = [m for m in active if m["region"] == "flanders"]
    assert len(flemish) == 285
    assert all(m["nuts_code"] for m in flemish)


def test_real_catalogue_loads_and_answers_for_gent(empty_app, data):
    with session_scope(empty_app) as session:
        report = load_catalog(session=session, data=data)
    assert report.created["rights"] == len(data.rights)
    client = empty_app.test_client()
    body = client.get("/api/v1/rights?municipality=9000&per_page=100").get_json()
    found = {item["slug"]: item for item in body["items"]}
    assert any(s.startswith("gent-") for s in found)
    assert not any(s.startswith("antwerpen-") for s in found)
    assert "leefloon" in found
    levels = {item["level"] for item in found.values()}
    assert {"local", "flemish", "federal"} <= levels
    with session_scope(empty_app) as session:
        assert not load_catalog(session=session, data=data).changed
    for slug in list(data.rights)[:80]:
        assert client.get(f"/rechten/{slug}").status_code == 200, slug
