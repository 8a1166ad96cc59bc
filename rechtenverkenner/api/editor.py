"""Editor API for machine clients (`Authorization: Bearer rv_...`), the same acts as the pages.

Every call goes through `editor.services`, so the same policy refuses what a person may not
do; a browser session is never accepted here (no CSRF exposure).
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate

from ..accounts.policy import NotLoggedIn, require
from ..advice import RULES_VERSION, leefloon_advice
from ..audit.services import record_advice
from ..catalog.services import get_catalog_version
from ..db import get_session
from ..editor import services as editor
from ..rules.profile import OcmwChoicesSchema, ProfileSchema
from ..web.auth import current_actor
from . import current_snapshot

bp = Blueprint(
    "editor_api",
    __name__,
    url_prefix="/api/v1",
    description="Editing local rights and storing advices (API token required).",
)


class Strict(Schema):
    class Meta:
        unknown = RAISE


class NewRightSchema(Strict):
    template_id = fields.String(required=True)
    administration_id = fields.String(required=True)


class SaveSchema(Strict):
    lock_version = fields.Integer(required=True, metadata={"description": "From the last read."})
    changes = fields.Dict(required=True, metadata={"description": "Fields to change."})


class RejectSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class StoreAdviceSchema(Strict):
    administration_id = fields.String(required=True, metadata={"description": "Your OCMW."})
    reference_date = fields.Date(format="iso", required=True)
    profile = fields.Nested(ProfileSchema, required=True)
    ocmw_choices = fields.Nested(OcmwChoicesSchema, load_default=dict)
    dossier_reference = fields.String(validate=validate.Length(min=1, max=80))
    retention_days = fields.Integer(validate=validate.Range(1, 3 * 365))


def _actor():  # type: ignore[no-untyped-def]
    actor = current_actor()
    if actor is None:
        raise NotLoggedIn()
    return actor


def _doc(right_id: str) -> dict[str, Any]:
    session = get_session()
    return editor.document(session, editor.get_right(session, _actor(), right_id, "read_draft"))


@bp.route("/editor/rights")
class EditorRights(MethodView):
    @bp.arguments(NewRightSchema)
    @bp.response(201)
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Make a draft of your administration from a model entry."""
        session = get_session()
        right = editor.instantiate(
            session, _actor(), args["template_id"], args["administration_id"]
        )
        session.commit()
        return _doc(right.id)


@bp.route("/editor/rights/<right_id>")
class EditorRight(MethodView):
    @bp.response(200)
    def get(self, right_id: str) -> dict[str, Any]:
        """The working copy (draft included) of a right of your administration."""
        return _doc(right_id)

    @bp.arguments(SaveSchema)
    @bp.response(200)
    def patch(self, args: dict[str, Any], right_id: str) -> dict[str, Any]:
        """Save changes; 409 with the current version when someone saved in between."""
        session = get_session()
        editor.save(session, _actor(), right_id, args["lock_version"], args["changes"])
        session.commit()
        return _doc(right_id)


def _transition(name: str):  # type: ignore[no-untyped-def]
    def post(self, right_id: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        session = get_session()
        getattr(editor, name)(session, _actor(), right_id)
        session.commit()
        return _doc(right_id)

    post.__doc__ = f"{name.capitalize()} the right."
    return post


for _name in ("submit", "approve", "publish", "archive"):
    view = type(
        f"Editor{_name.capitalize()}",
        (MethodView,),
        {"post": bp.response(200)(_transition(_name))},
    )
    bp.route(f"/editor/rights/<right_id>/{_name}")(view)


@bp.route("/editor/rights/<right_id>/reject")
class EditorReject(MethodView):
    @bp.arguments(RejectSchema)
    @bp.response(200)
    def post(self, args: dict[str, Any], right_id: str) -> dict[str, Any]:
        """Send the right back to its editor, with the reason."""
        session = get_session()
        editor.reject(session, _actor(), right_id, args["reason"])
        session.commit()
        return _doc(right_id)


@bp.route("/advice/leefloon/records")
class AdviceRecords(MethodView):
    @bp.arguments(StoreAdviceSchema)
    @bp.response(201)
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Work out the advice again and store its audit record (dossier workers of that OCMW).

        Stored: who, when, reference date, rules and parameter versions, outcome, input hash;
        the input itself only with a dossier reference and a retention period.
        """
        actor = _actor()
        require(actor, "store_advice", args["administration_id"])
        session = get_session()
        snapshot = current_snapshot()
        advice = leefloon_advice(
            snapshot, args["profile"], on=args["reference_date"], choices=args["ocmw_choices"]
        )
        try:
            record = record_advice(
                session=session,
                advice=advice,
                profile=args["profile"],
                reference_date=args["reference_date"],
                choices=args["ocmw_choices"],
                created_by=actor.email,
                administration_id=args["administration_id"],
                rules_version=RULES_VERSION,
                catalog_version=get_catalog_version(session=session),
                parameters=snapshot.parameters,
                dossier_reference=args.get("dossier_reference"),
                retention_days=args.get("retention_days"),
            )
        except ValueError as exc:
            raise editor.Blocked([str(exc)]) from None
        session.commit()
        return {
            "id": record.id,
            "outcome": record.outcome,
            "input_hash": record.input_hash,
            "input_kept": record.input is not None,
        }
