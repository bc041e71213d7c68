"""Forms of the customer portal: one per action."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helpdesk.forms import InputLimitsMixin
from tickets.attachments import allowed_extensions, check_uploads
from tickets.models import Queue
from tickets.products import products_for


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``; the checks on their bytes happen in the form."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        # An empty file is reported by check_uploads, with its name.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads if upload]


def attachments_field(label):
    limits = _("Up to %(count)d files of %(size)s each, %(total)s in all: screenshots and photos, PDF, text and "
               "log files, Office documents, ZIP archives.")
    return MultipleFileField(
        label=label,
        help_text=limits % {
            "count": settings.ATTACHMENT_MAX_FILES, "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            "total": filesizeformat(settings.UPLOAD_MAX_REQUEST_BYTES),
        },
        widget=MultipleFileInput(attrs={"accept": ",".join(allowed_extensions())}),
    )


class AttachmentsFormMixin:
    """Check the chosen files by their bytes, so a refused file is reported next to the file field."""

    def clean(self):
        cleaned = super().clean()
        uploads = cleaned.get("attachments") or []
        if uploads and "attachments" not in self.errors:
            try:
                check_uploads(uploads)
            except ValidationError as error:
                self.add_error("attachments", error)
        return cleaned


IMPACT_CHOICES = [
    ("low", _("Only me")),
    ("medium", _("Several people or a team")),
    ("high", _("Everyone in our organisation")),
]
URGENCY_CHOICES = [
    ("low", _("It can wait a few days")),
    ("medium", _("Soon: it slows our work down")),
    ("high", _("Now: our work is blocked")),
]


class TicketCreateForm(InputLimitsMixin, AttachmentsFormMixin, forms.Form):
    subject = forms.CharField(
        label=_("Subject"), max_length=200,
        help_text=_("One line that sums up the problem, e.g. “Invoices export stops at 1,000 rows”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Description"),
        help_text=_("What happened, what you expected, the steps that lead to it, and any error message."),
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Queue.objects.none(), empty_label=_("Choose a category…"),
        error_messages={"invalid_choice": _("Choose one of the categories in the list.")},
    )
    registered_product = forms.ChoiceField(
        label=_("Product"), required=False,
        error_messages={"invalid_choice": _(
            "Choose one of your organisation's registered products, or leave the list empty and write the "
            "product's name below.")},
    )
    product = forms.CharField(
        label=_("Product"), max_length=200, required=False,
        help_text=_("Optional: the product or version concerned."),
    )
    impact = forms.ChoiceField(
        label=_("Who is affected?"), choices=IMPACT_CHOICES, initial="low", widget=forms.RadioSelect,
    )
    urgency = forms.ChoiceField(
        label=pgettext_lazy("ticket form", "How soon do you need a fix?"), choices=URGENCY_CHOICES,
        initial="medium", widget=forms.RadioSelect,
    )

    # Shown under both questions (the template), so that the customer knows what their answers mean.
    priority_note = _("Your two answers set the priority, and with it how soon we answer: blocked work is High "
                      "(Urgent when everyone in your organisation is blocked), slowed-down work Normal (High for "
                      "everyone), and work that can wait Low.")

    def __init__(self, *args, customer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Queue.objects.filter(is_public=True).order_by("ordering", "name")
        self.fields["attachments"] = attachments_field(_("Attachments"))
        registered = products_for(customer) if customer is not None else []
        if registered:
            self.fields["registered_product"].choices = [("", _("None of these, or not about a product")),
                                                         *registered]
            self.fields["registered_product"].help_text = _("The products your organisation registered with us.")
            self.fields["product"].label = _("Version, or another product")
            self.fields["product"].help_text = _(
                "Optional: the version concerned, or the name of a product that is not in the list.")
        else:
            # Nothing registered: the product is written by hand, as before.
            del self.fields["registered_product"]

    def clean_subject(self):
        subject = " ".join(self.cleaned_data["subject"].split())
        if not subject:
            raise ValidationError(_("Give the ticket a subject."))
        return subject

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if not description:
            raise ValidationError(_("Describe the problem."))
        return description

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("registered_product")
        if choice and "product" in cleaned:
            # The ticket records the product's name, followed by what the customer wrote (a version).
            name = dict(self.fields["registered_product"].choices)[choice]
            written = (cleaned["product"] or "").strip()
            cleaned["product"] = f"{name} · {written}"[:200] if written else name
        return cleaned


class TicketReplyForm(InputLimitsMixin, AttachmentsFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a message first.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = attachments_field(_("Attach files"))


class TicketReopenForm(InputLimitsMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is still not working? (optional)"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


STATUS_FILTERS = [
    ("all", _("All")),
    ("open", pgettext_lazy("tickets filter", "Open")),
    ("resolved", pgettext_lazy("tickets filter", "Resolved")),
    ("closed", pgettext_lazy("tickets filter", "Closed")),
]


class TicketListFilterForm(InputLimitsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200,
        widget=forms.SearchInput(
            attrs={"placeholder": _("Subject or HD-000123"), "class": "form-control"}
        ),
    )

    def clean_status(self):
        return self.cleaned_data.get("status") or "all"
