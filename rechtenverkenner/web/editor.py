"""Editor pages (/redactie): model entries, the edit form of a right, review and publish.

Every act goes through `editor.services`, which asks the policy; the pages only translate
forms into changes and show the result. Works without JavaScript; with it, a condition's
sentence is previewed while typing (static/criteria.js).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from sqlmodel import select

from ..accounts.policy import Forbidden, NotLoggedIn, allowed
from ..api import current_snapshot
from ..catalog.models import Administration, Right
from ..db import get_session
from ..editor import services as editor
from ..editor.template_changes import three_way
from ..i18n import pick
from ..rules.conditions import KINDS, describe
from .auth import current_actor

bp = Blueprint("editor", __name__, url_prefix="/redactie")

LANGS = ("nl", "fr", "en")
TEXTS = editor.EDITABLE_TEXT
ITEM_FIELDS = {
    "requirements": ("title", "description"),
    "procedures": ("title", "description", "website"),
    "costs": ("title", "description"),
    "financial_advantages": ("title", "description"),
    "legal_resources": ("title", "url"),
    "more_info": ("title", "url"),
    "contact_points": ("email", "phone", "url", "opening_hours"),
}
EMPTY_ROWS = 1  # one blank row per list to add an item without JavaScript


def _lang() -> str:
    from .views import lang

    return lang()


def _actor():  # type: ignore[no-untyped-def]
    actor = current_actor()
    if actor is None:
        raise NotLoggedIn()
    return actor


@bp.route("")
def dashboard():  # type: ignore[no-untyped-def]
    actor = _actor()
    session = get_session()
    admins = {a.id: a for a in session.exec(select(Administration))}
    mine = sorted(
        {admin for _, admin in actor.roles if admin} | (set(admins) if actor.is_admin else set())
    )
    rights = [
        r
        for r in session.exec(select(Right).where(Right.origin == "editor").order_by(Right.slug))
        if allowed(actor, "read_draft", r.owner_id)
    ]
    return render_template(
        "editor/dashboard.html",
        admins=admins,
        mine=[a for a in mine if allowed(actor, "create", a)],
        rights=rights,
        to_review=[
            r for r in rights if r.status == "submitted" and allowed(actor, "review", r.owner_id)
        ],
        to_publish=[
            r for r in rights if r.status == "approved" and allowed(actor, "publish", r.owner_id)
        ],
        review_needed=[r for r in rights if r.review_status == "template_changed"],
    )


@bp.route("/<administration_id>/modellen")
def templates(administration_id: str):  # type: ignore[no-untyped-def]
    actor = _actor()
    session = get_session()
    admin = session.get(Administration, administration_id)
    if admin is None:
        raise editor.NotFound(administration_id)
    rows = editor.templates_for(session, actor, administration_id)
    return render_template("editor/templates.html", admin=admin, rows=rows)


@bp.route("/<administration_id>/modellen/<template_id>", methods=["POST"])
def instantiate(administration_id: str, template_id: str):  # type: ignore[no-untyped-def]
    session = get_session()
    right = editor.instantiate(session, _actor(), template_id, administration_id)
    session.commit()
    return redirect(url_for("editor.edit", right_id=right.id), code=303)


# -- the edit form ------------------------------------------------------------------------------


def _item_rows(doc: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Item lists as flat form rows (Dutch texts; other languages are kept as they are)."""
    rows: dict[str, list[dict[str, str]]] = {}
    for name, fields in ITEM_FIELDS.items():
        out = []
        for item in doc.get(name) or []:
            row = {}
            for key in fields:
                if key in ("title", "description"):
                    row[key] = (item.get(key) or {}).get("nl", "")
                elif key == "website":
                    sites = item.get("websites") or []
                    row[key] = sites[0]["url"] if sites else ""
                else:
                    row[key] = item.get(key) or ""
            out.append(row)
        out += [dict.fromkeys(fields, "") for _ in range(EMPTY_ROWS)]
        rows[name] = out
    return rows


