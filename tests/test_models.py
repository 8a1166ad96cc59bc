"""Database invariants hold on both back ends."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from rechtenverkenner.catalog.models import Municipality, Postcode, RecordItem, Right
from rechtenverkenner.db import get_engine


@pytest.fixture
def session(empty_app):  # type: ignore[no-untyped-def]
    with Session(get_engine(empty_app)) as session:
        yield session
        session.rollback()


def add_municipality(session: Session) -> None:
    session.add(
        Municipality(
            nis_code="44021",
            name_nl="Gent",
            name_fr="Gand",
            arrondissement_nis="44000",
            region="flanders",
            valid_from=date(1977, 1, 1),
        )
    )
    session.flush()


def test_a_postcode_is_unique_per_municipality(session):
    add_municipality(session)
    session.add(Postcode(postcode="9000", nis_code="44021"))
    session.add(Postcode(postcode="9000", nis_code="44021"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_a_postcode_needs_a_known_municipality(session):
    session.add(Postcode(postcode="9000", nis_code="99999"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_a_child_item_has_exactly_one_owner(session):
    session.add(RecordItem(list_name="requirements", title={"nl": "x"}))
    with pytest.raises(IntegrityError):
        session.flush()


def test_language_maps_and_code_lists_round_trip(session):
    right = Right(
        slug="x",
        iri="http://data.lblod.info/id/public-service/x",
        level="local",
        title={"nl": "Één", "fr": "Un"},
        themes=["WelzijnGezondheid"],
        scope={"municipalities": ["44021"]},
        last_checked=date(2026, 11, 28),
    )
    session.add(right)
    session.commit()
    session.expire_all()
    loaded = session.exec(select(Right).where(Right.slug == "x")).one()
    assert loaded.title == {"nl": "Één", "fr": "Un"}
    assert loaded.themes == ["WelzijnGezondheid"]
    assert loaded.last_checked == date(2026, 11, 28)
    assert loaded.status == "draft"
    session.delete(loaded)
    session.commit()


def test_slugs_are_unique(session):
    for _i in range(2):
        session.add(Right(slug="dup", iri=f"http://x/{_i}", level="local"))
    with pytest.raises(IntegrityError):
        session.flush()
