"""Services over the catalogue tables: loading `catalog/` and reading published rights.

Loading is idempotent: every record carries a hash of its content, so a second load of the same
folder changes nothing, and a changed file makes exactly one new version of that record. Any
change bumps the shared catalogue version, which tells every worker to refresh its snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, String, cast, delete, update
from sqlmodel import Session, select

from .documents import (
    RIGHT_FIELDS,
    RIGHT_IRI,
    RIGHT_VERSION_IRI,
    TEMPLATE_FIELDS,
    TEMPLATE_IRI,
    TEMPLATE_VERSION_IRI,
    content_hash,
    items_from_content,
    record_document,
    stable_id,
    to_jsonable,
    version_id,
)
from .loader import CatalogData
from .models import (
    Administration,
    CatalogState,
    EntryTemplate,
    Municipality,
    Parameter,
    Postcode,
    RecordItem,
    Right,
    RightStatus,
    RightVersion,
    TemplateVersion,
    VocabularyTerm,
    utcnow,
)

VERSION_KEY = "catalog_version"


@dataclass
class LoadReport:
    """What a load changed, per kind of record."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    archived: dict[str, int] = field(default_factory=dict)
    version: int = 0

    def count(self, bucket: dict[str, int], kind: str, number: int = 1) -> None:
        bucket[kind] = bucket.get(kind, 0) + number

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.archived)

    def summary(self) -> str:
        if not self.changed:
            return f"Catalogue unchanged (version {self.version})."
        parts = []
        for label, bucket in (
            ("created", self.created),
            ("updated", self.updated),
            ("archived", self.archived),
        ):
            if bucket:
                parts.append(f"{label} " + ", ".join(f"{n} {k}" for k, n in sorted(bucket.items())))
        return f"Catalogue loaded (version {self.version}): " + "; ".join(parts) + "."


def get_catalog_version(*, session: Session) -> int:
    """The shared catalogue version; 0 when nothing was ever loaded."""
    state = session.get(CatalogState, VERSION_KEY)
    return int(state.value) if state else 0


def bump_catalog_version(*, session: Session) -> int:
    """Raise the shared catalogue version so that every worker reloads its snapshot.

    The database adds the one itself: two publishes at the same moment each move the version
    (read in Python, then written, both wrote the same number on PostgreSQL, and a worker that
    had seen it after the first publish never reloaded for the second).
    """
    now = utcnow()
    bumped = session.execute(
        update(CatalogState)
        .where(CatalogState.key == VERSION_KEY)
        .values(value=cast(cast(CatalogState.value, Integer) + 1, String), updated_at=now)
        .execution_options(synchronize_session="fetch")
    )
    if not bumped.rowcount:  # the first load
        session.add(CatalogState(key=VERSION_KEY, value="1", updated_at=now))
        session.flush()
    return get_catalog_version(session=session)


def _upsert(
    session: Session, model: type, key: Any, values: dict[str, Any], report: LoadReport, kind: str
) -> None:
    row = session.get(model, key)
    if row is None:
        session.add(model(**values))
        report.count(report.created, kind)
        return
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if changed:
        session.add(row)
        report.count(report.updated, kind)


