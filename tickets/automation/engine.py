"""Checking and running rules and automations.

A condition is ``{"field": …, "op": …, "value": …}``; the fields it may look at are the ``FIELDS`` registry
(ticket fields, requester and organisation, the text, the clock). An action is ``{"type": …, …}`` from
``ACTIONS``. Both are checked with ``validate_conditions`` / ``validate_actions`` when a manager saves them, so a
bad one is named in the editor rather than failing later.

# custom fields register here: ``register_field(name, label, getter, ops)`` adds a condition source; a getter
# takes the ``Target`` and returns the value compared.

Rules fire in their order, each at most once per event. A change a rule makes is an "updated" event of its own
(and "status changed" when it moves the status); that chain stops at ``MAX_DEPTH`` with a logged warning, so two
rules that undo each other cannot loop.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.mail.services import email_queue
from tickets.models import BusinessHours, Message, Priority, Queue, Ticket, TicketEvent
from tickets.sla import Calendar

logger = logging.getLogger(__name__)

MAX_DEPTH = 5
PREVIEW_TICKETS = 1000
Status = Ticket.Status


@dataclass
class Target:
    """What a condition sees: a ticket, or the draft of one that intake has not written yet."""

    queue: Queue | None
    priority: str
    status: str
    channel: str
    tags: list
    product: str
    subject: str
    text: str
    requester: object = None
    organization: object = None
    assignee: object = None
    ticket: Ticket | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    now: datetime = field(default_factory=timezone.now)

    @classmethod
    def from_ticket(cls, ticket, *, now=None, tags=None) -> "Target":
        if tags is None:
            tags = list(ticket.tags.values_list("name", flat=True)) if ticket.pk else []
        return cls(
            queue=ticket.queue,
            priority=ticket.priority,
            status=ticket.status,
            channel=ticket.channel,
            tags=list(tags),
            product=ticket.product,
            subject=ticket.subject,
            text=f"{ticket.subject}\n{ticket.description}",
            requester=ticket.requester,
            organization=ticket.organization,
            assignee=ticket.assignee,
            ticket=ticket,
            created_at=ticket.created_at,
            updated_at=ticket.updated_at or ticket.created_at,
            now=now or timezone.now(),
        )

    @classmethod
    def from_draft(cls, draft, *, now=None) -> "Target":
        message = draft.message
        author = draft.author
        subject = getattr(message, "subject", "") or ""
        body = getattr(message, "body", "") or getattr(message, "reply_body", "") or ""
        now = now or timezone.now()
        return cls(
            queue=draft.queue,
            priority=draft.priority,
            status=Status.NEW,
            channel=getattr(message, "channel", Ticket.Channel.EMAIL),
            tags=draft.tags,
            product=draft.product,
            subject=subject,
            text=f"{subject}\n{body}",
            requester=author,
            organization=getattr(author, "organization", None),
            created_at=now,
            updated_at=now,
            now=now,
        )


# ---------------------------------------------------------------- the clock


def calendar_of(target) -> Calendar:
    policy = getattr(target.ticket, "sla_policy", None) if target.ticket else None
    hours = policy.business_hours if policy else BusinessHours.objects.order_by("pk").first()
    return Calendar.from_model(hours) if hours else Calendar.always_open()


def business_days_between(calendar: Calendar, start: datetime, end: datetime) -> int:
    """Whole business days from ``start`` to ``end``: a day counts once its time of day has come round."""
    if end <= start:
        return 0
    local_start, local_end = start.astimezone(calendar.tz), end.astimezone(calendar.tz)
    days, day = 0, local_start.date() + timedelta(days=1)
    while day <= local_end.date():
        open_day = day not in calendar.holidays and calendar.periods.get(day.weekday())
        if open_day and (day < local_end.date() or local_end.time() >= local_start.time()):
            days += 1
        day += timedelta(days=1)
    return days


def _anchor(target, name):
    ticket = target.ticket
    if name == "created":
        return target.created_at
    if name == "updated":
        return target.updated_at
    if name == "pending":
        return ticket.paused_since if ticket and target.status == Status.PENDING else None
    if name == "resolved":
        return ticket.resolved_at if ticket and target.status == Status.RESOLVED else None
    return None


def _hours_since(name, business):
    def getter(target):
        start = _anchor(target, name)
        if start is None:
            return None
        if business:
            return calendar_of(target).minutes_between(start, target.now) / 60
        return (target.now - start).total_seconds() / 3600

    return getter


def _business_days_since(name):
    def getter(target):
        start = _anchor(target, name)
        return None if start is None else business_days_between(calendar_of(target), start, target.now)

    return getter


def _open_now(target):
    calendar = calendar_of(target)
    return calendar.minutes_between(target.now, target.now + timedelta(minutes=1)) > 0


# ---------------------------------------------------------------- text


CJK = re.compile(r"[\u3400-\u9fff]")


def text_contains(text: str, phrase: str) -> bool:
    """A word or phrase in the text: whole words in Latin scripts, jieba's words in Chinese."""
    phrase = phrase.strip().lower()
    if not phrase:
        return False
    text = text.lower()
    if CJK.search(phrase):
        import jieba

        words = set(jieba.cut_for_search(text))
        return phrase in words or all(word in words for word in jieba.cut(phrase) if word.strip())
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


