"""Coverage of the model entries for the Kenniscentrum: the computation and the admin page."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest
from sqlmodel import Session, select

from rechtenverkenner.accounts.services import actor_for, create_user, get_user, grant
from rechtenverkenner.catalog.loader import read_catalog
from rechtenverkenner.catalog.models import EntryTemplate, Right, RightStatus
from rechtenverkenner.catalog.services import load_catalog
from rechtenverkenner.db import get_engine, session_scope
from rechtenverkenner.editor import services as editor
from rechtenverkenner.editor.coverage import CENTRUMSTEDEN, coverage, months_before
from rechtenverkenner.web import coverage as coverage_pages  # adds /redactie/dekking to web

PASSWORD = "correct horse battery staple"
TODAY = date(2026, 12, 1)
_numbers = itertools.count()


@pytest.fixture(scope="module")
def fresh_app(databases, mini_catalog):  # type: ignore[no-untyped-def]
    """An app of its own holding only the mini catalogue, so other tests' rights do not count."""
    from conftest import make_test_app

    app = make_test_app(databases.create(), mini_catalog)
    with session_scope(app) as session:
        load_catalog(session=session, data=read_catalog(mini_catalog))
    yield app
    app.extensions["rv_engine"].dispose()


@pytest.fixture
def scratch(fresh_app):  # type: ignore[no-untyped-def]
    """A session whose changes are rolled back: every test starts from the mini catalogue."""
    with Session(get_engine(fresh_app), expire_on_commit=False) as session:
        yield session
        session.rollback()


def person(session, role, administration=None):  # type: ignore[no-untyped-def]
    email = f"coverage-{role}-{next(_numbers)}@example.org"
    create_user(session=session, email=email, name=email, password=PASSWORD)
    grant(session=session, email=email, role=role, administration_id=administration)
    return email, actor_for(session=session, user=get_user(session=session, email=email))


def model_id(session) -> str:  # type: ignore[no-untyped-def]
    return session.exec(select(EntryTemplate).where(EntryTemplate.slug == "testmodel")).one().id


def add_right(session, template_id, administration):  # type: ignore[no-untyped-def]
    _email, actor = person(session, "editor", administration)
    return editor.instantiate(session, actor, template_id, administration)


def add_template(session, slug: str, archived: bool = False) -> str:  # type: ignore[no-untyped-def]
    template = EntryTemplate(
        slug=slug,
        iri=f"https://example.org/model/{slug}",
        title={"nl": slug.capitalize()},
        level="local",
        archived=archived,
    )
    session.add(template)
    session.flush()
    return template.id


def row(result, key):  # type: ignore[no-untyped-def]
    return next(r for r in result.rows if r.key == key)


# -- the computation ---------------------------------------------------------------------------


def test_every_centrumstad_and_the_vgc_has_a_row(scratch):  # type: ignore[no-untyped-def]
    result = coverage(scratch, TODAY)
    assert [r.key for r in result.rows] == [nis for nis, _name in CENTRUMSTEDEN] + ["vgc"]
    assert len(result.rows) == 14
    assert row(result, "44021").name["nl"] == "Gent"
    assert set(row(result, "44021").administration_ids) == {"stad-gent", "ocmw-gent"}
    assert row(result, "vgc").administration_ids == ("vgc",)
    assert [t.slug for t in result.templates] == ["testmodel"]


def test_a_right_from_a_model_entry_counts_for_the_city_or_its_ocmw(scratch):  # type: ignore[no-untyped-def]
    model = model_id(scratch)
    other = add_template(scratch, "zwemkorting")
    add_template(scratch, "oud-model", archived=True)
    add_right(scratch, model, "ocmw-antwerpen")  # the OCMW counts for its city
    add_right(scratch, other, "vgc")
    result = coverage(scratch, TODAY)

    assert [t.slug for t in result.templates] == ["testmodel", "zwemkorting"]  # not archived
    gent = row(result, "44021")  # gent-testrecht (stad-gent) in the mini catalogue
    assert gent.added == {model: True, other: False}
    assert gent.added_count == 1
    assert row(result, "11002").added == {model: True, other: False}
    assert row(result, "11002").rights == 2  # antwerpen-testrecht is not from a model entry
    assert row(result, "vgc").added == {model: False, other: True}
    aalst = row(result, "41002")
    assert aalst.added == {model: False, other: False}
    assert aalst.added_count == 0
    assert aalst.rights == 0
    assert result.added_by(model) == 2
    assert result.added_by(other) == 1


def test_a_right_of_another_municipality_or_level_does_not_count(scratch):  # type: ignore[no-untyped-def]
    model = model_id(scratch)
    add_right(scratch, model, "provincie-vlaams-brabant")
    result = coverage(scratch, TODAY)
    assert row(result, "24062").added == {model: False}  # Leuven, in Vlaams-Brabant
    assert result.added_by(model) == 1  # Gent only


