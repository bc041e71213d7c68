"""Ticket pages: overview, support, SLA and the response-time model."""

from __future__ import annotations

from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.models import Survey
from reports import forms, metrics, selectors
from reports.pages.base import (
    PALETTE,
    Report,
    churn_hint,
    day_label,
    kpi_table_for,
    label_of,
    user_name,
)
from reports.tables import Chart, Column, Kpi, Table
from tickets.models import Priority, Ticket


def resolution_kpis(cur: dict, prev: dict) -> list[Kpi]:
    """First and full resolution time (DESIGN §4), named as in the docs, with their definitions as tooltips."""
    return [
        Kpi("first_resolution_p50", _("First resolution, median"), cur["first_resolution_p50"],
            prev["first_resolution_p50"], kind="minutes", better="down",
            hint=_("Created → first resolved, business time, pending excluded")),
        Kpi("resolution_p50", _("Full resolution, median"), cur["resolution_p50"], prev["resolution_p50"],
            kind="minutes", better="down", hint=_("Created → last resolved, business time, pending excluded")),
    ]


class Overview(Report):
    slug = "overview"
    url_name = "reports:overview"
    title = gettext_lazy("Overview")
    intro = gettext_lazy("The headline numbers against the previous period of the same length.")
    form_class = forms.OverviewForm
    template = "reports/overview.html"
    tables = {"kpis": "kpi_rows", "daily": "daily_table"}

    @cached_property
    def satisfaction(self):
        return selectors.satisfaction_totals(self.period, {})

    @cached_property
    def aftersales(self):
        return selectors.aftersales_totals(self.period, {})

    @cached_property
    def churn(self):
        return {"current": selectors.churn_for(self.period), "previous": selectors.churn_for(self.previous)}

    @property
    def has_data(self) -> bool:
        cur = self.support["current"]
        return bool(cur["rows"] or self.satisfaction or self.aftersales["current"]["requests"]
                    or self.churn["current"]["rate"] is not None)

    @cached_property
    def kpis(self) -> list[Kpi]:
        cur, prev = self.support["current"], self.support["previous"]
        csat = self.satisfaction.get(Survey.Kind.CSAT, {})
        nps = self.satisfaction.get(Survey.Kind.NPS, {})
        after = self.aftersales

        def csat_of(side):
            figures = csat.get(side)
            return metrics.csat_mean(figures["score_sum"], figures["ratings"]) if figures else None

        def nps_of(side):
            figures = nps.get(side)
            return metrics.nps(figures["promoters"], figures["detractors"], figures["ratings"]) if figures else None

        def quality_of(side):
            return metrics.csat_mean(after[side]["quality_sum"], after[side]["quality_ratings"])

        def every_queue(hint):
            """Survey, after-sales and churn figures have no queue: with a queue chosen, say they ignore it."""
            if not self.filters.get("queue"):
                return hint
            return _("All queues (the queue filter does not apply) · %(hint)s") % {"hint": hint}

        has_cur, has_prev = bool(cur["rows"]), bool(prev["rows"])
        return [
            Kpi("created", _("Tickets created"), cur["created"] if has_cur else None,
                prev["created"] if has_prev else None, better=None),
            Kpi("resolved", _("Tickets resolved"), cur["resolved"] if has_cur else None,
                prev["resolved"] if has_prev else None),
            Kpi("backlog", _("Backlog"), cur["backlog"], prev["backlog"], better="down",
                hint=_("Open at the end of the last day")),
            Kpi("frt_p50", _("First response, median"), cur["frt_p50"], prev["frt_p50"], kind="minutes",
                better="down", hint=_("Business time")),
            *resolution_kpis(cur, prev),
            Kpi("sla", _("SLA compliance"), self.sla_percent(cur), self.sla_percent(prev), kind="pct"),
            Kpi("csat", _("CSAT"), csat_of("current"), csat_of("previous"), kind="score",
                hint=every_queue(_("Mean score of the CSAT ratings"))),
            Kpi("nps", _("NPS"), nps_of("current"), nps_of("previous"), kind="nps",
                hint=every_queue(_("% promoters − % detractors"))),
            Kpi("quality", _("After-sales quality"), quality_of("current"), quality_of("previous"), kind="score",
                hint=every_queue(_("Mean service survey score"))),
            Kpi("churn", _("Churn rate"), self.churn["current"]["rate"], self.churn["previous"]["rate"], kind="pct",
                better="down", hint=every_queue(churn_hint(self.churn["current"]))),
        ]

    @cached_property
    def kpi_rows(self) -> Table:
        return kpi_table_for(self.kpis)

    @cached_property
    def daily_table(self) -> Table:
        rows = [{**row, "sla": self.sla_percent(row) if row["sla_met"] is not None else None}
                for row in self.support_days]
        return Table("daily", _("Tickets per day"), [
            Column("day", _("Day"), "date"), Column("created", _("Created"), "int"),
            Column("resolved", _("Resolved"), "int"), Column("backlog", _("Backlog"), "int"),
            Column("sla", _("SLA compliance"), "pct"),
        ], rows, empty=_("No tickets in this period."))

    @cached_property
    def charts(self) -> dict:
        days = self.support_days
        labels = [day_label(row["day"]) for row in days]
        volume = Chart("chart-volume", _("Created and resolved per day"), "line", labels, [
            {"label": _("Created"), "data": [row["created"] for row in days], "color": PALETTE["primary"]},
            {"label": _("Resolved"), "data": [row["resolved"] for row in days], "color": PALETTE["green"]},
        ], self.daily_table)
        backlog = Chart("chart-backlog", _("Backlog at the end of each day"), "bar", labels, [
            {"label": _("Backlog"), "data": [row["backlog"] for row in days], "color": PALETTE["amber"]},
        ], self.daily_table)
        return {"volume": volume, "backlog": backlog}


