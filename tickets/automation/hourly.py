"""The hourly automations: each acts on a ticket once per matching period (recorded in ``AutomationFiring``)."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from tickets.automation import engine
from tickets.models import Automation, AutomationFiring, Ticket

logger = logging.getLogger(__name__)

Status = Ticket.Status
# Tickets an automation may act on: not merged away and not closed.
LIVE = [Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD, Status.RESOLVED]


def period_of(automation, target) -> str:
    """The period a firing belongs to: the moments the automation's time conditions count from."""
    anchors = []
    for condition in automation.conditions:
        for name in ("created", "updated", "pending", "resolved"):
            if condition.get("field", "").endswith(f"_since_{name}"):
                moment = engine._anchor(target, name)
                anchors.append(f"{name}:{moment.isoformat() if moment else '-'}")
    return "|".join(sorted(set(anchors)))[:64] or "once"


class _Rule:
    """An automation run through the rule machinery (its name in the history)."""

    def __init__(self, automation):
        self.name = automation.name
        self.actions = automation.actions


def run_automations(*, now=None, limit=1000) -> int:
    """Run every active automation once over the live tickets; how many times one acted."""
    now = now or timezone.now()
    acted = 0
    for automation in Automation.objects.filter(is_active=True):
        candidates = (
            Ticket.objects.filter(status__in=LIVE, merged_into__isnull=True)
            .select_related("queue", "requester", "organization", "assignee", "sla_policy")
            .order_by("pk")
        )
        for ticket in candidates[: limit * 10]:
            target = engine.Target.from_ticket(ticket, now=now)
            if not engine.conditions_hold(automation.match, automation.conditions, target):
                continue
            try:
                with transaction.atomic():
                    AutomationFiring.objects.create(
                        automation=automation, ticket=ticket, period=period_of(automation, target), fired_at=now
                    )
                    _act(automation, ticket, now)
            except IntegrityError:
                continue  # already acted in this period
            acted += 1
            if acted >= limit:
                return acted
    return acted


def _act(automation, ticket, now):
    rule = _Rule(automation)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    fields = [a for a in automation.actions if a["type"] not in engine.EMAIL_ACTIONS and a["type"] != "add_note"]
    changed, moved = engine._write_changes(ticket, rule, fields, now=now, depth=0)
    for action in automation.actions:
        if action in fields:
            continue
        value = engine._side_effect(rule, action, ticket, now)
        if value is not None:
            engine._rule_event(ticket, rule, action, value, now)
    if changed:
        engine.fire("updated", ticket, now=now, depth=1)
    if moved:
        engine.fire("status_changed", ticket, now=now, depth=1)
