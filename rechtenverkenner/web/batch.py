"""The page "Proactive screening" (/proactieve-screening): a whole caseload at once.

For dossier workers and admins. Upload a caseload (CSV or JSON Lines of client profiles, the
format of `flask screen batch`) and get either the results file back (one line per client) or
the summary drawn as charts: which rights the caseload probably misses, which facts to ask
first, the leefloon outcomes. A summary file written by `flask screen batch` can be shown the
same way.

Personal data: the uploaded file is read in this request and the results go straight back to
the browser that sent it (`Cache-Control: no-store`); nothing is stored, in the database or
elsewhere, and nothing about a client is logged. The charts are SVG drawn on the server, with
no script and no style attribute (the Content-Security-Policy forbids both).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from flask import (
    Response,
    current_app,
    make_response,
    render_template,
    request,
)

from ..accounts.policy import Forbidden, NotLoggedIn, administrations_for
from ..api import current_snapshot
from ..batch import records
from ..batch.runner import BatchError, open_upload, screen_upload
from ..batch.screener import BatchScreener
from ..batch.summary import Summary
from ..i18n import _, pick
from ..rules.questions import question
from .auth import current_actor
from .views import bp, lang

UPLOAD_LIMIT = 20 * 1024 * 1024  # bytes; BATCH_UPLOAD_MAX_BYTES in the config overrides it
MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv"}

# Chart geometry in SVG user units: 320 wide fits a 360 px screen (as the coverage chart).
CHART_WIDTH = 320
BAR_MAX = 250
ROW_HEIGHT = 38
LABEL_Y = 14
BAR_Y = 19
BAR_HEIGHT = 14
TOP_RIGHTS = 15
TOP_FACTS = 10
_SOMEONE = {"nl": "een gezinslid", "fr": "un membre du ménage", "en": "a household member"}
_PERSON_ONE = {
    "nl": "persoon 1 in het gezin",
    "fr": "la personne 1 du ménage",
    "en": "person 1 in the household",
}


def require_batch_actor() -> Any:
    """The actor, if a dossier worker (of any OCMW) or an admin.

    Raises:
        NotLoggedIn: nobody is logged in (the page sends them to the login page).
        Forbidden: logged in without a role that may screen a caseload.
    """
    actor = current_actor()
    if actor is None:
        raise NotLoggedIn("batch_screen")
    if not actor.is_admin and not administrations_for(actor, "batch_screen"):
        raise Forbidden(f"{actor.email} may not screen a caseload")
    return actor


def batch_screener() -> BatchScreener:
    """The screener of the current snapshot, made once per catalogue version and worker."""
    snapshot = current_snapshot()
    found = snapshot.derived.get("batch_screener")
    if found is None:
        found = snapshot.derived["batch_screener"] = BatchScreener(snapshot)
    return found


@dataclass(frozen=True)
class Bar:
    """One bar of a chart, in SVG user units."""

    label: str
    count: int
    total: int
    width: int
    y: int

    @property
    def label_y(self) -> int:
        return self.y + LABEL_Y

    @property
    def bar_y(self) -> int:
        return self.y + BAR_Y

    @property
    def value_y(self) -> int:
        return self.y + BAR_Y + BAR_HEIGHT - 2


def chart(items: list[tuple[str, int]], total: int) -> dict[str, Any]:
    """Bars for (label, count) pairs: a bar's length is the count's share of `total`."""
    bars = [
        Bar(
            label=label,
            count=count,
            total=total,
            width=round(BAR_MAX * count / total) if total else 0,
            y=index * ROW_HEIGHT,
        )
        for index, (label, count) in enumerate(items)
    ]
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(len(bars), 1) * ROW_HEIGHT,
        "track": BAR_MAX,
        "bar_height": BAR_HEIGHT,
        "value_x": BAR_MAX + 6,
    }


def fact_question(fact: str, language: str) -> str:
    """A missing fact of the summary (item numbers as *) as a question people read."""
    statuses = current_snapshot().vocabularies.get("status", {})

    def label(code: str) -> str:
        return pick(statuses.get(code, {}).get("label"), language) or code

    if "*" not in fact:
        return question(fact, language, label)
    text = question(fact.replace("*", "0"), language, label)
    text = text.replace(_PERSON_ONE[language], _SOMEONE[language])
    return text.replace(_PERSON_ONE[language].capitalize(), _SOMEONE[language].capitalize())


def _outcome_labels() -> dict[str, str]:
    return {
        "eligible": _("probably entitled"),
        "not_eligible": _("probably not entitled"),
        "insufficient_data": _("more information needed"),
        "manual_review": _("the OCMW must judge"),
    }


def summary_view(report: dict[str, Any]) -> dict[str, Any]:
    """What the summary template shows, with the charts laid out."""
    language = lang()
    screened = report.get("screened", 0)
    rights = report.get("rights", [])
    top = sorted(rights, key=lambda r: (-r["eligible"], r["slug"]))[:TOP_RIGHTS]
    facts = report.get("missing_facts", [])[:TOP_FACTS]
    outcomes = report.get("leefloon", {}).get("outcomes", {})
    labels = _outcome_labels()
    return {
        "report": report,
        "title": lambda doc: pick(doc.get("title"), language) or doc.get("slug"),
        "rights_chart": chart(
            [(pick(r.get("title"), language) or r["slug"], r["eligible"]) for r in top], screened
        ),
        "facts": [{**f, "question": fact_question(f["fact"], language)} for f in facts],
        "facts_chart": chart(
            [(fact_question(f["fact"], language), f["clients"]) for f in facts], screened
        ),
        "outcomes_chart": chart(
            [(labels.get(k, k), v) for k, v in outcomes.items()], sum(outcomes.values())
        ),
        "outcome_labels": labels,
        "per_client": sorted(
            (int(k), v)
            for k, v in report.get("eligible_rights_per_client", {}).items()
            if k.isdigit()
        ),
    }


def _render(template: str, status: int = 200, **context: Any) -> Response:
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _form(errors: dict[str, str] | None = None, status: int = 200, **values: Any) -> Response:
    snapshot = current_snapshot()
    return _render(
        "web/batch.html",
        status,
        errors=errors or {},
        values=values,
        today=date.today().isoformat(),
        version=snapshot.version,
    )


@bp.route("/proactieve-screening", methods=["GET"])
def batch_form():  # type: ignore[no-untyped-def]
    require_batch_actor()
    return _form()


def _sent(results: IO[bytes]) -> Iterator[bytes]:
    try:
        while block := results.read(1 << 16):
            yield block
    finally:
        results.close()


def _upload_too_big() -> bool:
    limit = current_app.config.get("BATCH_UPLOAD_MAX_BYTES", UPLOAD_LIMIT)
    return request.content_length is not None and request.content_length > limit


@bp.route("/proactieve-screening", methods=["POST"])
def batch_run():  # type: ignore[no-untyped-def]
    """Screen the uploaded caseload: the results file, or the summary page."""
    require_batch_actor()
    values = {k: request.form.get(k, "").strip() for k in ("reference_date", "municipality_nis")}
    values["output_format"] = request.form.get("output_format", "jsonl")
    values["id_field"] = request.form.get("id_field", "").strip() or "id"
    if _upload_too_big():
        return _form(
            {"caseload": _("The file is too large for the page: use the command line.")},
            413,
            **values,
        )
    upload = request.files.get("caseload")
    errors: dict[str, str] = {}
    if upload is None or not upload.filename:
        errors["caseload"] = _("Choose a file.")
    on = date.today()
    if values["reference_date"]:
        try:
            on = date.fromisoformat(values["reference_date"])
        except ValueError:
            errors["reference_date"] = _("Type a date as YYYY-MM-DD.")
    snapshot = current_snapshot()
    nis = values["municipality_nis"] or None
    if nis and nis not in snapshot.municipalities:
        errors["municipality_nis"] = _("No municipality has this NIS code.")
    output_format = (
        values["output_format"] if values["output_format"] in records.FORMATS else "jsonl"
    )
    input_format = None
    if upload is not None and upload.filename:
        try:
            input_format = records.format_of(
                upload.filename, request.form.get("input_format") or None
            )
        except records.LayoutError:
            errors["caseload"] = _("Use a .csv or .jsonl file, or choose the format.")
    if errors:
        return _form(errors, 422, **values)
    screener = batch_screener()
    try:
        prepared = open_upload(
            upload.stream,  # type: ignore[union-attr]
            screener=screener,
            input_format=input_format,  # type: ignore[arg-type]
            output_format=output_format,
            reference_date=on,
            municipality_nis=nis,
            id_field=values["id_field"],
        )
    except BatchError as exc:
        return _form({"caseload": str(exc)}, 422, **values)  # column names, never a value
    summary = Summary()
    lines = screen_upload(prepared, screener=screener, summary=summary)
    if request.form.get("action") == "download":
        # Screened now, while the upload is open; kept in memory up to a few megabytes, beyond
        # that in an unnamed temporary file that is gone when the response has been sent.
        results = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115  (closed by _sent once sent)
        for text in lines:
            results.write(text.encode("utf-8"))
        results.seek(0)
        name = f"screening-{on.isoformat()}.{output_format}"
        response = Response(_sent(results), mimetype=MEDIA_TYPES[output_format])
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.headers["Cache-Control"] = "no-store"
        return response
    for _text in lines:
        pass  # only the counts are shown
    report = summary.report(
        rights=snapshot.rights,
        catalogue={"version": screener.version, "fingerprint": screener.fingerprint},
        run={"reference_date": on.isoformat(), "municipality_nis": nis},
    )
    return _render("web/batch_summary.html", **summary_view(clean_summary(report)))


@bp.route("/proactieve-screening/samenvatting", methods=["POST"])
def batch_summary_file():  # type: ignore[no-untyped-def]
    """Show a summary file written by `flask screen batch` as charts."""
    require_batch_actor()
    if _upload_too_big():
        return _form({"summary": _("This is not a summary file of a screening.")}, 413)
    upload = request.files.get("summary")
    try:
        raw = upload.read() if upload else b""
        report = clean_summary(json.loads(raw.decode("utf-8")))
    except (ValueError, KeyError, TypeError, AttributeError):
        return _form({"summary": _("This is not a summary file of a screening.")}, 422)
    return _render("web/batch_summary.html", **summary_view(report))


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 300:
        raise ValueError
    return value


def _counts(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise ValueError
    return {_text(k): _int(v) for k, v in value.items()}


def clean_summary(report: Any) -> dict[str, Any]:
    """The counts of a summary file, in the shape `Summary.report` writes, and nothing else.

    Raises:
        ValueError: not a summary file.
    """
    if not isinstance(report, dict) or not isinstance(report.get("rights"), list):
        raise ValueError
    rights = []
    for right in report["rights"]:
        if not isinstance(right, dict) or not re.fullmatch(
            r"[a-z0-9-]{1,120}", str(right.get("slug"))
        ):
            raise ValueError
        title = right.get("title") or {}
        rights.append(
            {
                "slug": right["slug"],
                "title": {_text(k): _text(v) for k, v in title.items()}
                if isinstance(title, dict)
                else {},
                "level": _text(right.get("level") or ""),
                **{
                    k: _int(right.get(k, 0))
                    for k in ("screened", "eligible", "unknown", "unknown_inquiry", "not_eligible")
                },
            }
        )
    leefloon = report.get("leefloon") or {}
    if not isinstance(leefloon, dict):
        raise ValueError
    catalogue = report.get("catalogue") or {}
    run = report.get("run") or {}
    if not isinstance(catalogue, dict) or not isinstance(run, dict):
        raise ValueError
    return {
        "catalogue": {
            "version": _int(catalogue.get("version", 0)),
            "fingerprint": _text(catalogue.get("fingerprint", "")),
        },
        "run": {
            "reference_date": _text(run.get("reference_date") or ""),
            "municipality_nis": _text(run.get("municipality_nis") or ""),
        },
        "lines": _int(report.get("lines", 0)),
        "screened": _int(report.get("screened", 0)),
        "errors": _int(report.get("errors", 0)),
        "error_lines": [_int(n) for n in report.get("error_lines", [])][:100],
        "rights": rights,
        "missing_facts": [
            {
                "fact": _text(f["fact"]),
                "clients": _int(f["clients"]),
                "answers": _int(f.get("answers", 0)),
            }
            for f in report.get("missing_facts", [])
            if isinstance(f, dict)
        ],
        "eligible_rights_per_client": _counts(report.get("eligible_rights_per_client", {})),
        "leefloon": {
            "outcomes": _counts(leefloon.get("outcomes", {})),
            "categories": _counts(leefloon.get("categories", {})),
            "eligible_not_receiving": _int(leefloon.get("eligible_not_receiving", 0)),
            "receives_not_eligible": _int(leefloon.get("receives_not_eligible", 0)),
        },
    }