class Support(Report):
    slug = "support"
    url_name = "reports:support"
    title = gettext_lazy("Support")
    intro = gettext_lazy("Ticket volume and speed by queue, priority, agent and channel.")
    form_class = forms.SupportForm
    template = "reports/support.html"
    tables = {"kpis": "kpi_rows", "daily": "daily_table", "queues": "queue_table", "priorities": "priority_table",
              "agents": "agent_table", "channels": "channel_table"}

    @property
    def has_data(self) -> bool:
        return bool(self.support["current"]["rows"])

    @cached_property
    def kpis(self):
        cur, prev = self.support["current"], self.support["previous"]
        has_cur, has_prev = bool(cur["rows"]), bool(prev["rows"])
        return [
            Kpi("created", _("Created"), cur["created"] if has_cur else None, prev["created"] if has_prev else None,
                better=None),
            Kpi("resolved", _("Resolved"), cur["resolved"] if has_cur else None,
                prev["resolved"] if has_prev else None),
            Kpi("one_touch", _("One-touch resolutions"), metrics.ratio(cur["one_touch"], cur["resolved"]),
                metrics.ratio(prev["one_touch"], prev["resolved"]), kind="pct"),
            Kpi("reopen", _("Reopen rate"), metrics.ratio(cur["reopened"], cur["resolved"]),
                metrics.ratio(prev["reopened"], prev["resolved"]), kind="pct", better="down"),
            Kpi("frt_p50", _("First response, median"), cur["frt_p50"], prev["frt_p50"], kind="minutes",
                better="down"),
            *resolution_kpis(cur, prev),
        ]

    @cached_property
    def kpi_rows(self):
        return kpi_table_for(self.kpis)

    @cached_property
    def daily_table(self):
        return Table("daily", _("Tickets per day"), [
            Column("day", _("Day"), "date"), Column("created", _("Created"), "int"),
            Column("resolved", _("Resolved"), "int"), Column("backlog", _("Backlog"), "int"),
        ], self.support_days, empty=_("No tickets in this period."))

    @staticmethod
    def _speed(row):
        resolved = row.get("resolved") or 0
        return {**row, "sla": Report.sla_percent(row), "one_touch_pct": metrics.ratio(row.get("one_touch") or 0,
                                                                                        resolved),
                "reopen_pct": metrics.ratio(row.get("reopened") or 0, resolved)}

    @cached_property
    def queue_table(self):
        rows = [{**self._speed(row), "queue": row["queue__name"]}
                for row in selectors.support_by_queue(self.period, self.filters)]
        return Table("queues", _("By queue"), [
            Column("queue", _("Queue")), Column("created", _("Created"), "int"),
            Column("resolved", _("Resolved"), "int"), Column("backlog", _("Backlog"), "int"),
            Column("frt_p50", _("First response p50"), "minutes"),
            Column("frt_p90", _("First response p90"), "minutes"),
            Column("first_resolution_p50", _("First resolution p50"), "minutes"),
            Column("resolution_p50", _("Full resolution p50"), "minutes"), Column("sla", _("SLA"), "pct"),
            Column("one_touch_pct", _("One-touch"), "pct"), Column("reopen_pct", _("Reopened"), "pct"),
        ], rows, empty=_("No queue had tickets in this period."))

    @cached_property
    def priority_table(self):
        rows = [{**self._speed(row), "priority_name": label_of(Priority, row["priority"])}
                for row in selectors.support_by_priority(self.period, self.filters)]
        return Table("priorities", _("By priority"), [
            Column("priority_name", _("Priority")), Column("created", _("Created"), "int"),
            Column("resolved", _("Resolved"), "int"), Column("frt_p50", _("First response p50"), "minutes"),
            Column("first_resolution_p50", _("First resolution p50"), "minutes"),
            Column("resolution_p50", _("Full resolution p50"), "minutes"), Column("sla", _("SLA"), "pct"),
        ], rows, empty=_("No tickets in this period."))

    @cached_property
    def agent_table(self):
        rows = [{**row, "agent_name": user_name(row["agent__name"], row["agent__email"]),
                 "frt_avg": metrics.mean(row["frt_sum"], row["frt_count"]),
                 "one_touch_pct": metrics.ratio(row["one_touch"] or 0, row["resolved"] or 0)}
                for row in selectors.support_by_agent(self.period)]
        return Table("agents", _("By agent"), [
            Column("agent_name", _("Agent")), Column("replies", _("Public replies"), "int"),
            Column("resolved", _("Resolved"), "int"), Column("one_touch_pct", _("One-touch"), "pct"),
            Column("frt_avg", _("First response, mean"), "minutes"),
            Column("frt_p50", _("First response p50"), "minutes"),
        ], rows, empty=_("No agent replied or resolved in this period."),
            note=_("Agents work across queues: this table is not narrowed by queue or priority."))

    @cached_property
    def channel_table(self):
        rows = selectors.support_by_channel(self.period)
        total = sum(row["created"] or 0 for row in rows)
        rows = [{**row, "channel_name": label_of(Ticket.Channel, row["channel"]),
                 "share": metrics.ratio(row["created"] or 0, total)} for row in rows]
        return Table("channels", _("By channel"), [
            Column("channel_name", _("Channel")), Column("created", _("Created"), "int"),
            Column("resolved", _("Resolved"), "int"), Column("share", _("Share of new tickets"), "pct"),
        ], rows, empty=_("No tickets in this period."),
            note=_("Channels are counted over all queues and priorities."))

    @cached_property
    def charts(self):
        days = self.support_days
        labels = [day_label(row["day"]) for row in days]
        channels = self.channel_table
        queues = self.queue_table
        return {
            "volume": Chart("chart-volume", _("Created and resolved per day"), "line", labels, [
                {"label": _("Created"), "data": [row["created"] for row in days], "color": PALETTE["primary"]},
                {"label": _("Resolved"), "data": [row["resolved"] for row in days], "color": PALETTE["green"]},
            ], self.daily_table),
            "queues": Chart("chart-queues", _("Created and resolved by queue"), "bar",
                            [row["queue"] for row in queues.rows], [
                {"label": _("Created"), "data": [row["created"] for row in queues.rows], "color": PALETTE["primary"]},
                {"label": _("Resolved"), "data": [row["resolved"] for row in queues.rows], "color": PALETTE["green"]},
            ], queues),
            "channels": Chart("chart-channels", _("New tickets by channel"), "doughnut",
                              [row["channel_name"] for row in channels.rows],
                              [{"label": _("Created"), "data": [row["created"] for row in channels.rows]}], channels),
        }


