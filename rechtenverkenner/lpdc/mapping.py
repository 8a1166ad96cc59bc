"""Our record fields <-> LPDC/IPDC JSON-LD terms and codes (catalogue model §3-§8, §11).

Pure data in, pure data out: no Flask, no database. The importer hands in what it looked up
(the municipalities, the code lists) and gets plain dicts back; the exporter does the reverse.

Reading follows the official context `ipdc-lpdc-im.jsonld` (Dutch term names, code fields as
short ids under a per-property `@base`), whatever `@context` a file names: IPDC's own test data
embeds an outdated context that would turn the language maps into empty nodes. Language maps
are read as the spec says (§5): the Dutch variant of the administration's u/je choice, then the
machine-made one, then plain `nl`; tags are compared in lower case. What we do not model is kept
as received (`extra`) and written back on export; IPDC-only read fields (`publicatieLink`,
`metadata`) are kept as metadata and never sent.

Writing produces LPDC instance snapshots: one Dutch value per text, tagged with the right's
variant (never a generated tag), English as `en`. LPDC's shapes only allow en and Dutch, so our
French and German texts, and everything that is ours alone (summary, structured conditions,
situations "Voor wie", scope, sources, ...), go out under our own namespace
(`https://rechtenverkenner.vlaanderen.be/ns#`), which receivers ignore.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..catalog.schemas import ACCESS, CONFIDENCES, LEVELS, clean_html

REFERENCE_DIR = Path(__file__).resolve().parent.parent.parent / "catalog" / "reference"
LPDC_REFERENCE_DIR = REFERENCE_DIR / "lpdc"

LPDC_NS = "https://productencatalogus.data.vlaanderen.be/ns/ipdc-lpdc#"
CONCEPT_BASE = "https://productencatalogus.data.vlaanderen.be/id/concept/"
ORGANISATION_BASE = "https://data.vlaanderen.be/id/organisatie/"
NUTS_BASE = "http://data.europa.eu/nuts/code/"
LANGUAGE_BASE = "http://publications.europa.eu/resource/authority/language/"
RV_NS = "https://rechtenverkenner.vlaanderen.be/ns#"
SITUATION_BASE = "https://rechtenverkenner.vlaanderen.be/id/concept/Situatie/"

# The official context our export names: the instance terms with the LDES and Hydra ones (the
# same definitions as ipdc-lpdc-im.jsonld and ldes.jsonld). The importer maps it, and any URL
# ending in one of the LPDC context file names, to the copies in catalog/reference/lpdc/.
OFFICIAL_CONTEXT_URL = (
    "https://raw.githubusercontent.com/Informatievlaanderen/ipdc-lpdc/main/jsonld/"
    "ipdc-lpdc-im-hydra-ldes.jsonld"
)

# The LDES paths are IRIs (the context types them `@id`): absolute, so no base is needed.
GENERATED_AT_PATH = "http://www.w3.org/ns/prov#generatedAtTime"
VERSION_OF_PATH = "http://purl.org/dc/terms/isVersionOf"

# Our own terms, sent inline after the official context (catalogue model §7).
OWN_CONTEXT: dict[str, Any] = {
    "rv": RV_NS,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rvSlug": "rv:slug",
    "rvSummary": {"@id": "rv:summary", "@container": "@language"},
    "rvTitle": {"@id": "rv:title", "@container": "@language"},
    "rvDescription": {"@id": "rv:description", "@container": "@language"},
    "rvAdditionalDescription": {"@id": "rv:additionalDescription", "@container": "@language"},
    "rvExceptions": {"@id": "rv:exception", "@container": "@language"},
    "rvRegulationText": {"@id": "rv:regulation", "@container": "@language"},
    "rvKeywords": {"@id": "rv:keyword", "@container": ["@language", "@set"]},
    "rvStreet": {"@id": "rv:street", "@container": "@language"},
    "rvMunicipality": {"@id": "rv:municipality", "@container": "@language"},
    "rvCountry": {"@id": "rv:country", "@container": "@language"},
    "rvLevel": "rv:level",
    "rvAccess": "rv:access",
    "rvConfidence": "rv:confidence",
    "rvLastChecked": {"@id": "rv:lastChecked", "@type": "xsd:date"},
    "rvSituations": {
        "@id": "rv:situation",
        "@type": "@id",
        "@container": "@set",
        "@context": {"@base": SITUATION_BASE},
    },
    "rvRelated": {"@id": "rv:related", "@container": "@set"},
    "rvCriteria": {"@id": "rv:criteria", "@type": "@json"},
    "rvSources": {"@id": "rv:sources", "@type": "@json"},
    "rvScope": {"@id": "rv:scope", "@type": "@json"},
    "rvAmount": {"@id": "rv:amount", "@type": "@json"},
}

RIGHT_TYPES = {
    "InstantieSnapshot",
    "Instantie",
    LPDC_NS + "InstancePublicServiceSnapshot",
    LPDC_NS + "InstancePublicService",
}
AS_NS = "https://www.w3.org/ns/activitystreams#"
# A record deleted at the source (catalogue model §9): `as:Tombstone` with `as:deleted`.
TOMBSTONE_TYPES = {"Tombstone", "as:Tombstone", AS_NS + "Tombstone"}
DELETED_TERMS = ("deleted", "as:deleted", AS_NS + "deleted")
TEMPLATE_TYPES = {
    "ConceptSnapshot",
    "Concept",
    LPDC_NS + "ConceptualPublicServiceSnapshot",
    LPDC_NS + "ConceptualPublicService",
}


@dataclass(frozen=True)
class TextField:
    """A language text: our field, its LPDC term, our term for the languages LPDC refuses."""

    ours: str
    term: str
    own_term: str
    html: bool = False


RECORD_TEXTS = (
    TextField("title", "naam", "rvTitle"),
    TextField("description", "beschrijving", "rvDescription", html=True),
    TextField("additional_description", "verdereBeschrijving", "rvAdditionalDescription", True),
    TextField("exceptions", "uitzonderingen", "rvExceptions", html=True),
    TextField("regulation_text", "regelgevingTekst", "rvRegulationText", html=True),
)
ITEM_TEXTS = (
    TextField("title", "naam", "rvTitle"),
    TextField("description", "beschrijving", "rvDescription", html=True),
)
ADDRESS_TEXTS = (
    TextField("street", "straatnaam", "rvStreet"),
    TextField("municipality", "gemeentenaam", "rvMunicipality"),
    TextField("country", "land", "rvCountry"),
)


@dataclass(frozen=True)
class CodeField:
    """A field holding codes of an LPDC code list (§8): short id in JSON, IRI in RDF."""

    ours: str
    term: str
    vocabulary: str  # key in catalog/reference/lpdc-vocabularies.json
    base: str
    single: bool = False


CODE_FIELDS = (
    CodeField("product_type", "type", "type", CONCEPT_BASE + "Type/", single=True),
    CodeField("target_audiences", "doelgroepen", "doelgroep", CONCEPT_BASE + "Doelgroep/"),
    CodeField("themes", "themas", "thema", CONCEPT_BASE + "Thema/"),
    CodeField(
        "competent_levels",
        "bevoegdBestuursniveaus",
        "bevoegd_bestuursniveau",
        CONCEPT_BASE + "BevoegdBestuursniveau/",
    ),
    CodeField(
        "executing_levels",
        "uitvoerendBestuursniveaus",
        "uitvoerend_bestuursniveau",
        CONCEPT_BASE + "UitvoerendBestuursniveau/",
    ),
    CodeField("languages", "talen", "taal", LANGUAGE_BASE),
    CodeField(
        "publication_channels",
        "publicatiekanalen",
        "publicatiekanaal",
        CONCEPT_BASE + "PublicatieKanaal/",
    ),
    CodeField(
        "your_europe_categories",
        "yourEuropeCategorieen",
        "your_europe_categorie",
        CONCEPT_BASE + "YourEuropeCategorie/",
    ),
)
INSTANCE_TAGS = CodeField("tags", "tags", "instantie_tag", CONCEPT_BASE + "InstantieTag/")
CONCEPT_TAGS = CodeField("tags", "tags", "concept_tag", CONCEPT_BASE + "ConceptTag/")

# our list -> (LPDC term, JSON-LD class name)
ITEM_LISTS = {
    "requirements": ("voorwaarden", "Voorwaarde"),
    "procedures": ("procedures", "Procedure"),
    "costs": ("kosten", "Kost"),
    "financial_advantages": ("financieleVoordelen", "FinancieelVoordeel"),
    "legal_resources": ("regelgeving", "Regelgeving"),
    "more_info": ("websites", "Website"),
    "contact_points": ("contactgegevens", "Contactgegevens"),
}
CONTACT_FIELDS = {
    "email": "email",
    "phone": "telefoonnummer",
    "url": "url",
    "opening_hours": "openingsuren",
}
ADDRESS_FIELDS = {"house_number": "huisnummer", "box": "busnummer", "postcode": "postcode"}

# IPDC-only read fields (§11): kept as metadata, never sent back.
METADATA_TERMS = ("publicatieLink", "metadata")
OWN_TERMS = (
    "rvSlug",
    "rvSummary",
    "rvKeywords",
    "rvLevel",
    "rvAccess",
    "rvConfidence",
    "rvLastChecked",
    "rvSituations",
    "rvRelated",
    "rvCriteria",
    "rvSources",
    "rvScope",
)
RECORD_TERMS = {
    "@id",
    "@type",
    "@context",
    "isVersionOf",
    "generatedAtTime",
    "aangemaaktDoor",
    "bevoegdeOverheden",
    "uitvoerendeOverheden",
    "geografischToepassingsgebieden",
    "zoektermen",
    "startDienstVerlening",
    "eindeDienstVerlening",
    "productnummer",
    "creatie",
    "laatstGewijzigd",
    "gearchiveerd",
    "linkedConcept",
    "tags",
    *(t.term for t in RECORD_TEXTS),
    *(t.own_term for t in RECORD_TEXTS),
    *(c.term for c in CODE_FIELDS),
    *(term for term, _ in ITEM_LISTS.values()),
    *METADATA_TERMS,
    *OWN_TERMS,
}

LEVEL_OF_CODE = {
    "Europees": "federal",  # we have no European level; the nearest is federal
    "Federaal": "federal",
    "Vlaams": "flemish",
    "Provinciaal": "provincial",
    "Lokaal": "local",
}
OUR_LANGS = ("nl", "fr", "en", "de")
LPDC_LANGS = ("en",)  # besides the Dutch variant; the shapes refuse fr and de


class ImportProblem(ValueError):
    """A record that cannot be imported; the message says which term and why."""


# -- reference data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabularies:
    """The LPDC code lists: vocabulary key -> the short ids it allows."""

    codes: Mapping[str, frozenset[str]]

    def allows(self, vocabulary: str, code: str) -> bool:
        return code in self.codes.get(vocabulary, frozenset())


@cache
def vocabularies(path: Path = REFERENCE_DIR / "lpdc-vocabularies.json") -> Vocabularies:
    """The code lists of catalog/reference/lpdc-vocabularies.json (read once)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Vocabularies(
        {
            key: frozenset(v["id"] for v in value["values"])
            for key, value in raw.items()
            if isinstance(value, dict) and "values" in value
        }
    )


