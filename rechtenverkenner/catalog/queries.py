"""Which rights apply where, and filtering with facets: pure functions over a Snapshot.

A right applies in a municipality when its scope says so: local rights name their
municipalities, provincial rights their provinces, Flemish and federal rights their regions
(api.md, `GET /api/v1/rights`). Facets count the matches with every filter except their own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .snapshot import Snapshot

FACETS = ("theme", "situation", "level", "product_type", "target_group")
# Which document field each filter reads.
FACET_FIELDS = {
    "theme": "themes",
    "situation": "situations",
    "level": "level",
    "product_type": "product_type",
    "target_group": "target_audiences",
}


class UnknownMunicipality(LookupError):
    """No municipality matches the given NIS code, postcode or name."""


def normalise(text: str) -> str:
    """Lower case, no accents, only letters and digits: for forgiving comparisons."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def resolve_municipalities(snapshot: Snapshot, text: str) -> list[dict[str, Any]]:
    """Municipalities meant by a NIS code, a postcode or a name; active ones only.

    A postcode can belong to two municipalities (four Brussels postcodes): both are returned.
    An old (pre-2025) NIS code resolves to the municipality it merged into.

    Raises:
        UnknownMunicipality: nothing matches.
    """
    key = text.strip()
    munis = snapshot.municipalities
    found: list[dict[str, Any]] = []
    if re.fullmatch(r"\d{5}", key) and key in munis:
        muni = munis[key]
        while muni["valid_until"] is not None and muni.get("successor_nis") in munis:
            muni = munis[muni["successor_nis"]]
        found = [muni]
    elif re.fullmatch(r"\d{4}", key):
        found = [munis[n] for n in snapshot.postcodes.get(key, []) if n in munis]
    else:
        wanted = normalise(key)
        if wanted:
            found = [
                m
                for m in snapshot.active_municipalities()
                if wanted
                in (normalise(m["name_nl"]), normalise(m["name_fr"]), normalise(m["name_de"] or ""))
            ]
    found = [m for m in found if m["valid_until"] is None]
    if not found:
        raise UnknownMunicipality(text)
    return found


def applies_in(right: Mapping[str, Any], muni: Mapping[str, Any]) -> bool:
    """Does this right apply to someone living in this municipality?"""
    scope = right.get("scope") or {}
    if "municipalities" in scope:
        return muni["nis_code"] in scope["municipalities"]
    if "provinces" in scope:
        return muni["province_nis"] in scope["provinces"]
    regions = scope.get("regions") or ([scope["region"]] if scope.get("region") else [])
    return "belgium" in regions or muni["region"] in regions


def municipalities_of(right: Mapping[str, Any], snapshot: Snapshot) -> list[str]:
    """NIS codes a local right names (empty for rights of a wider scope)."""
    return list((right.get("scope") or {}).get("municipalities", []))


@dataclass
class RightFilters:
    """The filters of `GET /api/v1/rights` and of the list page."""

    q: str = ""
    municipality: str = ""
    theme: Sequence[str] = ()
    situation: Sequence[str] = ()
    level: Sequence[str] = ()
    product_type: Sequence[str] = ()
    target_group: Sequence[str] = ()

    def selected(self, facet: str) -> Sequence[str]:
        return getattr(self, facet)


@dataclass
class RightResults:
    """Matches (best first), facet counts and the municipalities the filter resolved to."""

    items: list[tuple[dict[str, Any], float]] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    municipalities: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items)


def _values(right: Mapping[str, Any], facet: str) -> list[str]:
    value = right.get(FACET_FIELDS[facet])
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _text_score(right: Mapping[str, Any], terms: list[str]) -> float:
    """Every query word must start a word of the right; title hits count most."""
    if not terms:
        return 1.0
    fields = (
        (3.0, " ".join(right["title"].values())),
        (2.0, " ".join(w for words in right.get("keywords", {}).values() for w in words)),
        (1.5, " ".join(right.get("summary", {}).values())),
        (1.0, " ".join(right.get("description", {}).values())),
    )
    words = [(weight, set(normalise(text).split())) for weight, text in fields]
    score = 0.0
    for term in terms:
        best = max((w for w, vocab in words if any(v.startswith(term) for v in vocab)), default=0.0)
        if not best:
            return 0.0
        score += best
    return score


def filter_rights(snapshot: Snapshot, filters: RightFilters) -> RightResults:
    """Apply the filters; count facets with every filter but their own."""
    results = RightResults()
    candidates: Iterable[dict[str, Any]] = snapshot.rights
    if filters.municipality:
        results.municipalities = resolve_municipalities(snapshot, filters.municipality)
        candidates = [
            r for r in candidates if any(applies_in(r, m) for m in results.municipalities)
        ]
    terms = normalise(filters.q).split()
    scored = []
    for right in candidates:
        score = _text_score(right, terms)
        if score:
            scored.append((right, score))
    chosen = {f: set(filters.selected(f)) for f in FACETS}

    def passes(right: Mapping[str, Any], skip: str | None = None) -> bool:
        return all(
            not wanted or wanted & set(_values(right, f))
            for f, wanted in chosen.items()
            if f != skip
        )

    for facet in FACETS:
        counts: dict[str, int] = {}
        for right, _score in scored:
            if passes(right, skip=facet):
                for code in _values(right, facet):
                    counts[code] = counts.get(code, 0) + 1
        results.facets[facet] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    matches = [(r, s) for r, s in scored if passes(r)]
    level_rank = {"local": 0, "provincial": 1, "flemish": 2, "federal": 3}
    matches.sort(
        key=lambda rs: (
            -rs[1],
            level_rank.get(rs[0]["level"], 9),
            rs[0]["title"].get("nl", "").casefold(),
        )
    )
    results.items = matches
    return results