# ---------------------------------------------------------------- the field registry


TEXT_OPS = ("is", "is_not", "in")
NUMBER_OPS = ("gte", "lte")
BOOL_OPS = ("is",)


@dataclass(frozen=True)
class FieldSource:
    label: str
    getter: object
    ops: tuple


FIELDS: dict[str, FieldSource] = {}


def register_field(name, label, getter, ops=TEXT_OPS):
    FIELDS[name] = FieldSource(label, getter, tuple(ops))


def _health_band(target):
    org = target.organization
    try:
        return org.health.band if org is not None else ""
    except Exception:  # no score computed yet
        return ""


register_field("queue", "queue", lambda t: t.queue.slug if t.queue else "")
register_field("priority", "priority", lambda t: t.priority)
register_field("status", "status", lambda t: t.status)
register_field("channel", "channel", lambda t: t.channel)
register_field("tags", "tags", lambda t: t.tags, ("contains", "not_contains"))
register_field("assignee", "assignee", lambda t: t.assignee.email if t.assignee else "", TEXT_OPS)
register_field("product", "product", lambda t: t.product, (*TEXT_OPS, "contains"))
register_field(
    "requester_email", "requester e-mail", lambda t: getattr(t.requester, "email", "") or "", (*TEXT_OPS, "ends_with")
)
register_field("organization_tier", "organisation tier", lambda t: t.organization.tier if t.organization else "")
register_field("organization_health", "organisation health band", _health_band)
register_field(
    "organization_churned",
    "organisation churned",
    lambda t: bool(t.organization and t.organization.status == "churned"),
    BOOL_OPS,
)
register_field("text", "subject and text", lambda t: t.text, ("contains", "not_contains"))
register_field("business_hours_now", "business hours now", _open_now, BOOL_OPS)
for _name in ("created", "updated", "pending", "resolved"):
    register_field(f"hours_since_{_name}", f"hours since {_name}", _hours_since(_name, False), NUMBER_OPS)
    register_field(
        f"business_hours_since_{_name}", f"business hours since {_name}", _hours_since(_name, True), NUMBER_OPS
    )
    register_field(
        f"business_days_since_{_name}", f"business days since {_name}", _business_days_since(_name), NUMBER_OPS
    )


def _compare(op, actual, expected) -> bool:
    if op in ("gte", "lte"):
        if actual is None:
            return False
        return actual >= float(expected) if op == "gte" else actual <= float(expected)
    if op == "contains":
        if isinstance(actual, list):
            return str(expected).strip().lower() in actual
        return text_contains(actual, str(expected))
    if op == "not_contains":
        return not _compare("contains", actual, expected)
    if op == "in":
        return actual in [
            str(v).strip() for v in (expected if isinstance(expected, list) else str(expected).split(","))
        ]
    if op == "ends_with":
        return str(actual).lower().endswith(str(expected).lower())
    if isinstance(actual, bool):
        expected = expected in (True, "true", "yes", "1", 1)
        return (actual == expected) if op == "is" else (actual != expected)
    return (actual == str(expected)) if op == "is" else (actual != str(expected))


