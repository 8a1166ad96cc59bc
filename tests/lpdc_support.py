"""Shared helpers of the LPDC exchange tests (tests/test_lpdc_*.py)."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

from rdflib import RDF, Graph, Namespace, URIRef

from rechtenverkenner.catalog.loader import CatalogData
from rechtenverkenner.lpdc.mapping import REFERENCE_DIR, Geography, Place

DATA = Path(__file__).resolve().parent / "data" / "lpdc"
EXAMPLES = DATA / "examples"
EXAMPLE_FILES = (
    "instance-snapshot-ldes-page.json",
    "concept-snapshot.jsonld",
    "concept-snapshot-ldes-page.json",
    "ipdc-api-instantie.jsonld",
)
SH = Namespace("http://www.w3.org/ns/shacl#")
M8G = Namespace("http://data.europa.eu/m8g/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
LPDC = Namespace("https://productencatalogus.data.vlaanderen.be/ns/ipdc-lpdc#")
PAV_CREATED_BY = URIRef("http://purl.org/pav/createdBy")
DCT = Namespace("http://purl.org/dc/terms/")


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def reference_only(data: CatalogData) -> CatalogData:
    """The catalogue without rights and model entries: an empty catalogue with its reference
    data (municipalities, code lists, administrations, parameters)."""
    empty = copy.copy(data)
    empty.rights, empty.templates, empty.right_examples = {}, {}, {}
    return empty


def register_lpdc_api(app: Any) -> None:
    """Register the blueprint the way `api.init_app` will, once it lists it."""
    from rechtenverkenner.api import lpdc as lpdc_api
    from rechtenverkenner.extensions import api
    from rechtenverkenner.web.auth import csrf

    if "lpdc_api" not in app.blueprints:
        api.register_blueprint(lpdc_api.bp)
        csrf.exempt(lpdc_api.bp)


def geography() -> Geography:
    """The municipality table, read from catalog/reference (as `catalog load` fills it)."""
    vocab = json.loads((REFERENCE_DIR / "lpdc-vocabularies.json").read_text(encoding="utf-8"))
    nuts = {
        v["lau_nis"]: v["id"]
        for v in vocab["geografisch_toepassingsgebied"]["values"]
        if v.get("lau_nis")
    }
    places = {}
    with (REFERENCE_DIR / "be-municipalities.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            from datetime import date

            places[row["nis_code"]] = Place(
                nis=row["nis_code"],
                nuts=nuts.get(row["nis_code"]),
                arrondissement=row["arrondissement_nis"],
                province=row["province_nis"] or None,
                region=row["region"],
                valid_until=date.fromisoformat(row["valid_until"]) if row["valid_until"] else None,
                successor=row["successor_nis"] or None,
            )
    return Geography(places)


def relaxed_instance_shapes() -> Graph:
    """LPDC's instance shapes without the max-one requirement/procedure rule (catalogue model
    §11: LPDC and IPDC accept several; the shapes still say one)."""
    shapes = Graph().parse(DATA / "shacl" / "instantie-shape.ttl", format="turtle")
    for path in (
        URIRef("http://vocab.belgif.be/ns/publicservice#hasRequirement"),
        URIRef("http://purl.org/vocab/cpsv#follows"),
    ):
        for prop in list(shapes.subjects(SH.path, path)):
            shapes.remove((prop, SH.maxCount, None))
    return shapes


def reference_graph(organisations: list[str], concepts: list[str]) -> Graph:
    """What LPDC validates against besides the data: its code lists, the organisations it
    knows (ours), the concepts; plus the NUTS codes outside Flanders (real `skos:Concept`s of
    the EU NUTS/LAU scheme that LPDC's Flemish list does not carry)."""
    graph = Graph()
    for path in sorted((DATA / "codelists").glob("*.ttl")):
        graph.parse(path, format="turtle")
    graph.parse(DATA / "nuts-outside-flanders.ttl", format="turtle")
    for iri in organisations:
        graph.add((URIRef(iri), RDF.type, M8G.PublicOrganisation))
    for iri in concepts:
        graph.add((URIRef(iri), RDF.type, LPDC.ConceptualPublicService))
    return graph


def flemish_codes() -> set[str]:
    """Every spatial IRI of LPDC's own list (provinces and Flemish municipalities)."""
    vocab = json.loads((REFERENCE_DIR / "lpdc-vocabularies.json").read_text(encoding="utf-8"))
    return {v["uri"] for v in vocab["geografisch_toepassingsgebied"]["values"]}
