"""First and full resolution time (DESIGN §4), filled for the tickets there are from their status history.

First resolution: created → first resolved; full resolution: created → last resolved; both in business
minutes of the ticket's SLA calendar, less the time spent pending. The old resolution time also took off the
time spent resolved before a reopening; it is measured again here. Every row is kept: a ticket without
status history (imported rows) keeps its resolution time and takes its first resolution from it.
"""

from django.conf import settings
from django.db import migrations, models

from tickets.sla import Calendar

BATCH = 500


def _calendar(policy, cache):
    if policy is None:
        return Calendar.always_open()
    if policy.business_hours_id not in cache:
        cache[policy.business_hours_id] = Calendar.from_model(policy.business_hours)
    return cache[policy.business_hours_id]


def measure(ticket, events, calendar):
    """(pending minutes, first resolved at, first minutes, last minutes or None) from the status moves."""
    pending = 0
    pending_since = None
    first_at = first = last = None
    for event in events:
        if event.old_value == "pending" and pending_since is not None:
            pending += calendar.minutes_between(pending_since, event.created_at)
            pending_since = None
        if event.new_value == "pending":
            pending_since = event.created_at
        elif event.new_value == "resolved":
            last = float(max(calendar.minutes_between(ticket.created_at, event.created_at) - pending, 0))
            if first_at is None:
                first_at, first = event.created_at, last
        elif event.old_value == "resolved" and event.new_value != "closed":
            last = None  # reopened: measured again at the next resolution
    return pending, first_at, first, last


def fill(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    calendars: dict = {}
    tickets = (Ticket.objects.select_related("sla_policy__business_hours").order_by("pk")
               .only("pk", "created_at", "resolved_at", "resolution_minutes", "sla_policy"))
    batch = []
    for ticket in tickets.iterator(chunk_size=BATCH):
        events = list(TicketEvent.objects.filter(ticket_id=ticket.pk, kind="status").order_by("created_at", "pk")
                      .only("old_value", "new_value", "created_at"))
        if not events:
            if ticket.resolved_at is None:
                continue
            ticket.first_resolved_at, ticket.first_resolution_minutes = ticket.resolved_at, ticket.resolution_minutes
        else:
            pending, first_at, first, last = measure(ticket, events, _calendar(ticket.sla_policy, calendars))
            ticket.pending_minutes, ticket.first_resolved_at, ticket.first_resolution_minutes = pending, first_at, first
            ticket.resolution_minutes = last if ticket.resolved_at is not None else None
        batch.append(ticket)
        if len(batch) == BATCH:
            Ticket.objects.bulk_update(batch, FIELDS)
            batch = []
    if batch:
        Ticket.objects.bulk_update(batch, FIELDS)


FIELDS = ["pending_minutes", "first_resolved_at", "first_resolution_minutes", "resolution_minutes"]


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_care_models_move_to_care'),
        ('tickets', '0006_intake_records'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='ticket',
            name='first_resolution_minutes',
            field=models.FloatField(blank=True, editable=False, help_text='Created to first resolved, less the time spent pending.', null=True, verbose_name='first resolution time (business minutes)'),
        ),
        migrations.AddField(
            model_name='ticket',
            name='first_resolved_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='first resolved'),
        ),
        migrations.AddField(
            model_name='ticket',
            name='pending_minutes',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='business minutes pending'),
        ),
        migrations.AlterField(
            model_name='ticket',
            name='resolution_minutes',
            field=models.FloatField(blank=True, editable=False, help_text='Created to last resolved, less the time spent pending; empty while a reopened ticket is open.', null=True, verbose_name='full resolution time (business minutes)'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['first_resolved_at'], name='ticket_first_resolved_at'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
