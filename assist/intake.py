"""Triage as an intake step: above a target's threshold assist sets the value, below it it only suggests.

The step runs before the ticket exists; what it decided waits here, keyed by sender and subject, until the
ticket is created, and then goes into the ticket's history ("set by assist, 0.93") and its suggestions.
"""

import logging
import threading

from django.utils.translation import gettext

from assist import services
from assist.models import Suggestion
from tickets.models import Queue, TicketEvent

logger = logging.getLogger(__name__)
_pending = threading.local()


def _key(address: str, subject: str) -> tuple:
    return ((address or "").lower(), (subject or "").strip())


def triage(draft) -> None:
    if draft.ticket is not None:  # a reply on an existing thread: nothing to triage
        return
    message = draft.message
    try:
        scores = services.score(message.subject, message.body)
    except Exception:  # a broken artefact never stops mail from arriving
        logger.exception("assist could not score a message")
        return
    if not scores:
        return
    limits = services.thresholds()
    decisions = []
    for target, (value, confidence) in scores.items():
        if target not in limits:
            continue
        applied = confidence >= limits[target]
        if applied and target == "queue":
            queue = Queue.objects.filter(slug=value).first()
            if queue is None:
                applied = False
            else:
                draft.queue = queue
        elif applied and target == "priority":
            draft.priority = value
        elif applied and target == "product":
            draft.product = value
        decisions.append((target, value, confidence, applied))
    store = getattr(_pending, "decisions", None)
    if store is None:
        store = _pending.decisions = {}
    store[_key(message.sender.address, message.subject)] = decisions


def record(ticket, decisions, *, version: int) -> None:
    for target, value, confidence, applied in decisions:
        label = services.label_for(target, value)
        Suggestion.objects.create(ticket=ticket, target=target, value=value, label=label, confidence=confidence,
                                  state=Suggestion.State.SET if applied else Suggestion.State.OPEN,
                                  model_version=version)
        if applied and target in ("queue", "priority"):
            kind = TicketEvent.Kind.QUEUE if target == "queue" else TicketEvent.Kind.PRIORITY
            note = gettext("%(value)s (set by assist, %(confidence).2f)") % {"value": label,
                                                                              "confidence": confidence}
            TicketEvent.objects.create(ticket=ticket, actor=None, kind=kind, new_value=note[:255],
                                       version=ticket.version)


def ticket_created(sender, ticket, **kwargs):
    store = getattr(_pending, "decisions", None) or {}
    decisions = store.pop(_key(ticket.requester.email, ticket.subject), None)
    bundle = services.current_bundle()
    version = bundle["version"] if bundle else 0
    if decisions is None:
        # Opened on the portal or by an agent: suggestions only, never a change.
        scores = services.score(ticket.subject, ticket.description) if bundle else {}
        decisions = [(target, value, confidence, False) for target, (value, confidence) in scores.items()
                     if target in services.TARGETS and _current(ticket, target) != value]
    record(ticket, decisions, version=version)


def _current(ticket, target) -> str:
    if target == "queue":
        return ticket.queue.slug
    return getattr(ticket, target)
