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
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices, initial=settings.TIME_ZONE)

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


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


# ---------------------------------------------------------------- customer care

from django.utils import timezone  # noqa: E402
from django.utils.formats import date_format  # noqa: E402

from helpdesk.accounts.models import CareTask  # noqa: E402


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CheckInLogForm(InputLimitsMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("How were you in touch?"), widget=forms.RadioSelect,
        choices=CareTask.Channel.choices,
        error_messages={"required": _("Choose how you were in touch: call, e-mail or meeting.")},
    )
    outcome = forms.CharField(
        label=_("Outcome"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What came out of it, in a sentence or two: happy, a problem to solve, a renewal coming up…"),
        error_messages={"required": _("Write down the outcome of the check-in.")},
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 4}))
    next_follow_up_on = forms.DateField(
        label=_("Next follow-up"), required=False, widget=DateInput(),
        help_text=_("Leave empty to let the care plan schedule the next check-in."),
    )

    def clean_next_follow_up_on(self):
        value = self.cleaned_data.get("next_follow_up_on")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("Pick a date after today."))
        return value


class FollowUpDoneForm(InputLimitsMixin, forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you did and what the customer said."),
        error_messages={"required": _("Write down what came out of the follow-up.")},
    )


def _not_in_the_future(value):
    if value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))


class OrganizationStatusForm(InputLimitsMixin, forms.Form):
    """Churn or reactivate an organisation; ``organization`` decides which of the two it is."""

    reason = forms.ModelChoiceField(label=_("Reason"), queryset=None, empty_label=_("Choose a reason"),
                                    error_messages={"required": _("Choose why the organisation left.")})
    note = forms.CharField(label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput(), validators=[_not_in_the_future])

    def __init__(self, *args, organization, last_change_on=None, **kwargs):
        from helpdesk.accounts.selectors import active_churn_reasons

        kwargs.setdefault("initial", {"effective_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.last_change_on = last_change_on
        self.churning = not organization.is_churned
        if self.churning:
            self.fields["reason"].queryset = active_churn_reasons()
            self.fields["note"].help_text = _("Anything the team should know: who told you, what would bring them "
                                              "back.")
        else:
            del self.fields["reason"]
            self.fields["note"].help_text = _("Why they are back, e.g. a new contract.")

    def clean_effective_on(self):
        value = self.cleaned_data["effective_on"]
        if self.last_change_on is not None and value < self.last_change_on:
            raise forms.ValidationError(
                _("The last status change took effect on %(date)s; pick that date or a later one.")
                % {"date": date_format(self.last_change_on, "DATE_FORMAT")})
        return value


class TwoFactorCodeForm(InputLimitsMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false",
                                      "autocapitalize": "off"}),
        error_messages={"required": _("Enter the code.")},
    )
