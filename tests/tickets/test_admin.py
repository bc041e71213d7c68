"""Django admin for tickets: configuration is editable, tickets are viewed and searched only."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.tickets import png_bytes
from tests.factories import AgentFactory, CustomerFactory
from tests.tickets.factories import QueueFactory, TicketFactory
from tickets import services
from tickets.models import (
    Attachment,
    BusinessHours,
    CannedResponse,
    IntakeRecord,
    Message,
    Queue,
    SLAPolicy,
    Tag,
    Ticket,
    TicketEvent,
)

READ_ONLY = [Ticket, Message, Attachment, TicketEvent, IntakeRecord]
EDITABLE = [BusinessHours, SLAPolicy, Queue, Tag, CannedResponse]


def admin_url(model, action, *args):
    return reverse(f"admin:tickets_{model._meta.model_name}_{action}", args=args)


def changelist_ids(response):
    return {obj.pk for obj in response.context["cl"].result_list}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_every_tickets_model_is_registered():
    registered = {model for model in admin.site._registry if model._meta.app_label == "tickets"}
    assert set(READ_ONLY + EDITABLE) <= registered


@pytest.mark.django_db
def test_a_reference_or_a_number_finds_the_ticket(client, admin_user):
    tickets = TicketFactory.create_batch(3, subject="Printer on fire")
    wanted = tickets[1]
    client.force_login(admin_user)
    url = admin_url(Ticket, "changelist")

    for term in [wanted.reference, wanted.reference.lower(), str(wanted.pk), f"#{wanted.pk}"]:
        assert wanted.pk in changelist_ids(client.get(url, {"q": term})), term
    assert changelist_ids(client.get(url, {"q": "HD-999999"})) == set()
    assert changelist_ids(client.get(url, {"q": wanted.requester.email})) == {wanted.pk}
    assert changelist_ids(client.get(url, {"q": "printer"})) == {ticket.pk for ticket in tickets}
    # the related lists find a ticket's rows by its reference too
    assert {message.ticket_id for message in client.get(admin_url(Message, "changelist"),
                                                        {"q": wanted.reference}).context["cl"].result_list} \
        == {wanted.pk}


def _make_tickets(count, queue, agent):
    queue.members.add(agent)  # only the queue's agents may reply
    customers = [CustomerFactory() for _ in range(3)]
    for index in range(count):
        ticket = services.ticket_create(requester=customers[index % 3], subject=f"Cannot export #{index}",
                                        description="The export times out.", queue=queue, notify=False)
        services.ticket_update(ticket=ticket, actor=agent, assignee=agent, tags=["export"], notify=False)
        services.ticket_agent_reply(ticket=ticket, agent=agent, body="Looking into it.", notify=False)


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Ticket, Message, TicketEvent, Queue, Tag])
def test_lists_run_the_same_queries_for_5_or_30_tickets(client, admin_user, model):
    queue, agent = QueueFactory(name="Technical"), AgentFactory()
    client.force_login(admin_user)
    url = admin_url(model, "changelist")

    _make_tickets(5, queue, agent)
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _make_tickets(25, queue, agent)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


@pytest.mark.django_db
def test_tickets_cannot_be_changed_or_deleted_in_admin(client, admin_user):
    ticket = TicketFactory(subject="Original subject")
    client.force_login(admin_user)

    response = client.post(admin_url(Ticket, "change", ticket.pk), {"subject": "Changed", "status": "closed"})
    assert response.status_code == 403
    assert client.post(admin_url(Ticket, "delete", ticket.pk), {"post": "yes"}).status_code == 403
    assert client.post(admin_url(Ticket, "changelist"),
                       {"action": "delete_selected", "_selected_action": [ticket.pk]}).status_code in (200, 302)
    ticket.refresh_from_db()
    assert ticket.subject == "Original subject" and ticket.status == Ticket.Status.NEW
    page = client.get(admin_url(Ticket, "changelist")).content.decode()
    assert "delete_selected" not in page


@pytest.mark.django_db
def test_ticket_text_is_shown_inert(client, admin_user):
    ticket = TicketFactory(subject='<script>alert("x")</script>', description="<img src=x onerror=alert(1)>")
    client.force_login(admin_user)

    for url in [admin_url(Ticket, "changelist"), admin_url(Ticket, "change", ticket.pk)]:
        page = client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in page
        assert "&lt;script&gt;" in page
        assert "<img src=x" not in page


@pytest.mark.django_db
def test_managers_read_tickets_in_admin_but_cannot_change_them(client, manager, agent):
    ticket = TicketFactory()
    client.force_login(manager)
    assert client.get(admin_url(Ticket, "changelist")).status_code == 200
    page = client.get(admin_url(Ticket, "change", ticket.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(admin_url(Ticket, "change", ticket.pk), {"subject": "x"}).status_code == 403
    assert client.get(admin_url(Queue, "changelist")).status_code == 200
    assert client.get(admin_url(Queue, "add")).status_code == 403, "queues are set up by admins"

    client.force_login(agent)  # agents do not use the admin site at all
    assert client.get(admin_url(Ticket, "changelist")).status_code == 302


@pytest.mark.django_db
def test_attachments_are_listed_without_a_public_file_link(client, admin_user, media):
    customer, queue = CustomerFactory(), QueueFactory()
    ticket = services.ticket_create(
        requester=customer, subject="Screenshot", description="See the picture.", queue=queue, notify=False,
        files=[SimpleUploadedFile("screen.png", png_bytes())],
    )
    attachment = Attachment.objects.get(message__ticket=ticket)
    client.force_login(admin_user)

    listing = client.get(admin_url(Attachment, "changelist")).content.decode()
    assert "screen.png" in listing and ticket.reference in listing
    page = client.get(admin_url(Attachment, "change", attachment.pk)).content.decode()
    assert "screen.png" in page and "image/png" in page and ticket.get_absolute_url() in page
    assert attachment.file.name not in page and attachment.file.url not in page


@pytest.mark.django_db
def test_queue_people_must_be_staff(client, admin_user, agent, customer_a):
    queue = QueueFactory(name="Technical", slug="technical")
    client.force_login(admin_user)
    url = admin_url(Queue, "change", queue.pk)

    members_field = client.get(url).context["adminform"].form.fields["members"]
    assert agent in members_field.queryset and customer_a not in members_field.queryset

    data = {"name": "Technical", "slug": "technical", "description": "", "ordering": 0, "is_public": "on",
            "email_address": "", "manager": customer_a.pk, "members": [agent.pk],
            "assignment": "round_robin", "assign_on_reply": "on"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "must be an active agent" in response.content.decode()
    assert queue.members.count() == 0

    data["manager"] = agent.pk
    assert client.post(url, data).status_code == 302
    queue.refresh_from_db()
    assert queue.manager == agent and list(queue.members.all()) == [agent]
    assert queue.assignment == Queue.Assignment.ROUND_ROBIN and queue.assign_on_reply


@pytest.mark.django_db
def test_canned_responses_accept_only_known_placeholders(client, admin_user):
    client.force_login(admin_user)
    url = admin_url(CannedResponse, "add")

    response = client.post(url, {"title": "Hello", "queue": "", "body": "Dear {customer}, see {reference}."})
    assert response.status_code == 200
    assert "Unknown placeholder {customer}" in response.content.decode()
    assert not CannedResponse.objects.exists()

    body = "Hi {customer_name}, {reference} ({subject}) is fixed. {agent_name}"
    assert client.post(url, {"title": "Fixed", "queue": "", "body": body}).status_code == 302
    assert CannedResponse.objects.get().body == body


@pytest.mark.django_db
def test_tags_are_stored_in_lower_case(client, admin_user):
    Tag.objects.create(name="vpn")
    client.force_login(admin_user)

    response = client.post(admin_url(Tag, "add"), {"name": " VPN "})
    assert response.status_code == 200 and Tag.objects.count() == 1  # already exists
    assert client.post(admin_url(Tag, "add"), {"name": "Billing"}).status_code == 302
    assert Tag.objects.filter(name="billing").exists()
