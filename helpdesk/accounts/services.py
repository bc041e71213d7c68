from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from helpdesk.accounts.models import Organization, OrganizationStatusChange, User, normalize_email
from helpdesk.accounts.roles import Role, set_roles
from helpdesk.accounts.sessions import duration_words
from helpdesk.accounts.tokens import email_verification_token
from helpdesk.mail.services import email_queue_template


class AccountError(Exception):
    """A request about an account that cannot be carried out; the message is for the person."""


def email_domain_of(email: str) -> str:
    return normalize_email(email).rpartition("@")[2]


def organization_for_email(email: str) -> Organization | None:
    domain = email_domain_of(email)
    if not domain:
        return None
    return Organization.objects.filter(email_domain__iexact=domain).first()


def customer_sign_up(*, email: str, name: str, password: str, locale: str, timezone_name: str) -> User | None:
    """Register a customer whose account works once they follow the link e-mailed to them.

    Signing up with an address that already has an account changes nothing and tells the
    owner by e-mail, so the form answers the same whether or not the address is known. It also
    takes the same time: the password is hashed first in both cases (hashing is nearly all of the
    work), and either way one e-mail goes to the outbox, sent later by the worker.
    """
    email = normalize_email(email)
    password_hash = make_password(password)
    with transaction.atomic():
        existing = User.objects.select_for_update().filter(email__iexact=email).first()
        if existing is not None:
            email_queue_template(
                to=existing.email,
                template="accounts/email/signup_existing",
                context={"user": existing},
                language=existing.locale,
                related=existing,
            )
            return None
        user = User.objects.create(
            email=email, password=password_hash, name=name, locale=locale, timezone=timezone_name, is_active=False
        )
        set_roles(user, [Role.CUSTOMER])
        email_queue_template(
            to=user.email,
            template="accounts/email/verify",
            context={
                "user": user,
                "verify_path": verification_path(user),
                "valid_for": _lifetime_words(settings.EMAIL_VERIFICATION_TIMEOUT, user.locale),
            },
            language=user.locale,
            related=user,
        )
    return user


def _lifetime_words(seconds: int, language: str) -> str:
    """How long a link works, in the words of the e-mail's language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return duration_words(seconds // 60)


def password_reset_send(*, email: str) -> int:
    """E-mail a link to choose a new password to every active account with this address; how many.

    As Django's reset form: accounts without a usable password (never set one) are left alone.
    """
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse

    sent = 0
    for user in User.objects.filter(email__iexact=normalize_email(email), is_active=True):
        if not user.has_usable_password():
            continue
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        email_queue_template(
            to=user.email,
            template="accounts/email/password_reset",
            context={
                "user": user,
                "reset_path": reverse("accounts:password-reset-confirm", args=[uid, token]),
                "valid_for": _lifetime_words(settings.PASSWORD_RESET_TIMEOUT, user.locale),
            },
            language=user.locale,
            related=user,
        )
        sent += 1
    return sent


def verification_path(user: User) -> str:
    from django.urls import reverse

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:verify-email", args=[uid, email_verification_token.make_token(user)])


def customer_verify_email(*, user: User, token: str) -> User:
    """Activate a self-registered customer; an address at an organisation's domain joins it."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not email_verification_token.check_token(user, token):
            raise AccountError(_("This verification link is invalid or has expired. Sign up again to get a new one."))
        user.is_active = True
        user.email_verified_at = timezone.now()
        fields = ["is_active", "email_verified_at"]
        if user.organization_id is None:
            organization = organization_for_email(user.email)
            if organization is not None:
                user.organization = organization
                fields.append("organization")
        user.save(update_fields=fields)
    return user


def organization_create(*, name: str, by: User | None = None, **fields) -> Organization:
    """Create an organisation and open its lifecycle history (churn rates are computed from it)."""
    with transaction.atomic():
        organization = Organization(name=name, **fields)
        organization.full_clean()
        organization.save()
        OrganizationStatusChange.objects.create(
            organization=organization,
            from_status="",
            to_status=organization.status,
            effective_on=organization.churned_at or organization.customer_since,
            changed_by=by,
            reason=organization.churn_reason,
        )
    return organization


