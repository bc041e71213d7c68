"""Ticket metrics stored on the ticket (first response and resolution in business minutes, public agent
replies), filled in here for the tickets that exist already; the services keep them up to date from now on."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from tickets.sla import Calendar


def fill_ticket_metrics(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    Message = apps.get_model("tickets", "Message")
    BusinessHours = apps.get_model("tickets", "BusinessHours")
    SLAPolicy = apps.get_model("tickets", "SLAPolicy")

    replies = (Message.objects.filter(ticket=OuterRef("pk"), from_agent=True, is_internal=False)
               .order_by().values("ticket").annotate(n=Count("pk")).values("n"))
    Ticket.objects.update(public_agent_replies=Coalesce(Subquery(replies), 0))

    calendars = {hours.pk: Calendar.from_model(hours) for hours in BusinessHours.objects.prefetch_related(
        "periods", "holidays")}
    policy_calendar = {policy.pk: calendars[policy.business_hours_id] for policy in SLAPolicy.objects.all()}
    wall_clock = Calendar.always_open()
    batch = []
    answered_or_resolved = Ticket.objects.filter(Q(first_response_at__isnull=False) | Q(resolved_at__isnull=False))
    for ticket in answered_or_resolved.only("created_at", "first_response_at", "resolved_at", "paused_since",
                                            "sla_paused_minutes", "sla_policy").iterator(chunk_size=2000):
        calendar = policy_calendar.get(ticket.sla_policy_id, wall_clock)
        if ticket.first_response_at is not None:
            ticket.first_response_minutes = float(calendar.minutes_between(ticket.created_at,
                                                                           ticket.first_response_at))
        if ticket.resolved_at is not None:
            paused = ticket.sla_paused_minutes
            if ticket.paused_since is not None and ticket.paused_since < ticket.resolved_at:
                paused += calendar.minutes_between(ticket.paused_since, ticket.resolved_at)
            minutes = calendar.minutes_between(ticket.created_at, ticket.resolved_at) - paused
            ticket.resolution_minutes = float(max(minutes, 0))
        batch.append(ticket)
        if len(batch) >= 2000:
            Ticket.objects.bulk_update(batch, ["first_response_minutes", "resolution_minutes"])
            batch = []
    if batch:
        Ticket.objects.bulk_update(batch, ["first_response_minutes", "resolution_minutes"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_care_plans_check_ins_privacy'),
        ('tickets', '0002_defaults'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='ticket',
            name='first_response_minutes',
            field=models.FloatField(blank=True, editable=False, null=True, verbose_name='first response time (business minutes)'),
        ),
        migrations.AddField(
            model_name='ticket',
            name='public_agent_replies',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='public agent replies'),
        ),
        migrations.AddField(
            model_name='ticket',
            name='resolution_minutes',
            field=models.FloatField(blank=True, editable=False, help_text='Created to resolved, less the time the SLA clock was paused (pending, or resolved before a reopening).', null=True, verbose_name='resolution time (business minutes)'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(condition=models.Q(('from_agent', True), ('is_internal', False)), fields=['created_at'], name='message_public_agent_created'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['first_response_at'], name='ticket_first_response_at'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('closed_at__isnull', True), ('resolved_at__isnull', True)), fields=['created_at'], name='ticket_open_created'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('resolved_at__isnull', True)), fields=['closed_at'], name='ticket_closed_unresolved'),
        ),
        migrations.RunPython(fill_ticket_metrics, migrations.RunPython.noop),
    ]
