"""Customer-care demo data: check-ins over 90 days (some overdue) and churned organisations."""

import random
import time
from datetime import datetime, timedelta
from datetime import time as clock

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from care.models import CarePlan, CareTask
from helpdesk.accounts.models import Organization, User
from helpdesk.accounts.roles import Role, set_roles
from helpdesk.accounts.services import organization_create, organization_set_status

RANDOM_SEED = 20267
DAYS = 90

OUTCOMES = [
    ("Happy with the product; asked about the reporting roadmap.",
     "Spoke with the primary contact. Usage grew since the last call; they want scheduled exports."),
    ("All good. Renewal expected without changes.",
     "Reviewed their open tickets together, none urgent. Budget for next year approved."),
    ("Some frustration with response times last month; explained the new queue set-up.",
     "Two tickets waited over a day in March. Promised a named contact for urgent issues."),
    ("Planning to add 20 seats next quarter.",
     "New team joining in the summer. Sent the onboarding guide and offered a training session."),
    ("Asked for SSO with their new identity provider.",
     "Passed the request to product. They can wait until the autumn release."),
    ("Invoice question cleared up; otherwise satisfied.",
     "Finance had a duplicate invoice; billing credited it the same day."),
    ("Quarterly review done; no open concerns.",
     "Walked through the satisfaction figures and the two improvements shipped for them."),
]
CHURNED = [
    # name, e-mail domain, account manager, days as a customer, churned days ago, reason, note, customers
    ("Blue Harbor Logistics", "blueharbor.example", "agent1@example.com", 1100, 150, "Moved to a competitor",
     "Signed with a cheaper vendor after the spring price review; open to talk again at their next renewal.",
     [("ines.moreau@blueharbor.example", "Inès Moreau", True), ("paul.grant@blueharbor.example", "Paul Grant", False)]),
    ("Pinecrest Dental Group", "pinecrest.example", "agent2@example.com", 700, 95, "No longer needed",
     "The practice moved its scheduling to a new suite that includes support.",
     [("dana.whitfield@pinecrest.example", "Dana Whitfield", True)]),
    ("Vertex Analytics", "vertex-analytics.example", "agent1@example.com", 420, 38, "Support experience",
     "Two escalations in a row missed their target; the CTO decided not to renew.",
     [("raj.mehta@vertex-analytics.example", "Raj Mehta", True), ("emma.lind@vertex-analytics.example",
                                                                    "Emma Lind", False)]),
]


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def _done(rng, organization, due_on, now, *, next_follow_up_on=None):
    outcome, notes = OUTCOMES[(organization.pk * 3 + due_on.toordinal() // 7) % len(OUTCOMES)]
    done_at = min(_at(due_on + timedelta(days=rng.randint(0, 2)), rng.randint(9, 16), rng.choice([0, 15, 30, 45])),
                  now - timedelta(hours=1))
    return CareTask(kind=CareTask.Kind.CHECK_IN, status=CareTask.Status.DONE, organization=organization,
                    assignee=organization.account_manager, title=f"Check in with {organization.name}",
                    due_on=due_on, created_at=_at(due_on, 6, 30), done_at=done_at,
                    channel=rng.choice(CareTask.Channel.values), outcome=outcome, notes=notes,
                    next_follow_up_on=next_follow_up_on)


def _check_ins(rng, today, now) -> int:
    cadences = dict(CarePlan.objects.filter(is_active=True).values_list("tier", "check_in_every_days"))
    organizations = (Organization.objects.filter(status=Organization.Status.ACTIVE, account_manager__isnull=False,
                                                 tier__in=list(cadences))
                     .select_related("account_manager").order_by("name"))
    tasks = []
    for index, organization in enumerate(organizations):
        cadence = cadences[organization.tier]
        first = max(today - timedelta(days=DAYS - 2 - rng.randint(0, 6)), organization.customer_since)
        done_days = []
        day = first
        while day < today - timedelta(days=7):
            done_days.append(day)
            day += timedelta(days=cadence)
        overdue = index % 2 == 0  # every other organisation waits for a check-in that is late
        open_due = (today - timedelta(days=rng.randint(2, 15)) if overdue
                    else (done_days[-1] if done_days else today) + timedelta(days=cadence))
        open_due = max(open_due, (done_days[-1] + timedelta(days=1)) if done_days else open_due)
        for position, due_on in enumerate(done_days):
            asked_for = open_due if overdue and position == len(done_days) - 1 else None
            tasks.append(_done(rng, organization, due_on, now, next_follow_up_on=asked_for))
        tasks.append(CareTask(kind=CareTask.Kind.CHECK_IN, organization=organization,
                              assignee=organization.account_manager, title=f"Check in with {organization.name}",
                              due_on=open_due, created_at=_at(min(open_due, today), 6, 30)))
    CareTask.objects.bulk_create(tasks)
    return len(tasks)


def _churned(rng, today, now, manager, password_hash) -> int:
    made = 0
    for name, domain, account_manager, days, churned_days_ago, reason, note, customers in CHURNED:
        if Organization.objects.filter(name=name).exists():
            continue
        since = today - timedelta(days=days)
        organization = organization_create(
            name=name, email_domain=domain, tier=Organization.Tier.STANDARD, customer_since=since,
            account_manager=User.objects.filter(email=account_manager).first(), by=manager)
        for email, person, primary in customers:
            if User.objects.filter(email=email).exists():
                continue
            user = User.objects.create(
                email=email, password=password_hash, name=person, organization=organization,
                is_primary_contact=primary, date_joined=_at(since, 10), email_verified_at=_at(since, 10))
            set_roles(user, [Role.CUSTOMER])
        churned_on = today - timedelta(days=churned_days_ago)
        if organization.account_manager_id:  # the last check-in before they left
            CareTask.objects.bulk_create([_done(rng, organization, churned_on - timedelta(days=30), now)])
        organization_set_status(organization=organization, status=Organization.Status.CHURNED, by=manager,
                                reason=reason, note=note, effective_on=churned_on)
        made += 1
    return made


def seed_care(*, users, organizations, stdout=None):
    """Played by the reports story, after every other story has made its organisations."""
    started = time.monotonic()
    rng = random.Random(RANDOM_SEED)
    now = timezone.now()
    today = timezone.localdate(now)
    users = users or {}
    manager = users.get("manager@example.com") or User.objects.filter(groups__name=Role.MANAGER).first()
    check_ins = 0
    if not CareTask.objects.filter(kind=CareTask.Kind.CHECK_IN).exists():
        check_ins = _check_ins(rng, today, now)
    # Every demo login shares one password: reuse a demo customer's hash rather than hash it again.
    template = users.get("alice@acme.example") or User.objects.filter(email="alice@acme.example").first()
    password_hash = template.password if template else make_password("demo1234")
    churned = _churned(rng, today, now, manager, password_hash)
    if stdout is not None and (check_ins or churned):
        stdout.write(f"Added {check_ins} customer check-ins and {churned} churned organisations "
                     f"({time.monotonic() - started:.1f} s).")
