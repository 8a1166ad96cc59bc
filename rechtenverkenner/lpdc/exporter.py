"""Export of the catalogue: right versions as an LPDC LDES (JSON-LD pages), and a CSV table.

The stream holds the newest version of every published right (`published_right_documents`)
and, so that receivers learn about withdrawals (catalogue model §9), the archived version of
every archived right that was ever published. Members are ordered by `generatedAtTime` (then
IRI) and cut into pages of `PAGE_SIZE`, linked by TREE relations; page numbers start at 0, as
LPDC's own streams do.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from ..catalog.models import (
    Administration,
    EntryTemplate,
    Municipality,
    Right,
    RightStatus,
    RightVersion,
)
from ..catalog.services import published_right_documents
from ..i18n import pick
from .mapping import InstanceLinks, instance_member, ldes_page
from .reference import load_geography

PAGE_SIZE = 50
DEFAULT_STREAM = "https://rechtenverkenner.vlaanderen.be/api/v1/export/lpdc"


class ExportError(RuntimeError):
    """The catalogue holds something the export cannot write (it names the right)."""


@dataclass(frozen=True)
class Member:
    generated_at: datetime
    data: dict[str, Any]


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def right_members(*, session: Session) -> list[dict[str, Any]]:
    """Every published right (and every archived one) as an LPDC instance snapshot, in order."""
    docs = published_right_documents(session=session)
    archived_query = (
        select(RightVersion.data)
        .join(Right, (Right.id == RightVersion.right_id) & (Right.version == RightVersion.number))
        .where(Right.version > 0, Right.status == RightStatus.archived)
    )
    docs += [d for d in session.exec(archived_query) if d.get("archived")]
    latest = select(
        RightVersion.right_id, RightVersion.number, RightVersion.iri, RightVersion.generated_at
    ).join(Right, (Right.id == RightVersion.right_id) & (Right.version == RightVersion.number))
    versions = {(r, n): (iri, at) for r, n, iri, at in session.exec(latest)}
    rows = select(Right.id, Right.lpdc_extra, Right.lpdc_metadata, Right.template_iri)
    kept = {rid: (extra, meta, tpl) for rid, extra, meta, tpl in session.exec(rows)}
    admins = {a.id: a.iri for a in session.exec(select(Administration))}
    templates = {t.id: t.iri for t in session.exec(select(EntryTemplate))}
    geography = load_geography(session=session)
    members = []
    for doc in docs:
        iri, generated_at = versions[(doc["id"], doc["version"])]
        extra, metadata, template_iri = kept[doc["id"]]

        def iris(ids: Iterable[str], doc: dict[str, Any] = doc) -> list[str]:
            missing = [i for i in ids if i not in admins]
            if missing:
                raise ExportError(f"right {doc['slug']}: unknown administration {missing[0]!r}")
            return [admins[i] for i in ids]

        links = InstanceLinks(
            version_iri=iri,
            generated_at=generated_at,
            owner_iri=admins.get(doc.get("owner_id") or ""),
            competent_iris=iris(doc.get("competent_authorities") or []),
            executing_iris=iris(doc.get("executing_authorities") or []),
            template_iri=templates.get(doc.get("template_id") or "") or template_iri,
            extra=extra or {},
            received=(metadata or {}).get("received", {}),
        )
        try:
            data = instance_member(doc, links, geography)
        except (KeyError, ValueError) as exc:
            raise ExportError(f"right {doc['slug']}: {exc}") from exc
        members.append(Member(_aware(generated_at), data))
    members.sort(key=lambda m: (m.generated_at, m.data["@id"]))
    return [m.data for m in members]


def page_count(members: list[Any], page_size: int = PAGE_SIZE) -> int:
    return max(1, -(-len(members) // page_size))


def ldes_pages(
    members: list[dict[str, Any]], *, stream_iri: str = DEFAULT_STREAM, page_size: int = PAGE_SIZE
) -> list[dict[str, Any]]:
    """The whole stream as pages (page 0 first); an empty catalogue is one empty page."""
    pages = page_count(members, page_size)
    return [
        ldes_page(
            members[n * page_size : (n + 1) * page_size],
            page=n,
            pages=pages,
            stream_iri=stream_iri,
            page_iri=lambda k: f"{stream_iri}?pageNumber={k}",
        )
        for n in range(pages)
    ]


# -- CSV -------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "slug",
    "title_nl",
    "title_fr",
    "title_en",
    "summary_nl",
    "level",
    "access",
    "owner",
    "competent_authorities",
    "executing_authorities",
    "territory",
    "nis_codes",
    "product_type",
    "themes",
    "target_audiences",
    "situations",
    "start_date",
    "end_date",
    "product_number",
    "model_entry",
    "version",
    "modified_at",
    "last_checked",
    "confidence",
    "more_info",
    "contact",
    "page",
    "iri",
)
LEVEL_ORDER = {"federal": 0, "flemish": 1, "provincial": 2, "local": 3}
REGION_NAMES = {
    "belgium": "België",
    "flanders": "Vlaanderen",
    "brussels": "Brussel",
    "wallonia": "Wallonië",
}
LIST_SEPARATOR = "; "


def _safe(value: Any) -> str:
    """A cell as text; a leading = + - @ is quoted so that spreadsheets never run it."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(*, session: Session, site_url: str = "") -> list[dict[str, str]]:
    """One row per published right: the main fields, in Dutch, lists joined with '; '."""
    admins = {a.id: a for a in session.exec(select(Administration))}
    places = {m.nis_code: m for m in session.exec(select(Municipality))}
    provinces = {m.province_nis: m.province_nl for m in places.values() if m.province_nis}
    templates = {t.id: t.slug for t in session.exec(select(EntryTemplate))}
    docs = sorted(
        published_right_documents(session=session),
        key=lambda d: (LEVEL_ORDER.get(d["level"], 9), pick(d["title"], "nl").casefold()),
    )

    def names(ids: Iterable[str]) -> str:
        return LIST_SEPARATOR.join(
            pick(admins[i].name, "nl") if i in admins else i for i in ids or []
        )

    rows = []
    for doc in docs:
        scope = doc.get("scope") or {}
        nis = scope.get("municipalities") or []
        if nis:
            territory = [places[n].name_nl if n in places else n for n in nis]
        elif scope.get("provinces"):
            territory = [provinces.get(p, p) for p in scope["provinces"]]
        else:
            regions = scope.get("regions") or [scope.get("region", "")]
            territory = [REGION_NAMES.get(r, r) for r in regions]
        contact = []
        for point in doc.get("contact_points") or []:
            contact += [point[k] for k in ("email", "phone") if point.get(k)]
        row = {
            "slug": doc["slug"],
            "title_nl": (doc.get("title") or {}).get("nl", ""),
            "title_fr": (doc.get("title") or {}).get("fr", ""),
            "title_en": (doc.get("title") or {}).get("en", ""),
            "summary_nl": (doc.get("summary") or {}).get("nl", ""),
            "level": doc.get("level"),
            "access": doc.get("access"),
            "owner": names([doc["owner_id"]] if doc.get("owner_id") else []),
            "competent_authorities": names(doc.get("competent_authorities")),
            "executing_authorities": names(doc.get("executing_authorities")),
            "territory": LIST_SEPARATOR.join(territory),
            "nis_codes": LIST_SEPARATOR.join(nis),
            "product_type": doc.get("product_type"),
            "themes": LIST_SEPARATOR.join(doc.get("themes") or []),
            "target_audiences": LIST_SEPARATOR.join(doc.get("target_audiences") or []),
            "situations": LIST_SEPARATOR.join(doc.get("situations") or []),
            "start_date": doc.get("start_date"),
            "end_date": doc.get("end_date"),
            "product_number": doc.get("product_number"),
            "model_entry": templates.get(doc.get("template_id") or "", ""),
            "version": doc.get("version"),
            "modified_at": str(doc.get("modified_at") or "")[:10],
            "last_checked": doc.get("last_checked"),
            "confidence": doc.get("confidence"),
            "more_info": LIST_SEPARATOR.join(i["url"] for i in doc.get("more_info") or []),
            "contact": LIST_SEPARATOR.join(contact),
            "page": f"{site_url.rstrip('/')}/rechten/{doc['slug']}",
            "iri": doc.get("iri"),
        }
        rows.append({k: _safe(v) for k, v in row.items()})
    return rows


def csv_text(rows: list[dict[str, str]], *, delimiter: str = ";") -> str:
    """The rows as CSV with a header, UTF-8 with a byte order mark (spreadsheets want it)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