class Sla(Report):
    slug = "sla"
    url_name = "reports:sla"
    title = gettext_lazy("SLA")
    intro = gettext_lazy("How many tickets met their first-response and resolution targets, and which did not.")
    form_class = forms.SlaForm
    template = "reports/sla.html"
    tables = {"kpis": "kpi_rows", "daily": "daily_table", "queues": "queue_table", "breaches": "live_breaches"}

    @property
    def has_data(self) -> bool:
        return bool(self.support["current"]["rows"]) or any(self.targets["current"].values())

    @cached_property
    def targets(self):
        """Met and breached targets due in the range, from the tickets: the same set as the breach list."""
        return selectors.sla_figures(self.period, self.filters)

    @cached_property
    def kpis(self):
        cur, prev = self.targets["current"], self.targets["previous"]
        has_cur, has_prev = any(cur.values()), any(prev.values())
        hint = _("First-response and resolution targets due in the range")
        return [
            Kpi("sla", _("SLA compliance"), self.sla_percent(cur), self.sla_percent(prev), kind="pct", hint=hint),
            Kpi("met", _("Targets met"), cur["sla_met"] if has_cur else None, prev["sla_met"] if has_prev else None,
                hint=hint),
            Kpi("breached", _("Targets breached"), cur["sla_breached"] if has_cur else None,
                prev["sla_breached"] if has_prev else None, better="down", hint=_("Every one is in the list below")),
        ]

    @cached_property
    def kpi_rows(self):
        return kpi_table_for(self.kpis)

    @cached_property
    def daily_table(self):
        rows = [{**row, "sla": self.sla_percent(row) if row["sla_met"] is not None else None}
                for row in self.support_days]
        return Table("daily", _("Compliance per day"), [
            Column("day", _("Day"), "date"), Column("sla_met", _("Met"), "int"),
            Column("sla_breached", _("Breached"), "int"), Column("sla", _("Compliance"), "pct"),
        ], rows, empty=_("No tickets in this period."))

    @cached_property
    def queue_table(self):
        rows = [{"queue": row["queue__name"], "sla_met": row["sla_met"], "sla_breached": row["sla_breached"],
                 "sla": self.sla_percent(row)} for row in selectors.support_by_queue(self.period, self.filters)]
        return Table("queues", _("Compliance by queue"), [
            Column("queue", _("Queue")), Column("sla_met", _("Met"), "int"),
            Column("sla_breached", _("Breached"), "int"), Column("sla", _("Compliance"), "pct"),
        ], rows, empty=_("No queue had tickets in this period."))

    def live_breaches(self, export=False):
        """One row per breached target due in the range (a ticket that missed both targets has two rows)."""
        page, breaches, total = self._paginate(selectors.sla_breaches(self.period, self.filters), export)
        names = {"first_response": _("First response"), "resolution": _("Resolution")}

        def rows_of(batch):
            tickets = selectors.breached_tickets(batch)
            for ticket_id, target, due in batch:
                ticket = tickets[ticket_id]
                yield {"reference": ticket.reference, "reference_url": ticket.get_absolute_url(),
                       "subject": ticket.subject, "queue": ticket.queue.name,
                       "priority": ticket.get_priority_display(), "priority_css": f"priority-{ticket.priority}",
                       "assignee": user_name(ticket.assignee.name, ticket.assignee.email) if ticket.assignee else
                       _("Unassigned"), "target": names[target], "breached_at": due,
                       "status": ticket.get_status_display()}

        def batches(rows, size=500):
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == size:
                    yield from rows_of(batch)
                    batch = []
            if batch:
                yield from rows_of(batch)

        rows = batches(breaches)
        return Table("breaches", _("Breaches"), [
            Column("reference", _("Ticket")), Column("subject", _("Subject"), "longtext"), Column("queue", _("Queue")),
            Column("priority", _("Priority")), Column("assignee", _("Assignee")), Column("target", _("Target")),
            Column("breached_at", _("Due"), "datetime"), Column("status", _("Status")),
        ], rows if export else list(rows), page=page, total=total,
            empty=_("No first-response or resolution target due in this period was missed."))

    @cached_property
    def charts(self):
        days = self.daily_table.rows
        labels = [day_label(row["day"]) for row in days]
        return {"trend": Chart("chart-sla", _("Compliance per day"), "line", labels, [
            {"label": _("Compliance"), "data": [row["sla"] for row in days], "color": PALETTE["green"]},
        ], self.daily_table, unit="pct", y_max=100)}


