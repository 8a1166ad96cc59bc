"""Dated parameters: amounts and thresholds that change with indexation or a change in law.

A parameter is a series of values keyed by the date from which each applies (OpenFisca style).
`catalog/parameters/a/b.yaml` is the parameter `a.b`. Asking for a date before the first value is
an error, never a guess: the law had no such amount yet, or we do not know it.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

UNITS = ("EUR", "percent", "count", "points")
PERIODS = ("day", "month", "year", "none")
CONFIDENCES = ("high", "medium", "low")


class ParameterDateError(LookupError):
    """Raised when a parameter is asked for a date before its first known value."""


@dataclass(frozen=True)
class ParameterValue:
    """One dated value with the source it comes from."""

    valid_from: date
    value: Decimal
    source: Mapping[str, str]
    confidence: str = "high"


@dataclass(frozen=True)
class Parameter:
    """A named series of dated values."""

    name: str
    description: Mapping[str, str]
    unit: str
    period: str
    values: tuple[ParameterValue, ...]
    last_value_still_valid_on: date | None = None
    _dates: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.values, key=lambda v: v.valid_from))
        object.__setattr__(self, "values", ordered)
        object.__setattr__(self, "_dates", tuple(v.valid_from for v in ordered))

    def at(self, on: date) -> ParameterValue:
        """Return the value in force on `on`.

        Raises:
            ParameterDateError: `on` is before the first known value.
        """
        index = bisect.bisect_right(self._dates, on) - 1
        if index < 0:
            raise ParameterDateError(
                f"parameter {self.name} has no value before {self._dates[0].isoformat()}"
                f" (asked for {on.isoformat()})"
            )
        return self.values[index]

    def value_at(self, on: date) -> Decimal:
        """Return only the amount in force on `on`."""
        return self.at(on).value
