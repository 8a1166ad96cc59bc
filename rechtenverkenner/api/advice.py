"""`POST /api/v1/advice/leefloon`: the automatic leefloon advice."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from ..advice import RULES_VERSION, fact_question, leefloon_advice
from ..extensions import limiter
from . import current_snapshot, request_lang
from .schemas import AdviceRequestSchema, AdviceResponseSchema, LangArgsSchema

bp = Blueprint(
    "advice",
    __name__,
    url_prefix="/api/v1",
    description="Leefloon advice for dossier workers: advice, never a decision. Stores nothing.",
)


@bp.route("/advice/leefloon")
class LeefloonAdvice(MethodView):
    decorators = [limiter.limit(lambda: current_app.config["ADVICE_RATE_LIMIT"])]

    @bp.arguments(AdviceRequestSchema)
    @bp.arguments(LangArgsSchema, location="query")
    @bp.response(200, AdviceResponseSchema)
    def post(self, args: dict[str, Any], query: dict[str, Any]) -> dict[str, Any]:
        """Eligible or not, the category, the amount for the reference date, and why.

        `insufficient_data` lists the facts that would decide (most decisive first); when the
        OCMW has not chosen the share of parents' resources, `range` gives both ends.
        """
        snapshot = current_snapshot()
        lang = request_lang(query.get("lang"))
        advice = leefloon_advice(
            snapshot,
            args["profile"],
            on=args.get("reference_date"),
            choices=args.get("ocmw_choices") or {},
            lang=lang,
        )
        body = advice.as_dict()
        body["questions"] = [
            {"fact": f, "question": fact_question(snapshot, f, lang)} for f in advice.missing_facts
        ]
        body["rules_version"] = RULES_VERSION
        return body
