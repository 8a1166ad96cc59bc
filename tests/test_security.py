"""Security headers, no stack traces, and no production start with a known secret."""

from __future__ import annotations

import pytest

from rechtenverkenner import create_app
from rechtenverkenner.security import InsecureConfiguration


@pytest.mark.parametrize("path", ["/", "/rechten", "/welke-rechten", "/api/v1/rights", "/nergens"])
def test_every_response_has_the_security_headers(web, path):  # type: ignore[no-untyped-def]
    headers = web.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # plain http: no HSTS


def test_hsts_behind_tls(web):
    response = web.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_have_no_inline_script_or_style(web):
    for path in ("/", "/rechten", "/welke-rechten", "/leefloonadvies", "/inloggen"):
        html = web.get(path).get_data(as_text=True)
        assert "<script>" not in html
        assert "<script " not in html.replace("<script src=", "")
        assert 'style="' not in html
        assert "<style" not in html


def test_production_refuses_the_default_secret(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RV_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite://"})
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    assert create_app({"DATABASE_URL": "sqlite://"}) is not None


def test_errors_never_show_a_stack_trace(web_app, monkeypatch):  # type: ignore[no-untyped-def]
    from rechtenverkenner.api import catalog as api_catalog
    from rechtenverkenner.web import views

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "summary_item", broken)
    monkeypatch.setattr(api_catalog, "summary_item", broken)
    client = web_app.test_client()
    for path in ("/rechten", "/api/v1/rights"):
        response = client.get(path)
        assert response.status_code == 500
        body = response.get_data(as_text=True)
        assert "secret internals" not in body
        assert "Traceback" not in body
