from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from helpdesk.accounts import services
from helpdesk.accounts.forms import LoginForm, ProfileForm, SignUpForm
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
