"""A caseload screening run: read, screen in chunks (here or on Dask), write in input order.

Memory stays flat whatever the input's size: lines are read as they are needed, a bounded
number of chunks is in flight, each finished line is written and forgotten, and the summary
only counts. The output is written in input order (a chunk that finishes early waits for the
ones before it), so a run on Dask writes the same bytes as a run in one process, and
`--resume` only needs the last line written.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from . import records
from .results import CsvOutput, JsonlOutput, OutputFile, ResumeError, resume, summary_path
from .screener import BatchScreener, ChunkResult, Defaults, screen_chunk
from .summary import Summary

DEFAULT_CHUNK = 500


class BatchError(ValueError):
    """The run cannot start or go on; the message names the file or option, never a value."""


class Progress(Protocol):
    """What the command line (or a page) is told while a run goes on."""

    def start(self, total: int | None, done: int) -> None: ...
    def advance(self, lines: int) -> None: ...
    def problem(self, text: str) -> None: ...


class QuietProgress:
    def start(self, total: int | None, done: int) -> None:
        pass

    def advance(self, lines: int) -> None:
        pass

    def problem(self, text: str) -> None:
        pass


@dataclass
class BatchOptions:
    """Everything a run needs besides the catalogue."""

    input: Path
    output: Path
    reference_date: date
    municipality_nis: str | None = None
    input_format: str | None = None
    output_format: str | None = None
    id_field: str = "id"
    delimiter: str | None = None
    ignore_columns: tuple[str, ...] = ()
    resume: bool = False
    overwrite: bool = False
    chunk_size: int = DEFAULT_CHUNK
    workers: int = 0  # 0: in this process; n: a local Dask cluster of n worker processes
    scheduler: str | None = None  # a Dask scheduler's address: run there
    database_url: str | None = None  # sent to the workers (local cluster, or when asked)
    dask_client: Any = None  # an open distributed.Client to run on (tests, notebooks)


@dataclass
class BatchReport:
    """How a run went: counts, time, and where the summary is."""

    lines: int
    screened: int
    errors: int
    resumed: int
    seconds: float
    summary_file: Path
    summary: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def rate(self) -> float:
        return (self.lines - self.resumed) / self.seconds if self.seconds else 0.0


def output_renderer(screener: BatchScreener, name: str) -> JsonlOutput | CsvOutput:
    if name == "csv":
        return CsvOutput([doc["slug"] for doc in screener.snapshot.rights])
    return JsonlOutput()


def output_spec(screener: BatchScreener, name: str) -> tuple[str, tuple[str, ...]]:
    """What a worker needs to render lines like this process would."""
    slugs = tuple(doc["slug"] for doc in screener.snapshot.rights) if name == "csv" else ()
    return name, slugs


def renderer_from_spec(spec: tuple[str, tuple[str, ...]]) -> JsonlOutput | CsvOutput:
    name, slugs = spec
    return CsvOutput(slugs) if name == "csv" else JsonlOutput()


def count_lines(path: Path) -> int:
    """Lines in a file (for the progress bar), read in blocks: no line is kept."""
    lines = 0
    last = b"\n"
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def open_input(
    stream: IO[bytes], options: BatchOptions, *, after: int, input_format: str
) -> tuple[Defaults, Iterator[tuple[int, Any]]]:
    """The defaults every line shares and the (line number, payload) of every line to do."""
    if input_format == "csv":
        header, delimiter, rows = records.csv_rows(stream, delimiter=options.delimiter, after=after)
        try:
            layout = records.csv_layout(
                header,
                delimiter=delimiter,
                id_column=options.id_field,
                ignore=options.ignore_columns,
            )
        except records.LayoutError as exc:
            raise BatchError(f"{options.input.name}: {exc}") from None
        defaults = Defaults(
            options.reference_date, options.municipality_nis, "csv", options.id_field, layout
        )
        return defaults, rows
    defaults = Defaults(options.reference_date, options.municipality_nis, "jsonl", options.id_field)
    return defaults, records.jsonl_lines(stream, after=after)


def chunks(
    items: Iterator[tuple[int, Any]], size: int
) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
    for index in itertools.count():
        chunk = list(itertools.islice(items, size))
        if not chunk:
            return
        yield index, chunk


def run_batch(
    options: BatchOptions, *, screener: BatchScreener, progress: Progress | None = None
) -> BatchReport:
    """Screen the caseload in `options.input` into `options.output` and its summary file.

    Raises:
        BatchError: unreadable input layout, an output that exists (without --resume or
            --overwrite), an output of another catalogue, or workers of another catalogue.
    """
    progress = progress or QuietProgress()
    try:
        input_format = records.format_of(str(options.input), options.input_format)
        output_format = records.format_of(str(options.output), options.output_format)
    except records.LayoutError as exc:
        raise BatchError(str(exc)) from None
    renderer = output_renderer(screener, output_format)
    summary = Summary()
    resumed = 0
    after = 0
    exists = options.output.exists() and options.output.stat().st_size > 0
    if exists and not (options.resume or options.overwrite):
        raise BatchError(
            f"{options.output} exists: --resume continues it, --overwrite starts it again"
        )
    if exists and options.resume:

        def count(record: dict[str, Any], applies: list[str] | None) -> None:
            if applies is None and "error" not in record:
                applies = [r["slug"] for r in screener.rights_at(record["municipality_nis"])]
            summary.add(record, applies or [])

        try:
            state = resume(options.output, renderer, catalogue=screener.short, count=count)
        except ResumeError as exc:
            raise BatchError(f"{options.output}: {exc}") from None
        resumed, after = state.lines, state.last_line
    started = time.perf_counter()
    started_at = datetime.now(UTC).replace(microsecond=0)
    total = max(count_lines(options.input) - (input_format == "csv"), 0)
    out = OutputFile(options.output, renderer, fresh=not (exists and options.resume))
    try:
        with options.input.open("rb") as stream:
            defaults, items = open_input(stream, options, after=after, input_format=input_format)
            progress.start(total, resumed if after else 0)

            def take(result: ChunkResult) -> None:
                for _line, text in result.lines:
                    out.write(text)  # whole lines, one write each, in input order
                out.sync()
                summary.merge(result.summary)
                for text in result.problems:
                    progress.problem(text)
                progress.advance(len(result.lines))

            work = chunks(items, max(options.chunk_size, 1))
            if options.workers or options.scheduler or options.dask_client is not None:
                from .cluster import run_on_dask

                run_on_dask(
                    work,
                    take,
                    defaults=defaults,
                    output=output_spec(screener, output_format),
                    fingerprint=screener.fingerprint,
                    workers=options.workers,
                    scheduler=options.scheduler,
                    database_url=options.database_url,
                    client=options.dask_client,
                )
            else:
                for index, chunk in work:
                    take(screen_chunk(screener, index, chunk, defaults, renderer))
    finally:
        out.close()
    seconds = time.perf_counter() - started
    report = summary.report(
        rights=screener.snapshot.rights,
        catalogue={"version": screener.version, "fingerprint": screener.fingerprint},
        run={
            "reference_date": options.reference_date.isoformat(),
            "municipality_nis": options.municipality_nis,
            "input_format": input_format,
            "output_format": output_format,
            "output": options.output.name,
            "finished_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "started_at": started_at.isoformat(),
            "seconds": round(seconds, 2),
            "resumed_lines": resumed,
            "workers": "cluster" if options.scheduler or options.dask_client else options.workers,
        },
    )
    target = summary_path(options.output)
    write_json_atomically(target, report)
    return BatchReport(
        lines=summary.lines,
        screened=summary.screened,
        errors=summary.errors,
        resumed=resumed,
        seconds=seconds,
        summary_file=target,
        summary=report,
    )


def write_json_atomically(path: Path, data: Any) -> None:
    """Write to a temporary file next to it, then rename: readers see the old or the new."""
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as stream:
        json.dump(data, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        stream.flush()
        os.fsync(stream.fileno())
    temporary.replace(path)


@dataclass
class Upload:
    """A caseload read in this process (the page): its lines, ready to screen."""

    defaults: Defaults
    items: Iterator[tuple[int, Any]]
    renderer: JsonlOutput | CsvOutput


def open_upload(
    stream: IO[bytes],
    *,
    screener: BatchScreener,
    input_format: str,
    output_format: str,
    reference_date: date,
    municipality_nis: str | None = None,
    id_field: str = "id",
) -> Upload:
    """Read an uploaded caseload's header (CSV) and get ready to screen it.

    Raises:
        BatchError: a CSV header with columns that are no facts of the profile.
    """
    options = BatchOptions(
        input=Path("upload"),
        output=Path("results"),
        reference_date=reference_date,
        municipality_nis=municipality_nis,
        id_field=id_field,
    )
    defaults, items = open_input(stream, options, after=0, input_format=input_format)
    return Upload(defaults, items, output_renderer(screener, output_format))


def screen_upload(upload: Upload, *, screener: BatchScreener, summary: Summary) -> Iterator[str]:
    """Screen an uploaded caseload in this process: the output text, header first, line by line.

    `summary` counts as the lines go; it is complete once the iterator is exhausted.
    """
    yield upload.renderer.header()
    for index, chunk in chunks(upload.items, DEFAULT_CHUNK):
        result = screen_chunk(screener, index, chunk, upload.defaults, upload.renderer)
        summary.merge(result.summary)
        for _line, text in result.lines:
            yield text
