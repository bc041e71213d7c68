"""Product pages: the knowledge base, feedback and improvements."""

from __future__ import annotations

from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.models import Feedback
from reports import forms, metrics, selectors
from reports.pages.base import (
    PALETTE,
    Report,
    day_label,
    kpi_table_for,
    label_of,
    local_day,
    url_or_none,
)
from reports.tables import Chart, Column, Kpi, Table


class Knowledge(Report):
    slug = "knowledge-base"
    url_name = "reports:knowledge-base"
    title = gettext_lazy("Knowledge base")
    intro = gettext_lazy("What customers read, whether it helped, and what they searched for without finding.")
    form_class = forms.KnowledgeForm
    template = "reports/knowledge_base.html"
    tables = {"kpis": "kpi_rows", "daily": "daily_table", "articles": "article_table", "gaps": "gap_table"}

    @cached_property
    def totals(self):
        return selectors.knowledge_totals(self.period)

    @property
    def has_data(self) -> bool:
        return any(self.totals["current"].values())

    @cached_property
    def kpis(self):
        cur, prev = self.totals["current"], self.totals["previous"]
        has_cur, has_prev = any(cur.values()), any(prev.values())

        def helpful(figures):
            return metrics.ratio(figures["helpful_yes"], figures["helpful_yes"] + figures["helpful_no"])

        def no_result(figures):
            return metrics.ratio(figures["searches_without_results"], figures["searches"])

        return [
            Kpi("views", _("Article views"), cur["views"] if has_cur else None, prev["views"] if has_prev else None),
            Kpi("helpful", _("Helpful"), helpful(cur), helpful(prev), kind="pct", hint=_("Of the votes")),
            Kpi("searches", _("Searches"), cur["searches"] if has_cur else None,
                prev["searches"] if has_prev else None, better=None),
            Kpi("no_result", _("Searches without results"), no_result(cur), no_result(prev), kind="pct",
                better="down"),
            Kpi("deflections", _("Deflections"), cur["deflections"] if has_cur else None,
                prev["deflections"] if has_prev else None, hint=_("Read an article instead of opening a ticket")),
        ]

    @cached_property
    def kpi_rows(self):
        return kpi_table_for(self.kpis)

    @cached_property
    def daily_table(self):
        rows = [{**row, "helpful": metrics.ratio(row["helpful_yes"] or 0, (row["helpful_yes"] or 0)
                                                 + (row["helpful_no"] or 0))}
                for row in selectors.knowledge_series(self.period)]
        return Table("daily", _("Knowledge base per day"), [
            Column("day", _("Day"), "date"), Column("views", _("Views"), "int"),
            Column("deflections", _("Deflections"), "int"), Column("searches", _("Searches"), "int"),
            Column("searches_without_results", _("Without results"), "int"), Column("helpful", _("Helpful"), "pct"),
        ], rows, empty=_("No knowledge-base activity in this period."))

    @cached_property
    def article_table(self):
        rows = [{"title": row["article__title"], "title_url": url_or_none("knowledgebase:desk-edit", row["article"]),
                 "views": row["views"], "helpful_yes": row["helpful_yes"], "helpful_no": row["helpful_no"],
                 "helpful": metrics.ratio(row["helpful_yes"] or 0,
                                          (row["helpful_yes"] or 0) + (row["helpful_no"] or 0)),
                 "deflections": row["deflections"]} for row in selectors.top_articles(self.period)]
        return Table("articles", _("Top articles"), [
            Column("title", _("Article")), Column("views", _("Views"), "int"), Column("helpful", _("Helpful"), "pct"),
            Column("helpful_yes", _("Yes"), "int"), Column("helpful_no", _("No"), "int"),
            Column("deflections", _("Deflections"), "int"),
        ], rows, empty=_("No article was read in this period."))

    @cached_property
    def gap_table(self):
        rows = [{"query": row["query"], "searches": row["searches"]} for row in selectors.content_gaps(self.period)]
        return Table("gaps", _("Content gaps"), [Column("query", _("Search")), Column("searches", _("Searches"),
                                                                                         "int")],
                     rows, empty=_("Every search found something in this period."),
                     note=_("The searches that found nothing, most frequent first: candidates for new articles."))

    @cached_property
    def charts(self):
        days = self.daily_table.rows
        labels = [day_label(row["day"]) for row in days]
        return {"trend": Chart("chart-kb", _("Views and deflections per day"), "line", labels, [
            {"label": _("Views"), "data": [row["views"] for row in days], "color": PALETTE["primary"]},
            {"label": _("Deflections"), "data": [row["deflections"] for row in days], "color": PALETTE["green"]},
        ], self.daily_table)}


