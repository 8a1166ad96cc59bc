"""Public pages: home, the filterable list of rights and a right's detail page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from sqlalchemy import text

from ..api import current_snapshot
from ..catalog.present import municipality_ref, right_detail, summary_item
from ..catalog.queries import FACETS, RightFilters, UnknownMunicipality, filter_rights
from ..db import get_session
from ..i18n import LANG_COOKIE, _
from .highlight import Highlighter

bp = Blueprint("web", __name__)
ops = Blueprint("ops", __name__)

PER_PAGE = 20


def lang() -> str:
    return str(get_locale() or "nl")


@bp.after_app_request
def remember_language(response):  # type: ignore[no-untyped-def]
    """A language chosen with ?lang= is remembered for the next pages."""
    asked = request.args.get("lang")
    if asked in current_app.config["LANGUAGES"] and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(
            LANG_COOKIE,
            asked,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


@bp.app_context_processor
def inject_helpers() -> dict[str, Any]:
    def url_with(**changes: Any) -> str:
        """The current URL with some query arguments changed (None removes one)."""
        args = request.args.to_dict(flat=False)
        for key, value in changes.items():
            if value is None:
                args.pop(key, None)
            else:
                args[key] = value if isinstance(value, list) else [value]
        return f"{request.path}?{urlencode(args, doseq=True)}" if args else request.path

    return {"lang": lang(), "url_with": url_with}


@bp.app_template_filter("money")
def money_filter(amount: Any) -> str:
    """Euro the way Belgians write it in the page's language (1.314,20 euro)."""
    from decimal import Decimal

    from ..catalog.snapshot import format_money

    return format_money(Decimal(str(amount)), lang())


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    snapshot = current_snapshot()
    situations = [(code, term) for code, term in snapshot.vocabularies.get("situation", {}).items()]
    counts: dict[str, int] = {}
    for doc in snapshot.rights:
        for code in doc.get("situations", []):
            counts[code] = counts.get(code, 0) + 1
    return render_template(
        "web/home.html",
        situations=situations,
        counts=counts,
        total=len(snapshot.rights),
        snapshot=snapshot,
    )


MUNICIPALITY_COOKIE = "municipality"


def chosen_municipality() -> tuple[str, bool]:
    """The municipality filter: from the form, else the one remembered in a cookie."""
    if "municipality" in request.args:
        return request.args.get("municipality", "").strip()[:80], False
    return request.cookies.get(MUNICIPALITY_COOKIE, "")[:80], True


@bp.route("/rechten")
def rights_list():  # type: ignore[no-untyped-def]
    snapshot = current_snapshot()
    args = request.args
    municipality, remembered = chosen_municipality()
    filters = RightFilters(
        q=args.get("q", "").strip()[:200],
        municipality=municipality,
        **{f: args.getlist(f) for f in FACETS},
    )
    try:
        page = max(1, int(args.get("page", "1")))
    except ValueError:
        page = 1
    error = None
    try:
        results = filter_rights(snapshot, filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    except UnknownMunicipality:
        error = _(
            "We do not know this municipality. Type a postcode or the name of a municipality."
        )
        filters.municipality = ""
        results = filter_rights(snapshot, filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    pages = max(1, (results.total + PER_PAGE - 1) // PER_PAGE)
    items = [summary_item(snapshot, doc, lang(), score) for doc, score in results.items]
    template = "web/_results.html" if args.get("partial") == "1" else "web/rights.html"
    response = make_response(
        render_template(
            template,
            items=items,
            results=results,
            filters=filters,
            page=page,
            pages=pages,
            error=error,
            facets=FACETS,
            snapshot=snapshot,
            remembered=remembered and bool(municipality),
            municipalities=[municipality_ref(snapshot, m, lang()) for m in results.municipalities],
            highlight=Highlighter(results.matched_terms, results.prefix_terms),
        )
    )
    if "municipality" in args and not error:
        if municipality:
            response.set_cookie(
                MUNICIPALITY_COOKIE,
                municipality,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=current_app.config["SESSION_COOKIE_SECURE"],
            )
        else:
            response.delete_cookie(MUNICIPALITY_COOKIE)
    return response


@bp.route("/rechten/afdrukken")
def print_selection():  # type: ignore[no-untyped-def]
    """A printable sheet of the chosen rights, to hand to a client."""
    snapshot = current_snapshot()
    keys = request.args.getlist("r")[:30]
    rights = [
        right_detail(snapshot, doc, lang())
        for doc in (snapshot.right(k) for k in keys)
        if doc is not None
    ]
    if not rights:
        return redirect(url_for("web.rights_list"))
    return render_template("web/print.html", rights=rights, snapshot=snapshot)


@bp.route("/rechten/<key>")
def right_page(key: str):  # type: ignore[no-untyped-def]
    snapshot = current_snapshot()
    doc = snapshot.right(key)
    if doc is None:
        abort(404)
    if key != doc["slug"]:
        return redirect(f"/rechten/{doc['slug']}", code=301)
    detail = right_detail(snapshot, doc, lang())
    return render_template("web/right.html", right=detail, doc=doc, snapshot=snapshot)


@ops.route("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """The process is alive."""
    return {"status": "ok"}


@ops.route("/readyz")
def readyz():  # type: ignore[no-untyped-def]
    """The database answers and a catalogue is loaded."""
    try:
        get_session().execute(text("SELECT 1"))
        snapshot = current_snapshot()
    except Exception:  # any database failure means: not ready
        current_app.logger.warning("readiness check failed", exc_info=True)
        return {"status": "unavailable", "database": False}, 503, {"Retry-After": "10"}
    if not snapshot.rights:
        return (
            {"status": "unavailable", "database": True, "catalog_loaded": False},
            503,
            {"Retry-After": "10"},
        )
    return {
        "status": "ok",
        "database": True,
        "catalog_loaded": True,
        "catalog_version": snapshot.version,
        "rights": len(snapshot.rights),
    }
