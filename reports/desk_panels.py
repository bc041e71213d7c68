"""What the reports app shows on other apps' pages: desk home panels, sidebar entries, template hooks."""

from reports import panels_customers, panels_dashboards  # noqa: F401 — each registers itself
