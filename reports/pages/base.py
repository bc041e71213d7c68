"""The shared parts of the dashboard pages: the page base class, formatting helpers, the KPI table."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from reports import clock, forms, metrics, selectors
from reports.tables import Column, Table, display, kpi_table

PALETTE = {"primary": "#4f46e5", "green": "#059669", "amber": "#d97706", "red": "#dc2626", "slate": "#64748b",
           "sky": "#0284c7", "violet": "#7c3aed"}


def label_of(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or "—"


def day_label(day) -> str:
    return display(day, "day")


def user_name(name, email) -> str:
    return name or email or _("Unassigned")


def url_or_none(name, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a page another part of the product adds later
        return None


class Report:
    slug = ""
    url_name = ""
    title = ""
    intro = ""
    form_class = forms.ReportForm
    template = ""
    tables: dict[str, str] = {}

    def __init__(self, form, page_number=1):
        self.form = form
        self.period = form.period
        self.previous = form.period.previous
        self.filters = form.filters
        self.page_number = page_number

    def table(self, slug: str, export: bool = False) -> Table | None:
        method = self.tables.get(slug)
        if method is None:
            return None
        return getattr(self, method)(export=export) if method.startswith("live_") else getattr(self, method)

    @property
    def has_data(self) -> bool:
        return True

    def _paginate(self, queryset, export: bool):
        """A live list: the whole queryset for an export, else one page of 25 (two queries)."""
        if export:
            return None, queryset.iterator(chunk_size=500), None
        page = Paginator(queryset, selectors.LIVE_PAGE_SIZE).get_page(self.page_number)
        return page, list(page.object_list), page.paginator.count

    # ------------------------------------------------------------ shared support figures

    @cached_property
    def support(self):
        return selectors.support_totals(self.period, self.filters)

    @cached_property
    def support_days(self):
        return selectors.support_series(self.period, self.filters)

    @staticmethod
    def sla_percent(figures) -> float | None:
        met, breached = figures.get("sla_met") or 0, figures.get("sla_breached") or 0
        return metrics.ratio(met, met + breached)


def kpi_table_for(kpis) -> Table:
    return Table("kpis", _("Key figures"), [
        Column("label", _("Figure")), Column("unit", _("Unit")), Column("current", _("This period")),
        Column("previous", _("Previous period")), Column("delta", _("Change")), Column("direction", _("Direction")),
    ], kpi_table(kpis))


def months_back(day, count: int):
    year, month = day.year, day.month - count
    while month <= 0:
        month += 12
        year -= 1
    return day.replace(year=year, month=month, day=1)


def churn_hint(figures) -> str:
    """Of how many organisations the period's churn rate is."""
    if not figures["active_at_start"]:
        return _("No active organisations at the start of the period")
    return _("%(churned)s of %(active)s active at the start") % {
        "churned": figures["churned"], "active": figures["active_at_start"]}


def local_day(moment):
    return moment.astimezone(clock.report_timezone()).date() if moment else None


