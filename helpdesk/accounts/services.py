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
        _queue_verification(user)
    return user


def _queue_verification(user: User) -> None:
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


def verification_resend(*, email: str) -> bool:
    """E-mail a fresh verification link to a sign-up that is still waiting for it; whether one was sent.

    Only accounts that never verified their address get one: a verified or deactivated account, or an
    unknown address, gets nothing. Run by the worker after the page has answered, so the answer (and its
    timing) is the same for every address.
    """
    with transaction.atomic():
        user = (
            User.objects.select_for_update()
            .filter(email__iexact=normalize_email(email), is_active=False, email_verified_at__isnull=True)
            .first()
        )
        if user is None:
            return False
        _queue_verification(user)
    return True


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
            raise AccountError(
                _("This verification link is invalid or has expired. Ask for a new link, or sign up again.")
            )
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
