"""Which rights apply where, and filtering with facets: pure functions over a Snapshot.

A right applies in a municipality when its scope says so: local rights name their
municipalities, provincial rights their provinces, Flemish and federal rights their regions
(api.md, `GET /api/v1/rights`). Facets count the matches with every filter except their own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..search.index import FACET_FIELDS
from ..search.text import fold
from .snapshot import Snapshot

FACETS = tuple(FACET_FIELDS)


class UnknownMunicipality(LookupError):
    """No municipality matches the given NIS code, postcode or name."""


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
        wanted = fold(key)
        if wanted:
            found = [
                m
                for m in snapshot.active_municipalities()
                if wanted in (fold(m["name_nl"]), fold(m["name_fr"]), fold(m["name_de"] or ""))
            ]
    found = [m for m in found if m["valid_until"] is None]
    if not found:
        raise UnknownMunicipality(text)
    return found


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
    """One page of matches (best first), the total, facets and what the query was read as."""

    items: list[tuple[dict[str, Any], float]] = field(default_factory=list)
    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    municipalities: list[dict[str, Any]] = field(default_factory=list)
    did_you_mean: str | None = None
    matched_terms: frozenset[str] = frozenset()
    prefix_terms: frozenset[str] = frozenset()


SEARCH_CACHE_SIZE = 2048  # answers kept per snapshot: popular searches repeat all day


def filter_rights(
    snapshot: Snapshot, filters: RightFilters, *, limit: int = 20, offset: int = 0
) -> RightResults:
    """Search and filter the published rights; facets count with every filter but their own.

    Answers are kept per catalogue snapshot (the same on every worker for the same version, and
    dropped with the snapshot when a publish moves the version), so a repeated search costs a
    dictionary lookup.

    Raises:
        UnknownMunicipality: the municipality filter names no municipality.
    """
    key = (
        filters.q,
        filters.municipality,
        *(tuple(filters.selected(facet)) for facet in FACETS),
        limit,
        offset,
    )
    cache = snapshot.derived.setdefault("search_cache", {})
    found = cache.get(key)
    if found is None:
        found = _filter_rights(snapshot, filters, limit=limit, offset=offset)
        if len(cache) >= SEARCH_CACHE_SIZE:
            cache.pop(next(iter(cache)))  # the oldest first
        cache[key] = found
    return found


def _filter_rights(
    snapshot: Snapshot, filters: RightFilters, *, limit: int, offset: int
) -> RightResults:
    municipalities: list[dict[str, Any]] = []
    if filters.municipality:
        municipalities = resolve_municipalities(snapshot, filters.municipality)
    result = snapshot.index.search(
        filters.q,
        limit=limit,
        offset=offset,
        filters={facet: filters.selected(facet) for facet in FACETS},
        municipalities=[m["nis_code"] for m in municipalities],
    )
    if not municipalities and result.places:
        municipalities = [snapshot.municipalities[n] for n in result.places]
    return RightResults(
        items=[(snapshot.rights[position], score) for position, score in result.hits],
        total=result.total,
        facets=result.facets,
        municipalities=municipalities,
        did_you_mean=result.did_you_mean,
        matched_terms=result.matched_terms,
        prefix_terms=result.prefix_terms,
    )
