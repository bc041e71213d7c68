"""Demo data for ``seed_demo``, run last of all apps: the customer-care story, health scores, 90 days of reports."""


def seed(sender=None, users=None, organizations=None, stdout=None, **kwargs):
    from helpdesk.accounts import demo as care_demo
    from reports import demo_care, health, recompute

    care_demo.seed_care(users=users, organizations=organizations, stdout=stdout)  # check-ins, churned organisations
    demo_care.seed(users=users, organizations=organizations, stdout=stdout)  # an at-risk VIP
    health.compute_all()
    recompute.recompute_demo(stdout=stdout)  # the last 90 days of snapshots
