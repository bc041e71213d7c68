from django import forms
from django.utils.translation import gettext_lazy as _

from assist.models import TARGETS, AnswerUse


class ThresholdForm(forms.Form):
    """One confidence threshold per target: above it assist sets the value on a new ticket."""

    def __init__(self, *args, initial_thresholds=None, **kwargs):
        super().__init__(*args, **kwargs)
        for target in TARGETS:
            self.fields[target] = forms.FloatField(
                label=target, min_value=0.5, max_value=1.0, initial=(initial_thresholds or {}).get(target, 0.9),
                help_text=_("1.0 never sets it: assist only suggests."),
                widget=forms.NumberInput(attrs={"step": "0.01"}))


class SuggestionForm(forms.Form):
    suggestion = forms.IntegerField(min_value=1)


class AnswerUseForm(forms.Form):
    source = forms.ChoiceField(choices=AnswerUse.Source.choices)
    source_id = forms.IntegerField(min_value=1)
