"""Logging in and out, and finding who acts: a session (pages) or an API token (machines).

Sessions are flask-login cookies (HttpOnly, SameSite=Lax, Secure behind TLS); every form posts
a CSRF token (flask-wtf). API clients send `Authorization: Bearer rv_...`; tokens are stored
hashed and can be revoked. Login is rate limited per address.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect

from ..accounts.models import User
from ..accounts.services import Actor, actor_for, authenticate, user_for_token
from ..db import get_session
from ..extensions import limiter
from ..i18n import _

login_manager = LoginManager()
csrf = CSRFProtect()
auth = Blueprint("auth", __name__)


class SessionUser(UserMixin):
    """What flask-login keeps: the user id only; roles are read fresh on every request."""

    def __init__(self, user_id: str) -> None:
        self.id = user_id


@login_manager.user_loader
def _load(user_id: str) -> SessionUser | None:
    user = get_session().get(User, user_id)
    return SessionUser(user.id) if user is not None and user.active else None


def current_actor() -> Actor | None:
    """The person or machine acting in this request, with fresh roles; None if anonymous."""
    if "actor" in g:
        return g.actor
    session = get_session()
    actor = None
    header = request.headers.get("Authorization", "")
    if request.path.startswith("/api/") and not header.startswith("Bearer "):
        actor = None  # the API never acts on a browser session: no CSRF exposure
    elif header.startswith("Bearer "):
        user = user_for_token(session=session, token=header[7:].strip())
        if user is None:
            abort(401, "The API token is unknown or revoked.")
        actor = actor_for(session=session, user=user)
    elif current_user.is_authenticated:
        user = session.get(User, current_user.id)
        actor = actor_for(session=session, user=user) if user is not None else None
    g.actor = actor
    return actor


def init_app(app: Any) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    csrf.init_app(app)
    app.register_blueprint(auth)
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]

    @app.context_processor
    def _actor() -> dict[str, Any]:
        return {"actor": current_actor() if request else None}


def _safe_next(target: str | None) -> str:
    """Only local paths: a login link must not send people to another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("editor.dashboard")


@auth.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():  # type: ignore[no-untyped-def]
    error = None
    if request.method == "POST":
        email = request.form.get("email", "")[:200]
        password = request.form.get("password", "")[:500]
        user = authenticate(session=get_session(), email=email, password=password)
        if user is not None:
            login_user(SessionUser(user.id))
            return redirect(_safe_next(request.args.get("next")))
        error = _("This e-mail address and password do not match.")
    status = 401 if error else 200
    return render_template("auth/login.html", error=error), status


@auth.route("/uitloggen", methods=["POST"])
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    return redirect(url_for("web.home"))
