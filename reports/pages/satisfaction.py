"""Customer pages: satisfaction and after-sales."""

from __future__ import annotations

from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.models import Survey
from reports import forms, metrics, selectors
from reports.pages.base import (
    PALETTE,
    Report,
    day_label,
    kpi_table_for,
    label_of,
    user_name,
)
from reports.tables import Chart, Column, Kpi, Table


def response_rate(figures) -> float | None:
    """Answered ÷ invitations sent in the range (DESIGN §4): an answer counts for the day its invitation went out,
    whenever it came, so the rate never passes 100 % and does not jump on a day of late answers."""
    return metrics.ratio(figures.get("answered") or 0, figures.get("invitations") or 0)


class Satisfaction(Report):
    slug = "satisfaction"
    url_name = "reports:satisfaction"
    title = gettext_lazy("Satisfaction")
    intro = gettext_lazy("Survey answers: CSAT, NPS, response rate, and what unhappy customers wrote.")
    form_class = forms.SatisfactionForm
    template = "reports/satisfaction.html"
    tables = {"kpis": "kpi_rows", "daily": "daily_table", "kinds": "kind_table", "distribution": "distribution_table",
              "products": "product_table", "comments": "comment_table"}

    @cached_property
    def totals(self):
        return selectors.satisfaction_totals(self.period, self.filters)

    @property
    def has_data(self) -> bool:
        return any(kind["current"]["invitations"] or kind["current"]["responses"] for kind in self.totals.values())

    def _all(self, side):
        figures = dict.fromkeys(selectors.SATISFACTION_FIELDS, 0)
        for kind in self.totals.values():
            for field in figures:
                figures[field] += kind[side][field]
        return figures

    @cached_property
    def kpis(self):
        csat = self.totals.get(Survey.Kind.CSAT, {})
        nps = self.totals.get(Survey.Kind.NPS, {})
        everything = {"current": self._all("current"), "previous": self._all("previous")}

        def of(kind, side, formula):
            return formula(kind[side]) if kind.get(side) else None

        def csat_mean(figures):
            return metrics.csat_mean(figures["score_sum"], figures["ratings"])

        def csat_pct(figures):
            return metrics.csat_percent(figures["top_two"], figures["ratings"])

        def nps_of(figures):
            return metrics.nps(figures["promoters"], figures["detractors"], figures["ratings"])

        def rate(figures):
            return response_rate(figures)

        return [
            Kpi("csat", _("CSAT"), of(csat, "current", csat_mean), of(csat, "previous", csat_mean), kind="score",
                hint=_("Mean score")),
            Kpi("csat_pct", _("CSAT %"), of(csat, "current", csat_pct), of(csat, "previous", csat_pct), kind="pct",
                hint=_("Ratings in the top two points")),
            Kpi("nps", _("NPS"), of(nps, "current", nps_of), of(nps, "previous", nps_of), kind="nps"),
            Kpi("response_rate", _("Response rate"), rate(everything["current"]), rate(everything["previous"]),
                kind="pct", hint=_("Invitations sent in the period that were answered, at any later time")),
            Kpi("responses", _("Answers"), everything["current"]["responses"], everything["previous"]["responses"]),
        ]

    @cached_property
    def kpi_rows(self):
        return kpi_table_for(self.kpis)

    @cached_property
    def series(self):
        return selectors.satisfaction_series(self.period, self.filters)

    @cached_property
    def daily_table(self):
        by_day = {}
        for row in self.series:
            by_day.setdefault(row["day"], {})[row["kind"]] = row
        rows = []
        for day in self.period.dates():
            kinds = by_day.get(day, {})
            csat, nps = kinds.get(Survey.Kind.CSAT), kinds.get(Survey.Kind.NPS)
            rows.append({
                "day": day,
                "csat": metrics.csat_mean(csat["score_sum"], csat["ratings"]) if csat else None,
                "csat_pct": metrics.csat_percent(csat["top_two"], csat["ratings"]) if csat else None,
                "nps": metrics.nps(nps["promoters"], nps["detractors"], nps["ratings"]) if nps else None,
                "responses": sum(row["responses"] or 0 for row in kinds.values()) if kinds else None,
            })
        return Table("daily", _("Satisfaction per day"), [
            Column("day", _("Day"), "date"), Column("csat", _("CSAT"), "score"), Column("csat_pct", _("CSAT %"), "pct"),
            Column("nps", _("NPS"), "nps"), Column("responses", _("Answers"), "int"),
        ], rows, empty=_("No survey answers in this period."))

    @cached_property
    def kind_table(self):
        rows = []
        for kind, sides in self.totals.items():
            figures = sides["current"]
            rows.append({
                "kind": label_of(Survey.Kind, kind), "invitations": figures["invitations"],
                "responses": figures["responses"],
                "response_rate": response_rate(figures),
                "ratings": figures["ratings"], "mean": metrics.csat_mean(figures["score_sum"], figures["ratings"]),
                "csat_pct": metrics.csat_percent(figures["top_two"], figures["ratings"])
                if kind != Survey.Kind.NPS else None,
                "nps": metrics.nps(figures["promoters"], figures["detractors"], figures["ratings"])
                if kind == Survey.Kind.NPS else None,
            })
        return Table("kinds", _("By survey kind"), [
            Column("kind", _("Survey kind")), Column("invitations", _("Invitations"), "int"),
            Column("responses", _("Answers"), "int"), Column("response_rate", _("Response rate"), "pct"),
            Column("ratings", _("Ratings"), "int"), Column("mean", _("Mean score"), "score"),
            Column("csat_pct", _("Top two %"), "pct"), Column("nps", _("NPS"), "nps"),
        ], rows, empty=_("No survey went out in this period."))

    @cached_property
    def distribution(self):
        return selectors.satisfaction_distribution(self.period, self.filters)

    @property
    def scale_top(self) -> int:
        """The top of the rating scale seen in the period (10 unless every rating is on a 5-point scale)."""
        csat = self.distribution.get(Survey.Kind.CSAT, {})
        return 5 if csat and max(csat) <= 5 else 10

    @cached_property
    def distribution_table(self):
        csat = self.distribution.get(Survey.Kind.CSAT, {})
        nps = self.distribution.get(Survey.Kind.NPS, {})
        top = max([*csat.keys(), *nps.keys(), 5])
        low = 0 if nps or 0 in csat else 1
        rows = [{"score": score, "csat": csat.get(score, 0) if csat else None,
                 "nps": nps.get(score, 0) if nps else None} for score in range(low, top + 1)]
        if not csat and not nps:
            rows = []
        return Table("distribution", _("Ratings per score"), [
            Column("score", _("Score"), "int"), Column("csat", _("CSAT ratings"), "int"),
            Column("nps", _("NPS ratings"), "int"),
        ], rows, empty=_("No ratings in this period."))

    @cached_property
    def product_table(self):
        rows = [{"product": row["product__name"] or _("Tickets (no product)"), "responses": row["responses"],
                 "response_rate": response_rate(row),
                 "ratings": row["ratings"], "mean": metrics.csat_mean(row["score_sum"], row["ratings"]),
                 "csat_pct": metrics.csat_percent(row["top_two"], row["ratings"])}
                for row in selectors.satisfaction_by_product(self.period, self.filters)]
        return Table("products", _("By product"), [
            Column("product", _("Product")), Column("responses", _("Answers"), "int"),
            Column("response_rate", _("Response rate"), "pct"), Column("ratings", _("Ratings"), "int"),
            Column("mean", _("Mean score"), "score"), Column("csat_pct", _("Top two %"), "pct"),
        ], rows, empty=_("No survey answers in this period."))

    @cached_property
    def comment_table(self):
        rows = []
        for response in selectors.low_score_comments(self.period, self.filters):
            invitation = response.invitation
            subject = invitation.ticket or invitation.service_request
            recipient = invitation.recipient
            rows.append({
                "when": response.updated_at, "score": f"{response.score} / {invitation.survey.score_max}",
                "score_css": "text-danger fw-semibold", "survey": invitation.survey.name,
                "customer": user_name(recipient.name, recipient.email),
                "about": subject.reference if subject else (invitation.organization or "—"),
                "about_url": subject.get_absolute_url() if subject else None, "comment": response.comment,
            })
        return Table("comments", _("Latest low scores with a comment"), [
            Column("when", _("When"), "datetime"), Column("score", _("Score")), Column("survey", _("Survey")),
            Column("customer", _("Customer")), Column("about", _("About")), Column("comment", _("Comment"), "longtext"),
        ], rows, empty=_("No low score with a comment in this period."),
            note=_("Scores of 6 or less on a 10-point scale, 2 or less on a 5-point scale; the latest 10."))

    @cached_property
    def charts(self):
        days = self.daily_table.rows
        labels = [day_label(row["day"]) for row in days]
        distribution = self.distribution_table
        return {
            "trend": Chart("chart-csat", _("CSAT per day"), "line", labels, [
                {"label": _("CSAT"), "data": [row["csat"] for row in days], "color": PALETTE["primary"]},
            ], self.daily_table, unit="score", y_max=self.scale_top),
            "nps": Chart("chart-nps", _("NPS per day"), "line", labels, [
                {"label": _("NPS"), "data": [row["nps"] for row in days], "color": PALETTE["violet"]},
            ], self.daily_table, unit="nps", y_min=-100, y_max=100),
            "distribution": Chart("chart-distribution", _("Ratings per score"), "bar",
                                  [str(row["score"]) for row in distribution.rows], [
                {"label": _("CSAT ratings"), "data": [row["csat"] for row in distribution.rows],
                 "color": PALETTE["primary"]},
                {"label": _("NPS ratings"), "data": [row["nps"] for row in distribution.rows],
                 "color": PALETTE["violet"]},
            ], distribution),
        }


