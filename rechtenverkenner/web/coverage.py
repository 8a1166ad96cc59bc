"""The Kenniscentrum's coverage page (/redactie/dekking), for admins only.

Which centrumsteden and the VGC made a right from which model entry, as a table and as a bar
chart drawn in SVG on the server (no JavaScript), and which rights nobody checked for a year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template

from ..accounts.policy import Forbidden, NotLoggedIn
from ..db import get_session
from ..editor.coverage import Coverage, coverage
from ..i18n import pick
from .auth import current_actor
from .views import bp, lang

# Chart geometry in SVG user units: 320 wide fits a 360 px screen without scaling.
CHART_WIDTH = 320
BAR_MAX = 270  # the track: every model entry added; the count is written after it
ROW_HEIGHT = 38
LABEL_Y = 14  # baseline of the city name, from the top of its row
BAR_Y = 19
BAR_HEIGHT = 14


@dataclass(frozen=True)
class Bar:
    """One bar of the chart, in SVG user units."""

    label: str
    count: int
    total: int
    width: int
    y: int

    @property
    def label_y(self) -> int:
        return self.y + LABEL_Y

    @property
    def bar_y(self) -> int:
        return self.y + BAR_Y

    @property
    def value_y(self) -> int:
        return self.y + BAR_Y + BAR_HEIGHT - 2


def chart_bars(result: Coverage, language: str) -> list[Bar]:
    """One bar per row: its length is the share of the model entries the city added."""
    total = len(result.templates)
    return [
        Bar(
            label=pick(row.name, language),
            count=row.added_count,
            total=total,
            width=round(BAR_MAX * row.added_count / total) if total else 0,
            y=index * ROW_HEIGHT,
        )
        for index, row in enumerate(result.rows)
    ]


@bp.route("/redactie/dekking")
def coverage_overview():  # type: ignore[no-untyped-def]
    actor = current_actor()
    if actor is None:
        raise NotLoggedIn()
    if not actor.is_admin:
        raise Forbidden(f"{actor.email} is no admin")
    language = lang()
    result = coverage(get_session(), date.today())
    bars = chart_bars(result, language)
    return render_template(
        "editor/coverage.html",
        result=result,
        bars=bars,
        chart={
            "width": CHART_WIDTH,
            "height": max(len(bars), 1) * ROW_HEIGHT,
            "track": BAR_MAX,
            "bar_height": BAR_HEIGHT,
            "value_x": BAR_MAX + 6,
        },
        text=lambda value: pick(value, language),
    )
