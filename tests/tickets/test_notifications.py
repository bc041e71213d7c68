from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tickets import services
from tickets.models import Ticket


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def run(func, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(**kwargs)

    return run


@pytest.mark.django_db
def test_customer_email_goes_out_in_their_language(customer_b, queue_x, send):
    customer_b.locale = "zh-hans"
    customer_b.save()
    ticket = send(services.ticket_create, requester=customer_b, subject="无法登录", description="登录时报错",
                  queue=queue_x)
    message = mail.outbox[-1]
    assert message.subject.startswith(f"[{ticket.reference}]")
    assert message.subject == f"[{ticket.reference}] 我们已收到您的请求：无法登录"


@pytest.mark.django_db
def test_assignee_hears_of_assignment_and_customer_replies(customer_b, queue_x, agent, send):
    ticket = services.ticket_create(requester=customer_b, subject="Export fails", description="x", queue=queue_x,
                                    notify=False)
    send(services.ticket_update, ticket=ticket, actor=agent, assignee=agent)
    assert mail.outbox[-1].to == [agent.email] and "Assigned to you" in mail.outbox[-1].subject
    send(services.ticket_customer_reply, ticket=ticket, customer=customer_b, body="Any news?")
    assert mail.outbox[-1].to == [agent.email] and "Any news?" in mail.outbox[-1].body


@pytest.mark.django_db
def test_replies_thread_back_to_the_ticket_by_message_id(customer_b, queue_x, agent, send):
    ticket = services.ticket_create(requester=customer_b, subject="Export fails", description="x", queue=queue_x,
                                    email_message_id="<original@customer.example>", channel="email", notify=False)
    reply = send(services.ticket_agent_reply, ticket=ticket, agent=agent, body="Try again now.")
    sent = mail.outbox[-1]
    assert sent.extra_headers["In-Reply-To"] == "<original@customer.example>"
    reply.refresh_from_db()
    assert reply.email_message_id == sent.extra_headers["Message-ID"]


@pytest.mark.django_db
def test_periodic_commands(customer_b, queue_x, agent, capsys):
    ticket = services.ticket_create(requester=customer_b, subject="Old", description="x", queue=queue_x,
                                    notify=False)
    services.ticket_update(ticket=ticket, actor=agent, status="resolved", resolution_summary="Done",
                           now=timezone.now() - timedelta(days=30), notify=False)
    call_command("close_resolved_tickets")
    call_command("check_sla")
    output = capsys.readouterr().out
    assert "Closed 1 ticket(s)" in output and "breach(es) raised" in output
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.CLOSED


@pytest.mark.django_db
def test_a_reply_that_resolves_sends_the_customer_one_email(customer_b, queue_x, agent, send):
    ticket = services.ticket_create(requester=customer_b, subject="Export fails", description="x", queue=queue_x,
                                    notify=False)
    reply = send(services.ticket_agent_reply, ticket=ticket, agent=agent, body="Fixed in 5.3: please update.",
                 status=Ticket.Status.RESOLVED, resolution_summary="Upgrade to 5.3")
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    sent = mail.outbox[0]
    assert sent.to == [customer_b.email]
    assert sent.subject == f"[{ticket.reference}] Resolved: Export fails"
    assert "Alex Agent replied and marked your request as resolved:" in sent.body
    assert "Fixed in 5.3: please update." in sent.body and "Resolution: Upgrade to 5.3" in sent.body
    assert "reopen the request" in sent.body
    reply.refresh_from_db()
    assert reply.email_message_id == sent.extra_headers["Message-ID"], "the customer's answer threads onto it"


@pytest.mark.django_db
def test_resolving_from_the_side_panel_or_with_a_note_sends_one_notice(customer_b, queue_x, agent, send):
    first = services.ticket_create(requester=customer_b, subject="One", description="x", queue=queue_x, notify=False)
    send(services.ticket_update, ticket=first, actor=agent, status=Ticket.Status.RESOLVED, resolution_summary="Done")
    second = services.ticket_create(requester=customer_b, subject="Two", description="x", queue=queue_x,
                                    notify=False)
    send(services.ticket_agent_reply, ticket=second, agent=agent, body="Internal: config fixed", internal=True,
         status=Ticket.Status.RESOLVED, resolution_summary="Config fixed")
    assert [message.subject for message in mail.outbox] == [
        f"[{first.reference}] Resolved: One", f"[{second.reference}] Resolved: Two"]
    assert "Internal: config fixed" not in mail.outbox[1].body and "Config fixed" in mail.outbox[1].body


@pytest.mark.django_db
def test_a_plain_reply_is_still_a_reply_email(customer_b, queue_x, agent, send):
    ticket = services.ticket_create(requester=customer_b, subject="Export fails", description="x", queue=queue_x,
                                    notify=False)
    send(services.ticket_agent_reply, ticket=ticket, agent=agent, body="Which version?")
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == f"[{ticket.reference}] Export fails"
    assert "Alex Agent replied to your request:" in mail.outbox[0].body
