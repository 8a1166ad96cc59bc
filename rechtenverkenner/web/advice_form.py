"""The dossier worker's leefloon form: numbered steps turned into a client profile.

Rows for household members, income lines, property and transfers are fixed in number, so the
page works without JavaScript. A question left empty stays unknown; "none" boxes say a list is
complete and empty. Problems are collected per field name, as in the screening form.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..rules.profile import (
    INCOME_KINDS,
    LIVING_SITUATIONS,
    NATIONALITY_STATUSES,
    PROPERTY_RIGHTS,
    RELATIONS,
    SPI_KINDS,
    WORK_EXEMPTIONS,
)
from .screening_form import Answers, _choice, _int, _money

MEMBER_ROWS = 4
INCOME_ROWS = 4
PROPERTY_ROWS = 2
TRANSFER_ROWS = 2
PERIODS = ("month", "year", "day")
YES_NO = ("yes", "no")


def field_names() -> list[str]:
    """Every field of the form (the screening form's `Answers` reads them by name)."""
    names = [
        "reference_date",
        "age",
        "actual_residence_belgium",
        "nationality_status",
        "right_of_residence_more_than_3_months",
        "married",
        "pregnant",
        "has_child_in_charge",
        "student",
        "willing_to_work",
        "work_exemption_reason",
        "other_benefits_claimed",
        "living_situation",
        "own_income_none",
        "capital",
        "property_none",
        "transfers_none",
        "advantages_in_kind",
        "maintenance_paid",
        "ascendant_share",
        "equity_waiver",
    ]
    for i in range(MEMBER_ROWS):
        names += [
            f"m{i}_{k}" for k in ("relation", "age", "dependent", "leefloon", "income", "kind")
        ]
    for i in range(INCOME_ROWS):
        names += [
            f"i{i}_{k}"
            for k in ("kind", "amount", "period", "received", "spi", "started", "months", "attest")
        ]
    for i in range(PROPERTY_ROWS):
        names += [f"p{i}_{k}" for k in ("type", "ki", "share", "right", "own_home")]
    for i in range(TRANSFER_ROWS):
        names += [
            f"t{i}_{k}"
            for k in ("type", "transfer", "value", "share", "right", "only", "debts", "years")
        ]
    return names


def read(form: Any) -> Answers:
    values = {name: str(form.get(name, "")).strip()[:200] for name in field_names()}
    return Answers(values, {})


def _yes_no(answers: Answers, name: str) -> bool | None:
    value = _choice(answers, name, YES_NO)
    return None if value is None else value == "yes"


def _share(answers: Answers, name: str) -> str | None:
    """A share typed as a percentage (50) or a fraction (0,5), as a fraction string."""
    text = answers.get(name).replace("%", "").replace(",", ".").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except ArithmeticError:
        answers.errors[name] = "share"
        return None
    if value > 1:
        value = value / 100
    if not 0 <= value <= 1:
        answers.errors[name] = "share"
        return None
    return f"{value.normalize():f}"


def build(answers: Answers) -> tuple[dict[str, Any], dict[str, Any]]:
    """The profile and the OCMW's choices from the answers."""
    profile: dict[str, Any] = {}
    age = _int(answers, "age", 0, 120)
    if age is not None:
        profile["age"] = age
    for name in (
        "actual_residence_belgium",
        "right_of_residence_more_than_3_months",
        "married",
        "pregnant",
        "has_child_in_charge",
        "student",
        "willing_to_work",
        "other_benefits_claimed",
    ):
        value = _yes_no(answers, name)
        if value is not None:
            profile[name] = value
    for name, allowed in (
        ("nationality_status", NATIONALITY_STATUSES),
        ("work_exemption_reason", WORK_EXEMPTIONS),
        ("living_situation", LIVING_SITUATIONS),
    ):
        value = _choice(answers, name, allowed)
        if value is not None:
            profile[name] = value
    members = _members(answers)
    if profile.get("living_situation") in ("alone", "homeless") and not members:
        pass  # living alone: no household needed
    elif "living_situation" in profile:
        profile["household"] = members
    lines = _income_lines(answers)
    if lines or answers.get("own_income_none"):
        profile["own_income"] = lines
    capital = _money(answers, "capital")
    if capital is not None:
        profile["capital"] = {"movable_total": capital}
    holdings = _property(answers)
    if holdings or answers.get("property_none"):
        profile["property"] = holdings
    transfers = _transfers(answers)
    if transfers or answers.get("transfers_none"):
        profile["transfers_last_10_years"] = transfers
    for name, key in (
        ("advantages_in_kind", "advantages_in_kind_monthly"),
        ("maintenance_paid", "maintenance_paid_for_child_monthly"),
    ):
        value = _money(answers, name)
        if value is not None:
            profile[key] = value
    choices: dict[str, Any] = {}
    share = _share(answers, "ascendant_share")
    if share is not None:
        choices["ascendant_share"] = share
    if answers.get("equity_waiver"):
        choices["equity_waiver"] = True
    return profile, choices


def _members(answers: Answers) -> list[dict[str, Any]]:
    out = []
    for i in range(MEMBER_ROWS):
        relation = _choice(answers, f"m{i}_relation", RELATIONS)
        if relation is None:
            continue
        member: dict[str, Any] = {"relation": relation}
        age = _int(answers, f"m{i}_age", 0, 120)
        if age is not None:
            member["age"] = age
        dependent = _yes_no(answers, f"m{i}_dependent")
        if dependent is not None:
            member["dependent"] = dependent
        if _yes_no(answers, f"m{i}_leefloon"):
            member["receives_leefloon"] = True
        amount = _money(answers, f"m{i}_income")
        if amount is not None:
            kind = _choice(answers, f"m{i}_kind", INCOME_KINDS) or "other"
            member["income"] = [] if amount == "0.00" else [{"kind": kind, "monthly_net": amount}]
        out.append(member)
    return out


def _income_lines(answers: Answers) -> list[dict[str, Any]]:
    out = []
    for i in range(INCOME_ROWS):
        kind = _choice(answers, f"i{i}_kind", INCOME_KINDS)
        amount = _money(answers, f"i{i}_amount")
        if kind is None and amount is None:
            continue
        if kind is None or amount is None:
            answers.errors[f"i{i}_{'kind' if kind is None else 'amount'}"] = "income_line"
            continue
        period = _choice(answers, f"i{i}_period", PERIODS) or "month"
        line: dict[str, Any] = {
            "kind": kind,
            f"{'daily' if period == 'day' else period + 'ly'}_net": amount,
        }
        if _yes_no(answers, f"i{i}_received") is False:
            line["actually_received"] = False
        spi = _choice(answers, f"i{i}_spi", SPI_KINDS)
        if spi:
            line["spi"] = spi
            started = _yes_no(answers, f"i{i}_started")
            if started is not None:
                line["started_while_on_leefloon"] = started
            months = _int(answers, f"i{i}_months", 0, 600)
            if months is not None:
                line["contract_months"] = months
            if _yes_no(answers, f"i{i}_attest") is not None:
                line["regional_attestation"] = _yes_no(answers, f"i{i}_attest")
        out.append(line)
    return out


def _property(answers: Answers) -> list[dict[str, Any]]:
    out = []
    for i in range(PROPERTY_ROWS):
        kind = _choice(answers, f"p{i}_type", ("built", "unbuilt"))
        if kind is None:
            continue
        item: dict[str, Any] = {"type": kind}
        ki = _money(answers, f"p{i}_ki")
        if ki is None:
            answers.errors[f"p{i}_ki"] = "money"
            continue
        item["cadastral_income"] = ki
        item["share"] = _share(answers, f"p{i}_share") or "1"
        item["right"] = _choice(answers, f"p{i}_right", PROPERTY_RIGHTS) or "full_ownership"
        if _yes_no(answers, f"p{i}_own_home") is not None:
            item["own_home"] = _yes_no(answers, f"p{i}_own_home")
        out.append(item)
    return out


def _transfers(answers: Answers) -> list[dict[str, Any]]:
    out = []
    for i in range(TRANSFER_ROWS):
        kind = _choice(answers, f"t{i}_type", ("built", "unbuilt", "movable"))
        if kind is None:
            continue
        value = _money(answers, f"t{i}_value")
        if value is None:
            answers.errors[f"t{i}_value"] = "money"
            continue
        item: dict[str, Any] = {
            "type": kind,
            "transfer": _choice(answers, f"t{i}_transfer", ("sale", "gift")) or "sale",
            "market_value": value,
            "share": _share(answers, f"t{i}_share") or "1",
            "right": _choice(answers, f"t{i}_right", PROPERTY_RIGHTS) or "full_ownership",
        }
        if _yes_no(answers, f"t{i}_only") is not None:
            item["only_built_property"] = _yes_no(answers, f"t{i}_only")
        debts = _money(answers, f"t{i}_debts")
        if debts is not None:
            item["personal_debts_repaid_from_proceeds"] = debts
        years = _int(answers, f"t{i}_years", 0, 10)
        if years is not None:
            item["years_between_transfer_and_application"] = years
        out.append(item)
    return out


def calculation_rows(advice: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The calculation as table rows with a bar width (percent of the category amount)."""
    calc = advice.get("calculation", [])
    lines = {row["line"]: row["amount_yearly"] for row in calc}
    full = Decimal(lines.get("category_amount") or lines.get("indicative_category_amount") or 0)
    rows = []
    for row in calc:
        amount = Decimal(row["amount_yearly"])
        width = int(min(amount / full * 100, 100)) if full else 0
        rows.append({"line": row["line"], "amount": amount, "width": width})
    return rows