def condition_holds(condition, target) -> bool:
    source = FIELDS[condition["field"]]
    return _compare(condition["op"], source.getter(target), condition.get("value", ""))


def conditions_hold(match, conditions, target) -> bool:
    if not conditions:
        return True
    results = (condition_holds(condition, target) for condition in conditions)
    return any(results) if match == "any" else all(results)


# ---------------------------------------------------------------- validation


def validate_conditions(conditions) -> None:
    if not isinstance(conditions, list):
        raise ValidationError(_("The conditions must be a list."))
    for number, condition in enumerate(conditions, 1):
        if not isinstance(condition, dict):
            raise ValidationError(_("Condition %(n)d is not a condition.") % {"n": number})
        name = condition.get("field")
        if name not in FIELDS:
            raise ValidationError(_("Condition %(n)d: there is no field “%(field)s”.") % {"n": number, "field": name})
        op = condition.get("op")
        if op not in FIELDS[name].ops:
            raise ValidationError(
                _("Condition %(n)d: “%(field)s” cannot be compared with “%(op)s”; use %(ops)s.")
                % {"n": number, "field": name, "op": op, "ops": ", ".join(FIELDS[name].ops)}
            )
        if op in NUMBER_OPS:
            try:
                float(condition.get("value"))
            except (TypeError, ValueError):
                raise ValidationError(
                    _("Condition %(n)d: “%(value)s” is not a number.") % {"n": number, "value": condition.get("value")}
                ) from None
        if op in ("contains", "not_contains") and not str(condition.get("value", "")).strip():
            raise ValidationError(_("Condition %(n)d: give the word to look for.") % {"n": number})


def _check_value(kind, value):
    if kind == "set_queue" and not Queue.objects.filter(slug=value).exists():
        return _("there is no queue “%(value)s”")
    if kind == "set_priority" and value not in Priority.values:
        return _("“%(value)s” is not a priority")
    if kind == "set_status" and value not in Status.values:
        return _("“%(value)s” is not a status")
    if (
        kind == "set_assignee"
        and value
        and not get_user_model()
        .objects.filter(email__iexact=value, is_active=True, groups__name__in=["agent", "manager"])
        .exists()
    ):
        return _("there is no agent “%(value)s”")
    if kind in ("add_tags", "remove_tags", "add_note") and not str(value or "").strip():
        return _("give a value")
    return None


EMAIL_ACTIONS = ("email_requester", "email_assignee", "email_account_manager", "email_address")
ACTIONS = (
    "set_queue",
    "set_priority",
    "set_status",
    "set_assignee",
    "add_tags",
    "remove_tags",
    "add_note",
    *EMAIL_ACTIONS,
)


def validate_actions(actions) -> None:
    if not isinstance(actions, list) or not actions:
        raise ValidationError(_("Add at least one action."))
    for number, action in enumerate(actions, 1):
        kind = action.get("type") if isinstance(action, dict) else None
        if kind not in ACTIONS:
            raise ValidationError(_("Action %(n)d: there is no action “%(type)s”.") % {"n": number, "type": kind})
        if kind in EMAIL_ACTIONS:
            if not str(action.get("subject", "")).strip() or not str(action.get("body", "")).strip():
                raise ValidationError(_("Action %(n)d: an e-mail needs a subject and a text.") % {"n": number})
            if kind == "email_address":
                try:
                    from django.core.validators import validate_email

                    validate_email(action.get("to", ""))
                except ValidationError:
                    raise ValidationError(
                        _("Action %(n)d: “%(to)s” is not an e-mail address.")
                        % {"n": number, "to": action.get("to", "")}
                    ) from None
            continue
        if problem := _check_value(kind, action.get("value", "")):
            raise ValidationError(_("Action %(n)d: ") % {"n": number} + problem % {"value": action.get("value", "")})


# ---------------------------------------------------------------- placeholders and e-mail


PLACEHOLDERS = ("customer_name", "reference", "agent_name", "subject", "queue", "priority", "status")


