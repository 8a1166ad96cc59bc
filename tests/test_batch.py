"""`flask screen batch`: a caseload in, one line per client out; bad lines, resuming, Dask."""

from __future__ import annotations

import csv
import io
import json
import logging
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask.cli import ScriptInfo

from rechtenverkenner import screening as service
from rechtenverkenner.batch import records
from rechtenverkenner.batch.cli import screen_cli
from rechtenverkenner.batch.runner import BatchOptions, run_batch
from rechtenverkenner.batch.screener import BatchScreener
from rechtenverkenner.catalog.snapshot import build_snapshot
from rechtenverkenner.db import session_scope
from rechtenverkenner.rules.profile import load_profile

ON = "2025-06-01"
MARKER = "MARKER4242"  # personal data stand-in: may be in the output file, nowhere else


@pytest.fixture(scope="module")
def batch_app(tmp_path_factory, mini_catalog):  # type: ignore[no-untyped-def]
    """An app of its own (SQLite file, so Dask worker processes can read it too)."""
    from conftest import loaded_app

    folder = tmp_path_factory.mktemp("batch")
    app = loaded_app(f"sqlite:///{folder / 'batch.sqlite3'}", mini_catalog)
    app.cli.add_command(screen_cli)  # create_app registers it too; adding it again is harmless
    yield app
    app.extensions["rv_engine"].dispose()


@pytest.fixture(scope="module")
def screener(batch_app):  # type: ignore[no-untyped-def]
    with session_scope(batch_app) as session:
        return BatchScreener(build_snapshot(session=session))


def caseload_lines(count: int = 40) -> list[str]:
    """Seeded profiles (bench/profiles.py) with ids, and some lines that cannot be read."""
    from bench.profiles import profiles

    lines = []
    for number, profile in enumerate(profiles(count, seed=17)):
        lines.append(json.dumps({"id": f"client-{number}", **profile}))
    lines[3] = "{not json"
    lines[5] = json.dumps({"id": "x5", "agee": 3})
    lines[7] = json.dumps({"id": f"{MARKER}-id", "age": f"{MARKER}-age"})
    lines[9] = json.dumps({"id": "x9", "statuses": [f"{MARKER}-status"]})
    lines[11] = ""  # a blank line is no client
    lines[13] = json.dumps(
        {
            "id": "x13",
            "reference_date": "2026-12-01",
            "municipality_nis": "44021",
            "ocmw_choices": {"ascendant_share": 0.5},
            "profile": {"age": 30, "household": [], "statuses": ["leefloon"]},
        }
    )
    return lines


