"""Every change to a ticket: one function per action, each in a transaction, with its audit event.

Each takes keyword arguments, locks the ticket (``select_for_update``) where two people
can race, checks the move is allowed, raises ``TicketError`` with a message a person
can read, records a ``TicketEvent``, and leaves e-mail to the outbox, which sends only
after the transaction commits.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import Organization
from helpdesk.versioning import check_version, save_versioned
from tickets import assignment, custom_fields, notifications, signals
from tickets.attachments import check_uploads
from tickets.automation import engine as automation
from tickets.models import (
    Acceptance,
    Attachment,
    Message,
    Priority,
    SLAPolicy,
    Tag,
    Ticket,
    TicketEvent,
)
from tickets.sla import Calendar

Status = Ticket.Status
UNSET = object()


class TicketError(Exception):
    """A ticket action that cannot be carried out; the message is for the person who asked."""


class MergeNeedsConfirmation(TicketError):
    """Two people of one organisation: the merge waits until the agent confirms each may read the other's thread."""


class TicketConflict(TicketError):
    """The ticket changed after the person loaded it; ``changes`` lists what changed since."""

    def __init__(self, ticket, changes):
        super().__init__(_("This ticket changed while you were editing. Review the changes below, then try again."))
        self.ticket = ticket
        self.changes = changes


# ---------------------------------------------------------------- helpers


