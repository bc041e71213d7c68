"""Migration 0006 moves a populated table of inbound e-mails to intake records without losing a row."""

import pytest

from tests.migrating import leaf_nodes, migrate

BEFORE = [("tickets", "0005_inbound_failures")]
AFTER = [("tickets", "0006_intake_records")]




@pytest.mark.django_db(transaction=True)
def test_every_inbound_email_becomes_an_intake_record_with_its_outcome():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Queue = old.get_model("tickets", "Queue")
    Ticket = old.get_model("tickets", "Ticket")
    InboundEmail = old.get_model("tickets", "InboundEmail")
    Permission = old.get_model("auth", "Permission")
    ContentType = old.get_model("contenttypes", "ContentType")
    alice = User.objects.create(email="alice@acme.example", name="Alice")
    queue = Queue.objects.create(name="Migration queue", slug="migration-queue")
    ticket = Ticket.objects.create(subject="Printer", description="Jams", requester=alice, queue=queue)
    rows = {"new_ticket": "created", "reply": "threaded", "follow_up": "follow_up", "ignored": "ignored",
            "rejected": "ignored", "failed": "failed"}
    for number, outcome in enumerate(rows):
        InboundEmail.objects.create(message_key=f"<m{number}@acme.example>", sender="alice@acme.example",
                                    subject=f"Mail {number}", outcome=outcome, reason=f"reason {number}",
                                    ticket=ticket if outcome in ("new_ticket", "reply") else None,
                                    attempts=3 if outcome == "failed" else 1,
                                    raw=b"From: alice\r\n\r\nHi" if outcome == "failed" else b"")
    content_type, _created = ContentType.objects.get_or_create(app_label="tickets", model="inboundemail")
    Permission.objects.get_or_create(content_type=content_type, codename="view_inboundemail",
                                     defaults={"name": "Can view inbound e-mail"})

    new = migrate(AFTER)

    IntakeRecord = new.get_model("tickets", "IntakeRecord")
    records = {record.external_key: record for record in IntakeRecord.objects.all()}
    assert len(records) == len(rows)
    for number, (old_outcome, new_outcome) in enumerate(rows.items()):
        record = records[f"<m{number}@acme.example>"]
        assert (record.outcome, record.reason, record.sender) == (new_outcome, f"reason {number}",
                                                                  "alice@acme.example")
        assert record.channel == "email"
        assert record.ticket_id == (ticket.pk if old_outcome in ("new_ticket", "reply") else None)
    failed = records["<m5@acme.example>"]
    assert failed.attempts == 3 and bytes(failed.raw) == b"From: alice\r\n\r\nHi"
    # The managers' admin permission follows the new name (Django renames the content type itself).
    permissions = new.get_model("auth", "Permission").objects.filter(content_type=content_type.pk)
    assert set(permissions.values_list("codename", flat=True)) == {"view_intakerecord"}

    migrate(leaf_nodes())


