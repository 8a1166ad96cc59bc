"""Proactive screening of a whole caseload: every client's rights and leefloon advice at once.

An OCMW exports its caseload (CSV or JSON Lines of client profiles); `flask screen batch` and
the page /proactieve-screening answer, per client, the rights probably entitled, those unknown with
the facts that would settle them, and the leefloon advice, plus a summary over the caseload.

- `records`: reading the input, one record a line, and the CSV column mapping;
- `screener`: one record in, one answer out, over a catalogue snapshot (fast paths of rules/);
- `results`: the output lines (JSON Lines or CSV), written one by one, and resuming;
- `summary`: counts per right and the most common missing facts, and the summary file;
- `runner`: the run itself, in this process or on Dask (`cluster`), with progress;
- `cli`: the `flask screen batch` command.

The profiles are personal data: they go only to the output file the user asked for. Nothing
here logs a profile, an id or a value, or writes one to the database; problems are reported
by line number and field name only.
"""
