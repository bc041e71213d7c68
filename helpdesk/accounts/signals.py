from django.dispatch import Signal

# Sent by `seed_demo` after the demo users and organisations exist; feature apps add their demo data.
demo_seeded = Signal()  # sender=None, users={email: User}, organizations={name: Organization}, stdout=…