@dataclass(frozen=True)
class Organisation:
    """A row of LPDC's organisation list (OVO code, name, level, class, IRI)."""

    ovo: str | None
    name: str
    short: str  # LPDC's display name: "Diest" for the OCMW of Diest
    level: str | None  # LPDC BevoegdBestuursniveau code, None when not one of the five
    kind: str
    iri: str


ORGANISATION_LEVELS = {
    "Lokale overheid": "Lokaal",
    "Provinciale overheid": "Provinciaal",
    "Vlaamse overheid": "Vlaams",
    "Federale overheid": "Federaal",
    "Europese overheid": "Europees",
}
ORGANISATION_KINDS = {
    "Gemeente": "municipality",
    "OCMW": "ocmw",
    "Provincie": "province",
    "Vlaamse gemeenschapscommissie": "vgc",
}


@dataclass(frozen=True)
class Organisations:
    by_ovo: Mapping[str, Organisation]
    by_iri: Mapping[str, Organisation]

    def find(self, iri: str) -> Organisation | None:
        ovo = ovo_of(iri)
        return self.by_iri.get(iri) or (self.by_ovo.get(ovo) if ovo else None)


@cache
def organisations(
    path: Path = LPDC_REFERENCE_DIR / "organisation-authority-levels.csv",
) -> Organisations:
    """LPDC's list of public organisations (first match wins on the few duplicates)."""
    by_ovo: dict[str, Organisation] = {}
    by_iri: dict[str, Organisation] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    for row in rows[2:]:  # a dummy Column1..6 line, then the header
        ovo, name, level_text, lpdc_name, klass, iri = (cell.strip() for cell in row[:6])
        iri = iri or (ORGANISATION_BASE + ovo if ovo else "")
        if not iri:
            continue
        level = ORGANISATION_LEVELS.get(level_text)
        kind = ORGANISATION_KINDS.get(klass) or {"Vlaams": "flemish", "Federaal": "federal"}.get(
            level or "", "other"
        )
        org = Organisation(
            ovo or None, name or lpdc_name or ovo, lpdc_name or name, level, kind, iri
        )
        if ovo:
            by_ovo.setdefault(ovo, org)
        by_iri.setdefault(iri, org)
    return Organisations(by_ovo, by_iri)


