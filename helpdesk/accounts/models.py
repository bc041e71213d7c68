import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.timezone import localdate, now
from django.utils.translation import gettext_lazy as _


def validate_timezone(value):
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def timezone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Users must have an e-mail address.")
        user = self.model(email=normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


def normalize_email(email: str) -> str:
    """E-mail addresses are compared without regard to case, so they are stored lower-case."""
    return (email or "").strip().lower()


class Organization(models.Model):
    class Tier(models.TextChoices):
        STANDARD = "standard", _("Standard")
        VIP = "vip", _("VIP")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CHURNED = "churned", _("Churned")

    name = models.CharField(_("name"), max_length=200, unique=True)
    email_domain = models.CharField(
        _("e-mail domain"),
        max_length=253,
        blank=True,
        help_text=_("Customers who sign up with an address at this domain join the organisation once verified."),
    )
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.STANDARD)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_organizations",
        limit_choices_to={"groups__name__in": ["agent", "manager"]},
    )
    customer_since = models.DateField(_("customer since"), default=localdate)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    churned_at = models.DateField(_("churned on"), null=True, blank=True)
    churn_reason = models.CharField(_("churn reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email_domain"),
                condition=~models.Q(email_domain=""),
                name="organization_unique_email_domain",
            ),
            models.CheckConstraint(
                condition=models.Q(status="active", churned_at__isnull=True)
                | models.Q(status="churned", churned_at__isnull=False),
                name="organization_churned_has_date",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_vip(self) -> bool:
        return self.tier == self.Tier.VIP

    @property
    def is_churned(self) -> bool:
        return self.status == self.Status.CHURNED

    def clean(self):
        self.email_domain = self.email_domain.strip().lower().lstrip("@")


class OrganizationStatusChange(models.Model):
    """The lifecycle history of an organisation: churn figures for any past period come from here."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Organization.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Organization.Status.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded"), default=now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["organization", "recorded_at", "pk"]
        indexes = [models.Index(fields=["to_status", "effective_on"])]

    def __str__(self):
        return f"{self.organization}: {self.from_status or '—'} → {self.to_status} ({self.effective_on})"


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    locale = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    is_primary_contact = models.BooleanField(
        _("primary contact"),
        default=False,
        help_text=_("A primary contact sees every request of their organisation in the portal."),
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Whether the user may sign in to the admin site.")
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unticked until a self-registered customer verifies their e-mail, or when an account is closed."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=now)
    email_verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(is_primary_contact=False) | models.Q(organization__isnull=False),
                name="user_primary_contact_has_organization",
            ),
        ]

    def __str__(self):
        return self.name or self.email

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return (self.name.split() or [self.email])[0]


class PrivacyRequest(models.Model):
    """The log of data-protection actions: an export handed out, a customer forgotten.

    It names the customer by id only, so the log itself keeps no personal data after a forget.
    """

    class Action(models.TextChoices):
        EXPORT = "export", _("Export")
        FORGET = "forget", _("Forget")

    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="privacy_requests")
    subject_ref = models.CharField(_("customer reference"), max_length=50)
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    performed_at = models.DateTimeField(_("when"), default=now)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["-performed_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.subject_ref} ({self.performed_at:%Y-%m-%d})"
