"""LPDC import: 10,000 generated instance snapshots (seeded) into an empty catalogue.

The instances look like a first synchronisation of many cities: full texts in the informal
register and English, 1-4 requirements with evidence, procedures with websites, costs,
financial advantages, legal resources, contact points with an address, codes of every list,
a municipality of the 2025 list as territory, and owners drawn from LPDC's organisation list
(so the import also adds the administrations it did not know). They are written as LDES pages
of 500 members and imported page by page, each page one transaction, as `flask lpdc import DIR`
does. Baseline in the same run: plain `json.loads` of the same pages.

Run: `python -m bench lpdc`; RV_BENCH_LPDC_INSTANCES for another count (default 10,000),
RV_BENCH_DATABASE_URL for another database (default: a temporary SQLite file).
Goal (issue 7): under 60 s for 10,000 instances.
"""

from __future__ import annotations

import copy
import json
import os
import random
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlmodel import Session, func, select

from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.catalog.models import Administration, RecordItem, Right
from rechtenverkenner.catalog.services import load_catalog
from rechtenverkenner.db import make_engine, upgrade_database
from rechtenverkenner.lpdc.importer import import_document
from rechtenverkenner.lpdc.mapping import organisations

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
PAGE = 500
WORDS = [
    "premie",
    "toelage",
    "tussenkomst",
    "korting",
    "pas",
    "tarief",
    "steun",
    "hulp",
    "begeleiding",
    "huur",
    "energie",
    "water",
    "school",
    "kinderen",
    "ouderen",
    "mantelzorg",
    "handicap",
    "vrije",
    "tijd",
    "sport",
    "cultuur",
    "vervoer",
    "verwarming",
    "gezondheid",
    "voeding",
    "kledij",
    "studie",
    "opvang",
    "afval",
    "fiets",
    "woning",
    "renovatie",
    "schulden",
    "budget",
]
THEMES = ["WelzijnGezondheid", "BouwenWonen", "CultuurSportVrijeTijd", "MilieuEnergie"]
TYPES = ["FinancieelVoordeel", "AdviesBegeleiding", "Toelating", "Voorwerp"]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _texts(rng: random.Random, words: int, html: bool = False) -> dict[str, str]:
    nl, en = _text(rng, words), _text(rng, words)
    if html:
        nl, en = f"<p>{nl}.</p><ul><li>{_text(rng, 6)}</li></ul>", f"<p>{en}.</p>"
    return {"nl-BE-x-informal": nl, "en": en}


def _item(rng: random.Random, kind: str, order: int, **extra: Any) -> dict[str, Any]:
    return {
        "@type": kind,
        "naam": _texts(rng, 4),
        "beschrijving": _texts(rng, 30, html=True),
        "order": order,
        **extra,
    }


def _website(rng: random.Random, order: int) -> dict[str, Any]:
    return {
        "@type": "Website",
        "naam": _texts(rng, 3),
        "url": f"https://www.example.be/{uuid.UUID(int=rng.getrandbits(128))}",
        "order": order,
    }


def instance(rng: random.Random, owners: list[str], places: list[str]) -> dict[str, Any]:
    """One LPDC instance snapshot, filled in the way LPDC fills it."""
    record = f"http://data.lblod.info/id/public-service/{uuid.UUID(int=rng.getrandbits(128))}"
    version = (
        f"http://data.lblod.info/id/public-service-snapshot/{uuid.UUID(int=rng.getrandbits(128))}"
    )
    owner = rng.choice(owners)
    day = rng.randint(1, 28)
    return {
        "@id": version,
        "@type": "InstantieSnapshot",
        "isVersionOf": record,
        "aangemaaktDoor": owner,
        "creatie": f"2024-02-{day:02d}T10:00:00.123Z",
        "laatstGewijzigd": f"2024-03-{day:02d}T11:30:00.456Z",
        "generatedAtTime": f"2024-03-{day:02d}T12:{rng.randint(0, 59):02d}:00.789Z",
        "naam": _texts(rng, 5),
        "beschrijving": _texts(rng, 60, html=True),
        "verdereBeschrijving": _texts(rng, 40, html=True),
        "voorwaarden": [
            _item(rng, "Voorwaarde", i, bewijs=_item(rng, "Bewijs", 0) | {"order": None})
            for i in range(rng.randint(1, 4))
        ],
        "procedures": [
            _item(
                rng, "Procedure", i, websites=[_website(rng, j) for j in range(rng.randint(0, 2))]
            )
            for i in range(rng.randint(1, 2))
        ],
        "kosten": [_item(rng, "Kost", i) for i in range(rng.randint(0, 2))],
        "financieleVoordelen": [
            _item(rng, "FinancieelVoordeel", i) for i in range(rng.randint(0, 2))
        ],
        "regelgeving": [
            {"@type": "Regelgeving", "url": "https://codex.vlaanderen.be/x", "order": 0}
        ],
        "websites": [_website(rng, i) for i in range(rng.randint(0, 3))],
        "contactgegevens": [
            {
                "@type": "Contactgegevens",
                "email": "info@example.be",
                "telefoonnummer": "+32 9 123 45 67",
                "url": "https://www.example.be",
                "openingsuren": "Mo-Fr 09:00-12:00",
                "order": 0,
                "adres": {
                    "@type": "Adres",
                    "straatnaam": {"nl": "Marktplein"},
                    "huisnummer": str(rng.randint(1, 200)),
                    "postcode": "9000",
                    "gemeentenaam": {"nl": "Gent"},
                    "land": {"nl": "België"},
                },
            }
        ],
        "type": rng.choice(TYPES),
        "doelgroepen": ["Burger"],
        "themas": rng.sample(THEMES, 2),
        "talen": ["NLD"],
        "bevoegdBestuursniveaus": ["Lokaal"],
        "bevoegdeOverheden": [owner],
        "uitvoerendBestuursniveaus": ["Lokaal"],
        "uitvoerendeOverheden": [owner],
        "geografischToepassingsgebieden": [rng.choice(places)],
        "zoektermen": {"nl": [rng.choice(WORDS) for _ in range(4)]},
        "startDienstVerlening": "2024-01-01T00:00:00Z",
        "gearchiveerd": False,
    }