def _changes_from_form(form: Any, doc: dict[str, Any]) -> dict[str, Any]:
    """The edit form as changes for `editor.save`, keeping what the form does not show."""
    changes: dict[str, Any] = {}
    for name in TEXTS:
        value = dict(doc.get(name) or {})
        for lang in LANGS:
            key = f"{name}_{lang}"
            if key in form:
                text = form.get(key, "").strip()
                if text:
                    value[lang] = text
                else:
                    value.pop(lang, None)
        changes[name] = value
    for name, fields in ITEM_FIELDS.items():
        existing = doc.get(name) or []
        items = []
        count = len(existing) + EMPTY_ROWS
        for i in range(count):
            if form.get(f"{name}{i}_delete"):
                continue
            old = {
                k: v
                for k, v in (existing[i] if i < len(existing) else {}).items()
                if k not in ("id", "order")
            }
            filled = False
            for key in fields:
                value = form.get(f"{name}{i}_{key}", "").strip()
                filled = filled or bool(value)
                if key in ("title", "description"):
                    texts = dict(old.get(key) or {})
                    if value:
                        texts["nl"] = value
                    else:
                        texts.pop("nl", None)
                    old[key] = texts
                elif key == "website":
                    if value:
                        old["websites"] = [
                            {"title": old.get("title") or {"nl": value}, "url": value}
                        ]
                    else:
                        old.pop("websites", None)
                elif value:
                    old[key] = value
                else:
                    old.pop(key, None)
            if filled or i < len(existing):
                items.append({k: v for k, v in old.items() if v not in ({}, [], "")})
        changes[name] = items
    changes["criteria"] = _criteria_from_form(form)
    if "properties_shown" in form:
        for name in ("themes", "situations", "target_audiences"):
            changes[name] = [v for v in form.getlist(name) if v]
        changes["product_type"] = form.get("product_type") or None
        words = [w.strip() for w in form.get("keywords_nl", "").split(",") if w.strip()]
        keywords = dict(doc.get("keywords") or {})
        if words:
            keywords["nl"] = words
        else:
            keywords.pop("nl", None)
        changes["keywords"] = keywords
    return changes


def _criteria_from_form(form: Any) -> list[Any]:
    """Condition rows: a kind and its parameters, or a group kept as JSON (advanced)."""
    advanced = form.get("criteria_json", "").strip()
    if form.get("criteria_json_edited") and advanced:
        try:
            parsed = json.loads(advanced)
        except ValueError:
            raise editor.Blocked(["criteria: the advanced text is not valid JSON"]) from None
        return parsed if isinstance(parsed, list) else [parsed]
    out: list[Any] = []
    i = 0
    while f"crit{i}_kind" in form or f"crit{i}_json" in form:
        if form.get(f"crit{i}_delete"):
            i += 1
            continue
        raw = form.get(f"crit{i}_json", "")
        kind = form.get(f"crit{i}_kind", "")
        if raw and not kind:
            out.append(json.loads(raw))
        elif kind in KINDS:
            out.append(_node_from_form(form, f"crit{i}_", kind))
        i += 1
    return out


