"""Deflection: a suggested article answers the question, and the ticket is never sent."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from knowledgebase import selectors, services
from knowledgebase.models import Deflection, DeflectionCandidate
from tests.knowledgebase.factories import make_article
from tests.tickets.factories import QueueFactory
from tickets import services as ticket_services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article("Reset your password", "Choose Forgot your password on the sign-in page.")


def test_ticket_form_carries_the_suggestion_box(client, customer_a):
    QueueFactory(name="Technical", slug="technical")
    client.force_login(customer_a)
    html = client.get(reverse("tickets:portal-create")).content.decode()
    assert 'hx-trigger="keyup changed delay:400ms from:#id_subject' in html
    assert f'hx-get="{reverse("knowledgebase:suggest")}"' in html
    assert 'hx-include="#id_subject"' in html


def test_suggestions_open_in_a_new_tab_with_a_tracking_parameter(client, customer_a, article):
    client.force_login(customer_a)
    html = client.get(reverse("knowledgebase:suggest"), {"subject": "forgot my password"}).content.decode()
    assert f'{article.get_absolute_url()}?ref=suggest&amp;q=forgot%20my%20password' in html
    assert 'target="_blank"' in html
    assert "This answered my question" in html


def test_suggestions_show_at_most_five(client):
    for number in range(8):
        make_article(f"Password topic {number}", "About passwords.")
    html = client.get(reverse("knowledgebase:suggest"), {"subject": "password"}).content.decode()
    assert html.count('class="kb-suggestion"') == 5


def test_this_answered_my_question_records_a_deflection_and_sends_no_ticket(client, customer_a, article):
    client.force_login(customer_a)
    response = client.post(reverse("knowledgebase:deflect"), {
        "kb_article": article.pk, "subject": "I forgot my password", "description": "Please help",
        "category": "1", "impact": "low", "urgency": "low",
    })
    assert response.status_code == 302 and response.url == reverse("portal-home")
    deflection = Deflection.objects.get()
    assert (deflection.article, deflection.query, deflection.user) == (article, "i forgot my password", customer_a)
    assert not Ticket.objects.exists()
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("did not send a request" in message for message in messages)


def test_htmx_deflection_redirects_the_page(client, customer_a, article):
    client.force_login(customer_a)
    response = client.post(reverse("knowledgebase:deflect"), {"kb_article": article.pk, "subject": "password"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("portal-home")
    assert Deflection.objects.count() == 1


def test_deflection_is_refused_for_hidden_articles_and_get(client, customer_a):
    internal = make_article("Internal", visibility="internal")
    client.force_login(customer_a)
    assert client.get(reverse("knowledgebase:deflect")).status_code == 405
    assert client.post(reverse("knowledgebase:deflect"), {"kb_article": internal.pk}).status_code == 404
    assert client.post(reverse("knowledgebase:deflect"), {"kb_article": "x"}).status_code == 404
    assert not Deflection.objects.exists()


def test_article_opened_from_a_suggestion_offers_the_button(client, customer_a, article):
    client.force_login(customer_a)
    response = client.get(article.get_absolute_url(), {"ref": "suggest", "q": "Forgot Password"})
    html = response.content.decode()
    assert "This answered my question" in html
    assert 'name="subject" value="forgot password"' in html
    candidate = DeflectionCandidate.objects.get()
    assert (candidate.article, candidate.user, candidate.query) == (article, customer_a, "forgot password")
    client.get(article.get_absolute_url(), {"ref": "suggest", "q": "Forgot Password"})  # reload: same visit
    assert DeflectionCandidate.objects.count() == 1
    plain = client.get(article.get_absolute_url()).content.decode()
    assert "This answered my question" not in plain


def test_a_ticket_soon_after_opening_a_suggestion_converts_it(customer_a, article,
                                                              django_capture_on_commit_callbacks):
    queue = QueueFactory(name="Technical", slug="technical")
    services.deflection_candidate_open(article=article, query="password", user=customer_a)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_services.ticket_create(requester=customer_a, subject="Password", description="Still stuck",
                                               queue=queue, notify=False)
    candidate = DeflectionCandidate.objects.get()
    assert candidate.converted_ticket == ticket and candidate.converted_at is not None
    counts = selectors.deflection_counts(now=timezone.now() + timedelta(hours=1))
    assert counts["implicit"] == 0 and counts["converted"] == 1


def test_no_ticket_within_thirty_minutes_counts_as_deflected(customer_a, customer_b, article):
    now = timezone.now()
    services.deflection_candidate_open(article=article, query="password", user=customer_a,
                                       now=now - timedelta(minutes=45))
    services.deflection_candidate_open(article=article, query="password", user=customer_b,
                                       now=now - timedelta(minutes=10))  # still within its window
    counts = selectors.deflection_counts(now=now)
    assert counts["implicit"] == 1 and counts["opened"] == 2


def test_an_older_ticket_does_not_convert_a_later_suggestion(customer_a, article,
                                                             django_capture_on_commit_callbacks):
    queue = QueueFactory(name="Technical", slug="technical")
    services.deflection_candidate_open(article=article, query="password", user=customer_a)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_create(requester=customer_a, subject="Old", description="Old", queue=queue,
                                      notify=False, now=timezone.now() - timedelta(days=3))
    assert DeflectionCandidate.objects.get().converted_at is None


def test_a_ticket_from_someone_else_does_not_convert(customer_a, customer_b, article,
                                                     django_capture_on_commit_callbacks):
    queue = QueueFactory(name="Technical", slug="technical")
    services.deflection_candidate_open(article=article, query="password", user=customer_a)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_create(requester=customer_b, subject="Other", description="Other", queue=queue,
                                      notify=False)
    assert DeflectionCandidate.objects.get().converted_at is None


def test_confirmed_suggestion_is_not_counted_twice(customer_a, article):
    now = timezone.now()
    services.deflection_candidate_open(article=article, query="password", user=customer_a,
                                       now=now - timedelta(minutes=5))
    services.deflection_record(article=article, query="password", user=customer_a, now=now)
    counts = selectors.deflection_counts(now=now + timedelta(hours=1))
    assert (counts["confirmed"], counts["implicit"], counts["total"]) == (1, 0, 1)
