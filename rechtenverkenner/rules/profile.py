"""The client profile (shared/spec/client-profile.md): one shape for screening and advice.

Every field is optional. A field left out is *unknown*, never a silent default: the engines
answer "we need to know X" instead of guessing. A list that is given is complete (`household:
[]` means the client lives without anyone else; `statuses: []` means none of them), so adding
a field can only settle questions, never reopen them.

Besides the spec's fields, screening reads a few more facts that local and Flemish rights ask
about (marked "screening" below); `catalog/README.md` lists them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

NATIONALITY_STATUSES = (
    "belgian",
    "eu_citizen",
    "eu_family_member",
    "population_register",
    "foreigners_register_only",
    "recognised_refugee",
    "subsidiary_protection",
    "stateless",
    "applicant_international_protection",
    "irregular_stay",
)
LIVING_SITUATIONS = (
    "alone",
    "cohabiting_shared_household",
    "couple_no_children",
    "couple_with_children",
    "with_dependent_children",
    "with_parents",
    "shared_custody_equal",
    "homeless",
    "homeless_temporarily_hosted",
)
RELATIONS = (
    "partner",
    "child",
    "parent",
    "adult_child",
    "sibling",
    "friend",
    "grandparent",
    "other",
)
INCOME_KINDS = (
    "wage",
    "self_employed",
    "unemployment_benefit",
    "sickness_benefit",
    "disability_benefit",
    "integration_allowance",
    "pension",
    "family_allowance_for_own_children",
    "family_allowance_for_self",
    "maintenance_received_for_children",
    "maintenance_received_for_self",
    "study_grant",
    "student_job",
    "gift_or_contribution_from_parents",
    "foster_care_allowance",
    "rental_income",
    "other",
)
WORK_EXEMPTIONS = ("none", "health", "equity_studies", "equity_other")
SPI_KINDS = ("general", "student_job", "shortage_occupation", "artistic")
PROPERTY_TYPES = ("built", "unbuilt")
TRANSFER_TYPES = ("built", "unbuilt", "movable")
PROPERTY_RIGHTS = ("full_ownership", "usufruct", "bare_ownership")
# Screening facts; the codes are those of catalog/vocabularies/condition_values.yaml.
TENURES = ("private_tenant", "social_tenant", "owner_occupier", "homeless", "residential_care")
OCCUPATIONS = (
    "student",
    "pupil",
    "job_seeker",
    "employed",
    "self_employed",
    "retired",
    "incapacitated",
)
EDUCATION_LEVELS = ("kleuter", "lager", "secundair", "hoger", "volwassenen")
DISABILITY_SCALES = ("percent", "self_reliance_points", "child_support_points", "bel_profile")
DAYS_PER_MONTH = 26  # a daily amount counts 26 days a month (client-profile spec)


class Money(fields.Field):
    """Euro as a JSON string or number with at most two decimals, read through its string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError('must be an amount in euro, like "1100.00"')
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValidationError('must be an amount in euro, like "1100.00"') from exc
        if not amount.is_finite() or amount < 0:
            raise ValidationError("must be zero or more")
        if amount.as_tuple().exponent < -2:  # type: ignore[operator]
            raise ValidationError("at most two decimals")
        return amount


