"""Rechtenverkenner 2.0: find every social right a person has."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import api, cli, db, errors, security
from .config import STATIC_DIR, TEMPLATES_DIR, load_config
from .extensions import babel, limiter
from .i18n import select_locale


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: config, database, extensions, blueprints, commands, errors."""
    app = Flask(__name__, template_folder=str(TEMPLATES_DIR), static_folder=str(STATIC_DIR))
    load_config(app, overrides=config)
    security.init_app(app)
    db.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    api.init_app(app)
    limiter.init_app(app)
    from .web import advice as _advice_pages  # noqa: F401  (adds its routes to web_bp)
    from .web import auth as web_auth
    from .web import batch as _batch_pages  # noqa: F401  (adds its routes to web_bp)
    from .web import coverage as _coverage_pages  # noqa: F401  (adds its routes to web_bp)
    from .web import editor as editor_pages
    from .web import screening as _screening_pages  # noqa: F401  (adds its routes to web_bp)
    from .web.views import bp as web_bp
    from .web.views import ops as ops_bp

    app.register_blueprint(web_bp)
    app.register_blueprint(ops_bp)
    app.register_blueprint(editor_pages.bp)
    web_auth.init_app(app)
    cli.init_app(app)
    errors.init_app(app)  # after flask-smorest, whose handler it replaces
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    return app
