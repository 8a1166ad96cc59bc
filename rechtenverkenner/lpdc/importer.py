"""Import of LPDC instances (as rights) and IPDC concepts (as model entries) from JSON-LD.

A file is an LDES page, a Hydra list, a single record or a list of records (`mapping`). Per
record the newest version wins: within the file (only the newest member per `isVersionOf` is
read), and against the database (a version that is not newer than the one we hold changes
nothing, so an older version arriving late never overwrites a newer one). Imported rights are
published at once: they were published at the source. A new model entry version marks the
rights made from it "review needed" with the changed blocks (`template_updated`). A tombstone
(`as:Tombstone`, a record deleted at the source) archives the record we hold: a new, archived
version; nothing is ever deleted here.

Transactions: one transaction per file, and every record is checked completely before anything
of it is written. The caller owns the transaction (`session_scope` per file in `flask lpdc
import`, the request in the API) and commits once at the end. So:

- a rejected record (unreadable, unknown authority or code, not allowed for this user, being
  edited in the editor, ...) is refused before its first write: it changes nothing, and the
  valid records of the same file are imported;
- a crash halfway (a bug, a database error, an interrupted command) rolls the whole file
  back: the database is as it was before the file, never half a file.

We chose the file over the record as the unit because a commit per record cannot give the
second guarantee, and checking before writing gives the first without a savepoint per record
(Python's sqlite3 driver opens its transaction only at the first write, so a savepoint taken
before it becomes the transaction and its release commits; SQLAlchemy's workaround would change
the engine of the whole app). A folder is imported file by file, each in its own transaction; a
large stream belongs in several files (LDES pages), which also keeps each transaction short.
New rows are written in batches, one executemany per table, not one ORM object each
(10,000 LPDC instances import in well under a minute: `python -m bench lpdc`).

Unknown authorities: an OVO code or IRI we do not hold is looked up in LPDC's organisation list
(`catalog/reference/lpdc/organisation-authority-levels.csv`); when it is there, the import adds
it as an administration (LPDC knows it, and refusing would lose every record of the ~1,500
organisations we do not list); when it is nowhere, the record is rejected (catalogue model
§10.3: every authority must be known).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import delete, insert
from sqlmodel import Session, select

from ..accounts.policy import Forbidden, allowed, require
from ..accounts.services import Actor
from ..catalog.documents import (
    RIGHT_FIELDS,
    RIGHT_VERSION_IRI,
    TEMPLATE_FIELDS,
    TEMPLATE_VERSION_IRI,
    content_hash,
    items_from_content,
    record_document,
    version_id,
)
from ..catalog.models import (
    Administration,
    EntryTemplate,
    Municipality,
    Parameter,
    RecordItem,
    Right,
    RightStatus,
    RightVersion,
    TemplateVersion,
    VocabularyTerm,
    new_id,
    utcnow,
)
from ..catalog.services import bump_catalog_version, get_catalog_version, to_jsonable_content
from ..editor.models import AuditEvent
from ..editor.template_changes import template_updated
from ..rules.conditions import CriteriaContext, validate_criteria
from .mapping import (
    LEVEL_OF_CODE,
    ImportProblem,
    Incoming,
    Organisation,
    Vocabularies,
    manual_register,
    members_of,
    organisations,
    ovo_of,
    owner_reference,
    read_member,
    record_kind,
    slugify,
    version_key,
    vocabularies,
)
from .reference import load_geography

COMMAND_USER = "flask lpdc import"
BATCH = 200  # records written per flush
# A record's name in the report: a manual Dutch text first.
LABEL_TAGS = ("nl-be-x-informal", "nl-be-x-formal", "nl", "nl-be-x-generated-informal")
EDITED = (RightStatus.draft, RightStatus.submitted, RightStatus.approved)
_UUID = re.compile(r"/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


@dataclass(frozen=True)
class Outcome:
    """What happened to one record (or a whole file that could not be read)."""

    record: str
    kind: str  # right | model entry | file
    note: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"record": self.record, "kind": self.kind, "note": self.note}


@dataclass
class ImportReport:
    """Created, updated, unchanged and rejected records, each with its reason or note."""

    created: list[Outcome] = field(default_factory=list)
    updated: list[Outcome] = field(default_factory=list)
    unchanged: list[Outcome] = field(default_factory=list)
    rejected: list[Outcome] = field(default_factory=list)
    marked_for_review: int = 0
    catalog_version: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def merge(self, other: ImportReport) -> None:
        for name in ("created", "updated", "unchanged", "rejected"):
            getattr(self, name).extend(getattr(other, name))
        self.marked_for_review += other.marked_for_review
        self.catalog_version = other.catalog_version or self.catalog_version

    def summary(self) -> str:
        counts = ", ".join(
            f"{len(getattr(self, name))} {name}"
            for name in ("created", "updated", "unchanged", "rejected")
        )
        review = (
            f"; {self.marked_for_review} right(s) now need review (model entry changed)"
            if self.marked_for_review
            else ""
        )
        return f"LPDC import: {counts}{review}."

    def lines(self, *, every_record: bool = False) -> list[str]:
        """The summary and one line per rejected record with why; with `every_record`, one
        line per record (created, updated and unchanged too, with their notes)."""
        out = [self.summary()]
        groups = ("created", "updated", "unchanged", "rejected") if every_record else ("rejected",)
        for name in groups:
            for o in getattr(self, name):
                out.append(f"{name}: {o.record}" + (f": {o.note}" if o.note else ""))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "counts": {
                name: len(getattr(self, name))
                for name in ("created", "updated", "unchanged", "rejected")
            },
            **{
                name: [o.as_dict() for o in getattr(self, name)]
                for name in ("created", "updated", "unchanged", "rejected")
            },
            "marked_for_review": self.marked_for_review,
            "catalog_version": self.catalog_version,
        }


def read_document(raw: bytes | str, name: str = "file") -> Any:
    """The JSON of a file; a file that is no JSON raises ImportProblem naming it."""
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportProblem(f"{name} is not JSON: {exc}") from None


def count_records(document: Any) -> int:
    """How many records a document holds (for a progress bar); 0 when it holds none."""
    try:
        return len(members_of(document))
    except ImportProblem:
        return 0


def import_document(
    *,
    session: Session,
    document: Any,
    actor: Actor | None = None,
    source: str = "file",
    on_record: Callable[[], None] | None = None,
) -> ImportReport:
    """Import the records of one file; the caller commits (the file is one transaction).

    `actor` None means the command line (trusted); otherwise every record goes through the
    policy: editors import only records of their own administrations, model entries need an
    admin.
    """
    report = ImportReport()
    try:
        members = members_of(document)
    except ImportProblem as exc:
        report.rejected.append(Outcome(source, "file", str(exc)))
        return report
    newest = _newest_members(members, report, on_record)
    state = _State.load(session, [m for _, m, _ in newest])
    for _position, member, key in newest:
        try:
            plan = _prepare(session, state, member, key, actor)
        except (ImportProblem, Forbidden) as exc:
            report.rejected.append(Outcome(_label(member, key), _kind_label(member), str(exc)))
        except (TypeError, KeyError, AttributeError) as exc:
            # A shape we did not foresee in someone else's data: checking writes nothing, so
            # refusing the record is safe; the file goes on.
            note = f"cannot read this record ({type(exc).__name__}: {exc})"
            report.rejected.append(Outcome(_label(member, key), _kind_label(member), note))
        else:
            if isinstance(plan, Outcome):
                report.unchanged.append(plan)
            elif isinstance(plan, _Withdrawal):
                _withdraw(session, state, plan, actor, report)
            else:
                _apply(session, state, plan, actor, report)
        if on_record:
            on_record()
        if state.waiting_records >= BATCH:
            state.flush(session)
    state.flush(session)
    if report.changed:
        report.catalog_version = bump_catalog_version(session=session)
    else:
        report.catalog_version = get_catalog_version(session=session)
    return report


def _label(member: Mapping[str, Any], key: tuple[str, datetime] | None) -> str:
    title = member.get("naam")
    texts = {str(k).lower(): v for k, v in title.items()} if isinstance(title, Mapping) else {}
    text = next(
        (texts[t] for t in LABEL_TAGS if isinstance(texts.get(t), str) and texts[t].strip()), ""
    )
    ident = key[0] if key else member.get("@id", "(no @id)")
    return f"{text} <{ident}>" if text else f"<{ident}>"


def _kind_label(member: Mapping[str, Any]) -> str:
    try:
        kind = record_kind(member)
    except ImportProblem:
        return "record"
    return {"right": "right", "template": "model entry"}.get(kind, "record")


def _newest_members(
    members: list[Mapping[str, Any]], report: ImportReport, on_record: Callable[[], None] | None
) -> list[tuple[int, Mapping[str, Any], tuple[str, datetime]]]:
    """Only the newest member per record IRI, in file order; the others are noted unchanged."""
    keyed: list[tuple[int, Mapping[str, Any], tuple[str, datetime]]] = []
    for position, member in enumerate(members, start=1):
        try:
            record_kind(member)
            keyed.append((position, member, version_key(member)))
        except ImportProblem as exc:
            report.rejected.append(Outcome(_label(member, None), _kind_label(member), str(exc)))
            if on_record:
                on_record()
    best: dict[str, tuple[int, datetime]] = {}
    for position, _member, (record, at) in keyed:
        if record not in best or at >= best[record][1]:
            best[record] = (position, at)
    out = []
    for position, member, key in keyed:
        if best[key[0]][0] == position:
            out.append((position, member, key))
        else:
            note = "a newer version of this record is in the same file"
            report.unchanged.append(Outcome(_label(member, key), _kind_label(member), note))
            if on_record:
                on_record()
    return out


def _chunks(values: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass
class _State:
    """What the records of one file are checked against, read once per file."""

    vocab: Vocabularies
    geography: Any
    admins: dict[str, Administration]
    admin_by_iri: dict[str, str]
    admin_by_ovo: dict[str, str]
    nis_by_name: dict[str, str]
    criteria_vocab: dict[str, set[str]]
    parameters: set[str]
    active: set[str]
    rights: dict[str, Right]
    templates: dict[str, EntryTemplate]
    stored_at: dict[str, datetime]
    version_iris: set[str]
    right_slugs: set[str]
    template_slugs: set[str]
    taken_ids: set[str]
    # New rows wait and go in as one multi-row insert per table and batch, parents first
    # (there are no ORM relationships to order the inserts).
    waiting: dict[type, list[dict[str, Any]]] = field(
        default_factory=lambda: {m: [] for m in (Right, RecordItem, RightVersion, AuditEvent)}
    )
    waiting_records: int = 0

    def flush(self, session: Session) -> None:
        session.flush()
        for model, rows in self.waiting.items():
            _insert_rows(session, model, rows)
            rows.clear()
        self.waiting_records = 0

    @classmethod
    def load(cls, session: Session, members: list[Mapping[str, Any]]) -> _State:
        admins = {a.id: a for a in session.exec(select(Administration))}
        municipalities = list(session.exec(select(Municipality)))
        vocab_rows = session.exec(select(VocabularyTerm.scheme, VocabularyTerm.code))
        criteria_vocab: dict[str, set[str]] = {}
        for scheme, code in vocab_rows:
            criteria_vocab.setdefault(scheme, set()).add(code)
        record_iris, version_iris = [], []
        for member in members:
            record, _ = version_key(member)
            record_iris.append(record)
            if member.get("@id") and member.get("isVersionOf"):
                version_iris.append(str(member["@id"]))
        rights: dict[str, Right] = {}
        for chunk in _chunks(sorted(set(record_iris))):
            for right in session.exec(select(Right).where(Right.iri.in_(chunk))):  # type: ignore[attr-defined]
                rights[right.iri] = right
        templates = {t.iri: t for t in session.exec(select(EntryTemplate))}
        stored_at = {
            iri: at
            for iri, record in [*rights.items(), *templates.items()]
            if (at := _aware(record.lpdc_generated_at)) is not None
        }
        _stored_from_versions(session, rights, templates, stored_at)
        used: set[str] = set()
        for chunk in _chunks(sorted(set(version_iris))):
            for model in (RightVersion, TemplateVersion):
                used |= set(session.exec(select(model.iri).where(model.iri.in_(chunk))))  # type: ignore[attr-defined]
        candidates = sorted({m.group(1) for iri in record_iris if (m := _UUID.search(iri))})
        taken: set[str] = set()
        for chunk in _chunks(candidates):
            for model in (Right, EntryTemplate):
                taken |= set(session.exec(select(model.id).where(model.id.in_(chunk))))  # type: ignore[attr-defined]
        return cls(
            vocab=vocabularies(),
            geography=load_geography(session=session),
            admins=admins,
            admin_by_iri={a.iri: a.id for a in admins.values()},
            admin_by_ovo={a.ovo: a.id for a in admins.values() if a.ovo},
            nis_by_name={
                m.name_nl.casefold(): m.nis_code for m in municipalities if m.valid_until is None
            },
            criteria_vocab=criteria_vocab,
            parameters=set(session.exec(select(Parameter.name))),
            active={m.nis_code for m in municipalities if m.valid_until is None},
            rights=rights,
            templates=templates,
            stored_at=stored_at,
            version_iris=used,
            right_slugs=set(session.exec(select(Right.slug))),
            template_slugs=set(session.exec(select(EntryTemplate.slug))),
            taken_ids=taken,
        )


def _insert_rows(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """Insert plain rows with one executemany on the table (SQLAlchemy batches them into
    multi-row INSERTs): far cheaper than an ORM object, or a round trip, per row."""
    if rows:
        table = model.__table__  # type: ignore[attr-defined]
        session.exec(insert(table), params=rows)  # type: ignore[call-overload]


def _stored_from_versions(
    session: Session,
    rights: Mapping[str, Right],
    templates: Mapping[str, EntryTemplate],
    stored_at: dict[str, datetime],
) -> None:
    """The time of the newest version we hold: an imported one, or one published here later
    (an editor's publish must not be overwritten by an older LPDC version either)."""

    def keep(iri: str, at: datetime | None) -> None:
        at = _aware(at)
        if at is not None and (iri not in stored_at or at > stored_at[iri]):
            stored_at[iri] = at

    by_id = {r.id: r for r in rights.values() if r.version}
    for chunk in _chunks(sorted(by_id)):
        query = select(RightVersion.right_id, RightVersion.number, RightVersion.generated_at)
        for right_id, number, at in session.exec(query.where(RightVersion.right_id.in_(chunk))):  # type: ignore[attr-defined]
            if number == by_id[right_id].version:
                keep(by_id[right_id].iri, at)
    by_template = {t.id: t for t in templates.values() if t.version}
    if by_template:
        query = select(
            TemplateVersion.template_id, TemplateVersion.number, TemplateVersion.generated_at
        )
        for template_id, number, at in session.exec(query):
            template = by_template.get(template_id)
            if template is not None and number == template.version:
                keep(template.iri, at)


@dataclass
class _Plan:
    """A checked record, ready to write."""

    incoming: Incoming
    existing: Right | EntryTemplate | None
    owner_id: str | None
    competent: list[str]
    executing: list[str]
    new_admins: list[Administration]
    slug: str
    template: EntryTemplate | None
    digest: str


def _resolve_admin(
    state: _State, iri: str, term: str, pending: dict[str, Administration], hint: str | None
) -> str:
    """Our administration id for an authority IRI; adds a new one from LPDC's list if needed."""
    found = state.admin_by_iri.get(iri) or state.admin_by_ovo.get(ovo_of(iri) or "")
    if found:
        return found
    if iri in pending:
        return pending[iri].id
    org = organisations().find(iri)
    if org is not None:
        found = state.admin_by_iri.get(org.iri) or state.admin_by_ovo.get(org.ovo or "")
        if found:
            return found
    if org is None or org.level is None:
        raise ImportProblem(
            f"{term}: unknown authority {iri} (not among our administrations, "
            "nor in LPDC's organisation list)"
        )
    admin = _new_administration(state, org, hint, taken={a.id for a in pending.values()})
    pending[iri] = admin
    return admin.id


def _new_administration(
    state: _State, org: Organisation, dutch_variant: str | None, taken: set[str]
) -> Administration:
    prefix = {"municipality": "gemeente", "ocmw": "ocmw", "province": "provincie"}.get(org.kind)
    nis = None
    if org.kind in ("municipality", "ocmw"):
        nis = state.nis_by_name.get(org.short.casefold())
    base = slugify(f"{prefix} {org.short}" if prefix else org.name, limit=50)
    slug, n = base, 2
    while slug in state.admins or slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return Administration(
        id=slug,
        name={"nl": org.name},
        kind=org.kind,
        level=org.level or "Lokaal",
        ovo=org.ovo if org.ovo and org.ovo not in state.admin_by_ovo else None,
        iri=org.iri,
        municipality_nis=nis,
        region="flanders" if org.level in ("Lokaal", "Provinciaal", "Vlaams") else None,
        dutch_variant=dutch_variant or "nl-BE-x-informal",
    )


def _prepare(
    session: Session,
    state: _State,
    member: Mapping[str, Any],
    key: tuple[str, datetime],
    actor: Actor | None,
) -> _Plan | _Withdrawal | Outcome:
    """Check one record completely, writing nothing; raise ImportProblem or Forbidden."""
    kind = record_kind(member)
    record_iri, generated_at = key
    if kind == "tombstone":
        return _prepare_withdrawal(state, member, key, actor)
    existing = (state.rights if kind == "right" else state.templates).get(record_iri)
    kind_label = "right" if kind == "right" else "model entry"
    stored = state.stored_at.get(record_iri)
    if existing is not None and stored is not None and generated_at <= stored:
        note = (
            "this version is the one we hold"
            if generated_at == stored
            else f"older than the version we hold ({stored.isoformat()})"
        )
        return Outcome(_label(member, key), kind_label, note)
    pending: dict[str, Administration] = {}
    hint = manual_register(member)
    owner_iri, owner_term = owner_reference(member)
    owner_id = _resolve_admin(state, owner_iri, owner_term, pending, hint) if owner_iri else None
    owner = state.admins.get(owner_id or "") or next(
        (a for a in pending.values() if a.id == owner_id), None
    )
    dutch = owner.dutch_variant if owner is not None else None
    incoming = read_member(
        member, vocab=state.vocab, geography=state.geography, dutch_variant=dutch
    )
    competent = [
        _resolve_admin(state, iri, "bevoegdeOverheden", pending, hint) for iri in incoming.competent
    ]
    executing = [
        _resolve_admin(state, iri, "uitvoerendeOverheden", pending, hint)
        for iri in incoming.executing
    ]
    content = incoming.content
    content["competent_authorities"] = competent
    content["executing_authorities"] = executing
    content["level"] = content.get("level") or _level(state, pending, owner_id, competent, content)
    _check_own_terms(state, content, kind)
    if kind == "right":
        if actor is not None:
            require(actor, "edit" if existing is not None else "create", owner_id)
            if existing is not None and existing.owner_id != owner_id:
                require(actor, "edit", existing.owner_id)
        if isinstance(existing, Right) and existing.status in EDITED:
            raise ImportProblem(
                f"the right is being edited here (status {existing.status}); "
                "publish or archive that work first"
            )
    elif actor is not None and not allowed(actor, "create", None):
        raise Forbidden(f"{actor.email} may not import model entries (admins only)")
    template = state.templates.get(incoming.template_iri or "") if kind == "right" else None
    digest = content_hash(
        {
            **content,
            "owner": owner_id,
            "template": incoming.template_iri,
            "extra": incoming.extra,
            "dutch_variant": incoming.dutch_variant,
        }
    )
    if existing is not None and existing.content_hash == digest:
        return Outcome(incoming.label, kind_label, "same content as the version we hold")
    return _Plan(
        incoming=incoming,
        existing=existing,
        owner_id=owner_id,
        competent=competent,
        executing=executing,
        new_admins=list(pending.values()),
        slug=_slug(state, incoming, existing, kind),
        template=template,
        digest=digest,
    )


@dataclass
class _Withdrawal:
    """A record deleted at the source that we hold: it is archived here (never deleted)."""

    record: Right | EntryTemplate
    record_iri: str
    deleted_at: datetime
    label: str


def _prepare_withdrawal(
    state: _State, member: Mapping[str, Any], key: tuple[str, datetime], actor: Actor | None
) -> _Withdrawal | Outcome:
    record_iri, deleted_at = key
    record: Right | EntryTemplate | None = state.rights.get(record_iri)
    record = record if record is not None else state.templates.get(record_iri)
    label = _label(member, key)
    if record is None:
        return Outcome(label, "record", "deleted at the source; not in our catalogue")
    kind_label = "right" if isinstance(record, Right) else "model entry"
    stored = state.stored_at.get(record_iri)
    if record.archived:
        return Outcome(label, kind_label, "deleted at the source; already archived here")
    if stored is not None and deleted_at <= stored:
        return Outcome(label, kind_label, f"older than the version we hold ({stored.isoformat()})")
    if isinstance(record, Right):
        if actor is not None:
            require(actor, "edit", record.owner_id)
        if record.status in EDITED:
            raise ImportProblem(
                f"deleted at the source, but being edited here (status {record.status})"
            )
    elif actor is not None and not allowed(actor, "create", None):
        raise Forbidden(f"{actor.email} may not import model entries (admins only)")
    return _Withdrawal(record, record_iri, deleted_at, label)


def _withdraw(
    session: Session, state: _State, plan: _Withdrawal, actor: Actor | None, report: ImportReport
) -> None:
    """Archive a record deleted at the source, with a new (archived) version."""
    record = plan.record
    record.archived = True
    record.modified_at = plan.deleted_at
    record.lpdc_generated_at = plan.deleted_at
    record.content_hash = None
    record.version += 1
    session.add(record)
    state.flush(session)
    vid = version_id(record.id, record.version)
    if isinstance(record, Right):
        record.status = RightStatus.archived
        items = list(session.exec(select(RecordItem).where(RecordItem.right_id == record.id)))
        session.add(
            RightVersion(
                id=vid,
                right_id=record.id,
                number=record.version,
                iri=RIGHT_VERSION_IRI.format(vid),
                generated_at=plan.deleted_at,
                data=record_document(record, items, RIGHT_FIELDS),
            )
        )
    else:
        items = list(session.exec(select(RecordItem).where(RecordItem.template_id == record.id)))
        session.add(
            TemplateVersion(
                id=vid,
                template_id=record.id,
                number=record.version,
                iri=TEMPLATE_VERSION_IRI.format(vid),
                generated_at=plan.deleted_at,
                data=record_document(record, items, TEMPLATE_FIELDS),
            )
        )
        session.flush()
        report.marked_for_review += template_updated(session, record)
    session.flush()
    state.stored_at[plan.record_iri] = plan.deleted_at
    kind_label = "right" if isinstance(record, Right) else "model entry"
    report.updated.append(Outcome(plan.label, kind_label, "archived: deleted at the source"))
    audit = _fresh(AuditEvent)
    audit.update(
        user_id=actor.user_id if actor else None,
        user_email=actor.email if actor else COMMAND_USER,
        right_id=record.id if isinstance(record, Right) else None,
        action="lpdc_import",
        details={"record": plan.record_iri, "outcome": "archived", "kind": kind_label},
    )
    state.waiting[AuditEvent].append(audit)


def _level(
    state: _State,
    pending: Mapping[str, Administration],
    owner_id: str | None,
    competent: list[str],
    content: Mapping[str, Any],
) -> str:
    """Our level (federal ... local) from the owning or competent administration's level."""
    admins = {**state.admins, **{a.id: a for a in pending.values()}}
    for admin_id in [owner_id, *competent]:
        admin = admins.get(admin_id or "")
        if admin is not None and admin.level in LEVEL_OF_CODE:
            return LEVEL_OF_CODE[admin.level]
    for code in content.get("competent_levels") or []:
        if code in LEVEL_OF_CODE:
            return LEVEL_OF_CODE[code]
    return "local"


def _check_own_terms(state: _State, content: dict[str, Any], kind: str) -> None:
    """Our extensions must make sense here: known situations, valid structured conditions."""
    unknown = [
        s for s in content["situations"] if s not in state.criteria_vocab.get("situation", ())
    ]
    if unknown:
        raise ImportProblem(f"rvSituations: unknown situation {unknown[0]!r}")
    context = CriteriaContext(
        vocab=state.criteria_vocab,
        parameters=state.parameters,
        municipalities=state.active,
        requirement_count=len(content.get("requirements") or []),
        allow_own=kind == "template",
    )
    problems = validate_criteria(content["criteria"], "rvCriteria", context)
    if problems:
        where, message = problems[0]
        raise ImportProblem(f"{where}: {message}")


def _slug(
    state: _State, incoming: Incoming, existing: Right | EntryTemplate | None, kind: str
) -> str:
    if existing is not None:
        return existing.slug
    taken = state.right_slugs if kind == "right" else state.template_slugs
    wanted = (
        incoming.slug if incoming.slug and re.match(r"^[a-z0-9-]{1,110}$", incoming.slug) else None
    )
    base = wanted or slugify(incoming.content["title"]["nl"])
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base[:105]}-{n}", n + 1
    return slug


