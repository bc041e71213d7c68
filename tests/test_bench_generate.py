"""The data generator (bench/generate.py) loads a consistent help desk with COPY (PostgreSQL only)."""

import importlib.util
from pathlib import Path

import pytest
from django.db import connection

from helpdesk.accounts.models import Organization, User
from tickets import services
from tickets.models import Message, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def generate():
    if connection.vendor != "postgresql":
        pytest.skip("the generator loads with PostgreSQL COPY")
    path = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


def test_generated_desk_is_consistent_and_renders(generate, client, manager, queue_x, customer_a):
    before_users, before_orgs = User.objects.count(), Organization.objects.count()
    counts = generate(tickets=1000, out=lambda line: None)

    assert Ticket.objects.count() == 1000
    assert Message.objects.count() == 3000
    assert Organization.objects.count() - before_orgs == 20
    assert User.objects.count() - before_users == 100 + counts["agents"]
    # Statuses and timestamps agree.
    assert not Ticket.objects.filter(status__in=["resolved", "closed"], resolved_at__isnull=True).exists()
    active = ["new", "open", "pending", "on_hold"]
    assert not Ticket.objects.filter(status__in=active, resolved_at__isnull=False).exists()
    assert not Ticket.objects.exclude(status="new").filter(first_response_at__isnull=True).exists()
    assert not Ticket.objects.filter(status="closed", closed_at__isnull=True).exists()
    for ticket in Ticket.objects.order_by("?")[:20]:
        last = ticket.events.filter(kind="status").order_by("-version").first()
        assert (last.new_value if last else "new") == ticket.status
        assert ticket.requester.organization_id == ticket.organization_id
    assert TicketEvent.objects.filter(kind="created").count() == 1000

    # Sequences follow the generated rows: the app's own inserts do not collide.
    ticket = services.ticket_create(requester=customer_a, subject="After the load", description="Hello",
                                    queue=queue_x)
    assert ticket.pk > Ticket.objects.exclude(pk=ticket.pk).order_by("-pk").values_list("pk", flat=True)[0]

    generated = Ticket.objects.exclude(pk=ticket.pk).filter(status="resolved").first()
    client.force_login(manager)
    assert client.get("/desk/tickets/").status_code == 200
    response = client.get(generated.get_absolute_url())
    assert response.status_code == 200
    assert generated.subject in response.content.decode()
