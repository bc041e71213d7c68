"""Migration 0007 fills the first and full resolution times of tickets that existed before, from their
status history, and keeps every row."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.migrating import leaf_nodes, migrate

BEFORE = [("tickets", "0006_intake_records")]
AFTER = [("tickets", "0007_first_and_full_resolution")]
UTC = ZoneInfo("UTC")


def at(day, hour):
    """Monday 23 November 2026 is day 0."""
    return datetime(2026, 11, 23 + day, hour, tzinfo=UTC)




@pytest.mark.django_db(transaction=True)
def test_old_tickets_get_first_and_full_resolution_times_from_their_history():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Queue = old.get_model("tickets", "Queue")
    Ticket = old.get_model("tickets", "Ticket")
    TicketEvent = old.get_model("tickets", "TicketEvent")
    BusinessHours = old.get_model("tickets", "BusinessHours")
    OpeningPeriod = old.get_model("tickets", "OpeningPeriod")
    SLAPolicy = old.get_model("tickets", "SLAPolicy")
    calendar = BusinessHours.objects.create(name="Nine to six", timezone="UTC")
    for weekday in range(5):
        OpeningPeriod.objects.create(calendar=calendar, weekday=weekday, opens=time(9), closes=time(18))
    policy, _created = SLAPolicy.objects.update_or_create(priority="normal", tier="", defaults={
        "name": "Normal", "first_response_minutes": 480, "resolution_minutes": 1620, "business_hours": calendar})
    alice = User.objects.create(email="alice@acme.example", name="Alice")
    queue = Queue.objects.create(name="Migration queue", slug="migration-queue")

    def ticket(subject, moves, **fields):
        made = Ticket.objects.create(subject=subject, description="-", requester=alice, queue=queue,
                                     created_at=at(0, 9), sla_policy=policy, **fields)
        for old_value, new_value, when in moves:
            TicketEvent.objects.create(ticket=made, kind="status", old_value=old_value, new_value=new_value,
                                       created_at=when)
        return made

    # Resolved Monday 13:00 after 2 h pending, reopened Tuesday 9:00, resolved Tuesday 10:00, then closed.
    reopened = ticket("Reopened", [("new", "open", at(0, 9)), ("open", "pending", at(0, 10)),
                                   ("pending", "open", at(0, 12)), ("open", "resolved", at(0, 13)),
                                   ("resolved", "open", at(1, 9)), ("open", "resolved", at(1, 10)),
                                   ("resolved", "closed", at(1, 12))],
                      status="closed", resolved_at=at(1, 10), closed_at=at(1, 12), resolution_minutes=60.0,
                      reopened_count=1)
    # Resolved on Monday, reopened on Tuesday and still open: a first resolution, no full one yet.
    open_again = ticket("Open again", [("new", "resolved", at(0, 11)), ("resolved", "open", at(1, 9))],
                        status="open")
    # Imported without history: the stored resolution time is all there is.
    imported = ticket("Imported", [], status="resolved", resolved_at=at(0, 12), resolution_minutes=180.0)
    never = ticket("Never resolved", [("new", "open", at(0, 10))], status="open")
    count = Ticket.objects.count()

    new = migrate(AFTER)

    Ticket = new.get_model("tickets", "Ticket")
    assert Ticket.objects.count() == count
    reopened = Ticket.objects.get(pk=reopened.pk)
    assert reopened.first_resolved_at == at(0, 13) and reopened.first_resolution_minutes == 120  # 4 h − 2 pending
    assert reopened.resolution_minutes == 10 * 60 - 120  # Monday 9–18, Tuesday 9–10, less 2 h pending
    assert reopened.first_resolution_minutes < reopened.resolution_minutes
    assert reopened.pending_minutes == 120
    open_again = Ticket.objects.get(pk=open_again.pk)
    assert (open_again.first_resolved_at, open_again.first_resolution_minutes, open_again.resolution_minutes) == (
        at(0, 11), 120, None)
    imported = Ticket.objects.get(pk=imported.pk)
    assert (imported.first_resolved_at, imported.first_resolution_minutes, imported.resolution_minutes) == (
        at(0, 12), 180, 180)
    never = Ticket.objects.get(pk=never.pk)
    assert (never.first_resolved_at, never.first_resolution_minutes, never.resolution_minutes) == (None, None, None)

    migrate(leaf_nodes())
