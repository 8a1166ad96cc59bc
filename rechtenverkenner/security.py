"""Security headers on every response, and refusing to run in production with a known secret.

The pages use no inline script and no inline style, so the Content-Security-Policy can forbid
both. Only the API explorer (/api/docs, Swagger UI from a CDN) gets a looser policy.
"""

from __future__ import annotations

import os

from flask import Flask, Response, request

from .config import DEFAULTS

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)
DOCS_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
        "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
        "img-src 'self' data: https://cdn.jsdelivr.net",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"


class InsecureConfiguration(RuntimeError):
    """The app would run in production with a setting that is only safe on a laptop."""


def check_production(app: Flask) -> None:
    """In production (RV_ENV=production) a secret key must come from the environment.

    Raises:
        InsecureConfiguration: the secret key is missing, the built-in default, or too short.
    """
    production = os.environ.get("RV_ENV", "").lower() == "production" or app.config.get(
        "ENV_PRODUCTION"
    )
    if not production:
        return
    secret = app.config.get("SECRET_KEY") or ""
    if secret == DEFAULTS["SECRET_KEY"] or len(secret) < 32:
        raise InsecureConfiguration(
            "RV_ENV=production needs SECRET_KEY from the environment (32+ random characters); "
            "refusing to start with the default or a short key."
        )


def add_headers(response: Response) -> Response:
    headers = response.headers
    docs = request.path.startswith("/api/docs")
    headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure or request.headers.get("X-Forwarded-Proto") == "https":
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    check_production(app)
    app.after_request(add_headers)
