"""Shapes of the catalogue files (catalog/README.md), checked strictly with marshmallow.

These schemas validate YAML written by people; the HTTP shapes live in `api/schemas.py`.
Unknown keys raise, dates must be ISO, HTML is reduced to a small safe subset.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import nh3
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

LANGS = ("nl", "fr", "en", "de")
LEVELS = ("federal", "flemish", "provincial", "local")
ACCESS = ("general", "individual")
REGIONS = ("belgium", "flanders", "brussels", "wallonia")
CONFIDENCES = ("high", "medium", "low")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")
NIS = re.compile(r"^\d{5}$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
PHONE = re.compile(r"^\+?[0-9 ()./-]{6,20}$")

# Catalogue model §5: a small safe subset of HTML; links absolute http(s) or mailto.
HTML_TAGS = {"p", "ul", "ol", "li", "strong", "em", "h3", "br", "a"}
HTML_ATTRIBUTES = {"a": {"href"}}
HTML_SCHEMES = {"http", "https", "mailto"}


def clean_html(value: str) -> str:
    """Reduce HTML to the safe subset; relative links are dropped."""
    return nh3.clean(
        value,
        tags=HTML_TAGS,
        attributes=HTML_ATTRIBUTES,
        url_schemes=HTML_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


class IsoDate(fields.Field):
    """A date written as YYYY-MM-DD, nothing else."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        if not isinstance(value, str) or not ISO_DATE.match(value):
            raise ValidationError("must be an ISO date YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValidationError("not a valid date") from exc


class Money(fields.Field):
    """Euro amount as a string with at most two decimals, read into Decimal."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError('must be a quoted amount like "12.50"')
        text = str(value)
        if not MONEY.match(text):
            raise ValidationError('must be an amount like "12.50" (at most two decimals)')
        try:
            return Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - regex already guards
            raise ValidationError("not a number") from exc


class LangText(fields.Field):
    """Mapping language -> text; Dutch is always required, others as `required_langs` says."""

    def __init__(
        self, *, html: bool = False, required_langs: tuple[str, ...] = ("nl",), **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.html = html
        self.required_langs = required_langs

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict:
        if not isinstance(value, dict):
            raise ValidationError("must be a mapping of language to text, e.g. {nl: ...}")
        errors: dict[str, list[str]] = {}
        out = {}
        for lang, text in value.items():
            if lang not in LANGS:
                hint = (
                    " (a comma inside {...} splits the text: quote it)" if " " in str(lang) else ""
                )
                errors[str(lang)[:40]] = [f"unknown language (use {', '.join(LANGS)}){hint}"]
            elif not isinstance(text, str) or not text.strip():
                errors[lang] = ["must be non-empty text"]
            else:
                out[lang] = clean_html(text) if self.html else " ".join(text.split())
        for lang in self.required_langs:
            if lang not in value:
                errors[lang] = ["required"]
        if errors:
            raise ValidationError(errors)
        return out


class KeywordMap(fields.Field):
    """Mapping language -> list of keywords."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict:
        if not isinstance(value, dict):
            raise ValidationError("must be a mapping of language to a list of words")
        out = {}
        for lang, words in value.items():
            if (
                lang not in LANGS
                or not isinstance(words, list)
                or not all(isinstance(w, str) and w.strip() for w in words)
            ):
                raise ValidationError({str(lang): ["must be a list of words in nl/fr/en/de"]})
            out[lang] = [w.strip() for w in words]
        return out


class Strict(Schema):
    class Meta:
        unknown = RAISE


def _url(**kwargs: Any) -> fields.String:
    return fields.String(
        validate=validate.Regexp(URL, error="must be an absolute http(s) URL"), **kwargs
    )


class EvidenceSchema(Strict):
    title = LangText(required=True)
    description = LangText(html=True, required=True)


class RequirementSchema(Strict):
    title = LangText(required=True)
    description = LangText(html=True, required=True)
    evidence = fields.Nested(EvidenceSchema)


class WebsiteSchema(Strict):
    title = LangText(required=True)
    description = LangText(html=True)
    url = _url(required=True)


class ProcedureSchema(Strict):
    title = LangText(required=True)
    description = LangText(html=True, required=True)
    websites = fields.List(fields.Nested(WebsiteSchema), load_default=list)


class TextItemSchema(Strict):
    """Cost and other items with only a title and a description."""

    title = LangText(required=True)
    description = LangText(html=True, required=True)


class AmountSchema(Strict):
    parameter = fields.String()
    value = Money()
    period = fields.String(validate=validate.OneOf(("once", "month", "year", "day")))

    @validates_schema
    def _one_source(self, data: dict, **kwargs: Any) -> None:
        if ("parameter" in data) == ("value" in data):
            raise ValidationError("give exactly one of parameter or value")


class FinancialAdvantageSchema(TextItemSchema):
    amount = fields.Nested(AmountSchema)


class LegalResourceSchema(Strict):
    title = LangText()
    description = LangText(html=True)
    url = _url(required=True)


class AddressSchema(Strict):
    street = LangText(required=True)
    house_number = fields.String(required=True)
    box = fields.String()
    postcode = fields.String(required=True, validate=validate.Regexp(r"^\d{4}$"))
    municipality = LangText(required=True)
    country = LangText(required=True)


class ContactPointSchema(Strict):
    url = _url()
    email = fields.String(validate=validate.Regexp(EMAIL, error="not a valid e-mail address"))
    phone = fields.String(validate=validate.Regexp(PHONE, error="not a valid phone number"))
    opening_hours = fields.String()
    address = fields.Nested(AddressSchema)


class SourceSchema(Strict):
    url = _url(required=True)
    title = fields.String()
    valid_on = IsoDate()
    note = fields.String()


class ScopeSchema(Strict):
    region = fields.String(validate=validate.OneOf(REGIONS))
    regions = fields.List(
        fields.String(validate=validate.OneOf(REGIONS)), validate=validate.Length(min=1)
    )
    provinces = fields.List(
        fields.String(validate=validate.Regexp(NIS)), validate=validate.Length(min=1)
    )
    municipalities = fields.List(
        fields.String(validate=validate.Regexp(NIS)), validate=validate.Length(min=1)
    )

    @validates_schema
    def _exactly_one(self, data: dict, **kwargs: Any) -> None:
        if len(data) != 1:
            raise ValidationError("give exactly one of region, regions, provinces, municipalities")


def _codes(**kwargs: Any) -> fields.List:
    if not kwargs.get("required"):
        kwargs.setdefault("load_default", list)
    return fields.List(fields.String(), **kwargs)


class RecordSchema(Strict):
    """Fields shared by rights and model entries (catalogue model §3 and §6)."""

    title = LangText(required=True, required_langs=("nl", "fr", "en"))
    summary = LangText(required=True, required_langs=("nl", "fr", "en"))
    description = LangText(html=True, required=True)
    additional_description = LangText(html=True)
    exceptions = LangText(html=True)
    regulation_text = LangText(html=True)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    access = fields.String(required=True, validate=validate.OneOf(ACCESS))
    product_type = fields.String()
    target_audiences = _codes()
    themes = _codes(validate=validate.Length(max=3))
    situations = _codes()
    competent_levels = _codes()
    competent_authorities = _codes()
    executing_levels = _codes()
    executing_authorities = _codes()
    languages = _codes()
    keywords = KeywordMap(load_default=dict)
    publication_channels = _codes()
    your_europe_categories = _codes()
    start_date = IsoDate()
    end_date = IsoDate()
    requirements = fields.List(fields.Nested(RequirementSchema), load_default=list)
    procedures = fields.List(fields.Nested(ProcedureSchema), load_default=list)
    costs = fields.List(fields.Nested(TextItemSchema), load_default=list)
    financial_advantages = fields.List(fields.Nested(FinancialAdvantageSchema), load_default=list)
    legal_resources = fields.List(fields.Nested(LegalResourceSchema), load_default=list)
    more_info = fields.List(fields.Nested(WebsiteSchema), load_default=list)
    criteria = fields.Raw(load_default=list)  # checked by rules.conditions.validate_criteria
    related = _codes()
    sources = fields.List(
        fields.Nested(SourceSchema), required=True, validate=validate.Length(min=1)
    )
    last_checked = IsoDate(required=True)
    confidence = fields.String(required=True, validate=validate.OneOf(CONFIDENCES))

    @validates_schema
    def _dates_in_order(self, data: dict, **kwargs: Any) -> None:
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError("end_date is before start_date", field_name="end_date")


class RightSchema(RecordSchema):
    competent_authorities = _codes(required=True, validate=validate.Length(min=1))
    scope = fields.Nested(ScopeSchema, required=True)
    template = fields.String()
    contact_points = fields.List(fields.Nested(ContactPointSchema), load_default=list)
    archived = fields.Boolean(load_default=False)


class TemplateSchema(RecordSchema):
    product_number = fields.String()


class ExampleCaseSchema(Strict):
    """One worked example (catalog/README.md, "Worked examples")."""

    name = fields.String(required=True, validate=validate.Length(min=1))
    date = IsoDate(required=True)
    municipality_nis = fields.String(validate=validate.Regexp(NIS))
    profile = fields.Dict(load_default=dict)
    expect = fields.String(
        required=True, validate=validate.OneOf(("eligible", "not_eligible", "unknown"))
    )
    missing = fields.List(fields.String())
    discretionary = fields.Boolean()


class KindCaseSchema(ExampleCaseSchema):
    criteria = fields.Raw(required=True)


class RightExamplesSchema(Strict):
    right = fields.String(required=True)
    cases = fields.List(
        fields.Nested(ExampleCaseSchema), required=True, validate=validate.Length(min=1)
    )


class KindExamplesSchema(Strict):
    kind = fields.String(required=True)
    cases = fields.List(
        fields.Nested(KindCaseSchema), required=True, validate=validate.Length(min=1)
    )


class LeefloonExpectSchema(Strict):
    outcome = fields.String(
        required=True,
        validate=validate.OneOf(("eligible", "not_eligible", "insufficient_data", "manual_review")),
    )
    category = fields.Integer(validate=validate.OneOf((1, 2, 3)))
    counted_resources_yearly = Money()
    general_exemption_yearly = Money()
    yearly_amount = Money()
    monthly_amount = Money()
    flags = fields.List(fields.String())
    missing_facts = fields.List(fields.String())


class LeefloonCaseSchema(Strict):
    """One worked leefloon example (examples/leefloon/*.yaml)."""

    name = fields.String(required=True, validate=validate.Length(min=1))
    date = IsoDate(required=True)
    profile = fields.Dict(load_default=dict)
    ocmw_choices = fields.Dict(load_default=dict)
    expect = fields.Nested(LeefloonExpectSchema, required=True)
    arithmetic = fields.String()


class LeefloonExamplesSchema(Strict):
    cases = fields.List(
        fields.Nested(LeefloonCaseSchema), required=True, validate=validate.Length(min=1)
    )


class ParameterValueSchema(Strict):
    value = Money(required=True)
    source = fields.Nested(
        type(
            "ParameterSourceSchema",
            (Strict,),
            {
                "title": fields.String(required=True),
                "url": _url(),
                "note": fields.String(),
            },
        ),
        required=True,
    )
    confidence = fields.String(load_default="high", validate=validate.OneOf(CONFIDENCES))


class ParameterSchema(Strict):
    description = LangText(required=True)
    unit = fields.String(
        required=True, validate=validate.OneOf(("EUR", "percent", "count", "points"))
    )
    period = fields.String(required=True, validate=validate.OneOf(("day", "month", "year", "none")))
    values = fields.Dict(
        keys=fields.String(), values=fields.Raw(), required=True, validate=validate.Length(min=1)
    )
    last_value_still_valid_on = IsoDate()


class ParameterIndexSchema(Strict):
    description = LangText(required=True)
    order = fields.List(fields.String())


class AdministrationSchema(Strict):
    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9-]+$"))
    name = LangText(required=True, required_langs=("nl", "fr", "en"))
    kind = fields.String(
        required=True,
        validate=validate.OneOf(("municipality", "ocmw", "vgc", "province", "flemish", "federal")),
    )
    level = fields.String(required=True)
    ovo = fields.String(validate=validate.Regexp(r"^OVO\d{6}$"))
    iri = _url(required=True)
    municipality = fields.String(validate=validate.Regexp(NIS))
    province = fields.String(validate=validate.Regexp(NIS))
    region = fields.String(validate=validate.OneOf(REGIONS))
    dutch_variant = fields.String(
        load_default="nl-BE-x-informal",
        validate=validate.OneOf(("nl", "nl-BE-x-formal", "nl-BE-x-informal")),
    )


class Labelled(Strict):
    label = LangText(required=True, required_langs=("nl", "fr", "en"))


class SituationSchema(Labelled):
    hint = LangText(required_langs=("nl", "fr", "en"))


class LeefloonIncomeKindSchema(Labelled):
    """How the leefloon treats an income kind (vocabularies/leefloon_income_kinds.yaml)."""

    treatment = fields.String(required=True, validate=validate.OneOf(("counted", "exempt")))
    legal_basis = fields.String(required=True)
    source_url = _url()
    confidence = fields.String(load_default="high", validate=validate.OneOf(CONFIDENCES))
    exempt_from = IsoDate()
    note = LangText()


class StatusSchema(Labelled):
    group = fields.String(required=True, validate=validate.OneOf(("benefit", "situation")))
