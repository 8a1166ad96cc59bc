"""The editor's work on local rights, one function per act, each checked by the policy.

draft → submitted → approved | rejected → published → archived (catalogue model §9). Saving a
published or approved right reopens it as a draft; the public keeps the last published version
until the next publish. Every act writes an audit event (who, when, what changed); every
publish stores a complete immutable version.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import update
from sqlmodel import Session, select

from ..accounts.policy import require
from ..accounts.services import Actor
from ..catalog.documents import (
    RIGHT_FIELDS,
    RIGHT_IRI,
    items_from_content,
    items_to_lists,
    record_document,
    to_jsonable,
)
from ..catalog.models import (
    ITEM_LISTS,
    Administration,
    EntryTemplate,
    RecordItem,
    Right,
    RightStatus,
    new_id,
    utcnow,
)
from ..catalog.schemas import clean_html
from ..catalog.services import _add_version, bump_catalog_version
from .models import AuditEvent
from .validation import validate_right

EDITABLE_TEXT = (
    "title",
    "summary",
    "description",
    "additional_description",
    "exceptions",
    "regulation_text",
)
HTML_TEXT = ("description", "additional_description", "exceptions", "regulation_text")
EDITABLE_LISTS = ("themes", "situations", "target_audiences", "executing_authorities")
EDITABLE = (*EDITABLE_TEXT, *EDITABLE_LISTS, "criteria", "keywords", "product_type", *ITEM_LISTS)
ITEM_HTML = ("description",)


class NotFound(LookupError):
    """No right or model entry with this id (404)."""


class Conflict(RuntimeError):
    """Someone saved this right since the form was opened (409): nothing was overwritten."""

    def __init__(self, current: dict[str, Any], lock_version: int) -> None:
        super().__init__("the right was changed by someone else")
        self.current = current
        self.lock_version = lock_version


class WorkflowError(RuntimeError):
    """The transition is not possible from the right's current status (409)."""


@dataclass
class Blocked(Exception):
    """Validation errors (or failing worked examples) block the transition (422)."""

    errors: list[str]
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(self.errors)


def audit(
    session: Session, actor: Actor, right_id: str | None, action: str, **details: Any
) -> None:
    session.add(
        AuditEvent(
            user_id=actor.user_id,
            user_email=actor.email,
            right_id=right_id,
            action=action,
            details=to_jsonable(details),
        )
    )


def items_of(session: Session, right_id: str) -> list[RecordItem]:
    return list(session.exec(select(RecordItem).where(RecordItem.right_id == right_id)))


def document(session: Session, right: Right) -> dict[str, Any]:
    """The working copy as a complete document (what the editor forms show)."""
    doc = record_document(right, items_of(session, right.id), RIGHT_FIELDS)
    doc["lock_version"] = right.lock_version
    doc["examples"] = right.examples
    doc["review_note"] = right.review_note
    doc["changed_blocks"] = right.changed_blocks
    return doc


def get_right(session: Session, actor: Actor | None, right_id: str, action: str) -> Right:
    """The right, if the actor may do `action` on it (NotFound, NotLoggedIn, Forbidden)."""
    right = session.get(Right, right_id)
    if right is None:
        raise NotFound(right_id)
    require(actor, action, right.owner_id)
    return right


# -- model entries ----------------------------------------------------------------------------


def templates_for(session: Session, actor: Actor, administration_id: str) -> list[dict[str, Any]]:
    """Every model entry with "already added" for this administration, and its right."""
    require(actor, "create", administration_id)
    made = {
        r.template_id: r.id
        for r in session.exec(select(Right).where(Right.owner_id == administration_id))
        if r.template_id
    }
    rows = []
    query = select(EntryTemplate).where(EntryTemplate.archived.is_(False))  # type: ignore[attr-defined]
    for template in session.exec(query.order_by(EntryTemplate.slug)):
        rows.append(
            {
                "id": template.id,
                "slug": template.slug,
                "title": template.title,
                "summary": template.summary,
                "added": template.id in made,
                "right_id": made.get(template.id),
            }
        )
    return rows


def _hold_administration(session: Session, administration_id: str) -> None:
    """Hold the administration's write lock until the request commits.

    Two copies of one model entry at the same moment (two editors, an API client that retries)
    would both find the same slug free, and the second insert would fail on the unique slug.
    This no-op UPDATE makes the second wait until the first commits, so it sees that slug taken:
    a row lock on PostgreSQL, the database's write lock on SQLite.
    """
    session.execute(
        update(Administration)
        .where(Administration.id == administration_id)
        .values(dutch_variant=Administration.dutch_variant)
        .execution_options(synchronize_session=False)
    )


