"""Screen a client profile against many rights: probably entitled, not entitled, need to know.

Pure Python over plain data (the right documents of a catalogue snapshot), so the web page, the
API, the batch command and the benchmark all run the same function.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .engine import Context, Evaluation, Places, evaluate, question_rank
from .parameters import Parameter

STATUSES = ("eligible", "unknown", "not_eligible")


@dataclass
class RightResult:
    """The answer for one right."""

    right: Mapping[str, Any]
    status: str  # eligible | unknown | not_eligible
    evaluation: Evaluation

    @property
    def missing(self) -> list[str]:
        return self.evaluation.missing

    @property
    def discretionary(self) -> bool:
        """Unknown because a service decides after an inquiry, not for want of facts."""
        return self.evaluation.discretionary


@dataclass
class Screening:
    """All answers for one profile, with the questions that would settle the most unknowns."""

    results: list[RightResult]
    on: date

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(r.status for r in self.results)
        return {status: counted.get(status, 0) for status in STATUSES}

    def group(self, status: str) -> list[RightResult]:
        return [r for r in self.results if r.status == status]

    def questions(self) -> list[tuple[str, int]]:
        """Missing facts with the number of rights each would help settle, most useful first."""
        counted: Counter[str] = Counter()
        for result in self.results:
            counted.update(result.missing)
        return sorted(counted.items(), key=lambda kv: (-kv[1], question_rank(kv[0]), kv[0]))


def status_of(evaluation: Evaluation) -> str:
    if evaluation.result is True:
        return "eligible"
    if evaluation.result is False:
        return "not_eligible"
    return "unknown"


def screen(
    rights: Sequence[Mapping[str, Any]],
    profile: Mapping[str, Any],
    *,
    on: date,
    parameters: Mapping[str, Parameter],
    places: Places,
    municipality_nis: str | None = None,
) -> Screening:
    """Evaluate every right's criteria for one profile on one date.

    `rights` are the rights that apply where the client lives (the caller chooses them by
    place); `municipality_nis` is that place, used as residence when the profile names none.

    Raises:
        ParameterDateError: `on` is before the first known value of a threshold.
    """
    results = []
    for right in rights:
        ctx = Context(
            profile=profile,
            on=on,
            parameters=parameters,
            places=places,
            municipality_nis=municipality_nis,
            own_municipalities=(right.get("scope") or {}).get("municipalities", ()),
        )
        evaluation = evaluate(right.get("criteria") or [], ctx)
        results.append(RightResult(right, status_of(evaluation), evaluation))
    return Screening(results, on)


@dataclass(frozen=True)
class Change:
    """A right whose answer moved between two screenings (the what-if)."""

    right: Mapping[str, Any]
    before: str
    after: str


def compare(before: Screening, after: Screening) -> list[Change]:
    """Rights whose status differs between two screenings of the same catalogue."""
    old = {r.right["slug"]: r.status for r in before.results}
    return [
        Change(r.right, old[r.right["slug"]], r.status)
        for r in after.results
        if r.right["slug"] in old and old[r.right["slug"]] != r.status
    ]
