"""Tables of the catalogue, shaped after the LPDC/IPDC model (shared/spec/catalog-model.md).

Rights (LPDC instances) and model entries (LPDC concepts) share their content columns; their
ordered child items (requirements, procedures, costs, ...) live in one table with an owner.
Every publish stores a complete, immutable version. Language texts are JSON maps
(`{"nl": ..., "fr": ...}`) and code lists are JSON arrays: the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, String, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


def _json(**kwargs: Any) -> Any:
    return Field(sa_type=JSON, **kwargs)


def _ts(**kwargs: Any) -> Any:
    return Field(sa_column_kwargs={}, sa_type=DateTime(timezone=True), **kwargs)


class RightStatus(StrEnum):
    """Workflow state of a right (catalogue model §9; editor workflow in style.md §7)."""

    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    rejected = "rejected"
    published = "published"
    archived = "archived"


class Municipality(SQLModel, table=True):
    """A Belgian municipality (NIS/LAU code) with its validity dates (2025 mergers)."""

    nis_code: str = Field(primary_key=True, max_length=5)
    name_nl: str = Field(max_length=120)
    name_fr: str = Field(max_length=120)
    name_de: str | None = Field(default=None, max_length=120)
    arrondissement_nis: str = Field(max_length=5)
    province_nis: str | None = Field(default=None, max_length=5, index=True)
    province_nl: str | None = Field(default=None, max_length=120)
    province_fr: str | None = Field(default=None, max_length=120)
    region: str = Field(max_length=20)
    valid_from: date
    valid_until: date | None = None
    successor_nis: str | None = Field(default=None, max_length=5)
    nuts_code: str | None = Field(default=None, max_length=12)


class Postcode(SQLModel, table=True):
    """A bpost postcode of a municipality; a few postcodes belong to two municipalities."""

    __table_args__ = (UniqueConstraint("postcode", "nis_code"),)

    id: int | None = Field(default=None, primary_key=True)
    postcode: str = Field(max_length=4, index=True)
    nis_code: str = Field(foreign_key="municipality.nis_code", max_length=5, index=True)
    nis_code_until_2024: str | None = Field(default=None, max_length=5)
    shared: bool = False
    language_regime: str | None = Field(default=None, max_length=4)


class VocabularyTerm(SQLModel, table=True):
    """A code of a vocabulary (LPDC code lists and our own), with nl/fr/en labels."""

    __tablename__ = "vocabulary_term"

    scheme: str = Field(primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=120)
    label: dict = _json(default_factory=dict)
    uri: str | None = Field(default=None, max_length=300)
    notation: str | None = Field(default=None, max_length=40)
    broader: str | None = Field(default=None, max_length=120)
    sort_order: int = 0
    extra: dict = _json(default_factory=dict)


class Administration(SQLModel, table=True):
    """A city, OCMW, province, Flemish or federal body, identified by OVO code and IRI."""

    id: str = Field(primary_key=True, max_length=60)
    name: dict = _json(default_factory=dict)
    kind: str = Field(max_length=20)
    level: str = Field(max_length=20)
    ovo: str | None = Field(default=None, max_length=9, unique=True)
    iri: str = Field(max_length=300, unique=True)
    municipality_nis: str | None = Field(
        default=None, foreign_key="municipality.nis_code", max_length=5
    )
    province_nis: str | None = Field(default=None, max_length=5)
    region: str | None = Field(default=None, max_length=20)
    dutch_variant: str = Field(default="nl-BE-x-informal", max_length=20)


class Parameter(SQLModel, table=True):
    """A dated parameter; `values` holds [{valid_from, value, source, confidence}] by date."""

    name: str = Field(primary_key=True, max_length=120)
    description: dict = _json(default_factory=dict)
    unit: str = Field(max_length=10)
    period: str = Field(max_length=10)
    values: list = _json(default_factory=list)
    last_value_still_valid_on: date | None = None


class RecordContent(SQLModel):
    """Content columns shared by rights and model entries (catalogue model §3, §6, §7)."""

    slug: str = Field(max_length=120, unique=True, index=True)
    iri: str = Field(max_length=300, unique=True)
    title: dict = _json(default_factory=dict)
    summary: dict = _json(default_factory=dict)
    description: dict = _json(default_factory=dict)
    additional_description: dict = _json(default_factory=dict)
    exceptions: dict = _json(default_factory=dict)
    regulation_text: dict = _json(default_factory=dict)
    level: str = Field(max_length=20, index=True)
    access: str = Field(default="individual", max_length=20)
    product_type: str | None = Field(default=None, max_length=40)
    target_audiences: list = _json(default_factory=list)
    themes: list = _json(default_factory=list)
    situations: list = _json(default_factory=list)
    competent_levels: list = _json(default_factory=list)
    competent_authorities: list = _json(default_factory=list)
    executing_levels: list = _json(default_factory=list)
    executing_authorities: list = _json(default_factory=list)
    languages: list = _json(default_factory=list)
    keywords: dict = _json(default_factory=dict)
    publication_channels: list = _json(default_factory=list)
    your_europe_categories: list = _json(default_factory=list)
    tags: list = _json(default_factory=list)
    start_date: date | None = None
    end_date: date | None = None
    product_number: str | None = Field(default=None, max_length=40)
    criteria: list = _json(default_factory=list)
    related: list = _json(default_factory=list)
    sources: list = _json(default_factory=list)
    last_checked: date | None = None
    confidence: str = Field(default="medium", max_length=10)
    origin: str = Field(default="catalog", max_length=20)  # catalog | editor | lpdc
    content_hash: str | None = Field(default=None, max_length=64)
    created_at: datetime = _ts(default_factory=utcnow)
    modified_at: datetime = _ts(default_factory=utcnow)
    # LPDC/IPDC exchange (rechtenverkenner/lpdc/): properties we do not model, kept as received
    # and sent back on export; IPDC-only read fields (publicatieLink, metadata) and the values
    # as received where our columns are coarser; the version we hold (newest wins on import).
    lpdc_extra: dict = _json(default_factory=dict)
    lpdc_metadata: dict = _json(default_factory=dict)
    lpdc_version_iri: str | None = Field(default=None, max_length=300)
    lpdc_generated_at: datetime | None = _ts(default=None, nullable=True)


class EntryTemplate(RecordContent, table=True):
    """A model entry (LPDC concept) that cities and OCMWs copy into a local right."""

    __tablename__ = "entry_template"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    archived: bool = False
    version: int = 0


class Right(RecordContent, table=True):
    """A right (LPDC instance): what one government or OCMW offers, where, and on which terms."""

    __tablename__ = "rights"  # "right" is an SQL keyword

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    status: str = Field(default=RightStatus.draft, sa_type=String(20), index=True)
    scope: dict = _json(default_factory=dict)
    owner_id: str | None = Field(default=None, foreign_key="administration.id", max_length=60)
    template_id: str | None = Field(default=None, foreign_key="entry_template.id", max_length=36)
    based_on_template_version: int | None = None
    review_status: str | None = Field(default=None, max_length=30)
    dutch_variant: str = Field(default="nl-BE-x-informal", max_length=20)
    archived: bool = False
    version: int = 0  # number of the latest published version; 0 = never published
    lock_version: int = 1  # optimistic locking: every save adds one; a stale save is refused
    examples: list = _json(default_factory=list)  # worked examples run before publish
    review_note: str | None = Field(default=None, max_length=2000)  # reason of a rejection
    changed_blocks: list = _json(default_factory=list)  # template blocks changed (review needed)
    # IRI of the LPDC concept the right was made from, as received; also when we do not hold it
    template_iri: str | None = Field(default=None, max_length=300, index=True)


ITEM_LISTS = (
    "requirements",
    "procedures",
    "costs",
    "financial_advantages",
    "legal_resources",
    "more_info",
    "contact_points",
)


class RecordItem(SQLModel, table=True):
    """An ordered child item of a right or a model entry (requirement, procedure, cost, ...)."""

    __tablename__ = "record_item"
    __table_args__ = (
        CheckConstraint(
            "(right_id IS NULL) <> (template_id IS NULL)", name="record_item_one_owner"
        ),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    right_id: str | None = Field(
        default=None, foreign_key="rights.id", index=True, ondelete="CASCADE", max_length=36
    )
    template_id: str | None = Field(
        default=None, foreign_key="entry_template.id", index=True, ondelete="CASCADE", max_length=36
    )
    list_name: str = Field(max_length=30)
    order: int = 0
    title: dict = _json(default_factory=dict)
    description: dict = _json(default_factory=dict)
    url: str | None = Field(default=None, max_length=500)
    data: dict = _json(default_factory=dict)  # evidence, websites, amount, contact fields


class RightVersion(SQLModel, table=True):
    """An immutable, complete copy of a right, made on every publish."""

    __tablename__ = "right_version"
    __table_args__ = (UniqueConstraint("right_id", "number"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    right_id: str = Field(foreign_key="rights.id", index=True, max_length=36)
    number: int
    iri: str = Field(max_length=300, unique=True)
    generated_at: datetime = _ts(default_factory=utcnow)
    data: dict = _json(default_factory=dict)


class TemplateVersion(SQLModel, table=True):
    """An immutable, complete copy of a model entry (LPDC concept snapshot)."""

    __tablename__ = "template_version"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    template_id: str = Field(foreign_key="entry_template.id", index=True, max_length=36)
    number: int
    iri: str = Field(max_length=300, unique=True)
    generated_at: datetime = _ts(default_factory=utcnow)
    data: dict = _json(default_factory=dict)


class CatalogState(SQLModel, table=True):
    """Small shared facts all workers read: the catalogue version, the loaded data's hash."""

    __tablename__ = "catalog_state"

    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=200)
    updated_at: datetime = _ts(default_factory=utcnow)
