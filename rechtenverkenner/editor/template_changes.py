"""When a model entry changes: mark the rights made from it, show what changed, resolve it.

Catalogue model §9: a new template version is compared block by block with the previous one;
functional differences only (ids, order keys and modification dates are ignored). Every right
made from it gets `review_status = template_changed` (or `template_archived`) with the changed
blocks, until its editor takes the template over (all of it, or block by block) or says no
change is needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import Session, select

from ..catalog.models import EntryTemplate, RecordItem, Right, RightStatus, TemplateVersion, utcnow

BLOCKS: dict[str, tuple[str, ...]] = {
    "basic": ("title", "description", "additional_description", "exceptions"),
    "requirements": ("requirements",),
    "procedures": ("procedures",),
    "costs": ("costs",),
    "financial_advantages": ("financial_advantages",),
    "regulation": ("regulation_text", "legal_resources"),
    "more_info": ("more_info",),
    "general": ("start_date", "end_date", "product_type", "target_audiences", "themes"),
    "competence": (
        "competent_levels",
        "competent_authorities",
        "executing_levels",
        "executing_authorities",
    ),
    "related": ("keywords", "publication_channels", "your_europe_categories"),
    "archived": ("archived",),
    "conditions": ("criteria", "summary"),  # our extension: the standardised conditions
}
# Taking a template over completely keeps what is the administration's own (§9 (a)).
KEEP_ON_TAKEOVER = {"contact_points", "more_info", "executing_authorities", "scope"}
ITEM_FIELDS = {
    "requirements",
    "procedures",
    "costs",
    "financial_advantages",
    "legal_resources",
    "more_info",
}


def _functional(value: Any) -> Any:
    """A value without ids, order keys and timestamps, for comparing meaning."""
    if isinstance(value, list):
        return [_functional(v) for v in value]
    if isinstance(value, Mapping):
        return {
            k: _functional(v)
            for k, v in value.items()
            if k not in ("id", "order", "created_at", "modified_at")
        }
    return value


def changed_blocks(previous: Mapping[str, Any], latest: Mapping[str, Any]) -> list[str]:
    """The blocks whose content differs between two versions of a model entry."""
    return [
        block
        for block, fields in BLOCKS.items()
        if any(_functional(previous.get(f)) != _functional(latest.get(f)) for f in fields)
    ]


def template_updated(session: Session, template: EntryTemplate) -> int:
    """Mark every right made from `template` after it got a new version; returns how many."""
    versions = list(
        session.exec(
            select(TemplateVersion)
            .where(TemplateVersion.template_id == template.id)
            .order_by(TemplateVersion.number.desc())  # type: ignore[attr-defined]
        )
    )
    if len(versions) < 2:
        return 0
    latest, previous = versions[0], versions[1]
    blocks = changed_blocks(previous.data, latest.data)
    if not blocks:
        return 0
    status = "template_archived" if latest.data.get("archived") else "template_changed"
    marked = 0
    for right in session.exec(select(Right).where(Right.template_id == template.id)):
        if right.status == RightStatus.archived:
            continue
        right.review_status = status
        right.changed_blocks = sorted(set(right.changed_blocks or []) | set(blocks))
        session.add(right)
        marked += 1
    session.flush()
    return marked


def three_way(session: Session, right_doc: Mapping[str, Any], right: Right) -> list[dict[str, Any]]:
    """Per changed block: the right now, the template version it was based on, the latest."""
    if right.template_id is None:
        return []
    versions = {
        v.number: v.data
        for v in session.exec(
            select(TemplateVersion).where(TemplateVersion.template_id == right.template_id)
        )
    }
    if not versions:
        return []
    latest = versions[max(versions)]
    based_on = versions.get(right.based_on_template_version or 0, {})
    rows = []
    for block in right.changed_blocks or []:
        for name in BLOCKS.get(block, ()):
            rows.append(
                {
                    "block": block,
                    "field": name,
                    "current": right_doc.get(name),
                    "based_on": based_on.get(name),
                    "latest": latest.get(name),
                }
            )
    return rows


def take_over(
    session: Session, right: Right, latest: Mapping[str, Any], blocks: Iterable[str]
) -> list[str]:
    """Copy these blocks of the latest template version into the right; returns the fields."""
    fields = [f for b in blocks for f in BLOCKS.get(b, ()) if f not in KEEP_ON_TAKEOVER]
    lists = [f for f in fields if f in ITEM_FIELDS]
    for name in fields:
        if name in ITEM_FIELDS or name == "archived":
            continue
        setattr(right, name, latest.get(name))
    if lists:
        for item in session.exec(select(RecordItem).where(RecordItem.right_id == right.id)):
            if item.list_name in lists:
                session.delete(item)
        session.flush()
        for name in lists:
            for order, item in enumerate(latest.get(name) or [], start=1):
                data = {
                    k: v
                    for k, v in item.items()
                    if k not in ("id", "order", "title", "description", "url")
                }
                session.add(
                    RecordItem(
                        right_id=right.id,
                        list_name=name,
                        order=order,
                        title=item.get("title") or {},
                        description=item.get("description") or {},
                        url=item.get("url"),
                        data=data,
                    )
                )
    right.modified_at = utcnow()
    return fields


def latest_version(session: Session, template_id: str) -> TemplateVersion | None:
    return session.exec(
        select(TemplateVersion)
        .where(TemplateVersion.template_id == template_id)
        .order_by(TemplateVersion.number.desc())  # type: ignore[attr-defined]
    ).first()
