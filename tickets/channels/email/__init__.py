"""The e-mail channel: raw mail from IMAP or a maildir, read and handed to intake.

It knows MIME and nothing of tickets' rules: parsing, HTML to text, quoted history, robots, sender
verification and the mail sources live here; what becomes of a message is decided in ``tickets.intake``.
"""

import hashlib
import logging

from tickets import intake
from tickets.channels.email.parsing import read
from tickets.models import IntakeRecord, Ticket

logger = logging.getLogger("tickets.channels.email")


def process_message(raw: bytes) -> IntakeRecord:
    """Turn one raw e-mail into a ticket, a reply or a recorded refusal; a second call for it does nothing."""
    try:
        message = read(raw)
    except Exception as error:  # a mail too broken to read still gets its record
        logger.exception("Could not read an inbound e-mail")
        key = "sha256:" + hashlib.sha256(raw).hexdigest()
        existing = intake.earlier_record(intake.IncomingMessage(
            channel=Ticket.Channel.EMAIL, external_key=key, sender=intake.Sender(""), subject=""))
        if existing is not None:
            return existing
        return intake.record_failure(channel=Ticket.Channel.EMAIL, key=key, sender="", subject="", raw=raw,
                                     error=error)
    return intake.receive(message)


def read_kept(raw: bytes):
    """A kept original (a suspended mail) read again, for intake to process once an agent recovers it."""
    return read(raw)
