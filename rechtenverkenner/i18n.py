"""Language choice and helpers: Dutch first, then French and English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, request
from flask_babel import gettext, lazy_gettext

_ = gettext
_l = lazy_gettext

LANG_COOKIE = "lang"


def select_locale() -> str:
    """?lang= wins, then the remembered choice, then the browser's languages, then Dutch."""
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in languages:
        return remembered
    return request.accept_languages.best_match(languages) or languages[0]


def pick(text: Mapping[str, str] | None, lang: str) -> str:
    """A text in `lang`, falling back to Dutch (the catalogue's reference language)."""
    if not text:
        return ""
    return text.get(lang) or text.get("nl") or next(iter(text.values()), "")


def pick_lang(text: Mapping[str, str] | None, lang: str) -> str:
    """The language `pick` will actually return."""
    if not text:
        return lang
    if text.get(lang):
        return lang
    return "nl" if text.get("nl") else next(iter(text), lang)


def localise(value: Any, lang: str) -> Any:
    """Replace every language map inside `value` by its text in `lang`."""
    if isinstance(value, dict):
        if (
            value
            and set(value) <= {"nl", "fr", "en", "de"}
            and all(isinstance(v, str) for v in value.values())
        ):
            return pick(value, lang)
        return {k: localise(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [localise(v, lang) for v in value]
    return value
