"""Reading a caseload: one client a line, in JSON Lines or CSV.

JSON Lines: each line is a client profile (shared/spec/client-profile.md) with its id field
(`id` unless `--id-field` says otherwise), or an envelope
`{"id": ..., "reference_date": "2025-06-01", "municipality_nis": "44021", "ocmw_choices": {...},
"profile": {...}}` when a line needs its own reference date, place or OCMW choices.

CSV (comma or semicolon, UTF-8, a header line): one column per fact, named by its path in the
profile. The column mapping:

- `id` (or the `--id-column`): the client's id, copied to the output;
- a scalar fact by its name: `age`, `birth_date`, `living_situation`, `municipality_nis`,
  `postcode`, `nationality_status`, `willing_to_work`, `housing`, `rent_monthly`, ...;
- a fact of a nested object with a dot: `capital.movable_total`, `taxable_income.gross_yearly`,
  `disability.percent`, `status_since.leefloon`;
- a list of codes in one cell, separated by `|`: `statuses` (`leefloon|verhoogde_tegemoetkoming`),
  `occupations`;
- a list of objects with the item's number (from 0) and the fact: `household.0.relation`,
  `household.0.age`, `household.0.income.0.kind`, `household.0.income.0.monthly_net`,
  `own_income.0.kind`, `own_income.0.monthly_net`, `property.0.cadastral_income`,
  `transfers_last_10_years.0.market_value`;
- `[]` in a list's own column (`household`, `own_income`, `statuses`, ...) says the list is known
  and empty ("lives alone", "no income"); an item whose cells are all empty is left out;
- `reference_date`, `ocmw_choices.ascendant_share`, `ocmw_choices.equity_waiver`: per client.

An empty cell is an unknown fact (left out of the profile), never a default. Yes/no cells
take `true`/`false` (also `yes`/`no`, `ja`/`nee`, `oui`/`non`, `1`/`0`); amounts take a decimal
point or a decimal comma (`1100.50`, `1100,50`); dates are ISO (`2025-06-01`). A column that
is not a fact of the profile stops the run before it starts (a typo must not lose a fact),
unless `--ignore-column` names it.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from marshmallow import Schema, fields

from ..rules.profile import Money, ProfileSchema, Share

FORMATS = ("jsonl", "csv")
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}
ENVELOPE_KEYS = ("reference_date", "municipality_nis", "ocmw_choices", "profile")
CHOICE_COLUMNS = {"ocmw_choices.ascendant_share": "decimal", "ocmw_choices.equity_waiver": "bool"}
EMPTY_LIST = "[]"
LIST_SEPARATOR = "|"
TRUTHY = {"true", "yes", "ja", "oui", "1", "waar", "vrai"}
FALSY = {"false", "no", "nee", "non", "0", "onwaar", "faux"}
_INT = re.compile(r"[+-]?[0-9]+")
_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]+")
_INDEX = re.compile(r"[0-9]{1,4}")


class RecordError(ValueError):
    """A line that cannot be read as a client; the message and field names carry no values."""

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class LayoutError(ValueError):
    """The input as a whole cannot be read (a CSV header with unknown columns, ...)."""


@dataclass(frozen=True)
class Envelope:
    """One client as read from a line, before the profile is checked."""

    id: str | None
    profile: Any
    reference_date: date | None = None
    municipality_nis: str | None = None
    choices: Any = None


def format_of(path: str, given: str | None) -> str:
    """The format named, or the one the file name says (.jsonl, .ndjson, .json, .csv)."""
    if given:
        return given
    for suffix, name in SUFFIXES.items():
        if path.lower().endswith(suffix):
            return name
    raise LayoutError(f"cannot tell the format of {path!r} from its name: say jsonl or csv")


def _id(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RecordError("The id must be a string or a whole number.", {"id": ["not valid"]})
    text = str(value).strip()
    return text or None


def _date(value: Any, key: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise RecordError("A date must be written YYYY-MM-DD.", {key: ["Not a valid date."]})


# -- JSON Lines --------------------------------------------------------------------------------


def jsonl_lines(stream: IO[bytes], *, after: int = 0) -> Iterator[tuple[int, str]]:
    """(line number, text) of every non-blank line after line `after`; bytes decoded later."""
    for number, raw in enumerate(stream, 1):
        if number <= after or not raw.strip():
            continue
        yield number, raw  # type: ignore[misc]  # bytes travel as they are; decoded per record


def envelope_from_json(raw: bytes | str, id_field: str = "id") -> Envelope:
    """One JSON Lines record as an envelope (profile not checked yet).

    Raises:
        RecordError: not UTF-8, not JSON, not an object, or an envelope with unknown keys.
    """
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise RecordError("The line is not valid UTF-8 text.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"The line is not valid JSON (column {exc.colno}).") from None
    if not isinstance(data, dict):
        raise RecordError("The line must be a JSON object: a profile, or an envelope.")
    if "profile" in data:
        unknown = sorted(k for k in data if k not in (*ENVELOPE_KEYS, id_field))
        if unknown:
            raise RecordError(
                "The envelope has keys it does not know.",
                {_safe_key(k): ["Unknown field."] for k in unknown},
            )
        municipality = data.get("municipality_nis")
        if municipality is not None and not (
            isinstance(municipality, str) and re.fullmatch(r"[0-9]{5}", municipality)
        ):
            raise RecordError(
                "municipality_nis must be a NIS code of 5 digits.",
                {"municipality_nis": ["Not a valid NIS code."]},
            )
        return Envelope(
            id=_id(data.get(id_field)),
            profile=data["profile"],
            reference_date=_date(data.get("reference_date"), "reference_date"),
            municipality_nis=municipality,
            choices=data.get("ocmw_choices"),
        )
    profile = dict(data)
    client_id = profile.pop(id_field, None)
    return Envelope(id=_id(client_id), profile=profile)


def _safe_key(key: Any) -> str:
    """A key as it may appear in a report: field names only, never a value-like text."""
    text = str(key)
    return text if re.fullmatch(r"[A-Za-z0-9_.]{1,60}", text) else "(a key)"


# -- CSV ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """Where a CSV column goes: the envelope (id, date, choices) or a path in the profile."""

    target: str  # id | reference_date | choice | profile | list_marker | ignore
    path: tuple[str | int, ...]
    kind: str  # int | bool | decimal | text | list


@dataclass(frozen=True)
class CsvLayout:
    """The header of a CSV caseload, read once: one Column per header cell."""

    columns: tuple[Column, ...]
    delimiter: str


def _leaf_kind(field: fields.Field) -> str | None:
    if isinstance(field, fields.Boolean):
        return "bool"
    if isinstance(field, fields.Integer):
        return "int"
    if isinstance(field, Money | Share):
        return "decimal"
    if isinstance(field, fields.String | fields.Date):
        return "text"
    if isinstance(field, fields.List) and not isinstance(field.inner, fields.Nested):
        return "list"
    return None


def _nested_schema(field: fields.Field) -> Schema | None:
    target = field.inner if isinstance(field, fields.List) else field
    if isinstance(target, fields.Nested):
        nested = target.nested
        return nested if isinstance(nested, Schema) else nested()  # type: ignore[operator,return-value]
    return None


def column_for(name: str, *, id_column: str = "id") -> Column | None:
    """The Column a header cell names, or None when it is not a fact of the profile."""
    if name == id_column:
        return Column("id", (), "text")
    if name == "reference_date":
        return Column("reference_date", (), "text")
    if name in CHOICE_COLUMNS:
        return Column("choice", (name.split(".", 1)[1],), CHOICE_COLUMNS[name])
    parts = name.split(".")
    schema: Schema = ProfileSchema()
    path: list[str | int] = []
    i = 0
    while i < len(parts):
        field = schema.load_fields.get(parts[i])
        if field is None:
            return None
        path.append(parts[i])
        last = i == len(parts) - 1
        nested = _nested_schema(field)
        if isinstance(field, fields.List) and nested is not None:
            if last:
                return Column("list_marker", tuple(path), "list")
            if not _INDEX.fullmatch(parts[i + 1]) or i + 2 >= len(parts):
                return None
            path.append(int(parts[i + 1]))
            schema, i = nested, i + 2
            continue
        if isinstance(field, fields.Nested) and nested is not None:
            if last:
                return None
            schema, i = nested, i + 1
            continue
        if isinstance(field, fields.Dict):
            if i + 2 != len(parts) or not parts[i + 1]:
                return None
            kind = _leaf_kind(field.value_field) if field.value_field else "text"  # type: ignore[arg-type]
            return Column("profile", (*path, parts[i + 1]), kind or "text")
        kind = _leaf_kind(field)
        if kind is None or not last:
            return None
        return Column("profile", tuple(path), kind)
    return None


def csv_layout(
    header: Sequence[str],
    *,
    delimiter: str,
    id_column: str = "id",
    ignore: Collection[str] = (),
) -> CsvLayout:
    """Map a CSV header onto the profile.

    Raises:
        LayoutError: a column that is no fact of the profile, or a column given twice.
    """
    columns, unknown, seen = [], [], set()
    for cell in header:
        name = cell.strip().lstrip("\ufeff")
        if name in ignore or not name:
            columns.append(Column("ignore", (), "text"))
            continue
        if name in seen:
            raise LayoutError(f"the column {name!r} is given twice")
        seen.add(name)
        column = column_for(name, id_column=id_column)
        if column is None:
            unknown.append(name)
        else:
            columns.append(column)
    if unknown:
        raise LayoutError(
            "these columns are no facts of the client profile: "
            + ", ".join(repr(u) for u in unknown)
            + " (the column mapping: `flask screen batch --help`; --ignore-column skips one)"
        )
    return CsvLayout(tuple(columns), delimiter)


def sniff_delimiter(header_line: str) -> str:
    """Semicolon (as Excel writes CSV in Belgium) or comma, whichever the header uses more."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def decoded_lines(stream: IO[bytes]) -> Iterator[str]:
    """A binary stream as text lines (UTF-8, a byte order mark dropped, bad bytes replaced).

    The caller keeps its stream: nothing here wraps or closes it.
    """
    first = True
    for raw in stream:
        text = raw.decode("utf-8", errors="replace")
        if first:
            text, first = text.removeprefix("\ufeff"), False
        yield text