def fill(text, ticket) -> str:
    requester, assignee = ticket.requester, ticket.assignee
    values = {
        "customer_name": (requester.get_full_name() or requester.email) if requester else "",
        "reference": ticket.reference,
        "subject": ticket.subject,
        "agent_name": (assignee.get_full_name() or assignee.email) if assignee else "",
        "queue": ticket.queue.name,
        "priority": ticket.get_priority_display(),
        "status": ticket.get_status_display(),
    }
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def _recipient(action, ticket):
    kind = action["type"]
    if kind == "email_requester":
        return getattr(ticket.requester, "email", "")
    if kind == "email_assignee":
        return getattr(ticket.assignee, "email", "")
    if kind == "email_account_manager":
        manager = ticket.organization.account_manager if ticket.organization else None
        return getattr(manager, "email", "") or action.get("to", "")
    return action.get("to", "")


# ---------------------------------------------------------------- running


def _describe(rule, action, value="") -> str:
    labels = {
        "set_queue": _("set queue %(value)s"),
        "set_priority": _("set priority %(value)s"),
        "set_status": _("set status %(value)s"),
        "set_assignee": _("assigned %(value)s"),
        "add_tags": _("added tags %(value)s"),
        "remove_tags": _("removed tags %(value)s"),
        "add_note": _("added an internal note"),
        "email_requester": _("e-mailed %(value)s"),
        "email_assignee": _("e-mailed %(value)s"),
        "email_account_manager": _("e-mailed %(value)s"),
        "email_address": _("e-mailed %(value)s"),
    }
    text = _("Rule “%(name)s” %(what)s") % {"name": rule.name, "what": labels[action["type"]] % {"value": value}}
    return text[:255]


def _tags(value):
    return [name.strip().lower()[:50] for name in str(value).split(",") if name.strip()]


def apply_fields(action, target) -> str | None:
    """Change the target for a field action; the new value for the history, or None if nothing changed."""
    kind, value = action["type"], action.get("value", "")
    if kind == "set_queue":
        queue = Queue.objects.filter(slug=value).first()
        if queue and queue != target.queue:
            target.queue = queue
            return queue.name
    elif kind == "set_priority" and value != target.priority:
        target.priority = value
        return value
    elif kind == "set_status" and value != target.status:
        target.status = value
        return value
    elif kind == "set_assignee":
        user = get_user_model().objects.filter(email__iexact=value).first() if value else None
        if user != target.assignee:
            target.assignee = user
            return user.email if user else "-"
    elif kind == "add_tags":
        added = [name for name in _tags(value) if name not in target.tags]
        if added:
            target.tags[:] = [*target.tags, *added]
            return ", ".join(added)
    elif kind == "remove_tags":
        removed = [name for name in _tags(value) if name in target.tags]
        if removed:
            target.tags[:] = [name for name in target.tags if name not in removed]
            return ", ".join(removed)
    return None


def _side_effect(rule, action, ticket, now) -> str | None:
    kind = action["type"]
    if kind == "add_note":
        message = Message.objects.create(
            ticket=ticket,
            author=None,
            is_internal=True,
            from_agent=False,
            channel=Ticket.Channel.EMAIL,
            body=fill(action["value"], ticket),
            created_at=now,
        )
        return str(message.pk)
    if kind in EMAIL_ACTIONS:
        to = _recipient(action, ticket)
        if not to:
            logger.info("Rule %r: no one to e-mail for %s on %s", rule.name, kind, ticket.reference)
            return None
        email_queue(to=to, subject=fill(action["subject"], ticket), text=fill(action["body"], ticket), related=ticket)
        return to
    return None


def matching_rules(event, target):
    from tickets.models import Rule

    return [
        rule
        for rule in Rule.objects.filter(is_active=True, event=event)
        if conditions_hold(rule.match, rule.conditions, target)
    ]


def on_draft(draft, *, now=None) -> None:
    """The intake step: created-rules route the draft (queue, priority, tags) before a ticket is written."""
    target = Target.from_draft(draft, now=now)
    for rule in matching_rules("created", target):
        for action in rule.actions:
            if action["type"] in ("set_queue", "set_priority", "add_tags", "remove_tags"):
                apply_fields(action, target)
    draft.queue, draft.priority = target.queue, target.priority


