"""Rights screening as a service: a snapshot and a request in, the answer people read out.

Shared by `POST /api/v1/screening`, the web page and the batch command. The profile is personal
data: it lives only in the request; nothing here stores or logs it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from marshmallow import ValidationError

from .catalog.snapshot import Snapshot, format_money
from .errors import UserInputError, flatten_messages
from .i18n import pick
from .rules.conditions import KINDS
from .rules.engine import Places, Step
from .rules.parameters import ParameterDateError
from .rules.profile import check_statuses
from .rules.questions import question
from .rules.screening import Change, RightResult, Screening, compare, screen


@dataclass(frozen=True)
class ScreeningRequest:
    """A checked request: where, when and the profile as plain data."""

    profile: Mapping[str, Any]
    on: date
    municipality_nis: str


def engine_places(snapshot: Snapshot) -> Places:
    """Regions and postcodes for the rules engine, built once per snapshot."""
    cached = snapshot.derived.get("engine_places")
    if cached is None:
        cached = Places(
            region={nis: m["region"] for nis, m in snapshot.municipalities.items()},
            postcodes=snapshot.postcodes,
        )
        snapshot.derived["engine_places"] = cached
    return cached


def prepare(
    snapshot: Snapshot,
    profile: Mapping[str, Any],
    *,
    on: date | None = None,
    municipality_nis: str | None = None,
) -> ScreeningRequest:
    """Check a profile (already read by `load_profile`) and settle where the client lives.

    Raises:
        UserInputError: an unknown status, no place, or two places that disagree.
    """
    try:
        check_statuses(profile, snapshot.vocabularies.get("status", {}))
    except ValidationError as exc:
        raise UserInputError("The profile is not valid.", _prefixed(exc.messages)) from None
    if profile.get("actual_residence_belgium") is False:
        raise UserInputError(
            "A screening is for someone who lives in the municipality screened.",
            {"profile.actual_residence_belgium": ["must not be false for a screening"]},
        )
    places = _places_of(snapshot, profile)
    if municipality_nis:
        if municipality_nis not in snapshot.municipalities:
            raise UserInputError(
                "Unknown municipality.",
                {"municipality_nis": ["No municipality has this NIS code."]},
            )
        if places and municipality_nis not in places:
            raise UserInputError(
                "The profile lives elsewhere than the municipality screened.",
                {"municipality_nis": ["differs from the profile's municipality or postcode"]},
            )
        nis = municipality_nis
    elif len(places) == 1:
        nis = places[0]
    else:
        message = (
            "This postcode belongs to more than one municipality: choose one."
            if places
            else "Say where the client lives: municipality_nis or the profile's postcode."
        )
        raise UserInputError(message, {"municipality_nis": [message]})
    return ScreeningRequest(profile=profile, on=on or date.today(), municipality_nis=nis)


def _places_of(snapshot: Snapshot, profile: Mapping[str, Any]) -> list[str]:
    if "municipality_nis" in profile:
        return [profile["municipality_nis"]]
    if "postcode" in profile:
        return list(snapshot.postcodes.get(profile["postcode"], ()))
    return []


def _prefixed(messages: Any) -> dict[str, list[str]]:
    return {
        f"profile.{k}" if k != "_schema" else "profile": v
        for k, v in flatten_messages(messages).items()
    }


def rights_for(snapshot: Snapshot, nis: str) -> list[dict[str, Any]]:
    """Published rights that apply to someone living in `nis`, in catalogue order."""
    mask = snapshot.index.applies_in([nis])
    return [doc for doc, applies in zip(snapshot.rights, mask, strict=True) if applies]


def run(snapshot: Snapshot, req: ScreeningRequest) -> Screening:
    """Screen a checked request against the snapshot.

    Raises:
        UserInputError: the reference date is before a threshold's first known value.
    """
    try:
        return screen(
            rights_for(snapshot, req.municipality_nis),
            req.profile,
            on=req.on,
            parameters=snapshot.parameters,
            places=engine_places(snapshot),
            municipality_nis=req.municipality_nis,
        )
    except ParameterDateError as exc:
        raise UserInputError(
            "No amounts are known for this reference date.", {"reference_date": [str(exc)]}
        ) from None


def what_if(before: Screening, after: Screening) -> list[Change]:
    return compare(before, after)


# -- presentation ----------------------------------------------------------------------------


def step_dict(snapshot: Snapshot, step: Step, lang: str, on: date) -> dict[str, Any]:
    """One checked condition as people read it: the rule, the facts used, the amounts."""
    labeller = snapshot.labeller(on)
    kind = KINDS[step.kind]
    thresholds = [
        {
            **t.as_dict(),
            "text": format_money(t.value, lang),
        }
        for t in step.leaf.thresholds
    ]
    computed = {
        k: (f"{v:.2f}" if not isinstance(v, str | int) else v)
        for k, v in step.leaf.computed.items()
    }
    return {
        "condition": step.kind,
        "result": step.result,
        "text": kind.sentence(step.node, lang, labeller),
        "facts": {k: _plain(v) for k, v in step.leaf.facts.items()},
        "computed": computed,
        "thresholds": thresholds,
        "discretionary": step.discretionary,
        "missing_facts": list(step.leaf.missing) if step.result is None else [],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "quantize"):
        return f"{value:.2f}"
    return value


def result_dict(snapshot: Snapshot, result: RightResult, lang: str, on: date) -> dict[str, Any]:
    doc = result.right
    return {
        "right": {
            "id": doc["id"],
            "slug": doc["slug"],
            "title": pick(doc["title"], lang),
            "level": doc["level"],
            "access": doc["access"],
        },
        "status": result.status,
        "discretionary": result.discretionary,
        "missing_facts": result.missing,
        "questions": [question(f, lang, _status_label(snapshot, lang)) for f in result.missing],
        "explanation": [step_dict(snapshot, s, lang, on) for s in result.evaluation.steps],
    }


def _status_label(snapshot: Snapshot, lang: str):  # type: ignore[no-untyped-def]
    return lambda code: snapshot.label("status", code, lang)


def screening_dict(
    snapshot: Snapshot, screening: Screening, req: ScreeningRequest, lang: str
) -> dict[str, Any]:
    """The API answer (client-profile spec, "Rights screening")."""
    order = {"eligible": 0, "unknown": 1, "not_eligible": 2}
    results = sorted(screening.results, key=lambda r: order[r.status])
    return {
        "reference_date": req.on.isoformat(),
        "municipality_nis": req.municipality_nis,
        "results": [result_dict(snapshot, r, lang, req.on) for r in results],
        "counts": screening.counts,
        "questions": [
            {
                "fact": fact,
                "question": question(fact, lang, _status_label(snapshot, lang)),
                "rights": count,
            }
            for fact, count in screening.questions()
        ],
    }
