"""Domain exceptions and the error handlers: JSON for the API, friendly pages for the web."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable
from werkzeug.http import HTTP_STATUS_CODES

from .i18n import _


class UserInputError(ValueError):
    """Input that cannot be understood; becomes a 422 with the field named."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """webargs/marshmallow nested messages -> {"field.path": [..]} (locations dropped)."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if not prefix and key in (
                "query",
                "json",
                "form",
                "headers",
                "view_args",
                "path",
                "files",
            ):
                sub = ""
            elif key == "_schema":
                sub = prefix
            else:
                sub = f"{prefix}.{key}" if prefix else str(key)
            for k, v in flatten_messages(value, sub).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(messages, list):
        for item in messages:
            if isinstance(item, str):
                out.setdefault(prefix or "_schema", []).append(item)
            else:
                for k, v in flatten_messages(item, prefix).items():
                    out.setdefault(k, []).extend(v)
    else:
        out.setdefault(prefix or "_schema", []).append(str(messages))
    return out


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_body(code: int, message: str, errors: dict | None = None) -> dict[str, Any]:
    return {
        "code": code,
        "status": HTTP_STATUS_CODES.get(code, "Error"),
        "message": message,
        "errors": errors or {},
    }


API_INTERNAL_ERROR = "Something went wrong on our side. Please try again later."


def _web_title(code: int) -> str:
    titles = {
        400: _("Bad request"),
        401: _("Log in"),
        403: _("Not allowed"),
        404: _("Page not found"),
        405: _("Not possible"),
        422: _("Check your input"),
        429: _("Too many requests"),
        500: _("Something went wrong"),
        503: _("Temporarily unavailable"),
    }
    return titles.get(code, _("Something went wrong"))


def _web_message(code: int) -> str:
    messages = {
        400: _("We could not understand this request."),
        401: _("Please log in first."),
        403: _("You are not allowed to do this."),
        404: _("We could not find this page. Maybe the address is wrong, or the page moved."),
        405: _("This action is not possible here."),
        422: _("Some of the information is not correct."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Please try again later."),
        503: _("The service is temporarily unavailable. Please try again in a moment."),
    }
    return messages.get(code, messages[500])


def handle_http_exception(exc: HTTPException):  # type: ignore[no-untyped-def]
    code = exc.code or 500
    headers = {}
    if code == 503:
        headers["Retry-After"] = "30"
    if wants_json():
        data = getattr(exc, "data", None) or {}
        errors = (
            flatten_messages(data.get("messages", {}))
            if data.get("messages")
            else data.get("errors", {})
        )
        message = data.get("message") or (exc.description if code != 500 else API_INTERNAL_ERROR)
        if code == 422 and not data.get("message"):
            message = "Validation failed."
        response = jsonify(error_body(code, message, errors))
        response.status_code = code
        response.headers.update(headers)
        return response
    page = render_template(
        "errors/error.html", code=code, title=_web_title(code), message=_web_message(code)
    )
    return page, code, headers


def handle_user_input(exc: UserInputError):  # type: ignore[no-untyped-def]
    if wants_json():
        return jsonify(error_body(422, exc.message, exc.errors)), 422
    return render_template(
        "errors/error.html", code=422, title=_web_title(422), message=exc.message
    ), 422


def handle_database_down(exc: OperationalError):  # type: ignore[no-untyped-def]
    """503 with Retry-After while the database fails; what it said goes to the log only."""
    from flask import current_app, g

    said = str(exc.orig or exc).strip().splitlines()[0]
    current_app.logger.warning("database unavailable on %s: %s", request.path, said)
    # The page is rendered as for a visitor: a logged-in editor's account would be read from
    # the database that just failed, and the error page itself would end in a 500.
    g.actor = None
    if hasattr(current_app, "login_manager"):
        g._login_user = current_app.login_manager.anonymous_user()  # flask-login's per request
    return handle_http_exception(ServiceUnavailable())


def handle_unexpected(exc: Exception):  # type: ignore[no-untyped-def]
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s", request.path)
    return handle_http_exception(InternalServerError())


def _domain_handlers(app: Flask) -> None:
    """Refusals and conflicts raised by the service layer, as HTTP answers."""
    from flask import redirect, url_for
    from werkzeug.exceptions import Conflict, Forbidden, NotFound, Unauthorized

    from .accounts.policy import Forbidden as PolicyForbidden
    from .accounts.policy import NotLoggedIn
    from .editor import services as editor

    def not_logged_in(exc: NotLoggedIn):  # type: ignore[no-untyped-def]
        if wants_json():
            return handle_http_exception(Unauthorized("Log in or send an API token."))
        return redirect(url_for("auth.login", next=request.path))

    def forbidden(exc: PolicyForbidden):  # type: ignore[no-untyped-def]
        return handle_http_exception(Forbidden("You may not do this for this administration."))

    def not_found(exc: editor.NotFound):  # type: ignore[no-untyped-def]
        return handle_http_exception(NotFound("No such right or model entry."))

    def workflow(exc: editor.WorkflowError):  # type: ignore[no-untyped-def]
        return handle_http_exception(Conflict(str(exc)))

    def conflict(exc: editor.Conflict):  # type: ignore[no-untyped-def]
        if wants_json():
            body = error_body(409, "Someone else saved this right in the meantime.", {})
            body["current"] = exc.current
            body["lock_version"] = exc.lock_version
            return jsonify(body), 409
        return handle_http_exception(Conflict(str(exc)))

    def blocked(exc: editor.Blocked):  # type: ignore[no-untyped-def]
        if wants_json():
            body = error_body(422, "The right cannot go further yet.", {"_schema": exc.errors})
            body["warnings"] = exc.warnings
            return jsonify(body), 422
        return handle_user_input(UserInputError("; ".join(exc.errors)))

    app.register_error_handler(NotLoggedIn, not_logged_in)
    app.register_error_handler(PolicyForbidden, forbidden)
    app.register_error_handler(editor.NotFound, not_found)
    app.register_error_handler(editor.WorkflowError, workflow)
    app.register_error_handler(editor.Conflict, conflict)
    app.register_error_handler(editor.Blocked, blocked)


def init_app(app: Flask) -> None:
    _domain_handlers(app)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(UserInputError, handle_user_input)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(Exception, handle_unexpected)
