"""`POST /api/v1/screening`: which rights a client probably has. Public; stores nothing."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from .. import screening
from ..extensions import limiter
from . import current_snapshot, request_lang
from .schemas import LangArgsSchema, ScreeningRequestSchema, ScreeningResponseSchema

bp = Blueprint(
    "screening",
    __name__,
    url_prefix="/api/v1",
    description="Rights screening of a client profile (nothing is stored or logged).",
)


@bp.route("/screening")
class Screening(MethodView):
    decorators = [limiter.limit(lambda: current_app.config["SCREENING_RATE_LIMIT"])]

    @bp.arguments(ScreeningRequestSchema)
    @bp.arguments(LangArgsSchema, location="query")
    @bp.response(200, ScreeningResponseSchema)
    def post(self, args: dict[str, Any], query: dict[str, Any]) -> dict[str, Any]:
        """Every published right that applies where the client lives, grouped by answer.

        Each right says why (the conditions checked, the facts and dated amounts used) and,
        when unknown, which facts would settle it. `questions` lists the facts that would
        settle the most rights.
        """
        snapshot = current_snapshot()
        req = screening.prepare(
            snapshot,
            args["profile"],
            on=args.get("reference_date"),
            municipality_nis=args.get("municipality_nis"),
        )
        result = screening.run(snapshot, req)
        return screening.screening_dict(snapshot, result, req, request_lang(query.get("lang")))
