"""Load a large help desk into PostgreSQL with COPY: the shape of seed_demo, scaled to N tickets.

For the default 1,000,000 tickets: 3,000,000 messages, 20,000 organisations, 100,000 customers and the
tickets' status history; smaller runs scale every count down in proportion (``--tickets``). The demo data
(queues, SLA policies, business hours, the demo logins) is seeded first when the database has no users, so
the generated rows share its queues and policies. Sequences are reset at the end, so the app's own inserts
follow on, and references (made from the ticket's number) stay unique.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench .venv/bin/python bench/generate.py --migrate
    # options: --tickets 1000000 --seed 20 --batch 50000
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKETS_DEFAULT = 1_000_000
# Rows per 1,000,000 tickets.
RATIOS = {"organizations": 20_000, "customers": 100_000, "agents": 200}
MESSAGES_PER_TICKET = 3
DAYS = 730

WORDS = [
    "printer", "invoice", "login", "password", "error", "refund", "delivery", "shipment", "account", "upgrade",
    "crash", "screen", "battery", "warranty", "update", "network", "slow", "billing", "order", "return", "broken",
    "cable", "setup", "install", "license", "export", "report",
]


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()


def scaled(name, tickets):
    return max(2, RATIOS[name] * tickets // TICKETS_DEFAULT)


class Copier:
    """COPY rows into one model's table; columns not given take the field's default."""

    def __init__(self, model, columns):
        self.model = model
        fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in columns]
        self.fields = fields
        self.defaults = {}
        for field in fields:
            if field.attname in columns:
                continue
            if field.has_default():
                value = field.get_default()
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                from django.utils import timezone

                value = timezone.now()
            elif field.null:
                value = None
            else:
                value = field.get_default()
            self.defaults[field.attname] = field.get_db_prep_save(value, connection())
        self.names = [f.column for f in fields]

    def copy(self, rows):
        table = self.model._meta.db_table
        sql = f'COPY "{table}" ({", ".join(chr(34) + n + chr(34) for n in self.names)}) FROM STDIN'
        count = 0
        with connection().cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([row[f.attname] if f.attname in row else self.defaults[f.attname] for f in self.fields])
                count += 1
        return count


def connection():
    from django.db import connection

    return connection


def next_id(model):
    with connection().cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
        return cursor.fetchone()[0]


def reset_sequences(models):
    from django.core.management.color import no_style

    with connection().cursor() as cursor:
        for sql in connection().ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def generate(*, tickets, seed=20, out=print):
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.utils import timezone

    from helpdesk.accounts.models import Organization, User
    from helpdesk.accounts.roles import Role
    from tickets.models import Message, Queue, SLAPolicy, Ticket, TicketEvent

    if connection().vendor != "postgresql":
        raise SystemExit("bench/generate.py loads with PostgreSQL COPY; DATABASE_URL must point at PostgreSQL.")
    rng = random.Random(seed)
    started = time.monotonic()
    if not User.objects.exists():
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", stdout=quiet)
    out(f"demo data ready in {time.monotonic() - started:.1f} s")
    now = timezone.now()
    password = User.objects.filter(email="agent1@example.com").values_list("password", flat=True).first() or "!"
    queues = list(Queue.objects.values_list("pk", flat=True))
    policies = {(p.priority, p.tier): p for p in SLAPolicy.objects.all()}
    groups = {role: Group.objects.get_or_create(name=role)[0].pk for role in (Role.AGENT, Role.CUSTOMER)}
    counts = {}

    def step(name, done):
        counts[name] = done
        out(f"{name:<16} {done:>10,}  {time.monotonic() - started:7.1f} s")

    # Agents, each a member of every queue.
    n_agents = scaled("agents", tickets)
    first_user = next_id(User)
    agent_ids = list(range(first_user, first_user + n_agents))
    users = Copier(User, {"id", "email", "name", "password", "email_verified_at", "date_joined"})
    step("agents", users.copy(
        {"id": pk, "email": f"bench-agent{pk}@example.com", "name": f"Agent {pk}", "password": password,
         "email_verified_at": now, "date_joined": now} for pk in agent_ids))
    member_table = Queue.members.through
    member_fields = {f.attname for f in member_table._meta.concrete_fields if f.attname != "id"}
    queue_col, user_col = sorted(member_fields, key=lambda name: name != "queue_id")
    step("queue members", Copier(member_table, member_fields).copy(
        {queue_col: q, user_col: a} for q in queues for a in agent_ids))

    # Organisations: a tenth VIP, the rest standard; each with an account manager.
    n_orgs = scaled("organizations", tickets)
    first_org = next_id(Organization)
    org_ids = list(range(first_org, first_org + n_orgs))
    org_tier = {pk: Organization.Tier.VIP if rng.random() < 0.1 else Organization.Tier.STANDARD
                for pk in org_ids}
    step("organizations", Copier(Organization, {"id", "name", "email_domain", "tier", "account_manager_id",
                                                "customer_since", "created_at"}).copy(
        {"id": pk, "name": f"Company {pk}", "email_domain": f"company{pk}.example", "tier": org_tier[pk],
         "account_manager_id": rng.choice(agent_ids),
         "customer_since": (now - timedelta(days=rng.randrange(DAYS + 400))).date(),
         "created_at": now - timedelta(days=DAYS)} for pk in org_ids))

    # Customers, five to an organisation, the first its primary contact.
    n_customers = scaled("customers", tickets)
    first_customer = first_user + n_agents
    customer_ids = list(range(first_customer, first_customer + n_customers))
    customer_org = {pk: org_ids[i % n_orgs] for i, pk in enumerate(customer_ids)}
    step("customers", Copier(User, {"id", "email", "name", "password", "email_verified_at", "date_joined",
                                    "organization_id", "is_primary_contact"}).copy(
        {"id": pk, "email": f"customer{pk}@company{customer_org[pk]}.example", "name": f"Customer {pk}",
         "password": password, "email_verified_at": now, "date_joined": now - timedelta(days=DAYS),
         "organization_id": customer_org[pk], "is_primary_contact": i < n_orgs} for i, pk in enumerate(customer_ids)))
    user_groups = User.groups.through
    step("roles", Copier(user_groups, {"user_id", "group_id"}).copy(
        [{"user_id": pk, "group_id": groups[Role.AGENT]} for pk in agent_ids]
        + [{"user_id": pk, "group_id": groups[Role.CUSTOMER]} for pk in customer_ids]))

    # Tickets with three messages (customer, agent reply, customer) and their status history.
    priorities = ["low", "normal", "normal", "normal", "high", "urgent"]
    first_ticket = next_id(Ticket)
    ticket_copier = Copier(Ticket, {
        "id", "subject", "description", "requester_id", "organization_id", "queue_id", "priority", "status",
        "channel", "assignee_id", "created_by_id", "created_at", "updated_at", "first_response_at", "resolved_at",
        "closed_at", "first_resolved_at", "first_response_minutes", "first_resolution_minutes", "resolution_minutes",
        "public_agent_replies", "sla_policy_id", "first_response_due", "resolution_due", "version"})
    message_copier = Copier(Message, {"ticket_id", "author_id", "from_agent", "body", "channel", "created_at"})
    event_copier = Copier(TicketEvent, {"ticket_id", "actor_id", "kind", "old_value", "new_value", "version",
                                        "created_at"})
    messages, events = [], []

    def ticket_rows():
        for pk in range(first_ticket, first_ticket + tickets):
            requester = rng.choice(customer_ids)
            org = customer_org[requester]
            agent = rng.choice(agent_ids)
            age = rng.random() ** 2 * DAYS  # more recent tickets than old ones
            created = now - timedelta(days=age, minutes=rng.randrange(1440))
            answered = created + timedelta(minutes=rng.randrange(5, 600))
            if answered > now:
                answered = now
            last = answered + timedelta(minutes=rng.randrange(10, 2000))
            if last > now:
                last = now
            roll = rng.random()
            if age < 3 and roll < 0.3:
                status = "new"
            elif age < 20 and roll < 0.6:
                status = rng.choice(["open", "open", "pending", "on_hold"])
            elif age > 7 and roll < 0.7:
                status = "closed"
            else:
                status = "resolved"
            priority = rng.choice(priorities)
            policy = policies.get((priority, org_tier[org])) or policies.get((priority, ""))
            responded = status != "new"
            resolved = last if status in ("resolved", "closed") else None
            closed = last + timedelta(days=3) if status == "closed" and last + timedelta(days=3) < now else None
            if status == "closed" and closed is None:
                status = "resolved"
            words = " ".join(rng.choice(WORDS) for _ in range(3))
            messages.append({"ticket_id": pk, "author_id": requester, "from_agent": False, "channel": "portal",
                             "body": f"Hello, my {words} does not work since yesterday. Please help.",
                             "created_at": created})
            messages.append({"ticket_id": pk, "author_id": agent, "from_agent": responded, "channel": "portal",
                             "body": f"Thanks for reporting the {words} problem; we are looking into it.",
                             "created_at": answered})
            messages.append({"ticket_id": pk, "author_id": requester, "from_agent": False, "channel": "portal",
                             "body": "Thank you, that fixed it." if resolved else "Any news?",
                             "created_at": last})
            history = [("", "new", created)]
            if responded:
                history.append(("new", "open", answered))
            if status in ("pending", "on_hold"):
                history.append(("open", status, last))
            if resolved:
                history.append(("open", "resolved", resolved))
            if closed:
                history.append(("resolved", "closed", closed))
            events.append({"ticket_id": pk, "actor_id": requester, "kind": "created", "old_value": "",
                           "new_value": "", "version": 1, "created_at": created})
            for version, (old, new, when) in enumerate(history[1:], start=2):
                events.append({"ticket_id": pk, "actor_id": agent, "kind": "status", "old_value": old,
                               "new_value": new, "version": version, "created_at": when})
            first_response_minutes = (answered - created).total_seconds() / 60 if responded else None
            resolution_minutes = (resolved - created).total_seconds() / 60 if resolved else None
            yield {
                "id": pk, "subject": f"{words.capitalize()} problem", "description": messages[-3]["body"],
                "requester_id": requester, "organization_id": org, "queue_id": rng.choice(queues),
                "priority": priority, "status": status, "channel": "portal",
                "assignee_id": agent if responded else None, "created_by_id": requester, "created_at": created,
                "updated_at": closed or last, "first_response_at": answered if responded else None,
                "resolved_at": resolved, "closed_at": closed, "first_resolved_at": resolved,
                "first_response_minutes": first_response_minutes, "first_resolution_minutes": resolution_minutes,
                "resolution_minutes": resolution_minutes, "public_agent_replies": 1 if responded else 0,
                "sla_policy_id": policy.pk if policy else None,
                "first_response_due": created + timedelta(minutes=policy.first_response_minutes) if policy else None,
                "resolution_due": created + timedelta(minutes=policy.resolution_minutes) if policy else None,
                "version": len(history),
            }

    done = 0
    rows = ticket_rows()
    while done < tickets:
        batch = [row for _i, row in zip(range(50_000), rows, strict=False)]
        if not batch:
            break
        done += ticket_copier.copy(batch)
        message_copier.copy(messages)
        event_copier.copy(events)
        counts["messages"] = counts.get("messages", 0) + len(messages)
        counts["status history"] = counts.get("status history", 0) + len(events)
        messages.clear()
        events.clear()
        step("tickets", done)
    reset_sequences([User, Organization, Ticket, Message, TicketEvent, member_table, user_groups])
    with connection().cursor() as cursor:
        cursor.execute("ANALYZE")
    out(f"done in {time.monotonic() - started:.1f} s: {counts}")
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=TICKETS_DEFAULT)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--migrate", action="store_true", help="Run the migrations first.")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import transaction

    if args.migrate:
        call_command("migrate", verbosity=0)
    with transaction.atomic():
        generate(tickets=args.tickets, seed=args.seed)


if __name__ == "__main__":
    main()
