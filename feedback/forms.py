"""One form per action."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from feedback.models import Feedback, Improvement, ProductArea, Question, Survey
from helpdesk.forms import InputLimitsMixin
from tickets.attachments import check_uploads


class SurveyAnswerForm(InputLimitsMixin, forms.Form):
    """The survey page: one field per question, in the recipient's language, plus a comment."""

    def __init__(self, *args, survey, language, questions=None, **kwargs):
        """``questions``: the survey's own when left out; the builder's preview passes unsaved ones."""
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.question_fields = []
        questions = list(survey.questions.all()) if questions is None else list(questions)
        score_question = next((q for q in questions if q.kind == Question.Kind.RATING), None)
        for index, question in enumerate(questions):
            name = f"q{question.pk}" if question.pk else f"new{index}"
            label = question.text_for(language)
            if question.kind == Question.Kind.RATING:
                field = forms.TypedChoiceField(
                    label=label, coerce=int, widget=forms.RadioSelect,
                    choices=[(score, str(score)) for score in survey.score_choices()],
                    required=question.required or question == score_question,
                    error_messages={"required": _("Choose a score.")},
                )
                field.is_rating = True
            elif question.kind == Question.Kind.CHOICE:
                field = forms.ChoiceField(label=label, widget=forms.RadioSelect, choices=question.choices_for(language),
                                          required=question.required)
            else:
                field = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 3}),
                                        required=question.required, max_length=5000)
            self.fields[name] = field
            self.question_fields.append((question, name))
        self.fields["comment"] = forms.CharField(
            label=_("Anything else you would like to tell us?"), required=False, max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}))

    def answers(self) -> dict:
        return {question.pk: self.cleaned_data.get(name) for question, name in self.question_fields}


class RateTicketForm(InputLimitsMixin, forms.Form):
    score = forms.TypedChoiceField(label=_("Your rating"), coerce=int, choices=[])
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = [(score, str(score)) for score in survey.score_choices()]


SCORE_CHOICES = [("", _("No score")), *[(n, str(n)) for n in range(1, 6)]]


