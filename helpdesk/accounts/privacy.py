"""Data protection: hand a customer everything held about them, or forget them.

Each app holds its own part of a customer's data and answers the ``privacy_export`` and
``privacy_forget`` signals (see ``helpdesk.accounts.signals``) from its ``privacy.py``
(care tasks: ``care.privacy``) adds the account itself, the e-mails sent to them and their sign-in
records, writes the ZIP, and logs every action in ``PrivacyRequest`` (by id only, never by name).

Forgetting keeps rows, dates, statuses and scores, so every report number stays the same; it
replaces names, addresses and the text people wrote, and deletes uploaded files once committed.
"""

import json
import logging
from functools import partial
from io import BytesIO
from pathlib import PurePosixPath
from zipfile import ZIP_DEFLATED, ZipFile

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import PrivacyRequest, User
from helpdesk.accounts.roles import is_agent, role_names
from helpdesk.accounts.services import AccountError
from helpdesk.accounts.signals import privacy_export, privacy_forget
from helpdesk.mail.models import OutboundEmail

logger = logging.getLogger(__name__)

# What replaces text a forgotten customer wrote or that was written about them. Stored data, so it is
# one fixed string whatever language the admin uses; a row keeps existing, so every count stays the same.
REMOVED = "[removed at the customer's request]"
FORGOTTEN_DOMAIN = "invalid.example"
EXPORT_FORMAT = 1


class PrivacyError(AccountError):
    """An export or forget that cannot be carried out; the message is for the admin."""


def forgotten_email(user) -> str:
    """The placeholder address of a forgotten user: unique, and never deliverable (RFC 6761)."""
    return f"forgotten-{user.pk}@{FORGOTTEN_DOMAIN}"


def subject_ref(user) -> str:
    return f"user #{user.pk}"


def is_staff_account(user) -> bool:
    """Agents, managers and admins work here: they are not customers whose data this forgets."""
    return bool(user.is_superuser or user.is_staff or is_agent(user))


def is_forgotten(user) -> bool:
    return user.email == forgotten_email(user) or PrivacyRequest.objects.filter(
        subject=user, action=PrivacyRequest.Action.FORGET).exists()


def removed_unless_blank(field: str):
    """An UPDATE expression: ``REMOVED`` where the field held text, empty where it was empty.

    Keeping "had text" apart from "was empty" keeps counts such as "responses with a comment".
    """
    return Case(When(**{field: ""}, then=Value("")), default=Value(REMOVED))


def files_delete_on_commit(names) -> int:
    """Delete stored files once the transaction commits: a rolled-back forget keeps them."""
    names = [str(name) for name in names if name]
    if names:
        transaction.on_commit(partial(_delete_files, names))
    return len(names)


def _delete_files(names):
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # already gone, or the disk refuses: the row is gone either way
            logger.warning("Could not delete stored file %s", name, exc_info=True)


def outbound_anonymise(emails) -> int:
    """Strip the text of outbound e-mails; the ones still waiting are not sent any more."""
    emails.filter(status=OutboundEmail.Status.QUEUED).update(
        status=OutboundEmail.Status.FAILED, last_error="Not sent: the recipient's data was removed.")
    return emails.update(subject=REMOVED, body_text=REMOVED, body_html="")


def outbound_related_to(model, pks):
    """The outbound e-mails written about these objects (``OutboundEmail.related``), whoever they went to."""
    return OutboundEmail.objects.filter(related_type=ContentType.objects.get_for_model(model),
                                        related_id__in=[str(pk) for pk in pks])


# ---------------------------------------------------------------- export


def _profile(user) -> dict:
    organization = user.organization
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "language": user.locale,
        "time_zone": user.timezone,
        "organization": organization.name if organization else None,
        "is_primary_contact": user.is_primary_contact,
        "is_active": user.is_active,
        "roles": sorted(role_names(user)),
        "date_joined": user.date_joined,
        "email_verified_at": user.email_verified_at,
        "last_login": user.last_login,
    }


def customer_data(user) -> tuple[dict, list]:
    """Everything held about the user as JSON-able sections, and the files as (path in the ZIP, file)."""
    user = User.objects.select_related("organization").get(pk=user.pk)
    data = {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now(),
        "profile": _profile(user),
        "emails": list(
            OutboundEmail.objects.filter(to__iexact=user.email).order_by("created_at", "pk").values(
                "to", "subject", "body_text", "language", "status", "created_at", "sent_at")),
    }
    files = []
    for _receiver, answer in privacy_export.send(sender=None, user=user):
        if not answer:
            continue
        for key, value in answer.items():
            if key == "files":
                files.extend(value)
            else:
                data[key] = value
    return data, files


