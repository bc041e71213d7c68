"""The tickets story of ``seed_demo``: believable, consistent, quick, and added once."""

import io

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import F, Max, Q
from django.utils import timezone

from helpdesk.accounts.models import Organization, User
from helpdesk.accounts.roles import is_customer
from helpdesk.mail.models import OutboundEmail
from tickets.models import Attachment, CannedResponse, Holiday, Message, Queue, SLAPolicy, Ticket, TicketEvent
from tickets.services import calendar_for, policy_for


def test_seed_adds_about_300_tickets_once(seeded, django_capture_on_commit_callbacks):
    count = Ticket.objects.count()
    assert 280 <= count <= 320
    assert f"Added {count} demo tickets in 3 queues" in seeded["output"]

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert Ticket.objects.count() == count
    assert CannedResponse.objects.count() == 6


def test_seed_sends_no_email(seeded):
    assert OutboundEmail.objects.count() == 0
    assert seeded["emails"] == []


def test_queues_are_staffed_and_the_vip_sla_and_holidays_exist(seeded):
    agent1, agent2 = User.objects.get(email="agent1@example.com"), User.objects.get(email="agent2@example.com")
    manager = User.objects.get(email="manager@example.com")
    queues = {queue.slug: queue for queue in Queue.objects.all()}
    assert set(queues["technical"].members.all()) == {agent1, agent2}
    assert list(queues["billing"].members.all()) == [agent2]
    assert list(queues["account"].members.all()) == [agent1]
    assert all(queue.manager == manager for queue in queues.values())

    for priority in ["urgent", "high"]:
        vip = SLAPolicy.objects.get(priority=priority, tier="vip")
        general = SLAPolicy.objects.get(priority=priority, tier="")
        assert vip.business_hours == general.business_hours
        assert vip.first_response_minutes < general.first_response_minutes
        assert vip.resolution_minutes < general.resolution_minutes
    assert Holiday.objects.count() == 2
    for response in CannedResponse.objects.all():
        assert "{" in response.body
    placeholders = "".join(CannedResponse.objects.values_list("body", flat=True))
    for name in ["{customer_name}", "{reference}", "{agent_name}", "{subject}"]:
        assert name in placeholders


def test_customers_and_organisations_look_real(seeded):
    assert Organization.objects.filter(status=Organization.Status.ACTIVE).count() == 6  # + 3 churned (care demo)
    assert Organization.objects.filter(tier=Organization.Tier.VIP).count() == 2
    customers = [user for user in User.objects.all() if is_customer(user)]
    assert len(customers) >= 15
    assert any(not user.name.isascii() for user in customers)  # Chinese names too
    assert all(user.organization_id for user in customers)
    assert User.objects.get(email="priya.patel@northwind.example").check_password("demo1234")


def test_tickets_cover_every_status_priority_and_channel(seeded):
    tickets = Ticket.objects.all()
    assert set(tickets.values_list("status", flat=True)) == set(Ticket.Status.values)
    assert set(tickets.values_list("priority", flat=True)) == {"low", "normal", "high", "urgent"}
    assert {"portal", "email", "phone"} <= set(tickets.values_list("channel", flat=True))
    assert tickets.filter(priority="normal").count() > tickets.filter(priority="urgent").count()
    assert tickets.filter(tags__isnull=False).distinct().count() > 200
    assert tickets.filter(assignee__isnull=False).count() > 250
    oldest = tickets.order_by("created_at").first().created_at
    assert timezone.now() - oldest > timezone.timedelta(days=60)
    assert timezone.now() - oldest <= timezone.timedelta(days=91)
    assert tickets.filter(reopened_count__gt=0).exists()
    assert Message.objects.filter(is_internal=True).count() > 20


def test_some_tickets_breached_their_sla(seeded):
    first = Ticket.objects.filter(first_response_at__gt=F("first_response_due"))
    resolution = Ticket.objects.filter(resolved_at__gt=F("resolution_due"))
    assert first.exists() and resolution.exists()
    breached = (first | resolution).distinct().count()
    assert breached < Ticket.objects.count() * 0.25  # a few, not the norm


def test_timelines_are_consistent(seeded):
    now = timezone.now()
    assert not TicketEvent.objects.filter(created_at__gt=now).exists()
    assert not Message.objects.filter(created_at__lt=F("ticket__created_at")).exists()
    for ticket in Ticket.objects.annotate(last_version=Max("events__version")).select_related("organization"):
        assert ticket.version == ticket.last_version, ticket.reference
        # SLA alerts are raised by the check at seeding time and do not change the ticket itself.
        times = list(ticket.events.exclude(kind__startswith="sla").values_list("created_at", flat=True))
        assert times == sorted(times) and times[0] == ticket.created_at, ticket.reference
        assert ticket.updated_at >= times[-1], ticket.reference  # a last step may change nothing
        if ticket.first_response_at:
            assert ticket.first_response_at >= ticket.created_at
        if ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
            assert ticket.resolved_at and ticket.resolution_summary
        if ticket.status == Ticket.Status.CLOSED:
            assert ticket.closed_at > ticket.resolved_at
    assert not Ticket.objects.filter(Q(status="resolved") | Q(status="closed"), resolved_at=None).exists()

    # the due times are the ones the SLA policy and its calendar give
    for ticket in Ticket.objects.filter(first_response_at__isnull=False).select_related("organization")[:40]:
        policy = policy_for(ticket.priority, ticket.organization)
        assert ticket.sla_policy == policy
        if not ticket.events.filter(kind=TicketEvent.Kind.PRIORITY).exists():
            expected = calendar_for(policy).add_minutes(ticket.created_at, policy.first_response_minutes)
            assert ticket.first_response_due == expected, ticket.reference


def test_attachments_are_valid_files(seeded):
    attachments = Attachment.objects.all()
    assert 5 <= attachments.count() <= 80
    assert {"image/png", "text/plain"} <= set(attachments.values_list("content_type", flat=True))
    for attachment in attachments:
        assert default_storage.exists(attachment.file.name)
        assert default_storage.size(attachment.file.name) == attachment.size


def test_requesters_are_customers_and_carol_has_chinese_tickets(seeded):
    for requester in User.objects.filter(tickets_requested__isnull=False).distinct():
        assert is_customer(requester), requester.email
    carol = Ticket.objects.filter(requester__email="carol@globex.example")
    assert carol.count() >= 5
    assert any(not subject.isascii() for subject in carol.values_list("subject", flat=True))
    assert carol.exclude(organization__name="Globex").count() == 0
