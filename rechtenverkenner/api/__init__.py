"""The HTTP API v1 (shared/spec/api.md), documented as OpenAPI by flask-smorest."""

from __future__ import annotations

from flask import Flask, g, request

from ..catalog.snapshot import Snapshot, SnapshotCache
from ..db import get_session
from ..extensions import api


def current_snapshot() -> Snapshot:
    """The worker's snapshot of the published catalogue, refreshed when the version moves."""
    if "snapshot" not in g:
        from flask import current_app

        cache: SnapshotCache = current_app.extensions["rv_snapshot"]
        g.snapshot = cache.get(get_session())
    return g.snapshot


def request_lang(asked: str | None = None) -> str:
    """`?lang=` or Accept-Language; Dutch by default."""
    if asked in ("nl", "fr", "en"):
        return asked
    return request.accept_languages.best_match(("nl", "fr", "en")) or "nl"


def init_app(app: Flask) -> None:
    from . import advice as advice_api
    from . import catalog as catalog_api
    from . import editor as editor_api
    from . import lpdc as lpdc_api
    from . import screening as screening_api

    app.extensions["rv_snapshot"] = SnapshotCache(app.config["CATALOG_VERSION_CHECK_SECONDS"])
    api.init_app(app)
    from ..rules.profile import Money, Share

    # Euro amounts: a string ("1100.00") or a number; documented as the string form.
    api.register_field(Money, "string", "decimal")
    api.register_field(Share, "number", None)
    from ..web.auth import csrf

    for blueprint in (catalog_api.bp, screening_api.bp, advice_api.bp, editor_api.bp, lpdc_api.bp):
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)  # JSON API: token authentication, never a browser session
