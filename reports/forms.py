"""The dashboards' date range and filters (GET forms), and the "recompute now" form.

One form per page: the range fields first, then the page's filters. A bad range shows its error
on the form and the page falls back to the default period; a bad filter is dropped the same way.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.models import Product
from feedback.models import Feedback, ProductArea, Survey
from helpdesk.accounts.models import Organization, User
from helpdesk.accounts.roles import Role
from helpdesk.forms import InputLimitsMixin
from reports.clock import report_today
from reports.selectors import Period
from tickets.models import Priority, Queue

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 365 + 1  # three years, a leap day included
CUSTOM = "custom"
# Every preset ends today: its figures are at most 10 minutes old.
PRESETS = [("1", _("Today")), ("7", _("Last 7 days")), ("30", _("Last 30 days")), ("90", _("Last 90 days")),
           (CUSTOM, _("Custom"))]
SERVICE_LEVELS = [("0.5", "50 %"), ("0.8", "80 %"), ("0.9", "90 %"), ("0.95", "95 %"), ("0.99", "99 %")]
DEFAULT_SERVICE_LEVEL = "0.99"

RANGE_FIELDS = ("preset", "date_from", "date_to")


def _select():
    return forms.Select(attrs={"class": "form-select form-select-sm"})


def _date():
    return forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d")


class ReportForm(InputLimitsMixin, forms.Form):
    """The date range every page has. ``period`` and ``filters`` are usable whatever the input."""

    preset = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False, widget=_select())
    date_from = forms.DateField(label=pgettext_lazy("first day of a report range", "From"), required=False,
                                widget=_date())
    date_to = forms.DateField(label=pgettext_lazy("last day of a report range", "To"), required=False,
                              widget=_date())

    filter_fields: tuple[str, ...] = ()

    def __init__(self, data=None, *args, **kwargs):
        self.today = kwargs.pop("today", None) or report_today()
        data = data.copy() if data is not None else {}
        # Dates without a preset mean a custom range; no input at all means the default preset.
        if not data.get("preset"):
            data["preset"] = CUSTOM if (data.get("date_from") or data.get("date_to")) else str(DEFAULT_DAYS)
        super().__init__(data, *args, **kwargs)
        self.period = Period.last(DEFAULT_DAYS, today=self.today)
        self.filters: dict = {}
        self.full_clean()
        if not self._range_errors():
            self.period = self.cleaned_data.get("period", self.period)
        self.filters = {name: self.cleaned_data[name] for name in self.filter_fields
                        if name not in self.errors and self.cleaned_data.get(name) not in (None, "")}
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}_error"
        # Show the dates the page really covers.
        if self.data.get("preset") != CUSTOM or self._range_errors():
            self.data = self.data.copy()
            if not self._range_errors():
                self.data["date_from"] = self.period.start.isoformat()
                self.data["date_to"] = self.period.end.isoformat()

    def _range_errors(self) -> bool:
        return any(name in self.errors for name in (*RANGE_FIELDS, "__all__"))

    def clean(self):
        data = super().clean()
        preset = data.get("preset") or str(DEFAULT_DAYS)
        if preset != CUSTOM:
            data["period"] = Period.last(int(preset), today=self.today)
            return data
        start, end = data.get("date_from"), data.get("date_to")
        if "date_from" in self.errors or "date_to" in self.errors:
            return data
        if start is None:
            self.add_error("date_from", _("Enter the first day of the range."))
        if end is None:
            self.add_error("date_to", _("Enter the last day of the range."))
        if start is None or end is None:
            return data
        if start > self.today:
            self.add_error("date_from", _("The range cannot start in the future."))
        if end > self.today:
            self.add_error("date_to", _("The range cannot end in the future."))
        if start > end:
            self.add_error("date_to", _("The last day must be on or after the first day."))
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error("date_from", _("A range can cover at most three years."))
        if not self.errors:
            data["period"] = Period(start, end)
        return data

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, value) of each filter in use, for the page header and its printout."""
        active = []
        for name, value in self.filters.items():
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                shown = str(value)
            else:
                shown = str(dict(field.choices).get(str(value), dict(field.choices).get(value, value)))
            active.append((str(field.label), shown))
        return active

    @property
    def range_label(self) -> str:
        return _("%(start)s – %(end)s") % {"start": self.period.start, "end": self.period.end}


def queue_field():
    return forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.order_by("ordering", "name"),
                                  required=False, empty_label=_("All queues"), widget=_select())


def priority_field():
    return forms.ChoiceField(label=_("Priority"), choices=[("", _("All priorities")), *Priority.choices],
                             required=False, widget=_select())


def product_field():
    return forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.order_by("name"), required=False,
                                  empty_label=_("All products"), widget=_select())


class OverviewForm(ReportForm):
    queue = queue_field()
    filter_fields = ("queue",)


class SupportForm(ReportForm):
    queue = queue_field()
    priority = priority_field()
    filter_fields = ("queue", "priority")


class SlaForm(SupportForm):
    pass


class SatisfactionForm(ReportForm):
    kind = forms.ChoiceField(label=_("Survey kind"), choices=[("", _("All kinds")), *Survey.Kind.choices],
                             required=False, widget=_select())
    product = product_field()
    filter_fields = ("kind", "product")


class AfterSalesForm(ReportForm):
    product = product_field()
    technician = forms.ModelChoiceField(
        label=_("Technician"), required=False, empty_label=_("All technicians"), widget=_select(),
        queryset=User.objects.filter(groups__name__in=[Role.AGENT, Role.MANAGER]).distinct().order_by("name",
                                                                                                      "email"))
    filter_fields = ("product", "technician")


class ChurnForm(ReportForm):
    tier = forms.ChoiceField(label=_("Tier"), choices=[("", _("All tiers")), *Organization.Tier.choices],
                             required=False, widget=_select(),
                             help_text=_("Narrows the lists of organisations; the monthly rate covers all."))
    filter_fields = ("tier",)


class ResponseTimeForm(ReportForm):
    level = forms.TypedChoiceField(label=_("Service level"), choices=SERVICE_LEVELS, coerce=float, required=False,
                                   empty_value=float(DEFAULT_SERVICE_LEVEL), widget=_select())
    priority = priority_field()
    filter_fields = ("level", "priority")

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("level", DEFAULT_SERVICE_LEVEL)
        super().__init__(data, *args, **kwargs)
        self.filters.setdefault("level", float(DEFAULT_SERVICE_LEVEL))


class KnowledgeForm(ReportForm):
    pass


class FeedbackForm(ReportForm):
    area = forms.ModelChoiceField(label=_("Product area"), queryset=ProductArea.objects.order_by("name"),
                                  required=False, empty_label=_("All areas"), widget=_select())
    feedback_kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Feedback.Kind.choices],
                                      required=False, widget=_select())
    filter_fields = ("area", "feedback_kind")


class RecomputeForm(InputLimitsMixin, forms.Form):
    """The range shown on the page, posted by the "recompute now" button."""

    date_from = forms.DateField()
    date_to = forms.DateField()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The last day must be on or after the first day."))
            if end > report_today():
                raise forms.ValidationError(_("The range cannot end in the future."))
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(_("A range can cover at most three years."))
        return data