def _lock(ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _check_version(ticket, expected_version):
    check_version(ticket, expected_version, events=TicketEvent.objects.filter(ticket=ticket),
                  conflict=TicketConflict)


_save = save_versioned


def _event(ticket, actor, kind, old="", new="", *, now=None):
    return TicketEvent.objects.create(
        ticket=ticket, actor=actor, kind=kind, old_value=str(old)[:255], new_value=str(new)[:255],
        version=ticket.version + 1, created_at=now or timezone.now(),
    )


def _attach(message, checked_uploads):
    for upload, name, content_type in checked_uploads:
        attachment = Attachment(
            message=message, original_name=name, size=upload.size, content_type=content_type,
            created_at=message.created_at,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()


def policy_for(priority, organization, queue=None) -> SLAPolicy | None:
    """The SLA policy for a priority; the most specific one wins.

    In order: the queue's policy for the organisation's tier (VIP), the queue's general policy, the VIP
    policy for every queue, the general policy. Without queue policies this is the per-priority policy with
    the VIP override, as before.
    """
    queue_id = queue.pk if queue is not None else None
    candidates = SLAPolicy.objects.filter(priority=priority).select_related("business_hours")
    candidates = candidates.filter(queue__isnull=True) if queue_id is None else \
        candidates.filter(Q(queue__isnull=True) | Q(queue_id=queue_id))
    policies = {(policy.queue_id, policy.tier): policy for policy in candidates}
    tiers = ("vip", "") if organization is not None and organization.tier == Organization.Tier.VIP else ("",)
    for key in [(queue_id, tier) for tier in tiers] + [(None, tier) for tier in tiers]:
        if key in policies:
            return policies[key]
    return None


def calendar_for(policy) -> Calendar:
    if policy is None:
        return Calendar.always_open()
    return Calendar.from_model(policy.business_hours)


def _business_minutes(ticket, start, end) -> float:
    """Minutes from ``start`` to ``end`` on the ticket's SLA calendar; wall-clock minutes without a policy."""
    return float(calendar_for(ticket.sla_policy).minutes_between(start, end))


def _resolve_metrics(ticket, now) -> list[str]:
    """Record a resolution at ``now`` (DESIGN §4): the full resolution time, created → this (the last)
    resolution, and at the first resolution also the first resolution time; both in business minutes less the
    time spent pending. Time spent resolved before a reopening is not taken off. A ticket resolved straight
    from pending has that last stretch put on its pending minutes here."""
    fields = ["resolution_minutes"]
    if ticket.status == Status.PENDING and ticket.paused_since is not None:
        ticket.pending_minutes += calendar_for(ticket.sla_policy).minutes_between(ticket.paused_since, now)
        fields.append("pending_minutes")
    minutes = max(_business_minutes(ticket, ticket.created_at, now) - ticket.pending_minutes, 0.0)
    ticket.resolution_minutes = minutes
    if ticket.first_resolved_at is None:
        ticket.first_resolved_at, ticket.first_resolution_minutes = now, minutes
        fields += ["first_resolved_at", "first_resolution_minutes"]
    return fields


def _compute_sla(ticket) -> list[str]:
    """Set the policy and the due and warning times from the creation time and the paused time."""
    policy = policy_for(ticket.priority, ticket.organization, ticket.queue)
    ticket.sla_policy = policy
    fields = ["sla_policy", "first_response_due", "first_response_warn_at", "resolution_due", "resolution_warn_at"]
    if policy is None:
        ticket.first_response_due = ticket.first_response_warn_at = None
        ticket.resolution_due = ticket.resolution_warn_at = None
        return fields
    calendar = calendar_for(policy)
    start = ticket.created_at
    if ticket.first_response_at is None:
        ticket.first_response_due = calendar.add_minutes(start, policy.first_response_minutes)
        ticket.first_response_warn_at = calendar.add_minutes(start, policy.first_response_minutes * 8 // 10)
    paused = ticket.sla_paused_minutes
    ticket.resolution_due = calendar.add_minutes(start, policy.resolution_minutes + paused)
    ticket.resolution_warn_at = calendar.add_minutes(start, policy.resolution_minutes * 8 // 10 + paused)
    return fields


def _pause(ticket, now):
    if ticket.paused_since is None:
        ticket.paused_since = now
    return ["paused_since"]


def _resume(ticket, now):
    """Add the paused stretch to the clock and move the resolution due time on by as much."""
    if ticket.paused_since is None:
        return []
    calendar = calendar_for(ticket.sla_policy)
    paused = calendar.minutes_between(ticket.paused_since, now)
    ticket.sla_paused_minutes += paused
    if ticket.status == Status.PENDING:
        ticket.sla_paused_seconds += int((now - ticket.paused_since).total_seconds())
        ticket.pending_minutes += paused
    ticket.paused_since = None
    return ["paused_since", "sla_paused_minutes", "sla_paused_seconds", "pending_minutes", *_compute_sla(ticket)]


def _set_status(ticket, status, *, actor, now, summary="") -> list[str]:
    """Move the ticket to ``status`` (already checked), keeping the SLA clock and timestamps right."""
    if status == ticket.status:
        return []
    if not ticket.can_move_to(status):
        raise TicketError(
            _("A ticket cannot go from “%(old)s” to “%(new)s”.")
            % {"old": ticket.get_status_display(), "new": Status(status).label}
        )
    old = ticket.status
    fields = ["status"]
    if status == Status.RESOLVED:
        if not summary.strip():
            raise TicketError(_("Write a resolution summary to resolve the ticket."))
        missing = custom_fields.missing_before_resolve(ticket)
        if missing:
            raise TicketError(_("Fill in %(fields)s before resolving the ticket.")
                              % {"fields": ", ".join(f"“{field.label}”" for field in missing)})
        ticket.resolution_summary = summary.strip()
        fields += _resolve_metrics(ticket, now)
        ticket.resolved_at = now
        fields += ["resolution_summary", "resolved_at", *_pause(ticket, now)]
    elif status == Status.CLOSED:
        ticket.closed_at = now
        fields.append("closed_at")
    elif status == Status.PENDING:
        fields += _pause(ticket, now)
    elif old in (Status.PENDING, Status.RESOLVED):
        fields += _resume(ticket, now)
        if old == Status.RESOLVED:
            ticket.resolved_at = None
            ticket.resolution_minutes = None  # the full resolution is measured again at the next one
            ticket.reopened_count += 1
            fields += ["resolved_at", "resolution_minutes", "reopened_count"]
    ticket.status = status
    _event(ticket, actor, TicketEvent.Kind.STATUS, old, status, now=now)
    return fields


def _guard_writer(ticket, user, now):
    """Refuse a message from someone the ticket does not accept it from (see Ticket.accepts_message_from)."""
    acceptance = ticket.accepts_message_from(user, now=now)
    if not acceptance:
        raise TicketError(acceptance.refusal)
    return acceptance


# How soon × how many (the portal's two questions) → priority. Blocked work is never below High, and
# blocked for everyone is Urgent; work that can wait is never above Normal.
PRIORITY_MATRIX = {
    # urgency: {impact: priority}
    "high": {"low": Priority.HIGH, "medium": Priority.HIGH, "high": Priority.URGENT},
    "medium": {"low": Priority.NORMAL, "medium": Priority.NORMAL, "high": Priority.HIGH},
    "low": {"low": Priority.LOW, "medium": Priority.LOW, "high": Priority.NORMAL},
}


def priority_from_impact(impact: str, urgency: str) -> str:
    """The portal asks how many people are affected and how soon; the priority follows."""
    return PRIORITY_MATRIX.get(urgency, PRIORITY_MATRIX["medium"]).get(impact, Priority.NORMAL)


# ---------------------------------------------------------------- creating


def ticket_create(
    *, requester, subject, description, queue, priority=Priority.NORMAL, channel=Ticket.Channel.PORTAL,
    product="", files=(), created_by=None, email_message_id="", follow_up_of=None, tags=(), verification="",
    now=None, notify=True, custom=None,
) -> Ticket:
    """Open a ticket; ``custom`` is {CustomField: cleaned value} (see tickets.custom_fields).

    After it is saved the ticket's queue may give it to an available member (tickets.assignment).
    """
    checked = check_uploads(files)  # refuse bad files before anything is written
    subject = " ".join((subject or "").split())[:200]
    if not subject:
        raise TicketError(_("Give the ticket a subject."))
    if not (description or "").strip():
        raise TicketError(_("Describe the problem."))
    now = now or timezone.now()
    with transaction.atomic():
        ticket = Ticket(
            subject=subject, description=description.strip(), requester=requester,
            organization=requester.organization, queue=queue, priority=priority, channel=channel,
            product=product, created_by=created_by, created_at=now, follow_up_of=follow_up_of,
        )
        tags = [name.strip().lower() for name in tags if name.strip()]
        fired = automation.on_new_ticket(ticket, tags, now=now)  # rules route the ticket before its SLA is set
        _compute_sla(ticket)
        ticket.save()
        if tags:
            ticket.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
        message = Message.objects.create(
            ticket=ticket, author=requester, body=ticket.description, channel=channel,
            email_message_id=email_message_id, verification=verification, created_at=now, from_agent=False,
        )
        _attach(message, checked)
        TicketEvent.objects.create(ticket=ticket, actor=created_by or requester, kind=TicketEvent.Kind.CREATED,
                                   new_value=Status.NEW, version=1, created_at=now)
        if custom:
            custom_fields.store_many(ticket, custom, actor=created_by or requester)
        automation.after_new_ticket(ticket, fired, now=now)
        assignment.assign_new(ticket, notify=notify)
        if notify:
            notifications.ticket_created(ticket)
            notifications.account_manager_notice(ticket)
        transaction.on_commit(lambda: signals.ticket_created.send(sender=Ticket, ticket=ticket))
    return ticket


# ---------------------------------------------------------------- replies


def ticket_agent_reply(
    *, ticket, agent, body, files=(), internal=False, status=None, resolution_summary="", expected_version=None,
    channel=Ticket.Channel.PORTAL, email_message_id="", verification="", now=None, notify=True,
) -> Message:
    """A public reply or an internal note, optionally moving the ticket to a new status."""
    checked = check_uploads(files)
    if not (body or "").strip():
        raise TicketError(_("Write a message first."))
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _lock(ticket)
        _check_version(ticket, expected_version)
        if _guard_writer(ticket, agent, now).role != Acceptance.AGENT:
            raise TicketError(_("Only the agents of the ticket's queue may reply as an agent."))
        old_status = ticket.status
        fields = []
        message = Message.objects.create(
            ticket=ticket, author=agent, body=body.strip(), is_internal=internal, from_agent=True,
            channel=channel, email_message_id=email_message_id, verification=verification, created_at=now,
        )
        _attach(message, checked)
        if internal:
            _event(ticket, agent, TicketEvent.Kind.NOTE, new=message.pk, now=now)
        else:
            _event(ticket, agent, TicketEvent.Kind.REPLIED, new=message.pk, now=now)
            ticket.public_agent_replies += 1
            fields.append("public_agent_replies")
            if ticket.assignee_id is None and ticket.queue.assign_on_reply:
                _event(ticket, agent, TicketEvent.Kind.ASSIGNEE, "", agent, now=now)
                ticket.assignee = agent
                fields.append("assignee")
            if ticket.first_response_at is None and _counts_as_first_response(ticket):
                ticket.first_response_at = now
                ticket.first_response_minutes = _business_minutes(ticket, ticket.created_at, now)
                fields += ["first_response_at", "first_response_minutes"]
            if ticket.status == Status.NEW:
                fields += _set_status(ticket, Status.OPEN, actor=agent, now=now)
            if ticket.status == Status.RESOLVED and status in (None, Status.OPEN):
                fields += _set_status(ticket, Status.OPEN, actor=agent, now=now)
        if status and status != ticket.status:
            if ticket.status == Status.NEW:
                fields += _set_status(ticket, Status.OPEN, actor=agent, now=now)
            fields += _set_status(ticket, status, actor=agent, now=now, summary=resolution_summary)
        _save(ticket, fields)
        if not internal:
            automation.fire("agent_replied", ticket, now=now)
        if ticket.status != old_status:
            automation.fire("status_changed", ticket, now=now)
        resolved_now = ticket.status == Status.RESOLVED and old_status != Status.RESOLVED
        # A public reply that resolves the ticket is one e-mail to the customer, not a reply and a notice.
        if notify and resolved_now:
            notifications.ticket_resolved(ticket, reply=None if internal else message)
        elif notify and not internal:
            notifications.agent_replied(ticket, message)
    return message


def _counts_as_first_response(ticket) -> bool:
    """A ticket an agent opened for a customer (on the phone) is first answered by the second public reply."""
    if ticket.created_by_id is None or ticket.created_by_id == ticket.requester_id:
        return True
    agent_replies = ticket.messages.filter(from_agent=True, is_internal=False).count()
    return agent_replies >= 2  # the one just written included


def ticket_customer_reply(*, ticket, customer, body, files=(), channel=Ticket.Channel.PORTAL, email_message_id="",
                          verification="", now=None, notify=True) -> Message:
    checked = check_uploads(files)
    if not (body or "").strip():
        raise TicketError(_("Write a message first."))
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _lock(ticket)
        _guard_writer(ticket, customer, now)
        fields = []
        message = Message.objects.create(
            ticket=ticket, author=customer, body=body.strip(), channel=channel, email_message_id=email_message_id,
            verification=verification, created_at=now,
        )
        _attach(message, checked)
        _event(ticket, customer, TicketEvent.Kind.CUSTOMER_REPLIED, new=message.pk, now=now)
        if ticket.status in (Status.PENDING, Status.RESOLVED):
            if ticket.status == Status.RESOLVED:
                _event(ticket, customer, TicketEvent.Kind.REOPENED, now=now)
            fields += _set_status(ticket, Status.OPEN, actor=customer, now=now)
        _save(ticket, fields)
        automation.fire("customer_replied", ticket, now=now)
        if "status" in fields:
            automation.fire("status_changed", ticket, now=now)
        if notify:
            notifications.customer_replied(ticket, message)
    return message


def ticket_system_note(*, ticket, body, channel=Ticket.Channel.EMAIL, now=None) -> Message:
    """An internal note written by the helpdesk itself (files it refused, a message recovered), for the agents."""
    now = now or timezone.now()
    with transaction.atomic():
        message = Message.objects.create(ticket=ticket, author=None, is_internal=True, from_agent=False,
                                         channel=channel, body=body, created_at=now)
        TicketEvent.objects.create(ticket=ticket, actor=None, kind=TicketEvent.Kind.NOTE, new_value=str(message.pk),
                                   version=ticket.version, created_at=now)
    return message


# ---------------------------------------------------------------- properties


def ticket_update(
    *, ticket, actor, expected_version=None, status=None, priority=None, queue=None, assignee=UNSET, tags=None,
    resolution_summary="", now=None, notify=True,
) -> Ticket:
    """Change status, priority, queue, assignee and tags in one go (the ticket page's side panel)."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _lock(ticket)
        _check_version(ticket, expected_version)
        old_status = ticket.status
        fields = _apply_changes(ticket, actor=actor, now=now, status=status, priority=priority, queue=queue,
                                assignee=assignee, resolution_summary=resolution_summary)
        if tags is not None:
            _set_tags(ticket, actor, tags, now=now)
            fields.append("updated_at")
        if not fields:
            return ticket
        _save(ticket, fields)
        automation.fire("updated", ticket, now=now)
        if ticket.status != old_status:
            automation.fire("status_changed", ticket, now=now)
        if notify:
            _notify_changes(ticket, old_status, fields)
    return ticket


def _apply_changes(ticket, *, actor, now, status=None, priority=None, queue=None, assignee=UNSET,
                   resolution_summary="") -> list[str]:
    fields = []
    if queue is not None and queue.pk != ticket.queue_id:
        _event(ticket, actor, TicketEvent.Kind.QUEUE, ticket.queue.name, queue.name, now=now)
        ticket.queue = queue
        fields.append("queue")
        if queue.sla_policies.exists() or (ticket.sla_policy and ticket.sla_policy.queue_id):
            fields += _compute_sla(ticket)
    if assignee is not UNSET and (assignee.pk if assignee else None) != ticket.assignee_id:
        _event(ticket, actor, TicketEvent.Kind.ASSIGNEE, ticket.assignee or "", assignee or "", now=now)
        ticket.assignee = assignee
        fields.append("assignee")
    if priority and priority != ticket.priority:
        _event(ticket, actor, TicketEvent.Kind.PRIORITY, ticket.priority, priority, now=now)
        ticket.priority = priority
        fields += ["priority", *_compute_sla(ticket)]
    if status and status != ticket.status:
        if ticket.status == Status.NEW and status not in (Status.OPEN, Status.RESOLVED):
            fields += _set_status(ticket, Status.OPEN, actor=actor, now=now)
        fields += _set_status(ticket, status, actor=actor, now=now, summary=resolution_summary)
    return fields


def _set_tags(ticket, actor, names, now=None):
    wanted = sorted({name.strip().lower()[:50] for name in names if name.strip()})
    current = sorted(ticket.tags.values_list("name", flat=True))
    if wanted != current:
        ticket.tags.set([Tag.objects.get_or_create(name=name)[0] for name in wanted])
        _event(ticket, actor, TicketEvent.Kind.TAGS, ", ".join(current), ", ".join(wanted), now=now)


def _notify_changes(ticket, old_status, fields):
    if "assignee" in fields and ticket.assignee_id:
        notifications.ticket_assigned(ticket)
    if ticket.status == Status.RESOLVED and old_status != Status.RESOLVED:
        notifications.ticket_resolved(ticket)


def ticket_customer_resolve(*, ticket, customer, now=None) -> Ticket:
    """The customer says the problem is solved."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _lock(ticket)
        if not ticket.is_active:
            raise TicketError(_("Only an open ticket can be marked as resolved."))
        fields = []
        if ticket.status == Status.NEW:
            fields += _set_status(ticket, Status.OPEN, actor=customer, now=now)
        fields += _set_status(ticket, Status.RESOLVED, actor=customer, now=now,
                              summary=_("Marked as resolved by the customer."))
        _save(ticket, fields)
    return ticket


def ticket_customer_reopen(*, ticket, customer, reason="", now=None) -> Ticket:
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _lock(ticket)
        if not ticket.can_reopen(now):
            raise TicketError(
                _("Only a ticket resolved in the last %(days)d days can be reopened. Open a new ticket instead.")
                % {"days": settings.TICKET_REOPEN_DAYS}
            )
        _event(ticket, customer, TicketEvent.Kind.REOPENED, new=reason[:255], now=now)
        fields = _set_status(ticket, Status.OPEN, actor=customer, now=now)
        if reason.strip():
            Message.objects.create(ticket=ticket, author=customer, body=reason.strip(), created_at=now)
        _save(ticket, fields)
        notifications.ticket_reopened(ticket)
    return ticket


def ticket_customer_close(*, ticket, customer, now=None) -> Ticket:
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _lock(ticket)
        if ticket.status != Status.RESOLVED:
            raise TicketError(_("Only a resolved ticket can be closed."))
        fields = _set_status(ticket, Status.CLOSED, actor=customer, now=now)
        _save(ticket, fields)
    return ticket


def tickets_bulk_update(*, tickets, actor, status=None, priority=None, assignee=UNSET, add_tag="",
                        resolution_summary="", now=None) -> int:
    """Apply one change to many tickets in one transaction: all of them change, or none."""
    now = now or timezone.now()
    changed = 0
    with transaction.atomic():
        locked = list(Ticket.objects.select_for_update(of=("self",)).filter(pk__in=[t.pk for t in tickets])
                      .select_related("queue", "assignee", "organization").order_by("pk"))
        refused = []
        for ticket in locked:
            old_status = ticket.status
            try:
                fields = _apply_changes(ticket, actor=actor, now=now, status=status, priority=priority,
                                        assignee=assignee, resolution_summary=resolution_summary)
            except TicketError as error:
                refused.append(f"{ticket.reference}: {error}")
                continue
            if add_tag.strip():
                names = list(ticket.tags.values_list("name", flat=True)) + [add_tag]
                _set_tags(ticket, actor, names, now=now)
                fields.append("updated_at")
            if fields:
                _save(ticket, fields)
                _notify_changes(ticket, old_status, fields)
                changed += 1
        if refused:
            transaction.set_rollback(True)
            raise TicketError(_("Nothing was changed, because: %(reasons)s") % {"reasons": "; ".join(refused)})
    return changed


def _person(user) -> str:
    name = user.get_full_name() or user.email
    return f"{name} ({user.organization.name})" if user.organization_id else name


def check_merge_requesters(source, target, *, confirmed=False) -> None:
    """Whether one ticket's thread may join another's, seen by the other's requester.

    The same requester: yes. Two people of one organisation: only once the agent confirms it. People of
    different organisations, or without one: never, since each would read the other's conversation.
    """
    if source.requester_id == target.requester_id:
        return
    source_org, target_org = source.requester.organization_id, target.requester.organization_id
    names = {"source": source.reference, "target": target.reference,
             "source_person": _person(source.requester), "target_person": _person(target.requester)}
    if source_org is None or source_org != target_org:
        raise TicketError(
            _("%(source)s is from %(source_person)s and %(target)s from %(target_person)s. Tickets of different "
              "customers cannot be merged: each would read the other's conversation.") % names)
    if not confirmed:
        raise MergeNeedsConfirmation(
            _("%(source)s is from %(source_person)s and %(target)s from %(target_person)s. After the merge both "
              "of them read the whole conversation. Tick the confirmation to merge anyway.") % names)


def ticket_merge(*, source, target, actor, expected_version=None, confirm_requesters=False, now=None) -> Ticket:
    """Fold a duplicate into another ticket: its messages move over and its requester is told.

    Refused across customers; two requesters of one organisation need ``confirm_requesters``
    (``check_merge_requesters``), checked on the locked rows.
    """
    if source.pk == target.pk:
        raise TicketError(_("A ticket cannot be merged into itself."))
    now = now or timezone.now()
    with transaction.atomic():
        first, second = sorted([source, target], key=lambda t: t.pk)  # lock in one order: no deadlock
        first, second = _lock(first), _lock(second)
        source, target = (first, second) if first.pk == source.pk else (second, first)
        _check_version(source, expected_version)
        for ticket in (source, target):
            if ticket.status == Status.CLOSED or ticket.merged_into_id:
                raise TicketError(_("%(reference)s is closed or already merged; it cannot be merged.")
                                  % {"reference": ticket.reference})
        check_merge_requesters(source, target, confirmed=confirm_requesters)
        Message.objects.filter(ticket=source).update(ticket=target)
        Message.objects.create(
            ticket=target, author=actor, is_internal=True, from_agent=True, created_at=now,
            body=_("%(source)s (“%(subject)s”) was merged into this ticket.")
            % {"source": source.reference, "subject": source.subject},
        )
        _event(target, actor, TicketEvent.Kind.MERGED, source.reference, target.reference, now=now)
        target.public_agent_replies = Message.objects.filter(ticket=target, from_agent=True, is_internal=False).count()
        _save(target, ["public_agent_replies"])
        source.merged_into = target
        source.public_agent_replies = 0  # its replies moved over with the thread
        _event(source, actor, TicketEvent.Kind.MERGED, source.reference, target.reference, now=now)
        fields = ["merged_into", "public_agent_replies"]
        if source.status == Status.NEW:
            fields += _set_status(source, Status.OPEN, actor=actor, now=now)
        fields += _set_status(source, Status.RESOLVED, actor=actor, now=now,
                              summary=_("Merged into %(reference)s.") % {"reference": target.reference})
        fields += _set_status(source, Status.CLOSED, actor=actor, now=now)
        _save(source, fields)
        notifications.ticket_merged(source, target)
    return target


# ---------------------------------------------------------------- periodic work


def sla_check(*, now=None, notify=True) -> dict:
    """Raise each SLA warning (80 %) and breach once per target; safe to run twice or in two workers."""
    now = now or timezone.now()
    counts = {"warnings": 0, "breaches": 0}
    running = Ticket.objects.filter(status__in=[Status.NEW, Status.OPEN, Status.ON_HOLD], merged_into__isnull=True)
    checks = [
        ("first_response", "warn_at", "warned_at", "warnings", TicketEvent.Kind.SLA_WARNING),
        ("first_response", "due", "breached_at", "breaches", TicketEvent.Kind.SLA_BREACH),
        ("resolution", "warn_at", "warned_at", "warnings", TicketEvent.Kind.SLA_WARNING),
        ("resolution", "due", "breached_at", "breaches", TicketEvent.Kind.SLA_BREACH),
    ]
    for target, when, flag, counter, kind in checks:
        candidates = running.filter(**{f"{target}_{when}__lte": now, f"{target}_{flag}__isnull": True})
        if target == "first_response":
            candidates = candidates.filter(first_response_at__isnull=True)
        for pk in candidates.values_list("pk", flat=True)[:1000]:
            with transaction.atomic():
                claimed = Ticket.objects.filter(pk=pk, **{f"{target}_{flag}__isnull": True}).update(
                    **{f"{target}_{flag}": now}
                )
                if claimed != 1:
                    continue  # another run got there first
                ticket = Ticket.objects.select_related("queue", "assignee", "queue__manager").get(pk=pk)
                TicketEvent.objects.create(ticket=ticket, kind=kind, new_value=target, version=ticket.version,
                                           created_at=now)
                automation.fire(kind, ticket, now=now)
                if notify:
                    notifications.sla_alert(ticket, target=target, breached=kind == TicketEvent.Kind.SLA_BREACH)
                counts[counter] += 1
    return counts


def tickets_auto_close(*, now=None) -> int:
    """Close tickets resolved more than TICKET_AUTO_CLOSE_DAYS ago, telling each customer once."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TICKET_AUTO_CLOSE_DAYS)
    closed = 0
    for pk in Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lte=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            claimed = Ticket.objects.filter(pk=pk, status=Status.RESOLVED).update(
                status=Status.CLOSED, closed_at=now, version=F("version") + 1
            )
            if claimed != 1:
                continue
            ticket = Ticket.objects.select_related("requester").get(pk=pk)
            TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.STATUS, old_value=Status.RESOLVED,
                                       new_value=Status.CLOSED, version=ticket.version, created_at=now)
            notifications.ticket_auto_closed(ticket)
            closed += 1
    return closed

