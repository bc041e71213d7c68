"""Limits on what people send: a request too large is refused before it is read, a file too large is
named on the form and never stored, text has a longest length, and text made only of invisible
characters is refused. Every form in the product carries these checks."""

import importlib

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from aftersales.models import ServiceRequest
from helpdesk.forms import INVISIBLE_LETTERS, TEXT_MAX_CHARS, InputLimitsMixin, validate_visible
from helpdesk.uploads import OversizeUpload, UploadLimitHandler
from tests.tickets.factories import TicketFactory
from tickets.models import Attachment, Message, Ticket

pytestmark = pytest.mark.django_db

PRODUCT_PACKAGES = ("tickets", "aftersales", "feedback", "knowledgebase", "reports", "helpdesk")
INVISIBLE_SUBJECTS = [
    "\u200b\u200b\u200b",  # zero-width spaces
    "\u202e\u202d\u2066\u2069",  # bidi overrides and isolates
    "\u3164\u3164",  # Hangul filler
    "\u2800\u2800",  # braille blank
    "\ufeff \u200d\u00ad",  # BOM, zero-width joiner, soft hyphen
    "\u0301\u0308",  # combining marks with nothing to sit on
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def create_data(queue, **overrides):
    data = {"subject": "Export stops at 1,000 rows", "description": "The CSV export stops at row 1,000.",
            "category": queue.pk, "impact": "high", "urgency": "high"}
    data.update(overrides)
    return data


def stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


# ---------------------------------------------------------------------------------------------- requests


class Unreadable:
    """A request body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_request_declaring_more_than_the_limit_is_refused_unread(client, customer_a, queue_x):
    client.force_login(customer_a)
    response = client.generic(
        "POST", reverse("tickets:portal-create"), data=b"x",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(50 * 1024 * 1024), **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "That was too much to upload" in page and "30.0\xa0MB" in page and "Nothing was saved" in page
    assert Ticket.objects.count() == 0


def test_the_limit_is_read_from_settings(client, customer_a, queue_x, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1024
    client.force_login(customer_a)
    files = [SimpleUploadedFile("notes.txt", b"driver 1.2\n" * 200)]
    response = client.post(reverse("tickets:portal-create"), create_data(queue_x, attachments=files))
    assert response.status_code == 413
    assert Ticket.objects.count() == 0


def test_the_handler_stops_at_the_request_limit_when_the_length_was_not_declared(settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 3000
    request = RequestFactory().post("/")
    handler = UploadLimitHandler(request)
    handler.new_file("file", "a.log", "text/plain", None)
    assert handler.receive_data_chunk(b"x" * 2000, 0) == b"x" * 2000
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 2000, 2000)
    assert request.refused_uploads[0]["stopped"] is True


def test_a_file_over_the_limit_is_named_on_the_form_and_nothing_is_stored(
        client, customer_a, queue_x, settings, _media):
    settings.ATTACHMENT_MAX_BYTES = 64 * 1024
    client.force_login(customer_a)
    files = [SimpleUploadedFile("small.txt", b"fine\n"), SimpleUploadedFile("huge.log", b"y" * (200 * 1024))]
    response = client.post(reverse("tickets:portal-create"), create_data(queue_x, attachments=files))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "“huge.log” is 200.0\xa0KB; files can be at most 64.0\xa0KB." in errors
    page = response.content.decode()
    assert 'value="Export stops at 1,000 rows"' in page  # what was typed is kept
    assert Ticket.objects.count() == 0 and Attachment.objects.count() == 0
    assert stored_files(_media) == []


def test_the_oversize_file_is_never_held_whole(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    request = RequestFactory().post("/")
    handler = UploadLimitHandler(request)
    handler.new_file("file", "huge.log", "text/plain", None)
    assert handler.receive_data_chunk(b"x" * 800, 0) == b"x" * 800
    assert handler.receive_data_chunk(b"x" * 800, 800) is None  # later handlers never get it
    assert handler.receive_data_chunk(b"x" * 800, 1600) is None
    upload = handler.file_complete(2400)
    assert isinstance(upload, OversizeUpload) and upload.size == 2400 and upload.name == "huge.log"
    with pytest.raises(ValueError):
        upload.read()


def test_a_file_under_the_limit_is_attached(client, customer_a, queue_x, _media):
    client.force_login(customer_a)
    files = [SimpleUploadedFile("notes.txt", b"driver 1.2\n")]
    response = client.post(reverse("tickets:portal-create"), create_data(queue_x, attachments=files))
    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "notes.txt"


def test_an_admin_page_answers_an_oversize_file_with_the_413_page(client, admin_user, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    client.force_login(admin_user)
    response = client.post(reverse("admin:aftersales_purchase_import"),
                           {"csv_file": SimpleUploadedFile("big.csv", b"a,b\n" * 1000)})
    assert response.status_code == 413
    assert "big.csv" in response.content.decode()


# ---------------------------------------------------------------------------------------------- text


def test_a_description_over_the_longest_length_is_refused_with_a_clear_message(client, customer_a, queue_x):
    client.force_login(customer_a)
    response = client.post(reverse("tickets:portal-create"),
                           create_data(queue_x, description="log line\n" * 450_000))  # 4 MB
    assert response.status_code == 200
    error = response.context["form"].errors["description"][0]
    assert f"at most {TEXT_MAX_CHARS}" in error and "as a file" in error
    assert Ticket.objects.count() == 0


def test_a_description_at_the_longest_length_is_taken(client, customer_a, queue_x):
    client.force_login(customer_a)
    response = client.post(reverse("tickets:portal-create"), create_data(queue_x, description="x" * TEXT_MAX_CHARS))
    assert response.status_code == 302
    assert len(Ticket.objects.get().messages.get().body) == TEXT_MAX_CHARS


def test_an_agent_reply_over_the_longest_length_saves_nothing(client, agent, queue_x, customer_a):
    ticket = TicketFactory(queue=queue_x, requester=customer_a)
    before = Message.objects.filter(ticket=ticket).count()
    client.force_login(agent)
    response = client.post(reverse("tickets:desk-reply", args=[ticket.reference]),
                           {"body": "z" * (TEXT_MAX_CHARS + 1), "version": ticket.version, "visibility": "public"})
    assert response.status_code in (200, 400)
    assert Message.objects.filter(ticket=ticket).count() == before


def test_a_service_request_description_over_the_longest_length_saves_nothing(client, customer_a):
    from tests.aftersales.factories import PurchaseFactory

    purchase = PurchaseFactory(customer=customer_a)
    client.force_login(customer_a)
    response = client.post(reverse("aftersales:portal-create", args=[purchase.pk]),
                           {"kind": "repair", "description": "q" * (TEXT_MAX_CHARS + 1)})
    assert response.status_code == 400
    assert "at most" in " ".join(response.context["form"].errors["description"])
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize("subject", INVISIBLE_SUBJECTS)
def test_a_subject_made_only_of_invisible_characters_is_refused(client, customer_a, queue_x, subject):
    client.force_login(customer_a)
    response = client.post(reverse("tickets:portal-create"), create_data(queue_x, subject=subject))
    assert response.status_code == 200
    assert "invisible" in " ".join(response.context["form"].errors["subject"])
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("subject", ["مشكلة في الطابعة", "印刷できません", "😀", "e\u0301", "\u200bVPN drops\u200b",
                                     "\u202bשלום\u202c"])
def test_real_subjects_in_any_script_are_taken(client, customer_a, queue_x, subject):
    client.force_login(customer_a)
    response = client.post(reverse("tickets:portal-create"), create_data(queue_x, subject=subject))
    assert response.status_code == 302, response.context["form"].errors
    assert Ticket.objects.get().subject == subject


def test_sign_up_and_profile_refuse_an_invisible_name(client, customer_a):
    response = client.post(reverse("accounts:signup"), {
        "name": "\u200b\u2066\u2069", "email": "new@example.org", "password1": "x-Long-enough-99",
        "password2": "x-Long-enough-99"})
    assert response.status_code == 200
    assert "invisible" in " ".join(response.context["form"].errors["name"])
    client.force_login(customer_a)
    response = client.post(reverse("accounts:profile"), {"name": "\u3164", "timezone": "UTC", "locale": "en"})
    assert response.status_code == 200
    assert "invisible" in " ".join(response.context["form"].errors["name"])
    customer_a.refresh_from_db()
    assert customer_a.name != "\u3164"


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "S"], exclude_characters=INVISIBLE_LETTERS),
               min_size=1, max_size=20),
       st.text(alphabet="\u200b\u200d\u202e\u2066\u3164 ", max_size=5))
def test_any_text_with_something_to_see_is_visible(visible, padding):
    validate_visible(padding + visible + padding)


# ---------------------------------------------------------------------------------------------- every form


def product_forms():
    """Every form class the product defines, in any app's forms, admin or views module."""
    for app in apps.get_app_configs():
        if app.name.split(".")[0] not in PRODUCT_PACKAGES:
            continue
        for module in ("forms", "forms.desk", "forms.portal", "admin", "views", "filters", "privacy_admin"):
            try:
                importlib.import_module(f"{app.name}.{module}")
            except ModuleNotFoundError as error:
                if not f"{app.name}.{module}".startswith(error.name or "?"):
                    raise

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {cls for cls in subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in PRODUCT_PACKAGES}


def test_every_form_of_the_product_checks_its_text_and_files():
    found = product_forms()
    assert len(found) > 40  # the walk really finds the product's forms
    missing = sorted(f"{cls.__module__}.{cls.__name__}" for cls in found if not issubclass(cls, InputLimitsMixin))
    assert not missing, "forms without helpdesk.forms.InputLimitsMixin: " + ", ".join(missing)


def test_fields_added_in_init_are_checked_too():
    class Dynamic(InputLimitsMixin, forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["answer"] = forms.CharField(widget=forms.Textarea)

    assert not Dynamic({"answer": "\u200b"}).is_valid()
    assert not Dynamic({"answer": "a" * (TEXT_MAX_CHARS + 1)}).is_valid()
    assert Dynamic({"answer": "Fine, thanks"}).is_valid()