def _unique_slug(session: Session, wanted: str) -> str:
    slug, n = wanted[:110], 2
    while session.exec(select(Right).where(Right.slug == slug)).first():
        slug, n = f"{wanted[:105]}-{n}", n + 1
    return slug


def _own_territory(criteria: Any, nis: list[str]) -> Any:
    """Replace `municipalities: own` of a model entry by the administration's territory."""
    if isinstance(criteria, list):
        return [_own_territory(c, nis) for c in criteria]
    if isinstance(criteria, dict):
        out = {k: _own_territory(v, nis) for k, v in criteria.items()}
        if out.get("kind") == "residence" and out.get("municipalities") == "own":
            out["municipalities"] = nis
        return out
    return criteria


def instantiate(session: Session, actor: Actor, template_id: str, administration_id: str) -> Right:
    """Copy a model entry into a new local draft of this administration (LPDC behaviour)."""
    require(actor, "create", administration_id)
    template = session.get(EntryTemplate, template_id)
    admin = session.get(Administration, administration_id)
    if template is None or admin is None:
        raise NotFound(template_id if template is None else administration_id)
    nis = [admin.municipality_nis] if admin.municipality_nis else []
    scope: dict[str, Any] = (
        {"municipalities": nis}
        if nis
        else {"provinces": [admin.province_nis]}
        if admin.province_nis
        else {"region": admin.region or "flanders"}
    )
    right_id = new_id()
    prefix = re.sub(r"[^a-z0-9]+", "-", administration_id.lower()).strip("-")
    _hold_administration(session, administration_id)
    right = Right(
        id=right_id,
        slug=_unique_slug(session, f"{prefix}-{template.slug}"),
        iri=RIGHT_IRI.format(right_id),
        status=RightStatus.draft,
        scope=scope,
        owner_id=administration_id,
        template_id=template.id,
        based_on_template_version=template.version,
        dutch_variant=admin.dutch_variant,
        origin="editor",
        version=0,
    )
    for name in RIGHT_FIELDS:
        if name in ("scope", "archived", "dutch_variant"):
            continue
        setattr(right, name, getattr(template, name))
    right.competent_authorities = list(template.competent_authorities) or [administration_id]
    right.executing_authorities = list(
        dict.fromkeys([*template.executing_authorities, administration_id])
    )
    right.level = "local" if nis else template.level
    right.criteria = _own_territory(template.criteria, nis)
    right.last_checked = date.today()
    session.add(right)
    session.flush()
    for item in session.exec(select(RecordItem).where(RecordItem.template_id == template.id)):
        session.add(
            RecordItem(
                right_id=right_id,
                list_name=item.list_name,
                order=item.order,
                title=item.title,
                description=item.description,
                url=item.url,
                data=item.data,
            )
        )
    session.flush()
    audit(
        session,
        actor,
        right_id,
        "instantiate",
        template=template.slug,
        administration=administration_id,
    )
    return right


# -- editing -------------------------------------------------------------------------------------


def _clean_text(value: Any, html: bool) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise Blocked(["texts must be given per language"])
    out = {}
    for lang, text in value.items():
        if lang not in ("nl", "fr", "en", "de") or not isinstance(text, str):
            raise Blocked([f"unknown language {lang!r}"])
        cleaned = clean_html(text) if html else clean_html(text).replace("&amp;", "&")
        if cleaned.strip():
            out[lang] = cleaned.strip()
    return out


def _clean_items(name: str, rows: Any) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        raise Blocked([f"{name} must be a list"])
    out = []
    for row in rows:
        if not isinstance(row, Mapping):
            raise Blocked([f"{name}: every item must be a mapping"])
        item = dict(row)
        for key in ("title", "description"):
            if key in item:
                item[key] = _clean_text(item[key], html=key in ITEM_HTML)
        out.append(item)
    return out