def _node_from_form(form: Any, prefix: str, kind: str) -> dict[str, Any]:
    node: dict[str, Any] = {"kind": kind}
    for param in KINDS[kind].params:
        key = prefix + param.name
        if param.type == "enum_list":
            values = [v for v in form.getlist(key) if v]
            if values:
                node[param.name] = values
            continue
        value = form.get(key, "").strip()
        if not value:
            continue
        if param.type == "int":
            try:
                node[param.name] = int(value)
            except ValueError:
                node[param.name] = value  # validation names the field
        elif param.type == "nis_list":
            node[param.name] = [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
        else:
            node[param.name] = value
    return node


def _criteria_rows(criteria: list[Any], lang: str) -> list[dict[str, Any]]:
    labeller = current_snapshot().labeller()
    rows = []
    for node in criteria:
        try:
            text = " ".join(_flatten_text(describe(node, lang, labeller)))
        except (KeyError, TypeError, ValueError):
            text = ""  # not filled in enough yet to be read as a sentence
        if "kind" in node:
            rows.append({"kind": node["kind"], "node": node, "text": text})
        else:
            rows.append(
                {
                    "kind": "",
                    "node": node,
                    "json": json.dumps(node, ensure_ascii=False),
                    "text": text,
                }
            )
    rows.append({"kind": "", "node": {}, "text": ""})  # a blank row to add a condition
    return rows


def _flatten_text(items: list[dict[str, Any]]) -> list[str]:
    out = []
    for item in items:
        out.append(item["text"])
        out += _flatten_text(item.get("children", []))
    return out


def _render_edit(right: Right, doc: dict[str, Any], status: int = 200, **extra: Any):  # type: ignore[no-untyped-def]
    session = get_session()
    actor = _actor()
    snapshot = current_snapshot()
    lang = _lang()
    criteria = extra.pop("criteria", doc.get("criteria") or [])
    errors, warnings = editor.check(session, right)
    return (
        render_template(
            "editor/edit.html",
            right=right,
            doc=doc,
            items=_item_rows(doc),
            item_fields=ITEM_FIELDS,
            criteria=_criteria_rows(criteria, lang),
            criteria_json=json.dumps(criteria, ensure_ascii=False, indent=1),
            kinds=KINDS,
            vocab=snapshot.vocabularies,
            parameters=snapshot.parameters,
            check_errors=errors,
            check_warnings=warnings,
            log=editor.audit_log(session, actor, right.id),
            three_way=three_way(session, doc, right) if right.review_status else [],
            can={
                action: allowed(actor, action, right.owner_id)
                for action in ("edit", "submit", "review", "publish", "archive")
            },
            langs=LANGS,
            texts=TEXTS,
            owner=session.get(Administration, right.owner_id) if right.owner_id else None,
            pick=pick,
            **extra,
        ),
        status,
    )


@bp.route("/recht/<right_id>")
def edit(right_id: str):  # type: ignore[no-untyped-def]
    session = get_session()
    right = editor.get_right(session, _actor(), right_id, "read_draft")
    return _render_edit(right, editor.document(session, right))


@bp.route("/recht/<right_id>", methods=["POST"])
def act(right_id: str):  # type: ignore[no-untyped-def]
    session = get_session()
    actor = _actor()
    right = editor.get_right(session, actor, right_id, "read_draft")
    action = request.form.get("action", "save")
    doc = editor.document(session, right)
    try:
        if action in ("save", "preview"):
            changes = _changes_from_form(request.form, doc)
            if action == "preview":
                return _render_edit(
                    right, {**doc, **changes}, criteria=changes["criteria"], notice="preview"
                )
            lock = int(request.form.get("lock_version", "0") or 0)
            editor.save(session, actor, right_id, lock, changes)
            notice = "saved"
        elif action == "submit":
            editor.submit(session, actor, right_id)
            notice = "submitted"
        elif action == "approve":
            editor.approve(session, actor, right_id)
            notice = "approved"
        elif action == "reject":
            editor.reject(session, actor, right_id, request.form.get("reason", ""))
            notice = "rejected"
        elif action == "publish":
            editor.publish(session, actor, right_id)
            notice = "published"
        elif action == "archive":
            editor.archive(session, actor, right_id)
            notice = "archived"
        elif action in ("resolve_all", "resolve_blocks", "resolve_none"):
            editor.resolve_template_change(
                session,
                actor,
                right_id,
                action.removeprefix("resolve_"),
                request.form.getlist("block"),
            )
            notice = "resolved"
        else:
            raise editor.Blocked([f"unknown action {action!r}"])
    except editor.Conflict as exc:
        session.rollback()
        right = editor.get_right(session, actor, right_id, "read_draft")
        mine = {**exc.current, **_changes_from_form(request.form, exc.current)}
        return _render_edit(
            right, mine, 409, conflict=exc.current, criteria=mine.get("criteria") or []
        )
    except editor.Blocked as exc:
        session.rollback()
        right = editor.get_right(session, actor, right_id, "read_draft")
        return _render_edit(right, editor.document(session, right), 422, blocked=exc)
    except (Forbidden, NotLoggedIn, editor.WorkflowError):
        session.rollback()
        raise
    session.commit()
    return redirect(url_for("editor.edit", right_id=right_id, done=notice), code=303)


@bp.route("/voorwaarde")
def condition_preview():  # type: ignore[no-untyped-def]
    """The sentence of one condition while it is being typed (used by static/criteria.js)."""
    _actor()
    from ..rules.conditions import CriteriaContext, validate_criteria

    kind = request.args.get("kind", "")
    if kind not in KINDS:
        return jsonify({"text": "", "errors": ["choose a kind"]})
    node = _node_from_form(request.args, "", kind)
    snapshot = current_snapshot()
    ctx = CriteriaContext(
        vocab={name: set(terms) for name, terms in snapshot.vocabularies.items()},
        parameters=snapshot.parameters,
        municipalities=set(snapshot.municipalities),
        requirement_count=99,
    )
    problems = validate_criteria([node], "criteria", ctx)
    if problems:
        return jsonify({"text": "", "errors": [f"{k}: {m}" for k, m in problems]})
    text = KINDS[kind].sentence(node, _lang(), snapshot.labeller())
    return jsonify({"text": text, "errors": []})
