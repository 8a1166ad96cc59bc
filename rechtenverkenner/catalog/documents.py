"""Plain-data documents of rights and model entries: the complete record as JSON-ready dicts.

One function builds the document that versions store, the API returns and the engines read, so
there is one shape of "a whole right" everywhere.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .models import ITEM_LISTS, RecordItem

ID_NAMESPACE = uuid.UUID("5b0c6c1e-6d43-4a0e-9a55-6f3f2f0e7a11")
RIGHT_IRI = "http://data.lblod.info/id/public-service/{}"
RIGHT_VERSION_IRI = "http://data.lblod.info/id/public-service-snapshot/{}"
TEMPLATE_IRI = "https://rechtenverkenner.vlaanderen.be/id/concept/{}"
TEMPLATE_VERSION_IRI = "https://rechtenverkenner.vlaanderen.be/id/concept-snapshot/{}"

CONTENT_FIELDS = (
    "title",
    "summary",
    "description",
    "additional_description",
    "exceptions",
    "regulation_text",
    "level",
    "access",
    "product_type",
    "target_audiences",
    "themes",
    "situations",
    "competent_levels",
    "competent_authorities",
    "executing_levels",
    "executing_authorities",
    "languages",
    "keywords",
    "publication_channels",
    "your_europe_categories",
    "tags",
    "start_date",
    "end_date",
    "product_number",
    "criteria",
    "related",
    "sources",
    "last_checked",
    "confidence",
)
RIGHT_FIELDS = (*CONTENT_FIELDS, "scope", "archived", "dutch_variant")
TEMPLATE_FIELDS = (*CONTENT_FIELDS, "archived")


def stable_id(kind: str, slug: str) -> str:
    """A deterministic id for a record loaded from `catalog/`, so reloading never duplicates."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{slug}"))


def version_id(record_id: str, number: int) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"version:{record_id}:{number}"))


def to_jsonable(value: Any) -> Any:
    """Dates to ISO text, Decimals to text: JSON keeps them exact."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def content_hash(content: dict[str, Any]) -> str:
    """Hash of the functional content; equal content gives an equal hash."""
    text = json.dumps(to_jsonable(content), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def items_from_content(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Split a record's child lists into item rows (list name, order, texts, url, rest)."""
    rows = []
    for list_name in ITEM_LISTS:
        for order, item in enumerate(content.get(list_name) or [], start=1):
            item = dict(item)
            rows.append(
                {
                    "list_name": list_name,
                    "order": order,
                    "title": item.pop("title", {}) or {},
                    "description": item.pop("description", {}) or {},
                    "url": item.pop("url", None),
                    "data": to_jsonable(item),
                }
            )
    return rows


def items_to_lists(items: list[RecordItem] | list[dict[str, Any]]) -> dict[str, list[dict]]:
    """Rebuild the child lists of a record from its item rows, in order."""
    lists: dict[str, list[dict]] = {name: [] for name in ITEM_LISTS}
    rows = [i if isinstance(i, dict) else i.model_dump() for i in items]
    for row in sorted(rows, key=lambda r: (r["list_name"], r["order"])):
        item: dict[str, Any] = {"id": row.get("id"), "order": row["order"]}
        if row["title"]:
            item["title"] = row["title"]
        if row["description"]:
            item["description"] = row["description"]
        if row.get("url"):
            item["url"] = row["url"]
        item.update(row.get("data") or {})
        lists[row["list_name"]].append(item)
    return lists


def record_document(record: Any, items: list[RecordItem], fields: tuple[str, ...]) -> dict:
    """The complete record as a JSON-ready dict."""
    doc: dict[str, Any] = {
        "id": record.id,
        "slug": record.slug,
        "iri": record.iri,
        "version": record.version,
        "created_at": record.created_at,
        "modified_at": record.modified_at,
    }
    for name in fields:
        doc[name] = getattr(record, name)
    for extra in ("status", "owner_id", "template_id", "review_status"):
        if hasattr(record, extra):
            doc[extra] = getattr(record, extra)
    doc.update(items_to_lists(items))
    return to_jsonable(doc)