def organization_set_status(
    *, organization: Organization, status: str, by: User | None, reason: str = "", note: str = "", effective_on=None
) -> Organization:
    """Mark an organisation churned (a reason is required) or active again, keeping the history."""
    if status not in Organization.Status.values:
        raise AccountError(_("Unknown status “%(status)s”.") % {"status": status})
    effective_on = effective_on or timezone.localdate()
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if organization.status == status:
            raise AccountError(
                _("%(name)s already has the status “%(status)s”.")
                % {"name": organization.name, "status": organization.get_status_display()}
            )
        if status == Organization.Status.CHURNED and not reason.strip():
            raise AccountError(_("Give a reason when marking an organisation as churned."))
        previous = organization.status
        organization.status = status
        if status == Organization.Status.CHURNED:
            organization.churned_at = effective_on
            organization.churn_reason = reason.strip()
        else:
            organization.churned_at = None
            organization.churn_reason = ""
        organization.save(update_fields=["status", "churned_at", "churn_reason"])
        OrganizationStatusChange.objects.create(
            organization=organization,
            from_status=previous,
            to_status=status,
            effective_on=effective_on,
            reason=reason.strip(),
            note=note,
            changed_by=by,
        )
    return organization


def care_task_create(*, kind, title, assignee=None, customer=None, organization=None, description="", due_on=None,
                     source=None):
    """Open a care task; for a given source and kind only the first call creates one (safe to repeat)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import IntegrityError

    from helpdesk.accounts.models import CareTask

    fields = dict(title=title[:200], assignee=assignee, customer=customer, organization=organization,
                  description=description, due_on=due_on or timezone.localdate())
    if source is None:
        return CareTask.objects.create(kind=kind, **fields), True
    key = {"kind": kind, "source_type": ContentType.objects.get_for_model(source), "source_id": str(source.pk)}
    try:
        with transaction.atomic():
            return CareTask.objects.create(**key, **fields), True
    except IntegrityError:  # made already, by an earlier or a concurrent call
        return CareTask.objects.get(**key), False


def care_task_complete(*, task, by, outcome=""):
    from helpdesk.accounts.models import CareTask

    with transaction.atomic():
        task = CareTask.objects.select_for_update().get(pk=task.pk)
        if task.status == CareTask.Status.DONE:
            raise AccountError(_("This task is already done."))
        task.status = CareTask.Status.DONE
        task.outcome = outcome.strip()
        task.done_at = timezone.now()
        task.save(update_fields=["status", "outcome", "done_at"])
    return task


# ---------------------------------------------------------------- check-ins


def _next_check_in_on(*, organization, cadence: int, today):
    """When an organisation without an open check-in is next due.

    After a check-in: the follow-up date it asked for, else its done date plus the tier's cadence. Never
    checked in: one cadence after the organisation became a customer, but not before today (an old customer
    added today is due today, not years ago). Never on the date of an earlier check-in: one per date.
    """
    from datetime import timedelta

    if organization.last_done_at is not None:
        due_on = organization.last_next_on or (timezone.localdate(organization.last_done_at) + timedelta(days=cadence))
    else:
        due_on = max(organization.customer_since + timedelta(days=cadence), today)
    if organization.last_due_on is not None and due_on <= organization.last_due_on:
        due_on = organization.last_due_on + timedelta(days=1)
    return due_on


def _check_in_title(organization, language) -> str:
    from django.utils import translation

    with translation.override(language or None):
        return str(_("Check in with %(organization)s") % {"organization": organization.name})[:200]


def _check_in_notify(task) -> None:
    from django.urls import reverse

    manager = task.assignee
    if manager is None or not manager.email or not manager.is_active:
        return
    email_queue_template(
        to=manager.email,
        template="accounts/email/check_in_due",
        context={"task": task, "organization": task.organization, "manager": manager,
                 "task_path": reverse("accounts:care-task", args=[task.pk])},
        language=manager.locale,
        related=task,
    )


def check_ins_create_due(*, today=None) -> int:
    """Open the check-ins that are due and tell each account manager; returns how many were opened.

    Safe to run twice or on two workers at once: the unique (organisation, due date) constraint lets only
    one insert win; the loser's savepoint is rolled back with its e-mail.
    """
    from django.db import IntegrityError
    from django.db.models import Exists, OuterRef, Subquery

    from helpdesk.accounts.models import CarePlan, CareTask

    today = today or timezone.localdate()
    cadences = dict(CarePlan.objects.filter(is_active=True).values_list("tier", "check_in_every_days"))
    if not cadences:
        return 0
    check_ins = CareTask.objects.filter(kind=CareTask.Kind.CHECK_IN, organization=OuterRef("pk"))
    last_done = check_ins.filter(status=CareTask.Status.DONE).order_by("-done_at", "-pk")
    candidates = (
        Organization.objects.filter(status=Organization.Status.ACTIVE, tier__in=list(cadences),
                                    account_manager__isnull=False, account_manager__is_active=True)
        .exclude(Exists(check_ins.filter(status=CareTask.Status.OPEN)))
        .annotate(last_done_at=Subquery(last_done.values("done_at")[:1]),
                  last_next_on=Subquery(last_done.values("next_follow_up_on")[:1]),
                  last_due_on=Subquery(check_ins.order_by("-due_on").values("due_on")[:1]))
        .select_related("account_manager")
        .order_by("pk")
    )
    created = 0
    for organization in candidates:
        due_on = _next_check_in_on(organization=organization, cadence=cadences[organization.tier], today=today)
        if due_on > today:
            continue
        manager = organization.account_manager
        try:
            with transaction.atomic():
                task = CareTask.objects.create(
                    kind=CareTask.Kind.CHECK_IN, title=_check_in_title(organization, manager.locale),
                    organization=organization, assignee=manager, due_on=due_on,
                )
                _check_in_notify(task)
        except IntegrityError:  # opened already, by an earlier or a concurrent run
            continue
        created += 1
    return created


def check_in_log(*, task, by, channel, notes="", outcome, next_follow_up_on=None):
    """Record how a check-in went, and open the next one if a follow-up date is given.

    Returns the logged check-in and the next one (or None).
    """
    from django.db import IntegrityError

    from helpdesk.accounts.models import CareTask

    today = timezone.localdate()
    with transaction.atomic():
        task = CareTask.objects.select_for_update(of=("self",)).select_related("organization").get(pk=task.pk)
        if task.kind != CareTask.Kind.CHECK_IN:
            raise AccountError(_("Only a check-in is logged this way."))
        if task.status == CareTask.Status.DONE:
            raise AccountError(_("This check-in is already logged."))
        if channel not in CareTask.Channel.values:
            raise AccountError(_("Choose how you were in touch: call, e-mail or meeting."))
        if not (outcome or "").strip():
            raise AccountError(_("Write down the outcome of the check-in."))
        if next_follow_up_on is not None and next_follow_up_on <= today:
            raise AccountError(_("The next follow-up must be after today."))
        task.status = CareTask.Status.DONE
        task.channel = channel
        task.notes = (notes or "").strip()
        task.outcome = outcome.strip()
        task.next_follow_up_on = next_follow_up_on
        task.done_at = timezone.now()
        task.save(update_fields=["status", "channel", "notes", "outcome", "next_follow_up_on", "done_at"])
        follow_up = None
        if next_follow_up_on is not None:
            try:
                with transaction.atomic():
                    follow_up = CareTask.objects.create(
                        kind=CareTask.Kind.CHECK_IN, organization=task.organization, assignee=task.assignee,
                        due_on=next_follow_up_on,
                        title=_check_in_title(task.organization, getattr(task.assignee, "locale", "")),
                    )
            except IntegrityError:
                raise AccountError(
                    _("%(organization)s already has a check-in on that date; pick another one.")
                    % {"organization": task.organization.name}
                ) from None
    return task, follow_up
