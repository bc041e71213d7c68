from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.models import User, normalize_email, timezone_choices
from helpdesk.forms import InputLimitsMixin


class LoginForm(InputLimitsMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    remember = forms.BooleanField(
        label=_("Remember me on this device"),
        required=False,
        help_text=_("Leave this off on a shared computer: you are then signed out when the browser closes."),
    )

    error_messages = {
        "invalid_login": _("That e-mail address and password do not match. Check both and try again."),
        "inactive": _("This account is not active yet. Follow the link in the e-mail we sent you to activate it."),
    }

    def clean_username(self):
        return normalize_email(self.cleaned_data["username"])

    def get_invalid_login_error(self):
        # Someone who knows the password of an account that is not verified yet is told why it fails.
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        pending = User.objects.filter(email__iexact=username or "", is_active=False).first()
        if pending is not None and password and pending.check_password(password):
            return forms.ValidationError(self.error_messages["inactive"], code="inactive")
        return super().get_invalid_login_error()


class SignUpForm(InputLimitsMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Work e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Confirm password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    # The browser's own zone is preset by static/js/signup.js; without JavaScript it stays at TIME_ZONE, and
    # a form sent without one gets TIME_ZONE too. A zone that does not exist is refused, never stored.
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        initial=settings.TIME_ZONE,
        required=False,
        widget=forms.Select(attrs={"data-browser-timezone": "preset"}),
        help_text=_("Dates and times are shown to you in this time zone. You can change it later in your profile."),
        error_messages={"invalid_choice": _("“%(value)s” is not a time zone we know. Choose yours from the list.")},
    )

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def clean_timezone(self):
        return self.cleaned_data["timezone"] or settings.TIME_ZONE

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        # Every problem with the password is shown at once: a mismatch does not hide what the validators say.
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        if password1:
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class VerificationResendForm(InputLimitsMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={"required": _("Enter the e-mail address you signed up with.")},
    )

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])


class ProfileForm(InputLimitsMixin, forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)

    class Meta:
        model = User
        fields = ["name", "locale", "timezone"]


class OutboxPasswordResetForm(InputLimitsMixin, PasswordResetForm):
    """Django's reset form, with the sending done by the worker.

    The page answers at once and the same way for every address: looking the address up, making the
    link and writing the e-mail happen in ``password_reset_send``, after the response.
    """

    def save(self, **kwargs):
        from helpdesk.accounts.tasks import password_reset_send

        email = self.cleaned_data["email"]
        transaction.on_commit(lambda: password_reset_send.delay(email=email))


class TwoFactorCodeForm(InputLimitsMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false",
                                      "autocapitalize": "off"}),
        error_messages={"required": _("Enter the code.")},
    )
