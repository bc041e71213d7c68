"""Desk panels and hooks for customer care: customers directory, at-risk list, health on ticket pages."""