def _record_id(state: _State, iri: str) -> str:
    """Keep the uuid at the end of an LPDC IRI as our id when it is free, so ids stay stable."""
    match = _UUID.search(iri)
    if match and match.group(1) not in state.taken_ids:
        state.taken_ids.add(match.group(1))
        return match.group(1)
    return new_id()


def _apply(
    session: Session, state: _State, plan: _Plan, actor: Actor | None, report: ImportReport
) -> None:
    """Write a checked record: its row, its items, a new version, an audit event."""
    incoming = plan.incoming
    for admin in plan.new_admins:
        session.add(admin)
        state.admins[admin.id] = admin
        state.admin_by_iri[admin.iri] = admin.id
        if admin.ovo:
            state.admin_by_ovo[admin.ovo] = admin.id
    if plan.new_admins:
        session.flush()  # the record's foreign key needs them
    if incoming.kind == "right":
        record_id = _write_right(session, state, plan)
    else:
        record_id = _write_template(session, state, plan, report)
    state.stored_at[incoming.record_iri] = incoming.generated_at
    kind_label = "right" if incoming.kind == "right" else "model entry"
    outcome = Outcome(incoming.label, kind_label, incoming.version_iri or "")
    (report.updated if plan.existing is not None else report.created).append(outcome)
    audit = _fresh(AuditEvent)
    audit.update(
        user_id=actor.user_id if actor else None,
        user_email=actor.email if actor else COMMAND_USER,
        right_id=record_id if incoming.kind == "right" else None,
        action="lpdc_import",
        details={
            "record": incoming.record_iri,
            "version": incoming.version_iri,
            "generated_at": incoming.generated_at.isoformat(),
            "outcome": "updated" if plan.existing is not None else "created",
            "kind": kind_label,
        },
    )
    state.waiting[AuditEvent].append(audit)


