"""Exporting everything held about one customer: their data, all of it, and nobody else's."""

import json
import zipfile
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk.accounts.models import PrivacyRequest
from helpdesk.accounts.privacy import customer_data, customer_export
from tests.accounts.privacy_world import build
from tests.tickets.factories import TicketFactory
from tickets.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def world_a(customer_a, agent, queue_x):
    return build(customer_a, tag="ALICE-SECRET", agent=agent, queue=queue_x)


@pytest.fixture
def world_b(customer_b, agent, queue_x):
    return build(customer_b, tag="CAROL-SECRET", agent=agent, queue=queue_x, csat_score=2, nps_score=3)


def open_export(content: bytes):
    archive = zipfile.ZipFile(BytesIO(content))
    raw = archive.read("data.json").decode()
    return archive, json.loads(raw), raw


def test_export_holds_the_customers_tickets_messages_purchases_and_surveys(world_a, world_b, admin_user):
    archive, data, _raw = open_export(customer_export(user=world_a.customer, by=admin_user))

    assert data["profile"]["email"] == "alice@acme.example"
    assert data["profile"]["name"] == "Alice A"
    assert data["profile"]["organization"] == "Acme"

    tickets = {ticket["reference"]: ticket for ticket in data["tickets"]}
    assert set(tickets) == {ticket.reference for ticket in world_a.tickets}
    first = tickets[world_a.tickets[0].reference]
    bodies = [message["body"] for message in first["messages"]]
    assert bodies == ["ALICE-SECRET my printer in room 12 jams.", "ALICE-SECRET please send the log.",
                      "ALICE-SECRET here is the log."]
    assert [message["author"] for message in first["messages"]] == ["you", "agent", "you"]
    assert first["messages"][1]["author_name"] == "Alex Agent"
    assert tickets[world_a.tickets[1].reference]["resolution_summary"] == "ALICE-SECRET invoice fixed"

    assert [p["serial_number"] for p in data["purchases"]] == ["SN-ALICE"]
    assert data["purchases"][0]["proof"]["file_name"] == "ALICE-SECRET-receipt.pdf"
    (request,) = data["service_requests"]
    assert request["description"] == "ALICE-SECRET the unit overheats."
    assert request["onsite_address"] == "ALICE-SECRET 1 Main Street"
    assert [entry["text"] for entry in request["log"]] == ["ALICE-SECRET technician booked."]

    surveys = {survey["kind"]: survey for survey in data["surveys"]}
    assert surveys["csat"]["response"]["score"] == 4
    assert surveys["csat"]["response"]["comment"] == "ALICE-SECRET quick and friendly"
    assert surveys["csat"]["about"] == world_a.tickets[1].reference
    assert {a["text"] for a in surveys["csat"]["response"]["answers"]} >= {"ALICE-SECRET answer text"}
    assert surveys["nps"]["response"]["score"] == 9
    assert [item["text"] for item in data["product_feedback"]] == ["ALICE-SECRET wants dark mode"]
    assert [item["query"] for item in data["article_deflections"]] == ["ALICE-SECRET reset password"]
    assert [task["description"] for task in data["care_tasks"]] == ["ALICE-SECRET wants a call"]
    assert [email["subject"] for email in data["emails"]] == ["Hello Alice A"]


def test_export_zip_holds_the_files_the_customer_can_see(world_a, world_b, admin_user):
    archive, data, _raw = open_export(customer_export(user=world_a.customer, by=admin_user))

    names = set(archive.namelist()) - {"data.json"}
    assert names == set(data["files"])
    by_original = {name.rsplit("/", 1)[-1].split("-", 1)[1]: name for name in names}
    expected = ["ALICE-SECRET-photo.png", "ALICE-SECRET-guide.pdf", "ALICE-SECRET-log.txt",
                "ALICE-SECRET-receipt.pdf", "ALICE-SECRET-unit.png", "ALICE-SECRET-shot.png"]
    assert sorted(by_original) == sorted(expected)
    for original in expected:
        assert archive.read(by_original[original]) == world_a.file_bytes[original]
    # The file on the internal note is not the customer's to see.
    assert not any("note.txt" in name for name in names)
    assert all(name.startswith("files/") and ".." not in name for name in names)


def test_export_holds_nothing_of_other_customers_and_no_internal_notes(world_a, world_b, customer_a, customer_a2,
                                                                       queue_x, admin_user):
    # Alice is her organisation's primary contact: she sees Bob's ticket in the portal, but it is his data.
    colleague = TicketFactory(requester=customer_a2, queue=queue_x, subject="BOB-SECRET laptop",
                              description="BOB-SECRET it is slow")
    Message.objects.create(ticket=colleague, author=customer_a, body="ALICE-ON-BOB I see this too")
    archive, _data, raw = open_export(customer_export(user=world_a.customer, by=admin_user))

    for secret in ["CAROL-SECRET", "carol-secret", "carol@globex.example", "Carol B", "Globex", "SN-CAROL",
                   "BOB-SECRET", "bob@acme.example", "Bob A", world_b.tickets[0].reference,
                   world_b.service_request.reference, colleague.reference]:
        assert secret not in raw, secret
    assert world_a.internal_note not in raw
    assert "internal: gate code" not in raw
    assert not any("CAROL" in name for name in archive.namelist())


def test_export_is_logged_by_id_only(world_a, admin_user):
    customer_export(user=world_a.customer, by=admin_user)

    (log,) = PrivacyRequest.objects.all()
    assert log.action == PrivacyRequest.Action.EXPORT
    assert log.subject == world_a.customer
    assert log.subject_ref == f"user #{world_a.customer.pk}"
    assert log.performed_by == admin_user
    assert log.summary["tickets"] == 2
    assert log.summary["purchases"] == 1
    assert log.summary["surveys"] == 2
    assert log.summary["files"] == 6
    assert "alice" not in json.dumps(log.summary).lower()


def test_export_of_a_customer_with_nothing_is_a_valid_zip(customer_b, admin_user):
    _archive, data, _raw = open_export(customer_export(user=customer_b, by=admin_user))
    assert data["tickets"] == [] and data["purchases"] == [] and data["surveys"] == []
    assert data["files"] == []


def test_a_missing_file_is_listed_not_fatal(world_a, admin_user, settings):
    from django.core.files.storage import default_storage

    default_storage.delete(world_a.file_names[0])
    archive, data, _raw = open_export(customer_export(user=world_a.customer, by=admin_user))
    assert len(data["missing_files"]) == 1
    assert len(data["files"]) == 5


def test_export_queries_do_not_grow_with_the_customers_data(customer_a, customer_b, queue_x, agent):
    def count_queries(user):
        with CaptureQueriesContext(connection) as queries:
            customer_data(user)
        return len(queries)

    TicketFactory(requester=customer_a, queue=queue_x)
    for _ in range(6):
        ticket = TicketFactory(requester=customer_b, queue=queue_x)
        Message.objects.create(ticket=ticket, author=agent, from_agent=True, body="reply")
    assert count_queries(customer_a) == count_queries(customer_b)
