"""A second factor after the password: a code from an authenticator app (TOTP), or a one-time recovery code.

django-otp keeps the devices and marks a session verified (``request.user.is_verified()``, set by its
OTPMiddleware). Signing in with the password stays Django's; then ``TwoFactorMiddleware`` lets a person who
has an authenticator reach nothing but the code page until the session is verified. The same holds for
Django admin's own sign-in page, which knows nothing of codes. With ``TWO_FACTOR_REQUIRED_FOR_STAFF``,
agents, managers and admins without an authenticator are sent to set one up first.

Wrong codes count as failed sign-ins for the lock-out (``user_login_failed``); after
``TWO_FACTOR_MAX_FAILURES`` of them in one sign-in the session ends and the person starts again.
"""

import segno
from django.conf import settings
from django.contrib.auth import logout, user_logged_in, user_login_failed
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpdesk.accounts.roles import is_agent

RECOVERY_CODE_COUNT = 10
FAILURES_KEY = "two_factor_failures"
# Whether this session's person has an authenticator: looked up once at sign-in, not on every request.
NEEDS_CODE_KEY = "two_factor_needed"
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


# ---------------------------------------------------------------------------------------------- services


def authenticator_start(*, user) -> TOTPDevice:
    """A new, unconfirmed authenticator for ``user``; an earlier unconfirmed one is replaced."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def pending_authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, inline (the Content-Security-Policy allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@transaction.atomic
def authenticator_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code; the new recovery codes, or None for a wrong code.

    Any earlier authenticator and recovery codes are replaced: one of each per person.
    """
    if not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=device.user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_disable(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def required_for(user) -> bool:
    """Whether this person must have a second factor: staff, when TWO_FACTOR_REQUIRED_FOR_STAFF is on."""
    return settings.TWO_FACTOR_REQUIRED_FOR_STAFF and (user.is_staff or is_agent(user))


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(request, *, token: str) -> bool:
    """Check a code from the authenticator or a recovery code (used up) and verify the session."""
    token = "".join(token.split()).lower()
    user = request.user
    # for_verify locks the devices (SELECT ... FOR UPDATE): a recovery code cannot be used twice at once.
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            allowed, _why = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                otp_login(request, device)
                request.session.pop(FAILURES_KEY, None)
                return True
    failures = request.session.get(FAILURES_KEY, 0) + 1
    request.session[FAILURES_KEY] = failures
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    if failures >= settings.TWO_FACTOR_MAX_FAILURES:
        logout(request)
    return False


def verify_confirmed(request, *, device) -> None:
    """The authenticator just confirmed with a code: this session counts as verified."""
    otp_login(request, device)
    request.session[NEEDS_CODE_KEY] = True
    request.session.pop(FAILURES_KEY, None)


def start_sign_in(sender, request, user, **kwargs) -> None:
    """Connected to ``user_logged_in``: no wrong codes yet, and whether a code will be asked."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(FAILURES_KEY, None)
        request.session[NEEDS_CODE_KEY] = has_two_factor(user)


user_logged_in.connect(start_sign_in, dispatch_uid="two_factor_start_sign_in")


def needs_code(request) -> bool:
    needed = request.session.get(NEEDS_CODE_KEY)
    if needed is None:  # a session from before sign-in recorded it
        needed = request.session[NEEDS_CODE_KEY] = has_two_factor(request.user)
    return needed


# ---------------------------------------------------------------------------------------------- middleware

# What a signed-in person may still open before the code: the code page, setting one up, signing out,
# and the files pages are made of.
OPEN_URL_NAMES = {"accounts:two-factor-verify", "accounts:two-factor-setup", "accounts:logout", "set-language"}


class TwoFactorMiddleware:
    """After AuthenticationMiddleware, django-otp's OTPMiddleware and the session middlewares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        name = f"{match.namespace}:{match.url_name}" if match and match.namespace else (match.url_name if match else "")
        if name in OPEN_URL_NAMES or request.path.startswith(settings.STATIC_URL):
            return None
        if needs_code(request):
            return redirect(f"{reverse('accounts:two-factor-verify')}?{urlencode({'next': request.get_full_path()})}")
        if required_for(user):
            return redirect(f"{reverse('accounts:two-factor-setup')}?required=1")
        return None
