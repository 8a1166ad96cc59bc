"""Users, their roles per administration, and API tokens (stored hashed, revocable)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from ..catalog.models import _ts, new_id, utcnow

ROLES = ("admin", "editor", "reviewer", "dossier_worker")


class User(SQLModel, table=True):
    """A person who logs in: an editor of a city, a reviewer, a dossier worker, an admin."""

    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    email: str = Field(max_length=200, unique=True, index=True)
    name: str = Field(max_length=200)
    password_hash: str = Field(max_length=300)
    active: bool = True
    created_at: datetime = _ts(default_factory=utcnow)


class Membership(SQLModel, table=True):
    """A role of a user, for one administration (`admin` has no administration)."""

    __table_args__ = (UniqueConstraint("user_id", "role", "administration_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    user_id: str = Field(foreign_key="app_user.id", index=True, max_length=36)
    role: str = Field(max_length=20)
    administration_id: str | None = Field(
        default=None, foreign_key="administration.id", max_length=60
    )


class ApiToken(SQLModel, table=True):
    """A machine client's token: only its SHA-256 is stored; revoked tokens stay for the record."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    user_id: str = Field(foreign_key="app_user.id", index=True, max_length=36)
    name: str = Field(max_length=120)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = _ts(default_factory=utcnow)
    revoked_at: datetime | None = _ts(default=None, nullable=True)