class Share(fields.Field):
    """A part between 0 and 1 (ownership share, custody share), read into Decimal."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError("must be a number from 0 to 1")
        try:
            share = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValidationError("must be a number from 0 to 1") from exc
        if not share.is_finite() or not 0 <= share <= 1:
            raise ValidationError("must be a number from 0 to 1")
        return share


class IsoDate(fields.Date):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="iso", **kwargs)


def _enum(values: tuple[str, ...]) -> fields.String:
    return fields.String(validate=validate.OneOf(values))


def _bool() -> fields.Boolean:
    """Only JSON true and false: "yes" or 1 would be a guess at what was meant."""
    return fields.Boolean(truthy={True}, falsy={False})


def _age() -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(0, 130))


class Strict(Schema):
    class Meta:
        unknown = RAISE


class IncomeSchema(Strict):
    kind = _enum(INCOME_KINDS)
    monthly_net = Money()
    yearly_net = Money()
    daily_net = Money()
    actually_received = _bool()
    spi = _enum(SPI_KINDS)
    started_while_on_leefloon = _bool()
    contract_months = fields.Integer(strict=True, validate=validate.Range(0, 600))
    regional_attestation = _bool()

    @validates_schema
    def _one_amount(self, data: dict, **kwargs: Any) -> None:
        given = [k for k in ("monthly_net", "yearly_net", "daily_net") if k in data]
        if len(given) > 1:
            raise ValidationError("give one of monthly_net, yearly_net or daily_net", given[1])


def _disability() -> fields.Dict:
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf(DISABILITY_SCALES)),
        values=fields.Integer(strict=True, validate=validate.Range(0, 100)),
    )


class MemberSchema(Strict):
    relation = _enum(RELATIONS)
    age = _age()
    birth_date = IsoDate()
    unmarried = _bool()
    dependent = _bool()
    residence_share = Share()
    applies_for_leefloon = _bool()
    receives_leefloon = _bool()
    income = fields.List(fields.Nested(IncomeSchema))
    # screening
    statuses = fields.List(fields.String())
    disability = _disability()
    education_level = _enum(EDUCATION_LEVELS)
    occupations = fields.List(_enum(OCCUPATIONS))

    @validates_schema
    def _age_once(self, data: dict, **kwargs: Any) -> None:
        if "age" in data and "birth_date" in data:
            raise ValidationError("give age or birth_date, not both", "birth_date")


class CapitalSchema(Strict):
    movable_total = Money()
    share = Share()


class PropertySchema(Strict):
    type = _enum(PROPERTY_TYPES)
    cadastral_income = Money()
    share = Share()
    right = _enum(PROPERTY_RIGHTS)
    own_home = _bool()


class TransferSchema(Strict):
    type = _enum(TRANSFER_TYPES)
    transfer = _enum(("sale", "gift"))
    market_value = Money()
    share = Share()
    right = _enum(PROPERTY_RIGHTS)
    only_built_property = _bool()
    personal_debts_repaid_from_proceeds = Money()
    years_between_transfer_and_application = fields.Integer(
        strict=True, validate=validate.Range(0, 10)
    )


class TaxableIncomeSchema(Strict):
    """The household's income on its last tax assessment (aanslagbiljet), per year."""

    gross_yearly = Money()
    net_yearly = Money()


