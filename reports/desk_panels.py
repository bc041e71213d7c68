"""What the reports app shows on other apps' pages: desk home panels, sidebar, template hooks."""