def save(
    session: Session,
    actor: Actor,
    right_id: str,
    lock_version: int,
    changes: Mapping[str, Any],
) -> Right:
    """Save changes to a right's working copy, if nobody saved in between.

    Raises:
        Conflict: `lock_version` is not the current one; nothing is written.
        Blocked: a change is malformed (unknown field, bad criteria).
    """
    from ..rules.conditions import validate_criteria

    right = get_right(session, actor, right_id, "edit")
    if lock_version != right.lock_version:
        raise Conflict(document(session, right), right.lock_version)
    unknown = [k for k in changes if k not in EDITABLE]
    if unknown:
        raise Blocked([f"{k}: cannot be edited here" for k in unknown])
    before = document(session, right)
    item_changes: dict[str, list[dict[str, Any]]] = {}
    for name, value in changes.items():
        if name in EDITABLE_TEXT:
            setattr(right, name, _clean_text(value, html=name in HTML_TEXT))
        elif name in ITEM_LISTS:
            item_changes[name] = _clean_items(name, value)
        elif name == "criteria":
            problems = validate_criteria(value, "criteria", _criteria_context(session, right))
            if problems:
                raise Blocked([f"{key}: {message}" for key, message in problems])
            right.criteria = to_jsonable(value)
        elif name == "keywords":
            right.keywords = {k: [str(w) for w in v] for k, v in dict(value).items()}
        else:
            setattr(right, name, to_jsonable(value))
    if item_changes:
        current = items_to_lists(items_of(session, right.id))
        current.update(item_changes)
        current = {
            name: [{k: v for k, v in item.items() if k not in ("id", "order")} for item in rows]
            for name, rows in current.items()
        }
        for item in items_of(session, right.id):
            session.delete(item)
        session.flush()
        for row in items_from_content(current):
            session.add(RecordItem(right_id=right.id, **row))
    reopened = right.status in (RightStatus.published, RightStatus.approved, RightStatus.submitted)
    if reopened:
        right.status = RightStatus.draft
    right.lock_version += 1
    right.modified_at = utcnow()
    session.add(right)
    session.flush()
    after = document(session, right)
    changed = sorted(k for k in EDITABLE if before.get(k) != after.get(k))
    audit(session, actor, right.id, "save", changed=changed, reopened=reopened)
    return right


def _criteria_context(session: Session, right: Right):  # type: ignore[no-untyped-def]
    from ..catalog.models import Municipality, Parameter, VocabularyTerm
    from ..rules.conditions import CriteriaContext

    vocab: dict[str, set[str]] = {}
    for term in session.exec(select(VocabularyTerm)):
        vocab.setdefault(term.scheme, set()).add(term.code)
    params = {p.name for p in session.exec(select(Parameter))}
    active = {m.nis_code for m in session.exec(select(Municipality)) if m.valid_until is None}
    requirements = sum(1 for i in items_of(session, right.id) if i.list_name == "requirements")
    return CriteriaContext(
        vocab=vocab, parameters=params, municipalities=active, requirement_count=requirements
    )


# -- workflow ------------------------------------------------------------------------------------


def _move(
    session: Session,
    actor: Actor,
    right: Right,
    allowed_from: tuple[str, ...],
    to: str,
    **details: Any,
) -> Right:
    if right.status not in allowed_from:
        raise WorkflowError(f"a {right.status} right cannot become {to}")
    before = right.status
    right.status = to
    right.modified_at = utcnow()
    session.add(right)
    session.flush()
    audit(session, actor, right.id, to, before=before, **details)
    return right


def check(session: Session, right: Right) -> tuple[list[str], list[str]]:
    """Validation errors and warnings of a right (catalogue model §10)."""
    return validate_right(session, document(session, right))


def submit(session: Session, actor: Actor, right_id: str) -> Right:
    right = get_right(session, actor, right_id, "submit")
    errors, warnings = check(session, right)
    if errors:
        raise Blocked(errors, warnings)
    return _move(
        session, actor, right, (RightStatus.draft, RightStatus.rejected), RightStatus.submitted
    )


def approve(session: Session, actor: Actor, right_id: str) -> Right:
    right = get_right(session, actor, right_id, "review")
    right.review_note = None
    return _move(session, actor, right, (RightStatus.submitted,), RightStatus.approved)


def reject(session: Session, actor: Actor, right_id: str, reason: str) -> Right:
    right = get_right(session, actor, right_id, "review")
    if not reason.strip():
        raise Blocked(["a rejection needs a reason"])
    right.review_note = reason.strip()[:2000]
    return _move(
        session,
        actor,
        right,
        (RightStatus.submitted,),
        RightStatus.rejected,
        reason=right.review_note,
    )


