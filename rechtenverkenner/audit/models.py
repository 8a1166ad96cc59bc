"""The advice record table (GDPR: the input only with a dossier reference and an end date)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from ..catalog.models import _json, _ts, new_id, utcnow


class AdviceRecord(SQLModel, table=True):
    """Who asked which advice when, on which rules and amounts, and what came out.

    `input_hash` proves later which input gave the outcome without keeping the input. The input
    is kept only with a `dossier_reference` and a `purge_after` date; `flask advice purge`
    removes it after that date, keeping the rest of the record.
    """

    __tablename__ = "advice_record"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    created_at: datetime = _ts(default_factory=utcnow)
    created_by: str = Field(max_length=120)
    administration_id: str | None = Field(default=None, max_length=80, index=True)
    reference_date: date
    rules_version: str = Field(max_length=40)
    catalog_version: int
    parameters: dict = _json(default_factory=dict)  # parameter name -> valid_from used
    outcome: str = Field(max_length=20)
    category: int | None = None
    monthly_amount: str | None = Field(default=None, max_length=20)
    input_hash: str = Field(max_length=64)
    dossier_reference: str | None = Field(default=None, max_length=80)
    input: dict | None = _json(default=None, nullable=True)
    purge_after: date | None = Field(default=None, index=True)
