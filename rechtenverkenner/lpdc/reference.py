"""Reference data the exchange reads from the database: the territory (municipalities)."""

from __future__ import annotations

from sqlmodel import Session, select

from ..catalog.models import Municipality
from .mapping import Geography, Place


def load_geography(*, session: Session) -> Geography:
    """Every municipality (ended ones too, for the 2025 mergers) with its NUTS/LAU code."""
    places = {
        m.nis_code: Place(
            nis=m.nis_code,
            nuts=m.nuts_code,
            arrondissement=m.arrondissement_nis,
            province=m.province_nis,
            region=m.region,
            valid_until=m.valid_until,
            successor=m.successor_nis,
        )
        for m in session.exec(select(Municipality))
    }
    return Geography(places)
