"""What the reports app shows on other apps' pages: the dashboards' desk home panel and sidebar entry."""

from reports import panels_dashboards  # noqa: F401 — registers itself
