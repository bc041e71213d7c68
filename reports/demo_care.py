"""Demo: shape one VIP organisation into an at-risk customer."""


def seed(*, users, organizations, stdout=None):
    pass
