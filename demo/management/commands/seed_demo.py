from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo import aftersales, feedback, knowledgebase, reports, tickets
from helpdesk.accounts.models import Organization, User
from helpdesk.accounts.roles import Role, set_roles
from helpdesk.accounts.services import organization_create

PASSWORD = "demo1234"

# Each story adds its part unless the app already has data, in this order: later stories build on earlier ones
# (surveys rate the resolved tickets and completed service requests; the reports story computes the figures).
STORIES = [tickets.seed, knowledgebase.seed, aftersales.seed, feedback.seed, reports.seed]

STAFF = [
    # email, name, roles, superuser
    ("admin@example.com", "Ada Admin", [], True),
    ("manager@example.com", "Morgan Manager", [Role.MANAGER], False),
    ("agent1@example.com", "Alex Agent", [Role.AGENT], False),
    ("agent2@example.com", "Sam Agent", [Role.AGENT], False),
]

ORGANIZATIONS = [
    # name, domain, tier, account manager, customer since
    ("Acme", "acme.example", Organization.Tier.VIP, "agent1@example.com", date(2023, 3, 1)),
    ("Globex", "globex.example", Organization.Tier.STANDARD, "agent2@example.com", date(2024, 9, 15)),
]

CUSTOMERS = [
    # email, name, organisation, primary contact, locale
    ("alice@acme.example", "Alice Anderson", "Acme", True, "en"),
    ("bob@acme.example", "Bob Brown", "Acme", False, "en"),
    ("carol@globex.example", "Carol Chen", "Globex", True, "zh-hans"),
]


class Command(BaseCommand):
    help = "Create the demo users and organisations (safe to run again), then print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the database already has users.")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has users; demo data not added.")
        else:
            with transaction.atomic():
                self.seed()
        self.print_logins()

    def seed(self):
        users = {}
        for email, name, roles, superuser in STAFF:
            users[email] = self.user(email, name, roles=roles, is_superuser=superuser)
        organizations = {}
        for name, domain, tier, manager, since in ORGANIZATIONS:
            organization = Organization.objects.filter(name=name).first()
            if organization is None:
                organization = organization_create(
                    name=name, email_domain=domain, tier=tier, account_manager=users[manager], customer_since=since
                )
            organizations[name] = organization
        for email, name, organization, primary, locale in CUSTOMERS:
            users[email] = self.user(
                email, name, roles=[Role.CUSTOMER], organization=organizations[organization],
                is_primary_contact=primary, locale=locale,
            )
        for story in STORIES:
            story(users=users, organizations=organizations, stdout=self.stdout)

    def user(self, email, name, *, roles, is_superuser=False, **fields):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=PASSWORD, name=name, is_superuser=is_superuser, is_staff=is_superuser,
                email_verified_at=timezone.now(), **fields,
            )
            set_roles(user, roles)
        return user

    def print_logins(self):
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {PASSWORD}):"))
        rows = [(email, "admin") for email, *_ in STAFF[:1]]
        rows += [(email, ", ".join(roles)) for email, _n, roles, _s in STAFF[1:]]
        rows += [
            (email, f"customer of {org}" + (" (primary contact)" if primary else ""))
            for email, _n, org, primary, _l in CUSTOMERS
        ]
        for email, role in rows:
            self.stdout.write(f"  {email:<24} {role}")