@cache
def _defaults(model: type) -> tuple[tuple[str, Any, Any], ...]:
    return tuple(
        (name, info.default_factory, info.default) for name, info in model.model_fields.items()
    )


def _fresh(model: type) -> dict[str, Any]:
    """A row of `model` with every default filled in, as its constructor would (but cheaply:
    pydantic inspects each default factory's signature on every call)."""
    return {
        name: factory() if factory is not None else default
        for name, factory, default in _defaults(model)
        if factory is not None or default is not PydanticUndefined
    }


_NULLABLE = {"start_date", "end_date", "last_checked", "product_number", "product_type"}


def _record_values(plan: _Plan, fields: tuple[str, ...]) -> dict[str, Any]:
    """The columns an import sets on a right or model entry (new or existing)."""
    incoming = plan.incoming
    values = to_jsonable_content({name: incoming.content.get(name) for name in fields})
    values = {k: v for k, v in values.items() if v is not None or k in _NULLABLE}
    values.update(
        modified_at=incoming.modified_at or utcnow(),
        lpdc_extra=incoming.extra,
        lpdc_metadata=incoming.metadata,
        lpdc_version_iri=incoming.version_iri,
        lpdc_generated_at=incoming.generated_at,
        content_hash=plan.digest,
    )
    if incoming.created_at is not None:
        values["created_at"] = incoming.created_at
    return values


