"""Request and response shapes of the API (marshmallow), named by purpose."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, pre_load, validate

from ..catalog.documents import RIGHT_FIELDS
from ..catalog.models import ITEM_LISTS
from ..rules.profile import OcmwChoicesSchema, ProfileSchema

LANG = fields.String(
    validate=validate.OneOf(("nl", "fr", "en")),
    metadata={"description": "Language of the texts (default: Accept-Language, else nl)."},
)


class StrippedSchema(Schema):
    """Strips surrounding whitespace from text input before validation."""

    @pre_load
    def _strip(self, data, **kwargs):  # type: ignore[no-untyped-def]
        if hasattr(data, "to_dict"):
            data = data.to_dict(flat=False)
        out = {}
        for key, value in dict(data).items():
            many = isinstance(self.fields.get(key), fields.List)
            if isinstance(value, list) and not many:
                value = value[-1] if value else ""
            elif many and not isinstance(value, list):
                value = [value]
            if isinstance(value, str):
                value = value.strip()
            elif isinstance(value, list):
                value = [v.strip() if isinstance(v, str) else v for v in value]
            out[key] = value
        return out


def _repeatable(description: str) -> fields.List:
    return fields.List(fields.String(), load_default=list, metadata={"description": description})


# Catalogue search: query arguments and answer (public).
class RightQueryArgsSchema(StrippedSchema):
    q = fields.String(
        load_default="", validate=validate.Length(max=200), metadata={"description": "Free text."}
    )
    municipality = fields.String(
        load_default="",
        validate=validate.Length(max=80),
        metadata={"description": "NIS code, postcode or name: rights that apply there."},
    )
    theme = _repeatable("LPDC theme code (repeatable: OR).")
    target_group = _repeatable("LPDC target audience code (repeatable).")
    situation = _repeatable("Situation code ('Voor wie', repeatable).")
    level = fields.List(
        fields.String(validate=validate.OneOf(("federal", "flemish", "provincial", "local"))),
        load_default=list,
    )
    product_type = _repeatable("LPDC product type code (repeatable).")
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    lang = LANG


class MunicipalityRefSchema(Schema):
    nis_code = fields.String()
    name = fields.String()
    postcodes = fields.List(fields.String())


class RightSummarySchema(Schema):
    id = fields.String()
    slug = fields.String()
    title = fields.String()
    summary = fields.String()
    lang = fields.String(metadata={"description": "Language the texts are in."})
    level = fields.String()
    access = fields.String()
    product_type = fields.String(allow_none=True)
    themes = fields.List(fields.String())
    situations = fields.List(fields.String())
    municipalities = fields.List(
        fields.String(),
        metadata={"description": "NIS codes for local rights; empty for wider rights."},
    )
    authority = fields.String()
    score = fields.Float()


class RightListSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(RightSummarySchema))
    facets = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer())
    )
    did_you_mean = fields.String(allow_none=True)
    municipalities = fields.List(
        fields.Nested(MunicipalityRefSchema),
        metadata={"description": "The municipalities the `municipality` filter resolved to."},
    )


class LangArgsSchema(StrippedSchema):
    lang = LANG


# Every field of a right, as `catalog.present.right_detail` returns it (public).
RIGHT_DETAIL_FIELDS = (
    "id",
    "slug",
    "iri",
    "lang",
    "version",
    "status",
    "created_at",
    "modified_at",
    *RIGHT_FIELDS,
    *ITEM_LISTS,
    "template_id",
    "owner_id",
    "review_status",
    "authority",
    "municipalities",
    "conditions",
    "versions",
)
RightDetailSchema = Schema.from_dict(
    {name: fields.Raw(allow_none=True) for name in RIGHT_DETAIL_FIELDS}, name="RightDetailSchema"
)
RightDetailSchema.__doc__ = "The whole right: every field of the catalogue model."
TemplateDetailSchema = Schema.from_dict(
    {
        name: fields.Raw(allow_none=True)
        for name in RIGHT_DETAIL_FIELDS
        if name
        not in (
            "scope",
            "municipalities",
            "contact_points",
            "template_id",
            "owner_id",
            "review_status",
            "dutch_variant",
            "status",
            "versions",
            "conditions",
            "authority",
        )
    },
    name="TemplateDetailSchema",
)


class MunicipalityQueryArgsSchema(StrippedSchema):
    q = fields.String(load_default="", validate=validate.Length(max=80))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class MunicipalitySchema(Schema):
    nis_code = fields.String()
    name_nl = fields.String()
    name_fr = fields.String()
    name_de = fields.String(allow_none=True)
    postcodes = fields.List(fields.String())
    province_nis = fields.String(allow_none=True)
    province = fields.String(allow_none=True)
    region = fields.String()
    nuts_code = fields.String(allow_none=True)


class MunicipalityListSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(MunicipalitySchema))


class VocabularyTermSchema(Schema):
    code = fields.String()
    label = fields.Dict(keys=fields.String(), values=fields.String())
    uri = fields.String(allow_none=True)


class VocabulariesSchema(Schema):
    themes = fields.List(fields.Nested(VocabularyTermSchema))
    situations = fields.List(fields.Nested(VocabularyTermSchema))
    target_groups = fields.List(fields.Nested(VocabularyTermSchema))
    levels = fields.List(fields.Nested(VocabularyTermSchema))
    product_types = fields.List(fields.Nested(VocabularyTermSchema))
    statuses = fields.List(fields.Nested(VocabularyTermSchema))
    condition_kinds = fields.List(fields.Dict())


class TemplateListSchema(Schema):
    total = fields.Integer()
    items = fields.List(fields.Dict())


# -- screening ---------------------------------------------------------------------------------


class ScreeningRequestSchema(Schema):
    """`POST /api/v1/screening` (client-profile spec, "Rights screening")."""

    class Meta:
        unknown = RAISE

    reference_date = fields.Date(
        format="iso", metadata={"description": "Thresholds are read for this day (default today)."}
    )
    municipality_nis = fields.String(
        validate=validate.Regexp(r"^\d{5}$"),
        metadata={"description": "Where the client lives (else the profile's municipality)."},
    )
    profile = fields.Nested(ProfileSchema, required=True)


class ThresholdSchema(Schema):
    parameter = fields.String()
    value = fields.String(metadata={"description": "Euro, two decimals."})
    valid_from = fields.String()
    source_url = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    confidence = fields.String()
    text = fields.String()


class ExplanationStepSchema(Schema):
    condition = fields.String(metadata={"description": "The condition kind."})
    result = fields.Boolean(allow_none=True, metadata={"description": "null: unknown"})
    text = fields.String()
    facts = fields.Dict()
    computed = fields.Dict()
    thresholds = fields.List(fields.Nested(ThresholdSchema))
    discretionary = fields.Boolean()
    missing_facts = fields.List(fields.String())


class ScreenedRightSchema(Schema):
    id = fields.String()
    slug = fields.String()
    title = fields.String()
    level = fields.String()
    access = fields.String()


class ScreeningResultSchema(Schema):
    right = fields.Nested(ScreenedRightSchema)
    status = fields.String(validate=validate.OneOf(("eligible", "unknown", "not_eligible")))
    discretionary = fields.Boolean(
        metadata={"description": "Unknown because a service decides after an inquiry."}
    )
    missing_facts = fields.List(fields.String(), metadata={"description": "Most decisive first."})
    questions = fields.List(fields.String())
    explanation = fields.List(fields.Nested(ExplanationStepSchema))


class QuestionSchema(Schema):
    fact = fields.String()
    question = fields.String()
    rights = fields.Integer(metadata={"description": "Unknown rights this fact would help settle."})


class ScreeningResponseSchema(Schema):
    reference_date = fields.String()
    municipality_nis = fields.String()
    results = fields.List(fields.Nested(ScreeningResultSchema))
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    questions = fields.List(fields.Nested(QuestionSchema))


# -- leefloon advice ---------------------------------------------------------------------------


class AdviceRequestSchema(Schema):
    """`POST /api/v1/advice/leefloon` (client-profile spec, "Leefloon advice")."""

    class Meta:
        unknown = RAISE

    reference_date = fields.Date(
        format="iso", metadata={"description": "Amounts valid on this day (default today)."}
    )
    profile = fields.Nested(ProfileSchema, required=True)
    ocmw_choices = fields.Nested(OcmwChoicesSchema, load_default=dict)


class AdviceStepSchema(Schema):
    rule = fields.String()
    result = fields.Boolean(allow_none=True)
    text = fields.String()
    legal_basis = fields.String()
    source_url = fields.String(allow_none=True)
    confidence = fields.String()
    facts = fields.Dict()
    amount_yearly = fields.String(allow_none=True)


class CalculationLineSchema(Schema):
    line = fields.String()
    amount_yearly = fields.String(allow_none=True)


class MissingFactSchema(Schema):
    fact = fields.String()
    question = fields.String()


class AdviceResponseSchema(Schema):
    outcome = fields.String(
        validate=validate.OneOf(("eligible", "not_eligible", "insufficient_data", "manual_review"))
    )
    eligible = fields.Boolean(allow_none=True)
    category = fields.Integer(allow_none=True)
    category_amount_yearly = fields.String(allow_none=True)
    counted_resources_yearly = fields.String(allow_none=True)
    general_exemption_yearly = fields.String(allow_none=True)
    yearly_amount = fields.String(allow_none=True)
    monthly_amount = fields.String(allow_none=True)
    amounts_valid_from = fields.String(allow_none=True)
    explanation = fields.List(fields.Nested(AdviceStepSchema))
    missing_facts = fields.List(fields.String(), metadata={"description": "Most decisive first."})
    questions = fields.List(fields.Nested(MissingFactSchema))
    flags = fields.List(fields.String())
    calculation = fields.List(fields.Nested(CalculationLineSchema))
    range = fields.Dict(
        allow_none=True,
        metadata={"description": "By ascendant share ('0', '1') when the OCMW has not chosen it."},
    )
    rules_version = fields.String()