@pytest.fixture(scope="module")
def caseload(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("caseload") / "caseload.jsonl"
    path.write_text("\n".join(caseload_lines()) + "\n", encoding="utf-8")
    return path


def invoke(app, *args: str):  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    return runner.invoke(
        screen_cli, ["batch", *args], obj=ScriptInfo(create_app=lambda: app), catch_exceptions=False
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_caseload_gets_one_line_per_client_and_bad_lines_are_reported_by_number(
    batch_app, caseload, tmp_path
):  # type: ignore[no-untyped-def]
    out = tmp_path / "results.jsonl"
    result = invoke(batch_app, str(caseload), str(out), "--workers", "0", "--reference-date", ON)
    assert result.exit_code == 0, result.output
    lines = read_jsonl(out)
    assert [r["line"] for r in lines] == [n for n in range(1, 41) if n != 12]  # blank line 12
    errors = {r["line"]: r for r in lines if "error" in r}
    assert set(errors) == {4, 6, 8, 10}
    assert "agee" in errors[6]["error"]["fields"].get("profile.agee", ["?"])[0] or errors[6]
    for number in (4, 6, 8, 10):
        assert f"line {number}:" in result.stderr
    assert MARKER not in result.stderr + result.stdout  # reported by number and field only
    assert errors[8]["id"] == f"{MARKER}-id"  # the output file does carry the client's id
    fine = next(r for r in lines if r["line"] == 1)
    assert set(fine) >= {"id", "reference_date", "municipality_nis", "catalogue", "rights"}
    assert fine["leefloon"]["outcome"] in (
        "eligible",
        "not_eligible",
        "insufficient_data",
        "manual_review",
    )
    envelope = next(r for r in lines if r["line"] == 14)
    assert envelope["reference_date"] == "2026-12-01"
    assert envelope["leefloon"]["receives"] is True
    summary = json.loads((tmp_path / "results.summary.json").read_text())
    assert (summary["lines"], summary["errors"], summary["screened"]) == (39, 4, 35)
    assert summary["error_lines"] == [4, 6, 8, 10]
    assert summary["rights"]
    assert summary["missing_facts"]
    assert "Screened 39 line(s)" in result.stdout


def test_the_answers_are_those_of_the_screening_api(batch_app, screener, caseload, tmp_path):  # type: ignore[no-untyped-def]
    out = tmp_path / "results.jsonl"
    options = BatchOptions(input=caseload, output=out, reference_date=date(2025, 6, 1))
    run_batch(options, screener=screener)
    clients = {}
    for line in caseload_lines():
        if line.startswith('{"id": "client-'):
            data = json.loads(line)
            clients[data.pop("id")] = data
    checked = 0
    for record in read_jsonl(out):
        if "error" in record or record["id"] not in clients:
            continue
        data = clients[record["id"]]
        checked += 1
        req = service.prepare(screener.snapshot, load_profile(data), on=date(2025, 6, 1))
        answer = service.run(screener.snapshot, req)
        assert record["rights"]["eligible"] == [
            r.right["slug"] for r in answer.results if r.status == "eligible"
        ]
        assert record["rights"]["unknown"] == [
            {"right": r.right["slug"], "missing_facts": r.missing}
            for r in answer.results
            if r.status == "unknown"
        ]
    assert checked >= 30


CSV_HEADER = [
    "id",
    "age",
    "living_situation",
    "municipality_nis",
    "household",
    "household.0.relation",
    "household.0.age",
    "statuses",
    "own_income.0.kind",
    "own_income.0.monthly_net",
    "capital.movable_total",
    "willing_to_work",
    "actual_residence_belgium",
    "nationality_status",
    "other_benefits_claimed",
    "transfers_last_10_years",
    "property",
    "advantages_in_kind_monthly",
    "ocmw_choices.ascendant_share",
]


def test_a_csv_caseload_is_read_with_the_column_mapping(batch_app, screener, tmp_path):  # type: ignore[no-untyped-def]
    rows = [
        [
            "a1",
            "34",
            "alone",
            "44021",
            "[]",
            "",
            "",
            "leefloon",
            "wage",
            "400,50",
            "1200",
            "ja",
            "true",
            "belgian",
            "yes",
            "[]",
            "[]",
            "0",
            "",
        ],
        [
            "a2",
            "70",
            "couple_no_children",
            "11002",
            "",
            "partner",
            "68",
            "[]",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "0.5",
        ],
        ["a3", "abc", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ]
    source = tmp_path / "caseload.csv"
    with source.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(CSV_HEADER)
        writer.writerows(rows)
    out = tmp_path / "results.csv"
    result = invoke(batch_app, str(source), str(out), "--workers", "0", "--reference-date", ON)
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [row["id"] for row in table] == ["a1", "a2", "a3"]
    assert "line 4:" in result.stderr
    assert table[2]["error"]
    profile = load_profile(
        {
            "age": 34,
            "living_situation": "alone",
            "municipality_nis": "44021",
            "household": [],
            "statuses": ["leefloon"],
            "own_income": [{"kind": "wage", "monthly_net": "400.50"}],
            "capital": {"movable_total": "1200"},
            "willing_to_work": True,
            "actual_residence_belgium": True,
            "nationality_status": "belgian",
            "other_benefits_claimed": True,
            "transfers_last_10_years": [],
            "property": [],
            "advantages_in_kind_monthly": "0",
        }
    )
    answer = service.run(
        screener.snapshot, service.prepare(screener.snapshot, profile, on=date(2025, 6, 1))
    )
    for item in answer.results:
        assert table[0][f"right.{item.right['slug']}"] == item.status
    assert table[0]["leefloon.outcome"] == "eligible"
    assert table[0]["leefloon.receives"] == "true"
    assert table[1]["municipality_nis"] == "11002"


def test_a_csv_column_that_is_no_fact_stops_the_run_before_it_starts(batch_app, tmp_path):  # type: ignore[no-untyped-def]
    source = tmp_path / "caseload.csv"
    source.write_text("id,age,agee\n1,30,3\n", encoding="utf-8")
    result = invoke(batch_app, str(source), str(tmp_path / "out.jsonl"), "--workers", "0")
    assert result.exit_code == 1
    assert "'agee'" in result.output
    result = invoke(
        batch_app,
        str(source),
        str(tmp_path / "out.jsonl"),
        "--workers",
        "0",
        "--ignore-column",
        "agee",
    )
    assert result.exit_code == 0, result.output


def test_column_names_map_onto_the_profile():
    assert records.column_for("household.2.income.0.monthly_net") == records.Column(
        "profile", ("household", 2, "income", 0, "monthly_net"), "decimal"
    )
    assert records.column_for("status_since.leefloon").path == ("status_since", "leefloon")
    assert records.column_for("household").target == "list_marker"
    for wrong in ("capital", "household.x.age", "household.0", "agee", "age.years"):
        assert records.column_for(wrong) is None
    layout = records.csv_layout(["id", "household.1.age", "household.0.age"], delimiter=",")
    envelope = records.envelope_from_csv(["7", "", "12"], layout)
    assert envelope.profile == {"household": [{"age": 12}]}


def test_an_existing_output_is_neither_overwritten_nor_appended_to_unasked(
    batch_app, caseload, tmp_path
):  # type: ignore[no-untyped-def]
    out = tmp_path / "results.jsonl"
    out.write_text("something\n")
    result = invoke(batch_app, str(caseload), str(out), "--workers", "0")
    assert result.exit_code == 1
    assert "--resume" in result.output
    assert out.read_text() == "something\n"
    result = invoke(batch_app, str(caseload), str(out), "--workers", "0", "--overwrite")
    assert result.exit_code == 0


@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_an_interrupted_run_resumes_where_it_stopped(batch_app, caseload, tmp_path, suffix):  # type: ignore[no-untyped-def]
    full = tmp_path / f"full.{suffix}"
    assert (
        invoke(
            batch_app, str(caseload), str(full), "--workers", "0", "--reference-date", ON
        ).exit_code
        == 0
    )
    done = full.read_bytes()
    lines = done.splitlines(keepends=True)
    partial = tmp_path / f"partial.{suffix}"
    partial.write_bytes(b"".join(lines[:21]) + lines[21][:17])  # whole lines, then a torn one
    result = invoke(
        batch_app, str(caseload), str(partial), "--workers", "0", "--reference-date", ON, "--resume"
    )
    assert result.exit_code == 0, result.output
    assert partial.read_bytes() == done
    ours = json.loads((tmp_path / "partial.summary.json").read_text())
    theirs = json.loads((tmp_path / "full.summary.json").read_text())
    assert {k: v for k, v in ours.items() if k != "run"} == {
        k: v for k, v in theirs.items() if k != "run"
    }
    assert ours["run"]["resumed_lines"] == (20 if suffix == "csv" else 21)


def test_resuming_refuses_an_output_of_another_catalogue(batch_app, caseload, tmp_path):  # type: ignore[no-untyped-def]
    out = tmp_path / "results.jsonl"
    assert invoke(batch_app, str(caseload), str(out), "--workers", "0").exit_code == 0
    first, *rest = out.read_text().splitlines(keepends=True)
    record = json.loads(first)
    record["catalogue"] = "000000000000"
    out.write_text(json.dumps(record) + "\n" + "".join(rest[:3]))
    result = invoke(batch_app, str(caseload), str(out), "--workers", "0", "--resume")
    assert result.exit_code == 1
    assert "another catalogue" in result.output or "catalogue 000000000000" in result.output


# -- Dask --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_client():  # type: ignore[no-untyped-def]
    from rechtenverkenner.batch.cluster import start_client

    cluster, client = start_client(workers=2, scheduler=None)
    yield client
    client.close()
    cluster.close()


@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_a_two_worker_local_cluster_writes_what_one_process_writes(
    batch_app, screener, caseload, tmp_path, dask_client, suffix
):  # type: ignore[no-untyped-def]
    url = batch_app.config["DATABASE_URL"]
    alone = tmp_path / f"alone.{suffix}"
    spread = tmp_path / f"spread.{suffix}"
    common = {"input": caseload, "reference_date": date(2025, 6, 1), "chunk_size": 4}
    run_batch(BatchOptions(output=alone, **common), screener=screener)
    report = run_batch(
        BatchOptions(output=spread, dask_client=dask_client, database_url=url, **common),
        screener=screener,
    )
    assert len(dask_client.scheduler_info()["workers"]) == 2
    assert sorted(spread.read_bytes().splitlines()) == sorted(alone.read_bytes().splitlines())
    assert spread.read_bytes() == alone.read_bytes()  # written in input order, even
    assert (report.lines, report.errors) == (39, 4)


def test_workers_with_another_catalogue_are_refused_before_and_during_a_run(
    batch_app, screener, caseload, tmp_path, dask_client
):  # type: ignore[no-untyped-def]
    from rechtenverkenner.batch import cluster
    from rechtenverkenner.batch.runner import chunks, open_input, output_spec

    source = Path(batch_app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    copy = tmp_path / "changing.sqlite3"
    shutil.copy(source, copy)
    url = f"sqlite:///{copy}"
    options = BatchOptions(
        input=caseload, output=tmp_path / "x.jsonl", reference_date=date(2025, 6, 1)
    )
    taken: list[Any] = []

    def run(work: Any, fingerprint: str) -> None:
        with caseload.open("rb") as stream:
            defaults, _items = open_input(stream, options, after=0, input_format="jsonl")
        cluster.run_on_dask(
            work,
            taken.append,
            defaults=defaults,
            output=output_spec(screener, "jsonl"),
            fingerprint=fingerprint,
            workers=0,
            scheduler=None,
            database_url=url,
            client=dask_client,
        )

    with pytest.raises(cluster.CatalogueMismatch, match="another catalogue"):
        run(iter([]), "0" * 64)  # before: every worker is asked first

    def changing() -> Any:
        with caseload.open("rb") as stream:
            _defaults, items = open_input(stream, options, after=0, input_format="jsonl")
            for index, chunk in chunks(items, 4):
                if index == 1:  # someone publishes a new amount; the workers start afresh
                    publish_new_amount(copy)
                    dask_client.run(cluster._SCREENERS.clear)  # the URL they were sent stays
                yield index, chunk

    with pytest.raises(cluster.CatalogueMismatch) as caught:
        run(changing(), screener.fingerprint)  # during: a chunk comes back from another one
    assert "error" not in str(caught.value)  # a catalogue that loads, only another one
    dask_client.run(cluster._SCREENERS.clear)


def publish_new_amount(database: Path) -> None:
    with sqlite3.connect(database) as db:
        (values,) = db.execute(
            "SELECT \"values\" FROM parameter WHERE name = 'vt.inkomensgrens_basis'"
        ).fetchone()
        changed = json.loads(values)
        changed[-1]["value"] = "99999.99"
        db.execute(
            "UPDATE parameter SET \"values\" = ? WHERE name = 'vt.inkomensgrens_basis'",
            (json.dumps(changed),),
        )


# -- personal data -----------------------------------------------------------------------------


def database_text(url: str) -> str:
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(str(db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)


def test_no_personal_data_reaches_a_log_or_the_database(
    batch_app, screener, caseload, tmp_path, caplog, capfd, dask_client
):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    out = tmp_path / "results.jsonl"
    result = invoke(batch_app, str(caseload), str(out), "--workers", "0", "--reference-date", ON)
    assert result.exit_code == 0
    url = batch_app.config["DATABASE_URL"]
    run_batch(
        BatchOptions(
            input=caseload,
            output=tmp_path / "spread.jsonl",
            reference_date=date(2025, 6, 1),
            dask_client=dask_client,
            database_url=url,
        ),
        screener=screener,
    )
    assert MARKER in out.read_text()  # the output the user asked for has it
    captured = capfd.readouterr()
    assert MARKER not in caplog.text
    assert MARKER not in captured.out + captured.err  # worker processes included
    assert MARKER not in result.stderr + result.stdout
    assert "client-1" not in caplog.text + result.stderr  # ids neither
    assert MARKER not in database_text(url)
    assert out.stat().st_mode & 0o077 == 0  # the output is readable by its owner only