class ProfileSchema(Strict):
    age = _age()
    birth_date = IsoDate()
    nationality_status = _enum(NATIONALITY_STATUSES)
    actual_residence_belgium = _bool()
    municipality_nis = fields.String(validate=validate.Regexp(r"^\d{5}$"))
    postcode = fields.String(validate=validate.Regexp(r"^\d{4}$"))
    living_situation = _enum(LIVING_SITUATIONS)
    married = _bool()
    pregnant = _bool()
    has_child_in_charge = _bool()
    student = _bool()
    willing_to_work = _bool()
    work_exemption_reason = _enum(WORK_EXEMPTIONS)
    other_benefits_claimed = _bool()
    gpmi_signed = _bool()
    months_in_belgium = fields.Integer(strict=True, validate=validate.Range(0, 1500))
    right_of_residence_more_than_3_months = _bool()
    household = fields.List(fields.Nested(MemberSchema))
    own_income = fields.List(fields.Nested(IncomeSchema))
    capital = fields.Nested(CapitalSchema)
    property = fields.List(fields.Nested(PropertySchema))
    transfers_last_10_years = fields.List(fields.Nested(TransferSchema))
    advantages_in_kind_monthly = Money()
    maintenance_paid_for_child_monthly = Money()
    statuses = fields.List(fields.String())
    disability_points = fields.Integer(strict=True, validate=validate.Range(0, 18))
    # screening
    status_since = fields.Dict(keys=fields.String(), values=IsoDate())
    disability = _disability()
    disability_recognised = _bool()
    taxable_income = fields.Nested(TaxableIncomeSchema)
    housing = _enum(TENURES)
    rent_monthly = Money()
    occupations = fields.List(_enum(OCCUPATIONS))
    education_level = _enum(EDUCATION_LEVELS)

    @validates_schema
    def _consistent(self, data: dict, **kwargs: Any) -> None:
        """Two ways of saying one fact must agree, or answers would depend on which is read."""
        if "age" in data and "birth_date" in data:
            raise ValidationError("give age or birth_date, not both", "birth_date")
        if "municipality_nis" in data and "postcode" in data:
            raise ValidationError("give municipality_nis or postcode, not both", "postcode")
        if data.get("actual_residence_belgium") is False and (
            "municipality_nis" in data or "postcode" in data
        ):
            raise ValidationError(
                "a municipality of residence is given, so the client lives in Belgium",
                "actual_residence_belgium",
            )
        points = data.get("disability", {})
        if "disability_points" in data and "self_reliance_points" in points:
            raise ValidationError(
                "give disability_points or disability.self_reliance_points, not both",
                "disability_points",
            )
        if data.get("disability_recognised") is False and (
            any(points.values()) or data.get("disability_points")
        ):
            raise ValidationError(
                "disability points given while disability_recognised is false", "disability"
            )
        occupations = data.get("occupations")
        if (
            occupations is not None
            and "student" in data
            and data["student"] != ("student" in occupations)
        ):
            raise ValidationError("student and occupations disagree", "student")


class OcmwChoicesSchema(Strict):
    """The OCMW's own judgement calls for a leefloon advice (client-profile spec)."""

    ascendant_share = Share()
    equity_waiver = _bool()


def load_profile(data: Any, *, statuses: Collection[str] | None = None) -> dict[str, Any]:
    """Check a profile and return it as plain data (Decimal money, date dates).

    `statuses` are the known status codes (the catalogue's status vocabulary); an unknown one is
    an error naming its place, like any other value outside an enumeration.

    Raises:
        ValidationError: with messages keyed by field, as the API answers them (422).
    """
    if not isinstance(data, Mapping):
        raise ValidationError({"profile": ["must be an object"]})
    profile = ProfileSchema().load(data)
    if statuses is not None:
        check_statuses(profile, statuses)
    return profile


def check_statuses(profile: Mapping[str, Any], statuses: Collection[str]) -> None:
    """Status codes must come from the catalogue's status vocabulary.

    Raises:
        ValidationError: naming each unknown code's place.
    """
    errors: dict[str, Any] = {}
    _check_statuses(profile.get("statuses", ()), statuses, "statuses", errors)
    for i, member in enumerate(profile.get("household", ())):
        _check_statuses(member.get("statuses", ()), statuses, f"household.{i}.statuses", errors)
    for code in profile.get("status_since", {}):
        if code not in statuses:
            errors.setdefault("status_since", []).append(f"unknown status {code!r}")
    if errors:
        raise ValidationError(errors)


def _check_statuses(
    given: Collection[str], known: Collection[str], key: str, errors: dict[str, Any]
) -> None:
    for code in given:
        if code not in known:
            errors.setdefault(key, []).append(f"unknown status {code!r}")


def age_on(profile_or_member: Mapping[str, Any], on: date) -> int | None:
    """Age in whole years on a date, from `age` or `birth_date`; None when unknown."""
    if "age" in profile_or_member:
        return int(profile_or_member["age"])
    born = profile_or_member.get("birth_date")
    if born is None:
        return None
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return max(years, 0)


def monthly_amount(item: Mapping[str, Any]) -> Decimal | None:
    """An income line per month (a daily amount counts 26 days); None when no amount given."""
    if "monthly_net" in item:
        return Decimal(item["monthly_net"])
    if "yearly_net" in item:
        return Decimal(item["yearly_net"]) / 12
    if "daily_net" in item:
        return Decimal(item["daily_net"]) * DAYS_PER_MONTH
    return None
