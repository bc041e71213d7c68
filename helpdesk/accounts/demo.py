"""Customer-care demo data: check-ins over 90 days (some overdue) and churned organisations."""


def seed_care(*, users, organizations, stdout=None):
    """Called by the reports demo, after every app has made its organisations."""
