"""A read-only, in-memory snapshot of the published catalogue, shared by the pages and the API.

Each worker keeps one snapshot and asks the database, at most every few seconds, for the shared
catalogue version; when another worker or a command published something, the version moved and
the snapshot is rebuilt. So no worker ever knows something the others cannot know.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from ..rules.conditions import Labeller
from ..rules.parameters import Parameter as RuleParameter
from ..rules.parameters import ParameterValue
from ..search.index import Places, SearchIndex
from ..search.text import tokens
from .models import Administration, Municipality, Parameter, Postcode, VocabularyTerm
from .services import get_catalog_version, published_right_documents, template_documents


@dataclass(frozen=True)
class Snapshot:
    """The published catalogue and its reference data as plain Python data."""

    version: int
    rights: tuple[dict[str, Any], ...] = ()
    templates: tuple[dict[str, Any], ...] = ()
    municipalities: dict[str, dict[str, Any]] = field(default_factory=dict)
    postcodes: dict[str, list[str]] = field(default_factory=dict)
    vocabularies: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    administrations: dict[str, dict[str, Any]] = field(default_factory=dict)
    parameters: dict[str, RuleParameter] = field(default_factory=dict)
    # Things worked out from the data once per snapshot (engine tables, caches); never changes
    # what the snapshot says, so workers stay interchangeable.
    derived: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        by_key: dict[str, dict[str, Any]] = {}
        for doc in self.rights:
            by_key[doc["id"]] = doc
            by_key[doc["slug"]] = doc
        object.__setattr__(self, "_rights_by_key", by_key)
        tpl: dict[str, dict[str, Any]] = {}
        for doc in self.templates:
            tpl[doc["id"]] = doc
            tpl[doc["slug"]] = doc
        object.__setattr__(self, "_templates_by_key", tpl)
        object.__setattr__(self, "_labellers", {})
        object.__setattr__(self, "_index", None)
        object.__setattr__(self, "_index_lock", threading.Lock())

    @property
    def index(self) -> SearchIndex:
        """The search index of this snapshot, built once on first use."""
        if self._index is None:  # type: ignore[attr-defined]
            with self._index_lock:  # type: ignore[attr-defined]
                if self._index is None:  # type: ignore[attr-defined]
                    groups = [
                        t["extra"]["phrases"]
                        for t in self.vocabularies.get("synonyms", {}).values()
                    ]
                    object.__setattr__(
                        self,
                        "_index",
                        SearchIndex.build(self.rights, synonyms=groups, places=self.places()),
                    )
        return self._index  # type: ignore[attr-defined]

    def places(self) -> Places:
        """Municipality names and postcodes the search recognises in a query."""
        names: dict[str, list[str]] = {}
        for muni in self.active_municipalities():
            for name in {muni["name_nl"], muni["name_fr"], muni["name_de"] or ""}:
                key = " ".join(tokens(name))
                if key and muni["nis_code"] not in names.setdefault(key, []):
                    names[key].append(muni["nis_code"])
        active = {m["nis_code"] for m in self.active_municipalities()}
        for postcode, codes in self.postcodes.items():
            names[postcode] = [c for c in codes if c in active]
        return Places(
            names={k: tuple(v) for k, v in names.items() if v},
            province={m["nis_code"]: m["province_nis"] for m in self.active_municipalities()},
            region={m["nis_code"]: m["region"] for m in self.active_municipalities()},
            longest_name=max((len(k.split()) for k in names), default=1),
        )

    def right(self, key: str) -> dict[str, Any] | None:
        return self._rights_by_key.get(key)  # type: ignore[attr-defined]

    def template(self, key: str) -> dict[str, Any] | None:
        return self._templates_by_key.get(key)  # type: ignore[attr-defined]

    def label(self, scheme: str, code: str, lang: str) -> str:
        term = self.vocabularies.get(scheme, {}).get(code)
        if not term:
            return code
        return term["label"].get(lang) or term["label"].get("nl") or code

    def labeller(self, on: date | None = None) -> Labeller:
        """Labels for condition sentences; parameters are shown with their amount on `on`."""
        on = on or date.today()
        cache = self._labellers  # type: ignore[attr-defined]
        if on not in cache:
            values = {
                scheme: {code: t["label"] for code, t in terms.items()}
                for scheme, terms in self.vocabularies.items()
            }
            params = {name: _parameter_label(p, on) for name, p in self.parameters.items()}
            names = {nis: m["name_nl"] for nis, m in self.municipalities.items()}
            cache[on] = Labeller(values, params, names)
        return cache[on]

    def active_municipalities(self) -> list[dict[str, Any]]:
        return [m for m in self.municipalities.values() if m["valid_until"] is None]


def _parameter_label(param: RuleParameter, on: date) -> dict[str, str]:
    """Show a threshold as its amount on a date, e.g. '1.314,20 euro per maand (2025-02-01)'."""
    try:
        value = param.at(on)
    except LookupError:
        return dict(param.description)
    amount = value.value
    per = {
        "month": {"nl": " per maand", "fr": " par mois", "en": " per month"},
        "year": {"nl": " per jaar", "fr": " par an", "en": " per year"},
    }.get(param.period, {})
    out = {}
    for lang in ("nl", "fr", "en"):
        text = format_money(amount, lang) if param.unit == "EUR" else f"{amount.normalize():f}"
        out[lang] = f"{text}{per.get(lang, '')} ({value.valid_from.isoformat()})"
    return out


def format_money(amount: Decimal, lang: str) -> str:
    """Euro amounts as people in Belgium write them: 1.314,20 euro (nl/fr), EUR 1,314.20 (en)."""
    text = f"{amount:,.2f}"
    if lang == "en":
        return f"EUR {text}"
    text = text.replace(",", " ").replace(".", ",").replace(" ", "." if lang == "nl" else "\u202f")
    return f"{text} euro"


def build_snapshot(*, session: Session) -> Snapshot:
    """Read the published catalogue and its reference data from the database."""
    version = get_catalog_version(session=session)
    munis = {}
    for m in session.exec(select(Municipality)):
        munis[m.nis_code] = m.model_dump()
    postcodes: dict[str, list[str]] = {}
    for p in session.exec(select(Postcode).order_by(Postcode.postcode, Postcode.nis_code)):
        postcodes.setdefault(p.postcode, []).append(p.nis_code)
    vocab: dict[str, dict[str, dict[str, Any]]] = {}
    terms = session.exec(
        select(VocabularyTerm).order_by(VocabularyTerm.scheme, VocabularyTerm.sort_order)
    )
    for t in terms:
        vocab.setdefault(t.scheme, {})[t.code] = t.model_dump()
    admins = {a.id: a.model_dump() for a in session.exec(select(Administration))}
    params = {}
    for p in session.exec(select(Parameter)):
        values = tuple(
            ParameterValue(
                date.fromisoformat(v["valid_from"]),
                Decimal(v["value"]),
                v["source"],
                v.get("confidence", "high"),
            )
            for v in p.values
        )
        params[p.name] = RuleParameter(
            p.name, p.description, p.unit, p.period, values, p.last_value_still_valid_on
        )
    return Snapshot(
        version=version,
        rights=tuple(
            sorted(
                published_right_documents(session=session),
                key=lambda d: d["title"].get("nl", d["slug"]).casefold(),
            )
        ),
        templates=tuple(
            sorted(
                template_documents(session=session),
                key=lambda d: d["title"].get("nl", d["slug"]).casefold(),
            )
        ),
        municipalities=munis,
        postcodes=postcodes,
        vocabularies=vocab,
        administrations=admins,
        parameters=params,
    )


class SnapshotCache:
    """One snapshot per worker, refreshed when the shared catalogue version moves."""

    def __init__(self, check_every: float) -> None:
        self.check_every = check_every
        self._snapshot: Snapshot | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def get(self, session: Session) -> Snapshot:
        now = time.monotonic()
        current = self._snapshot
        if current is not None and now - self._checked_at < self.check_every:
            return current
        with self._lock:
            version = get_catalog_version(session=session)
            if self._snapshot is None or self._snapshot.version != version:
                self._snapshot = build_snapshot(session=session)
            self._checked_at = time.monotonic()
            return self._snapshot

    def invalidate(self) -> None:
        with self._lock:
            self._snapshot = None
