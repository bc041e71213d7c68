"""E-mail to the customer: once per step, in their language, and never with internal work in it."""

import pytest
from django.core import mail
from django.urls import reverse

from aftersales import services
from aftersales.models import ServiceRequest
from helpdesk.mail.models import OutboundEmail
from tests.aftersales.factories import PurchaseFactory

pytestmark = pytest.mark.django_db


def emails_to(user):
    return list(OutboundEmail.objects.filter(to=user.email).order_by("pk"))


@pytest.fixture
def submitted(customer_a, purchase_a):
    return services.service_request_submit(purchase=purchase_a, requester=customer_a, kind="repair",
                                           description="The fan is loud.")


def test_each_step_is_told_once(submitted, customer_a, manager, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.service_request_start_review(service_request=submitted, actor=manager)
        request = services.service_request_approve(service_request=request, actor=manager)
        services.service_request_assign(service_request=request, actor=manager, technician=agent)
        services.service_request_add_log(service_request=request, author=agent, text="Unit received.")
        request = services.service_request_start(service_request=request, actor=agent)
        request = services.service_request_complete(service_request=request, actor=agent, work_done="New fan.")
        services.service_request_close(service_request=request, actor=agent)

    subjects = [email.subject for email in emails_to(customer_a)]
    reference = submitted.reference
    assert subjects == [
        f"[{reference}] We received your service request",
        f"[{reference}] Your service request is approved",
        f"[{reference}] Service has started",
        f"[{reference}] Service completed",
    ]
    # Sent once the transaction commits: the three queued inside the block above.
    assert [message.subject for message in mail.outbox] == subjects[1:]
    assert all(message.to == [customer_a.email] for message in mail.outbox)
    assert "New fan." in mail.outbox[-1].body


def test_a_rejection_carries_its_reason(submitted, customer_a, manager):
    request = services.service_request_start_review(service_request=submitted, actor=manager)
    services.service_request_reject(service_request=request, actor=manager, reason="Liquid damage is not covered.")
    rejection = emails_to(customer_a)[-1]
    assert rejection.subject.endswith("Your service request was not approved")
    assert "Liquid damage is not covered." in rejection.body_text and "Liquid damage" in rejection.body_html
    assert len(emails_to(customer_a)) == 2


def test_a_quote_is_sent_once_and_its_answer_goes_to_the_reviewer(customer_a, product, manager):
    purchase = PurchaseFactory(customer=customer_a, product=product, age_days=1000)
    request = services.service_request_submit(purchase=purchase, requester=customer_a, kind="repair",
                                              description="Dead.")
    request = services.service_request_start_review(service_request=request, actor=manager)
    request = services.service_request_send_quote(service_request=request, actor=manager, amount="240",
                                                  currency="EUR", note="Power supply.")
    quote = emails_to(customer_a)[-1]
    assert "EUR 240.00" in quote.subject and "Power supply." in quote.body_text
    services.service_request_accept_quote(service_request=request, customer=customer_a)
    assert len(emails_to(customer_a)) == 2, "accepting in the portal sends the customer nothing more"
    [to_reviewer] = emails_to(manager)
    assert "Quote accepted" in to_reviewer.subject and request.get_absolute_url() in to_reviewer.body_text


def test_a_second_click_on_approve_sends_nothing_more(client, submitted, customer_a, manager):
    request = services.service_request_start_review(service_request=submitted, actor=manager)
    client.force_login(manager)
    url = reverse("aftersales:desk-approve", args=[request.reference])
    data = {"version": request.version, "eligibility": "in_warranty"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 409
    assert client.post(url, {**data, "version": request.version + 1}).status_code == 400
    assert len(emails_to(customer_a)) == 2


def test_internal_log_entries_never_reach_the_customer(submitted, customer_a, manager, agent,
                                                       django_capture_on_commit_callbacks):
    secret = "Supplier says batch 2026-07 is faulty (SUP-4411)."
    with django_capture_on_commit_callbacks(execute=True):
        request = services.service_request_start_review(service_request=submitted, actor=manager)
        request = services.service_request_approve(service_request=request, actor=manager)
        services.service_request_add_log(service_request=request, author=agent, text=secret, internal=True)
        request = services.service_request_start(service_request=request, actor=agent)
        services.service_request_complete(service_request=request, actor=agent, work_done="Replaced the fan.")
    for email in emails_to(customer_a):
        assert "SUP-4411" not in email.body_text + email.body_html + email.subject
    assert all("SUP-4411" not in message.body for message in mail.outbox)


def test_the_customer_is_written_to_in_their_language(customer_b, product):
    customer_b.locale = "zh-hans"
    customer_b.save(update_fields=["locale"])
    purchase = PurchaseFactory(customer=customer_b, product=product)
    request = services.service_request_submit(purchase=purchase, requester=customer_b, kind="repair",
                                              description="坏了。")
    [email] = emails_to(customer_b)
    assert email.language == "zh-hans" and request.reference in email.subject
    assert email.related_id == str(request.pk)


def test_no_mail_when_asked_not_to(customer_a, purchase_a):
    services.service_request_submit(purchase=purchase_a, requester=customer_a, kind="repair", description="x",
                                    notify=False)
    assert not OutboundEmail.objects.exists()
    assert ServiceRequest.objects.count() == 1
