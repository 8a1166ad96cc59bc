"""Read and check the catalogue folder (`catalog/`) into plain, validated data.

Everything is checked before anything is loaded: shapes (unknown keys, ISO dates, money),
codes against the vocabularies, and references between files (administrations, parameters,
model entries, related rights, NIS codes). Every problem names its file and key, and all
problems are reported at once so an editor can fix a file in one go.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError

from ..rules.conditions import KINDS, CriteriaContext, validate_criteria
from ..rules.engine import Places
from ..rules.examples import Case, LeefloonCase, run_case, run_leefloon_case
from ..rules.leefloon import income_rules
from ..rules.parameters import Parameter, ParameterValue
from ..rules.profile import OcmwChoicesSchema, load_profile
from . import schemas
from .documents import to_jsonable
from .yamlio import read_yaml

# The day from which the 2025 municipalities apply; rights may not point to ended codes.
TODAY_MUNICIPALITIES = date(2025, 1, 1)

LPDC_SCHEMES = {
    # our scheme name: key in reference/lpdc-vocabularies.json
    "product_type": "type",
    "target_audience": "doelgroep",
    "theme": "thema",
    "competent_level": "bevoegd_bestuursniveau",
    "executing_level": "uitvoerend_bestuursniveau",
    "publication_channel": "publicatiekanaal",
    "concept_tag": "concept_tag",
    "language": "taal",
    "your_europe_category": "your_europe_categorie",
}

# Record fields that hold codes of a scheme.
CODE_FIELDS = {
    "product_type": "product_type",
    "target_audiences": "target_audience",
    "themes": "theme",
    "competent_levels": "competent_level",
    "executing_levels": "executing_level",
    "languages": "language",
    "publication_channels": "publication_channel",
    "your_europe_categories": "your_europe_category",
    "situations": "situation",
}

LEVEL_OF_KIND = {
    "municipality": "Lokaal",
    "ocmw": "Lokaal",
    "vgc": "Lokaal",
    "province": "Provinciaal",
    "flemish": "Vlaams",
    "federal": "Federaal",
}


@dataclass(frozen=True)
class CatalogIssue:
    """One problem in the catalogue, located by file and key."""

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.key}: {self.message}"
            if self.key
            else f"{self.file}: {self.message}"
        )


class CatalogError(Exception):
    """The catalogue folder has problems; `issues` lists every one of them."""

    def __init__(self, issues: list[CatalogIssue]) -> None:
        self.issues = issues
        lines = "\n".join(str(i) for i in issues[:50])
        more = f"\n... and {len(issues) - 50} more" if len(issues) > 50 else ""
        super().__init__(f"{len(issues)} problem(s) in the catalogue:\n{lines}{more}")


@dataclass
class CatalogData:
    """The whole catalogue as plain, checked data, ready for the database or the engines."""

    municipalities: list[dict[str, Any]] = field(default_factory=list)
    postcodes: list[dict[str, Any]] = field(default_factory=list)
    vocabularies: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    administrations: dict[str, dict[str, Any]] = field(default_factory=dict)
    parameters: dict[str, Parameter] = field(default_factory=dict)
    rights: dict[str, dict[str, Any]] = field(default_factory=dict)
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    synonyms: list[list[str]] = field(default_factory=list)
    examples: list[Case] = field(default_factory=list)
    leefloon_examples: list[LeefloonCase] = field(default_factory=list)
    right_examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # as written

    def places(self) -> Places:
        """Regions and postcodes of the municipalities, as the rules engine reads them."""
        postcodes: dict[str, list[str]] = {}
        for row in self.postcodes:
            postcodes.setdefault(row["postcode"], []).append(row["nis_code"])
        return Places(
            region={m["nis_code"]: m["region"] for m in self.municipalities},
            postcodes=postcodes,
        )


class _Collector:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.issues: list[CatalogIssue] = []

    def add(self, path: Path | str, key: str, message: str) -> None:
        name = str(path.relative_to(self.root.parent)) if isinstance(path, Path) else path
        self.issues.append(CatalogIssue(name, key, message))

    def read(self, path: Path) -> Any:
        try:
            return read_yaml(path)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            self.add(path, where, f"invalid YAML: {problem}")
            return None

    def load(self, schema: Schema, data: Any, path: Path, prefix: str = "") -> dict | None:
        if not isinstance(data, dict):
            self.add(path, prefix, "must be a mapping")
            return None
        try:
            return schema.load(data)
        except ValidationError as exc:
            for key, message in flatten_errors(exc.messages, prefix):
                self.add(path, key, message)
            return None


def flatten_errors(messages: Any, prefix: str = "") -> Iterable[tuple[str, str]]:
    """Turn marshmallow's nested error dict into (dotted.key[0], message) pairs."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema":
                sub = prefix
            elif isinstance(key, int):
                sub = f"{prefix}[{key}]"
            else:
                sub = f"{prefix}.{key}" if prefix else str(key)
            yield from flatten_errors(value, sub)
    elif isinstance(messages, list):
        for item in messages:
            if isinstance(item, str):
                text = "unknown key" if item == "Unknown field." else item
                yield prefix, text
            else:
                yield from flatten_errors(item, prefix)
    else:
        yield prefix, str(messages)


