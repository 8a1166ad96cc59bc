"""`flask catalog check` accepts a good catalogue and names file and key for a broken one."""

from __future__ import annotations

from pathlib import Path

import pytest

from rechtenverkenner.catalog.loader import CatalogError, read_catalog
from rechtenverkenner.cli import catalog_cli

GENT = "rights/gent-testrecht.yaml"
FEDERAL = "rights/federaal-testrecht.yaml"


def replace(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_passes_on_a_good_catalogue(runner, mini_catalog):
    result = runner.invoke(catalog_cli, ["check", str(mini_catalog)])
    assert result.exit_code == 0, result.output
    assert "Catalogue OK: 6 rights, 1 model entries" in result.output


# (file, text to replace, replacement, expected key in the message)
DEFECTS = [
    (GENT, "level: local", "level: local\nlevle: local", "levle: unknown key"),
    (
        GENT,
        "last_checked: 2026-11-28",
        "last_checked: 28/11/2026",
        "last_checked: must be an ISO date",
    ),
    (GENT, "last_checked: 2026-11-28", "last_checked: 2026-02-30", "last_checked: not a valid"),
    (GENT, "themes: [CultuurSportVrijeTijd]", "themes: [Sport]", "themes[0]: unknown theme"),
    (GENT, "situations: [low_income]", "situations: [rich]", "situations[0]: unknown situation"),
    (
        GENT,
        "competent_authorities: [stad-gent]",
        "competent_authorities: [stad-atlantis]",
        "competent_authorities[0]: unknown administration",
    ),
    (GENT, "template: testmodel", "template: verdwenen", "template: unknown model entry"),
    (FEDERAL, "related: [gent-testrecht]", "related: [verdwenen]", "related[0]: unknown right"),
    (
        FEDERAL,
        "threshold: test.inkomensgrens",
        "threshold: test.bestaat_niet",
        "criteria[1].threshold: unknown parameter",
    ),
    (
        GENT,
        '{kind: residence, municipalities: ["44021"]}',
        '{kind: residence, municipalities: ["44021"], foo: 1}',
        "criteria[0].foo: unknown parameter for residence",
    ),
    (
        GENT,
        "{kind: social_investigation, by: ocmw}",
        "{kind: horoscope}",
        "criteria[1].any[1].kind: unknown condition kind",
    ),
    (
        GENT,
        'scope: {municipalities: ["44021"]}',
        'scope: {municipalities: ["44012"]}',
        "scope.municipalities[0]: unknown or ended municipality",
    ),  # De Pinte, merged in 2025
    (GENT, "level: local", "level: local\nlevel: federal", "duplicate key"),
    (
        GENT,
        'url: "https://stad.gent"',
        'url: "stad.gent"',
        "contact_points[0].url: must be an absolute http(s) URL",
    ),
    (
        "parameters/test/inkomensgrens.yaml",
        "2024-01-01:",
        "2024-1-1:",
        "values.2024-1-1: must be an ISO date",
    ),
    (
        "parameters/test/inkomensgrens.yaml",
        'value: "20000.00"',
        'value: "20000.001"',
        "at most two decimals",
    ),
    (
        "templates/testmodel.yaml",
        "confidence: medium",
        "confidence: sure",
        "confidence: Must be one of",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"), DEFECTS, ids=[d[3].split(":")[0] for d in DEFECTS]
)
def test_check_names_file_and_key_of_a_defect(runner, catalog_copy, name, old, new, expected):
    replace(catalog_copy, name, old, new)
    result = runner.invoke(catalog_cli, ["check", str(catalog_copy)])
    assert result.exit_code != 0
    assert f"catalog/{name}" in result.output
    assert expected in result.output


def test_reader_reports_every_problem_at_once(catalog_copy):
    replace(catalog_copy, GENT, "themes: [CultuurSportVrijeTijd]", "themes: [Sport]")
    replace(catalog_copy, FEDERAL, "related: [gent-testrecht]", "related: [verdwenen]")
    with pytest.raises(CatalogError) as error:
        read_catalog(catalog_copy)
    files = {issue.file for issue in error.value.issues}
    assert files == {f"catalog/{GENT}", f"catalog/{FEDERAL}"}


def test_html_is_reduced_to_the_safe_subset(mini_catalog):
    data = read_catalog(mini_catalog)
    description = data.rights["federaal-testrecht"]["description"]["nl"]
    assert "<script>" not in description
    assert description.startswith("<p>Voor iedereen")


def test_the_real_catalogue_passes_the_check(runner):
    result = runner.invoke(catalog_cli, ["check", str(Path(__file__).parent.parent / "catalog")])
    assert result.exit_code == 0, result.output
