"""Worked examples: a profile, a date and the answer a right (or a condition kind) must give.

They live in `catalog/examples/` (rights/<slug>.yaml and kinds/<kind>.yaml). The catalogue check
and pytest both run them through `run_case`, so a right whose conditions were changed without
thinking of its examples cannot be loaded, and the message names the file and the case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .engine import Context, Places, evaluate
from .leefloon import IncomeRule, advise
from .parameters import Parameter, ParameterDateError
from .screening import status_of

# How a kind example writes its expectation, and the status that means.
KIND_ANSWERS = {True: "eligible", False: "not_eligible", "unknown": "unknown"}


@dataclass(frozen=True)
class Case:
    """One example, as read from its file."""

    file: str
    index: int
    name: str
    criteria: Any
    on: date
    profile: Mapping[str, Any]
    expect: str  # eligible | not_eligible | unknown
    missing: Sequence[str] | None = None  # when given: exactly these facts, in this order
    discretionary: bool | None = None
    municipality_nis: str | None = None
    own_municipalities: Sequence[str] = ()

    @property
    def label(self) -> str:
        return f"cases[{self.index}] ({self.name})"


def run_case(case: Case, parameters: Mapping[str, Parameter], places: Places) -> str | None:
    """Evaluate one example; return why it fails, or None when the engine agrees."""
    ctx = Context(
        profile=case.profile,
        on=case.on,
        parameters=parameters,
        places=places,
        municipality_nis=case.municipality_nis,
        own_municipalities=case.own_municipalities,
    )
    try:
        evaluation = evaluate(case.criteria, ctx)
    except ParameterDateError as exc:
        return f"cannot be evaluated on {case.on.isoformat()}: {exc}"
    got = status_of(evaluation)
    problems = []
    if got != case.expect:
        problems.append(f"expected {case.expect}, got {got}")
        failing = [s for s in evaluation.steps if s.result is not True]
        if failing:
            described = ", ".join(
                f"{s.kind}={'unknown' if s.result is None else s.result}" for s in failing
            )
            problems.append(f"conditions not met: {described}")
    if case.missing is not None and list(case.missing) != evaluation.missing:
        problems.append(f"expected missing facts {list(case.missing)}, got {evaluation.missing}")
    if case.discretionary is not None and case.discretionary != evaluation.discretionary:
        problems.append(
            f"expected discretionary {case.discretionary}, got {evaluation.discretionary}"
        )
    return "; ".join(problems) or None


@dataclass(frozen=True)
class LeefloonCase:
    """One worked leefloon example: a profile, a date, the OCMW's choices and the advice."""

    file: str
    index: int
    name: str
    on: date
    profile: Mapping[str, Any]
    choices: Mapping[str, Any]
    expect: Mapping[str, Any]

    @property
    def label(self) -> str:
        return f"cases[{self.index}] ({self.name})"


def run_leefloon_case(
    case: LeefloonCase, parameters: Mapping[str, Parameter], rules: Mapping[str, IncomeRule]
) -> str | None:
    """Work out one leefloon example; return what differs from the expectation, or None."""
    try:
        advice = advise(
            case.profile,
            on=case.on,
            parameters=parameters,
            income_rules=rules,
            choices=case.choices,
        )
    except ParameterDateError as exc:
        return f"cannot be evaluated on {case.on.isoformat()}: {exc}"
    got = advice.as_dict()
    problems = []
    for key, wanted in case.expect.items():
        if key == "flags":
            lacking = [f for f in wanted if f not in advice.flags]
            if lacking:
                problems.append(f"flags {lacking} missing (got {advice.flags})")
        elif key == "missing_facts":
            lacking = [f for f in wanted if f not in advice.missing_facts]
            if lacking:
                problems.append(f"missing facts {lacking} not listed (got {advice.missing_facts})")
        else:
            value = got.get(key)
            shown = f"{wanted:.2f}" if hasattr(wanted, "quantize") else wanted
            if value != shown:
                problems.append(f"{key}: expected {shown}, got {value}")
    return "; ".join(problems) or None
