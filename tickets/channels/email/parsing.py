"""One raw e-mail read into an ``IncomingMessage``: headers, the best body, forwarded mail, attachments.

Real mail is often broken. The parser is the standard library's, with its non-strict defaults: a
boundary the modern parser cannot read (unquoted, with "=") is read again by the legacy parser and
written back quoted; charsets come from ``charsets.decode``; a part too broken to decode becomes a
note on the ticket rather than a lost message.
"""

import hashlib
import logging
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from mimetypes import guess_extension

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from helpdesk.accounts.models import normalize_email
from tickets.channels.email.charsets import decode
from tickets.channels.email.headers import addresses, clean, header
from tickets.channels.email.html import html_to_text
from tickets.channels.email.quotes import strip_quoted
from tickets.channels.email.robots import ignore_reason
from tickets.channels.email.verification import verify
from tickets.intake import IncomingMessage, Sender
from tickets.models import REFERENCE_PREFIX, Queue, Ticket

logger = logging.getLogger("tickets.channels.email")

TAG_RE = re.compile(rf"\[({re.escape(REFERENCE_PREFIX)}\d+)\]", re.IGNORECASE)
MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")
MAX_FORWARD_DEPTH = 5  # forwarded mail inside forwarded mail, as deep as people really go


def parse(raw: bytes) -> EmailMessage:
    """The message tree; boundaries the modern parser cannot read are recovered by the legacy one."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not any(part.get_content_maintype() == "multipart" and not part.is_multipart() for part in message.walk()):
        return message
    legacy = BytesParser(policy=policy.compat32).parsebytes(raw)
    repaired = False
    for part in legacy.walk():
        boundary = part.get_boundary() if part.get_content_maintype() == "multipart" else None
        if boundary:
            part.set_boundary(boundary)  # written back quoted, which both parsers read alike
            repaired = True
    if not repaired:
        return message
    return BytesParser(policy=policy.default).parsebytes(legacy.as_bytes())


def fingerprint(raw: bytes, sender: str, subject: str, date: str) -> str:
    """What the message says, hashed: the same after re-delivery (new Received: lines), different for another."""
    body = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[-1].replace(b"\r\n", b"\n").rstrip()
    digest = hashlib.sha256(f"{sender}\n{subject}\n{date}\n".encode("utf-8", "replace"))
    digest.update(body)
    return digest.hexdigest()


def read(raw: bytes) -> IncomingMessage:
    message = parse(raw)
    message_id = " ".join(header(message, "Message-ID").split())
    if message_id and len(message_id) <= 255:
        key = message_id
    else:
        key = "sha256:" + hashlib.sha256(message_id.encode() if message_id else raw).hexdigest()
        message_id = ""
    senders = addresses(message, "From")
    name, address = senders[0] if senders else ("", "")
    subject = " ".join(header(message, "Subject").split())
    verification, how = verify(raw, message, address) if address else ("", "")
    content = Content()
    content.read(message)
    thread_ids = MESSAGE_ID_RE.findall(header(message, "In-Reply-To"))
    thread_ids += reversed(MESSAGE_ID_RE.findall(header(message, "References")))
    return IncomingMessage(
        channel=Ticket.Channel.EMAIL, external_key=key, message_id=message_id, raw=raw,
        sender=Sender(address=address, name=name, verification=verification, how=how),
        subject=subject or _("(no subject)"), text=content.text, html=content.html,
        reply_text=strip_quoted(content.text), appendix=content.appendix, files=content.files,
        refused=content.refused, thread_ids=thread_ids, references=TAG_RE.findall(subject),
        queue=recipient_queue(message),
        ignore_reason=ignore_reason(message, sender=address, subject=subject, message_id=message_id),
        fingerprint=fingerprint(raw, address, subject, header(message, "Date")),
    )


def recipient_queue(message) -> Queue | None:
    """The queue whose address the message was sent to, if any."""
    queues = {normalize_email(queue.email_address): queue for queue in Queue.objects.exclude(email_address="")}
    for _name, address in addresses(message, "To", "Cc", "Delivered-To", "X-Original-To"):
        if address in queues:
            return queues[address]
    return None


# ---------------------------------------------------------------- content


def text_of(part) -> str:
    try:
        data = part.get_payload(decode=True) or b""
    except Exception:  # a transfer encoding too broken to undo
        data = str(part.get_payload()).encode("utf-8", "surrogateescape")
    if not isinstance(data, bytes):
        return ""
    text = decode(data, part.get_content_charset())
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def best_alternative(parts):
    """Of the alternatives of one content, the one to read: the plain text when it says something, else the
    richest (HTML, or a multipart that holds it)."""
    for part in parts:
        if part.get_content_type() == "text/plain" and text_of(part).strip():
            return part
    for part in reversed(parts):
        if part.get_content_type() == "text/html" or part.get_content_maintype() == "multipart":
            return part
    return parts[-1] if parts else None


class Content:
    """The text, the forwarded mail and the files of one message, read from all its parts."""

    def __init__(self, depth=0):
        self.depth = depth
        self.chunks, self.forwards, self.files, self.refused = [], [], [], []
        self.html = ""

    @property
    def text(self) -> str:
        return "\n".join(chunk.strip("\n") for chunk in self.chunks if chunk.strip()).strip()

    @property
    def appendix(self) -> str:
        return "\n\n".join(self.forwards)

    def read(self, message) -> None:
        if message.get_content_maintype() == "multipart" and not message.is_multipart():
            self.chunks.append(text_of(message))  # no boundary at all: the source is better than nothing
        else:
            self._walk(message, 0)

    def _walk(self, part, number) -> int:
        """Read one part and what it holds; returns the number of the last leaf, for unnamed files."""
        if part.get_content_maintype() == "multipart":
            children = list(part.iter_parts()) if part.is_multipart() else []
            if part.get_content_subtype() == "alternative":
                children = [best_alternative(children)] if children else []
            for child in children:
                number = self._walk(child, number)
            return number
        number += 1
        filename = clean(part.get_filename() or "")
        if part.get_content_type() == "message/rfc822" and self.depth < MAX_FORWARD_DEPTH and self._forward(part):
            return number
        inline = not filename and part.get_content_disposition() != "attachment"
        if inline and part.get_content_type() in ("text/plain", "text/html"):
            text = text_of(part)
            if part.get_content_subtype() == "html":
                self.html = self.html or text
                text = html_to_text(text)
            self.chunks.append(text)  # mail programs split the text around inline images
            return number
        self._file(part, filename or f"attachment-{number}{guess_extension(part.get_content_type()) or '.bin'}")
        return number

    def _file(self, part, filename) -> None:
        try:
            data = part.get_payload(decode=True)
            if data is None:
                raise ValueError("no content")
        except Exception:  # a part too broken to decode must not cost the customer's message
            logger.warning("Unreadable attachment %r in an inbound e-mail", filename, exc_info=True)
            self.refused.append(_("“%(name)s” could not be read.") % {"name": filename})
            return
        self.files.append(SimpleUploadedFile(filename, data, content_type=part.get_content_type()))

    def _forward(self, part) -> bool:
        """A forwarded e-mail: kept as a quoted block after the text, with its own attachments."""
        try:
            inner = part.get_content()
        except Exception:
            logger.warning("Unreadable forwarded message in an inbound e-mail", exc_info=True)
            return False
        if not isinstance(inner, EmailMessage):
            return False
        forwarded = Content(self.depth + 1)
        forwarded.read(inner)
        lines = [f"---------- {_('Forwarded message')} ----------"]
        for name, label in (("From", _("From")), ("Date", _("Date")), ("Subject", _("Subject")), ("To", _("To"))):
            if value := " ".join(header(inner, name).split()):
                lines.append(f"{label}: {value}")
        quoted = "\n\n".join(text for text in (forwarded.text, forwarded.appendix) if text)
        lines += ["", *(f"> {line}".rstrip() for line in quoted.split("\n"))] if quoted else []
        self.forwards.append("\n".join(lines))
        self.files += forwarded.files
        self.refused += forwarded.refused
        return True