def publish(session: Session, actor: Actor, right_id: str) -> Right:
    """Validate, run the worked examples, and store a new complete version for the public."""
    right = get_right(session, actor, right_id, "publish")
    errors, warnings = check(session, right)
    errors += _failing_examples(session, right)
    if errors:
        raise Blocked(errors, warnings)
    if right.status != RightStatus.approved:
        raise WorkflowError(f"only an approved right can be published (this one is {right.status})")
    right.version += 1
    right.review_status = None if right.review_status == "published" else right.review_status
    _move(
        session, actor, right, (RightStatus.approved,), RightStatus.published, version=right.version
    )
    _add_version(session, right, items_of(session, right.id))
    bump_catalog_version(session=session)
    return right


def archive(session: Session, actor: Actor, right_id: str) -> Right:
    """Withdraw a right from the public site: an archived version is stored."""
    right = get_right(session, actor, right_id, "archive")
    if right.status == RightStatus.archived:
        raise WorkflowError("already archived")
    before = right.status
    right.archived = True
    right.status = RightStatus.archived
    if right.version:
        right.version += 1
        _add_version(session, right, items_of(session, right.id))
        bump_catalog_version(session=session)
    session.add(right)
    session.flush()
    audit(session, actor, right.id, RightStatus.archived, before=before)
    return right


def _failing_examples(session: Session, right: Right) -> list[str]:
    """Run the right's worked examples against its working criteria."""
    from ..catalog.models import Municipality, Postcode
    from ..catalog.snapshot import build_snapshot
    from ..rules.engine import Places
    from ..rules.examples import Case, run_case
    from ..rules.profile import load_profile

    if not right.examples:
        return []
    snapshot = build_snapshot(session=session)
    places = Places(
        region={m.nis_code: m.region for m in session.exec(select(Municipality))},
        postcodes=_postcodes(session.exec(select(Postcode))),
    )
    problems = []
    for i, raw in enumerate(right.examples):
        try:
            case = Case(
                file=right.slug,
                index=i,
                name=raw["name"],
                criteria=right.criteria,
                on=date.fromisoformat(raw["date"]),
                profile=load_profile(raw.get("profile", {})),
                expect=raw["expect"],
                missing=raw.get("missing"),
                discretionary=raw.get("discretionary"),
                municipality_nis=raw.get("municipality_nis"),
                own_municipalities=right.scope.get("municipalities", ()),
            )
        except (KeyError, ValueError, ValidationError) as exc:
            problems.append(f"worked example {i + 1} cannot be read: {exc}")
            continue
        failure = run_case(case, snapshot.parameters, places)
        if failure:
            problems.append(f"worked example {case.label}: {failure}")
    return problems


def _postcodes(rows: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row.postcode, []).append(row.nis_code)
    return out


def audit_log(session: Session, actor: Actor, right_id: str) -> list[AuditEvent]:
    get_right(session, actor, right_id, "read_draft")
    query = select(AuditEvent).where(AuditEvent.right_id == right_id).order_by(AuditEvent.at)
    return list(session.exec(query))


# -- model entry changed ------------------------------------------------------------------------


def resolve_template_change(
    session: Session, actor: Actor, right_id: str, mode: str, blocks: list[str] | None = None
) -> Right:
    """Settle "review needed" (§9): take all over, take some blocks over, or change nothing.

    Taking over overwrites the template's fields but keeps the administration's own contact
    points, more-info links, executing authorities and territory, and reopens the draft.
    """
    from .template_changes import latest_version, take_over

    right = get_right(session, actor, right_id, "resolve_template_change")
    if not right.review_status or right.template_id is None:
        raise WorkflowError("this right has no model entry change to review")
    latest = latest_version(session, right.template_id)
    if latest is None:
        raise NotFound(right.template_id)
    if mode == "all":
        taken = take_over(session, right, latest.data, right.changed_blocks or [])
    elif mode == "blocks":
        unknown = [b for b in blocks or [] if b not in (right.changed_blocks or [])]
        if unknown or not blocks:
            raise Blocked([f"choose among the changed blocks: {', '.join(right.changed_blocks)}"])
        taken = take_over(session, right, latest.data, blocks)
    elif mode == "none":
        taken = []
    else:
        raise Blocked([f"unknown way to resolve {mode!r}"])
    if taken and right.status != RightStatus.draft:
        right.status = RightStatus.draft
    right.review_status = None
    right.changed_blocks = []
    right.based_on_template_version = latest.number
    right.lock_version += 1
    session.add(right)
    session.flush()
    audit(
        session,
        actor,
        right.id,
        "template_change_resolved",
        mode=mode,
        fields=taken,
        template_version=latest.number,
    )
    return right
