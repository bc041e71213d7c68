"""Inbound e-mail: every fetched message becomes a new ticket, a reply on its thread, or a recorded refusal.

``process_message`` is the one path every source takes (IMAP, a maildir, tests). It records the
message in ``InboundEmail`` inside the same transaction that writes the ticket or reply; the unique
key (the Message-ID, or a hash of the bytes when there is none) makes a second fetch of the same
message, or a second worker holding it at the same moment, a no-op.
"""

import hashlib
import logging
import mailbox
import os
import re
import traceback
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser
from mimetypes import guess_extension

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from imapclient import SEEN, IMAPClient

from helpdesk.accounts.models import User, normalize_email
from helpdesk.accounts.roles import Role, is_agent, set_roles
from helpdesk.accounts.services import organization_for_email
from helpdesk.mail.models import OutboundEmail
from helpdesk.mail.services import message_id_domain
from tickets import services
from tickets.attachments import check_upload
from tickets.models import REFERENCE_PREFIX, InboundEmail, Message, Queue, Ticket
from tickets.selectors import tickets_for_agent

logger = logging.getLogger(__name__)

Outcome = InboundEmail.Outcome
EMAIL = Ticket.Channel.EMAIL
MAX_THREAD_IDS = 50  # the newest References are enough to find the thread
TAG_RE = re.compile(rf"\[{re.escape(REFERENCE_PREFIX)}(\d+)\]", re.IGNORECASE)
MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")


# ---------------------------------------------------------------- the message


@dataclass
class Inbound:
    """What the rest of the pipeline needs from one parsed e-mail."""

    message: EmailMessage
    key: str
    message_id: str
    sender: str
    sender_name: str
    subject: str
    body: str = ""
    files: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # reasons, one per file not kept


def parse(raw: bytes) -> Inbound:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    message_id = " ".join(_header(message, "Message-ID").split())
    if message_id and len(message_id) <= 255:
        key = message_id
    else:
        key = "sha256:" + hashlib.sha256(message_id.encode() if message_id else raw).hexdigest()
        message_id = ""
    senders = _addresses(message, "From")
    name, address = senders[0] if senders else ("", "")
    subject = " ".join(_header(message, "Subject").split())
    return Inbound(message=message, key=key, message_id=message_id, sender=address, sender_name=name,
                   subject=subject or _("(no subject)"))


def repair_text(text: str) -> str:
    """Header text whose raw 8-bit bytes the parser kept as surrogate escapes, decoded for real.

    Mailers put unencoded UTF-8 (or a local charset) in ``From:``, ``Subject:`` and file names; the
    parser hands those bytes back as lone surrogates, which no database takes. UTF-8 first; then GBK
    (gb18030) when every run of 8-bit bytes pairs up into Chinese characters; else cp1252, where an accented
    letter is one byte among plain ones (a detector guesses badly on a name of a dozen bytes).
    """
    if not any("\ud800" <= char <= "\udfff" for char in text):
        return text
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    runs = re.findall(rb"[\x80-\xff]+", data)
    if all(len(run) % 2 == 0 for run in runs):
        try:
            chinese = data.decode("gb18030")
        except UnicodeDecodeError:
            chinese = ""
        if chinese and all(any("\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f"
                                   or "\uff00" <= char <= "\uffef" for char in run.decode("gb18030", "replace"))
                               for run in runs):
            return chinese
    return data.decode("cp1252", errors="replace")


def _header(message, name) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header too broken to parse counts as missing
        logger.warning("Unreadable %s header in an inbound e-mail", name)
        return ""
    return repair_text(str(value)).replace("\x00", "") if value is not None else ""


def _addresses(message, *names) -> list[tuple[str, str]]:
    """(display name, lower-case address) pairs of these headers, in order, invalid addresses left out."""
    pairs = []
    for name in names:
        try:
            values = message.get_all(name) or []
        except Exception:
            logger.warning("Unreadable %s header in an inbound e-mail", name)
            continue
        for value in values:
            found = getattr(value, "addresses", None)
            if found is not None:
                candidates = [(address.display_name, address.addr_spec) for address in found]
            else:
                candidates = getaddresses([str(value)])
            for display_name, address in candidates:
                address = normalize_email(repair_text(address or ""))
                try:
                    validate_email(address)
                except ValidationError:
                    continue
                pairs.append((" ".join(repair_text(display_name or "").split()), address))
    return pairs


