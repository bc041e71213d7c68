"""The one path of every message from outside: record it once, decide what it is, and hand it to the services.

``receive`` records the message in ``IntakeRecord`` inside the same transaction that writes the ticket or
the reply, so that a second arrival of the same message, or a second worker holding it at the same moment,
is a no-op. A message that raises leaves a failed record with its error and its original bytes, and is
tried again when its channel offers it again, up to INBOUND_MAX_ATTEMPTS times; nothing it did half-way
is kept. Intake never writes a message itself: the ticket services do, with their locks and events.
"""

import hashlib
import logging
import re
import traceback

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tickets import services
from tickets.attachments import check_upload, with_detected_extension
from tickets.intake.senders import create_account, find_account, refusal, suspension
from tickets.intake.steps import Ignore, Suspend, TicketDraft, run_steps
from tickets.intake.threading import find_ticket
from tickets.models import REFERENCE_PREFIX, Acceptance, IntakeRecord, Queue, Ticket

logger = logging.getLogger(__name__)

Outcome = IntakeRecord.Outcome
REFERENCE_TAG = re.compile(rf"\s*\[{re.escape(REFERENCE_PREFIX)}\d+\]", re.IGNORECASE)


def receive(message) -> IntakeRecord:
    """Turn one message into a ticket, a reply, a follow-up or a recorded refusal; a second call does nothing."""
    existing = earlier_record(message)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            # A failed message tried again keeps its record (locked: one worker at a time); any other arrival
            # creates one, and the unique key stops a second worker that looked too early.
            record = IntakeRecord.objects.select_for_update().filter(
                external_key=message.external_key, outcome=Outcome.FAILED).first()
            if record is None:
                record = IntakeRecord.objects.create(external_key=message.external_key, outcome=Outcome.IGNORED)
            settle(record, message)
    except IntegrityError:
        existing = earlier_record(message)
        if existing is None:
            raise
        return existing  # another worker processed it at the same moment
    except Exception as error:
        logger.exception("Could not process %s message %s from %s", message.channel, message.external_key,
                         message.sender.address)
        return record_failure(channel=message.channel, key=message.external_key, sender=message.sender.address,
                              subject=message.subject, raw=message.raw, error=error)
    logger.info("%s message %s from %s: %s %s", message.channel, message.external_key, message.sender.address,
                record.outcome, record.ticket.reference if record.ticket else record.reason)
    return record


def settle(record: IntakeRecord, message, *, vouched_by=None) -> IntakeRecord:
    """Decide and write what becomes of the message, and put it on its (locked) record."""
    record.channel, record.fingerprint = message.channel, message.fingerprint
    record.sender, record.subject = message.sender.address[:254], message.subject[:998]
    record.verification = message.sender.verification
    record.outcome, reason, record.ticket, record.queue = _handle(message, vouched_by)
    record.reason = reason[:255]
    record.error = ""
    record.raw = message.raw if record.outcome == Outcome.SUSPENDED else b""
    record.save()
    return record


def earlier_record(message) -> IntakeRecord | None:
    """The record of an earlier arrival of this message, unless it failed and may be tried again.

    A different message that reuses a key already seen (mailers that repeat a Message-ID) is told apart
    by its fingerprint, logged, and given a key of its own.
    """
    record = IntakeRecord.objects.filter(external_key=message.external_key).select_related("ticket").first()
    if record is None:
        return None
    if record.fingerprint and message.fingerprint and record.fingerprint != message.fingerprint:
        logger.warning("%s message key %s was used before by a different message; this one is processed on its "
                       "own", message.channel, message.external_key)
        digest = hashlib.sha256(f"{message.external_key}\n{message.fingerprint}".encode()).hexdigest()
        message.external_key = f"sha256:{digest}"
        return earlier_record(message)
    if record.outcome == Outcome.FAILED and record.attempts < settings.INBOUND_MAX_ATTEMPTS:
        return None
    logger.info("%s message %s was processed before (%s); nothing to do", message.channel, message.external_key,
                record.outcome)
    return record


def gave_up(record: IntakeRecord) -> bool:
    """A failed message tried as often as it will be: its source may file it away; admin keeps it."""
    return record.outcome == Outcome.FAILED and record.attempts >= settings.INBOUND_MAX_ATTEMPTS


def record_failure(*, channel, key, sender, subject, raw, error) -> IntakeRecord:
    """Keep a message that could not be processed, with its error and bytes, counting the attempts."""
    with transaction.atomic():
        record, created = IntakeRecord.objects.select_for_update().get_or_create(
            external_key=key,
            defaults={"channel": channel, "sender": sender[:254], "subject": subject[:998],
                      "outcome": Outcome.FAILED},
        )
        record.attempts = 1 if created else record.attempts + 1
        record.outcome = Outcome.FAILED
        record.reason = f"{type(error).__name__}: {error}"[:255]
        record.error = "".join(traceback.format_exception(error))[-20000:]
        record.raw = raw
        record.ticket = None
        record.save()
    if gave_up(record):
        logger.error("%s message %s failed %d times; it is kept in admin as failed", channel, key, record.attempts)
    return record


