"""`flask lpdc import|export|csv`: thin wrappers around the exchange services."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from ..db import session_scope
from .exporter import DEFAULT_STREAM, PAGE_SIZE, csv_rows, csv_text, ldes_pages, right_members
from .importer import ImportReport, Outcome, count_records, import_document, read_document
from .mapping import ImportProblem

SUFFIXES = (".json", ".jsonld")


@click.group("lpdc", cls=AppGroup)
def lpdc_cli() -> None:
    """Exchange with LPDC/IPDC: import JSON-LD, export the LDES and a CSV table."""


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
    return [path]


@lpdc_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--verbose", is_flag=True, help="List every record with what happened to it.")
def import_command(path: Path, verbose: bool) -> None:
    """Import LPDC instances and IPDC concepts from PATH (a JSON-LD file or a folder of them).

    Each file is one transaction: a rejected record changes nothing, an error halfway leaves
    the database as it was before that file. Exits 1 when a record or file was rejected.
    """
    total = ImportReport()
    for file in _files(path):
        try:
            document = read_document(file.read_bytes(), file.name)
        except ImportProblem as exc:
            total.rejected.append(Outcome(file.name, "file", str(exc)))
            continue
        length = max(count_records(document), 1)
        bar = click.progressbar(length=length, label=file.name, file=sys.stderr)
        with bar, session_scope() as session:
            report = import_document(
                session=session,
                document=document,
                source=file.name,
                on_record=lambda bar=bar: bar.update(1),
            )
        total.merge(report)
    for line in total.lines(every_record=verbose):
        click.echo(line)
    if total.rejected:
        raise SystemExit(1)


@lpdc_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--base-url",
    default=DEFAULT_STREAM,
    show_default=True,
    help="IRI of the stream; pages are BASE?pageNumber=N (as GET /api/v1/export/lpdc).",
)
@click.option("--page-size", default=PAGE_SIZE, show_default=True, type=click.IntRange(1, 1000))
def export_command(directory: Path, base_url: str, page_size: int) -> None:
    """Write the published rights as LPDC instance snapshots, page-0.json ... into DIRECTORY."""
    with session_scope() as session:
        members = right_members(session=session)
    pages = ldes_pages(members, stream_iri=base_url, page_size=page_size)
    directory.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(pages):
        text = json.dumps(page, ensure_ascii=False, indent=1)
        (directory / f"page-{number}.json").write_text(text + "\n", encoding="utf-8")
    click.echo(f"Exported {len(members)} right(s) in {len(pages)} page(s) to {directory}.")


@lpdc_cli.command("csv")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--comma", is_flag=True, help="Separate cells by commas instead of semicolons.")
@click.option("--site-url", default="", help="Address of the site, for the link to each right.")
def csv_command(file: Path, comma: bool, site_url: str) -> None:
    """Write the published catalogue as CSV to FILE ('-' for the screen): one row per right."""
    with session_scope() as session:
        rows = csv_rows(session=session, site_url=site_url)
    text = csv_text(rows, delimiter="," if comma else ";")
    if str(file) == "-":
        click.echo(text, nl=False)
        return
    file.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {len(rows)} right(s) to {file}.")