class ResponseTime(Report):
    slug = "response-time"
    url_name = "reports:response-time"
    title = gettext_lazy("Response-time model")
    intro = gettext_lazy("The seed model — mean first response × service-level target — next to the real "
                         "percentile at that level, per queue.")
    form_class = forms.ResponseTimeForm
    template = "reports/response_time.html"
    tables = {"queues": "queue_table"}

    @cached_property
    def level(self) -> float:
        return self.filters.get("level") or float(forms.DEFAULT_SERVICE_LEVEL)

    @property
    def level_label(self) -> str:
        return f"p{round(self.level * 100):d}"

    @property
    def level_percent(self) -> str:
        return f"{self.level * 100:g} %"

    @cached_property
    def model(self):
        return selectors.response_time_model(self.period, self.filters, self.level)

    @property
    def has_data(self) -> bool:
        return bool(self.model["overall"]["frt_count"])

    @cached_property
    def kpis(self):
        overall = self.model["overall"]
        return [
            Kpi("mean", _("Mean first response"), overall["mean"], None, kind="minutes", better=None, compare=False,
                hint=_("All queues, business time")),
            Kpi("model", _("Model: mean × %(level)s") % {"level": f"{self.level:g}"},
                overall["model"], None, kind="minutes", better=None, compare=False,
                hint=_("The seed model's target")),
            Kpi("actual", _("Real %(percentile)s") % {"percentile": self.level_label}, overall["actual"], None,
                kind="minutes", better=None, compare=False,
                hint=_("%(level)s of first responses were this fast or faster") % {"level": self.level_percent}),
        ]

    @cached_property
    def queue_table(self):
        rows = [{"queue": row["queue__name"], "count": row["frt_count"], "mean": row["mean"], "model": row["model"],
                 "actual": row["actual"],
                 "gap": None if row["model"] is None or row["actual"] is None else row["actual"] - row["model"]}
                for row in self.model["rows"] if row["frt_count"]]
        overall = self.model["overall"]
        if rows:
            rows.append({"queue": _("All queues"), "queue_css": "fw-semibold", "count": overall["frt_count"],
                         "mean": overall["mean"], "model": overall["model"], "actual": overall["actual"],
                         "gap": None if overall["model"] is None or overall["actual"] is None
                         else overall["actual"] - overall["model"]})
        return Table("queues", _("Model and real percentile by queue"), [
            Column("queue", _("Queue")), Column("count", _("First responses"), "int"),
            Column("mean", _("Mean"), "minutes"),
            Column("model", _("Model (mean × %(level)s)") % {"level": f"{self.level:g}"}, "minutes"),
            Column("actual", _("Real %(percentile)s") % {"percentile": self.level_label}, "minutes"),
            Column("gap", _("Real − model"), "minutes"),
        ], rows, empty=_("No first responses in this period."),
            note=_("Minutes are business minutes of each queue's SLA calendar. The model multiplies the mean "
                   "first response by the service level: at 99 %, a mean of 6 minutes gives 5.94 minutes. The real "
                   "percentile is the time within which that share of first responses actually came (exact, over "
                   "every first response in the range), so the gap shows how far the model is from what "
                   "customers lived: a few very slow answers raise the mean, and so the model, far less than "
                   "they raise the real p99."))

    @cached_property
    def charts(self):
        rows = [row for row in self.queue_table.rows if "queue_css" not in row]
        return {"queues": Chart("chart-model", _("Model and real percentile by queue"), "bar",
                                [row["queue"] for row in rows], [
            {"label": _("Model"), "data": [row["model"] for row in rows], "color": PALETTE["slate"]},
            {"label": _("Real %(percentile)s") % {"percentile": self.level_label},
             "data": [row["actual"] for row in rows], "color": PALETTE["primary"]},
        ], self.queue_table, unit="minutes")}
