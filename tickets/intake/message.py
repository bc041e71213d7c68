"""What a channel hands to intake: one message from outside, already read, in no channel's format."""

from dataclasses import dataclass, field

from tickets.models import Queue, Verification


@dataclass
class Sender:
    """Who the message says it is from, and how far that was checked."""

    address: str  # lower-case e-mail address; "" when the message named none that is valid
    name: str = ""
    verification: str = Verification.UNVERIFIED
    how: str = ""  # what proved it (or why it could not be proved), for the record and the agent


@dataclass
class IncomingMessage:
    """One arrival. ``external_key`` makes it idempotent: a second arrival with the same key does nothing.

    ``text`` is the whole text; ``reply_text`` the part that is new when it answers a thread (the channel
    cuts the quoted history it can recognise), and ``appendix`` what is always kept after it (forwarded
    messages). ``raw`` is the message as it arrived, kept while it waits (suspended) or fails, so that
    ``channel`` can read it again.
    """

    channel: str
    external_key: str
    sender: Sender
    subject: str
    text: str = ""
    html: str = ""
    reply_text: str | None = None
    appendix: str = ""
    files: list = field(default_factory=list)  # UploadedFile objects, not yet checked
    refused: list = field(default_factory=list)  # notes on content the channel could not read, one per item
    message_id: str = ""  # this message's own id, by which later messages may thread onto it
    thread_ids: list = field(default_factory=list)  # ids of earlier messages it answers, nearest first
    references: list = field(default_factory=list)  # ticket references it names (e.g. from the subject)
    queue: Queue | None = None  # where the channel says it was sent; the default inbound queue otherwise
    ignore_reason: str = ""  # set by the channel for robots: bounces, auto-replies, our own mail looping back
    fingerprint: str = ""  # a hash of what the message says, to tell a re-delivery from another message
    raw: bytes = b""

    @property
    def body(self) -> str:
        return "\n\n".join(part for part in (self.text.strip(), self.appendix.strip()) if part)

    @property
    def reply_body(self) -> str:
        new = self.text if self.reply_text is None else self.reply_text
        return "\n\n".join(part for part in ((new or "").strip(), self.appendix.strip()) if part)