def load_catalog(*, session: Session, data: CatalogData) -> LoadReport:
    """Load checked catalogue data into the database; only what changed is written."""
    report = LoadReport()
    for muni in data.municipalities:
        _upsert(session, Municipality, muni["nis_code"], muni, report, "municipalities")
    session.flush()
    _load_postcodes(session, data, report)
    for scheme, terms in data.vocabularies.items():
        for code, term in terms.items():
            values = {
                "scheme": scheme,
                "code": code,
                "label": term["label"],
                "uri": term.get("uri"),
                "notation": term.get("notation"),
                "broader": term.get("broader"),
                "sort_order": term.get("order", 0),
                "extra": to_jsonable(
                    {
                        k: v
                        for k, v in term.items()
                        if k not in ("label", "uri", "notation", "broader", "order")
                    }
                ),
            }
            _upsert(session, VocabularyTerm, (scheme, code), values, report, "vocabulary terms")
    _load_synonyms(session, data, report)
    for admin in data.administrations.values():
        values = {
            "id": admin["id"],
            "name": admin["name"],
            "kind": admin["kind"],
            "level": admin["level"],
            "ovo": admin.get("ovo"),
            "iri": admin["iri"],
            "municipality_nis": admin.get("municipality"),
            "province_nis": admin.get("province"),
            "region": admin.get("region"),
            "dutch_variant": admin["dutch_variant"],
        }
        _upsert(session, Administration, admin["id"], values, report, "administrations")
    for param in data.parameters.values():
        values = {
            "name": param.name,
            "description": dict(param.description),
            "unit": param.unit,
            "period": param.period,
            "values": to_jsonable(
                [
                    {
                        "valid_from": v.valid_from,
                        "value": v.value,
                        "source": dict(v.source),
                        "confidence": v.confidence,
                    }
                    for v in param.values
                ]
            ),
            "last_value_still_valid_on": param.last_value_still_valid_on,
        }
        _upsert(session, Parameter, param.name, values, report, "parameters")
    session.flush()
    template_ids = {}
    for slug, content in data.templates.items():
        before = session.get(EntryTemplate, stable_id("template", slug))
        old_version = before.version if before is not None else 0
        template_ids[slug] = _load_record(session, EntryTemplate, slug, content, report)
        template = session.get(EntryTemplate, template_ids[slug])
        if old_version and template is not None and template.version > old_version:
            from ..editor.template_changes import template_updated

            marked = template_updated(session, template)
            if marked:
                report.count(report.updated, "rights to review (model entry changed)", marked)
    for slug, content in data.rights.items():
        right_id = _load_record(session, Right, slug, content, report, template_ids=template_ids)
        examples = data.right_examples.get(slug, [])
        right = session.get(Right, right_id)
        if right is not None and right.examples != examples:
            right.examples = examples  # run before an editor publishes; not part of a version
            session.add(right)
            report.count(report.updated, "worked examples")
    _archive_removed_rights(session, set(data.rights), report)
    session.flush()
    report.version = (
        bump_catalog_version(session=session)
        if report.changed
        else get_catalog_version(session=session)
    )
    return report


SYNONYM_SCHEME = "synonyms"


def _load_synonyms(session: Session, data: CatalogData, report: LoadReport) -> None:
    """Synonym groups travel with the catalogue so that every worker searches alike."""
    wanted = {f"{i + 1:04d}": group for i, group in enumerate(data.synonyms)}
    existing = session.exec(select(VocabularyTerm).where(VocabularyTerm.scheme == SYNONYM_SCHEME))
    for row in existing:
        if row.code not in wanted:
            session.delete(row)
            report.count(report.archived, "synonym groups")
    for order, (code, group) in enumerate(wanted.items()):
        values = {
            "scheme": SYNONYM_SCHEME,
            "code": code,
            "label": {},
            "uri": None,
            "notation": None,
            "broader": None,
            "sort_order": order,
            "extra": {"phrases": group},
        }
        _upsert(session, VocabularyTerm, (SYNONYM_SCHEME, code), values, report, "synonym groups")


def _load_postcodes(session: Session, data: CatalogData, report: LoadReport) -> None:
    existing = {(p.postcode, p.nis_code): p for p in session.exec(select(Postcode))}
    wanted = {(p["postcode"], p["nis_code"]): p for p in data.postcodes}
    for key, row in existing.items():
        if key not in wanted:
            session.delete(row)
            report.count(report.archived, "postcodes")
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            session.add(Postcode(**values))
            report.count(report.created, "postcodes")
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            session.add(row)
            report.count(report.updated, "postcodes")


def _record_values(model: type, content: dict[str, Any]) -> dict[str, Any]:
    fields = RIGHT_FIELDS if model is Right else TEMPLATE_FIELDS
    values = {name: content.get(name) for name in fields if name in content}
    for name in ("start_date", "end_date", "last_checked", "product_number", "product_type"):
        values.setdefault(name, None)
    return to_jsonable_content(values)


def to_jsonable_content(values: dict[str, Any]) -> dict[str, Any]:
    """JSON columns get JSON-safe values; date columns keep their dates."""
    out = {}
    for name, value in values.items():
        out[name] = (
            value if name in ("start_date", "end_date", "last_checked") else to_jsonable(value)
        )
    return out


