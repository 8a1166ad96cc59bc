"""`flask screen batch INPUT OUTPUT`: screen a whole caseload from the command line.

    flask --app wsgi screen batch caseload.csv results.jsonl --reference-date 2025-06-01
    flask --app wsgi screen batch caseload.jsonl results.csv --municipality 44021
    flask --app wsgi screen batch caseload.csv results.jsonl --resume      # after an interruption
    flask --app wsgi screen batch caseload.csv results.jsonl --scheduler tcp://dask:8786

INPUT is JSON Lines (.jsonl, .ndjson) or CSV (.csv) of client profiles, one client a line:
the column mapping is in `rechtenverkenner/batch/records.py` and the README. OUTPUT gets one
line per client (JSON Lines or CSV, by its name) with the rights probably entitled, those
unknown with their missing facts, and the leefloon advice; OUTPUT's `.summary.json` next to it
counts per right and the most common missing facts (the page /proactieve-screening draws it).

Runs on a local Dask cluster of one worker per core (`--workers N`; `--workers 0` in this
process) or on a Dask cluster (`--scheduler`). A progress bar shows the rate and the time
left; a bad line is reported by its number on stderr and the run goes on; lines are written
one by one, so `--resume` continues an interrupted run where it stopped. Nothing is logged
about a client: the only place their data goes is OUTPUT.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from .records import FORMATS
from .runner import DEFAULT_CHUNK, BatchError, BatchOptions, run_batch


@click.group("screen", cls=AppGroup)
def screen_cli() -> None:
    """Screen a whole caseload: rights and leefloon advice for every client."""


class BarProgress:
    """A click progress bar on stderr with the rate and the time left; problems above it."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.started = time.monotonic()
        self.done = 0
        self.problems = 0

    def start(self, total: int | None, done: int) -> None:
        self.started = time.monotonic()
        if done:
            click.echo(f"Resuming after {done} line(s) already in the output.", err=True)
        self.bar = click.progressbar(
            length=max((total or 0) - done, 1),
            label="Screening",
            show_eta=True,
            show_pos=True,
            item_show_func=self._rate,
            file=sys.stderr,
        )
        self.bar.__enter__()

    def _rate(self, _item: Any) -> str:
        seconds = time.monotonic() - self.started
        return f"{self.done / seconds:,.0f} clients/s" if seconds > 0 and self.done else ""

    def advance(self, lines: int) -> None:
        self.done += lines
        if self.bar is not None:
            self.bar.update(lines, current_item=self.done)

    def problem(self, text: str) -> None:
        self.problems += 1
        click.echo(f"\n{text}", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@screen_cli.command("batch")
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False))
@click.argument("output_path", metavar="OUTPUT", type=click.Path(dir_okay=False))
@click.option(
    "--reference-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date the answers are for (YYYY-MM-DD; default: today). A line may give its own.",
)
@click.option(
    "--municipality",
    "municipality_nis",
    metavar="NIS",
    help="Where clients live whose profile names no municipality or postcode (NIS code).",
)
@click.option("--input-format", type=click.Choice(FORMATS), help="Default: from INPUT's name.")
@click.option("--output-format", type=click.Choice(FORMATS), help="Default: from OUTPUT's name.")
@click.option("--id-field", default="id", show_default=True, help="JSON field or CSV column.")
@click.option("--delimiter", type=click.Choice([",", ";"]), help="CSV (default: from the header).")
@click.option("--ignore-column", multiple=True, help="A CSV column to skip (may be repeated).")
@click.option("--resume", is_flag=True, help="Continue OUTPUT: skip the lines already in it.")
@click.option("--overwrite", is_flag=True, help="Start OUTPUT again if it exists.")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Local Dask worker processes (default: one per core); 0 screens in this process.",
)
@click.option("--scheduler", metavar="ADDRESS", help="A Dask scheduler, e.g. tcp://HOST:8786.")
@click.option(
    "--send-database-url",
    is_flag=True,
    help="Send this app's DATABASE_URL to the cluster's workers (default: their own).",
)
@click.option("--chunk-size", type=click.IntRange(min=1), default=DEFAULT_CHUNK, show_default=True)
def batch_command(
    input_path: str,
    output_path: str,
    reference_date: Any,
    municipality_nis: str | None,
    input_format: str | None,
    output_format: str | None,
    id_field: str,
    delimiter: str | None,
    ignore_column: tuple[str, ...],
    resume: bool,
    overwrite: bool,
    workers: int | None,
    scheduler: str | None,
    send_database_url: bool,
    chunk_size: int,
) -> None:
    """Screen every client of INPUT (CSV or JSON Lines) into OUTPUT and OUTPUT's summary.

    \b
    JSON Lines: a client profile per line with its id, or an envelope
      {"id", "reference_date", "municipality_nis", "ocmw_choices", "profile"}.
    CSV: a header, one column per fact named by its path in the profile:
      id, age, living_situation, municipality_nis, postcode, housing, ...
      capital.movable_total, taxable_income.gross_yearly, disability.percent
      statuses (codes separated by |; [] for none)
      household.0.relation, household.0.age, household.0.income.0.monthly_net
      own_income.0.kind, own_income.0.monthly_net ([] in own_income: no income)
      reference_date, ocmw_choices.ascendant_share (per client)
    An empty cell is an unknown fact. The full mapping: rechtenverkenner/batch/records.py.
    """
    from ..batch.screener import BatchScreener
    from ..catalog.snapshot import build_snapshot
    from ..db import session_scope

    with session_scope() as session:
        snapshot = build_snapshot(session=session)
    if not snapshot.rights:
        raise click.ClickException("No published catalogue: run `flask catalog load` first.")
    if municipality_nis and municipality_nis not in snapshot.municipalities:
        raise click.ClickException(f"--municipality {municipality_nis}: no municipality has it.")
    screener = BatchScreener(snapshot)
    url = current_app.config["DATABASE_URL"]
    options = BatchOptions(
        input=Path(input_path),
        output=Path(output_path),
        reference_date=reference_date.date() if reference_date else date.today(),
        municipality_nis=municipality_nis,
        input_format=input_format,
        output_format=output_format,
        id_field=id_field,
        delimiter=delimiter,
        ignore_columns=ignore_column,
        resume=resume,
        overwrite=overwrite,
        chunk_size=chunk_size,
        workers=(os.cpu_count() or 1) if workers is None and not scheduler else (workers or 0),
        scheduler=scheduler,
        database_url=url if (scheduler is None or send_database_url) else None,
    )
    progress = BarProgress()
    try:
        report = run_batch(options, screener=screener, progress=progress)
    except BatchError as exc:
        raise click.ClickException(str(exc)) from None
    except RuntimeError as exc:  # CatalogueMismatch, a worker without a database
        raise click.ClickException(str(exc)) from None
    finally:
        progress.close()
    click.echo(
        f"Screened {report.lines - report.resumed} line(s) in {report.seconds:.1f} s "
        f"({report.rate:,.0f}/s): {report.screened} client(s) answered, "
        f"{report.errors} line(s) with a problem; catalogue version "
        f"{screener.version} ({screener.short})."
    )
    click.echo(f"Output: {options.output}  Summary: {report.summary_file}")
