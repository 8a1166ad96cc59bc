"""Coverage of the model entries, for the Kenniscentrum: who took which entry, what is stale.

A model entry (`EntryTemplate`) is covered in a centrumstad when the city or its OCMW owns a
right made from it (`Right.template_id`); Brussels is followed through the VGC (administrations
of kind "vgc"). Archived rights do not count: the city no longer offers them. A right is stale
when nobody checked its facts (`last_checked`) in the twelve months before today, or ever.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from ..catalog.models import Administration, EntryTemplate, Municipality, Right, RightStatus

# The 13 centrumsteden of Flanders (NIS codes, Statbel REFNIS), in alphabetical order.
CENTRUMSTEDEN: tuple[tuple[str, str], ...] = (
    ("41002", "Aalst"),
    ("11002", "Antwerpen"),
    ("31005", "Brugge"),
    ("71016", "Genk"),
    ("44021", "Gent"),
    ("71072", "Hasselt"),
    ("34022", "Kortrijk"),
    ("24062", "Leuven"),
    ("12025", "Mechelen"),
    ("35013", "Oostende"),
    ("36015", "Roeselare"),
    ("46021", "Sint-Niklaas"),
    ("13040", "Turnhout"),
)
CITY_KINDS = frozenset({"municipality", "ocmw"})  # "the city or its OCMW"
VGC_KIND = "vgc"
VGC_KEY = "vgc"
VGC_NAME = {"nl": "VGC (Brussel)", "fr": "VGC (Bruxelles)", "en": "VGC (Brussels)"}
STALE_AFTER_MONTHS = 12


@dataclass(frozen=True)
class TemplateColumn:
    """A model entry that is not archived: one column of the coverage table."""

    id: str
    slug: str
    title: dict[str, str]


@dataclass(frozen=True)
class CoverageRow:
    """One centrumstad (key: its NIS code) or the VGC (key: "vgc")."""

    key: str
    name: dict[str, str]
    administration_ids: tuple[str, ...]
    added: dict[str, bool]  # model entry id -> the city has a right made from it
    rights: int  # rights (not archived) owned by the city or its OCMW, from a model or not

    @property
    def added_count(self) -> int:
        return sum(self.added.values())


@dataclass(frozen=True)
class StaleRight:
    """A right (not archived) whose facts were last checked before the cut-off, or never."""

    id: str
    slug: str
    title: dict[str, str]
    status: str
    owner_id: str | None
    owner_name: dict[str, str]
    last_checked: date | None


@dataclass(frozen=True)
class Coverage:
    today: date
    checked_before: date  # rights last checked before this date are stale
    templates: list[TemplateColumn]
    rows: list[CoverageRow]
    stale: list[StaleRight] = field(default_factory=list)

    def added_by(self, template_id: str) -> int:
        """How many rows (cities and the VGC) have a right from this model entry."""
        return sum(1 for row in self.rows if row.added.get(template_id))


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or that month's last day (29 February -> 28 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _is_archived(status: str, archived: bool) -> bool:
    return archived or status == RightStatus.archived


def coverage(session: Session, today: date) -> Coverage:
    """Which centrumsteden and the VGC took which model entry, and which rights are stale."""
    templates = [
        TemplateColumn(id=t.id, slug=t.slug, title=dict(t.title))
        for t in session.exec(
            select(EntryTemplate)
            .where(EntryTemplate.archived.is_(False))  # type: ignore[attr-defined]
            .order_by(EntryTemplate.slug)
        )
    ]
    admins = {a.id: a for a in session.exec(select(Administration))}
    rights = session.exec(
        select(
            Right.id,
            Right.slug,
            Right.title,
            Right.status,
            Right.archived,
            Right.owner_id,
            Right.template_id,
            Right.last_checked,
        ).order_by(Right.slug)
    ).all()
    live = [r for r in rights if not _is_archived(r.status, r.archived)]

    def row(key: str, name: dict[str, str], admin_ids: list[str]) -> CoverageRow:
        owned = [r for r in live if r.owner_id in admin_ids]
        made_from = {r.template_id for r in owned if r.template_id}
        return CoverageRow(
            key=key,
            name=name,
            administration_ids=tuple(sorted(admin_ids)),
            added={t.id: t.id in made_from for t in templates},
            rights=len(owned),
        )

    municipalities = {
        m.nis_code: m
        for m in session.exec(
            select(Municipality).where(
                Municipality.nis_code.in_([nis for nis, _name in CENTRUMSTEDEN])  # type: ignore[attr-defined]
            )
        )
    }
    rows = []
    for nis, fallback in CENTRUMSTEDEN:
        found = municipalities.get(nis)
        name = {"nl": found.name_nl, "fr": found.name_fr} if found else {"nl": fallback}
        admin_ids = [
            a.id for a in admins.values() if a.municipality_nis == nis and a.kind in CITY_KINDS
        ]
        rows.append(row(nis, name, admin_ids))
    rows.append(row(VGC_KEY, VGC_NAME, [a.id for a in admins.values() if a.kind == VGC_KIND]))

    cutoff = months_before(today, STALE_AFTER_MONTHS)
    stale = [
        StaleRight(
            id=r.id,
            slug=r.slug,
            title=dict(r.title or {}),
            status=str(r.status),
            owner_id=r.owner_id,
            owner_name=dict(admins[r.owner_id].name) if r.owner_id in admins else {},
            last_checked=r.last_checked,
        )
        for r in live
        if r.last_checked is None or r.last_checked < cutoff
    ]
    # Never checked first, then the oldest check: the most urgent work on top.
    stale.sort(key=lambda s: (s.last_checked is not None, s.last_checked or today, s.slug))
    return Coverage(today=today, checked_before=cutoff, templates=templates, rows=rows, stale=stale)