# ---------------------------------------------------------------- what to ignore

AUTO_REPLY_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTO_RESPONSE_SUPPRESS = {"all", "oof", "autoreply"}
AUTO_REPLY_SUBJECTS = ("automatic reply:", "auto-reply:", "autoreply:", "out of office:", "自动回复")
BOUNCE_SENDERS = {"mailer-daemon", "postmaster"}


def ignore_reason(inbound: Inbound) -> str:
    """Why this message must not reach a ticket (auto-reply, bounce, our own mail coming back), or ""."""
    message = inbound.message
    if message.get("Return-Path") is not None and _header(message, "Return-Path").strip() in ("<>", ""):
        return _("Bounce (empty Return-Path)")
    if message.get_content_type() == "multipart/report":
        return _("Bounce (delivery report)")
    if message.get("X-Failed-Recipients") is not None:
        return _("Bounce (X-Failed-Recipients)")
    if inbound.sender.partition("@")[0] in BOUNCE_SENDERS:
        return _("Bounce (from %(sender)s)") % {"sender": inbound.sender}
    auto_submitted = _header(message, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return _("Auto-reply (Auto-Submitted: %(value)s)") % {"value": auto_submitted}
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Autogenerated"):
        value = _header(message, name).strip().lower()
        if message.get(name) is not None and value not in ("no", "false"):
            return _("Auto-reply (%(header)s)") % {"header": name}
    precedence = _header(message, "Precedence").strip().lower()
    if precedence in AUTO_REPLY_PRECEDENCE:
        return _("Automatic or bulk mail (Precedence: %(value)s)") % {"value": precedence}
    suppress = {part.strip().lower() for part in _header(message, "X-Auto-Response-Suppress").split(",")}
    if suppress & AUTO_RESPONSE_SUPPRESS:
        return _("Auto-reply (X-Auto-Response-Suppress)")
    if inbound.subject.lower().startswith(AUTO_REPLY_SUBJECTS):
        return _("Auto-reply (subject)")

    domain = inbound.message_id.rstrip(">").rpartition("@")[2].lower()
    if domain and domain == message_id_domain().lower():
        return _("Mail loop: the message was sent by this helpdesk")
    if inbound.sender in _own_addresses():
        return _("Mail loop: the sender is one of this helpdesk's own addresses")
    return ""


def _own_addresses() -> set[str]:
    own = {normalize_email(parseaddr(value)[1]) for value in (settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL)}
    own |= {normalize_email(address) for address in
            Queue.objects.exclude(email_address="").values_list("email_address", flat=True)}
    own.discard("")
    return own


# ---------------------------------------------------------------- body and attachments


def _leaves(part):
    if part.get_content_maintype() != "multipart":
        yield part
    elif part.is_multipart():  # a multipart without a usable boundary has no parts to offer
        for sub in part.iter_parts():
            yield from _leaves(sub)


def _text_of(part) -> str:
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, AssertionError):  # unknown or lying charset
        text = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    if not isinstance(text, str):
        text = ""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def read_content(inbound: Inbound) -> None:
    """Fill in the body (plain text, HTML converted) and the attachments, checked against the allowlist."""
    message = inbound.message
    body_part = message.get_body(preferencelist=("plain",))
    if body_part is not None:
        chunks = [_text_of(body_part)]
    else:
        body_part = message.get_body(preferencelist=("html",))
        chunks = [html_to_text(_text_of(body_part))] if body_part is not None else []
    if body_part is None and message.get_content_maintype() == "multipart" and not message.is_multipart():
        chunks = [(message.get_payload(decode=True) or b"").decode("utf-8", errors="replace")]  # boundary missing
    uploads = []
    for number, part in enumerate(_leaves(message), start=1):
        if part is body_part:
            continue
        filename = part.get_filename()
        filename = repair_text(filename) if filename else filename
        disposition = part.get_content_disposition()
        if part.get_content_maintype() == "text" and not filename and disposition != "attachment":
            if part.get_content_type() == "text/plain" and body_part is not None \
                    and body_part.get_content_type() == "text/plain":
                chunks.append(_text_of(part))  # mail programs split the text around inline images
            continue  # the HTML alternative of a plain body
        if not filename:
            filename = f"attachment-{number}{guess_extension(part.get_content_type()) or '.bin'}"
        try:
            if part.get_content_type() == "message/rfc822":
                data = part.get_content().as_bytes()
            else:
                data = part.get_payload(decode=True) or b""
        except Exception:  # a part too broken to decode must not cost the customer's message
            logger.warning("Unreadable attachment %r in inbound e-mail %s", filename, inbound.key, exc_info=True)
            inbound.refused.append(_("“%(name)s” could not be read.") % {"name": filename})
            continue
        uploads.append(SimpleUploadedFile(filename, data, content_type=part.get_content_type()))
    inbound.body = "\n".join(chunk.strip("\n") for chunk in chunks if chunk.strip()).strip()
    for upload in uploads:
        if len(inbound.files) >= settings.ATTACHMENT_MAX_FILES:
            inbound.refused.append(_("“%(name)s”: at most %(count)d files are kept per message.")
                                   % {"name": upload.name, "count": settings.ATTACHMENT_MAX_FILES})
            continue
        try:
            check_upload(upload)
        except ValidationError as error:
            inbound.refused.extend(error.messages)
        else:
            inbound.files.append(upload)