def section_counts(data: dict) -> dict:
    """How many items each list section holds: the log's summary and the forget page's preview."""
    return {key: len(value) for key, value in data.items() if isinstance(value, list)}


def _zip_path(path: str, taken: set) -> str:
    """``files/<path>``, without any way out of the folder, and never twice the same."""
    parts = [part for part in PurePosixPath(str(path).replace("\\", "/")).parts if part not in ("/", ".", "..")]
    candidate = PurePosixPath("files", *(parts or ["file"]))
    unique, number = str(candidate), 1
    while unique in taken:
        number += 1
        unique = str(candidate.with_name(f"{candidate.stem}-{number}{candidate.suffix}"))
    taken.add(unique)
    return unique


def _read(stored) -> bytes:
    if hasattr(stored, "open"):
        with stored.open("rb") as handle:
            return handle.read()
    with default_storage.open(str(stored), "rb") as handle:
        return handle.read()


def customer_export(*, user, by) -> bytes:
    """A ZIP: ``data.json`` (a section per app) and ``files/…`` (what the customer uploaded). Logged."""
    data, files = customer_data(user)
    buffer = BytesIO()
    included, missing, taken = [], [], set()
    with ZipFile(buffer, "w", ZIP_DEFLATED) as archive:
        for path, stored in files:
            try:
                content = _read(stored)
            except (FileNotFoundError, OSError, ValueError):
                missing.append(str(path))
                continue
            name = _zip_path(path, taken)
            archive.writestr(name, content)
            included.append(name)
        data["files"] = included
        if missing:
            data["missing_files"] = missing
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    summary = section_counts(data)
    summary.pop("missing_files", None)
    PrivacyRequest.objects.create(action=PrivacyRequest.Action.EXPORT, subject=user, subject_ref=subject_ref(user),
                                  performed_by=by, summary=summary)
    return buffer.getvalue()


# ---------------------------------------------------------------- forget


def _merge(summary: dict, counts: dict):
    for key, value in (counts or {}).items():
        summary[key] = summary.get(key, 0) + int(value or 0)


def _forget_login_records(email: str, placeholder: str) -> int:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    deleted, _per_model = AccessAttempt.objects.filter(username__iexact=email).delete()
    changed = 0
    for model in (AccessLog, AccessFailureLog):
        changed += model.objects.filter(username__iexact=email).update(username=placeholder, ip_address=None,
                                                                       user_agent="")
    return deleted + changed


def customer_forget(*, user, by) -> dict:
    """Anonymise a customer everywhere, in one transaction; returns what was changed, by kind (logged)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if is_staff_account(user):
            raise PrivacyError(_("%(ref)s is a staff account (agent, manager or admin), not a customer: "
                                 "staff accounts cannot be forgotten.") % {"ref": subject_ref(user)})
        if is_forgotten(user):
            raise PrivacyError(_("%(ref)s has already been forgotten.") % {"ref": subject_ref(user)})
        email, placeholder = user.email, forgotten_email(user)
        summary = {}
        # The apps first: they find the customer's rows by the address the account still has.
        for _receiver, counts in privacy_forget.send(sender=None, user=user):
            _merge(summary, counts)

        emails = OutboundEmail.objects.filter(
            Q(to__iexact=email) | Q(pk__in=outbound_related_to(User, [user.pk]).values("pk")))
        summary["emails"] = outbound_anonymise(emails)
        OutboundEmail.objects.filter(to__iexact=email).update(to=placeholder)
        summary["login_records"] = _forget_login_records(email, placeholder)

        user.name = ""
        user.email = placeholder
        user.set_unusable_password()  # also ends every session: the session hash no longer matches
        user.is_active = False
        user.is_primary_contact = False
        user.save(update_fields=["name", "email", "password", "is_active", "is_primary_contact"])
        summary["profile"] = 1
        PrivacyRequest.objects.create(action=PrivacyRequest.Action.FORGET, subject=user,
                                      subject_ref=subject_ref(user), performed_by=by, summary=summary)
    return summary
