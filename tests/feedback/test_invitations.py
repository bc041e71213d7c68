"""The periodic task invites each subject exactly once, respecting fatigue and unsubscribes."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from feedback import services
from feedback.models import CustomerSurveyPreference, SurveyInvitation
from helpdesk.mail.models import OutboundEmail
from tests.factories import CustomerFactory


def test_running_the_task_twice_sends_one_email_per_subject(csat_survey, make_resolved, queue_x, customer_a,
                                                            customer_b, settings):
    settings.SURVEY_FATIGUE_DAYS = 0
    tickets = [make_resolved(customer_a, queue_x), make_resolved(customer_b, queue_x),
               make_resolved(customer_a, queue_x)]
    assert services.send_due_surveys() == 3
    assert services.send_due_surveys() == 0
    assert OutboundEmail.objects.count() == 3
    assert SurveyInvitation.objects.count() == 3
    for ticket in tickets:
        invitation = SurveyInvitation.objects.get(ticket=ticket)
        assert OutboundEmail.objects.filter(related_id=str(invitation.pk)).count() == 1


def test_nothing_before_the_delay_and_not_for_open_tickets(csat_survey, make_resolved, queue_x, customer_a):
    make_resolved(customer_a, queue_x, hours_ago=0)  # delay is one hour
    assert services.send_due_surveys() == 0
    assert OutboundEmail.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_email_per_subject(csat_survey, make_resolved, queue_x, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises every writer, so there is no race")
    settings.SURVEY_FATIGUE_DAYS = 0
    customers = [CustomerFactory() for _ in range(8)]
    for customer in customers:
        make_resolved(customer, queue_x)
    barrier = threading.Barrier(2)
    totals = []

    def run():
        try:
            barrier.wait()
            totals.append(services.send_due_surveys())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(totals) == 8
    assert OutboundEmail.objects.count() == 8
    assert SurveyInvitation.objects.count() == 8


def test_fatigue_one_invitation_per_customer_per_period(csat_survey, make_resolved, queue_x, customer_a, settings):
    settings.SURVEY_FATIGUE_DAYS = 14
    make_resolved(customer_a, queue_x)
    make_resolved(customer_a, queue_x)
    assert services.send_due_surveys() == 1
    assert OutboundEmail.objects.filter(to=customer_a.email).count() == 1
    # Fifteen days later the customer may be asked again.
    CustomerSurveyPreference.objects.filter(customer=customer_a).update(
        last_invited_at=timezone.now() - timedelta(days=15))
    make_resolved(customer_a, queue_x)
    assert services.send_due_surveys() == 1


def test_unsubscribed_customer_is_never_invited_again(client, csat_survey, make_resolved, queue_x, customer_a,
                                                      settings):
    settings.SURVEY_FATIGUE_DAYS = 0
    make_resolved(customer_a, queue_x)
    services.send_due_surveys()
    invitation = SurveyInvitation.objects.get()
    url = f"/survey/{invitation.token}/unsubscribe/"
    page = client.get(url)
    assert page.status_code == 200 and b"Unsubscribe from surveys" in page.content
    assert not CustomerSurveyPreference.objects.get(customer=customer_a).unsubscribed_at  # a GET changes nothing
    client.post(url)
    assert CustomerSurveyPreference.objects.get(customer=customer_a).unsubscribed_at is not None
    make_resolved(customer_a, queue_x)
    assert services.send_due_surveys() == 0
    assert OutboundEmail.objects.count() == 1


def test_the_invitation_offers_one_click_unsubscribe_without_a_session(csat_survey, make_resolved, queue_x,
                                                                      customer_a, settings):
    from django.test import Client

    settings.SURVEY_FATIGUE_DAYS = 0
    make_resolved(customer_a, queue_x)
    services.send_due_surveys()
    invitation = SurveyInvitation.objects.get()
    email = OutboundEmail.objects.get(related_id=str(invitation.pk))
    url = f"/survey/{invitation.token}/unsubscribe/"

    assert email.headers["List-Unsubscribe"] == f"<{settings.SITE_URL}{url}>"
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" with no cookie and no CSRF token.
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert CustomerSurveyPreference.objects.get(customer=customer_a).unsubscribed_at is not None


def test_invitation_email_in_the_recipients_language(csat_survey, make_resolved, queue_x, customer_a, customer_b,
                                                     settings, django_capture_on_commit_callbacks):
    settings.SURVEY_FATIGUE_DAYS = 0
    customer_b.locale = "zh-hans"
    customer_b.save()
    make_resolved(customer_a, queue_x)
    make_resolved(customer_b, queue_x)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_surveys()
    english = next(m for m in mail.outbox if m.to == [customer_a.email])
    chinese = next(m for m in mail.outbox if m.to == [customer_b.email])
    assert "How satisfied are you with our support?" in english.body
    assert "您对我们的支持满意吗？" in chinese.body
    assert "How satisfied" not in chinese.body
    token = SurveyInvitation.objects.get(recipient=customer_a).token
    for score in range(1, 6):
        assert f"/survey/{token}/?score={score}" in english.body
    assert OutboundEmail.objects.get(to=customer_b.email).language == "zh-hans"