def improvement_result(improvement) -> str:
    """"Tickets about exports: 6 → 1" from the verification figures, or "—"."""
    if improvement.before_value is None and improvement.after_value is None:
        return "—"
    before = "—" if improvement.before_value is None else f"{improvement.before_value.normalize():f}"
    after = "—" if improvement.after_value is None else f"{improvement.after_value.normalize():f}"
    figures = f"{before} → {after}"
    return f"{improvement.metric_name}: {figures}" if improvement.metric_name else figures


class FeedbackReport(Report):
    slug = "feedback"
    url_name = "reports:feedback"
    title = gettext_lazy("Feedback and improvements")
    intro = gettext_lazy("Product feedback received, and the improvements shipped and verified because of it.")
    form_class = forms.FeedbackForm
    template = "reports/feedback.html"
    tables = {"kpis": "kpi_rows", "daily": "daily_table", "kinds": "kind_table", "areas": "area_table",
              "improvements": "improvement_table"}

    @cached_property
    def totals(self):
        return selectors.feedback_totals(self.period, self.filters)

    @property
    def has_data(self) -> bool:
        return any(self.totals["current"].values())

    @cached_property
    def kpis(self):
        cur, prev = self.totals["current"], self.totals["previous"]
        return [
            Kpi("received", _("Feedback received"), cur["received"], prev["received"], better=None),
            Kpi("shipped", _("Improvements shipped"), cur["shipped"], prev["shipped"]),
            Kpi("verified", _("Improvements verified"), cur["verified"], prev["verified"],
                hint=_("Checked against the numbers after shipping")),
        ]

    @cached_property
    def kpi_rows(self):
        return kpi_table_for(self.kpis)

    @cached_property
    def daily_table(self):
        return Table("daily", _("Feedback and improvements per day"), [
            Column("day", _("Day"), "date"), Column("received", _("Received"), "int"),
            Column("shipped", _("Shipped"), "int"), Column("verified", _("Verified"), "int"),
        ], selectors.feedback_series(self.period, self.filters), empty=_("No feedback in this period."))

    @cached_property
    def kind_table(self):
        rows = selectors.feedback_by_kind(self.period, self.filters)
        total = sum(row["received"] or 0 for row in rows)
        rows = [{"kind": label_of(Feedback.Kind, row["kind"]), "received": row["received"],
                 "share": metrics.ratio(row["received"] or 0, total)} for row in rows]
        return Table("kinds", _("By kind"), [Column("kind", _("Kind")), Column("received", _("Received"), "int"),
                                             Column("share", _("Share"), "pct")],
                     rows, empty=_("No feedback in this period."))

    @cached_property
    def area_table(self):
        rows = [{"area": row["area__name"] or _("No area"), "received": row["received"]}
                for row in selectors.feedback_by_area(self.period, self.filters)]
        return Table("areas", _("By product area"), [Column("area", _("Product area")),
                                                     Column("received", _("Received"), "int")],
                     rows, empty=_("No feedback in this period."))

    @cached_property
    def improvement_table(self):
        rows = [{"title": improvement.title, "title_url": improvement.get_absolute_url(),
                 "area": improvement.area.name if improvement.area else "—",
                 "status": improvement.get_status_display(),
                 "shipped_at": local_day(improvement.shipped_at), "verified_at": local_day(improvement.verified_at),
                 "result": improvement_result(improvement)}
                for improvement in selectors.improvements_done(self.period, self.filters)]
        return Table("improvements", _("Shipped and verified"), [
            Column("title", _("Improvement")), Column("area", _("Product area")), Column("status", _("Status")),
            Column("shipped_at", _("Shipped"), "date"), Column("verified_at", _("Verified"), "date"),
            Column("result", _("Before → after"), "longtext"),
        ], rows, empty=_("No improvement shipped or verified in this period."),
            note=_("Shipped or verified in this period, the latest first (at most %(count)s).")
            % {"count": selectors.IMPROVEMENT_ROWS})

    @cached_property
    def charts(self):
        days = self.daily_table.rows
        labels = [day_label(row["day"]) for row in days]
        kinds = self.kind_table
        return {
            "trend": Chart("chart-feedback", _("Feedback received per day"), "bar", labels, [
                {"label": _("Received"), "data": [row["received"] for row in days], "color": PALETTE["primary"]},
                {"label": _("Shipped"), "data": [row["shipped"] for row in days], "color": PALETTE["green"]},
            ], self.daily_table),
            "kinds": Chart("chart-feedback-kinds", _("Feedback by kind"), "doughnut",
                           [row["kind"] for row in kinds.rows],
                           [{"label": _("Received"), "data": [row["received"] for row in kinds.rows]}], kinds),
        }
