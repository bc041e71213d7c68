"""Intake: one channel-neutral path for every message that arrives from outside (e-mail today; chat and
the API next).

A channel reads its own format into an ``IncomingMessage`` and calls ``receive``. Intake owns the rest:
idempotency, the sender policy (unknown senders, unverified senders, the suspended list), threading,
whether this person may write on that ticket (``Ticket.accepts_message_from``), reply or follow-up or new
ticket, refused files, and one ``IntakeRecord`` per arrival with its outcome. It writes through the ticket
services only, and imports no channel.
"""

from tickets.intake.message import IncomingMessage, Sender
from tickets.intake.pipeline import earlier_record, gave_up, receive, record_failure
from tickets.intake.steps import Ignore, Suspend, TicketDraft, register_step, unregister_step

__all__ = [
    "IncomingMessage", "Sender", "receive", "earlier_record", "record_failure", "gave_up", "Ignore", "Suspend",
    "TicketDraft", "register_step", "unregister_step",
]
