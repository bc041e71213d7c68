"""The customer portal: submitting a ticket, the list, the ticket page and the customer's actions on it."""

import struct
import zlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.tickets.factories import QueueFactory, TicketFactory
from tickets import services
from tickets.models import Attachment, Message, Priority, Ticket

Status = Ticket.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def private_queue(db):
    return QueueFactory(name="Escalations", slug="escalations", is_public=False)


def create_data(queue, **overrides):
    data = {
        "subject": "Export stops at 1,000 rows",
        "description": "The CSV export of invoices stops at row 1,000.",
        "category": queue.pk,
        "product": "Ledger Pro 4.2",
        "impact": "high",
        "urgency": "high",
    }
    data.update(overrides)
    return data


def url(name, ticket):
    return reverse(f"tickets:{name}", args=[ticket.reference])


def body(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- submitting


def test_submit_with_two_attachments_creates_the_ticket_and_sends_the_acknowledgement(
    client, customer_a, queue_x, django_capture_on_commit_callbacks
):
    client.force_login(customer_a)
    files = [upload("screen.png", png_bytes(), "image/png"), upload("notes.txt", b"step 1\nstep 2\n", "text/plain")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tickets:portal-create"), create_data(queue_x, attachments=files))

    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == ticket.get_portal_url()
    assert ticket.requester == customer_a and ticket.organization == customer_a.organization
    assert ticket.queue == queue_x and ticket.channel == Ticket.Channel.PORTAL
    assert ticket.priority == Priority.URGENT  # high impact, high urgency
    assert ticket.product == "Ledger Pro 4.2"
    message = ticket.messages.get()
    assert message.body == "The CSV export of invoices stops at row 1,000." and not message.is_internal
    attachments = {a.original_name: a for a in Attachment.objects.filter(message=message)}
    assert set(attachments) == {"screen.png", "notes.txt"}
    assert attachments["screen.png"].content_type == "image/png"
    assert attachments["notes.txt"].content_type == "text/plain"
    assert attachments["screen.png"].file.read() == png_bytes()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@acme.example"]
    assert ticket.reference in mail.outbox[0].subject

    page = body(client.get(response.url))
    assert "What happens next" in page
    assert ticket.reference in page and "alice@acme.example" in page
    assert "What happens next" not in body(client.get(response.url)), "the explanation is shown once"


@pytest.mark.parametrize(("impact", "urgency", "priority"), [
    ("low", "low", Priority.LOW), ("medium", "medium", Priority.NORMAL), ("high", "medium", Priority.HIGH),
    ("low", "high", Priority.HIGH),  # "Now: our work is blocked", even for one person, is not Normal
])
def test_priority_follows_impact_and_urgency(client, customer_a, queue_x, impact, urgency, priority):
    client.force_login(customer_a)
    client.post(reverse("tickets:portal-create"), create_data(queue_x, impact=impact, urgency=urgency))
    assert Ticket.objects.get().priority == priority


def test_the_form_says_what_the_answers_mean_and_the_ticket_page_says_the_priority(client, customer_a, queue_x):
    client.force_login(customer_a)
    form_page = body(client.get(reverse("tickets:portal-create")))
    assert "Now: our work is blocked" in form_page
    assert "blocked work is High" in form_page
    response = client.post(reverse("tickets:portal-create"), create_data(queue_x, impact="low", urgency="high"))
    page = body(client.get(response.url))
    assert "From your answers about who is affected and how soon, we gave it High priority." in page


@pytest.mark.parametrize("content", [
    b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>',
])
def test_markup_renamed_png_is_refused_and_nothing_is_saved(
    client, customer_a, queue_x, content, django_capture_on_commit_callbacks
):
    client.force_login(customer_a)
    files = [upload("fine.txt", b"hello"), upload("holiday.png", content, "image/png")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tickets:portal-create"), create_data(queue_x, attachments=files))

    assert response.status_code == 200
    errors = response.context["form"].errors["attachments"]
    assert any("holiday.png" in error for error in errors)
    page = body(response)
    assert "holiday.png" in page and "not a file type we accept" in page
    assert Ticket.objects.count() == 0
    assert Message.objects.count() == 0 and Attachment.objects.count() == 0
    assert mail.outbox == []
    # What was typed is still there; only the files must be chosen again.
    assert 'value="Export stops at 1,000 rows"' in page
    assert "The CSV export of invoices stops at row 1,000." in page


def test_oversize_file_is_refused(client, customer_a, queue_x, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client.force_login(customer_a)
    files = [upload("big.log", b"x" * 2048)]
    response = client.post(reverse("tickets:portal-create"), create_data(queue_x, attachments=files))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "big.log" in errors and "at most" in errors
    assert Ticket.objects.count() == 0 and Attachment.objects.count() == 0


def test_only_public_queues_are_offered(client, customer_a, queue_x, private_queue):
    client.force_login(customer_a)
    response = client.get(reverse("tickets:portal-create"))
    offered = list(response.context["form"].fields["category"].queryset)
    assert queue_x in offered and private_queue not in offered
    assert all(queue.is_public for queue in offered)
    assert "Escalations" not in body(response)
    assert '<div id="kb-suggestions">' in body(response)


def test_a_non_public_queue_cannot_be_posted(client, customer_a, queue_x, private_queue):
    client.force_login(customer_a)
    response = client.post(reverse("tickets:portal-create"), create_data(private_queue))
    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert Ticket.objects.count() == 0


def test_missing_fields_are_reported_next_to_them(client, customer_a, queue_x):
    client.force_login(customer_a)
    response = client.post(reverse("tickets:portal-create"), create_data(queue_x, subject="   ", description=""))
    errors = response.context["form"].errors
    assert "subject" in errors and "description" in errors
    assert Ticket.objects.count() == 0


def test_follow_up_of_a_closed_ticket(client, customer_a, queue_x):
    old = TicketFactory(requester=customer_a, queue=queue_x, status=Status.CLOSED)
    client.force_login(customer_a)
    response = client.get(reverse("tickets:portal-create") + f"?follow_up={old.reference}")
    assert old.reference in response.context["form"].initial["description"]
    client.post(reverse("tickets:portal-create"), create_data(queue_x, follow_up=old.reference))
    assert Ticket.objects.exclude(pk=old.pk).get().follow_up_of == old


def test_follow_up_of_someone_elses_ticket_is_ignored(client, customer_b, customer_a, queue_x):
    other = TicketFactory(requester=customer_a, queue=queue_x)
    client.force_login(customer_b)
    response = client.get(reverse("tickets:portal-create") + f"?follow_up={other.reference}")
    assert other.subject not in body(response)
    client.post(reverse("tickets:portal-create"), create_data(queue_x, follow_up=other.reference))
    assert Ticket.objects.exclude(pk=other.pk).get().follow_up_of is None


# ---------------------------------------------------------------- who may see what


@pytest.fixture
def ticket_a(customer_a, queue_x):
    ticket = services.ticket_create(requester=customer_a, subject="Printer offline", description="Since Monday.",
                                    queue=queue_x, files=[upload("shot.png", png_bytes())], notify=False)
    return ticket


def test_another_customer_gets_404_everywhere(client, customer_b, ticket_a):
    client.force_login(customer_b)
    attachment = Attachment.objects.get(message__ticket=ticket_a)
    assert client.get(url("portal-detail", ticket_a)).status_code == 404
    for name in ("portal-reply", "portal-resolve", "portal-reopen", "portal-close"):
        assert client.post(url(name, ticket_a), {"body": "hi", "reason": "no"}).status_code == 404, name
    assert client.get(reverse("tickets:attachment", args=[attachment.pk])).status_code == 404
    ticket_a.refresh_from_db()
    assert ticket_a.status == Status.NEW and ticket_a.messages.count() == 1


def test_unknown_reference_is_404(client, customer_a):
    client.force_login(customer_a)
    assert client.get(reverse("tickets:portal-detail", args=["HD-999999"])).status_code == 404
    assert client.get(reverse("tickets:portal-detail", args=["nonsense"])).status_code == 404


def test_primary_contact_sees_a_colleagues_ticket_but_a_member_does_not_see_theirs(
    client, customer_a, customer_a2, queue_x
):
    bobs = TicketFactory(requester=customer_a2, queue=queue_x, subject="Bob's problem")
    alices = TicketFactory(requester=customer_a, queue=queue_x, subject="Alice's problem")
    client.force_login(customer_a)
    response = client.get(url("portal-detail", bobs))
    assert response.status_code == 200 and "Bob&#x27;s problem" in body(response)
    listing = body(client.get(reverse("tickets:portal-list")))
    assert "Bob&#x27;s problem" in listing and "Bob A" in listing, "primary contact sees who asked"

    client.force_login(customer_a2)
    assert client.get(url("portal-detail", alices)).status_code == 404
    listing = client.get(reverse("tickets:portal-list"))
    assert [t.pk for t in listing.context["page"].object_list] == [bobs.pk]
    assert not listing.context["show_requester"]


@pytest.mark.parametrize("name", ["portal-list", "portal-create"])
def test_anonymous_visitor_is_sent_to_sign_in(client, name):
    response = client.get(reverse(f"tickets:{name}"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login") + "?next=")


def test_anonymous_visitor_is_sent_to_sign_in_from_a_ticket(client, ticket_a):
    response = client.get(url("portal-detail", ticket_a))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    response = client.post(url("portal-reply", ticket_a), {"body": "hello"})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert ticket_a.messages.count() == 1


def test_agents_are_sent_to_the_desk(client, agent, ticket_a):
    client.force_login(agent)
    assert client.get(reverse("tickets:portal-list")).url == reverse("desk-home")
    assert client.get(reverse("tickets:portal-create")).url == reverse("desk-home")
    assert client.get(url("portal-detail", ticket_a)).url == url("desk-detail", ticket_a)


def test_actions_are_post_only(client, customer_a, ticket_a):
    client.force_login(customer_a)
    for name in ("portal-reply", "portal-resolve", "portal-reopen", "portal-close"):
        assert client.get(url(name, ticket_a)).status_code == 405, name


# ---------------------------------------------------------------- the ticket page


def test_internal_notes_and_their_files_never_reach_the_portal(client, customer_a, agent, ticket_a):
    services.ticket_agent_reply(ticket=ticket_a, agent=agent, body="Customer is on the old plan, SECRET-NOTE",
                                internal=True, files=[upload("internal-diagnosis.txt", b"secret")], notify=False)
    services.ticket_agent_reply(ticket=ticket_a, agent=agent, body="Please restart the printer.", notify=False)
    note_file = Attachment.objects.get(original_name="internal-diagnosis.txt")

    client.force_login(customer_a)
    page = body(client.get(url("portal-detail", ticket_a)))
    assert "Please restart the printer." in page
    assert "SECRET-NOTE" not in page and "internal-diagnosis.txt" not in page
    assert reverse("tickets:attachment", args=[note_file.pk]) not in page
    assert client.get(reverse("tickets:attachment", args=[note_file.pk])).status_code == 404

    client.force_login(agent)
    response = client.get(reverse("tickets:attachment", args=[note_file.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"secret"


def test_ticket_page_shows_thread_attachments_and_who_works_on_it(client, customer_a, agent, ticket_a):
    services.ticket_update(ticket=ticket_a, actor=agent, assignee=agent)
    client.force_login(customer_a)
    response = client.get(url("portal-detail", ticket_a))
    page = body(response)
    attachment = Attachment.objects.get(message__ticket=ticket_a)
    assert reverse("tickets:attachment", args=[attachment.pk]) in page and "shot.png" in page
    assert ticket_a.reference in page and "Since Monday." in page
    assert "Alex" in page and "Alex Agent" not in page, "only the agent's first name is shown"
    assert "badge-status status-new" in page
    assert 'action="' + url("portal-reply", ticket_a) + '"' in page
    assert 'action="' + url("portal-resolve", ticket_a) + '"' in page


def facts(page) -> str:
    return page[page.index('id="facts-title"'):]


def test_a_resolved_ticket_nobody_was_assigned_to_says_who_answered(client, customer_a, agent, agent_y, queue_x):
    queue_x.members.add(agent_y)
    queue_x.assign_on_reply = False  # a queue where replying does not assign
    queue_x.save()
    ticket = services.ticket_create(requester=customer_a, subject="VPN drops", description="x", queue=queue_x,
                                    notify=False)
    for author, text in [(agent, "Which client?"), (agent_y, "Try 5.2."), (agent, "Fixed in 5.3.")]:
        services.ticket_agent_reply(ticket=ticket, agent=author, body=text, notify=False)
    services.ticket_update(ticket=ticket, actor=agent, status=Status.RESOLVED, resolution_summary="Upgrade to 5.3",
                           notify=False)
    client.force_login(customer_a)
    details = facts(body(client.get(url("portal-detail", ticket))))
    assert "Not assigned yet" not in details
    assert "<dt>Answered by</dt><dd>Alex, Sam</dd>" in details


def test_an_assigned_resolved_ticket_says_who_handled_it(client, customer_a, agent, ticket_a):
    services.ticket_update(ticket=ticket_a, actor=agent, assignee=agent, notify=False)
    services.ticket_update(ticket=ticket_a, actor=agent, status=Status.RESOLVED, resolution_summary="Done",
                           notify=False)
    client.force_login(customer_a)
    details = facts(body(client.get(url("portal-detail", ticket_a))))
    assert "<dt>Handled by</dt><dd>Alex</dd>" in details and "Working on it" not in details


def test_a_new_ticket_nobody_answered_says_it_is_not_assigned_yet(client, customer_a, ticket_a):
    client.force_login(customer_a)
    details = facts(body(client.get(url("portal-detail", ticket_a))))
    assert "<dt>Working on it</dt>" in details and "Not assigned yet" in details


def test_user_text_is_rendered_inert(client, customer_a, queue_x):
    ticket = services.ticket_create(
        requester=customer_a, subject="<script>alert('s')</script>", queue=queue_x, notify=False,
        description="<script>alert('b')</script>\njavascript:alert(1)",
        files=[upload("<img src=x onerror=alert(1)>.txt", b"plain text")],
    )
    client.force_login(customer_a)
    for page in (body(client.get(url("portal-detail", ticket))), body(client.get(reverse("tickets:portal-list"))),
                 body(client.get(reverse("portal-home")))):
        assert "<script>alert(" not in page
        assert "&lt;script&gt;alert(" in page
        assert 'href="javascript:' not in page
    detail = body(client.get(url("portal-detail", ticket)))
    assert "<img src=x" not in detail and "&lt;img src=x onerror=alert(1)&gt;.txt" in detail


def test_closed_ticket_has_no_reply_form_but_says_how_to_go_on(client, customer_a, queue_x):
    ticket = TicketFactory(requester=customer_a, queue=queue_x, status=Status.CLOSED)
    client.force_login(customer_a)
    page = body(client.get(url("portal-detail", ticket)))
    assert url("portal-reply", ticket) not in page
    assert "open a new request and mention " + ticket.reference in page
    assert reverse("tickets:portal-create") + "?follow_up=" + ticket.reference in page


def test_merged_ticket_links_to_the_ticket_it_was_merged_into(client, customer_a, agent, queue_x):
    source = TicketFactory(requester=customer_a, queue=queue_x)
    target = TicketFactory(requester=customer_a, queue=queue_x)
    services.ticket_merge(source=source, target=target, actor=agent)
    client.force_login(customer_a)
    page = body(client.get(url("portal-detail", source)))
    assert f'href="{url("portal-detail", target)}"' in page
    assert url("portal-reply", source) not in page
    assert "was merged into" not in body(client.get(url("portal-detail", target))), "the merge note is internal"


# ---------------------------------------------------------------- replying


def test_reply_on_a_pending_ticket_reopens_it(client, customer_a, queue_x):
    ticket = TicketFactory(requester=customer_a, queue=queue_x, status=Status.PENDING)
    client.force_login(customer_a)
    response = client.post(url("portal-reply", ticket), {
        "body": "Here is the log you asked for.", "attachments": [upload("server.log", b"error at 12:00")],
    })
    assert response.status_code == 302 and response.url.startswith(ticket.get_portal_url())
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    reply = ticket.messages.order_by("pk").last()
    assert reply.body == "Here is the log you asked for." and reply.author == customer_a and not reply.from_agent
    assert [a.original_name for a in reply.attachments.all()] == ["server.log"]
    assert "Your reply was added" in body(client.get(response.url))


def test_empty_reply_is_refused_next_to_the_field(client, customer_a, ticket_a):
    client.force_login(customer_a)
    response = client.post(url("portal-reply", ticket_a), {"body": "  "})
    assert response.status_code == 200 and "body" in response.context["reply_form"].errors
    assert ticket_a.messages.count() == 1


def test_reply_with_a_refused_file_keeps_the_text(client, customer_a, ticket_a):
    client.force_login(customer_a)
    response = client.post(url("portal-reply", ticket_a), {
        "body": "See the page attached", "attachments": [upload("page.png", b"<html><script>x</script></html>")],
    })
    assert response.status_code == 200
    assert any("page.png" in e for e in response.context["reply_form"].errors["attachments"])
    assert "See the page attached" in body(response)
    assert ticket_a.messages.count() == 1 and Attachment.objects.count() == 1


def test_refused_reply_shows_the_reason_and_keeps_the_text(client, customer_a, queue_x):
    ticket = TicketFactory(requester=customer_a, queue=queue_x, status=Status.CLOSED)
    client.force_login(customer_a)
    response = client.post(url("portal-reply", ticket), {"body": "One more thing about this"})
    assert response.status_code == 200
    page = body(response)
    assert "This ticket is closed" in page and "alert-danger" in page
    assert "One more thing about this" in page
    assert ticket.messages.count() == 1


# ---------------------------------------------------------------- resolve, reopen, close


def resolved_ticket(customer, queue, days_ago):
    return TicketFactory(requester=customer, queue=queue, status=Status.RESOLVED,
                         resolved_at=timezone.now() - timedelta(days=days_ago), resolution_summary="Fixed the relay.")


def test_customer_marks_an_active_ticket_resolved(client, customer_a, ticket_a):
    client.force_login(customer_a)
    response = client.post(url("portal-resolve", ticket_a))
    assert response.status_code == 302
    ticket_a.refresh_from_db()
    assert ticket_a.status == Status.RESOLVED and ticket_a.resolved_at is not None
    page = body(client.get(response.url))
    assert "marked as resolved" in page
    assert url("portal-close", ticket_a) in page and url("portal-reopen", ticket_a) in page
    assert url("portal-resolve", ticket_a) not in page


def test_reopen_within_the_window(client, customer_a, queue_x, settings):
    settings.TICKET_REOPEN_DAYS = 7
    ticket = resolved_ticket(customer_a, queue_x, days_ago=2)
    client.force_login(customer_a)
    response = client.post(url("portal-reopen", ticket), {"reason": "It broke again this morning."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.reopened_count == 1
    assert ticket.messages.filter(body="It broke again this morning.", author=customer_a).exists()
    assert "open again" in body(client.get(response.url))


def test_reopen_after_the_window_is_refused_with_a_message(client, customer_a, queue_x, settings):
    settings.TICKET_REOPEN_DAYS = 7
    ticket = resolved_ticket(customer_a, queue_x, days_ago=9)
    client.force_login(customer_a)
    page = body(client.get(url("portal-detail", ticket)))
    assert url("portal-reopen", ticket) not in page and "too long ago" in page
    response = client.post(url("portal-reopen", ticket), {"reason": "Still broken"})
    assert response.status_code == 200
    assert "Only a ticket resolved in the last 7 days can be reopened" in body(response)
    assert "Still broken" in body(response), "the typed reason is shown back"
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.messages.count() == 1


def test_customer_closes_a_resolved_ticket(client, customer_a, queue_x):
    ticket = resolved_ticket(customer_a, queue_x, days_ago=1)
    client.force_login(customer_a)
    response = client.post(url("portal-close", ticket))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.closed_at is not None
    page = body(client.get(response.url))
    assert "is closed" in page and url("portal-reply", ticket) not in page


def test_closing_an_open_ticket_is_refused(client, customer_a, ticket_a):
    client.force_login(customer_a)
    response = client.post(url("portal-close", ticket_a), follow=True)
    assert "Only a resolved ticket can be closed." in body(response)
    ticket_a.refresh_from_db()
    assert ticket_a.status == Status.NEW


# ---------------------------------------------------------------- the list


@pytest.fixture
def mixed_tickets(customer_a, queue_x):
    return {
        "new": TicketFactory(requester=customer_a, queue=queue_x, subject="Login page slow", status=Status.NEW),
        "pending": TicketFactory(requester=customer_a, queue=queue_x, subject="Invoice missing",
                                 status=Status.PENDING),
        "resolved": TicketFactory(requester=customer_a, queue=queue_x, subject="Password reset",
                                  status=Status.RESOLVED, resolved_at=timezone.now()),
        "closed": TicketFactory(requester=customer_a, queue=queue_x, subject="Old quote", status=Status.CLOSED),
    }


def listed(client, **params):
    response = client.get(reverse("tickets:portal-list"), params)
    assert response.status_code == 200
    return {ticket.subject for ticket in response.context["page"].object_list}


def test_status_filters(client, customer_a, mixed_tickets):
    client.force_login(customer_a)
    assert listed(client) == {"Login page slow", "Invoice missing", "Password reset", "Old quote"}
    assert listed(client, status="open") == {"Login page slow", "Invoice missing"}
    assert listed(client, status="resolved") == {"Password reset"}
    assert listed(client, status="closed") == {"Old quote"}
    assert listed(client, status="all") == listed(client)
    counts = client.get(reverse("tickets:portal-list")).context["counts"]
    assert counts == {"all": 4, "open": 2, "resolved": 1, "closed": 1}


def test_search_by_subject_or_reference(client, customer_a, mixed_tickets):
    client.force_login(customer_a)
    assert listed(client, q="invoice") == {"Invoice missing"}
    assert listed(client, q=mixed_tickets["closed"].reference.lower()) == {"Old quote"}
    assert listed(client, q="invoice", status="closed") == set()
    assert listed(client, q="invoice", status="bogus") == {"Invoice missing"}, "a bad status falls back to all"
    page = body(client.get(reverse("tickets:portal-list"), {"q": "nothing like this"}))
    assert "No requests match" in page


def test_pagination_keeps_the_filters(client, customer_a, queue_x):
    for number in range(25):
        TicketFactory(requester=customer_a, queue=queue_x, subject=f"Question {number:02d}")
    client.force_login(customer_a)
    first = client.get(reverse("tickets:portal-list"), {"q": "question"})
    assert len(first.context["page"].object_list) == 20
    assert "?q=question&amp;page=2" in body(first)
    assert len(listed(client, q="question", page=2)) == 5
    assert len(listed(client, page=99)) == 5, "a page past the end shows the last one"


def test_empty_list_says_what_to_do(client, customer_a):
    client.force_login(customer_a)
    page = body(client.get(reverse("tickets:portal-list")))
    assert "You have no requests yet" in page
    assert reverse("tickets:portal-create") in page


def test_list_runs_a_fixed_number_of_queries(client, customer_a, customer_a2, queue_x,
                                             django_assert_num_queries):
    client.force_login(customer_a)

    def make(count):
        for number in range(count):
            TicketFactory(requester=customer_a if number % 2 else customer_a2, queue=queue_x)

    make(5)
    # session, user, role groups, status counts, page count, page rows
    with django_assert_num_queries(6):
        client.get(reverse("tickets:portal-list"))
    make(45)
    with django_assert_num_queries(6):
        response = client.get(reverse("tickets:portal-list"))
    assert len(response.context["page"].object_list) == 20


# ---------------------------------------------------------------- portal home


def test_portal_home_shows_recent_requests(client, customer_a, mixed_tickets):
    client.force_login(customer_a)
    page = body(client.get(reverse("portal-home")))
    assert "Login page slow" in page and "badge-status" in page
    assert reverse("tickets:portal-create") in page and reverse("tickets:portal-list") in page
    assert "2 open requests" in page


def test_portal_home_lists_open_requests_first_then_the_most_recent(client, customer_a, queue_x):
    now = timezone.now()
    for subject, status, hours_ago in [("Closed yesterday", Status.CLOSED, 1), ("Resolved today", Status.RESOLVED, 0),
                                       ("Open for a week", Status.OPEN, 170), ("New this morning", Status.NEW, 5),
                                       ("Waiting on me", Status.PENDING, 30)]:
        ticket = TicketFactory(requester=customer_a, queue=queue_x, subject=subject, status=status)
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=now - timedelta(hours=hours_ago))
    client.force_login(customer_a)
    home = client.get(reverse("portal-home"))
    panel = next(panel for panel in home.context["panels"] if "open_count" in panel)
    assert [ticket.subject for ticket in panel["recent"]] == [
        "New this morning", "Waiting on me", "Open for a week", "Resolved today", "Closed yesterday"]
    page = body(home)
    assert page.index("Open for a week") < page.index("Resolved today")
    listed_in_order = [t.subject for t in client.get(reverse("tickets:portal-list")).context["page"].object_list]
    assert listed_in_order[:3] == ["New this morning", "Waiting on me", "Open for a week"]


def test_portal_home_empty_state(client, customer_b):
    client.force_login(customer_b)
    page = body(client.get(reverse("portal-home")))
    assert "No requests yet" in page and reverse("tickets:portal-create") in page