# -- territory (§8.9) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A municipality as the territory mapping needs it (from the municipality table)."""

    nis: str
    nuts: str | None  # LPDC code <NUTS3><NIS> of a Flemish municipality
    arrondissement: str
    province: str | None
    region: str
    valid_until: date | None = None
    successor: str | None = None


# NUTS codes the Flemish list lacks: regions, Brussels, the Walloon provinces (NUTS 2024).
REGION_OF_NUTS = {"BE1": "brussels", "BE10": "brussels", "BE100": "brussels"}
REGION_OF_NUTS.update({"BE2": "flanders", "BE3": "wallonia"})
NUTS_OF_REGION = {"brussels": "BE1", "flanders": "BE2", "wallonia": "BE3"}
WALLOON_PROVINCES = {"BE31": "20002", "BE32": "50000", "BE33": "60000", "BE34": "80000"}
WALLOON_PROVINCES["BE35"] = "90000"
BRUSSELS_NUTS3 = {"21000": "BE100"}
_LAU = re.compile(r"^BE[0-9A-Z]{3}(\d{5})$")


class Geography:
    """Municipalities with their NUTS/LAU codes and the 2025 mergers."""

    def __init__(self, places: Mapping[str, Place]) -> None:
        self.places = places
        nis_of_nuts3: dict[str, str] = {}  # NUTS3 -> arrondissement NIS
        province_of_nuts2: dict[str, str] = {}  # NUTS2 -> province NIS
        for place in places.values():
            if place.nuts:
                nis_of_nuts3.setdefault(place.nuts[:5], place.arrondissement)
                if place.province:
                    province_of_nuts2.setdefault(place.nuts[:4], place.province)
        nis_of_nuts3.update({v: k for k, v in BRUSSELS_NUTS3.items()})
        province_of_nuts2.update(WALLOON_PROVINCES)
        self._nis_of_nuts3 = nis_of_nuts3
        self._province_of_nuts2 = province_of_nuts2
        # LPDC's code is not always <NUTS3><NIS>: merged Aalter is BE23444001 for NIS 44084.
        self._nis_of_code = {p.nuts: p.nis for p in places.values() if p.nuts}
        self._nuts3_of_nis = {v: k for k, v in nis_of_nuts3.items()}
        self._nuts2_of_province = {v: k for k, v in province_of_nuts2.items()}
        self.flemish_provinces = frozenset(
            p.province for p in places.values() if p.region == "flanders" and p.province
        )

    def current(self, nis: str) -> str:
        """The municipality that holds `nis` today (a merged one points to its successor)."""
        seen = 0
        place = self.places.get(nis)
        while place is not None and place.valid_until is not None and place.successor:
            seen += 1
            if seen > 5:
                break
            nis = place.successor
            place = self.places.get(nis)
        return nis

    def active(self, nis: str) -> bool:
        place = self.places.get(nis)
        return place is not None and place.valid_until is None

    def code_of_municipality(self, nis: str) -> str:
        place = self.places.get(nis)
        if place is None:
            raise ValueError(f"unknown municipality {nis}")
        if place.nuts:
            return place.nuts
        nuts3 = self._nuts3_of_nis.get(place.arrondissement)
        # Without a NUTS3 code (Wallonia) the region is the finest true statement we can make;
        # our own `rvScope` keeps the exact municipalities.
        return nuts3 + nis if nuts3 else NUTS_OF_REGION.get(place.region, "BE")

    def scope_from_spatial(self, codes: Iterable[Any]) -> dict[str, Any]:
        """Our territory (`scope`) from LPDC's NUTS/LAU codes, merged municipalities updated."""
        munis: set[str] = set()
        provinces: set[str] = set()
        regions: set[str] = set()
        for value in codes:
            code = _iri_of(value)
            if code.startswith(NUTS_BASE):
                code = code[len(NUTS_BASE) :]
            elif "://" in code:
                raise ImportProblem(f"geografischToepassingsgebieden: {code!r} is not a NUTS code")
            lau = _LAU.match(code)
            if code == "BE":
                regions.add("belgium")
            elif code in REGION_OF_NUTS:
                regions.add(REGION_OF_NUTS[code])
            elif code in self._province_of_nuts2:
                provinces.add(self._province_of_nuts2[code])
            elif code in self._nis_of_nuts3:
                arrondissement = self._nis_of_nuts3[code]
                munis |= {
                    p.nis
                    for p in self.places.values()
                    if p.arrondissement == arrondissement and p.valid_until is None
                }
            elif code in self._nis_of_code:
                munis.add(self.current(self._nis_of_code[code]))
            elif lau and lau.group(1) in self.places:
                munis.add(self.current(lau.group(1)))
            else:
                raise ImportProblem(f"geografischToepassingsgebieden: unknown code {code!r}")
        if regions:
            for nis in munis:
                regions.add(self.places[nis].region)
            for province in provinces:
                regions.add("flanders" if province in self.flemish_provinces else "wallonia")
            if "belgium" in regions or regions >= {"flanders", "brussels", "wallonia"}:
                return {"region": "belgium"}
            if len(regions) == 1:
                return {"region": regions.pop()}
            return {"regions": sorted(regions)}
        if provinces and munis:
            munis |= {
                p.nis
                for p in self.places.values()
                if p.province in provinces and p.valid_until is None
            }
        elif provinces:
            if provinces == set(self.flemish_provinces):
                return {"region": "flanders"}
            return {"provinces": sorted(provinces)}
        if munis:
            return {"municipalities": sorted(munis)}
        raise ImportProblem("geografischToepassingsgebieden: at least one code is needed")

    def spatial_from_scope(self, scope: Mapping[str, Any]) -> list[str]:
        """LPDC's NUTS/LAU codes for our territory (Flanders as its five provinces)."""
        out: list[str] = []
        regions = list(scope.get("regions") or ([scope["region"]] if scope.get("region") else []))
        for region in regions:
            if region == "belgium":
                out.append("BE")
            elif region == "flanders":
                out.extend(self._nuts2_of_province[p] for p in sorted(self.flemish_provinces))
            else:
                out.append(NUTS_OF_REGION[region])
        for province in scope.get("provinces") or []:
            out.append(self._nuts2_of_province.get(province, "BE"))
        for nis in scope.get("municipalities") or []:
            out.append(self.code_of_municipality(nis))
        return list(dict.fromkeys(out))