def _item_rows(owner_key: str, owner_id: str, content: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"id": new_id(), "right_id": None, "template_id": None, **row, owner_key: owner_id}
        for row in items_from_content(dict(content))
    ]


def _version_iri(state: _State, incoming: Incoming, fallback: str) -> str:
    iri = incoming.version_iri
    if iri and iri not in state.version_iris:
        state.version_iris.add(iri)
        return iri
    return fallback


def _write_right(session: Session, state: _State, plan: _Plan) -> str:
    """The right's row (new ones wait for a batch insert), items and version; returns its id."""
    incoming = plan.incoming
    values = _record_values(plan, RIGHT_FIELDS)
    values.update(
        dutch_variant=incoming.dutch_variant,
        owner_id=plan.owner_id or (plan.competent[0] if plan.competent else None),
        template_iri=incoming.template_iri,
        template_id=plan.template.id if plan.template is not None else None,
        status=(RightStatus.archived if values.get("archived") else RightStatus.published).value,
    )
    if plan.template is not None:
        values["based_on_template_version"] = plan.template.version
    record: Any
    if isinstance(plan.existing, Right):
        record = plan.existing
        session.exec(delete(RecordItem).where(RecordItem.right_id == record.id))  # type: ignore[call-overload]
        for name, value in values.items():
            setattr(record, name, value)
        record.version += 1
        session.add(record)
    else:
        row = _fresh(Right)
        row.update(values)
        row.update(
            id=_record_id(state, incoming.record_iri),
            slug=plan.slug,
            iri=incoming.record_iri,
            origin="lpdc",
            version=1,
        )
        state.right_slugs.add(plan.slug)
        state.waiting[Right].append(row)
        record = SimpleNamespace(**row)
    items = _item_rows("right_id", record.id, incoming.content)
    state.waiting[RecordItem].extend(items)
    vid = version_id(record.id, record.version)
    state.waiting[RightVersion].append(
        {
            "id": vid,
            "right_id": record.id,
            "number": record.version,
            "iri": _version_iri(state, incoming, RIGHT_VERSION_IRI.format(vid)),
            "generated_at": incoming.generated_at,
            "data": record_document(record, items, RIGHT_FIELDS),
        }
    )
    state.waiting_records += 1
    return record.id


