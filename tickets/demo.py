def seed(sender, users, organizations, stdout=None, **kwargs):
    """Demo tickets for seed_demo (being written)."""