def same_scope(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Equal territories, whatever the order of the lists."""

    def norm(scope: Mapping[str, Any]) -> dict[str, Any]:
        return {k: sorted(v) if isinstance(v, list) else v for k, v in scope.items()}

    return norm(a) == norm(b)


# -- values ----------------------------------------------------------------------------------------

_DATETIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$"
)


def _brussels() -> timezone | ZoneInfo:
    try:
        return ZoneInfo("Europe/Brussels")
    except ZoneInfoNotFoundError:  # pragma: no cover - a machine without time zone data
        return timezone(timedelta(hours=1))


BRUSSELS = _brussels()


def parse_datetime(value: Any, term: str) -> datetime:
    """An xsd:dateTime (any precision, `Z` or an offset) as an aware datetime in UTC."""
    if isinstance(value, Mapping) and "@value" in value:
        value = value["@value"]
    match = _DATETIME.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ImportProblem(f"{term}: {value!r} is not a date and time")
    day, clock, fraction, zone = match.groups()
    text = f"{day}T{clock or '00:00'}"
    if clock and len(clock) == 5:
        text += ":00"
    if fraction:
        text += "." + fraction[:6].ljust(6, "0")  # nanoseconds (IPDC) are cut to microseconds
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ImportProblem(f"{term}: {value!r} is not a valid date and time") from None
    if zone is None:
        parsed = parsed.replace(tzinfo=BRUSSELS)
    elif zone == "Z":
        parsed = parsed.replace(tzinfo=UTC)
    else:
        parsed = datetime.fromisoformat(f"{text}{zone[:3]}:{zone[-2:]}")
    return parsed.astimezone(UTC)


def format_datetime(value: datetime | str) -> str:
    """UTC, ISO 8601 with `Z`: the form LPDC writes. Naive values (SQLite) are UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def date_from_lpdc(value: Any, term: str) -> date:
    """The Belgian calendar day of an LPDC start or end moment."""
    return parse_datetime(value, term).astimezone(BRUSSELS).date()


def date_to_lpdc(value: date | str) -> str:
    """Midnight in Brussels of our date, with its offset: the day stays the same everywhere."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return datetime.combine(value, time(0, 0), tzinfo=BRUSSELS).isoformat()


def _iri_of(value: Any) -> str:
    if isinstance(value, Mapping):
        value = value.get("@id", value.get("id"))
    if not isinstance(value, str) or not value.strip():
        raise ImportProblem(f"{value!r} is not an identifier")
    return value.strip()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def ovo_of(iri: str) -> str | None:
    """The OVO number in an organisation IRI (or the bare number), if there is one."""
    match = re.search(r"(OVO\d{6})$", iri)
    return match.group(1) if match else None


def authority_iri(value: Any, term: str) -> str:
    """An authority as an absolute IRI: `OVO002514`, {"@id": ...} and IPDC's {"id": ...}."""
    try:
        text = _iri_of(value)
    except ImportProblem:
        raise ImportProblem(f"{term}: {value!r} is not an organisation") from None
    if re.match(r"^https?://", text):
        return text
    if re.match(r"^OVO\d{6}$", text):
        return ORGANISATION_BASE + text
    raise ImportProblem(f"{term}: {text!r} is not an OVO code or an organisation IRI")


def _code(value: Any, spec: CodeField, vocab: Vocabularies) -> str:
    text = _iri_of(value)
    if text.startswith(spec.base):
        text = text[len(spec.base) :]
    if not vocab.allows(spec.vocabulary, text):
        raise ImportProblem(f"{spec.term}: unknown code {text!r}")
    return text


def slugify(text: str, limit: int = 100) -> str:
    """Lower-case words joined by '-', accents folded: `Akte van ...` -> `akte-van-...`."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:limit].rstrip("-") or "recht"


# -- languages (§5) --------------------------------------------------------------------------------

INFORMAL = "nl-be-x-informal"
FORMAL = "nl-be-x-formal"
GENERATED = {INFORMAL: "nl-be-x-generated-informal", FORMAL: "nl-be-x-generated-formal"}
VARIANT_OF_TAG = {
    INFORMAL: "nl-BE-x-informal",
    GENERATED[INFORMAL]: "nl-BE-x-informal",
    FORMAL: "nl-BE-x-formal",
    GENERATED[FORMAL]: "nl-BE-x-formal",
    "nl": "nl",
}


def dutch_preference(variant: str | None) -> tuple[str, ...]:
    """Tags to try for the Dutch text: own choice, its generated twin, `nl`, then the other."""
    own = FORMAL if (variant or "").lower() == FORMAL else INFORMAL
    other = INFORMAL if own == FORMAL else FORMAL
    return (own, GENERATED[own], "nl", other, GENERATED[other])


def manual_register(member: Mapping[str, Any]) -> str | None:
    """The register an administration writes in, when its title has one manual variant only."""
    title = member.get("naam")
    tags = {str(k).lower() for k in title} if isinstance(title, Mapping) else set()
    if FORMAL in tags and INFORMAL not in tags:
        return "nl-BE-x-formal"
    if INFORMAL in tags and FORMAL not in tags:
        return "nl-BE-x-informal"
    return None


def _language_map(value: Any, term: str) -> dict[str, Any]:
    """A language map with lower-case tags; expanded value objects are accepted too."""
    if value is None:
        return {}
    if isinstance(value, Mapping) and "@value" not in value:
        return {str(k).lower(): v for k, v in value.items()}
    out: dict[str, Any] = {}
    for item in _as_list(value):
        if isinstance(item, Mapping) and "@value" in item:
            out[str(item.get("@language", "nl")).lower()] = item["@value"]
        else:
            raise ImportProblem(f"{term}: expected texts per language")
    return out


def _clean(text: Any, html: bool, term: str) -> str:
    if not isinstance(text, str):
        raise ImportProblem(f"{term}: expected text, got {type(text).__name__}")
    return clean_html(text) if html else " ".join(text.split())


def pick_text(
    node: Mapping[str, Any], spec: TextField, prefer: tuple[str, ...]
) -> tuple[dict[str, str], str | None]:
    """Our language map of one text, and the Dutch tag it was taken from."""
    received = _language_map(node.get(spec.term), spec.term)
    own = _language_map(node.get(spec.own_term), spec.own_term)
    out: dict[str, str] = {}
    used = None
    for tag in prefer:
        if received.get(tag):
            text = _clean(received[tag], spec.html, spec.term)
            if text:
                out["nl"], used = text, tag
                break
    english = received.get("en") or received.get("en-x-generated")
    if english:
        out["en"] = _clean(english, spec.html, spec.term)
    for lang in ("fr", "de"):
        text = own.get(lang) or received.get(lang)
        if text:
            out[lang] = _clean(text, spec.html, spec.own_term)
    return {k: v for k, v in out.items() if v}, used


def split_text(
    value: Mapping[str, str] | None, dutch_tag: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Our language map -> (LPDC map: Dutch under `dutch_tag`, en; ours: fr, de)."""
    lpdc: dict[str, str] = {}
    own: dict[str, str] = {}
    for lang, text in (value or {}).items():
        if not text:
            continue
        if lang == "nl":
            lpdc[dutch_tag] = text
        elif lang in LPDC_LANGS:
            lpdc[lang] = text
        else:
            own[lang] = text
    return lpdc, own


def _put_text(node: dict[str, Any], spec: TextField, value: Any, dutch_tag: str) -> None:
    lpdc, own = split_text(value, dutch_tag)
    if lpdc:
        node[spec.term] = lpdc
    if own:
        node[spec.own_term] = own


def _summary_from(description: Mapping[str, str]) -> dict[str, str]:
    """A one-sentence summary from the description, for records that come without ours."""
    out = {}
    for lang, html in description.items():
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
        if len(sentence) > 250:
            sentence = sentence[:247].rsplit(" ", 1)[0] + "..."
        if sentence:
            out[lang] = sentence
    return out


# -- reading ---------------------------------------------------------------------------------------


def members_of(document: Any) -> list[Mapping[str, Any]]:
    """The records in a file: an LDES page (`member`), a Hydra list, `@graph`, a list, or one."""
    if isinstance(document, list):
        return [m for item in document for m in members_of(item)]
    if not isinstance(document, Mapping):
        raise ImportProblem("the file holds no JSON object")
    for key in ("member", "hydraMember", "hydra:member", "http://www.w3.org/ns/hydra/core#member"):
        if key in document:
            return [m for m in _as_list(document[key]) if isinstance(m, Mapping)]
    if "@graph" in document:
        return [m for m in _as_list(document["@graph"]) if isinstance(m, Mapping)]
    return [document]


def record_kind(member: Mapping[str, Any]) -> str:
    """`right` (LPDC instance), `template` (IPDC concept) or `tombstone` (a deleted one)."""
    types = {str(t) for t in _as_list(member.get("@type"))}
    if types & RIGHT_TYPES:
        return "right"
    if types & TEMPLATE_TYPES:
        return "template"
    if types & TOMBSTONE_TYPES:
        return "tombstone"
    shown = ", ".join(sorted(types)) or "none"
    raise ImportProblem(f"@type: not an LPDC instance or concept (type {shown})")


def owner_reference(member: Mapping[str, Any]) -> tuple[str | None, str]:
    """The owning administration and the term it came from: `aangemaaktDoor`, else the first
    competent authority (the IPDC API leaves the owner out)."""
    if member.get("aangemaaktDoor"):
        term = "aangemaaktDoor"
        return authority_iri(_as_list(member[term])[0], term), term
    competent = _as_list(member.get("bevoegdeOverheden"))
    term = "bevoegdeOverheden"
    return (authority_iri(competent[0], term) if competent else None), term


def version_key(member: Mapping[str, Any]) -> tuple[str, datetime]:
    """(record IRI, version time) of a member: what "keep only the newest" compares."""
    if member.get("isVersionOf"):
        record = _iri_of(_as_list(member["isVersionOf"])[0])
    else:
        record = _iri_of(member.get("@id"))
    for term in ("generatedAtTime", "laatstGewijzigd", "creatie", *DELETED_TERMS):
        if member.get(term):
            return record, parse_datetime(member[term], term)
    raise ImportProblem("generatedAtTime: missing (and no laatstGewijzigd either)")


@dataclass
class Incoming:
    """One record read from LPDC JSON-LD, in our shape, before authorities are looked up."""

    kind: str
    record_iri: str
    version_iri: str | None
    generated_at: datetime
    content: dict[str, Any]
    dutch_variant: str
    owner: str | None
    competent: list[str]
    executing: list[str]
    template_iri: str | None
    created_at: datetime | None
    modified_at: datetime | None
    slug: str | None
    extra: dict[str, Any]
    metadata: dict[str, Any]

    @property
    def label(self) -> str:
        title = (self.content.get("title") or {}).get("nl")
        return f"{title} <{self.record_iri}>" if title else f"<{self.record_iri}>"


def read_member(
    member: Mapping[str, Any],
    *,
    vocab: Vocabularies,
    geography: Geography | None,
    dutch_variant: str | None,
) -> Incoming:
    """Read one instance or concept (version) into our fields.

    Raises:
        ImportProblem: the record cannot be taken in (the message names the term).
    """
    kind = record_kind(member)
    node_id = _iri_of(member.get("@id")) if member.get("@id") else None
    record_iri, generated_at = version_key(member)
    version_iri = node_id if member.get("isVersionOf") else None
    if version_iri == record_iri:
        version_iri = None
    prefer = dutch_preference(dutch_variant)
    content: dict[str, Any] = {}
    received: dict[str, Any] = {}
    tag_used = None
    for spec in RECORD_TEXTS:
        text, used = pick_text(member, spec, prefer)
        if text:
            content[spec.ours] = text
        if spec.ours == "title":
            tag_used = used
    for name in ("title", "description"):
        if not (content.get(name) or {}).get("nl"):
            term = "naam" if name == "title" else "beschrijving"
            raise ImportProblem(f"{term}: a Dutch text is required")
    variant = VARIANT_OF_TAG.get(tag_used or "", dutch_variant or "nl-BE-x-informal")
    prefer = dutch_preference(variant) if variant != "nl" else ("nl", *prefer)
    for spec in (*CODE_FIELDS, INSTANCE_TAGS if kind == "right" else CONCEPT_TAGS):
        values = [_code(v, spec, vocab) for v in _as_list(member.get(spec.term))]
        content[spec.ours] = (values[0] if values else None) if spec.single else values
    content["keywords"] = _keywords(member)
    for name, term in (
        ("start_date", "startDienstVerlening"),
        ("end_date", "eindeDienstVerlening"),
    ):
        if member.get(term):
            content[name] = date_from_lpdc(member[term], term)
            received[term] = member[term]
        else:
            content[name] = None
    number = member.get("productnummer")
    content["product_number"] = str(number) if number not in (None, "") else None
    content["archived"] = _boolean(member.get("gearchiveerd"), "gearchiveerd")
    for list_name, (term, _type) in ITEM_LISTS.items():
        if kind == "template" and list_name == "contact_points":
            continue
        content[list_name] = _read_items(list_name, member.get(term), prefer)
    _read_own_terms(member, content, kind)
    if not content.get("summary"):
        content["summary"] = _summary_from(content["description"])
    competent = [
        authority_iri(v, "bevoegdeOverheden") for v in _as_list(member.get("bevoegdeOverheden"))
    ]
    executing = [
        authority_iri(v, "uitvoerendeOverheden")
        for v in _as_list(member.get("uitvoerendeOverheden"))
    ]
    owner, _ = owner_reference(member)
    if kind == "right":
        if not competent:
            raise ImportProblem("bevoegdeOverheden: at least one competent authority is needed")
        spatial = _as_list(member.get("geografischToepassingsgebieden"))
        if geography is not None:
            if "scope" not in content:
                content["scope"] = geography.scope_from_spatial(spatial)
            received["geografischToepassingsgebieden"] = [_iri_of(v) for v in spatial]
            for nis in content["scope"].get("municipalities") or []:
                if not geography.active(nis):
                    raise ImportProblem(f"rvScope: municipality {nis} does not exist (anymore)")
    linked = member.get("linkedConcept")
    metadata = {term: member[term] for term in METADATA_TERMS if term in member}
    if received:
        metadata["received"] = received
    extra = {k: v for k, v in member.items() if k not in RECORD_TERMS}
    return Incoming(
        kind=kind,
        record_iri=record_iri,
        version_iri=version_iri,
        generated_at=generated_at,
        content=content,
        dutch_variant=variant,
        owner=owner,
        competent=list(dict.fromkeys(competent)),
        executing=list(dict.fromkeys(executing)),
        template_iri=_iri_of(_as_list(linked)[0]) if linked else None,
        created_at=parse_datetime(member["creatie"], "creatie") if member.get("creatie") else None,
        modified_at=parse_datetime(member["laatstGewijzigd"], "laatstGewijzigd")
        if member.get("laatstGewijzigd")
        else None,
        slug=str(member["rvSlug"]) if member.get("rvSlug") else None,
        extra=extra,
        metadata=metadata,
    )


def _boolean(value: Any, term: str) -> bool:
    if isinstance(value, Mapping) and "@value" in value:
        value = value["@value"]
    if value in (None, "", False, "false", "0", 0):
        return False
    if value in (True, "true", "1", 1):
        return True
    raise ImportProblem(f"{term}: {value!r} is not true or false")


def _keywords(member: Mapping[str, Any]) -> dict[str, list[str]]:
    received = _language_map(member.get("zoektermen"), "zoektermen")
    own = _language_map(member.get("rvKeywords"), "rvKeywords")
    out: dict[str, list[str]] = {}
    for tag, words in [*received.items(), *own.items()]:
        lang = "nl" if tag == "nl" or tag.startswith("nl-") else tag.split("-")[0]
        if lang not in OUR_LANGS:
            continue
        for word in _as_list(words):
            if not isinstance(word, str):
                raise ImportProblem("zoektermen: expected words")
            word = " ".join(word.split())
            if word and word not in out.setdefault(lang, []):
                out[lang].append(word)
    return {k: v for k, v in out.items() if v}


def _read_own_terms(member: Mapping[str, Any], content: dict[str, Any], kind: str) -> None:
    """Our extensions (§7), as our own export writes them; absent ones get defaults."""
    summary = _language_map(member.get("rvSummary"), "rvSummary")
    content["summary"] = {
        lang: " ".join(str(text).split())
        for tag, text in summary.items()
        if (lang := "nl" if tag.startswith("nl") else tag) in OUR_LANGS and text
    }
    for name, term, allowed in (
        ("level", "rvLevel", LEVELS),
        ("access", "rvAccess", ACCESS),
        ("confidence", "rvConfidence", CONFIDENCES),
    ):
        value = member.get(term)
        if value is not None and value not in allowed:
            raise ImportProblem(f"{term}: {value!r} is not one of {', '.join(allowed)}")
        content[name] = value
    content["access"] = content["access"] or "individual"
    content["confidence"] = content["confidence"] or "medium"
    situations = []
    for value in _as_list(member.get("rvSituations")):
        code = _iri_of(value)
        situations.append(code[len(SITUATION_BASE) :] if code.startswith(SITUATION_BASE) else code)
    content["situations"] = situations
    related = _as_list(member.get("rvRelated"))
    if not all(isinstance(r, str) for r in related):
        raise ImportProblem("rvRelated: expected slugs of rights")
    content["related"] = related
    for name, term, shape in (
        ("criteria", "rvCriteria", list),
        ("sources", "rvSources", list),
    ):
        value = member.get(term, [])
        if isinstance(value, Mapping) and "@value" in value:
            value = value["@value"]
        if not isinstance(value, shape):
            raise ImportProblem(f"{term}: expected a list")
        content[name] = value
    if not all(
        isinstance(s, Mapping) and isinstance(s.get("url"), str) for s in content["sources"]
    ):
        raise ImportProblem("rvSources: every source needs a url")
    checked = member.get("rvLastChecked")
    try:
        content["last_checked"] = date.fromisoformat(str(checked)) if checked else None
    except ValueError:
        raise ImportProblem(f"rvLastChecked: {checked!r} is not a date") from None
    if kind == "right" and member.get("rvScope") is not None:
        from marshmallow import ValidationError

        from ..catalog.schemas import ScopeSchema

        scope = member["rvScope"]
        try:
            content["scope"] = ScopeSchema().load(scope if isinstance(scope, Mapping) else {})
        except ValidationError as exc:
            raise ImportProblem(f"rvScope: {exc.messages}") from None
        if not content["scope"]:
            raise ImportProblem(
                "rvScope: expected one of region, regions, provinces, municipalities"
            )


def _node(value: Any) -> Mapping[str, Any] | None:
    first = _as_list(value)[0] if _as_list(value) else None
    if first is not None and not isinstance(first, Mapping):
        raise ImportProblem(f"expected an object, got {first!r}")
    return first


def _order_key(position: int, node: Mapping[str, Any]) -> tuple[float, int]:
    order = node.get("order")
    if isinstance(order, Mapping):
        order = order.get("@value")
    try:
        return float(order), position
    except (TypeError, ValueError):
        return float("inf"), position


def _texts_into(
    out: dict[str, Any],
    node: Mapping[str, Any],
    specs: tuple[TextField, ...],
    prefer: tuple[str, ...],
) -> None:
    for spec in specs:
        text, _ = pick_text(node, spec, prefer)
        if text:
            out[spec.ours] = text


def _extra_of(node: Mapping[str, Any], known: set[str]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k not in known}


# A child's `@id` is not kept: our export names every child after the snapshot it is part of.
ITEM_TERMS = {"@id", "@type", "order", "naam", "beschrijving", "rvTitle", "rvDescription"}


def _read_items(list_name: str, value: Any, prefer: tuple[str, ...]) -> list[dict[str, Any]]:
    nodes = [n for n in _as_list(value)]
    if not all(isinstance(n, Mapping) for n in nodes):
        raise ImportProblem(f"{ITEM_LISTS[list_name][0]}: every item must be an object")
    ordered = [n for _, n in sorted(enumerate(nodes), key=lambda p: _order_key(*p))]
    items = []
    for node in ordered:
        item: dict[str, Any] = {}
        _texts_into(item, node, ITEM_TEXTS, prefer)
        known = set(ITEM_TERMS)
        if list_name == "requirements":
            known.add("bewijs")
            evidence = _node(node.get("bewijs"))
            if evidence is not None:
                proof: dict[str, Any] = {}
                _texts_into(proof, evidence, ITEM_TEXTS, prefer)
                _keep_extra(proof, evidence, ITEM_TERMS)
                item["evidence"] = proof
        elif list_name == "procedures":
            known.add("websites")
            websites = _read_items("more_info", node.get("websites"), prefer)
            if websites:
                item["websites"] = websites
        if list_name in ("legal_resources", "more_info"):
            known.add("url")
            if node.get("url"):
                item["url"] = str(node["url"]).strip()
        if list_name in ("costs", "financial_advantages"):
            known.add("rvAmount")
            if node.get("rvAmount") is not None:
                item["amount"] = node["rvAmount"]
        if list_name == "contact_points":
            known |= {*CONTACT_FIELDS.values(), "adres"}
            for ours, term in CONTACT_FIELDS.items():
                if node.get(term) not in (None, ""):
                    item[ours] = str(node[term]).strip()
            address = _node(node.get("adres"))
            if address is not None:
                item["address"] = _read_address(address)
        _keep_extra(item, node, known)
        items.append(item)
    return items


def _read_address(node: Mapping[str, Any]) -> dict[str, Any]:
    address: dict[str, Any] = {}
    _texts_into(address, node, ADDRESS_TEXTS, ("nl", *dutch_preference(None)))
    for ours, term in ADDRESS_FIELDS.items():
        if node.get(term) not in (None, ""):
            address[ours] = str(node[term]).strip()
    known = {"@id", "@type", *ADDRESS_FIELDS.values(), *(t.term for t in ADDRESS_TEXTS)}
    _keep_extra(address, node, known | {t.own_term for t in ADDRESS_TEXTS})
    return address


def _keep_extra(item: dict[str, Any], node: Mapping[str, Any], known: set[str]) -> None:
    extra = _extra_of(node, known)
    if extra:
        item["lpdc_extra"] = extra


# -- writing ---------------------------------------------------------------------------------------


def _write_items(
    list_name: str, items: Iterable[Mapping[str, Any]], dutch_tag: str, prefix: str
) -> list[dict[str, Any]]:
    """Child items in order, each named `<snapshot>#<class>-<n>` (a website of a procedure
    `<snapshot>#procedure-0-website-1`): a snapshot has no blank nodes, so comparing exports
    as RDF stays cheap and a child never changes identity within its snapshot."""
    kind = ITEM_LISTS[list_name][1]
    out = []
    for order, item in enumerate(items):
        ident = f"{prefix}{kind.lower()}-{order}"
        node: dict[str, Any] = {"@id": ident, "@type": kind}
        for spec in ITEM_TEXTS:
            _put_text(node, spec, item.get(spec.ours), dutch_tag)
        node["order"] = order
        if item.get("url") and list_name != "contact_points":
            node["url"] = item["url"]
        evidence = item.get("evidence")
        if evidence:
            proof: dict[str, Any] = {"@id": f"{ident}-bewijs", "@type": "Bewijs"}
            for spec in ITEM_TEXTS:
                _put_text(proof, spec, evidence.get(spec.ours), dutch_tag)
            _merge_extra(proof, evidence.get("lpdc_extra"))
            node["bewijs"] = proof
        if item.get("websites"):
            node["websites"] = _write_items("more_info", item["websites"], dutch_tag, ident + "-")
        if item.get("amount") is not None:
            node["rvAmount"] = item["amount"]
        if list_name == "contact_points":
            for ours, term in CONTACT_FIELDS.items():
                if item.get(ours):
                    node[term] = item[ours]
            if item.get("address"):
                node["adres"] = _write_address(item["address"], f"{ident}-adres")
        _merge_extra(node, item.get("lpdc_extra"))
        out.append(node)
    return out


def _write_address(address: Mapping[str, Any], ident: str) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": ident, "@type": "Adres"}
    for spec in ADDRESS_TEXTS:
        _put_text(node, spec, address.get(spec.ours), "nl")
    for ours, term in ADDRESS_FIELDS.items():
        if address.get(ours):
            node[term] = address[ours]
    _merge_extra(node, address.get("lpdc_extra"))
    return node


def _merge_extra(node: dict[str, Any], extra: Mapping[str, Any] | None) -> None:
    for key, value in (extra or {}).items():
        node.setdefault(key, value)


@dataclass(frozen=True)
class InstanceLinks:
    """What a right's export needs beyond its document: identifiers and kept LPDC data."""

    version_iri: str
    generated_at: datetime | str
    owner_iri: str | None
    competent_iris: list[str]
    executing_iris: list[str]
    template_iri: str | None
    extra: Mapping[str, Any] = field(default_factory=dict)
    received: Mapping[str, Any] = field(default_factory=dict)


def instance_member(
    doc: Mapping[str, Any], links: InstanceLinks, geography: Geography
) -> dict[str, Any]:
    """A right's version document as an LPDC `InstantieSnapshot` (JSON-LD, official terms)."""
    tag = doc.get("dutch_variant") or "nl-BE-x-informal"
    member: dict[str, Any] = {
        "@id": links.version_iri,
        "@type": "InstantieSnapshot",
        "isVersionOf": doc["iri"],
        "generatedAtTime": format_datetime(links.generated_at),
        "creatie": format_datetime(doc["created_at"]),
        "laatstGewijzigd": format_datetime(doc["modified_at"]),
    }
    if links.owner_iri:
        member["aangemaaktDoor"] = links.owner_iri
    for spec in RECORD_TEXTS:
        _put_text(member, spec, doc.get(spec.ours), tag)
    for list_name in ITEM_LISTS:
        items = doc.get(list_name) or []
        if items:
            member[ITEM_LISTS[list_name][0]] = _write_items(
                list_name, items, tag, links.version_iri + "#"
            )
    for spec in (*CODE_FIELDS, INSTANCE_TAGS):
        value = doc.get(spec.ours)
        if value:
            member[spec.term] = value if spec.single else list(value)
    if links.competent_iris:
        member["bevoegdeOverheden"] = links.competent_iris
    if links.executing_iris:
        member["uitvoerendeOverheden"] = links.executing_iris
    member["geografischToepassingsgebieden"] = _spatial(doc, links, geography)
    keywords = doc.get("keywords") or {}
    lpdc_words = {k: v for k, v in keywords.items() if k in ("nl", *LPDC_LANGS) and v}
    own_words = {k: v for k, v in keywords.items() if k not in lpdc_words and v}
    if lpdc_words:
        member["zoektermen"] = lpdc_words
    if own_words:
        member["rvKeywords"] = own_words
    for name, term in (
        ("start_date", "startDienstVerlening"),
        ("end_date", "eindeDienstVerlening"),
    ):
        if doc.get(name):
            kept = links.received.get(term)
            same = kept and date_from_lpdc(kept, term).isoformat() == str(doc[name])
            member[term] = kept if same else date_to_lpdc(doc[name])
    if doc.get("product_number"):
        member["productnummer"] = doc["product_number"]
    if links.template_iri:
        member["linkedConcept"] = links.template_iri
    member["gearchiveerd"] = bool(doc.get("archived"))
    _write_own_terms(member, doc)
    _merge_extra(member, links.extra)
    return member


def _spatial(doc: Mapping[str, Any], links: InstanceLinks, geography: Geography) -> list[str]:
    scope = doc.get("scope") or {}
    kept = links.received.get("geografischToepassingsgebieden")
    if kept:
        try:
            if same_scope(geography.scope_from_spatial(kept), scope):
                return list(kept)  # as received, while our territory still means the same
        except ImportProblem:
            pass
    return geography.spatial_from_scope(scope)


def _write_own_terms(member: dict[str, Any], doc: Mapping[str, Any]) -> None:
    if doc.get("slug"):
        member["rvSlug"] = doc["slug"]
    if doc.get("summary"):
        member["rvSummary"] = dict(doc["summary"])
    for name, term in (
        ("level", "rvLevel"),
        ("access", "rvAccess"),
        ("confidence", "rvConfidence"),
    ):
        if doc.get(name):
            member[term] = doc[name]
    if doc.get("situations"):
        member["rvSituations"] = list(doc["situations"])
    if doc.get("related"):
        member["rvRelated"] = list(doc["related"])
    for name, term in (("criteria", "rvCriteria"), ("sources", "rvSources"), ("scope", "rvScope")):
        if doc.get(name):
            member[term] = doc[name]
    if doc.get("last_checked"):
        member["rvLastChecked"] = str(doc["last_checked"])


def export_context() -> list[Any]:
    """The `@context` of our pages: the official context, then our own terms inline."""
    return [OFFICIAL_CONTEXT_URL, OWN_CONTEXT]


def ldes_page(
    members: list[dict[str, Any]],
    *,
    page: int,
    pages: int,
    stream_iri: str,
    page_iri: Callable[[int], str],
) -> dict[str, Any]:
    """One page of our LDES of right versions (TREE relations to the neighbouring pages)."""
    relations: list[dict[str, Any]] = []
    if page > 0:
        relations.append(
            {
                "@type": "LessThanOrEqualToRelation",
                "node": page_iri(page - 1),
                "path": GENERATED_AT_PATH,
            }
        )
    if page + 1 < pages:
        relation: dict[str, Any] = {
            "@type": "GreaterThanOrEqualToRelation",
            "node": page_iri(page + 1),
            "path": GENERATED_AT_PATH,
        }
        if members:
            relation["value"] = members[-1]["generatedAtTime"]
        relations.append(relation)
    view: dict[str, Any] = {"@id": page_iri(page), "@type": "Node"}
    if relations:
        view["relation"] = relations
    return {
        "@context": export_context(),
        "@id": stream_iri,
        "@type": "EventStream",
        "timestampPath": GENERATED_AT_PATH,
        "versionOfPath": VERSION_OF_PATH,
        "view": view,
        "member": members,
    }