def _write_template(session: Session, state: _State, plan: _Plan, report: ImportReport) -> str:
    """A model entry and its version; a changed one marks the rights made from it."""
    incoming = plan.incoming
    template = plan.existing
    values = _record_values(plan, TEMPLATE_FIELDS)
    if isinstance(template, EntryTemplate):
        session.exec(delete(RecordItem).where(RecordItem.template_id == template.id))  # type: ignore[call-overload]
    else:
        template = EntryTemplate(
            id=_record_id(state, incoming.record_iri),
            slug=plan.slug,
            iri=incoming.record_iri,
            origin="lpdc",
            version=0,
        )
        state.template_slugs.add(plan.slug)
        state.templates[incoming.record_iri] = template
    for name, value in values.items():
        setattr(template, name, value)
    template.version += 1
    session.add(template)
    state.flush(session)
    items = _item_rows("template_id", template.id, incoming.content)
    _insert_rows(session, RecordItem, items)
    vid = version_id(template.id, template.version)
    session.add(
        TemplateVersion(
            id=vid,
            template_id=template.id,
            number=template.version,
            iri=_version_iri(state, incoming, TEMPLATE_VERSION_IRI.format(vid)),
            generated_at=incoming.generated_at,
            data=record_document(template, items, TEMPLATE_FIELDS),
        )
    )
    session.flush()
    if template.version > 1:
        report.marked_for_review += template_updated(session, template)
    # Rights imported before their concept now point to it.
    waiting = select(Right).where(Right.template_iri == template.iri, Right.template_id.is_(None))  # type: ignore[union-attr]
    for right in session.exec(waiting):
        right.template_id = template.id
        right.based_on_template_version = template.version
        session.add(right)
    return template.id
