"""A fast path for reading client profiles in bulk, with exactly the answers of `load_profile`.

`load_profile` checks a profile with marshmallow (profile.py), which is clear and gives good
error messages but costs about half a millisecond a profile: too slow for screening a whole
caseload. This module reads the same schema classes once and builds plain functions from their
fields (types, enumerations, patterns, ranges, nested schemas) and their schema-level checks, so
a profile is read in a few microseconds.

The fast path only ever says "yes, and this is the data" or "not sure": every input it is not
sure of (a wrong type, a value out of range, an unknown key, a null, an inconsistency, a field
kind it does not know) goes to `load_profile`, which then accepts it or raises its usual
`ValidationError`. So what is accepted, the data returned and the error messages are those of
`load_profile` by construction; tests/test_profile_fast.py checks the "yes" answers against
`load_profile` on random valid and invalid profiles (hypothesis).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from .profile import IsoDate, Money, ProfileSchema, Share, check_statuses, load_profile

Reader = Callable[[Any], Any]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _NotSure(Exception):
    """The fast path leaves this input to marshmallow."""


def _not_sure(value: Any) -> Any:
    raise _NotSure


# -- value checks built from the field's validators -------------------------------------------


def _checks(field: fields.Field) -> list[Callable[[Any], bool]] | None:
    """The field's validators as plain predicates; None when one of them is unknown here."""
    checks: list[Callable[[Any], bool]] = []
    for validator in field.validators:
        if type(validator) is validate.OneOf:
            choices = frozenset(validator.choices)
            checks.append(choices.__contains__)
        elif type(validator) is validate.Regexp:
            regex = validator.regex
            checks.append(lambda value, regex=regex: regex.match(value) is not None)
        elif type(validator) is validate.Range:
            checks.append(_range_check(validator))
        else:
            return None
    return checks


def _range_check(rule: validate.Range) -> Callable[[Any], bool]:
    lo, hi = rule.min, rule.max

    def inside(value: Any) -> bool:
        if lo is not None and (value < lo if rule.min_inclusive else value <= lo):
            return False
        return not (hi is not None and (value > hi if rule.max_inclusive else value >= hi))

    return inside


def _with_checks(read: Reader, checks: list[Callable[[Any], bool]]) -> Reader:
    if not checks:
        return read

    def checked(value: Any) -> Any:
        out = read(value)
        for check in checks:
            if not check(out):
                raise _NotSure
        return out

    return checked


# -- one reader per field kind -----------------------------------------------------------------


def _read_str(value: Any) -> str:
    if type(value) is not str:
        raise _NotSure
    return value


def _read_int(value: Any) -> int:
    if type(value) is not int:  # bool is a subclass of int: marshmallow refuses it
        raise _NotSure
    return value


def _read_bool(value: Any) -> bool:
    # Only JSON true/false; marshmallow also takes 1 and 0 (1 == True), left to it.
    if value is True or value is False:
        return value
    raise _NotSure


def _own_field(field: fields.Field) -> Reader:
    """Our own field classes (Money, Share): their very `_deserialize`, errors left to it."""

    def read(value: Any) -> Any:
        if value is None:  # "may not be null": marshmallow's answer
            raise _NotSure
        try:
            return field._deserialize(value, None, None)
        except ValidationError:
            raise _NotSure from None

    return read


def _read_date(value: Any) -> date:
    if type(value) is not str or not _ISO_DATE.fullmatch(value):
        raise _NotSure
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _NotSure from None


def _list_of(item: Reader) -> Reader:
    def read(value: Any) -> list[Any]:
        if type(value) is not list:
            raise _NotSure
        return [item(v) for v in value]

    return read


def _dict_of(key: Reader, item: Reader) -> Reader:
    def read(value: Any) -> dict[Any, Any]:
        if type(value) is not dict:
            raise _NotSure
        return {key(k): item(v) for k, v in value.items()}

    return read