def on_new_ticket(ticket, tags, *, now) -> list:
    """Before a new ticket is saved (and its SLA computed): run the created-rules' field actions on it.

    Returns what ``after_new_ticket`` writes once the ticket exists: the history and the notes and e-mails.
    """
    target = Target.from_ticket(ticket, now=now, tags=tags)
    fired = []
    for rule in matching_rules("created", target):
        done = []
        for action in rule.actions:
            if action["type"] == "set_status":
                done.append((action, None))  # moved once the ticket exists, through the status rules
                continue
            if action["type"] in EMAIL_ACTIONS or action["type"] == "add_note":
                done.append((action, None))
                continue
            new = apply_fields(action, target)
            if new is not None:
                done.append((action, new))
        fired.append((rule, done))
    ticket.queue, ticket.priority, ticket.assignee = target.queue, target.priority, target.assignee
    tags[:] = target.tags
    return fired


def after_new_ticket(ticket, fired, *, now) -> None:
    for rule, done in fired:
        for action, new in done:
            if action["type"] == "set_status":
                _write_changes(ticket, rule, [action], now=now, depth=0)
                continue
            if new is None:
                new = _side_effect(rule, action, ticket, now)
                if new is None:
                    continue
            _rule_event(ticket, rule, action, new, now)


def _rule_event(ticket, rule, action, value, now):
    TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.RULE,
        new_value=_describe(rule, action, value),
        version=ticket.version,
        created_at=now,
    )


def _write_changes(ticket, rule, actions, *, now, depth):
    """Apply field actions to a saved ticket through the ticket services; True if the status moved."""
    from tickets import services

    target = Target.from_ticket(ticket, now=now)
    before_status = ticket.status
    changed = []
    for action in actions:
        new = apply_fields(action, target)
        if new is not None:
            changed.append((action, new))
    if not changed:
        return [], False
    fields = services._apply_changes(
        ticket,
        actor=None,
        now=now,
        status=target.status if target.status != ticket.status else None,
        priority=target.priority,
        queue=target.queue,
        assignee=target.assignee if target.assignee != ticket.assignee else services.UNSET,
        resolution_summary=_("Resolved by the rule “%(name)s”.") % {"name": rule.name},
    )
    if any(a["type"] in ("add_tags", "remove_tags") for a, _new in changed):
        services._set_tags(ticket, None, target.tags, now=now)
        fields.append("updated_at")
    if fields:
        services._save(ticket, fields)
    for action, new in changed:
        _rule_event(ticket, rule, action, new, now)
    return changed, ticket.status != before_status


def fire(event, ticket, *, now=None, depth=0) -> int:
    """Run the active rules of ``event`` on a saved ticket (inside the caller's transaction); how many fired."""
    now = now or timezone.now()
    if depth >= MAX_DEPTH:
        logger.warning(
            "Rules on %s stopped at depth %d: they keep changing the ticket (event %s).", ticket.reference, depth, event
        )
        return 0
    fired = 0
    changed_any = status_moved = False
    for rule in matching_rules(event, Target.from_ticket(ticket, now=now)):
        fired += 1
        field_actions = [a for a in rule.actions if a["type"] not in EMAIL_ACTIONS and a["type"] != "add_note"]
        changed, moved = _write_changes(ticket, rule, field_actions, now=now, depth=depth)
        changed_any |= bool(changed)
        status_moved |= moved
        for action in rule.actions:
            if action in field_actions:
                continue
            value = _side_effect(rule, action, ticket, now)
            if value is not None:
                _rule_event(ticket, rule, action, value, now)
    if changed_any:
        fire("updated", ticket, now=now, depth=depth + 1)
        if status_moved:
            fire("status_changed", ticket, now=now, depth=depth + 1)
    return fired


def preview(rule_match, conditions, event="created") -> list[Ticket]:
    """The latest tickets (of the last ``PREVIEW_TICKETS``) that the conditions hold for."""
    now = timezone.now()
    tickets = (
        Ticket.objects.select_related("queue", "requester", "organization", "assignee", "sla_policy")
        .prefetch_related("tags")
        .order_by("-created_at")[:PREVIEW_TICKETS]
    )
    matched = []
    for ticket in tickets:
        target = Target.from_ticket(ticket, now=now, tags=[tag.name for tag in ticket.tags.all()])
        if conditions_hold(rule_match, conditions, target):
            matched.append(ticket)
    return matched