def csv_rows(
    stream: IO[bytes], *, delimiter: str | None = None, after: int = 0
) -> tuple[list[str], str, Iterator[tuple[int, list[str]]]]:
    """The header, the delimiter and (line number, cells) of every row after line `after`.

    Line numbers are those of the file (the header is line 1); a row that spans lines (a quoted
    cell with a line break) has the number of its first line.
    """
    lines = decoded_lines(stream)
    first = next(lines, "")
    delimiter = delimiter or sniff_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter), [])
    reader = csv.reader(lines, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = 2
        for cells in reader:
            number, start = start, reader.line_num + 2
            if number <= after or not any(c.strip() for c in cells):
                continue
            yield number, cells

    return header, delimiter, rows()


def _cell(kind: str, text: str) -> Any:
    if kind == "int":
        return int(text) if _INT.fullmatch(text) else text
    if kind == "bool":
        low = text.casefold()
        return True if low in TRUTHY else False if low in FALSY else text
    if kind == "decimal":
        return text.replace(",", ".") if _DECIMAL_COMMA.fullmatch(text) else text
    if kind == "list":
        if text == EMPTY_LIST:
            return []
        return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
    return text


_MARKER = object()


def envelope_from_csv(cells: Sequence[str], layout: CsvLayout) -> Envelope:
    """One CSV row as an envelope (profile not checked yet).

    Raises:
        RecordError: more cells than the header, or `[]` for a list that has items.
    """
    if len(cells) > len(layout.columns) and any(c.strip() for c in cells[len(layout.columns) :]):
        raise RecordError("The row has more cells than the header has columns.")
    client_id, on, choices = None, None, {}
    profile: dict[Any, Any] = {}
    empty_lists: list[tuple[str | int, ...]] = []
    for column, raw in zip(layout.columns, cells, strict=False):
        text = raw.strip()
        if not text or column.target == "ignore":
            continue
        if column.target == "id":
            client_id = text
        elif column.target == "reference_date":
            on = _date(text, "reference_date")
        elif column.target == "choice":
            choices[column.path[0]] = _cell(column.kind, text)
        elif column.target == "list_marker":
            if text != EMPTY_LIST:
                name = ".".join(str(p) for p in column.path)
                raise RecordError(
                    f"The column {name} takes only [] (the list is empty).",
                    {name: ["Only [] is allowed in this column."]},
                )
            empty_lists.append(column.path)
        else:
            _put(profile, column.path, _cell(column.kind, text))
    for path in empty_lists:
        node = profile
        for part in path[:-1]:
            node = node.setdefault(part, {})
        if node.get(path[-1]):
            name = ".".join(str(p) for p in path)
            raise RecordError(
                f"{name} is [] but items of it are given.",
                {name: ["[] while items are given."]},
            )
        node[path[-1]] = _MARKER
    return Envelope(
        id=client_id,
        profile=_lists(profile),
        reference_date=on,
        choices=choices or None,
    )


def _put(node: dict[Any, Any], path: tuple[str | int, ...], value: Any) -> None:
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _lists(node: Any) -> Any:
    """Dicts keyed by item numbers become lists in number order; `[]` markers empty lists."""
    if node is _MARKER:
        return []
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(k, int) for k in node):
        return [_lists(node[k]) for k in sorted(node)]
    return {k: _lists(v) for k, v in node.items()}


_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")


def without_quotes(text: str) -> str:
    """A message for the terminal: anything quoted (a value a message repeats) left out."""
    return _QUOTED.sub("…", text)
