"""The output of a caseload screening: one line per client, written one by one, and resuming.

JSON Lines (one object a line):
`{"line": 12, "id": "A-17", "reference_date": "2025-06-01", "municipality_nis": "44021",
"catalogue": "3f2a…", "rights": {"eligible": [slug, ...], "unknown": [{"right": slug,
"missing_facts": [...]}, ...], "counts": {"eligible": 3, "unknown": 12, "not_eligible": 24}},
"leefloon": {"outcome": ..., "category": ..., "monthly_amount": "1263.43", "yearly_amount": ...,
"missing_facts": [...], "flags": [...], "receives": true, "differs": false}}`
or, for a line that could not be read, `{"line": 13, "id": ..., "catalogue": ..., "error":
{"message": ..., "fields": {...}}}`. `receives` says whether the profile's statuses include
the leefloon; `differs` whether the advice (eligible or not) says otherwise.

CSV: the same per client, one column per fact (`line`, `id`, `reference_date`,
`municipality_nis`, `catalogue`, the counts, `leefloon.*`, `error`, `error.fields`), and two columns
per right of the catalogue: `right.<slug>` (eligible, unknown, not_eligible, or empty where the
right does not apply) and `right.<slug>.missing_facts` (separated by `|`).

Each line is written with one `write` on a file opened for appending and flushed at once, so
an interrupted run leaves only whole lines (a torn last line is cut off when resuming);
`--resume` skips every input line up to the last one in the output, after checking that the
output was made with the same catalogue.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXED_COLUMNS = (
    "line",
    "id",
    "reference_date",
    "municipality_nis",
    "catalogue",
    "eligible",
    "unknown",
    "not_eligible",
    "leefloon.outcome",
    "leefloon.category",
    "leefloon.monthly_amount",
    "leefloon.yearly_amount",
    "leefloon.missing_facts",
    "leefloon.flags",
    "leefloon.receives",
    "leefloon.differs",
    "error",
    "error.fields",
)
SEPARATOR = "|"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ResumeError(ValueError):
    """The output cannot be continued (another catalogue, damaged, not in input order)."""


def summary_path(output: Path) -> Path:
    """The summary file next to the output: results.jsonl -> results.summary.json."""
    return output.with_name(f"{output.stem}.summary.json")


class JsonlOutput:
    """JSON Lines output."""

    name = "jsonl"

    def header(self) -> str:
        return ""

    def render(self, record: Mapping[str, Any], answers: Any = None) -> str:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"

    def records(self, stream: Iterable[bytes]) -> Iterable[tuple[dict[str, Any], list[str] | None]]:
        """(record, None) per written line: the rights screened come from the catalogue."""
        for number, raw in enumerate(stream, 1):
            try:
                yield json.loads(raw), None
            except json.JSONDecodeError:
                raise ResumeError(f"the output is damaged at its line {number}") from None


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cell(text: str | None) -> str:
    """Text from the input (an id) as a CSV cell a spreadsheet will not run as a formula."""
    text = (text or "").replace("\r", " ").replace("\n", " ")
    return "'" + text if text.startswith(_FORMULA_START) else text


class CsvOutput:
    """CSV output, one column per right of the catalogue."""

    name = "csv"

    def __init__(self, slugs: Sequence[str]) -> None:
        self.slugs = list(slugs)
        self.columns = list(FIXED_COLUMNS)
        for slug in self.slugs:
            self.columns += [f"right.{slug}", f"right.{slug}.missing_facts"]

    def _row(self, values: Sequence[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(values)
        return buffer.getvalue()

    def header(self) -> str:
        return self._row(self.columns)

    def render(self, record: Mapping[str, Any], answers: Any = ()) -> str:
        cells = dict.fromkeys(self.columns, "")
        cells["line"] = str(record["line"])
        cells["id"] = _cell(record.get("id"))
        cells["catalogue"] = record["catalogue"]
        if "error" in record:
            cells["error"] = _cell(record["error"]["message"])
            cells["error.fields"] = _cell(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in record["error"]["fields"].items())
            )
            return self._row(list(cells.values()))
        cells["reference_date"] = record["reference_date"]
        cells["municipality_nis"] = record["municipality_nis"]
        for status, count in record["rights"]["counts"].items():
            cells[status] = str(count)
        advice = record["leefloon"]
        for key in (
            "outcome",
            "category",
            "monthly_amount",
            "yearly_amount",
            "receives",
            "differs",
        ):
            cells[f"leefloon.{key}"] = _flat(advice[key])
        cells["leefloon.missing_facts"] = SEPARATOR.join(advice["missing_facts"])
        cells["leefloon.flags"] = SEPARATOR.join(advice["flags"])
        for right, status, missing in answers:
            column = f"right.{right['slug']}"
            if column in cells:
                cells[column] = status
                cells[f"{column}.missing_facts"] = SEPARATOR.join(missing)
        return self._row(list(cells.values()))

    def records(self, stream: Iterable[bytes]) -> Iterable[tuple[dict[str, Any], list[str] | None]]:
        """(record, slugs of the rights screened) per written line, read back from the CSV."""
        reader = csv.reader(raw.decode("utf-8") for raw in stream)
        header = next(reader, None)
        if header is None:
            return
        if header != self.columns:
            raise ResumeError("the output's columns are not those of this catalogue")
        for row in reader:
            if len(row) != len(self.columns):
                raise ResumeError(f"the output is damaged at its line {reader.line_num}")
            cells = dict(zip(self.columns, row, strict=True))
            yield self._record(cells)

    def _record(self, cells: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
        base: dict[str, Any] = {
            "line": int(cells["line"]),
            "id": cells["id"] or None,
            "catalogue": cells["catalogue"],
        }
        if cells["error"]:
            base["error"] = {"message": cells["error"], "fields": {}}
            return base, []
        applies, eligible, unknown = [], [], []
        for slug in self.slugs:
            status = cells[f"right.{slug}"]
            if not status:
                continue
            applies.append(slug)
            if status == "eligible":
                eligible.append(slug)
            elif status == "unknown":
                facts = cells[f"right.{slug}.missing_facts"]
                unknown.append({"right": slug, "missing_facts": _split(facts)})

        def tri(text: str) -> bool | None:
            return None if not text else text == "true"

        base.update(
            {
                "reference_date": cells["reference_date"],
                "municipality_nis": cells["municipality_nis"],
                "rights": {"eligible": eligible, "unknown": unknown},
                "leefloon": {
                    "outcome": cells["leefloon.outcome"],
                    "category": int(cells["leefloon.category"])
                    if cells["leefloon.category"]
                    else None,
                    "missing_facts": _split(cells["leefloon.missing_facts"]),
                    "flags": _split(cells["leefloon.flags"]),
                    "receives": tri(cells["leefloon.receives"]),
                    "differs": tri(cells["leefloon.differs"]),
                },
            }
        )
        return base, applies


def _split(text: str) -> list[str]:
    return text.split(SEPARATOR) if text else []


class OutputFile:
    """The output file, appended one whole line at a time (os.write on O_APPEND)."""

    def __init__(self, path: Path, output: JsonlOutput | CsvOutput, *, fresh: bool) -> None:
        self.path = path
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if fresh else 0)
        self.fd = os.open(path, flags, 0o600)  # personal data: readable by its owner only
        if os.fstat(self.fd).st_size == 0:
            self.write(output.header())

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        while data:
            written = os.write(self.fd, data)
            data = data[written:]

    def sync(self) -> None:
        os.fsync(self.fd)

    def close(self) -> None:
        os.fsync(self.fd)
        os.close(self.fd)


@dataclass
class Resumed:
    """Where an interrupted run stopped."""

    last_line: int = 0
    lines: int = 0


def resume(
    path: Path,
    output: JsonlOutput | CsvOutput,
    *,
    catalogue: str,
    count: Callable[[dict[str, Any], list[str] | None], None],
) -> Resumed:
    """Read an existing output: cut a torn last line, check it, count each line with `count`.

    Raises:
        ResumeError: another catalogue, a damaged line, or lines not in input order.
    """
    state = Resumed()
    if not path.exists():
        return state
    _cut_torn_line(path)
    with path.open("rb") as stream:
        for record, applies in output.records(stream):
            if record.get("catalogue") != catalogue:
                raise ResumeError(
                    f"the output was made with catalogue {record.get('catalogue')}, the catalogue"
                    f" is now {catalogue}: start a new output (without --resume)"
                )
            if record["line"] <= state.last_line:
                raise ResumeError("the output's lines are not in the order of one input")
            state.last_line = record["line"]
            state.lines += 1
            count(record, applies)
    return state


def _cut_torn_line(path: Path) -> None:
    """An interrupted write can leave a last line without its end: cut it off."""
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb+") as stream:
        stream.seek(size - 1)
        if stream.read(1) == b"\n":
            return
        block = 1 << 16
        end = size
        while end > 0:
            start = max(0, end - block)
            stream.seek(start)
            chunk = stream.read(end - start)
            found = chunk.rfind(b"\n")
            if found >= 0:
                stream.truncate(start + found + 1)
                return
            end = start
        stream.truncate(0)
