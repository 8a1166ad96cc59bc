"""Exchange with LPDC/IPDC over HTTP: the LDES of our right versions, a CSV table, and import.

`GET /api/v1/export/lpdc?pageNumber=N` and `GET /api/v1/export/csv` are public (they show what
the public site shows). `POST /api/v1/import/lpdc` takes JSON-LD (a JSON body, or files in a
multipart form under `file`) from editors and admins with an API token: an editor imports only
records of its own administrations, model entries need an admin (`accounts.policy`). The
request is one transaction: the report comes back only after everything valid was written.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ..accounts.policy import Forbidden, NotLoggedIn
from ..catalog.services import get_catalog_version
from ..db import get_session
from ..lpdc.exporter import PAGE_SIZE, csv_rows, csv_text, page_count, right_members
from ..lpdc.importer import ImportReport, Outcome, import_document, read_document
from ..lpdc.mapping import ImportProblem, ldes_page
from ..web.auth import current_actor

bp = Blueprint(
    "lpdc_api",
    __name__,
    url_prefix="/api/v1",
    description="Exchange with the Flemish LPDC/IPDC (JSON-LD) and a CSV export.",
)

MAX_IMPORT_BYTES = 50 * 1024 * 1024
JSON_LD = "application/ld+json"


class LdesPageArgsSchema(Schema):
    page_number = fields.Integer(
        data_key="pageNumber",
        load_default=0,
        validate=validate.Range(min=0),
        metadata={"description": "Page of the stream, from 0."},
    )


class CsvArgsSchema(Schema):
    sep = fields.String(
        load_default=";",
        validate=validate.OneOf((";", ",")),
        metadata={"description": "Cell separator: ';' (default, for Excel in Belgium) or ','."},
    )


def _members() -> list[dict[str, Any]]:
    """The stream's members, built once per catalogue version in each worker."""
    session = get_session()
    version = get_catalog_version(session=session)
    cached = current_app.extensions.get("rv_lpdc_export")
    if cached is None or cached[0] != version:
        cached = (version, right_members(session=session))
        current_app.extensions["rv_lpdc_export"] = cached  # one assignment: safe with threads
    return cached[1]


@bp.route("/export/lpdc")
class LpdcExport(MethodView):
    @bp.arguments(LdesPageArgsSchema, location="query")
    @bp.response(200, content_type=JSON_LD)
    def get(self, args: dict[str, Any]) -> Response:
        """One page of the LDES of published right versions (LPDC instance snapshots)."""
        members = _members()
        number, pages = args["page_number"], page_count(members, PAGE_SIZE)
        if number >= pages:
            abort(404, "There is no such page.")
        stream = request.base_url
        page = ldes_page(
            members[number * PAGE_SIZE : (number + 1) * PAGE_SIZE],
            page=number,
            pages=pages,
            stream_iri=stream,
            page_iri=lambda k: f"{stream}?pageNumber={k}",
        )
        response = current_app.json.response(page)
        response.mimetype = JSON_LD
        return response


@bp.route("/export/csv")
class CsvExport(MethodView):
    @bp.arguments(CsvArgsSchema, location="query")
    @bp.response(200, content_type="text/csv")
    def get(self, args: dict[str, Any]) -> Response:
        """The published catalogue as a table: one row per right, the main fields."""
        rows = csv_rows(session=get_session(), site_url=request.host_url)
        return Response(
            csv_text(rows, delimiter=args["sep"]),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="rechtenverkenner.csv"'},
        )


@bp.route("/import/lpdc")
class LpdcImport(MethodView):
    @bp.response(200)
    def post(self) -> dict[str, Any]:
        """Import LPDC instances (rights) and IPDC concepts (model entries) from JSON-LD.

        Send the JSON-LD as the body (`Content-Type: application/json` or
        `application/ld+json`) or as files named `file` in a multipart form. The answer is the
        report: created, updated, unchanged and rejected records, each with its reason.
        """
        actor = current_actor()
        if actor is None:
            raise NotLoggedIn("import")
        if not actor.is_admin and not actor.administrations("editor"):
            raise Forbidden(f"{actor.email} is no editor")
        if (request.content_length or 0) > MAX_IMPORT_BYTES:
            abort(413, "Send at most 50 MB per request; split larger streams into pages.")
        documents: list[tuple[str, Any]] = []
        report = ImportReport()
        uploads = request.files.getlist("file")
        try:
            if uploads:
                for upload in uploads:
                    name = upload.filename or "file"
                    try:
                        documents.append((name, read_document(upload.read(), name)))
                    except ImportProblem as exc:
                        report.rejected.append(Outcome(name, "file", str(exc)))
            else:
                documents.append(("body", read_document(request.get_data(), "the body")))
        except ImportProblem as exc:
            abort(422, str(exc))
        session = get_session()
        for name, document in documents:
            report.merge(
                import_document(session=session, document=document, actor=actor, source=name)
            )
        session.commit()
        return report.as_dict()
