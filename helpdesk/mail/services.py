"""The e-mail outbox: queue in the caller's transaction, send exactly once from a task.

Sending claims the row with a conditional UPDATE (queued → sending). Only the worker
whose UPDATE changed the row sends it, so running the task twice, or in two workers
at once, sends one e-mail. A transient SMTP failure puts the row back in the queue
with a growing delay; a permanent one marks it failed for an admin to look at.
"""

import logging
import smtplib
from datetime import timedelta
from email.utils import make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from helpdesk.mail.models import OutboundEmail

logger = logging.getLogger(__name__)

# Minutes to wait before attempt 2, 3, 4, …; the last value repeats.
RETRY_DELAYS_MINUTES = [1, 5, 15, 60, 240]


class TransientEmailError(Exception):
    """The mail server could not take the message now; try again later."""


def support_address() -> str:
    """The bare address customers write to: DEFAULT_FROM_EMAIL without its display name."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def message_id_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "helpdesk.localhost"


def email_queue(*, to, subject, text, html="", language="", related=None, headers=None) -> OutboundEmail:
    """Store an e-mail and send it once the surrounding transaction commits.

    Every e-mail the helpdesk sends is written by the machine, so it says ``Auto-Submitted: auto-generated``
    (RFC 3834) unless the caller says otherwise (``auto-replied`` for an acknowledgement): out-of-office
    robots then leave it unanswered instead of starting a loop.
    """
    with transaction.atomic():
        email = OutboundEmail.objects.create(
            to=to,
            from_email=settings.DEFAULT_FROM_EMAIL,
            subject=" ".join(subject.split()),  # a header must be one line
            body_text=text,
            body_html=html,
            language=language,
            headers={"Auto-Submitted": "auto-generated", **(headers or {})},
            message_id=make_msgid(domain=message_id_domain()),
            related_type=ContentType.objects.get_for_model(related) if related is not None else None,
            related_id=str(related.pk) if related is not None else "",
        )
        transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def render_email(template, context, *, language) -> tuple[str, str]:
    """``<template>_body.txt`` and ``_body.html`` in ``language``, with the site's name and address: the one
    renderer of every e-mail the apps send."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
        return render_to_string(f"{template}_body.txt", context), render_to_string(f"{template}_body.html", context)


def email_queue_template(*, to, template, context, language="", related=None, headers=None) -> OutboundEmail:
    """Render ``<template>_subject.txt``, ``_body.txt`` and ``_body.html`` in the recipient's language."""
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt",
                                   {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}).strip()
    text, html = render_email(template, context, language=language)
    return email_queue(
        to=to, subject=subject, text=text, html=html, language=language, related=related, headers=headers
    )


def _enqueue(email_id: int) -> None:
    from helpdesk.mail.tasks import send_email

    try:
        send_email.delay(email_id)
    except Exception:  # the broker is down: the row stays queued and send_queued_mail picks it up
        logger.exception("Could not enqueue e-mail %s; it will be sent by the next sweep", email_id)


def _claim(email_id: int) -> bool:
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(
        pk=email_id, status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=now
    ).update(status=OutboundEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, TransientEmailError)):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPException):  # e.g. no common authentication method: fix the settings
        return False
    # Network trouble (refused connection, time-out, DNS) passes.
    return isinstance(exc, OSError)


def _build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=[email.to],
        headers={"Message-ID": email.message_id, **email.headers},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def email_send(*, email_id: int) -> bool:
    """Send one queued e-mail. Returns True if this call sent it."""
    if not _claim(email_id):
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        _build_message(email).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 — every failure is recorded on the row
        _record_failure(email, exc)
        return False
    OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENDING).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def _record_failure(email: OutboundEmail, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if _is_transient(exc) and email.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        delay = RETRY_DELAYS_MINUTES[min(email.attempts, len(RETRY_DELAYS_MINUTES)) - 1]
        logger.warning("E-mail %s failed (attempt %s), retrying in %s min: %s", email.pk, email.attempts, delay, error)
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.QUEUED,
            next_attempt_at=timezone.now() + timedelta(minutes=delay),
            last_error=error,
        )
    else:
        logger.error("E-mail %s failed for good after %s attempts: %s", email.pk, email.attempts, error)
        OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.FAILED, last_error=error)


def email_retry(*, email_ids) -> int:
    """Put failed e-mails back in the queue now (the admin "retry" action)."""
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.select_for_update()
            .filter(pk__in=email_ids, status=OutboundEmail.Status.FAILED)
            .values_list("pk", flat=True)
        )
        OutboundEmail.objects.filter(pk__in=ids).update(
            status=OutboundEmail.Status.QUEUED, next_attempt_at=timezone.now(), attempts=0
        )
        for email_id in ids:
            transaction.on_commit(lambda email_id=email_id: _enqueue(email_id))
    return len(ids)


def emails_due() -> list[int]:
    """Ids of e-mails to (re)send now: queued and due, or claimed by a worker that died mid-way.

    A stale claim is released back to the queue first; the rare cost is that a message
    the server had accepted just before the worker died goes out twice, which beats losing it.
    """
    now = timezone.now()
    stale_before = now - timedelta(minutes=settings.OUTBOX_STALE_CLAIM_MINUTES)
    OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING, claimed_at__lt=stale_before).update(
        status=OutboundEmail.Status.QUEUED, next_attempt_at=now
    )
    return list(
        OutboundEmail.objects.filter(Q(status=OutboundEmail.Status.QUEUED) & Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
