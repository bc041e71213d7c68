import hashlib
from base64 import b32encode

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from helpdesk.accounts import services, two_factor
from helpdesk.accounts.forms import LoginForm, ProfileForm, SignUpForm, TwoFactorCodeForm, VerificationResendForm
from helpdesk.accounts.models import User
from helpdesk.accounts.sessions import duration_words, session_start
from helpdesk.accounts.tokens import email_verification_token


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        session_start(self.request, remember=form.cleaned_data.get("remember", False))
        return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, valid_for=duration_words(settings.PASSWORD_RESET_TIMEOUT // 60))


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        language = get_language() if get_language() in dict(User._meta.get_field("locale").choices) else "en"
        services.customer_sign_up(
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            password=form.cleaned_data["password1"],
            locale=language,
            timezone_name=form.cleaned_data["timezone"],
        )
        # The same page whether or not the address already had an account.
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("accounts:signup-done")
    return render(request, "accounts/signup.html", {"form": form})


def signup_done(request):
    return render(request, "accounts/signup_done.html", {"email": request.session.get("signup_email", "")})


RESEND_WINDOW_SECONDS = 60 * 60


def _resend_allowed(request, email: str) -> bool:
    """Count this request against the hourly limits for its address and its IP; False once one is over.

    The counts depend only on what was asked, never on whether the address has an account.
    """
    address = hashlib.sha256(email.encode()).hexdigest()
    keys = {
        "address": f"accounts:verification-resend:address:{address}",
        # The client IP as the sign-in lock-out reads it (behind PROXY_COUNT proxies, from X-Forwarded-For).
        "ip": f"accounts:verification-resend:ip:{get_client_ip_address(request) or ''}",
    }
    allowed = True
    for kind, key in keys.items():
        cache.add(key, 0, RESEND_WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RESEND_WINDOW_SECONDS)
            count = 1
        if count > settings.VERIFICATION_RESEND_LIMITS[kind]:
            allowed = False
    return allowed


@require_http_methods(["GET", "POST"])
def verification_resend(request):
    """Send the verification link again; the same answer whether or not the address has an account."""
    from helpdesk.accounts.tasks import verification_resend as resend_task

    form = VerificationResendForm(request.POST or None, initial={"email": request.session.get("signup_email", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not _resend_allowed(request, email):
            return render(request, "accounts/verification_resend.html", {"form": form, "limited": True}, status=429)
        transaction.on_commit(lambda: resend_task.delay(email=email))
        return render(request, "accounts/verification_resend.html", {"form": None, "sent_to": email})
    return render(request, "accounts/verification_resend.html", {"form": form})


def _user_from_uid(uidb64):
    try:
        return User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@require_http_methods(["GET", "POST"])
def verify_email(request, uidb64, token):
    """GET shows a button; only the POST activates, so a mail scanner that follows links verifies nothing."""
    user = _user_from_uid(uidb64)
    if user is not None and user.is_active and user.email_verified_at:
        messages.info(request, _("Your e-mail address is already verified. Sign in to continue."))
        return redirect("accounts:login")
    valid = user is not None and email_verification_token.check_token(user, token)
    if request.method == "POST" and valid:
        user = services.customer_verify_email(user=user, token=token)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if user.organization_id:
            messages.success(
                request,
                _("Welcome! Your e-mail address is verified and you have joined %(organization)s.")
                % {"organization": user.organization.name},
            )
        else:
            messages.success(request, _("Welcome! Your e-mail address is verified."))
        return redirect("portal-home")
    return render(request, "accounts/verify_email.html", {"valid": valid, "candidate": user if valid else None},
                  status=200 if valid else 400)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


def _safe_next(request, fallback="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return redirect(fallback).url


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of signing in, for a person with an authenticator."""
    if request.user.is_verified():
        return redirect(_safe_next(request))
    if not two_factor.has_two_factor(request.user):  # e.g. an admin removed the authenticator meanwhile
        request.session[two_factor.NEEDS_CODE_KEY] = False
        return redirect(_safe_next(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, token=form.cleaned_data["code"]):
            left = two_factor.recovery_codes_left(request.user)
            if left <= 3:
                messages.warning(request, _("You have %(count)d recovery codes left. Make new ones on the "
                                            "two-factor page.") % {"count": left})
            return redirect(_safe_next(request))
        if not request.user.is_authenticated:  # too many wrong codes: the sign-in starts again
            messages.error(request, _("Too many wrong codes. Sign in again."))
            return redirect("accounts:login")
        form.add_error("code", _("That code is not right, or it has expired. Try the code shown now."))
    return render(request, "accounts/two_factor_verify.html",
                  {"form": form, "next": request.GET.get("next", "")}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Add an authenticator app, make new recovery codes, or turn the second factor off."""
    user = request.user
    enabled = two_factor.has_two_factor(user)
    action = request.POST.get("action", "")
    if request.method == "POST" and enabled and action == "renew":
        codes = two_factor.recovery_codes_renew(user=user)
        return render(request, "accounts/two_factor_codes.html", {"codes": codes})
    if request.method == "POST" and enabled and action == "disable":
        if two_factor.required_for(user):
            messages.error(request, _("Staff must keep a second factor. Set up a new authenticator instead."))
            return redirect("accounts:two-factor-setup")
        two_factor.two_factor_disable(user=user)
        request.session[two_factor.NEEDS_CODE_KEY] = False
        messages.success(request, _("Two-factor sign-in is off. Signing in takes only your password now."))
        return redirect("accounts:two-factor-setup")
    if enabled and action != "replace" and request.method == "GET" and "replace" not in request.GET:
        return render(request, "accounts/two_factor_setup.html",
                      {"enabled": True, "codes_left": two_factor.recovery_codes_left(user)})
    device = two_factor.pending_authenticator(user)
    form = TwoFactorCodeForm(request.POST if action == "confirm" else None)
    if device is not None and action == "confirm" and form.is_valid():
        codes = two_factor.authenticator_confirm(device=device, token=form.cleaned_data["code"])
        if codes is not None:
            two_factor.verify_confirmed(request, device=device)
            return render(request, "accounts/two_factor_codes.html", {"codes": codes, "new": True})
        form.add_error("code", _("That code is not right. Check the time on your phone and try the code shown now."))
    if device is None or action != "confirm":
        device = two_factor.authenticator_start(user=user)
    return render(request, "accounts/two_factor_setup.html", {
        "enabled": enabled, "form": form, "qr": two_factor.qr_data_uri(device), "secret": _base32(device.bin_key),
        "required": request.GET.get("required") == "1",
    }, status=400 if form.errors else 200)


def _base32(key: bytes) -> str:
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))
