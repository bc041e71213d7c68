"""The suspended list: messages held back (an unverified staff address, a step's doubt) until an agent acts.

Recovering reads the kept original again through its channel and processes it as if its sender were
verified, since an agent vouched for it; deleting keeps the record with who deleted it and drops the
message. Agents see what was going to their queues; managers see everything.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from helpdesk.accounts.roles import is_manager
from tickets import services
from tickets.intake.pipeline import settle
from tickets.models import IntakeRecord
from tickets.selectors import queues_for_agent

Outcome = IntakeRecord.Outcome

# How each channel reads a kept original back into an IncomingMessage (a dotted path, so that intake,
# which the channels build on, imports none of them).
READERS = {
    "email": "tickets.channels.email.read_kept",
}


class ReviewError(Exception):
    """The message cannot be recovered or deleted (someone else did it first, or its original is gone)."""


def suspended_for(user):
    """The suspended messages this agent may review, newest first."""
    records = IntakeRecord.objects.filter(outcome=Outcome.SUSPENDED).select_related("queue")
    if not is_manager(user):
        records = records.filter(queue__in=queues_for_agent(user).values("pk"))
    return records.order_by("-received_at", "-pk")


def read_kept(record: IntakeRecord):
    """The kept original of a suspended message, read again by its channel."""
    if not record.raw or record.channel not in READERS:
        raise ReviewError(_("The original of this message is no longer kept."))
    message = import_string(READERS[record.channel])(bytes(record.raw))
    message.external_key = record.external_key
    return message


def recover(*, record: IntakeRecord, agent, now=None) -> IntakeRecord:
    """Process a suspended message after all: it becomes the ticket, reply or follow-up it would have been."""
    now = now or timezone.now()
    with transaction.atomic():
        record = _locked_suspended(record)
        reason = record.reason
        message = read_kept(record)
        settle(record, message, vouched_by=agent)
        record.reviewed_by, record.reviewed_at = agent, now
        record.reason = (_("Recovered by %(agent)s (suspended: %(reason)s)")
                         % {"agent": agent.get_full_name() or agent.email, "reason": reason})[:255]
        record.save(update_fields=["reviewed_by", "reviewed_at", "reason"])
        if record.ticket is not None:
            services.ticket_system_note(
                ticket=record.ticket, channel=record.channel,
                body=_("A message from %(sender)s was held in the suspended list (%(reason)s) and recovered by "
                       "%(agent)s.") % {"sender": record.sender, "reason": reason,
                                        "agent": agent.get_full_name() or agent.email})
    return record


def discard(*, record: IntakeRecord, agent, now=None) -> IntakeRecord:
    """Delete a suspended message: its record stays, saying who deleted it; the message itself goes."""
    with transaction.atomic():
        record = _locked_suspended(record)
        record.outcome = Outcome.IGNORED
        record.reason = (_("Deleted from the suspended list by %(agent)s (suspended: %(reason)s)")
                         % {"agent": agent.get_full_name() or agent.email, "reason": record.reason})[:255]
        record.raw = b""
        record.reviewed_by, record.reviewed_at = agent, now or timezone.now()
        record.save(update_fields=["outcome", "reason", "raw", "reviewed_by", "reviewed_at"])
    return record


def _locked_suspended(record) -> IntakeRecord:
    locked = IntakeRecord.objects.select_for_update().filter(pk=record.pk).first()
    if locked is None or locked.outcome != Outcome.SUSPENDED:
        raise ReviewError(_("This message is no longer in the suspended list; someone reviewed it already."))
    return locked
