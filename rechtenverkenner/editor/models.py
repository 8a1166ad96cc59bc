"""The audit log of the editor: every transition and save, with who, when and what changed."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ..catalog.models import _json, _ts, new_id, utcnow


class AuditEvent(SQLModel, table=True):
    """One thing that happened to a right (or an account), kept for the record."""

    __tablename__ = "audit_event"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    at: datetime = _ts(default_factory=utcnow)
    user_id: str | None = Field(default=None, max_length=36, index=True)
    user_email: str = Field(max_length=200)
    right_id: str | None = Field(default=None, max_length=36, index=True)
    action: str = Field(max_length=40)
    details: dict = _json(default_factory=dict)
