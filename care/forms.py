"""The forms of customer care: logging a check-in, closing a follow-up, churning or reactivating an organisation."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from care.models import CareTask
from care.selectors import active_churn_reasons
from helpdesk.forms import InputLimitsMixin


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
