"""Catalogue endpoints: rights, municipalities, vocabularies and model entries (read-only)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from ..catalog.present import municipality_ref, right_detail, summary_item
from ..catalog.queries import RightFilters, UnknownMunicipality, filter_rights
from ..catalog.services import right_versions
from ..db import get_session
from ..errors import UserInputError
from ..i18n import localise, pick, pick_lang
from ..rules.conditions import KINDS, kind_schema
from ..search.text import fold
from . import current_snapshot, request_lang
from .schemas import (
    LangArgsSchema,
    MunicipalityListSchema,
    MunicipalityQueryArgsSchema,
    RightDetailSchema,
    RightListSchema,
    RightQueryArgsSchema,
    TemplateDetailSchema,
    TemplateListSchema,
    VocabulariesSchema,
)

bp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Catalogue of social rights (read-only, public).",
)


# One schema instance for every request: the hot path of search should not build it each time.
RIGHT_QUERY_ARGS = RightQueryArgsSchema()


@bp.route("/rights")
class Rights(MethodView):
    @bp.arguments(RIGHT_QUERY_ARGS, location="query")
    @bp.response(200, RightListSchema)
    def get(self, args: dict[str, Any]) -> Response:
        """Search and filter the published catalogue."""
        snapshot = current_snapshot()
        lang = request_lang(args.get("lang"))
        filters = RightFilters(
            **{
                k: args[k]
                for k in (
                    "q",
                    "municipality",
                    "theme",
                    "situation",
                    "level",
                    "product_type",
                    "target_group",
                )
            }
        )
        try:
            results = filter_rights(
                snapshot,
                filters,
                limit=args["per_page"],
                offset=(args["page"] - 1) * args["per_page"],
            )
        except UnknownMunicipality:
            raise UserInputError(
                "Unknown municipality.",
                {"municipality": ["No municipality has this NIS code, postcode or name."]},
            ) from None
        # Already plain JSON data in the documented shape (RightListSchema, checked by the
        # schemathesis test): sent as is, without a second pass through marshmallow.
        return jsonify(
            {
                "total": results.total,
                "page": args["page"],
                "per_page": args["per_page"],
                "items": [summary_item(snapshot, doc, lang, score) for doc, score in results.items],
                "facets": results.facets,
                "did_you_mean": results.did_you_mean,
                "municipalities": [
                    municipality_ref(snapshot, m, lang) for m in results.municipalities
                ],
            }
        )


@bp.route("/rights/<key>")
class RightDetail(MethodView):
    @bp.arguments(LangArgsSchema, location="query")
    @bp.response(200, RightDetailSchema)
    def get(self, args: dict[str, Any], key: str) -> dict[str, Any]:
        """The whole right: every field, criteria as data and as sentences, its versions."""
        snapshot = current_snapshot()
        doc = snapshot.right(key)
        if doc is None:
            abort(404, "No published right has this id or slug.")
        versions = [
            {"number": v.number, "iri": v.iri, "generated_at": v.generated_at.isoformat()}
            for v in right_versions(session=get_session(), right_id=doc["id"])
        ]
        return right_detail(snapshot, doc, request_lang(args.get("lang")), versions)


@bp.route("/rights/<key>/versions")
class RightVersions(MethodView):
    @bp.response(200)
    def get(self, key: str) -> dict[str, Any]:
        """Every published version of a right, each complete."""
        doc = current_snapshot().right(key)
        if doc is None:
            abort(404, "No published right has this id or slug.")
        versions = right_versions(session=get_session(), right_id=doc["id"])
        return {
            "total": len(versions),
            "items": [
                {
                    "number": v.number,
                    "iri": v.iri,
                    "generated_at": v.generated_at.isoformat(),
                    "data": v.data,
                }
                for v in versions
            ],
        }


@bp.route("/municipalities")
class Municipalities(MethodView):
    @bp.arguments(MunicipalityQueryArgsSchema, location="query")
    @bp.response(200, MunicipalityListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Active municipalities by NIS code, postcode or (part of a) name."""
        snapshot = current_snapshot()
        postcodes_of: dict[str, list[str]] = {}
        for pc, codes in snapshot.postcodes.items():
            for nis in codes:
                postcodes_of.setdefault(nis, []).append(pc)
        wanted = fold(args["q"])
        items = []
        for muni in sorted(snapshot.active_municipalities(), key=lambda m: m["name_nl"]):
            codes = postcodes_of.get(muni["nis_code"], [])
            names = (
                fold(muni["name_nl"]),
                fold(muni["name_fr"]),
                fold(muni["name_de"] or ""),
            )
            if wanted and not (
                muni["nis_code"] == args["q"]
                or args["q"] in codes
                or any(wanted in n for n in names)
            ):
                continue
            items.append({**muni, "postcodes": sorted(codes), "province": muni["province_nl"]})
        start = (args["page"] - 1) * args["per_page"]
        return {
            "total": len(items),
            "page": args["page"],
            "per_page": args["per_page"],
            "items": items[start : start + args["per_page"]],
        }


@bp.route("/vocabularies")
class Vocabularies(MethodView):
    @bp.response(200, VocabulariesSchema)
    def get(self) -> dict[str, Any]:
        """Themes, situations, target groups, levels, product types, statuses, condition kinds."""
        vocab = current_snapshot().vocabularies

        def terms(scheme: str) -> list[dict[str, Any]]:
            return [
                {"code": code, "label": t["label"], "uri": t.get("uri")}
                for code, t in vocab.get(scheme, {}).items()
            ]

        return {
            "themes": terms("theme"),
            "situations": terms("situation"),
            "target_groups": terms("target_audience"),
            "levels": terms("level"),
            "product_types": terms("product_type"),
            "statuses": terms("status"),
            "condition_kinds": [kind_schema(k) for k in KINDS.values()],
        }


@bp.route("/templates")
class Templates(MethodView):
    @bp.arguments(LangArgsSchema, location="query")
    @bp.response(200, TemplateListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Model entries (LPDC concepts) that a city or OCMW can copy."""
        lang = request_lang(args.get("lang"))
        items = [
            {
                "id": t["id"],
                "slug": t["slug"],
                "iri": t["iri"],
                "title": pick(t["title"], lang),
                "summary": pick(t["summary"], lang),
                "lang": pick_lang(t["title"], lang),
                "themes": t["themes"],
                "version": t["version"],
            }
            for t in current_snapshot().templates
        ]
        return {"total": len(items), "items": items}


@bp.route("/templates/<key>")
class TemplateDetail(MethodView):
    @bp.arguments(LangArgsSchema, location="query")
    @bp.response(200, TemplateDetailSchema)
    def get(self, args: dict[str, Any], key: str) -> dict[str, Any]:
        """One model entry with all its fields."""
        snapshot = current_snapshot()
        doc = snapshot.template(key)
        if doc is None:
            abort(404, "No model entry has this id or slug.")
        lang = request_lang(args.get("lang"))
        out = localise(doc, lang)
        out["lang"] = pick_lang(doc["title"], lang)
        return out
