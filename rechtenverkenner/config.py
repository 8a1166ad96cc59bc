"""Configuration: defaults here, then environment variables, then a mapping passed by tests."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

ROOT_DIR = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT_DIR / "catalog"
TEMPLATES_DIR = ROOT_DIR / "templates"
TRANSLATIONS_DIR = ROOT_DIR / "translations"
STATIC_DIR = ROOT_DIR / "static"
INSTANCE_DIR = ROOT_DIR / "instance"

LANGUAGES = ("nl", "fr", "en")


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'rechtenverkenner.sqlite3'}"


DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": "dev-only-change-me",
    "DATABASE_URL": None,  # filled from default_database_url() when empty
    "CATALOG_DIR": str(CATALOG_DIR),
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_TRANSLATION_DIRECTORIES": str(TRANSLATIONS_DIR),
    "LANGUAGES": LANGUAGES,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "JSON_SORT_KEYS": False,
    # flask-smorest: OpenAPI document at /api/v1/openapi.json, browsable at /api/docs.
    "API_TITLE": "Rechtenverkenner API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "v1/openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
    # How often (seconds) a worker asks the database whether the catalogue changed.
    "CATALOG_VERSION_CHECK_SECONDS": 2.0,
    # Rate limits of the public computing APIs (flask-limiter syntax), per client address.
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "ADVICE_RATE_LIMIT": "60 per minute",
    "SCREENING_RATE_LIMIT": "60 per minute",
    "LOGIN_RATE_LIMIT": "10 per minute",
    "REDIS_URL": None,
}

# Environment variables read on start, with the config key they set.
ENVIRONMENT = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "DATABASE_URL",
    "CATALOG_DIR": "CATALOG_DIR",
    "SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    "REDIS_URL": "REDIS_URL",
    "ADVICE_RATE_LIMIT": "ADVICE_RATE_LIMIT",
    "SCREENING_RATE_LIMIT": "SCREENING_RATE_LIMIT",
}


def load_config(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    """Apply defaults, then environment variables, then `overrides` (tests)."""
    app.config.from_mapping(DEFAULTS)
    for key, env in ENVIRONMENT.items():
        if env in os.environ:
            value: Any = os.environ[env]
            if isinstance(DEFAULTS.get(key), bool):
                value = value.lower() in ("1", "true", "yes")
            app.config[key] = value
    if overrides:
        app.config.update(overrides)
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    if not app.config["DATABASE_URL"]:
        INSTANCE_DIR.mkdir(exist_ok=True)
        app.config["DATABASE_URL"] = default_database_url()