def default_queue() -> Queue | None:
    queue = Queue.objects.filter(slug=settings.INBOUND_DEFAULT_QUEUE).first()
    if queue is None:
        logger.warning("INBOUND_DEFAULT_QUEUE %r does not exist; using the first queue", settings.INBOUND_DEFAULT_QUEUE)
        queue = Queue.objects.order_by("ordering", "name").first()
    return queue


# ---------------------------------------------------------------- deciding


def _handle(message, vouched_by):
    """(outcome, reason, ticket, queue) for one message, with the ticket or reply written."""
    queue = message.queue or default_queue()
    if message.ignore_reason:
        return Outcome.IGNORED, message.ignore_reason, None, queue
    user = find_account(message.sender.address)
    if why := refusal(user, message.sender):
        return Outcome.IGNORED, why, None, queue
    ticket = find_ticket(message)
    if vouched_by is None and (why := suspension(user, message.sender)):
        return Outcome.SUSPENDED, why, None, ticket.queue if ticket else queue  # its agents review it
    draft = TicketDraft(message=message, author=user, ticket=ticket, queue=queue)
    try:
        run_steps(draft)
    except Suspend as held:
        return Outcome.SUSPENDED, str(held), None, draft.queue
    except Ignore as dropped:
        return Outcome.IGNORED, str(dropped), None, draft.queue
    created = user is None
    if created:
        user = create_account(message.sender)
    files = _checked_files(message)
    if ticket is None:
        return Outcome.CREATED, "", _open(message, draft, files, requester=user), draft.queue
    acceptance = Acceptance("") if created else ticket.accepts_message_from(user)
    if not acceptance.role:
        # Someone who may not write here gets a ticket of their own that tells nothing of the other one.
        subject = REFERENCE_TAG.sub("", message.subject).strip() or _("(no subject)")
        reason = _("The sender may not write on %(reference)s; opened a new ticket") % {
            "reference": ticket.reference}
        draft.ticket = None
        return Outcome.CREATED, reason, _open(message, draft, files, requester=user, subject=subject), draft.queue
    if acceptance.follow_up:
        return Outcome.FOLLOW_UP, "", _follow_up(message, draft, files, ticket, user, acceptance), ticket.queue
    body = message.reply_body or _without_text(message, files)
    if not body:
        return Outcome.IGNORED, _("The reply has no text and no attachments"), ticket, ticket.queue
    reply = dict(ticket=ticket, body=body, files=files, channel=message.channel,
                 email_message_id=message.message_id, verification=message.sender.verification)
    try:
        if acceptance.role == Acceptance.AGENT:
            services.ticket_agent_reply(agent=user, **reply)
        else:
            services.ticket_customer_reply(customer=user, **reply)
    except services.TicketError:  # closed by someone else a moment ago
        ticket.refresh_from_db()
        return Outcome.FOLLOW_UP, "", _follow_up(message, draft, files, ticket, user, acceptance), ticket.queue
    _note_refused(ticket, message)
    return Outcome.THREADED, "", ticket, ticket.queue


def _checked_files(message) -> list:
    """The files that pass the upload checks; a note in ``message.refused`` for each one that does not."""
    kept: list = []
    for upload in message.files:
        upload = with_detected_extension(upload)
        if len(kept) >= settings.ATTACHMENT_MAX_FILES:
            message.refused.append(_("“%(name)s”: at most %(count)d files are kept per message.")
                                   % {"name": upload.name, "count": settings.ATTACHMENT_MAX_FILES})
            continue
        try:
            check_upload(upload)
        except ValidationError as error:
            message.refused.extend(error.messages)
        else:
            kept.append(upload)
    return kept


def _without_text(message, files) -> str:
    """What stands for the text of a message that has none but came with files."""
    return _("(no text; see the attachments)") if files or message.refused else ""


def _open(message, draft, files, *, requester, subject=None, follow_up_of=None, created_by=None,
          text=None) -> Ticket:
    for upload in files:
        upload.seek(0)
    description = message.body if text is None else text
    ticket = services.ticket_create(
        requester=requester, subject=subject or message.subject, queue=follow_up_of.queue if follow_up_of else
        draft.queue, priority=draft.priority, tags=draft.tags, product=draft.product, channel=message.channel,
        description=description or _without_text(message, files) or _("(no text)"), files=files,
        email_message_id=message.message_id, follow_up_of=follow_up_of, created_by=created_by,
        verification=message.sender.verification,
    )
    _note_refused(ticket, message)
    return ticket


def _follow_up(message, draft, files, ticket, user, acceptance) -> Ticket:
    """A message for a closed or merged ticket opens a new one that points back to it."""
    text = message.reply_body or message.body
    if acceptance.role == Acceptance.AGENT:  # an agent writing to the customer opens it on the customer's behalf
        return _open(message, draft, files, requester=ticket.requester, follow_up_of=ticket, subject=ticket.subject,
                     created_by=user, text=text)
    return _open(message, draft, files, requester=user, follow_up_of=ticket, subject=ticket.subject, text=text)


def _note_refused(ticket, message) -> None:
    if not message.refused:
        return
    lines = [_("Some files attached to this message were not kept:")]
    lines += [f"- {reason}" for reason in message.refused]
    lines.append(_("Ask the customer to send them in an accepted format if they are needed."))
    services.ticket_system_note(ticket=ticket, body="\n".join(lines), channel=message.channel)
