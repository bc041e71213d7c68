"""Forms of after-sales service: one per action, in the portal and in the desk."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aftersales.eligibility import eligibility_choices_for
from aftersales.models import Product, ServiceRequest
from aftersales.selectors import technicians
from helpdesk.forms import InputLimitsMixin
from tickets.attachments import check_upload
from tickets.forms.desk import MultipleFileField as DeskFileField
from tickets.forms.portal import AttachmentsFormMixin, attachments_field

Kind = ServiceRequest.Kind

KIND_HELP = {
    Kind.REPAIR: _("Something is broken or does not work as it should."),
    Kind.REPLACEMENT: _("The product is faulty beyond repair, or arrived damaged."),
    Kind.REFUND: _("You want your money back, within the product's refund window."),
    Kind.ONSITE: _("A technician comes to your site: give the address below."),
    Kind.CONSULTATION: _("You want advice from an engineer on set-up or use."),
}


class KindSelect(forms.RadioSelect):
    """Radio buttons whose labels carry a one-line explanation of each kind."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["help"] = KIND_HELP.get(value, "")
        return option


# ---------------------------------------------------------------- portal


class PurchaseRegisterForm(InputLimitsMixin, forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none(), empty_label=_("Choose a product…"),
        error_messages={"invalid_choice": _("Choose one of the products in the list.")},
    )
    serial_number = forms.CharField(
        label=_("Serial number"), max_length=100,
        help_text=_("On the label under the device, or in the licence e-mail (e.g. SG-2041-88731)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    purchase_date = forms.DateField(
        label=_("Purchase date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date on your invoice. Your warranty counts from it."),
    )
    order_reference = forms.CharField(label=_("Order reference"), max_length=100, required=False,
                                      help_text=_("Optional: the order or invoice number."))
    proof = forms.FileField(
        label=_("Proof of purchase"), required=False,
        help_text=_("Optional: a PDF or photo of the invoice. It helps if the purchase date is ever in doubt."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.gif,.webp"}),
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_active=True).order_by("name")
        if today is not None:
            self.fields["purchase_date"].widget.attrs["max"] = today.isoformat()

    def clean_serial_number(self):
        serial = " ".join(self.cleaned_data["serial_number"].split())
        if not serial:
            raise ValidationError(_("Enter the serial number."))
        return serial

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if proof:
            check_upload(proof)  # by its bytes: type allowlist and size
        return proof


class ServiceRequestForm(InputLimitsMixin, AttachmentsFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What do you need?"), choices=Kind.choices, widget=KindSelect,
                             error_messages={"required": _("Choose what kind of service you need.")})
    description = forms.CharField(
        label=_("Describe the problem"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happens, since when, and what you have tried. Error messages help a lot."),
        error_messages={"required": _("Describe the problem or what you need.")},
    )
    onsite_address = forms.CharField(
        label=_("On-site address"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Street, building, floor and a contact on site. Needed for on-site service."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = attachments_field(_("Photos, logs or documents"))

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if not description:
            raise ValidationError(_("Describe the problem or what you need."))
        return description

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Kind.ONSITE and not (cleaned.get("onsite_address") or "").strip():
            self.add_error("onsite_address", _("Give the address where the technician should come."))
        return cleaned


class ServiceReplyForm(InputLimitsMixin, AttachmentsFormMixin, forms.Form):
    """The customer writes to the service team on a request they already sent."""

    text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000,
        help_text=_("Add details, answer a question from the technician, or send photos and logs."),
        error_messages={"required": _("Write a message first.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reply_%s")
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = attachments_field(_("Attach files"))

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write a message first."))
        return text


# ---------------------------------------------------------------- desk


class VersionedForm(InputLimitsMixin, forms.Form):
    """Every form on the request page carries the version it was loaded with."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    prefix_id = ""

    def __init__(self, *args, service_request=None, **kwargs):
        if service_request is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"].setdefault("version", service_request.version)
        if self.prefix_id:
            kwargs.setdefault("auto_id", f"{self.prefix_id}_%s")
        super().__init__(*args, **kwargs)
        self.service_request = service_request


class StartReviewForm(VersionedForm):
    prefix_id = "review"


class EligibilityFormMixin:
    def _set_eligibility_choices(self):
        service_request = self.service_request
        field = self.fields["eligibility"]
        field.choices = eligibility_choices_for(service_request.kind)
        field.initial = service_request.eligibility


class ApproveForm(EligibilityFormMixin, VersionedForm):
    prefix_id = "approve"
    eligibility = forms.ChoiceField(label=_("Eligibility"), widget=forms.RadioSelect,
                                    help_text=_("Assessed from the purchase date when the request came in."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_eligibility_choices()


class RejectForm(EligibilityFormMixin, VersionedForm):
    prefix_id = "reject"
    eligibility = forms.ChoiceField(label=_("Eligibility"))
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
        help_text=_("The customer reads it in the e-mail and in the portal."),
        error_messages={"required": _("Give the reason for the rejection: the customer reads it.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_eligibility_choices()

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason for the rejection: the customer reads it."))
        return reason


class QuoteForm(VersionedForm):
    prefix_id = "quote"
    amount = forms.DecimalField(label=_("Amount"), min_value=0.01, max_digits=10, decimal_places=2,
                                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    currency = forms.ChoiceField(label=_("Currency"), choices=ServiceRequest.Currency.choices,
                                 initial=ServiceRequest.Currency.EUR)
    note = forms.CharField(label=_("What the quote covers"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Parts, labour, shipping… The customer reads it with the quote."))
    reason = forms.CharField(
        label=_("Why is this service paid?"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed while the product is under warranty (e.g. damage the warranty does not cover). "
                    "The customer reads it with the quote; the eligibility stays as it is."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.service_request is not None and self.service_request.quote_needs_reason:
            self.fields["reason"].widget.attrs["aria-required"] = "true"

    def clean(self):
        cleaned = super().clean()
        if (self.service_request is not None and self.service_request.quote_needs_reason
                and not (cleaned.get("reason") or "").strip()):
            self.add_error("reason", _("This product is under warranty: say why this service is paid all the "
                                       "same. The customer reads it with the quote."))
        return cleaned


class AssignForm(VersionedForm):
    prefix_id = "assign"
    technician = forms.ModelChoiceField(label=_("Technician"), queryset=None, required=False,
                                        empty_label=_("Nobody yet"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians()
        if self.service_request is not None and not self.is_bound:
            self.fields["technician"].initial = self.service_request.technician_id


class LogForm(VersionedForm):
    PUBLIC = "public"
    INTERNAL = "internal"
    prefix_id = "log"

    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=[(PUBLIC, _("Public: the customer sees it")),
                                        (INTERNAL, _("Internal: the team only"))],
        initial=INTERNAL, widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("Log entry"), widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": _("Write what was done or found.")})
    files = DeskFileField(label=_("Files"))

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write what was done or found."))
        return text

    @property
    def internal(self) -> bool:
        return self.cleaned_data.get("visibility") != self.PUBLIC


class StartServiceForm(VersionedForm):
    prefix_id = "start"


class CompleteForm(VersionedForm):
    prefix_id = "complete"
    work_done = forms.CharField(label=_("Work done"), widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("The customer reads this report."),
                                error_messages={"required": _("Describe the work done: the customer reads it.")})
    parts_replaced = forms.CharField(label=_("Parts replaced"), required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    replacement_serial = forms.CharField(label=_("Serial number of the replacement"), required=False,
                                         max_length=100, help_text=_("Needed for a replacement."))

    def clean(self):
        cleaned = super().clean()
        if (self.service_request is not None and self.service_request.kind == Kind.REPLACEMENT
                and not (cleaned.get("replacement_serial") or "").strip()):
            self.add_error("replacement_serial", _("Give the serial number of the replacement product."))
        return cleaned


class CloseForm(VersionedForm):
    prefix_id = "close"


class ConvertTicketForm(InputLimitsMixin, forms.Form):
    """Turn a ticket into a service request on one of its requester's purchases."""

    purchase = forms.ModelChoiceField(label=_("Purchase"), queryset=None, empty_label=_("Choose a purchase…"),
                                      error_messages={"invalid_choice": _("Pick one of the requester's purchases.")})
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.REPAIR)
    onsite_address = forms.CharField(label=_("On-site address"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}),
                                     help_text=_("Needed for on-site service."))

    def __init__(self, *args, purchases, **kwargs):
        kwargs.setdefault("auto_id", "convert_%s")
        super().__init__(*args, **kwargs)
        self.fields["purchase"].queryset = purchases
        self.fields["purchase"].label_from_instance = lambda purchase: (
            f"{purchase.product.name} · {purchase.serial_number} ({purchase.purchase_date:%Y-%m-%d})"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Kind.ONSITE and not (cleaned.get("onsite_address") or "").strip():
            self.add_error("onsite_address", _("Give the address where the technician should come."))
        return cleaned


class PurchaseImportForm(InputLimitsMixin, forms.Form):
    csv_file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with a header row: customer e-mail, product SKU, serial number, purchase date "
                    "(YYYY-MM-DD), order reference. Nothing is imported unless every row is valid."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
