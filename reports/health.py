"""Customer health scores (0-100) from signals."""


def compute_all():
    pass


def auto_churn():
    pass
