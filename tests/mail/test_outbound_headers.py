"""Outbound mail says it is automatic (RFC 3834), so out-of-office robots do not answer it, and its HTML
part is in the recipient's language."""

import pytest

from helpdesk.mail import services
from helpdesk.mail.models import OutboundEmail
from tickets import services as ticket_services

pytestmark = pytest.mark.django_db


def test_every_email_is_auto_generated_unless_the_caller_says_otherwise():
    plain = services.email_queue(to="a@example.com", subject="Hi", text="Hello")
    acknowledged = services.email_queue(to="a@example.com", subject="Hi", text="Hello",
                                        headers={"Auto-Submitted": "auto-replied"})

    assert plain.headers["Auto-Submitted"] == "auto-generated"
    assert acknowledged.headers["Auto-Submitted"] == "auto-replied"
    assert services._build_message(plain).message()["Auto-Submitted"] == "auto-generated"


def test_an_acknowledgement_is_auto_replied_and_a_notification_auto_generated(customer_a, queue_x, agent):
    ticket = ticket_services.ticket_create(requester=customer_a, subject="Cannot log in", description="Error 500",
                                           queue=queue_x)
    ack = OutboundEmail.objects.get(to=customer_a.email)
    ticket_services.ticket_agent_reply(ticket=ticket, agent=agent, body="Try again now.")
    reply = OutboundEmail.objects.filter(to=customer_a.email).exclude(pk=ack.pk).get()

    assert ack.headers["Auto-Submitted"] == "auto-replied"
    assert reply.headers["Auto-Submitted"] == "auto-generated"


@pytest.mark.parametrize(("locale", "lang"), [("zh-hans", "zh-hans"), ("en", "en")])
def test_the_html_part_is_in_the_recipients_language(customer_a, queue_x, locale, lang):
    customer_a.locale = locale
    customer_a.save()

    ticket_services.ticket_create(requester=customer_a, subject="Cannot log in", description="Error 500",
                                  queue=queue_x)

    html = OutboundEmail.objects.get(to=customer_a.email).body_html
    assert f'<html lang="{lang}">' in html


@pytest.mark.parametrize("configured, address", [
    ("Helpdesk <support@acme.example>", "support@acme.example"),
    ('"Acme, Support" <help@acme.example>', "help@acme.example"),
    ("plain@acme.example", "plain@acme.example"),
])
def test_the_support_address_is_the_from_address_without_its_name(settings, configured, address):
    settings.DEFAULT_FROM_EMAIL = configured
    assert services.support_address() == address