def field_reader(field: fields.Field) -> Reader:
    """A plain function reading one field's value, or one that is never sure."""
    if field.allow_none or field.data_key is not None or field.required:
        return _not_sure
    checks = _checks(field)
    if checks is None:
        return _not_sure
    kind = type(field)
    read: Reader
    if kind is fields.String:
        read = _read_str
    elif kind is fields.Integer and field.strict:  # type: ignore[attr-defined]
        read = _read_int
    elif kind is fields.Boolean:
        if field.truthy != {True} or field.falsy != {False}:  # type: ignore[attr-defined]
            return _not_sure
        read = _read_bool
    elif kind is Money or kind is Share:
        read = _own_field(field)
    elif kind is IsoDate:
        read = _read_date
    elif kind is fields.List:
        read = _list_of(field_reader(field.inner))  # type: ignore[attr-defined]
    elif kind is fields.Dict:
        keys = field.key_field or fields.Raw()  # type: ignore[attr-defined]
        values = field.value_field or fields.Raw()  # type: ignore[attr-defined]
        read = _dict_of(field_reader(keys), field_reader(values))
    elif kind is fields.Nested:
        nested = field.nested  # type: ignore[attr-defined]
        if field.many or getattr(field, "only", None) or getattr(field, "exclude", None):  # type: ignore[attr-defined]
            return _not_sure
        schema = nested if isinstance(nested, Schema) else nested()
        read = schema_reader(type(schema))
    else:
        return _not_sure
    return _with_checks(read, checks)


_SCHEMA_READERS: dict[type[Schema], Reader] = {}


def schema_reader(schema_class: type[Schema]) -> Reader:
    """A plain function reading a mapping the way `schema_class().load` does, or not sure."""
    if schema_class in _SCHEMA_READERS:
        return _SCHEMA_READERS[schema_class]
    schema = schema_class()
    hooks = {name: entries for name, entries in schema._hooks.items() if entries}
    if schema.opts.unknown != RAISE or set(hooks) - {"validates_schema"}:
        _SCHEMA_READERS[schema_class] = _not_sure
        return _not_sure
    validators = []
    for name, pass_collection, options in hooks.get("validates_schema", ()):
        if pass_collection or options.get("pass_original"):
            _SCHEMA_READERS[schema_class] = _not_sure
            return _not_sure
        validators.append(getattr(schema, name))
    readers = tuple((name, field_reader(field)) for name, field in schema.load_fields.items())
    if any(field.data_key is not None for field in schema.load_fields.values()):
        _SCHEMA_READERS[schema_class] = _not_sure
        return _not_sure

    def read(data: Any) -> dict[str, Any]:
        if type(data) is not dict:
            raise _NotSure
        out = {}
        for name, reader in readers:  # the schema's field order, as marshmallow returns it
            if name in data:
                out[name] = reader(data[name])
        if len(out) != len(data):  # an unknown key: an error for marshmallow (unknown=RAISE)
            raise _NotSure
        for check in validators:
            try:
                check(out, partial=None, many=False, unknown=RAISE)
            except ValidationError:
                raise _NotSure from None
        return out

    _SCHEMA_READERS[schema_class] = read
    return read


def load_profile_fast(data: Any, *, statuses: Collection[str] | None = None) -> dict[str, Any]:
    """`load_profile`, fast for the profiles it is sure of; the same answers for every input.

    Raises:
        ValidationError: exactly when `load_profile` does, with its messages.
    """
    try:
        profile = _PROFILE(data)
    except _NotSure:
        return load_profile(data, statuses=statuses)
    if statuses is not None:
        check_statuses(profile, statuses)
    return profile


def read_if_sure(data: Any) -> dict[str, Any] | None:
    """The profile as `load_profile` returns it, or None when the fast path is not sure."""
    try:
        return _PROFILE(data)
    except _NotSure:
        return None


_PROFILE = schema_reader(ProfileSchema)