def _load_record(
    session: Session,
    model: type,
    slug: str,
    content: dict[str, Any],
    report: LoadReport,
    template_ids: dict[str, str] | None = None,
) -> str:
    kind = "rights" if model is Right else "model entries"
    record_id = stable_id("right" if model is Right else "template", slug)
    content = {k: v for k, v in content.items() if not k.startswith("_") and k != "slug"}
    digest = content_hash(content)
    values = _record_values(model, content)
    if model is Right:
        values["owner_id"] = content["competent_authorities"][0]
        values["template_id"] = (template_ids or {}).get(content.get("template"))
        values["status"] = (
            RightStatus.archived if content.get("archived") else RightStatus.published
        )
    record = session.get(model, record_id)
    if record is not None and record.content_hash == digest:
        return record_id
    now = utcnow()
    if record is None:
        iri = (RIGHT_IRI if model is Right else TEMPLATE_IRI).format(record_id)
        record = model(id=record_id, slug=slug, iri=iri, origin="catalog", created_at=now)
        report.count(report.created, kind)
    else:
        report.count(report.updated, kind)
        owner = RecordItem.right_id if model is Right else RecordItem.template_id
        session.exec(delete(RecordItem).where(owner == record_id))
    for name, value in values.items():
        setattr(record, name, value)
    record.content_hash = digest
    record.modified_at = now
    record.version += 1
    session.add(record)
    session.flush()
    items = []
    for row in items_from_content(content):
        owner_key = "right_id" if model is Right else "template_id"
        item = RecordItem(**row, **{owner_key: record_id})
        session.add(item)
        items.append(item)
    session.flush()
    _add_version(session, record, items)
    return record_id


def _add_version(session: Session, record: Any, items: list[RecordItem]) -> None:
    """Store a complete, immutable copy of the record as its new version."""
    vid = version_id(record.id, record.version)
    if isinstance(record, Right):
        doc = record_document(record, items, RIGHT_FIELDS)
        session.add(
            RightVersion(
                id=vid,
                right_id=record.id,
                number=record.version,
                iri=RIGHT_VERSION_IRI.format(vid),
                data=doc,
            )
        )
    else:
        doc = record_document(record, items, TEMPLATE_FIELDS)
        session.add(
            TemplateVersion(
                id=vid,
                template_id=record.id,
                number=record.version,
                iri=TEMPLATE_VERSION_IRI.format(vid),
                data=doc,
            )
        )


def _archive_removed_rights(session: Session, slugs: set[str], report: LoadReport) -> None:
    """A right whose file was removed from `catalog/` is archived, never silently deleted."""
    query = select(Right).where(Right.origin == "catalog", Right.status != RightStatus.archived)
    for right in session.exec(query):
        if right.slug in slugs:
            continue
        right.status = RightStatus.archived
        right.archived = True
        right.modified_at = utcnow()
        right.version += 1
        right.content_hash = None
        session.add(right)
        session.flush()
        items = list(session.exec(select(RecordItem).where(RecordItem.right_id == right.id)))
        _add_version(session, right, items)
        report.count(report.archived, "rights")


def published_right_documents(*, session: Session) -> list[dict[str, Any]]:
    """The newest published version of every right that is not archived.

    The public site, the API and search read these, never the working copy: a right that is
    being edited (draft, submitted) keeps showing its last published version.
    """
    query = select(RightVersion).join(
        Right, (Right.id == RightVersion.right_id) & (Right.version == RightVersion.number)
    )
    return [v.data for v in session.exec(query.where(Right.version > 0)) if not v.data["archived"]]


def template_documents(*, session: Session) -> list[dict[str, Any]]:
    """Every model entry that is not archived, as a complete document."""
    templates = list(session.exec(select(EntryTemplate).where(EntryTemplate.archived.is_(False))))
    items: dict[str, list[RecordItem]] = {}
    for item in session.exec(select(RecordItem).where(RecordItem.template_id.is_not(None))):
        items.setdefault(item.template_id, []).append(item)
    return [record_document(t, items.get(t.id, []), TEMPLATE_FIELDS) for t in templates]


def right_versions(*, session: Session, right_id: str) -> list[RightVersion]:
    """Every stored version of a right, oldest first."""
    query = select(RightVersion).where(RightVersion.right_id == right_id)
    return list(session.exec(query.order_by(RightVersion.number)))