class AfterSales(Report):
    slug = "after-sales"
    url_name = "reports:after-sales"
    title = gettext_lazy("After-sales")
    intro = gettext_lazy("Service requests: volume, decisions, turnaround, and quality by product and technician.")
    form_class = forms.AfterSalesForm
    template = "reports/after_sales.html"
    tables = {"kpis": "kpi_rows", "daily": "daily_table", "products": "product_table",
              "technicians": "technician_table"}

    @cached_property
    def totals(self):
        return selectors.aftersales_totals(self.period, self.filters)

    @property
    def has_data(self) -> bool:
        return any(self.totals["current"].values())

    @staticmethod
    def _rates(row):
        return {
            "approval": metrics.ratio(row.get("approved") or 0, row.get("decided") or 0),
            "turnaround": metrics.mean(row.get("turnaround_sum_hours") or 0, row.get("turnaround_count") or 0),
            "quality": metrics.csat_mean(row.get("quality_sum") or 0, row.get("quality_ratings") or 0),
        }

    @cached_property
    def kpis(self):
        cur, prev = self.totals["current"], self.totals["previous"]
        cur_rates, prev_rates = self._rates(cur), self._rates(prev)
        has_cur, has_prev = any(cur.values()), any(prev.values())
        return [
            Kpi("requests", _("Service requests"), cur["requests"] if has_cur else None,
                prev["requests"] if has_prev else None, better=None),
            Kpi("approval", _("Approval rate"), cur_rates["approval"], prev_rates["approval"], kind="pct",
                better=None, hint=_("Approved of those decided")),
            Kpi("turnaround", _("Turnaround, mean"), cur_rates["turnaround"], prev_rates["turnaround"], kind="hours",
                better="down", hint=_("Submitted to completed")),
            Kpi("completed", _("Completed"), cur["completed"] if has_cur else None,
                prev["completed"] if has_prev else None),
            Kpi("quality", _("Quality score"), cur_rates["quality"], prev_rates["quality"], kind="score",
                hint=_("Mean service survey score")),
        ]

    @cached_property
    def kpi_rows(self):
        return kpi_table_for(self.kpis)

    @cached_property
    def daily_table(self):
        rows = [{**row, "quality": metrics.csat_mean(row["quality_sum"] or 0, row["quality_ratings"] or 0)}
                for row in selectors.aftersales_series(self.period, self.filters)]
        return Table("daily", _("Service requests per day"), [
            Column("day", _("Day"), "date"), Column("requests", _("Submitted"), "int"),
            Column("completed", _("Completed"), "int"), Column("quality", _("Quality score"), "score"),
        ], rows, empty=_("No service requests in this period."))

    _columns = [
        Column("requests", gettext_lazy("Submitted"), "int"), Column("decided", gettext_lazy("Decided"), "int"),
        Column("approval", gettext_lazy("Approval rate"), "pct"),
        Column("completed", gettext_lazy("Completed"), "int"),
        Column("turnaround", gettext_lazy("Turnaround, mean"), "hours"),
        Column("quality", gettext_lazy("Quality score"), "score"),
        Column("quality_ratings", gettext_lazy("Ratings"), "int"),
    ]

    @cached_property
    def product_table(self):
        rows = [{**row, **self._rates(row), "product": row["product__name"]}
                for row in selectors.aftersales_by_product(self.period, self.filters)]
        return Table("products", _("By product"), [Column("product", _("Product")), *self._columns], rows,
                     empty=_("No service requests in this period."))

    @cached_property
    def technician_table(self):
        rows = [{**row, **self._rates(row),
                 "technician_name": user_name(row["technician__name"], row["technician__email"])
                 if row["technician"] else _("Not assigned")}
                for row in selectors.aftersales_by_technician(self.period, self.filters)]
        return Table("technicians", _("By technician"), [Column("technician_name", _("Technician")),
                                                         *self._columns], rows,
                     empty=_("No service requests in this period."))

    @cached_property
    def charts(self):
        days = self.daily_table.rows
        labels = [day_label(row["day"]) for row in days]
        products = [row for row in self.product_table.rows if row["quality"] is not None]
        return {
            "volume": Chart("chart-service", _("Service requests per day"), "bar", labels, [
                {"label": _("Submitted"), "data": [row["requests"] for row in days], "color": PALETTE["primary"]},
                {"label": _("Completed"), "data": [row["completed"] for row in days], "color": PALETTE["green"]},
            ], self.daily_table),
            "quality": Chart("chart-quality", _("Quality score by product"), "bar",
                             [row["product"] for row in products], [
                {"label": _("Quality score"), "data": [row["quality"] for row in products],
                 "color": PALETTE["violet"]},
            ], self.product_table, unit="score", y_max=10),
        }
