"""Export as an LPDC LDES and as CSV, on SQLite and PostgreSQL: the whole seed catalogue survives
export -> import into an empty catalogue -> export as the same RDF graph, and the export passes
LPDC's SHACL shapes (max-one requirement/procedure relaxed, catalogue model §11)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from lpdc_support import (
    DATA,
    DCT,
    EXAMPLE_FILES,
    SH,
    example,
    flemish_codes,
    reference_graph,
    reference_only,
    register_lpdc_api,
    relaxed_instance_shapes,
)
from pyshacl import validate
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from sqlmodel import select

from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.catalog.models import Administration, EntryTemplate, Right
from rechtenverkenner.catalog.services import load_catalog, published_right_documents
from rechtenverkenner.db import session_scope
from rechtenverkenner.lpdc.exporter import CSV_COLUMNS, _safe, right_members
from rechtenverkenner.lpdc.importer import import_document
from rechtenverkenner.lpdc.jsonld import to_graph
from rechtenverkenner.lpdc.mapping import export_context

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
STREAM = "http://localhost/api/v1/export/lpdc"


@pytest.fixture(scope="module")
def real_data():  # type: ignore[no-untyped-def]
    return read_catalog(CATALOG, run_examples=False)


def fresh_app(databases, data):  # type: ignore[no-untyped-def]
    from conftest import make_test_app

    app = make_test_app(databases.create(), CATALOG)
    with session_scope(app) as session:
        load_catalog(session=session, data=data)
    register_lpdc_api(app)
    return app


@pytest.fixture(scope="module")
def seeded(databases, real_data):  # type: ignore[no-untyped-def]
    """The whole seed catalogue (each back end)."""
    app = fresh_app(databases, real_data)
    yield app
    app.extensions["rv_engine"].dispose()


@pytest.fixture
def empty_catalogue(databases, real_data):  # type: ignore[no-untyped-def]
    """No rights and no model entries, only the reference data (each back end)."""
    app = fresh_app(databases, reference_only(real_data))
    yield app
    app.extensions["rv_engine"].dispose()


def api_pages(app) -> list[dict]:  # type: ignore[no-untyped-def]
    client = app.test_client()
    pages, number = [], 0
    while True:
        answer = client.get(f"/api/v1/export/lpdc?pageNumber={number}")
        if answer.status_code == 404:
            return pages
        assert answer.status_code == 200
        assert answer.mimetype == "application/ld+json"
        pages.append(answer.get_json())
        number += 1


def cli_pages(app, directory: Path) -> list[dict]:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(
        args=["lpdc", "export", str(directory), "--base-url", STREAM]
    )
    assert result.exit_code == 0, result.output
    files = sorted(directory.glob("page-*.json"), key=lambda p: int(p.stem.split("-")[1]))
    return [json.loads(p.read_text(encoding="utf-8")) for p in files]


def test_the_whole_seed_catalogue_survives_export_import_export(
    seeded, empty_catalogue, real_data, tmp_path
):
    first = cli_pages(seeded, tmp_path / "first")
    members = [m for page in first for m in page["member"]]
    assert len(members) == len(real_data.rights) == len({m["isVersionOf"] for m in members})
    result = empty_catalogue.test_cli_runner().invoke(
        args=["lpdc", "import", str(tmp_path / "first")]
    )
    assert result.exit_code == 0, result.output
    assert f"LPDC import: {len(members)} created, 0 updated, 0 unchanged, 0 rejected." in (
        result.output
    )
    second = api_pages(empty_catalogue)
    assert len(second) == len(first)
    before, after = to_graph(first), to_graph(second)
    if not isomorphic(before, after):  # pragma: no cover - shows what differs
        _, only_before, only_after = graph_diff(to_isomorphic(before), to_isomorphic(after))
        pytest.fail(
            "exports differ:\n"
            + "\n".join(f"- {t}" for t in sorted(only_before)[:10])
            + "\n"
            + "\n".join(f"+ {t}" for t in sorted(only_after)[:10])
        )
    assert len(before) > 5000
    # and importing the same stream again changes nothing
    with session_scope(empty_catalogue) as session:
        report = import_document(session=session, document=second)
    assert (len(report.unchanged), report.changed) == (len(members), False)


def test_the_export_passes_lpdcs_shapes(seeded):
    with session_scope(seeded) as session:
        members = right_members(session=session)
        organisations = [a.iri for a in session.exec(select(Administration))]
        concepts = [t.iri for t in session.exec(select(EntryTemplate))]
    turtle = to_graph({"@context": export_context(), "@graph": members}).serialize(format="turtle")
    data = Graph().parse(data=turtle, format="turtle")
    known = reference_graph(organisations, concepts)
    conforms, _, text = validate(
        data + known, shacl_graph=relaxed_instance_shapes(), inference="none"
    )
    assert conforms, text[:3000]
    # The shapes as published refuse more than one requirement or procedure, and nothing else.
    conforms, report, _ = validate(
        data + known,
        shacl_graph=Graph().parse(DATA / "shacl" / "instantie-shape.ttl", format="turtle"),
        inference="none",
    )
    paths = {str(report.value(r, SH.resultPath)) for r in report.subjects(SH.resultPath, None)}
    assert not conforms
    assert paths == {
        "http://vocab.belgif.be/ns/publicservice#hasRequirement",
        "http://purl.org/vocab/cpsv#follows",
    }
    # Within Flanders only LPDC's own codes are used; the extra NUTS codes are for federal,
    # all-Flemish-and-Brussels and Brussels rights.
    lpdc_codes = flemish_codes()
    by_iri = {m["@id"]: m for m in members}
    for version, code in data.subject_objects(DCT.spatial):
        scope = by_iri[str(version)]["rvScope"]
        if str(code) not in lpdc_codes:
            assert (
                scope.get("region") in ("belgium", "brussels")
                or "brussels" in scope.get("regions", [])
                or all(n.startswith("21") for n in scope.get("municipalities", []))
            ), scope


def test_the_ldes_is_paged_with_tree_relations(seeded):
    pages = api_pages(seeded)
    assert len(pages) >= 2
    first, second = pages[0], pages[1]
    assert first["@type"] == "EventStream"
    assert first["view"]["@id"] == f"{STREAM}?pageNumber=0"
    relation = first["view"]["relation"][0]
    assert relation["@type"] == "GreaterThanOrEqualToRelation"
    assert relation["node"] == f"{STREAM}?pageNumber=1"
    assert relation["value"] == first["member"][-1]["generatedAtTime"]
    assert second["view"]["relation"][0]["@type"] == "LessThanOrEqualToRelation"
    assert "relation" not in pages[-1]["view"] or all(
        r["@type"] == "LessThanOrEqualToRelation" for r in pages[-1]["view"]["relation"]
    )
    times = [m["generatedAtTime"] for p in pages for m in p["member"]]
    assert len(times) == len(set(m["@id"] for p in pages for m in p["member"]))
    client = seeded.test_client()
    assert client.get(f"/api/v1/export/lpdc?pageNumber={len(pages)}").status_code == 404
    assert client.get("/api/v1/export/lpdc?pageNumber=-1").status_code == 422


def test_a_member_speaks_lpdc_and_keeps_our_extensions_apart(seeded):
    with session_scope(seeded) as session:
        members = {m["rvSlug"]: m for m in right_members(session=session)}
    gent = members["gent-aanvullende-financiele-hulp"]
    assert gent["@type"] == "InstantieSnapshot"
    assert gent["naam"] == {
        "nl-BE-x-informal": "Aanvullende financiële hulp van OCMW Gent",
        "en": "Supplementary financial help from the OCMW of Ghent",
    }
    assert gent["rvTitle"] == {"fr": "Aide financière complémentaire du CPAS de Gand"}
    assert gent["geografischToepassingsgebieden"] == ["BE23444021"]
    assert gent["bevoegdeOverheden"] == [
        "http://data.lblod.info/id/bestuurseenheden/c5623baf3970c5efa9746dff01afd43092c1321a47316dbe81ed79604b56e8ea"
    ]
    assert gent["rvCriteria"][0] == {
        "kind": "residence",
        "municipalities": ["44021"],
        "requirement": 1,
    }
    assert "low_income" in gent["rvSituations"]
    assert gent["voorwaarden"][0]["bewijs"]["naam"] == {
        "nl-BE-x-informal": "Identiteitskaart en samenstelling van het gezin"
    }
    flanders = members["vlaamse-huurpremie"]
    assert flanders["geografischToepassingsgebieden"] == ["BE21", "BE24", "BE25", "BE23", "BE22"]
    text = json.dumps(list(members.values()))
    assert "-x-generated" not in text  # never a machine-made language tag (§5)


def test_imported_lpdc_data_goes_out_as_it_came_in(databases, mini_catalog):
    """Unknown properties and the NUTS codes as received travel on; IPDC's read-only fields
    stay home; importing our own export again changes nothing."""
    from conftest import make_test_app

    app = make_test_app(databases.create(), mini_catalog)
    with session_scope(app) as session:
        load_catalog(session=session, data=read_catalog(mini_catalog, run_examples=False))
    for name in EXAMPLE_FILES:
        with session_scope(app) as session:
            import_document(session=session, document=example(name))
    with session_scope(app) as session:
        members = {m["isVersionOf"]: m for m in right_members(session=session)}
    akte = members["http://data.lblod.info/id/public-service/c31c343e-836c-4674-8efa-991cc2078493"]
    assert akte["geografischToepassingsgebieden"] == ["BE234", "BE23444021"]
    assert akte["startDienstVerlening"] == "2020-08-26T11:40:20.026205Z"
    assert akte["linkedConcept"] == (
        "https://ipdc.tni-vlaanderen.be/id/concept/705d401c-1a41-4802-a863-b22499f71b84"
    )
    diest = members["http://data.lblod.info/id/public-service/aae82967-fd21-4a05-a870-7d2b43f4d443"]
    assert diest["laatstOntvangen"] == "2024-04-24T14:10:00.72350311Z"
    assert "metadata" not in diest
    assert "publicatieLink" not in diest
    assert diest["naam"]["nl-BE-x-formal"].startswith("Volledig ingevulde test")
    archived = [m for m in members.values() if m["gearchiveerd"]]
    assert [m["naam"] for m in archived] == [{"nl-BE-x-informal": "Instantie die gearchiveerd is"}]
    with session_scope(app) as session:
        report = import_document(session=session, document={"member": list(members.values())})
    assert len(report.unchanged) == len(members)
    assert not report.changed
    app.extensions["rv_engine"].dispose()


def test_the_csv_has_one_row_per_published_right(seeded, tmp_path):
    target = tmp_path / "rechten.csv"
    result = seeded.test_cli_runner().invoke(args=["lpdc", "csv", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    with session_scope(seeded) as session:
        published = published_right_documents(session=session)
        federal = session.exec(select(Right).where(Right.slug == "leefloon")).one()
    assert len(rows) == len(published)
    assert tuple(rows[0]) == CSV_COLUMNS
    leefloon = next(r for r in rows if r["slug"] == "leefloon")
    assert leefloon["title_nl"] == federal.title["nl"]
    assert (leefloon["level"], leefloon["territory"]) == ("federal", "België")
    gent = next(r for r in rows if r["slug"] == "gent-aanvullende-financiele-hulp")
    assert (gent["territory"], gent["nis_codes"], gent["owner"]) == ("Gent", "44021", "OCMW Gent")
    answer = seeded.test_client().get("/api/v1/export/csv?sep=,")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    api_rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["slug"] for r in api_rows] == [r["slug"] for r in rows]
    assert api_rows[0]["page"].startswith("http://localhost/rechten/")


def test_a_spreadsheet_never_runs_a_cell():
    assert _safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _safe("-5") == "'-5"
    assert _safe("Gent") == "Gent"
    assert _safe(None) == ""
