"""Checks before submit and publish (catalogue model §10): errors block, warnings show."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session, select

from ..catalog.models import Administration, Municipality
from ..catalog.schemas import EMAIL, PHONE, URL
from ..i18n import pick

MIN_TEXT = 4
LOCAL_EXECUTING = {"Lokaal", "Provinciaal", "Derden"}
_LINK = re.compile(r'href="([^"]*)"')


def validate_right(session: Session, doc: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(errors, warnings) in plain words for the editor, with the field named."""
    errors: list[str] = []
    warnings: list[str] = []
    langs = set(doc.get("title") or {})
    if "nl" not in (doc.get("title") or {}):
        errors.append("title: a Dutch title is needed")
    if "nl" not in (doc.get("description") or {}):
        errors.append("description: a Dutch description is needed")
    if langs != set(doc.get("description") or {}):
        errors.append("description: give the title and the description in the same languages")
    for name in ("title", "description"):
        for lang, text in (doc.get(name) or {}).items():
            if len(re.sub(r"<[^>]+>", "", text).strip()) < MIN_TEXT:
                warnings.append(f"{name} ({lang}): add meaningful content or remove the text")
    for list_name in ("requirements", "procedures", "costs", "financial_advantages"):
        for i, item in enumerate(doc.get(list_name) or [], start=1):
            if not item.get("title") or not item.get("description"):
                errors.append(f"{list_name} {i}: a title and a description are needed")
    for list_name in ("procedures", "more_info", "legal_resources"):
        for i, item in enumerate(doc.get(list_name) or [], start=1):
            for url in _urls(item):
                if not URL.match(url):
                    errors.append(f"{list_name} {i}: {url!r} is not an absolute http(s) address")
    for i, contact in enumerate(doc.get("contact_points") or [], start=1):
        if contact.get("email") and not EMAIL.match(contact["email"]):
            errors.append(f"contact point {i}: e-mail address is not valid")
        if contact.get("phone") and not PHONE.match(contact["phone"]):
            errors.append(f"contact point {i}: phone number is not valid")
    for name in ("description", "additional_description", "exceptions", "regulation_text"):
        for text in (doc.get(name) or {}).values():
            for href in _LINK.findall(text):
                if not (URL.match(href) or href.startswith("mailto:")):
                    errors.append(f"{name}: the link {href!r} is not valid")
    authorities = doc.get("competent_authorities") or []
    if not authorities:
        errors.append("competent authorities: at least one is needed")
    admins = {a.id: a for a in session.exec(select(Administration))}
    levels = set(doc.get("competent_levels") or [])
    for admin_id in authorities:
        admin = admins.get(admin_id)
        if admin is None:
            errors.append(f"competent authorities: {admin_id!r} is not known")
        elif levels and admin.level not in levels:
            errors.append(f"competent levels: {pick(admin.name, 'nl')} is {admin.level}")
    executing = set(doc.get("executing_levels") or [])
    if doc.get("level") == "local" and executing and not executing & LOCAL_EXECUTING:
        errors.append("executing levels: include Lokaal, Provinciaal or Derden")
    scope = doc.get("scope") or {}
    places = scope.get("municipalities") or []
    if not places and not scope.get("provinces") and not scope.get("region"):
        errors.append("territory: at least one municipality, province or region is needed")
    active = {m.nis_code for m in session.exec(select(Municipality)) if m.valid_until is None}
    for nis in places:
        if nis not in active:
            errors.append(f"territory: municipality {nis} does not exist (anymore)")
    if "YourEurope" in (doc.get("publication_channels") or []) and not doc.get(
        "your_europe_categories"
    ):
        errors.append("Your Europe: choose at least one category")
    if not doc.get("contact_points"):
        warnings.append("contact points: none yet (people will not know whom to ask)")
    if not any(_urls(p) for p in doc.get("procedures") or []):
        warnings.append("procedures: no website to apply online")
    return errors, warnings


def _urls(item: dict[str, Any]) -> list[str]:
    urls = [item["url"]] if item.get("url") else []
    for site in item.get("websites") or []:
        if site.get("url"):
            urls.append(site["url"])
    return urls
