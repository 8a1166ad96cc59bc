"""Every worked example in catalog/examples/ is a test of its own; coverage of kinds and rights."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from rechtenverkenner.catalog.loader import CatalogError, read_catalog
from rechtenverkenner.rules.conditions import KINDS
from rechtenverkenner.rules.examples import run_case

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
DATA = read_catalog(CATALOG, run_examples=False)
PLACES = DATA.places()


@pytest.mark.parametrize("case", DATA.examples, ids=lambda c: f"{c.file}::{c.label}")
def test_worked_example(case):  # type: ignore[no-untyped-def]
    assert run_case(case, DATA.parameters, PLACES) is None


def _expectations(folder: str) -> dict[str, set[str]]:
    found: defaultdict[str, set[str]] = defaultdict(set)
    for case in DATA.examples:
        *_, sub, name = case.file.split("/")
        if sub == folder:
            found[Path(name).stem].add("discretionary" if case.discretionary else case.expect)
    return found


def test_every_condition_kind_has_examples_of_each_answer():
    found = _expectations("kinds")
    assert set(found) == set(KINDS)
    for kind, answers in found.items():
        if KINDS[kind].discretionary:
            assert "discretionary" in answers, kind
        else:
            assert {"eligible", "not_eligible", "unknown"} <= answers, kind


def test_every_current_right_with_conditions_has_examples():
    found = _expectations("rights")
    current = {slug for slug, r in DATA.rights.items() if r["criteria"] and not r["archived"]}
    assert current - set(found) == set()
    for slug in current:
        answers = found[slug]
        assert "not_eligible" in answers or "discretionary" in answers, slug
        assert "unknown" in answers or "discretionary" in answers, slug
        assert answers & {"eligible", "discretionary"}, slug


def test_a_wrong_example_fails_naming_file_and_case(catalog_copy: Path):
    folder = catalog_copy / "examples" / "kinds"
    folder.mkdir(parents=True)
    (folder / "age.yaml").write_text(
        "kind: age\n"
        "cases:\n"
        "  - name: Right one\n"
        "    date: 2025-06-01\n"
        "    criteria: [{kind: age, min: 18}]\n"
        "    profile: {age: 40}\n"
        "    expect: eligible\n"
        "  - name: Deliberately wrong\n"
        "    date: 2025-06-01\n"
        "    criteria: [{kind: age, min: 18}]\n"
        "    profile: {age: 12}\n"
        "    expect: eligible\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        read_catalog(catalog_copy)
    messages = [str(issue) for issue in caught.value.issues]
    assert messages == [
        "catalog/examples/kinds/age.yaml: cases[1] (Deliberately wrong): "
        "expected eligible, got not_eligible; conditions not met: age=False"
    ]


def test_an_example_with_a_bad_profile_names_the_field(catalog_copy: Path):
    folder = catalog_copy / "examples" / "kinds"
    folder.mkdir(parents=True)
    (folder / "age.yaml").write_text(
        "kind: age\ncases:\n  - name: Typo\n    date: 2025-06-01\n"
        "    criteria: [{kind: age, min: 18}]\n    profile: {agee: 40}\n    expect: eligible\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        read_catalog(catalog_copy)
    assert [str(i) for i in caught.value.issues] == [
        "catalog/examples/kinds/age.yaml: cases[0].profile.agee: unknown key"
    ]


def test_an_example_for_an_unknown_right_is_an_error(catalog_copy: Path):
    folder = catalog_copy / "examples" / "rights"
    folder.mkdir(parents=True)
    (folder / "nergens.yaml").write_text(
        "right: nergens\ncases:\n  - {name: x, date: 2025-06-01, expect: unknown}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        read_catalog(catalog_copy)
    assert [str(i) for i in caught.value.issues] == [
        "catalog/examples/rights/nergens.yaml: right: unknown right 'nergens'"
    ]
