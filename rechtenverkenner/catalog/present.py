"""Turn catalogue documents into what people read: one language, names instead of codes.

Shared by the API and the web pages so both say the same thing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..i18n import localise, pick, pick_lang
from ..rules.conditions import describe
from .queries import municipalities_of
from .snapshot import Snapshot, format_money


def authority_name(snapshot: Snapshot, doc: dict[str, Any], lang: str) -> str:
    admins = [snapshot.administrations.get(a) for a in doc.get("competent_authorities", [])]
    return ", ".join(pick(a["name"], lang) for a in admins if a)


def summary_item(
    snapshot: Snapshot, doc: dict[str, Any], lang: str, score: float | None = None
) -> dict[str, Any]:
    """One line of a result list."""
    return {
        "id": doc["id"],
        "slug": doc["slug"],
        "title": pick(doc["title"], lang),
        "summary": pick(doc["summary"], lang),
        "lang": pick_lang(doc["title"], lang),
        "level": doc["level"],
        "access": doc["access"],
        "product_type": doc.get("product_type"),
        "themes": doc.get("themes", []),
        "situations": doc.get("situations", []),
        "municipalities": municipalities_of(doc, snapshot),
        "authority": authority_name(snapshot, doc, lang),
        "score": round(score, 3) if score is not None else None,
    }


def amount_text(
    snapshot: Snapshot, amount: dict[str, Any] | None, lang: str, on: date | None = None
) -> dict[str, Any] | None:
    """An amount of a financial advantage, resolved for a date when it is a parameter."""
    if not amount:
        return None
    on = on or date.today()
    if "parameter" in amount:
        param = snapshot.parameters.get(amount["parameter"])
        if param is None:
            return None
        try:
            value = param.at(on)
        except LookupError:
            return None
        period = param.period
        result = {
            "value": f"{value.value:.2f}",
            "valid_from": value.valid_from.isoformat(),
            "confidence": value.confidence,
            "source": dict(value.source),
            "parameter": param.name,
        }
    else:
        from decimal import Decimal

        value_dec = Decimal(amount["value"])
        period = amount.get("period", "once")
        result = {"value": f"{value_dec:.2f}"}
    words = {
        "month": {"nl": "per maand", "fr": "par mois", "en": "per month"},
        "year": {"nl": "per jaar", "fr": "par an", "en": "per year"},
        "day": {"nl": "per dag", "fr": "par jour", "en": "per day"},
    }.get(period, {})
    from decimal import Decimal

    result["period"] = period
    result["text"] = " ".join(
        filter(None, [format_money(Decimal(result["value"]), lang), words.get(lang, "")])
    )
    return result


def right_detail(
    snapshot: Snapshot, doc: dict[str, Any], lang: str, versions: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The whole right in one language, with readable conditions and today's amounts."""
    out = localise(doc, lang)
    out["lang"] = pick_lang(doc["title"], lang)
    out["criteria"] = doc.get("criteria", [])  # structured, untranslated
    out["conditions"] = describe(doc.get("criteria", []), lang, snapshot.labeller())
    out["authority"] = authority_name(snapshot, doc, lang)
    out["competent_authorities"] = [
        _admin(snapshot, a, lang) for a in doc.get("competent_authorities", [])
    ]
    out["executing_authorities"] = [
        _admin(snapshot, a, lang) for a in doc.get("executing_authorities", [])
    ]
    for item, raw in zip(
        out.get("financial_advantages", []), doc.get("financial_advantages", []), strict=True
    ):
        item["amount"] = amount_text(snapshot, raw.get("amount"), lang)
    out["municipalities"] = [
        {"nis_code": n, "name": _muni_name(snapshot, n, lang)}
        for n in municipalities_of(doc, snapshot)
    ]
    out["related"] = [
        {"slug": s, "title": pick(snapshot.right(s)["title"], lang)}
        for s in doc.get("related", [])
        if snapshot.right(s)
    ]
    if versions is not None:
        out["versions"] = versions
    return out


def _admin(snapshot: Snapshot, admin_id: str, lang: str) -> dict[str, Any]:
    admin = snapshot.administrations.get(admin_id) or {"id": admin_id, "name": {}}
    return {
        "id": admin_id,
        "name": pick(admin.get("name"), lang),
        "ovo": admin.get("ovo"),
        "iri": admin.get("iri"),
        "level": admin.get("level"),
    }


def _muni_name(snapshot: Snapshot, nis: str, lang: str) -> str:
    muni = snapshot.municipalities.get(nis)
    if not muni:
        return nis
    return muni["name_fr"] if lang == "fr" else muni["name_nl"]


def postcodes_of(snapshot: Snapshot) -> dict[str, list[str]]:
    """NIS code -> its postcodes, worked out once per snapshot."""
    found = snapshot.derived.get("postcodes_of")
    if found is None:
        found = {}
        for postcode, codes in sorted(snapshot.postcodes.items()):
            for nis in codes:
                found.setdefault(nis, []).append(postcode)
        snapshot.derived["postcodes_of"] = found
    return found


def municipality_ref(snapshot: Snapshot, muni: dict[str, Any], lang: str) -> dict[str, Any]:
    postcodes = postcodes_of(snapshot).get(muni["nis_code"], [])
    return {
        "nis_code": muni["nis_code"],
        "name": _muni_name(snapshot, muni["nis_code"], lang),
        "postcodes": postcodes,
    }