def generate(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    orgs = organisations()
    owners = sorted(
        o.iri for o in orgs.by_iri.values() if o.kind in ("municipality", "ocmw") and o.level
    )
    vocab = json.loads((CATALOG / "reference" / "lpdc-vocabularies.json").read_text("utf-8"))
    places = sorted(
        v["id"]
        for v in vocab["geografisch_toepassingsgebied"]["values"]
        if v.get("lau_nis") and not v.get("valid_until")
    )
    return [instance(rng, owners, places) for _ in range(count)]


def pages(members: list[dict[str, Any]]) -> list[str]:
    out = []
    for start in range(0, len(members), PAGE):
        page = {
            "@context": [
                "https://example.org/ipdc-lpdc-im.jsonld",
                "https://example.org/ldes.jsonld",
            ],
            "@id": f"https://example.org/instancesnapshot?pageNumber={start // PAGE}",
            "@type": "EventStream",
            "member": members[start : start + PAGE],
        }
        out.append(json.dumps(page, ensure_ascii=False))
    return out


def main() -> None:
    count = int(os.environ.get("RV_BENCH_LPDC_INSTANCES", "10000"))
    start = time.perf_counter()
    texts = pages(generate(count))
    generate_s = time.perf_counter() - start
    size_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    start = time.perf_counter()
    for text in texts:
        json.loads(text)
    parse_s = time.perf_counter() - start

    data = read_catalog(CATALOG, run_examples=False)
    reference = copy.copy(data)
    reference.rights, reference.templates, reference.right_examples = {}, {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("RV_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/lpdc.sqlite3"
        upgrade_database(url)
        engine = make_engine(url)
        with Session(engine) as session:
            load_catalog(session=session, data=reference)
            session.commit()
        counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        start = time.perf_counter()
        for text in texts:
            with Session(engine) as session:
                report = import_document(session=session, document=json.loads(text))
                session.commit()
            for name in counts:
                counts[name] += len(getattr(report, name))
        import_s = time.perf_counter() - start
        with Session(engine) as session:
            rights = session.exec(select(func.count()).select_from(Right)).one()
            items = session.exec(select(func.count()).select_from(RecordItem)).one()
            admins = session.exec(select(func.count()).select_from(Administration)).one()
        engine.dispose()
    backend = url.split(":", 1)[0]
    print(
        f"lpdc: {count:,} generated instance snapshots (seed 7), {len(texts)} LDES pages, "
        f"{size_mb:.1f} MB, {backend}"
    )
    print(f"  generation (not counted)     {generate_s:8.2f} s")
    print(
        f"  import                       {import_s:8.2f} s  ({count / import_s:,.0f} records/s; "
        "goal: < 60 s for 10,000)"
    )
    print(f"  baseline, json.loads only    {parse_s:8.2f} s")
    print(f"  import / json.loads          {import_s / parse_s:8.1f}x")
    print("  report: " + ", ".join(f"{n} {v:,}" for n, v in counts.items()))
    print(
        f"  in the database: {rights:,} rights, {items:,} child items, {admins:,} administrations"
    )
