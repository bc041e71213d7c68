"""Desk sidebar and navbar entries for the manager dashboards."""
