"""The dossier worker's page "Leefloonadvies": a stepwise form and the advice laid out.

POST only and `Cache-Control: no-store`: the answers never reach an address bar, a history or
an access log, and nothing is stored. (Storing an advice in the audit record needs a dossier
worker's account: see the editor issue.)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import make_response, render_template, request
from marshmallow import ValidationError

from ..advice import RULES_VERSION, fact_question, leefloon_advice
from ..api import current_snapshot
from ..db import get_session
from ..errors import UserInputError, flatten_messages
from ..i18n import _
from ..rules.profile import OcmwChoicesSchema, load_profile
from . import advice_form as form
from .screening import error_texts
from .screening_form import reference_date
from .views import bp, lang


def _texts() -> dict[str, str]:
    return {
        **error_texts(),
        "share": _("Type a percentage from 0 to 100."),
        "income_line": _("Give both the kind of income and the amount."),
        "profile": _("Some answers do not fit together. Check the highlighted questions."),
    }


def _income_kinds(snapshot: Any) -> list[tuple[str, str]]:
    terms = snapshot.vocabularies.get("leefloon_income_kind", {})
    return [(code, snapshot.label("leefloon_income_kind", code, lang())) for code in terms]


def _render(answers: form.Answers, status: int = 200, **extra: Any):  # type: ignore[no-untyped-def]
    snapshot = current_snapshot()
    texts = _texts()
    response = make_response(
        render_template(
            "web/advice.html",
            answers=answers,
            errors={k: texts.get(v, v) for k, v in answers.errors.items()},
            income_kinds=_income_kinds(snapshot),
            form=form,
            today=date.today().isoformat(),
            **extra,
        ),
        status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/leefloonadvies", methods=["GET"])
def advice_form():  # type: ignore[no-untyped-def]
    return _render(form.Answers({}, {}))


@bp.route("/leefloonadvies", methods=["POST"])
def advice_result():  # type: ignore[no-untyped-def]
    answers = form.read(request.form)
    on = reference_date(answers)
    profile, choices = form.build(answers)
    if answers.errors:
        return _render(answers, 422)
    snapshot = current_snapshot()
    try:
        loaded = load_profile(profile)
        checked = OcmwChoicesSchema().load(choices)
        advice = leefloon_advice(snapshot, loaded, on=on, choices=checked, lang=lang())
    except ValidationError as exc:
        answers.errors.update({k.split(".")[0]: "profile" for k in flatten_messages(exc.messages)})
        return _render(answers, 422)
    except UserInputError:
        answers.errors["reference_date"] = "date"
        return _render(answers, 422)
    body = advice.as_dict()
    questions = [fact_question(snapshot, f, lang()) for f in advice.missing_facts]
    return _render(
        answers,
        advice=body,
        rows=form.calculation_rows(body),
        questions=questions,
        rules_version=RULES_VERSION,
    )


@bp.route("/leefloonadvies/bewaren", methods=["POST"])
def advice_store():  # type: ignore[no-untyped-def]
    """Store the audit record of this advice: only for a dossier worker of that OCMW."""
    from ..accounts.policy import NotLoggedIn, require
    from ..audit.services import record_advice
    from ..catalog.services import get_catalog_version
    from .auth import current_actor

    actor = current_actor()
    if actor is None:
        raise NotLoggedIn()
    administration_id = request.form.get("administration_id", "")
    require(actor, "store_advice", administration_id)
    answers = form.read(request.form)
    on = reference_date(answers) or date.today()
    profile, choices = form.build(answers)
    snapshot = current_snapshot()
    session = get_session()
    try:
        loaded = load_profile(profile)
        checked = OcmwChoicesSchema().load(choices)
        advice = leefloon_advice(snapshot, loaded, on=on, choices=checked, lang=lang())
        reference = request.form.get("dossier_reference", "").strip()[:80] or None
        days = request.form.get("retention_days", "").strip()
        record = record_advice(
            session=session,
            advice=advice,
            profile=loaded,
            reference_date=on,
            choices=checked,
            created_by=actor.email,
            administration_id=administration_id,
            rules_version=RULES_VERSION,
            catalog_version=get_catalog_version(session=session),
            parameters=snapshot.parameters,
            dossier_reference=reference,
            retention_days=int(days) if days.isdigit() else None,
        )
    except (ValidationError, UserInputError, ValueError) as exc:
        session.rollback()
        answers.errors["dossier_reference"] = str(exc)
        return _render(answers, 422)
    session.commit()
    body = advice.as_dict()
    return _render(
        answers,
        advice=body,
        rows=form.calculation_rows(body),
        questions=[fact_question(snapshot, f, lang()) for f in advice.missing_facts],
        rules_version=RULES_VERSION,
        stored=record,
    )
