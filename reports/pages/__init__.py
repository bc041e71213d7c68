"""The dashboard pages: which figures, charts and tables each one shows, built from ``reports.selectors``.

A page object is built from its GET form (range and filters). Its data are cached properties, so
a CSV export of one table runs only that table's queries, and the page runs a fixed number of
queries whatever the amount of data. Tables are listed in ``tables`` by their slug in the CSV URL.
"""

from __future__ import annotations

from django.urls import reverse

from reports.pages.base import Report
from reports.pages.churn import Churn
from reports.pages.content import FeedbackReport, Knowledge
from reports.pages.satisfaction import AfterSales, Satisfaction
from reports.pages.support import Overview, ResponseTime, Sla, Support

PAGES = {page.slug: page for page in (Overview, Support, Sla, Satisfaction, AfterSales, Churn, ResponseTime, Knowledge,
                                      FeedbackReport)}


def navigation(active: str = "") -> list[dict]:
    """The report pages, for the tabs and the desk sidebar."""
    return [{"slug": page.slug, "title": page.title, "url": reverse(page.url_name), "active": page.slug == active}
            for page in PAGES.values()]

__all__ = ["PAGES", "Report", "navigation"]
