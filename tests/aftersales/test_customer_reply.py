"""Customers write and send files on their service requests; the team is told and reads them in the desk."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales import services
from aftersales.models import ServiceFile, ServiceLog
from helpdesk.mail.models import OutboundEmail
from tests.aftersales.conftest import PNG
from tests.aftersales.factories import ServiceRequestFactory
from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_a(purchase_a, agent, manager):
    return ServiceRequestFactory(purchase=purchase_a, status="in_service", technician=agent, reviewer=manager)


def reply_url(service_request):
    return reverse("aftersales:portal-reply", args=[service_request.reference])


def send(client, service_request, text="The fan is loud again since Monday.", files=()):
    return client.post(reply_url(service_request), {"text": text, "attachments": list(files)})


def saved_files(settings):
    media = settings.MEDIA_ROOT
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def test_the_customer_replies_with_a_photo_and_sees_it_on_the_page(client, customer_a, request_a):
    client.force_login(customer_a)
    response = send(client, request_a, files=[SimpleUploadedFile("noise.png", PNG)])
    assert response.status_code == 302
    page = client.get(request_a.get_portal_url()).content.decode()
    assert "The fan is loud again since Monday." in page and "noise.png" in page and "Your message" in page
    stored = ServiceFile.objects.get(original_name="noise.png")
    download = client.get(reverse("aftersales:file", args=[stored.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG


def test_the_agent_sees_the_reply_in_the_desk_and_is_emailed_in_their_language(
        client, customer_a, request_a, agent, manager, django_capture_on_commit_callbacks):
    agent.locale = "zh-hans"
    agent.save(update_fields=["locale"])
    with django_capture_on_commit_callbacks(execute=True):
        services.service_request_customer_reply(service_request=request_a, customer=customer_a, text="Still loud.",
                                                files=[SimpleUploadedFile("noise.png", PNG)])
    to_agent = OutboundEmail.objects.get(to=agent.email)
    to_manager = OutboundEmail.objects.get(to=manager.email)
    assert "Customer reply" in to_manager.subject and "Still loud." in to_manager.body_text
    assert request_a.get_absolute_url() in to_manager.body_text and "1 file" in to_manager.body_text
    assert to_agent.language == "zh-hans" and "客户回复" in to_agent.subject
    assert not OutboundEmail.objects.filter(to=customer_a.email).exists()
    client.force_login(agent)
    page = client.get(request_a.get_absolute_url()).content.decode()
    assert "客户留言" in page, "the desk page is in the agent's language too"
    agent.locale = "en"
    agent.save(update_fields=["locale"])
    page = client.get(request_a.get_absolute_url()).content.decode()
    assert "Message from the customer" in page and "Still loud." in page and "noise.png" in page
    assert "Customer" in page


def test_nobody_on_the_request_yet_tells_the_managers(customer_a, purchase_a, manager,
                                                      django_capture_on_commit_callbacks):
    other = ManagerFactory(email="second@example.com")
    request = ServiceRequestFactory(purchase=purchase_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.service_request_customer_reply(service_request=request, customer=customer_a, text="Any news?")
    assert set(OutboundEmail.objects.values_list("to", flat=True)) == {manager.email, other.email}


@pytest.mark.parametrize(("name", "content", "message"), [
    ("script.exe", b"MZ\x90\x00\x03\x00\x00\x00", "is not a file type we accept"),
    ("photo.pdf", PNG, "does not match its content"),
    ("empty.txt", b"", "is empty"),
])
def test_a_bad_file_is_refused_next_to_the_field_and_nothing_is_saved(client, customer_a, request_a, settings,
                                                                      name, content, message):
    client.force_login(customer_a)
    response = send(client, request_a, files=[SimpleUploadedFile("fine.png", PNG),
                                              SimpleUploadedFile(name, content)])
    assert response.status_code == 400
    errors = " ".join(response.context["reply_form"].errors["attachments"])
    assert name in errors and message in errors
    assert "The fan is loud again" in response.content.decode(), "what they typed is kept"
    assert not ServiceLog.objects.exists() and not ServiceFile.objects.exists()
    assert saved_files(settings) == []
    assert not OutboundEmail.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, customer_a, request_a, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    client.force_login(customer_a)
    response = send(client, request_a, files=[SimpleUploadedFile("big.png", PNG + b"\x00" * 200)])
    assert response.status_code == 400
    assert "files can be at most" in " ".join(response.context["reply_form"].errors["attachments"])
    assert not ServiceLog.objects.exists() and saved_files(settings) == []


def test_an_empty_message_is_refused(client, customer_a, request_a):
    client.force_login(customer_a)
    response = send(client, request_a, text="   ")
    assert response.status_code == 400
    assert response.context["reply_form"].errors["text"] == ["Write a message first."]
    assert not ServiceLog.objects.exists()


def test_another_organisation_cannot_reply_or_attach_by_any_url(client, customer_b, request_a, settings):
    client.force_login(customer_b)
    response = send(client, request_a, files=[SimpleUploadedFile("mine.png", PNG)])
    assert response.status_code == 404
    assert client.get(request_a.get_portal_url()).status_code == 404
    assert not ServiceLog.objects.exists() and saved_files(settings) == []
    with pytest.raises(services.ServiceRequestError):
        services.service_request_customer_reply(service_request=request_a, customer=customer_b, text="Hi")
    assert not ServiceLog.objects.exists()


def test_a_colleague_who_is_not_the_primary_contact_cannot_reply(client, customer_a2, request_a):
    client.force_login(customer_a2)
    assert send(client, request_a).status_code == 404
    assert not ServiceLog.objects.exists()


def test_a_closed_request_takes_no_more_messages(client, customer_a, purchase_a):
    request = ServiceRequestFactory(purchase=purchase_a, status="closed")
    client.force_login(customer_a)
    page = client.get(request.get_portal_url()).content.decode()
    assert "Write to the service team" not in page and "ask for service again" in page
    response = send(client, request)
    assert response.status_code == 400 and "This service request is closed" in response.content.decode()
    assert not ServiceLog.objects.exists()


def test_staff_cannot_post_as_the_customer(request_a, agent):
    with pytest.raises(services.ServiceRequestError):
        services.service_request_customer_reply(service_request=request_a, customer=agent, text="Hi")


def test_forgetting_a_primary_contact_removes_their_reply_on_a_colleagues_request(customer_a, customer_a2, product):
    from aftersales.privacy import forget_aftersales
    from helpdesk.accounts.privacy import REMOVED
    from tests.aftersales.factories import PurchaseFactory

    colleague_request = ServiceRequestFactory(purchase=PurchaseFactory(customer=customer_a2, product=product))
    reply = services.service_request_customer_reply(service_request=colleague_request, customer=customer_a,
                                                    text="Bob's unit is in room 4.", notify=False,
                                                    files=[SimpleUploadedFile("room.png", PNG)])
    forget_aftersales(sender=None, user=customer_a)
    reply.refresh_from_db()
    assert reply.text == REMOVED and not ServiceFile.objects.filter(log=reply).exists()
    assert ServiceLog.objects.filter(pk=reply.pk).exists(), "the row stays"


def test_admins_see_which_log_entries_are_customer_messages(client, admin_user, customer_a, request_a):
    services.service_request_customer_reply(service_request=request_a, customer=customer_a, text="Room 4.",
                                            notify=False)
    client.force_login(admin_user)
    listing = client.get(reverse("admin:aftersales_servicelog_changelist"), {"from_customer__exact": "1"})
    assert listing.status_code == 200 and "Room 4." in listing.content.decode()
    change = client.get(reverse("admin:aftersales_servicerequest_change", args=[request_a.pk]))
    assert change.status_code == 200 and "why the service is paid" in change.content.decode().lower()


def test_an_agent_writing_while_the_customer_replies_is_shown_the_reply_first(client, agent, customer_a, request_a):
    loaded_version = request_a.version
    services.service_request_customer_reply(service_request=request_a, customer=customer_a, text="Room 4.",
                                            notify=False)
    client.force_login(agent)
    response = client.post(reverse("aftersales:desk-log", args=[request_a.reference]),
                           {"version": loaded_version, "visibility": "public", "text": "We pick it up today."})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Alice A</strong> (Customer) · Customer reply" in page and "We pick it up today." in page
    assert not ServiceLog.objects.filter(author=agent).exists()