class _TextExtractor(HTMLParser):
    """Readable text from an HTML e-mail: tags dropped, scripts and styles gone, line breaks kept."""

    PARAGRAPHS = {"p", "table", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
    LINES = {"div", "tr", "li", "ul", "ol", "section", "article", "header", "footer", "dt", "dd", "address"}
    HIDDEN = {"script", "style", "title", "template", "noscript", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.hidden = []  # the open hidden elements
        self.pre = 0
        self.link = None

    def _break(self, newlines):
        self.text = self.text.rstrip(" ")
        if self.text:
            self.text += "\n" * max(0, newlines - (len(self.text) - len(self.text.rstrip("\n"))))

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden.append(tag)
        elif tag == "body":
            self.hidden.clear()  # a <head> left open ends where the body starts
        elif self.hidden:
            return
        elif tag == "br":
            self.text = self.text.rstrip(" ") + "\n"
        elif tag in self.PARAGRAPHS or tag in self.LINES:
            self._break(2 if tag in self.PARAGRAPHS else 1)
            self.pre += tag == "pre"
            if tag == "li":
                self.text += "- "
        elif tag in ("td", "th"):
            self.text += " "
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self.link = (href, len(self.text)) if re.match(r"https?://", href, re.IGNORECASE) else None
        elif tag == "img" and (dict(attrs).get("alt") or "").strip():
            self.text += f"[{dict(attrs)['alt'].strip()}]"

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            if tag in self.hidden:
                del self.hidden[self.hidden.index(tag):]
        elif self.hidden:
            return
        elif tag in self.PARAGRAPHS or tag in self.LINES:
            self._break(2 if tag in self.PARAGRAPHS else 1)
            self.pre -= tag == "pre" and self.pre > 0
        elif tag == "a" and self.link:
            href, start = self.link
            if self.text[start:].strip() != href:
                self.text += f" ({href})"
            self.link = None

    def handle_data(self, data):
        if self.hidden:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            if not self.text or self.text.endswith("\n"):
                data = data.lstrip(" ")
        self.text += data


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [line.replace("\xa0", " ").rstrip() for line in parser.text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# ---------------------------------------------------------------- quoted history

HISTORY_MARKERS = [
    re.compile(r"^-{2,}\s*(original message|ursprüngliche nachricht|message d'origine)\s*-{2,}$", re.IGNORECASE),
    re.compile(r"^-{2,}\s*原始邮件\s*-{2,}$"),
    re.compile(r"^\*?(发件人|寄件者)\s*[:：]"),
]
WROTE_START = re.compile(r"^(On\s|Am\s|Le\s|在)")
WROTE_END = re.compile(r"((wrote|a écrit|写道)\s*[:：]|\bschrieb\b.*:)\s*$", re.IGNORECASE)
HEADER_FROM = re.compile(r"^\*?From:\*?\s", re.IGNORECASE)
HEADER_SENT = re.compile(r"^\*?(Sent|Date):\*?\s", re.IGNORECASE)
HEADER_SUBJECT = re.compile(r"^\*?(To|Subject):\*?\s", re.IGNORECASE)


def _history_starts(line: str, following: list[str]) -> bool:
    if any(marker.match(line) for marker in HISTORY_MARKERS):
        return True
    if WROTE_START.match(line) and (WROTE_END.search(line) or (following and WROTE_END.search(following[0]))):
        return True  # "On <date>, <name> wrote:", sometimes wrapped onto a second line
    # Outlook: "From: …" then "Sent: …" (or "Date: …") and "To:"/"Subject:" lines
    return bool(HEADER_FROM.match(line) and any(HEADER_SENT.match(other) for other in following[:3])
                and any(HEADER_SUBJECT.match(other) for other in following))


def strip_quoted(text: str) -> str:
    """The new part of a reply: without "> " lines and without the history below "On … wrote:" and kin."""
    lines = text.replace("\xa0", " ").split("\n")
    cut = next((index for index in range(len(lines))
                if _history_starts(lines[index].strip(), [other.strip() for other in lines[index + 1:index + 6]])),
               len(lines))
    kept = [line for line in lines[:cut] if not line.lstrip().startswith(">")]
    while kept and not kept[-1].strip("_-= \t"):
        kept.pop()
    return "\n".join(kept).strip()


# ---------------------------------------------------------------- threading and senders


def thread_ticket(inbound: Inbound) -> Ticket | None:
    """The ticket this message answers: by In-Reply-To/References, else by a [HD-000123] tag in the subject."""
    ids = MESSAGE_ID_RE.findall(_header(inbound.message, "In-Reply-To"))
    ids += reversed(MESSAGE_ID_RE.findall(_header(inbound.message, "References")))
    ids = list(dict.fromkeys(ids))[:MAX_THREAD_IDS]
    if ids:
        found = dict(
            OutboundEmail.objects.filter(message_id__in=ids, related_type=ContentType.objects.get_for_model(Ticket))
            .values_list("message_id", "related_id")
        )
        for message_id, ticket_id in Message.objects.filter(email_message_id__in=ids).values_list(
                "email_message_id", "ticket_id"):
            found.setdefault(message_id, ticket_id)
        for message_id in ids:  # the closest ancestor wins
            ticket_id = str(found.get(message_id, ""))
            if ticket_id.isdigit():
                ticket = Ticket.objects.select_related("requester").filter(pk=int(ticket_id)).first()
                if ticket is not None:
                    return ticket
    tag = TAG_RE.search(inbound.subject)
    if tag:
        return Ticket.objects.select_related("requester").filter(pk=int(tag.group(1))).first()
    return None


def sender_account(inbound: Inbound) -> tuple[User | None, bool, str]:
    """(user, created, refusal): the sender's account, made for an unknown sender when the policy allows."""
    if not inbound.sender:
        return None, False, _("No valid sender address")
    user = User.objects.select_related("organization").filter(email__iexact=inbound.sender).first()
    if user is not None:
        if not user.is_active:
            return None, False, _("The sender's account is not active")
        return user, False, ""
    policy_name = settings.INBOUND_UNKNOWN_SENDER
    organization = organization_for_email(inbound.sender)
    if policy_name == "reject":
        return None, False, _("Unknown sender; mail from unknown senders is refused")
    if policy_name == "known_domains" and organization is None:
        return None, False, _("Unknown sender whose domain belongs to no customer organisation")
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=inbound.sender, password=None, name=inbound.sender_name[:150],
                                            organization=organization)
            set_roles(user, [Role.CUSTOMER])
    except IntegrityError:  # another worker created the same account a moment ago
        return User.objects.select_related("organization").get(email__iexact=inbound.sender), False, ""
    return user, True, ""


def may_reply(ticket: Ticket, user: User, created: bool) -> str:
    """As whom the sender may write on this ticket: "customer", "agent" or "" (a stranger)."""
    if created:
        return ""  # an address never seen before adds nothing to anybody's ticket
    if user.pk == ticket.requester_id:
        return "customer"
    if is_agent(user) and tickets_for_agent(user).filter(pk=ticket.pk).exists():
        return "agent"
    if user.organization_id and user.organization_id == ticket.requester.organization_id:
        return "customer"
    return ""


def inbound_queue(inbound: Inbound) -> Queue:
    """The queue whose address the message was sent to, else the default inbound queue."""
    queues = {normalize_email(queue.email_address): queue for queue in Queue.objects.exclude(email_address="")}
    for _name, address in _addresses(inbound.message, "To", "Cc", "Delivered-To", "X-Original-To"):
        if address in queues:
            return queues[address]
    queue = Queue.objects.filter(slug=settings.INBOUND_DEFAULT_QUEUE).first()
    if queue is None:
        logger.warning("INBOUND_DEFAULT_QUEUE %r does not exist; using the first queue", settings.INBOUND_DEFAULT_QUEUE)
        queue = Queue.objects.order_by("ordering", "name").first()
    return queue


# ---------------------------------------------------------------- processing


def _already_processed(key: str) -> InboundEmail | None:
    """The record of an earlier arrival, unless it failed and may be tried again."""
    record = InboundEmail.objects.filter(message_key=key).select_related("ticket").first()
    if record is not None and record.outcome == Outcome.FAILED and record.attempts < settings.INBOUND_MAX_ATTEMPTS:
        return None
    return record


class InboundFailures(Exception):
    """Some mail could not be processed; each has a failed record in admin. Raised after all sources ran."""

    def __init__(self, failed: int, processed: int):
        super().__init__(f"{failed} inbound e-mail(s) failed; see the failed inbound e-mails in admin")
        self.failed = failed
        self.processed = processed


def gave_up(record: InboundEmail) -> bool:
    """A failed mail tried as often as it will be: its source may file it away; admin keeps it."""
    return record.outcome == Outcome.FAILED and record.attempts >= settings.INBOUND_MAX_ATTEMPTS


def process_message(raw: bytes) -> InboundEmail:
    """Turn one raw e-mail into a ticket, a reply or a recorded refusal; a second call for it does nothing.

    A mail that raises leaves a failed record with its error and its bytes, and is tried again on the next
    runs, up to INBOUND_MAX_ATTEMPTS times; nothing it did half-way is kept.
    """
    try:
        inbound = parse(raw)
    except Exception as error:  # a mail too broken to parse still gets its record
        logger.exception("Could not parse an inbound e-mail")
        key = "sha256:" + hashlib.sha256(raw).hexdigest()
        if (existing := _already_processed(key)) is not None:
            return existing
        return _record_failure(key, "", "", raw, error)
    existing = _already_processed(inbound.key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            # A failed mail tried again keeps its record (locked: one worker at a time); any other arrival
            # creates one, and the unique key stops a second worker that looked too early.
            record = InboundEmail.objects.select_for_update().filter(
                message_key=inbound.key, outcome=Outcome.FAILED).first()
            if record is None:
                record = InboundEmail.objects.create(
                    message_key=inbound.key, sender=inbound.sender[:254], subject=inbound.subject[:998],
                    outcome=Outcome.IGNORED,
                )
            record.outcome, record.reason, record.ticket = _handle(inbound)
            record.reason = record.reason[:255]
            record.error, record.raw = "", b""
            record.save(update_fields=["outcome", "reason", "ticket", "error", "raw"])
    except IntegrityError:
        existing = _already_processed(inbound.key)
        if existing is None:
            raise
        return existing  # another worker processed it at the same moment
    except Exception as error:
        logger.exception("Could not process inbound e-mail %s from %s", inbound.key, inbound.sender)
        return _record_failure(inbound.key, inbound.sender, inbound.subject, raw, error)
    logger.info("Inbound e-mail %s from %s: %s %s", inbound.key, inbound.sender, record.outcome,
                record.ticket.reference if record.ticket else record.reason)
    return record


def _record_failure(key, sender, subject, raw, error) -> InboundEmail:
    with transaction.atomic():
        record, created = InboundEmail.objects.select_for_update().get_or_create(
            message_key=key,
            defaults={"sender": sender[:254], "subject": subject[:998], "outcome": Outcome.FAILED},
        )
        record.attempts = 1 if created else record.attempts + 1
        record.outcome = Outcome.FAILED
        record.reason = (f"{type(error).__name__}: {error}")[:255]
        record.error = "".join(traceback.format_exception(error))[-20000:]
        record.raw = raw
        record.ticket = None
        record.save()
    if gave_up(record):
        logger.error("Inbound e-mail %s failed %d times; it is kept in admin as failed", key, record.attempts)
    return record


def _handle(inbound: Inbound) -> tuple[str, str, Ticket | None]:
    reason = ignore_reason(inbound)
    if reason:
        return Outcome.IGNORED, reason, None
    user, created, refusal = sender_account(inbound)
    if user is None:
        return Outcome.REJECTED, refusal, None
    read_content(inbound)
    ticket = thread_ticket(inbound)
    if ticket is None:
        return Outcome.NEW_TICKET, "", _open_ticket(inbound, user, queue=inbound_queue(inbound))
    role = may_reply(ticket, user, created)
    if not role:
        reason = _("The sender may not write on %(reference)s; opened a new ticket") % {
            "reference": ticket.reference}
        return Outcome.NEW_TICKET, reason, _open_ticket(inbound, user, queue=inbound_queue(inbound))
    if _needs_follow_up(ticket):
        return Outcome.FOLLOW_UP, "", _follow_up(inbound, ticket, user, role)
    body = strip_quoted(inbound.body) or inbound.body or _without_text(inbound)
    if not body:
        return Outcome.IGNORED, _("The reply has no text and no attachments"), ticket
    try:
        if role == "agent":
            services.ticket_agent_reply(ticket=ticket, agent=user, body=body, files=inbound.files, channel=EMAIL,
                                        email_message_id=inbound.message_id)
        else:
            services.ticket_customer_reply(ticket=ticket, customer=user, body=body, files=inbound.files,
                                           channel=EMAIL, email_message_id=inbound.message_id)
    except services.TicketError:  # closed by someone else a moment ago
        return Outcome.FOLLOW_UP, "", _follow_up(inbound, ticket, user, role)
    _note_refused(ticket, inbound)
    return Outcome.REPLY, "", ticket


def _without_text(inbound: Inbound) -> str:
    """What stands for the text of a message that has none but came with files."""
    return _("(no text; see the attachments)") if inbound.files or inbound.refused else ""


def _needs_follow_up(ticket: Ticket) -> bool:
    if ticket.merged_into_id or ticket.status == Ticket.Status.CLOSED:
        return True
    return ticket.status == Ticket.Status.RESOLVED and not ticket.can_reopen()


def _open_ticket(inbound: Inbound, requester: User, *, queue: Queue, follow_up_of=None, subject=None,
                 created_by=None) -> Ticket:
    for upload in inbound.files:
        upload.seek(0)
    ticket = services.ticket_create(
        requester=requester, subject=subject or inbound.subject, queue=queue, channel=EMAIL,
        description=inbound.body or _without_text(inbound) or _("(no text)"),
        files=inbound.files, email_message_id=inbound.message_id, follow_up_of=follow_up_of, created_by=created_by,
    )
    _note_refused(ticket, inbound)
    return ticket


def _follow_up(inbound: Inbound, ticket: Ticket, user: User, role: str) -> Ticket:
    """A reply to a closed or merged ticket opens a new one that points back to it."""
    inbound.body = strip_quoted(inbound.body) or inbound.body
    if role == "agent":  # an agent writing to the customer opens it on the customer's behalf
        return _open_ticket(inbound, ticket.requester, queue=ticket.queue, follow_up_of=ticket,
                            subject=ticket.subject, created_by=user)
    return _open_ticket(inbound, user, queue=ticket.queue, follow_up_of=ticket, subject=ticket.subject)


def _note_refused(ticket: Ticket, inbound: Inbound) -> None:
    if not inbound.refused:
        return
    lines = [_("Some files attached to this e-mail were not kept:")]
    lines += [f"- {reason}" for reason in inbound.refused]
    lines.append(_("Ask the customer to send them in an accepted format if they are needed."))
    with transaction.atomic():
        Message.objects.create(ticket=ticket, author=None, is_internal=True, from_agent=False, channel=EMAIL,
                               body="\n".join(lines))


# ---------------------------------------------------------------- sources


def fetch_all() -> int:
    """Read every configured source once; returns how many messages were processed.

    A source that cannot be read (server down, folder missing) does not keep the other from
    being read; its error is raised once both have had their turn. Then, if any mail failed,
    ``InboundFailures`` is raised, so that ``fetch_email`` and the task say so.
    """
    sources = []
    if settings.INBOUND_MAILDIR:
        sources.append(lambda: fetch_maildir(settings.INBOUND_MAILDIR))
    if settings.INBOUND_IMAP_HOST:
        sources.append(fetch_imap)
    processed, failed, failure = 0, 0, None
    for source in sources:
        try:
            done, broken = source()
            processed, failed = processed + done, failed + broken
        except Exception as error:
            logger.exception("Could not read an inbound e-mail source")
            failure = failure or error
    if failure is not None:
        raise failure
    if failed:
        raise InboundFailures(failed, processed)
    return processed


def fetch_maildir(path) -> tuple[int, int]:
    """Process the messages in new/ and the unseen ones in cur/, then file each in cur/ with the S flag.

    Nothing is ever deleted or rewritten: a processed message is only renamed (the flags live in
    its file name), and a message that fails stays where it is for the next run.
    """
    box = mailbox.Maildir(path, factory=None, create=False)  # refuses a folder that is not a maildir
    processed = failed = 0
    for subdir in ("new", "cur"):
        for entry in sorted(os.scandir(os.path.join(path, subdir)), key=lambda entry: entry.name):
            if entry.name.startswith(".") or not entry.is_file():
                continue
            key, _colon, info = entry.name.partition(box.colon)
            flags = info[2:] if info.startswith("2,") else ""
            if subdir == "cur" and "S" in flags:
                continue  # seen: processed before
            try:
                with open(entry.path, "rb") as file:
                    raw = file.read()
            except FileNotFoundError:
                continue  # filed by another worker meanwhile
            try:
                record = process_message(raw)
            except Exception:
                logger.exception("Could not process maildir message %s; it stays for the next run", entry.name)
                failed += 1
                continue
            if record.outcome == Outcome.FAILED:
                failed += 1
                if not gave_up(record):
                    continue  # it stays for the next run
            seen = os.path.join(path, "cur", f"{key}{box.colon}2,{''.join(sorted(set(flags) | {'S'}))}")
            try:
                os.rename(entry.path, seen)
            except FileNotFoundError:
                logger.info("Maildir message %s was already filed", entry.name)
            processed += record.outcome != Outcome.FAILED
    return processed, failed


def fetch_imap() -> tuple[int, int]:
    """Process the unseen messages of the IMAP folder, marking each \\Seen once it is processed.

    The body is fetched with BODY.PEEK[] so that a message that fails stays unseen for the next run.
    """
    processed = failed = 0
    with IMAPClient(settings.INBOUND_IMAP_HOST, port=settings.INBOUND_IMAP_PORT, ssl=settings.INBOUND_IMAP_SSL,
                    timeout=60) as client:
        client.login(settings.INBOUND_IMAP_USER, settings.INBOUND_IMAP_PASSWORD)
        client.select_folder(settings.INBOUND_IMAP_FOLDER)
        for uid in client.search(["UNSEEN"]):
            try:
                raw = client.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
                record = process_message(raw)
            except Exception:
                logger.exception("Could not process IMAP message %s; it stays unseen for the next run", uid)
                failed += 1
                continue
            if record.outcome == Outcome.FAILED:
                failed += 1
                if not gave_up(record):
                    continue  # it stays unseen for the next run
            client.add_flags([uid], [SEEN])
            processed += record.outcome != Outcome.FAILED
    return processed, failed