def read_catalog(root: Path, *, run_examples: bool = True) -> CatalogData:
    """Read and check the whole catalogue folder, worked examples included.

    `run_examples=False` reads the examples without running them (the tests run each one as
    a test of its own).

    Raises:
        CatalogError: listing every problem found, each with its file and key.
    """
    root = Path(root)
    col = _Collector(root)
    data = CatalogData()
    _read_geography(col, data)
    _read_vocabularies(col, data)
    _read_administrations(col, data)
    _read_parameters(col, data)
    _read_synonyms(col, data)
    _read_records(col, data, "templates", schemas.TemplateSchema(), data.templates)
    _read_records(col, data, "rights", schemas.RightSchema(), data.rights)
    if not col.issues:
        _check_references(col, data)
    if not col.issues:
        _read_examples(col, data)
        _read_leefloon_examples(col, data)
    if not col.issues and run_examples:
        _run_examples(col, data)
    if col.issues:
        raise CatalogError(col.issues)
    return data


def _read_geography(col: _Collector, data: CatalogData) -> None:
    ref = col.root / "reference"
    nuts = {}
    try:
        lpdc = json.loads((ref / "lpdc-vocabularies.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        col.add(ref / "lpdc-vocabularies.json", "", f"cannot read: {exc}")
        return
    for item in lpdc["geografisch_toepassingsgebied"]["values"]:
        if item.get("lau_nis"):
            nuts[item["lau_nis"]] = item["id"]
    data.vocabularies["_lpdc_raw"] = lpdc  # consumed by _read_vocabularies
    path = ref / "be-municipalities.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                data.municipalities.append(
                    {
                        "nis_code": row["nis_code"],
                        "name_nl": row["name_nl"],
                        "name_fr": row["name_fr"],
                        "name_de": row["name_de"] or None,
                        "arrondissement_nis": row["arrondissement_nis"],
                        "province_nis": row["province_nis"] or None,
                        "province_nl": row["province_nl"] or None,
                        "province_fr": row["province_fr"] or None,
                        "region": row["region"],
                        "valid_from": date.fromisoformat(row["valid_from"]),
                        "valid_until": date.fromisoformat(row["valid_until"])
                        if row["valid_until"]
                        else None,
                        "successor_nis": row["successor_nis"] or None,
                        "nuts_code": nuts.get(row["nis_code"]),
                    }
                )
            except (KeyError, ValueError) as exc:
                col.add(path, f"line {line}", f"bad row: {exc}")
    known = {m["nis_code"] for m in data.municipalities}
    path = ref / "be-postcodes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if row["nis_code"] not in known:
                col.add(path, f"line {line}", f"unknown NIS code {row['nis_code']}")
                continue
            data.postcodes.append(
                {
                    "postcode": row["postcode"],
                    "nis_code": row["nis_code"],
                    "nis_code_until_2024": row["nis_code_until_2024"] or None,
                    "shared": row["postcode_shared"] == "yes",
                    "language_regime": row["language_regime"] or None,
                }
            )


VOCABULARY_SCHEMES = {
    "situations": "situation",
    "statuses": "status",
    "leefloon_income_kinds": "leefloon_income_kind",
}


def _read_vocabularies(col: _Collector, data: CatalogData) -> None:
    vocab_dir = col.root / "vocabularies"
    lpdc = data.vocabularies.pop("_lpdc_raw", None)
    fr_path = vocab_dir / "lpdc_fr.yaml"
    fr = col.read(fr_path) or {}
    if lpdc:
        for scheme, key in LPDC_SCHEMES.items():
            terms = {}
            for order, item in enumerate(lpdc[key]["values"]):
                label = {"nl": item["label_nl"]}
                if item.get("label_en"):
                    label["en"] = item["label_en"]
                if fr.get(key, {}).get(item["id"]):
                    label["fr"] = fr[key][item["id"]]
                terms[item["id"]] = {
                    "label": label,
                    "uri": item["uri"],
                    "order": order,
                    "notation": item.get("notation"),
                    "broader": item.get("broader"),
                }
            data.vocabularies[scheme] = terms
    for name, schema in (
        ("situations", schemas.SituationSchema()),
        ("statuses", schemas.StatusSchema()),
        ("leefloon_income_kinds", schemas.LeefloonIncomeKindSchema()),
    ):
        path = vocab_dir / f"{name}.yaml"
        raw = col.read(path)
        if not isinstance(raw, dict):
            col.add(path, "", "must be a mapping of code to entry")
            continue
        terms = {}
        for order, (code, entry) in enumerate(raw.items()):
            loaded = col.load(schema, entry, path, str(code))
            if loaded is not None:
                terms[code] = {**loaded, "order": order}
        data.vocabularies[VOCABULARY_SCHEMES[name]] = terms
    for name in ("condition_values", "catalogue"):
        path = vocab_dir / f"{name}.yaml"
        raw = col.read(path)
        if not isinstance(raw, dict):
            col.add(path, "", "must be a mapping of vocabulary to codes")
            continue
        for group, codes in raw.items():
            terms = {}
            for order, (code, label) in enumerate((codes or {}).items()):
                try:
                    text = schemas.LangText(required_langs=("nl", "fr", "en")).deserialize(label)
                except ValidationError as exc:
                    for key, message in flatten_errors(exc.messages, f"{group}.{code}"):
                        col.add(path, key, message)
                    continue
                terms[code] = {"label": text, "order": order}
            data.vocabularies[group] = terms
    data.vocabularies["condition_kind"] = {
        name: {"label": dict(kind.label), "order": order}
        for order, (name, kind) in enumerate(KINDS.items())
    }


def _read_administrations(col: _Collector, data: CatalogData) -> None:
    path = col.root / "administrations.yaml"
    raw = col.read(path)
    if not isinstance(raw, list):
        col.add(path, "", "must be a list of administrations")
        return
    active = {m["nis_code"] for m in data.municipalities if m["valid_until"] is None}
    provinces = {m["province_nis"] for m in data.municipalities if m["province_nis"]}
    for index, entry in enumerate(raw):
        loaded = col.load(schemas.AdministrationSchema(), entry, path, f"[{index}]")
        if loaded is None:
            continue
        key = f"[{index}]"
        if loaded["id"] in data.administrations:
            col.add(path, f"{key}.id", f"duplicate id {loaded['id']}")
        if loaded["level"] != LEVEL_OF_KIND[loaded["kind"]]:
            col.add(
                path,
                f"{key}.level",
                f"a {loaded['kind']} has level {LEVEL_OF_KIND[loaded['kind']]}",
            )
        if loaded["kind"] in ("municipality", "ocmw") and loaded.get("municipality") not in active:
            col.add(path, f"{key}.municipality", "must be an active NIS code")
        if loaded.get("province") and loaded["province"] not in provinces:
            col.add(path, f"{key}.province", "unknown province NIS code")
        data.administrations[loaded["id"]] = loaded


def _read_parameters(col: _Collector, data: CatalogData) -> None:
    base = col.root / "parameters"
    for path in sorted(base.rglob("*.yaml")):
        raw = col.read(path)
        if path.name == "index.yaml":
            col.load(schemas.ParameterIndexSchema(), raw, path)
            continue
        loaded = col.load(schemas.ParameterSchema(), raw, path)
        if loaded is None:
            continue
        name = ".".join(path.relative_to(base).with_suffix("").parts)
        values = []
        for when, entry in loaded["values"].items():
            key = f"values.{when}"
            try:
                valid_from = schemas.IsoDate().deserialize(when)
            except ValidationError:
                col.add(path, key, "must be an ISO date YYYY-MM-DD")
                continue
            value = col.load(schemas.ParameterValueSchema(), entry, path, key)
            if value is not None:
                values.append(
                    ParameterValue(valid_from, value["value"], value["source"], value["confidence"])
                )
        if values:
            data.parameters[name] = Parameter(
                name=name,
                description=loaded["description"],
                unit=loaded["unit"],
                period=loaded["period"],
                values=tuple(values),
                last_value_still_valid_on=loaded.get("last_value_still_valid_on"),
            )


def _read_synonyms(col: _Collector, data: CatalogData) -> None:
    path = col.root / "synonyms.yaml"
    if not path.exists():
        return
    raw = col.read(path)
    if not isinstance(raw, list):
        col.add(path, "", "must be a list of groups (lists of words or phrases)")
        return
    for index, group in enumerate(raw):
        if (
            not isinstance(group, list)
            or len(group) < 2
            or not all(isinstance(p, str) and p.strip() for p in group)
        ):
            col.add(path, f"[{index}]", "must be a list of at least two words or phrases")
            continue
        data.synonyms.append([p.strip() for p in group])


def _read_records(
    col: _Collector, data: CatalogData, folder: str, schema: Schema, into: dict[str, dict[str, Any]]
) -> None:
    for path in sorted((col.root / folder).glob("*.y*ml")):
        if path.suffix not in (".yaml", ".yml"):
            continue
        slug = path.stem
        if not schemas.re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", slug):
            col.add(path, "", "file name must be a slug: lower case words joined by '-'")
            continue
        loaded = col.load(schema, col.read(path), path)
        if loaded is not None:
            loaded["slug"] = slug
            loaded["_file"] = str(path.relative_to(col.root.parent))
            into[slug] = loaded


def _check_references(col: _Collector, data: CatalogData) -> None:
    vocab_codes = {name: set(terms) for name, terms in data.vocabularies.items()}
    active = {m["nis_code"] for m in data.municipalities if m["valid_until"] is None}
    provinces = {m["province_nis"] for m in data.municipalities if m["province_nis"]}
    admins = data.administrations
    for kind, records in (("template", data.templates), ("right", data.rights)):
        for slug, rec in records.items():
            path = rec["_file"]
            for field_name, scheme in CODE_FIELDS.items():
                value = rec.get(field_name)
                values = [value] if isinstance(value, str) else (value or [])
                for i, code in enumerate(values):
                    if code not in vocab_codes.get(scheme, ()):
                        key = field_name if isinstance(value, str) else f"{field_name}[{i}]"
                        col.add(path, key, f"unknown {scheme} code {code!r}")
            for field_name in ("competent_authorities", "executing_authorities"):
                for i, admin in enumerate(rec.get(field_name, [])):
                    if admin not in admins:
                        col.add(path, f"{field_name}[{i}]", f"unknown administration {admin!r}")
            _check_levels(col, path, rec, admins)
            for i, other in enumerate(rec.get("related", [])):
                if other not in data.rights or other == slug:
                    col.add(path, f"related[{i}]", f"unknown right {other!r}")
            for i, item in enumerate(rec.get("financial_advantages", [])):
                name = (item.get("amount") or {}).get("parameter")
                if name and name not in data.parameters:
                    col.add(
                        path,
                        f"financial_advantages[{i}].amount.parameter",
                        f"unknown parameter {name!r}",
                    )
            ctx = CriteriaContext(
                vocab=vocab_codes,
                parameters=data.parameters,
                municipalities=active,
                requirement_count=len(rec.get("requirements", [])),
                allow_own=kind == "template",
            )
            criteria = rec.get("criteria")
            if not isinstance(criteria, list):
                col.add(path, "criteria", "must be a list of conditions")
            else:
                for key, message in validate_criteria(criteria, "criteria", ctx):
                    col.add(path, key, message)
            if kind == "right":
                _check_right(col, path, rec, data, active, provinces)


def _check_levels(
    col: _Collector, path: str, rec: Mapping[str, Any], admins: Mapping[str, Mapping[str, Any]]
) -> None:
    # Catalogue model §10.5: selected levels agree with the selected authorities.
    levels = set(rec.get("competent_levels", []))
    for i, admin in enumerate(rec.get("competent_authorities", [])):
        level = admins.get(admin, {}).get("level")
        if level and levels and level not in levels:
            col.add(
                path,
                f"competent_authorities[{i}]",
                f"{admin} is {level}, not among competent_levels",
            )


def _check_right(
    col: _Collector,
    path: str,
    rec: dict[str, Any],
    data: CatalogData,
    active: set[str],
    provinces: set[str],
) -> None:
    scope = rec["scope"]
    for i, nis in enumerate(scope.get("municipalities", [])):
        if nis not in active:
            col.add(
                path,
                f"scope.municipalities[{i}]",
                f"unknown or ended municipality NIS code {nis!r}",
            )
    for i, nis in enumerate(scope.get("provinces", [])):
        if nis not in provinces:
            col.add(path, f"scope.provinces[{i}]", f"unknown province NIS code {nis!r}")
    template = rec.get("template")
    if template and template not in data.templates:
        col.add(path, "template", f"unknown model entry {template!r}")
    if (
        rec["level"] == "local"
        and "municipalities" not in scope
        and "regions" not in scope
        and scope.get("region") != "brussels"
    ):
        col.add(path, "scope", "a local right applies to named municipalities")


def _read_examples(col: _Collector, data: CatalogData) -> None:
    """Worked examples of rights and condition kinds (run by `_run_examples`)."""
    base = col.root / "examples"
    statuses = set(data.vocabularies.get("status", {}))
    vocab_codes = {name: set(terms) for name, terms in data.vocabularies.items()}
    active = {m["nis_code"] for m in data.municipalities if m["valid_until"] is None}
    for folder, schema in (
        ("rights", schemas.RightExamplesSchema()),
        ("kinds", schemas.KindExamplesSchema()),
    ):
        for path in sorted((base / folder).glob("*.yaml")):
            loaded = col.load(schema, col.read(path), path)
            if loaded is None:
                continue
            name = str(path.relative_to(col.root.parent))
            right: dict[str, Any] | None = None
            if folder == "rights":
                right = data.rights.get(loaded["right"])
                if right is None:
                    col.add(path, "right", f"unknown right {loaded['right']!r}")
                    continue
            elif loaded["kind"] not in KINDS:
                col.add(path, "kind", f"unknown condition kind {loaded['kind']!r}")
                continue
            if right is not None:
                data.right_examples[loaded["right"]] = to_jsonable(loaded["cases"])
            for i, case in enumerate(loaded["cases"]):
                key = f"cases[{i}]"
                try:
                    profile = load_profile(case["profile"], statuses=statuses)
                except ValidationError as exc:
                    for sub, message in flatten_errors(exc.messages, f"{key}.profile"):
                        col.add(path, sub, message)
                    continue
                if right is not None:
                    criteria = right["criteria"]
                    own = right["scope"].get("municipalities", ())
                else:
                    criteria = case["criteria"]
                    ctx = CriteriaContext(
                        vocab=vocab_codes,
                        parameters=data.parameters,
                        municipalities=active,
                        requirement_count=0,
                    )
                    problems = validate_criteria(criteria, f"{key}.criteria", ctx)
                    for sub, message in problems:
                        col.add(path, sub, message)
                    if problems:
                        continue
                    own = ()
                data.examples.append(
                    Case(
                        file=name,
                        index=i,
                        name=case["name"],
                        criteria=criteria,
                        on=case["date"],
                        profile=profile,
                        expect=case["expect"],
                        missing=case.get("missing"),
                        discretionary=case.get("discretionary"),
                        municipality_nis=case.get("municipality_nis"),
                        own_municipalities=own,
                    )
                )


def _read_leefloon_examples(col: _Collector, data: CatalogData) -> None:
    statuses = set(data.vocabularies.get("status", {}))
    for path in sorted((col.root / "examples" / "leefloon").glob("*.yaml")):
        loaded = col.load(schemas.LeefloonExamplesSchema(), col.read(path), path)
        if loaded is None:
            continue
        for i, case in enumerate(loaded["cases"]):
            key = f"cases[{i}]"
            try:
                profile = load_profile(case["profile"], statuses=statuses)
                choices = OcmwChoicesSchema().load(case["ocmw_choices"])
            except ValidationError as exc:
                for sub, message in flatten_errors(exc.messages, f"{key}.profile"):
                    col.add(path, sub, message)
                continue
            data.leefloon_examples.append(
                LeefloonCase(
                    file=str(path.relative_to(col.root.parent)),
                    index=i,
                    name=case["name"],
                    on=case["date"],
                    profile=profile,
                    choices=choices,
                    expect=case["expect"],
                )
            )


def _run_examples(col: _Collector, data: CatalogData) -> None:
    places = data.places()
    for case in data.examples:
        failure = run_case(case, data.parameters, places)
        if failure:
            col.add(case.file, case.label, failure)
    rules = income_rules(data.vocabularies.get("leefloon_income_kind", {}))
    for leefloon_case in data.leefloon_examples:
        failure = run_leefloon_case(leefloon_case, data.parameters, rules)
        if failure:
            col.add(leefloon_case.file, leefloon_case.label, failure)
