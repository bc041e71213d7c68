"""What a dashboard shows, independent of HTML or CSV: KPI cards, charts and tables.

A ``Table`` holds raw values; the page and the CSV export format the same rows, so the download
always matches what is on screen. Charts carry their own accessible table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from helpdesk.templatetags.dates import day_text, exact
from reports import metrics
from reports.clock import report_timezone

EMPTY = "—"


def _number(value, decimals: int) -> str:
    return formats.number_format(round(value, decimals), decimals, use_l10n=True, force_grouping=True)


def format_minutes(minutes) -> str:
    """42 min, 5.94 min, 3.5 h, 2.1 d."""
    if minutes is None:
        return EMPTY
    if minutes < 10:
        return _("%(value)s min") % {"value": _number(minutes, 2)}
    if minutes < 60:
        return _("%(value)s min") % {"value": _number(minutes, 0)}
    if minutes < 24 * 60:
        return _("%(value)s h") % {"value": _number(minutes / 60, 1)}
    return _("%(value)s d") % {"value": _number(minutes / (24 * 60), 1)}


def display(value, kind: str) -> str:
    """A value as the page shows it."""
    if value is None or value == "":
        return EMPTY
    if kind == "int":
        return _number(value, 0)
    if kind == "pct":
        return f"{_number(value, 1)} %"
    if kind == "score":
        return _number(value, 1)
    if kind == "nps":
        rounded = round(value)
        return f"+{rounded}" if rounded > 0 else f"−{abs(rounded)}" if rounded < 0 else "0"
    if kind == "minutes":
        return format_minutes(value)
    if kind == "hours":
        if value >= 48:
            return _("%(value)s d") % {"value": _number(value / 24, 1)}
        return _("%(value)s h") % {"value": _number(value, 1)}
    if kind == "date":  # the one house format of a calendar date, as {% day %} shows it
        return day_text(value)
    if kind == "day":  # chart axes: short, the year is in the page's range ("Nov 2", "11月2日")
        return formats.date_format(value, pgettext("chart axis date format, see the date template filter", "M j"))
    if kind == "month":
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if kind == "short_month":
        return formats.date_format(value, pgettext("chart axis month format, see the date template filter", "M Y"))
    if kind == "datetime":  # the exact moment, as {% when %} shows it on hover
        return exact(value)
    return str(value)


def export(value, kind: str):
    """A value as the CSV has it: plain numbers (minutes, hours, per cent), ISO dates. A number stays a number
    in a text column too (the key figures' "this period" holds every kind), so it is never formula-guarded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if kind not in NUMERIC and isinstance(value, int | float | Decimal):
        return value
    if kind == "int":
        return int(round(value))
    if kind in ("pct", "nps", "hours"):
        return round(value, 1)
    if kind in ("score", "minutes"):
        return round(value, 2)
    if kind == "month" and isinstance(value, date):
        return value.strftime("%Y-%m")
    if kind == "datetime" and isinstance(value, datetime):
        return value.astimezone(report_timezone()).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


UNITS = {"minutes": "min", "hours": "h", "pct": "%"}
NUMERIC = {"int", "pct", "score", "nps", "minutes", "hours"}


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def csv_label(self) -> str:
        unit = UNITS.get(self.kind)
        return f"{self.label} ({unit})" if unit else str(self.label)


@dataclass
class Table:
    """Rows are dicts of raw values by column key; ``<key>_url`` makes a cell a link."""

    slug: str
    title: str
    columns: list[Column]
    rows: list[dict]
    empty: str = ""
    note: str = ""
    page: object = None  # a Paginator page, for live lists
    total: int | None = None  # live lists: how many there are in all
    more_url: str | None = None  # a page with the whole list
    more_label: str = ""

    def html_rows(self) -> list[list[dict]]:
        return [[{"text": display(row.get(column.key), column.kind), "url": row.get(f"{column.key}_url"),
                  "numeric": column.numeric, "wide": column.kind == "longtext",
                  "css": row.get(f"{column.key}_css", "")}
                 for column in self.columns] for row in self.rows]

    def csv_header(self) -> list[str]:
        return [column.csv_label for column in self.columns]

    def csv_rows(self):
        for row in self.rows:
            yield [export(row.get(column.key), column.kind) for column in self.columns]


@dataclass
class Chart:
    """A Chart.js chart (drawn by static/reports/reports.js) and the table that says the same in words."""

    id: str
    title: str
    type: str  # line, bar, doughnut
    labels: list[str]
    datasets: list[dict]
    table: Table
    unit: str = "int"  # how the y axis and tooltips format values
    stacked: bool = False
    y_min: float | None = None
    y_max: float | None = None

    @property
    def is_empty(self) -> bool:
        return not any(value not in (None, 0) for dataset in self.datasets for value in dataset["data"])

    def config(self) -> dict:
        return {"type": self.type, "labels": [str(label) for label in self.labels], "unit": self.unit,
                "stacked": self.stacked, "title": str(self.title), "yMin": self.y_min, "yMax": self.y_max,
                "words": {"min": _("min"), "h": _("h"), "d": _("d")},
                "datasets": [{**dataset, "label": str(dataset["label"]),
                              "data": [None if value is None else round(float(value), 2) for value in dataset["data"]]}
                             for dataset in self.datasets]}


@dataclass
class Kpi:
    """A KPI card: this period against the previous one, coloured by whether the move is good news."""

    key: str
    label: str
    current: float | None
    previous: float | None
    kind: str = "int"
    better: str | None = "up"  # up, down, or None when neither is good news
    hint: str = ""
    compare: bool = True  # False for figures of today with no earlier value to compare with
    change: dict = field(init=False)

    def __post_init__(self):
        self.change = metrics.change(self.current, self.previous)

    @property
    def display(self) -> str:
        return display(self.current, self.kind)

    @property
    def previous_display(self) -> str:
        return display(self.previous, self.kind)

    @property
    def arrow(self) -> str:
        return {"up": "▲", "down": "▼", "flat": "■"}.get(self.change["direction"], "")

    @property
    def tone(self) -> str:
        direction = self.change["direction"]
        if direction in (None, "flat") or self.better is None:
            return "neutral"
        return "good" if direction == self.better else "bad"

    @property
    def delta_display(self) -> str:
        """Per cent for counts and durations, points for rates and scores."""
        delta = self.change["delta"]
        if delta is None:
            return ""
        if self.kind in ("pct", "nps"):
            return _("%(value)s pts") % {"value": _number(abs(delta), 1)}
        if self.kind == "score":
            return _number(abs(delta), 2)
        percent = self.change["percent"]
        if percent is None:
            return _number(abs(delta), 0) if self.kind == "int" else display(abs(delta), self.kind)
        return f"{_number(abs(percent), 0)} %"

    @property
    def direction_label(self) -> str:
        direction = self.change["direction"]
        if direction == "up":
            return _("up")
        if direction == "down":
            return _("down")
        if direction == "flat":
            return _("unchanged")
        return _("no earlier figure")

    def as_row(self) -> dict:
        return {"label": self.label, "current": self.current, "previous": self.previous,
                "delta": self.change["delta"], "direction": self.direction_label}


def kpi_table(kpis: list[Kpi]) -> list[dict]:
    """KPIs as table rows, one column per kind so the CSV keeps each figure's unit."""
    return [{"label": kpi.label, "unit": UNITS.get(kpi.kind, ""), "current": export(kpi.current, kpi.kind),
             "previous": export(kpi.previous, kpi.kind),
             "delta": export(kpi.change["delta"], kpi.kind if kpi.kind != "int" else "score"),
             "direction": kpi.direction_label} for kpi in kpis]
