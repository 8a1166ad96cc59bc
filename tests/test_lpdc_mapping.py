"""Our fields <-> LPDC JSON-LD terms, without a database: languages, dates, codes, territory."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from lpdc_support import example, geography

from rechtenverkenner.lpdc import jsonld
from rechtenverkenner.lpdc.mapping import (
    ITEM_TEXTS,
    ImportProblem,
    authority_iri,
    date_from_lpdc,
    date_to_lpdc,
    dutch_preference,
    format_datetime,
    members_of,
    parse_datetime,
    pick_text,
    read_member,
    split_text,
    vocabularies,
)

GEO = geography()


def read(member, dutch="nl-BE-x-informal"):  # type: ignore[no-untyped-def]
    return read_member(member, vocab=vocabularies(), geography=GEO, dutch_variant=dutch)


@pytest.mark.parametrize(
    ("variant", "texts", "expected"),
    [
        # own register first, then its machine-made twin, then plain nl (catalogue model §5)
        ("nl-BE-x-informal", {"nl": "n", "nl-BE-x-informal": "je", "nl-BE-x-formal": "u"}, "je"),
        ("nl-BE-x-formal", {"nl": "n", "nl-BE-x-informal": "je", "nl-BE-x-formal": "u"}, "u"),
        ("nl-BE-x-informal", {"nl": "n", "nl-BE-x-generated-informal": "gen je"}, "gen je"),
        ("nl-BE-x-formal", {"nl": "n", "nl-be-x-generated-informal": "gen je"}, "n"),
        ("nl-BE-x-formal", {"NL-BE-X-INFORMAL": "je"}, "je"),  # tags compare in lower case
    ],
)
def test_the_dutch_text_follows_the_administrations_register(variant, texts, expected):
    node = {"naam": texts}
    picked, _ = pick_text(node, ITEM_TEXTS[0], dutch_preference(variant))
    assert picked["nl"] == expected


def test_french_goes_out_under_our_namespace_and_comes_back():
    lpdc, own = split_text({"nl": "Hallo", "fr": "Salut", "en": "Hi"}, "nl-BE-x-informal")
    assert lpdc == {"nl-BE-x-informal": "Hallo", "en": "Hi"}
    assert own == {"fr": "Salut"}
    node = {"naam": lpdc, "rvTitle": own}
    picked, used = pick_text(node, ITEM_TEXTS[0], dutch_preference("nl-BE-x-informal"))
    assert picked == {"nl": "Hallo", "en": "Hi", "fr": "Salut"}
    assert used == "nl-be-x-informal"


def test_descriptions_are_reduced_to_the_safe_html_subset():
    node = {"beschrijving": {"nl": '<p data-x="1">Tekst<script>alert(1)</script></p>'}}
    picked, _ = pick_text(node, ITEM_TEXTS[1], dutch_preference(None))
    assert picked["nl"] == "<p>Tekst</p>"


def test_datetimes_keep_microseconds_and_come_out_in_utc():
    parsed = parse_datetime("2023-07-12T11:40:20.026205561Z", "creatie")  # IPDC: nanoseconds
    assert parsed == datetime(2023, 7, 12, 11, 40, 20, 26205, tzinfo=UTC)
    assert format_datetime(parsed) == "2023-07-12T11:40:20.026205Z"
    assert format_datetime(datetime(2024, 1, 1, 12, 0)) == "2024-01-01T12:00:00Z"  # naive = UTC
    with pytest.raises(ImportProblem, match="creatie"):
        parse_datetime("yesterday", "creatie")


def test_start_and_end_dates_are_belgian_calendar_days():
    assert date_from_lpdc("2025-07-12T22:30:00Z", "eindeDienstVerlening") == date(2025, 7, 13)
    assert date_to_lpdc(date(2025, 1, 1)) == "2025-01-01T00:00:00+01:00"
    assert date_from_lpdc(date_to_lpdc(date(2025, 7, 1)), "x") == date(2025, 7, 1)


@pytest.mark.parametrize(
    ("value", "iri"),
    [
        ("OVO002514", "https://data.vlaanderen.be/id/organisatie/OVO002514"),
        ({"id": "OVO002514"}, "https://data.vlaanderen.be/id/organisatie/OVO002514"),  # IPDC API
        (
            {"@id": "http://data.lblod.info/id/bestuurseenheden/x"},
            "http://data.lblod.info/id/bestuurseenheden/x",
        ),
    ],
)
def test_authorities_are_read_in_every_form_lpdc_uses(value, iri):
    assert authority_iri(value, "bevoegdeOverheden") == iri


def test_a_name_is_no_authority():
    with pytest.raises(ImportProblem, match="bevoegdeOverheden"):
        authority_iri("Stad Gent", "bevoegdeOverheden")


@pytest.mark.parametrize(
    ("codes", "scope"),
    [
        (["BE23444021"], {"municipalities": ["44021"]}),
        # 2025 merger: Borsbeek (11007) is part of Antwerpen (11002) now
        (["http://data.europa.eu/nuts/code/BE21111007"], {"municipalities": ["11002"]}),
        # LPDC's code for merged Aalter does not end in its NIS code (44084)
        (["BE23444001"], {"municipalities": ["44084"]}),
        (["BE24"], {"provinces": ["20001"]}),
        (["BE21", "BE22", "BE23", "BE24", "BE25"], {"region": "flanders"}),
        (["BE"], {"region": "belgium"}),
        (["BE1", "BE25"], {"regions": ["brussels", "flanders"]}),
        (["BE10021004"], {"municipalities": ["21004"]}),
    ],
)
def test_nuts_and_lau_codes_become_our_territory(codes, scope):
    assert GEO.scope_from_spatial(codes) == scope


def test_an_arrondissement_stands_for_its_municipalities():
    scope = GEO.scope_from_spatial(["BE234"])  # arrondissement Gent
    assert "44021" in scope["municipalities"]
    assert all(GEO.active(nis) for nis in scope["municipalities"])


def test_unknown_and_missing_territory_is_refused():
    with pytest.raises(ImportProblem, match="unknown code 'XX123'"):
        GEO.scope_from_spatial(["XX123"])
    with pytest.raises(ImportProblem, match="at least one"):
        GEO.scope_from_spatial([])


@pytest.mark.parametrize(
    "scope",
    [
        {"municipalities": ["44021", "11002"]},
        {"provinces": ["20001"]},
        {"region": "flanders"},
        {"region": "belgium"},
        {"municipalities": ["21001", "21004"]},
    ],
)
def test_our_territory_survives_the_trip_through_lpdc_codes(scope):
    assert GEO.scope_from_spatial(GEO.spatial_from_scope(scope)) == {
        k: sorted(v) if isinstance(v, list) else v for k, v in scope.items()
    }


def test_unknown_codes_are_refused_with_the_term_named():
    member = example("instance-snapshot-ldes-page.json")["member"][0]
    with pytest.raises(ImportProblem, match="themas: unknown code 'Zwemmen'"):
        read({**member, "themas": ["Zwemmen"]})


def test_unknown_properties_and_ipdc_metadata_are_kept_apart():
    incoming = read(example("ipdc-api-instantie.jsonld"), "nl-BE-x-formal")
    assert incoming.extra == {
        "laatstOntvangen": "2024-04-24T14:10:00.72350311Z",
        "linkedConceptId": "a7cedff2-e87d-42ca-b491-27075b7e15c2",
        "linkedConceptProductnummer": "44618",
    }
    assert incoming.metadata["metadata"]["uJeVersie"] == "34.5.0"
    assert incoming.version_iri is None  # a current record, not a snapshot
    assert incoming.generated_at == datetime(2024, 4, 24, 14, 9, 32, 778000, tzinfo=UTC)


def test_records_come_from_ldes_pages_hydra_lists_graphs_and_single_files():
    member = {"@type": "Instantie", "@id": "http://x/1"}
    assert members_of({"member": [member]}) == [member]
    assert members_of({"@type": "Collection", "hydraMember": [member, member]}) == [member] * 2
    assert members_of({"@graph": [member]}) == [member]
    assert members_of([member, {"member": [member]}]) == [member, member]
    assert members_of(member) == [member]


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("http://hostname/ipdc-lpdc-im.jsonld", "ipdc-lpdc-im.jsonld"),
        ("http://ipdc-stub/ldes.jsonld", "ldes.jsonld"),
        ("https://x/y/hydra.jsonld?v=2", "hydra.jsonld"),
        ("https://x/ipdc-lpdc-im-hydra-ldes.jsonld", "ipdc-lpdc-im-hydra-ldes.jsonld"),
        ("http://ipdc-stub/ipdc-lpdc-im-that-does-not-exist.jsonld", "ipdc-lpdc-im.jsonld"),
    ],
)
def test_context_urls_map_to_the_local_copies(url, file):
    assert jsonld.context_file(url) == file


def test_the_example_pages_parse_as_rdf_with_the_local_contexts():
    graph = jsonld.to_graph(example("instance-snapshot-ldes-page.json"))
    titles = {str(o) for o in graph.objects(None, jsonld_term("http://purl.org/dc/terms/title"))}
    assert "Akte van Belgische nationaliteit" in titles


def jsonld_term(iri: str):  # type: ignore[no-untyped-def]
    from rdflib import URIRef

    return URIRef(iri)