class FeedbackForm(InputLimitsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What kind of feedback?"), choices=Feedback.Kind.choices,
                             widget=forms.RadioSelect)
    area = forms.ModelChoiceField(label=_("Which part of the product?"), queryset=ProductArea.objects.none(),
                                  required=False, empty_label=_("Not sure / other"))
    text = forms.CharField(label=_("Your feedback"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("What happened, what you expected, or what you would like."))
    score = forms.TypedChoiceField(label=_("How happy are you with this part, from 1 to 5? (optional)"),
                                   choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False)
    screenshot = forms.FileField(label=_("Screenshot (optional)"), required=False,
                                 help_text=_("A PNG, JPEG or similar image."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ProductArea.objects.filter(is_active=True)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < 5:
            raise ValidationError(_("Tell us a little more (at least 5 characters)."))
        return text

    def clean_screenshot(self):
        upload = self.cleaned_data.get("screenshot")
        if not upload:
            return None
        checked = check_uploads([upload])[0]
        if not checked[2].startswith("image/"):
            raise ValidationError(_("A screenshot must be an image (PNG, JPEG, GIF or WebP)."))
        return checked


class FeedbackTriageForm(InputLimitsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Feedback.Status.choices)
    tags = forms.CharField(label=_("Tags"), required=False, max_length=500,
                           help_text=_("Separate tags with commas."))

    def tag_names(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]


class DuplicateForm(InputLimitsMixin, forms.Form):
    original = forms.IntegerField(label=_("Duplicate of feedback number"), min_value=1)

    def __init__(self, *args, feedback=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.feedback = feedback

    def clean_original(self):
        number = self.cleaned_data["original"]
        original = Feedback.objects.filter(pk=number).first()
        if original is None:
            raise ValidationError(_("There is no feedback #%(number)s.") % {"number": number})
        if self.feedback is not None and original.pk == self.feedback.pk:
            raise ValidationError(_("An item cannot be a duplicate of itself."))
        return original


class LinkToImprovementForm(InputLimitsMixin, forms.Form):
    improvement = forms.ModelChoiceField(label=_("Improvement"), queryset=Improvement.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["improvement"].queryset = Improvement.objects.exclude(status=Improvement.Status.VERIFIED)


class LinkFeedbackForm(InputLimitsMixin, forms.Form):
    numbers = forms.CharField(label=_("Feedback numbers"), max_length=500,
                              help_text=_("For example: 12, 15, 31"))

    def clean_numbers(self):
        raw = self.cleaned_data["numbers"].replace("#", " ").replace(",", " ").split()
        if not raw or not all(part.isdigit() for part in raw):
            raise ValidationError(_("Enter feedback numbers separated by commas."))
        wanted = {int(part) for part in raw}
        items = list(Feedback.objects.filter(pk__in=wanted))
        missing = wanted - {item.pk for item in items}
        if missing:
            raise ValidationError(_("There is no feedback %(numbers)s.")
                                  % {"numbers": ", ".join(f"#{n}" for n in sorted(missing))})
        return items


class ImprovementForm(InputLimitsMixin, forms.ModelForm):
    class Meta:
        model = Improvement
        fields = ["title", "description", "area"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ImprovementMoveForm(InputLimitsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=Improvement.Status.choices)


class VerifyForm(InputLimitsMixin, forms.Form):
    metric_name = forms.CharField(label=_("Metric"), max_length=100)
    before_value = forms.DecimalField(label=_("Before"), max_digits=12, decimal_places=2)
    after_value = forms.DecimalField(label=_("After"), max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SurveyForm(InputLimitsMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["name", "kind", "scale", "trigger", "delay_hours", "period_days", "queue", "product", "expiry_days",
                  "is_active"]


def _lines(text) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(InputLimitsMixin, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["order", "kind", "text_en", "text_zh_hans", "choices_en", "choices_zh_hans", "required"]
        widgets = {"choices_en": forms.Textarea(attrs={"rows": 2}),
                   "choices_zh_hans": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The place in the survey; the arrows set it, a question left without one goes last.
        self.fields["order"].required = False
        if not self.instance.pk:
            self.initial["order"] = None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Question.Kind.CHOICE:
            english = _lines(cleaned.get("choices_en"))
            if len(english) < 2:
                self.add_error("choices_en", _("A single-choice question needs at least two choices, one a line."))
            chinese = _lines(cleaned.get("choices_zh_hans"))
            if chinese and len(chinese) != len(english):
                self.add_error("choices_zh_hans", _("Give as many Chinese choices as English ones, in the same order."))
        return cleaned


class BaseQuestionFormSet(forms.BaseInlineFormSet):
    """The builder's questions: added, removed and reordered on one page, saved together or not at all."""

    def kept_forms(self) -> list:
        """The forms of the questions that stay, in the order the manager gave them (ties: page order)."""
        kept = [form for form in self.forms
                if form.has_changed() or form.instance.pk]
        kept = [form for form in kept if not (self.can_delete and self._should_delete_form(form))]
        def place(form):
            order = form.cleaned_data.get("order")
            return (order is None, order or 0, self.forms.index(form))

        return sorted(kept, key=place)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.kept_forms():
            raise ValidationError(_("A survey needs at least one question."))

    def questions(self) -> list[Question]:
        """The questions as they would be saved, unsaved: what the preview shows."""
        return [form.instance for form in self.kept_forms()]

    def save(self, commit=True):
        """Numbered 1, 2, 3 … in the order given, so the customer sees them so."""
        kept = self.kept_forms()
        for number, form in enumerate(kept, start=1):
            form.instance.order = number
            form.cleaned_data["order"] = number
        saved = super().save(commit=commit)
        if commit:  # a question moved but not edited is not saved by the formset itself
            for form in kept:
                if form.instance.pk:
                    form.instance.save(update_fields=["order"])
        return saved


QuestionFormSet = inlineformset_factory(
    Survey, Question, form=QuestionForm, formset=BaseQuestionFormSet, extra=1, can_delete=True,
)
