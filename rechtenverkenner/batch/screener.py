"""One caseload line in, one answer out: rights of the client's place and the leefloon advice.

The same decisions as `POST /api/v1/screening` and the leefloon advice, for the published
catalogue of a snapshot, through the fast paths of rules/: the profile read by
`load_profile_fast`, the place settled by `screening.prepare`, the rights compiled once per
place and reference date (`rules.compiled`), the advice from `leefloon_fast`. Every problem of a
line becomes an error record (message and field names, no values) and the run goes on; no
exception carries a profile out of here, so none can reach a log.

`catalogue_fingerprint` is what Dask workers compare before and with their results: a hash
of everything the answers depend on (the published rights, places, vocabularies, dated
parameters and the source of the engine), so a run never mixes catalogue versions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from ..advice import snapshot_income_rules
from ..catalog.snapshot import Snapshot
from ..errors import UserInputError, flatten_messages
from ..rules.compiled import CompiledRight, compile_rights, forget, screen_answers
from ..rules.leefloon_fast import LeefloonPlan, advise_fast
from ..rules.parameters import ParameterDateError
from ..rules.profile import OcmwChoicesSchema
from ..rules.profile_fast import load_profile_fast
from ..screening import engine_places, prepare, rights_for
from . import records
from .summary import Summary

PACKAGE = Path(__file__).resolve().parent.parent
FINGERPRINT_CHARS = 12  # in every output line; the summary has the whole hash
_CACHE_LIMIT = 4096  # compiled (place, date) pairs kept per process


def code_fingerprint() -> str:
    """A hash of the engine's source (rules/ and batch/): workers must run the same code."""
    digest = hashlib.sha256()
    for folder in ("rules", "batch"):
        for path in sorted((PACKAGE / folder).glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def catalogue_fingerprint(snapshot: Snapshot) -> str:
    """A hash of everything a caseload's answers depend on, for this snapshot."""
    content = {
        "code": code_fingerprint(),
        "rights": list(snapshot.rights),
        "municipalities": {
            nis: [m.get("region"), m.get("province_nis"), str(m.get("valid_until"))]
            for nis, m in sorted(snapshot.municipalities.items())
        },
        "postcodes": snapshot.postcodes,
        "statuses": sorted(snapshot.vocabularies.get("status", {})),
        "income_kinds": snapshot.vocabularies.get("leefloon_income_kind", {}),
        "parameters": {
            name: [
                p.period,
                p.unit,
                [[v.valid_from.isoformat(), str(v.value), v.confidence] for v in p.values],
            ]
            for name, p in sorted(snapshot.parameters.items())
        },
    }
    text = json.dumps(content, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Defaults:
    """What a line says nothing about: the reference date and the place screened."""

    reference_date: date
    municipality_nis: str | None = None
    input_format: str = "jsonl"
    id_field: str = "id"
    layout: records.CsvLayout | None = None  # CSV


def _money(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


def _safe_fields(messages: Mapping[str, list[str]]) -> dict[str, list[str]]:
    return {records._safe_key(k): [str(m) for m in v] for k, v in messages.items()}


class BatchScreener:
    """Answers caseload lines against one snapshot; caches per place and reference date."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.fingerprint = catalogue_fingerprint(snapshot)
        self.short = self.fingerprint[:FINGERPRINT_CHARS]
        self.statuses = frozenset(snapshot.vocabularies.get("status", {}))
        self.income_rules = snapshot_income_rules(snapshot)
        self.places = engine_places(snapshot)
        self._rights: dict[str, list[dict[str, Any]]] = {}
        self._compiled: dict[tuple[str, date], list[CompiledRight]] = {}
        self._plans: dict[tuple[date, tuple[Any, ...]], LeefloonPlan] = {}

    @property
    def version(self) -> int:
        return self.snapshot.version

    def rights_at(self, nis: str) -> list[dict[str, Any]]:
        """The published rights that apply where the client lives (as the API chooses them)."""
        found = self._rights.get(nis)
        if found is None:
            found = self._rights[nis] = rights_for(self.snapshot, nis)
        return found

    def compiled(self, nis: str, on: date) -> list[CompiledRight]:
        key = (nis, on)
        found = self._compiled.get(key)
        if found is None:
            if len(self._compiled) >= _CACHE_LIMIT:
                self._compiled.clear()
            found = self._compiled[key] = compile_rights(
                self.rights_at(nis),
                on=on,
                parameters=self.snapshot.parameters,
                places=self.places,
                municipality_nis=nis,
            )
        return found

    def forget(self) -> None:
        """Drop the last client each compiled condition remembers (after a chunk, an upload)."""
        for compiled in self._compiled.values():
            forget(compiled)

    def plan(self, on: date, choices: Mapping[str, Any]) -> LeefloonPlan:
        key = (on, tuple(sorted((k, str(v)) for k, v in choices.items())))
        found = self._plans.get(key)
        if found is None:
            if len(self._plans) >= _CACHE_LIMIT:
                self._plans.clear()
            found = self._plans[key] = LeefloonPlan.build(
                on=on,
                parameters=self.snapshot.parameters,
                income_rules=self.income_rules,
                choices=choices,
            )
        return found

    # -- one line --------------------------------------------------------------------------

    def envelope(self, payload: Any, defaults: Defaults) -> records.Envelope:
        if defaults.input_format == "csv":
            assert defaults.layout is not None
            return records.envelope_from_csv(payload, defaults.layout)
        return records.envelope_from_json(payload, defaults.id_field)

    def answer(
        self, line: int, payload: Any, defaults: Defaults
    ) -> tuple[dict[str, Any], list[tuple[Mapping[str, Any], str, list[str]]]]:
        """The output record of one line, and the answers per right (empty for an error)."""
        client_id = None
        try:
            envelope = self.envelope(payload, defaults)
            client_id = envelope.id
            return self._answer(line, envelope, defaults)
        except records.RecordError as exc:
            return self.error(line, client_id, exc.message, exc.fields), []
        except ValidationError as exc:
            messages = {f"profile.{k}": v for k, v in flatten_messages(exc.messages).items()}
            return self.error(line, client_id, "The profile is not valid.", messages), []
        except UserInputError as exc:
            return self.error(line, client_id, exc.message, exc.errors), []
        except ParameterDateError:
            message = "No amounts are known for this reference date."
            return self.error(line, client_id, message, {"reference_date": [message]}), []
        except Exception as exc:  # a bug must not stop the caseload nor print its data
            message = f"The line could not be screened ({type(exc).__name__})."
            return self.error(line, client_id, message, {}), []

    def _answer(
        self, line: int, envelope: records.Envelope, defaults: Defaults
    ) -> tuple[dict[str, Any], list[tuple[Mapping[str, Any], str, list[str]]]]:
        profile = load_profile_fast(envelope.profile, statuses=self.statuses)
        choices = OcmwChoicesSchema().load(envelope.choices) if envelope.choices else {}
        on = envelope.reference_date or defaults.reference_date
        req = prepare(
            self.snapshot,
            profile,
            on=on,
            municipality_nis=envelope.municipality_nis or defaults.municipality_nis,
        )
        answers = screen_answers(self.compiled(req.municipality_nis, on), profile)
        eligible: list[str] = []
        unknown: list[dict[str, Any]] = []
        for right, status, missing in answers:
            if status == "eligible":
                eligible.append(right["slug"])
            elif status == "unknown":
                unknown.append({"right": right["slug"], "missing_facts": missing})
        counts = {
            "eligible": len(eligible),
            "unknown": len(unknown),
            "not_eligible": len(answers) - len(eligible) - len(unknown),
        }
        advice = advise_fast(self.plan(on, choices), profile)
        statuses = profile.get("statuses")
        receives = None if statuses is None else "leefloon" in statuses
        differs = None
        if receives is not None and advice.outcome in ("eligible", "not_eligible"):
            differs = receives != (advice.outcome == "eligible")
        record = {
            "line": line,
            "id": envelope.id,
            "reference_date": on.isoformat(),
            "municipality_nis": req.municipality_nis,
            "catalogue": self.short,
            "rights": {"eligible": eligible, "unknown": unknown, "counts": counts},
            "leefloon": {
                "outcome": advice.outcome,
                "category": advice.category,
                "monthly_amount": _money(advice.monthly_amount),
                "yearly_amount": _money(advice.yearly_amount),
                "missing_facts": advice.missing_facts,
                "flags": advice.flags,
                "receives": receives,
                "differs": differs,
            },
        }
        return record, answers

    def error(
        self, line: int, client_id: str | None, message: str, fields: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        return {
            "line": line,
            "id": client_id,
            "catalogue": self.short,
            "error": {"message": message, "fields": _safe_fields(fields)},
        }


@dataclass
class ChunkResult:
    """What a chunk of lines gave: output text per line, their summary, and for which catalogue."""

    index: int
    lines: list[tuple[int, str]]  # (line number, output text)
    summary: Summary
    fingerprint: str
    problems: list[str]  # "line N: ..." reports, no values


def screen_chunk(
    screener: BatchScreener,
    index: int,
    items: Sequence[tuple[int, Any]],
    defaults: Defaults,
    output: Any,
) -> ChunkResult:
    """Answer a chunk of (line number, payload) and serialise each answer for `output`."""
    summary = Summary()
    out: list[tuple[int, str]] = []
    problems: list[str] = []
    for line, payload in items:
        record, answers = screener.answer(line, payload, defaults)
        summary.add(record, [right["slug"] for right, _, _ in answers])
        out.append((line, output.render(record, answers)))
        if "error" in record:
            problems.append(problem_text(record))
    screener.forget()  # no client stays in this process's memory after its chunk
    return ChunkResult(index, out, summary, screener.fingerprint, problems)


def problem_text(record: Mapping[str, Any]) -> str:
    """A bad line as reported on the terminal: its number, the message and the fields."""
    error = record["error"]
    fields = "; ".join(f"{k}: {' '.join(v)}" for k, v in sorted(error["fields"].items()))
    text = f"line {record['line']}: {error['message']}" + (f" ({fields})" if fields else "")
    return records.without_quotes(text)
