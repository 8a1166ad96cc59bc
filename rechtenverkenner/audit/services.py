"""Storing and purging advice records. Authorisation (who may store for which OCMW) is checked
by the caller's service layer with the accounts of the editor issue; here: the record itself."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from ..rules.leefloon import Advice
from ..rules.parameters import Parameter
from .models import AdviceRecord

MAX_RETENTION_DAYS = 3 * 365  # an OCMW keeps a file's working copy at most this long here


def input_hash(profile: Mapping[str, Any], reference_date: date, choices: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of what the advice was computed from."""
    canonical = json.dumps(
        {"profile": profile, "reference_date": reference_date, "ocmw_choices": choices},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def used_parameters(parameters: Mapping[str, Parameter], on: date) -> dict[str, str]:
    """The version (valid-from date) of every leefloon amount in force on `on`."""
    out = {}
    for name, param in parameters.items():
        if name.startswith("leefloon."):
            try:
                out[name] = param.at(on).valid_from.isoformat()
            except LookupError:
                continue
    return out


def record_advice(
    *,
    session: Session,
    advice: Advice,
    profile: Mapping[str, Any],
    reference_date: date,
    choices: Mapping[str, Any],
    created_by: str,
    administration_id: str | None,
    rules_version: str,
    catalog_version: int,
    parameters: Mapping[str, Parameter],
    dossier_reference: str | None = None,
    retention_days: int | None = None,
) -> AdviceRecord:
    """Store the audit record of one advice; the input only with a dossier reference.

    Raises:
        ValueError: input asked to be kept without a dossier reference or retention period,
            or for longer than MAX_RETENTION_DAYS.
    """
    keep_input = dossier_reference is not None
    if keep_input and not retention_days:
        raise ValueError("keeping the input needs a retention period")
    if retention_days and not keep_input:
        raise ValueError("a retention period is only for an input kept with a dossier reference")
    if retention_days and not 1 <= retention_days <= MAX_RETENTION_DAYS:
        raise ValueError(f"retention must be 1 to {MAX_RETENTION_DAYS} days")
    record = AdviceRecord(
        created_by=created_by,
        administration_id=administration_id,
        reference_date=reference_date,
        rules_version=rules_version,
        catalog_version=catalog_version,
        parameters=used_parameters(parameters, reference_date),
        outcome=advice.outcome,
        category=advice.category,
        monthly_amount=_cents(advice.monthly_amount),
        input_hash=input_hash(profile, reference_date, choices),
        dossier_reference=dossier_reference,
        input=json.loads(json.dumps({"profile": profile, "ocmw_choices": choices}, default=str))
        if keep_input
        else None,
        purge_after=date.today() + timedelta(days=retention_days) if retention_days else None,
    )
    session.add(record)
    session.flush()
    return record


def _cents(value: Any) -> str | None:
    return f"{value:.2f}" if value is not None else None


def purge_inputs(*, session: Session, today: date | None = None) -> int:
    """Remove stored inputs whose retention ended; the rest of each record stays."""
    today = today or date.today()
    due = session.exec(
        select(AdviceRecord).where(
            AdviceRecord.purge_after.is_not(None),  # type: ignore[union-attr]
            AdviceRecord.purge_after < today,  # type: ignore[operator]
        )
    ).all()
    for record in due:
        record.input = None
        record.dossier_reference = None
        record.purge_after = None
        session.add(record)
    session.flush()
    return len(due)
