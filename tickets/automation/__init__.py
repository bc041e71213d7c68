"""Rules that act on ticket events, hourly automations, macros and saved views (the desk's automation)."""