def test_an_archived_right_does_not_count(scratch):  # type: ignore[no-untyped-def]
    model = model_id(scratch)
    gent = scratch.exec(select(Right).where(Right.slug == "gent-testrecht")).one()
    gent.status = RightStatus.archived
    gent.archived = True
    scratch.add(gent)
    scratch.flush()
    result = coverage(scratch, TODAY)
    assert row(result, "44021").added == {model: False}
    assert "gent-testrecht" not in {s.slug for s in result.stale}


def test_rights_are_stale_when_checked_more_than_12_months_ago_or_never(scratch):  # type: ignore[no-untyped-def]
    # The mini catalogue's rights were checked on 2026-11-28.
    assert coverage(scratch, TODAY).stale == []
    assert coverage(scratch, date(2027, 11, 28)).stale == []  # exactly 12 months: not yet
    late = coverage(scratch, date(2027, 11, 29))
    assert late.checked_before == date(2027, 11, 29).replace(year=2026)
    assert {s.slug for s in late.stale} == {
        "antwerpen-testrecht",
        "brussel-testrecht",
        "federaal-testrecht",
        "gent-testrecht",
        "provinciaal-testrecht",
        "vlaams-testrecht",
    }

    draft = add_right(scratch, model_id(scratch), "stad-aalst")
    draft.last_checked = None
    scratch.add(draft)
    old = scratch.exec(select(Right).where(Right.slug == "gent-testrecht")).one()
    old.last_checked = date(2025, 6, 30)
    scratch.add(old)
    scratch.flush()
    stale = coverage(scratch, TODAY).stale
    assert [s.slug for s in stale] == [draft.slug, "gent-testrecht"]  # never checked first
    never, gent = stale
    assert never.status == "draft"
    assert never.last_checked is None
    assert never.owner_id == "stad-aalst"
    assert gent.title["nl"] == "Gents testrecht"
    assert gent.owner_name["nl"] == "Stad Gent"
    assert gent.last_checked == date(2025, 6, 30)


def test_twelve_months_before_a_leap_day_is_the_end_of_february():
    assert months_before(date(2028, 2, 29), 12) == date(2027, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)


def test_the_chart_has_one_bar_per_row_as_long_as_its_share(scratch):  # type: ignore[no-untyped-def]
    add_template(scratch, "zwemkorting")
    bars = coverage_pages.chart_bars(coverage(scratch, TODAY), "nl")
    assert len(bars) == 14
    gent = next(b for b in bars if b.label == "Gent")
    assert (gent.count, gent.total) == (1, 2)
    assert gent.width == coverage_pages.BAR_MAX // 2
    assert {b.width for b in bars if b.label != "Gent"} == {0}
    assert bars[-1].label == "VGC (Brussel)"
    assert bars[1].y > bars[0].y


# -- the page ----------------------------------------------------------------------------------


def login_as(web_app, web, role, administration=None):  # type: ignore[no-untyped-def]
    with session_scope(web_app) as session:
        email, _actor = person(session, role, administration)
    response = web.post(
        "/inloggen?next=/redactie/dekking", data={"email": email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def test_anonymous_visitors_are_sent_to_the_login_page(web):  # type: ignore[no-untyped-def]
    response = web.get("/redactie/dekking")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen")


def test_an_editor_may_not_see_the_coverage(web_app, web):  # type: ignore[no-untyped-def]
    login_as(web_app, web, "editor", "ocmw-gent")
    assert web.get("/redactie/dekking").status_code == 403


def test_an_admin_sees_table_chart_and_stale_rights(web_app, web, monkeypatch):  # type: ignore[no-untyped-def]
    login_as(web_app, web, "admin")

    class InTwoYears(date):
        @classmethod
        def today(cls):  # type: ignore[no-untyped-def,override]
            return date(2028, 12, 1)

    monkeypatch.setattr(coverage_pages, "date", InTwoYears)
    response = web.get("/redactie/dekking?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    main = page.split('<main id="main"', 1)[1]
    assert "<script" not in main  # works without JavaScript
    assert "style=" not in main  # no inline styles: the chart uses SVG attributes
    table = re.search(r'<div class="scroll".*?</table>', main, re.S).group(0)
    assert '<th scope="col">Test model</th>' in table
    assert re.search(r'<th scope="row">Gent</th>\s*<td class="yes">.*✓.*added</td>', table)
    assert re.search(r'<th scope="row">Aalst</th>\s*<td class="no">not yet</td>', table)
    assert "VGC (Brussels)" in table
    svg = re.search(r"<svg.*?</svg>", main, re.S).group(0)
    assert svg.count("<title>") == 14
    assert re.search(r"<title>Gent: [1-9]\d* of \d+ model entries added</title>", svg)
    assert re.search(r"<text [^>]*>Gent</text>", svg)
    assert re.search(r'<rect x="0" y="\d+" width="[1-9]\d*" height="14" fill="#0b5ea8">', svg)
    assert "Rights not checked for 12 months" in main
    assert "gent-testrecht" in main.split("Rights not checked for 12 months", 1)[1]
    assert "2026-11-28" in main
