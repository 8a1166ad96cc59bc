"""The page "Welke rechten heeft mijn cliënt?": a short form, three groups of rights, a what-if.

The answers travel only in the request (POST, so they never end up in an address bar, a
browser history or an access log) and in the page sent back; nothing is stored or logged.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import make_response, render_template, request
from marshmallow import ValidationError

from .. import screening
from ..api import current_snapshot
from ..catalog.queries import UnknownMunicipality, resolve_municipalities
from ..errors import UserInputError
from ..i18n import _, pick
from ..rules.profile import load_profile
from .screening_form import (
    MAIN_STATUSES,
    Answers,
    build_profile,
    reference_date,
    section_order,
    status_order,
)
from .views import MUNICIPALITY_COOKIE, bp, lang


def error_texts() -> dict[str, str]:
    return {
        "number": _("Type a whole number."),
        "money": _("Type an amount in euro, for example 1250 or 1250,50."),
        "choice": _("Choose one of the options."),
        "ages": _("Type the ages as numbers, separated by commas, for example 3, 7."),
        "ages_count": _("The number of ages differs from the number of children."),
        "alone_but_others": _("You chose 'alone', but also gave other people in the home."),
        "no_but_points": _("You chose 'no recognised disability', but also gave points."),
        "date": _("Type a date as YYYY-MM-DD."),
        "municipality": _("We do not know this municipality. Type a postcode or a name."),
        "municipality_many": _(
            "This postcode belongs to more than one municipality: type the name."
        ),
        "municipality_missing": _("Type the postcode or municipality where the client lives."),
    }


def _no_store(response):  # type: ignore[no-untyped-def]
    response.headers["Cache-Control"] = "no-store"
    return response


def _form_context(snapshot: Any, answers: Answers) -> dict[str, Any]:
    rights = snapshot.rights
    codes = list(snapshot.vocabularies.get("status", {}))
    ordered = status_order(rights, codes)
    return {
        "answers": answers,
        "sections": section_order(rights),
        "main_statuses": ordered[:MAIN_STATUSES],
        "more_statuses": ordered[MAIN_STATUSES:],
        "errors": {k: error_texts()[v] for k, v in answers.errors.items()},
        "snapshot": snapshot,
        "today": date.today().isoformat(),
    }


@bp.route("/welke-rechten", methods=["GET"])
def screening_form():  # type: ignore[no-untyped-def]
    snapshot = current_snapshot()
    answers = Answers.from_dict({"municipality": request.cookies.get(MUNICIPALITY_COOKIE, "")})
    return _no_store(
        make_response(render_template("web/screening.html", **_form_context(snapshot, answers)))
    )


def _screen(snapshot: Any, answers: Answers) -> tuple[Any, Any] | None:
    """Screen the answers; None (with answers.errors filled) when they cannot be used."""
    where = answers.get("municipality")
    nis = None
    if not where:
        answers.errors["municipality"] = "municipality_missing"
    else:
        try:
            found = resolve_municipalities(snapshot, where)
        except UnknownMunicipality:
            answers.errors["municipality"] = "municipality"
        else:
            if len(found) > 1:
                answers.errors["municipality"] = "municipality_many"
            else:
                nis = found[0]["nis_code"]
    on = reference_date(answers)
    codes = list(snapshot.vocabularies.get("status", {}))
    raw = build_profile(answers, codes)
    if answers.errors or nis is None:
        return None
    try:
        profile = load_profile(raw, statuses=codes)
        req = screening.prepare(snapshot, profile, on=on, municipality_nis=nis)
        return req, screening.run(snapshot, req)
    except (ValidationError, UserInputError):
        answers.errors["reference_date" if on else "municipality"] = (
            "date" if on else "municipality"
        )
        return None


@bp.route("/welke-rechten", methods=["POST"])
def screening_result():  # type: ignore[no-untyped-def]
    snapshot = current_snapshot()
    answers = Answers.from_form(request.form)
    outcome = _screen(snapshot, answers)
    context = _form_context(snapshot, answers)
    if outcome is None:
        response = make_response(render_template("web/screening.html", **context), 422)
        return _no_store(response)
    req, result = outcome
    changes = []
    previous_text = request.form.get("previous", "")
    if previous_text:
        try:
            previous = Answers.from_dict(json.loads(previous_text))
        except (ValueError, TypeError, AttributeError):
            previous = None
        before = _screen(snapshot, previous) if previous is not None else None
        if before is not None:
            changes = [
                {
                    "slug": c.right["slug"],
                    "title": pick(c.right["title"], lang()),
                    "before": c.before,
                    "after": c.after,
                }
                for c in screening.what_if(before[1], result)
            ]
    body = screening.screening_dict(snapshot, result, req, lang())
    groups = {
        status: [r for r in body["results"] if r["status"] == status]
        for status in ("eligible", "unknown", "not_eligible")
    }
    response = make_response(
        render_template(
            "web/screening.html",
            **context,
            result=body,
            groups=groups,
            possible=[r for r in groups["unknown"] if r["discretionary"]],
            open_questions=[r for r in groups["unknown"] if not r["discretionary"]],
            changes=changes,
            previous_json=json.dumps(answers.as_dict(), ensure_ascii=False),
            municipality_name=snapshot.municipalities[req.municipality_nis]["name_nl"],
        )
    )
    return _no_store(response)
