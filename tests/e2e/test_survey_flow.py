"""Satisfaction survey in a real browser: resolve, invite, answer from the e-mail, read it in the desk."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from feedback.models import Question, Survey
from tests.e2e.browser import sign_in
from tests.factories import AgentFactory, CustomerFactory, OrganizationFactory
from tests.tickets.factories import QueueFactory
from tickets import services

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def ticket(transactional_db):
    organization = OrganizationFactory(name="Acme", email_domain="acme.example")
    customer = CustomerFactory(email="alice@acme.example", name="Alice Anderson", organization=organization)
    agent = AgentFactory(email="agent1@example.com", name="Alex Agent")
    queue = QueueFactory(name="Technical", slug="technical")
    queue.members.add(agent)
    survey = Survey.objects.create(name="After a ticket", kind=Survey.Kind.CSAT, scale=5,
                                   trigger=Survey.Trigger.TICKET_RESOLVED, delay_hours=0, expiry_days=14)
    Question.objects.create(survey=survey, order=1, kind=Question.Kind.RATING,
                            text_en="How satisfied are you with our support?", text_zh_hans="您对我们的支持满意吗？")
    return services.ticket_create(requester=customer, subject="Invoice PDF is empty", queue=queue, notify=False,
                                  description="The PDF of invoice 2026-114 has no pages.")


def test_resolve_invite_answer_and_see_the_rating(live_server, ticket, page_at, screenshot):
    base = live_server.url
    agent = page_at(width=1440, height=900)
    sign_in(agent, base, "agent1@example.com")
    agent.goto(f"{base}/desk/tickets/{ticket.reference}/")
    agent.locator("#id_body").fill("The invoice is regenerated; please download it again.")
    agent.get_by_role("button", name="Send and resolve").click()
    agent.locator("#id_resolution_summary").fill("Regenerated the invoice PDF.")
    agent.get_by_role("button", name="Send and resolve").click()
    agent.wait_for_load_state("networkidle")
    expect(agent.locator(".badge-status").first).to_have_text("Resolved")

    mail.outbox.clear()
    call_command("send_due_surveys")  # what Celery beat runs every ten minutes
    invitations = [m for m in mail.outbox if m.to == ["alice@acme.example"]]
    assert len(invitations) == 1
    link = re.search(r"http://\S+/survey/[\w-]+/\?score=5", invitations[0].body).group(0)
    path = link.split("/survey/", 1)[1]

    customer = page_at(width=390, height=844)  # straight from the e-mail: no sign-in
    customer.goto(f"{base}/survey/{path}")
    expect(customer.locator("input[type=radio][value='5']")).to_be_checked()
    customer.locator("textarea[name=comment]").fill("Fast and friendly, thank you!")
    screenshot(customer, "survey-1-customer-answers")
    customer.get_by_role("button", name="Submit").click()
    customer.wait_for_load_state("networkidle")
    expect(customer.locator("body")).to_contain_text("Thank")
    screenshot(customer, "survey-2-customer-thanked")

    agent.goto(f"{base}/desk/tickets/{ticket.reference}/")
    rating = agent.locator("section[aria-labelledby=side-rating]")
    expect(rating).to_contain_text("Fast and friendly, thank you!")
    expect(rating).to_contain_text("5")
    screenshot(agent, "survey-3-desk-sees-rating")
