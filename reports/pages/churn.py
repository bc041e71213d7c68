"""The churn page: monthly churn rate, churned organisations, the at-risk list."""

from __future__ import annotations

from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import forms, metrics, selectors
from reports.pages.base import (
    PALETTE,
    Report,
    churn_hint,
    kpi_table_for,
    months_back,
    url_or_none,
    user_name,
)
from reports.tables import Chart, Column, Kpi, Table, display


class Churn(Report):
    slug = "churn"
    url_name = "reports:churn"
    title = gettext_lazy("Churn")
    intro = gettext_lazy("Organisations lost, why they left, and the ones to call before they do.")
    form_class = forms.ChurnForm
    template = "reports/churn.html"
    tables = {"kpis": "kpi_rows", "months": "month_table", "reasons": "reason_table",
              "churned": "live_churned", "at-risk": "at_risk_table"}

    @cached_property
    def months(self):
        first = min(self.previous.start, months_back(self.period.end, 11))
        return selectors.churn_months(first, self.period.end)

    @cached_property
    def rates(self):
        return {"current": selectors.churn_for(self.period), "previous": selectors.churn_for(self.previous)}

    @cached_property
    def risk(self):
        return selectors.at_risk(self.filters)

    @property
    def has_data(self) -> bool:
        return bool(self.months)

    @cached_property
    def kpis(self):
        cur, prev = self.rates["current"], self.rates["previous"]
        return [
            Kpi("churn", _("Churn rate"), cur["rate"], prev["rate"], kind="pct", better="down",
                hint=churn_hint(cur)),
            Kpi("at_risk", _("At risk now"), self.risk["at_risk"], None, better="down", compare=False,
                hint=_("Health score below the at-risk line")),
            Kpi("watch", _("To watch now"), self.risk["watch"], None, better="down", compare=False,
                hint=_("Health score between the two lines")),
        ]

    @cached_property
    def kpi_rows(self):
        return kpi_table_for(self.kpis)

    @cached_property
    def month_table(self):
        start = months_back(self.period.end, 11)
        rows = [{"month": row.month, "active_at_start": row.active_at_start, "new": row.new, "churned": row.churned,
                 "reactivated": row.reactivated, "rate": metrics.churn_rate(row.churned, row.active_at_start)}
                for row in self.months if row.month >= min(start, self.period.start.replace(day=1))]
        return Table("months", _("Churn per month"), [
            Column("month", _("Month"), "month"), Column("active_at_start", _("Active at start"), "int"),
            Column("new", _("New"), "int"), Column("churned", _("Churned"), "int"),
            Column("reactivated", _("Reactivated"), "int"), Column("rate", _("Churn rate"), "pct"),
        ], rows, empty=_("No monthly figures yet."))

    @cached_property
    def reason_table(self):
        rows = [{"reason": row["reason"] or _("No reason given"), "count": row["count"]}
                for row in selectors.churn_reasons(self.period, self.filters)]
        return Table("reasons", _("Why they left"), [Column("reason", _("Reason")),
                                                      Column("count", _("Organisations"), "int")],
                     rows, empty=_("No organisation churned in this period."))

    def live_churned(self, export=False):
        page, changes, total = self._paginate(selectors.churned_organisations(self.period, self.filters), export)
        rows = ({"organization": change.organization.name,
                 "organization_url": url_or_none("care:organization-360", change.organization_id),
                 "tier": change.organization.get_tier_display(), "effective_on": change.effective_on,
                 "reason": change.reason or _("No reason given"), "note": change.note,
                 "by": user_name(change.changed_by.name, change.changed_by.email) if change.changed_by else "—"}
                for change in changes)
        return Table("churned", _("Churned organisations"), [
            Column("organization", _("Organisation")), Column("tier", _("Tier")),
            Column("effective_on", _("Churned on"), "date"), Column("reason", _("Reason")),
            Column("note", _("Note"), "longtext"), Column("by", _("Marked by")),
        ], rows if export else list(rows), page=page, total=total,
            empty=_("No organisation churned in this period."))

    @cached_property
    def at_risk_table(self):
        rows = [{"organization": score.organization.name,
                 "organization_url": url_or_none("care:organization-360", score.organization_id),
                 "tier": score.organization.get_tier_display(), "score": score.score,
                 "band": score.get_band_display(),
                 "band_css": "badge-risk-at-risk" if score.band == score.Band.AT_RISK else "badge-risk-watch",
                 "reasons": ", ".join(score.top_reasons) or "—",
                 "account_manager": user_name(score.organization.account_manager.name,
                                               score.organization.account_manager.email)
                 if score.organization.account_manager else "—",
                 "computed_at": score.computed_at} for score in self.risk["rows"]]
        return Table("at-risk", _("At risk and to watch"), [
            Column("organization", _("Organisation")), Column("tier", _("Tier")), Column("score", _("Health"), "int"),
            Column("band", _("Band")), Column("reasons", _("Main reasons"), "longtext"),
            Column("account_manager", _("Account manager")), Column("computed_at", _("Computed"), "datetime"),
        ], rows, empty=_("No organisation is at risk or on the watch list. Health scores are computed every night."),
            total=self.risk["at_risk"] + self.risk["watch"],
            more_url=url_or_none("care:at-risk"), more_label=_("All at-risk customers"),
            note=_("The lowest %(count)s health scores; the reasons are the signals that cost the most points.")
            % {"count": selectors.AT_RISK_ROWS})

    @cached_property
    def charts(self):
        months = self.month_table.rows
        return {"trend": Chart("chart-churn", _("Churn rate per month"), "bar",
                               [display(row["month"], "short_month") for row in months], [
            {"label": _("Churn rate"), "data": [row["rate"] for row in months], "color": PALETTE["red"]},
        ], self.month_table, unit="pct"),
            "reasons": Chart("chart-reasons", _("Why they left"), "doughnut",
                             [row["reason"] for row in self.reason_table.rows],
                             [{"label": _("Organisations"), "data": [row["count"] for row in self.reason_table.rows]}],
                             self.reason_table)}
