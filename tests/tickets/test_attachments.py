"""Downloading ticket files: only for whoever may see them, always as a download, never run by the browser."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tickets import services
from tickets.models import Attachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ticket(customer_a, queue_x):
    return services.ticket_create(
        requester=customer_a, subject="Screen flickers", description="See the screenshot.", queue=queue_x,
        files=[SimpleUploadedFile("flicker.png", PNG)], notify=False,
    )


@pytest.fixture
def attachment(ticket):
    return Attachment.objects.get(message__ticket=ticket)


@pytest.fixture
def note_attachment(ticket, agent):
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Looks like the driver.", internal=True,
                                files=[SimpleUploadedFile("driver-notes.txt", b"internal only")], notify=False)
    return Attachment.objects.get(original_name="driver-notes.txt")


def download_url(attachment):
    return reverse("tickets:attachment", args=[attachment.pk])


def test_requester_downloads_with_safe_headers(client, customer_a, attachment):
    client.force_login(customer_a)
    response = client.get(download_url(attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="flicker.png"'
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG


def test_file_is_not_under_a_public_url(client, customer_a, attachment, settings):
    # Stored under a random name, not the customer's, and only reachable through the checked view.
    assert "flicker" not in attachment.file.name
    client.force_login(customer_a)
    assert client.get((settings.MEDIA_URL or "/media/") + attachment.file.name).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, attachment):
    response = client.get(download_url(attachment))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("persona", ["customer_b", "customer_a2", "agent_y"])
def test_people_who_may_not_see_the_ticket_get_404(client, request, persona, attachment):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(download_url(attachment)).status_code == 404


@pytest.mark.parametrize("persona", ["customer_a", "agent", "manager", "admin_user"])
def test_people_who_see_the_ticket_may_download(client, request, persona, attachment):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(download_url(attachment)).status_code == 200


def test_colleague_file_for_the_primary_contact(client, customer_a, customer_a2, queue_x):
    ticket = services.ticket_create(requester=customer_a2, subject="Bob's", description="x", queue=queue_x,
                                    files=[SimpleUploadedFile("bob.txt", b"bob")], notify=False)
    attachment = Attachment.objects.get(message__ticket=ticket)
    client.force_login(customer_a)
    assert client.get(download_url(attachment)).status_code == 200


def test_internal_note_files_are_for_agents_only(client, customer_a, agent, agent_y, note_attachment):
    client.force_login(customer_a)
    assert client.get(download_url(note_attachment)).status_code == 404
    client.force_login(agent_y)
    assert client.get(download_url(note_attachment)).status_code == 404
    client.force_login(agent)
    response = client.get(download_url(note_attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="driver-notes.txt"'
    assert b"".join(response.streaming_content) == b"internal only"


def test_unknown_attachment_is_404(client, customer_a, attachment):
    client.force_login(customer_a)
    assert client.get(reverse("tickets:attachment", args=[attachment.pk + 1000])).status_code == 404


def test_a_missing_file_is_404_not_an_error(client, customer_a, attachment):
    attachment.file.delete(save=False)
    client.force_login(customer_a)
    assert client.get(download_url(attachment)).status_code == 404


def test_download_is_get_only(client, customer_a, attachment):
    client.force_login(customer_a)
    assert client.post(download_url(attachment)).status_code == 405


def test_hostile_file_names_stay_inside_the_header(client, customer_a, queue_x):
    ticket = services.ticket_create(
        requester=customer_a, subject="Names", description="x", queue=queue_x, notify=False,
        files=[SimpleUploadedFile('a"b\r\nSet-Cookie: x=1;.txt', b"one"), SimpleUploadedFile("résumé.txt", b"two")],
    )
    client.force_login(customer_a)
    for attachment in Attachment.objects.filter(message__ticket=ticket):
        response = client.get(download_url(attachment))
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "\r" not in disposition and "\n" not in disposition
        assert not response.has_header("Set-Cookie") or "x=1" not in response["Set-Cookie"]
    accented = Attachment.objects.get(message__ticket=ticket, original_name="résumé.txt")
    assert "filename*=utf-8''r%C3%A9sum%C3%A9.txt" in client.get(download_url(accented))["Content-Disposition"]
