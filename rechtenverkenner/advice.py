"""Leefloon advice as a service: a snapshot and a checked request in, the advice out.

Shared by `POST /api/v1/advice/leefloon`, the dossier workers' page and batch screening. The
profile lives only in the request; storing an advice is a separate, explicit act (audit.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from marshmallow import ValidationError

from .catalog.snapshot import Snapshot
from .errors import UserInputError
from .i18n import pick
from .rules.leefloon import Advice, IncomeRule, advise, income_rules
from .rules.parameters import ParameterDateError
from .rules.profile import check_statuses
from .rules.questions import question

RULES_VERSION = "leefloon-2026.12"  # bump when the rules (not the amounts) change


def snapshot_income_rules(snapshot: Snapshot) -> dict[str, IncomeRule]:
    """Income-kind rules of the catalogue, worked out once per snapshot."""
    cached = snapshot.derived.get("leefloon_income_rules")
    if cached is None:
        cached = income_rules(snapshot.vocabularies.get("leefloon_income_kind", {}))
        snapshot.derived["leefloon_income_rules"] = cached
    return cached


def income_labels(snapshot: Snapshot) -> dict[str, Mapping[str, str]]:
    return {
        code: term["label"]
        for code, term in snapshot.vocabularies.get("leefloon_income_kind", {}).items()
    }


def leefloon_advice(
    snapshot: Snapshot,
    profile: Mapping[str, Any],
    *,
    on: date | None = None,
    choices: Mapping[str, Any] | None = None,
    lang: str = "nl",
) -> Advice:
    """The advice for a profile already read by `load_profile`.

    Raises:
        UserInputError: an unknown status, or a date before the first known amounts.
    """
    try:
        check_statuses(profile, snapshot.vocabularies.get("status", {}))
    except ValidationError as exc:
        raise UserInputError(
            "The profile is not valid.", {f"profile.{k}": v for k, v in exc.messages.items()}
        ) from None
    try:
        return advise(
            profile,
            on=on or date.today(),
            parameters=snapshot.parameters,
            income_rules=snapshot_income_rules(snapshot),
            income_labels=income_labels(snapshot),
            choices=choices or {},
            lang=lang,
        )
    except ParameterDateError as exc:
        raise UserInputError(
            "No leefloon amounts are known for this reference date.",
            {"reference_date": [str(exc)]},
        ) from None


def fact_question(snapshot: Snapshot, fact: str, lang: str) -> str:
    """A missing fact as a question (the same wording as in screening)."""
    statuses = snapshot.vocabularies.get("status", {})
    return question(fact, lang, lambda code: pick(statuses.get(code, {}).get("label"), lang))
