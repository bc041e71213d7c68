"""Forms of the agent desk: one per action (reply, properties, merge, bulk change, open on behalf)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts import selectors as account_selectors
from helpdesk.accounts.models import User
from helpdesk.accounts.roles import Role
from helpdesk.forms import InputLimitsMixin
from tickets import selectors
from tickets.attachments import allowed_extensions, check_uploads
from tickets.models import Priority, Queue, Ticket

Status = Ticket.Status


def _files_help():
    return gettext("Up to %(count)d files of at most %(size)s each, %(total)s in all: %(types)s.") % {
        "count": settings.ATTACHMENT_MAX_FILES, "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
        "total": filesizeformat(settings.UPLOAD_MAX_REQUEST_BYTES), "types": ", ".join(allowed_extensions()),
    }


files_help = lazy(_files_help, str)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by its bytes (type allowlist, size, count)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", files_help())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if files:
            check_uploads(files)  # raises ValidationError with one message per refused file
        return files


def agents_of_queue(queue):
    """Who may be assigned a ticket of ``queue``: its active agent and manager members."""
    if queue is None:
        return User.objects.none()
    return (
        User.objects.filter(ticket_queues=queue, is_active=True, groups__name__in=[Role.AGENT, Role.MANAGER])
        .distinct().order_by("name", "email")
    )


def split_tags(text: str) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


class VersionedForm(InputLimitsMixin, forms.Form):
    """Every form on the ticket page carries the ticket version it was loaded with."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReplyForm(VersionedForm):
    PUBLIC = "public"
    NOTE = "note"
    SEND = "send"
    PENDING = "pending"
    RESOLVE = "resolve"

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(PUBLIC, _("Public reply")), (NOTE, _("Internal note"))], initial=PUBLIC,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 7}), strip=False,
        error_messages={"required": _("Write a message first.")},
    )
    files = MultipleFileField(label=_("Attachments"))
    resolution_summary = forms.CharField(
        label=_("Resolution summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to resolve: what was wrong and how it was fixed. The customer sees it."),
    )
    # Set by the submit button the agent pressed; never rendered as a field.
    action = forms.ChoiceField(
        choices=[(SEND, _("Send")), (PENDING, _("Send and set pending")), (RESOLVE, _("Send and resolve"))],
        required=False, widget=forms.HiddenInput,
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise ValidationError(_("Write a message first."))
        return body

    def clean(self):
        cleaned = super().clean()
        cleaned["action"] = cleaned.get("action") or self.SEND
        if cleaned["action"] == self.RESOLVE and not (cleaned.get("resolution_summary") or "").strip():
            self.add_error("resolution_summary", _("Write a resolution summary to resolve the ticket."))
        return cleaned

    @property
    def internal(self) -> bool:
        return self.cleaned_data.get("kind") == self.NOTE

    @property
    def status(self):
        return {self.PENDING: Status.PENDING, self.RESOLVE: Status.RESOLVED}.get(self.cleaned_data.get("action"))


class TicketPropertiesForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.order_by("ordering", "name"),
                                   empty_label=None)
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=User.objects.none(), required=False,
                                      empty_label=_("Unassigned"))
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separate tags with commas."),
                           max_length=500)
    resolution_summary = forms.CharField(
        label=_("Resolution summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to resolve. The customer sees it."),
    )

    def __init__(self, *args, ticket, **kwargs):
        kwargs.setdefault("initial", {
            "status": ticket.status, "priority": ticket.priority, "queue": ticket.queue_id,
            "assignee": ticket.assignee_id, "tags": ", ".join(tag.name for tag in ticket.tags.all()),
            "version": ticket.version,
        })
        kwargs.setdefault("auto_id", "prop_%s")
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        # Picking another queue reloads the assignee list with that queue's agents.
        self.fields["queue"].widget.attrs.update({
            "hx-get": reverse("tickets:desk-detail", args=[ticket.reference]) + "?assignee_options=1",
            "hx-include": "#prop_assignee", "hx-target": "#prop_assignee", "hx-trigger": "change",
        })
        self.target_queue = self._target_queue()
        self.fields["assignee"].queryset = agents_of_queue(self.target_queue)
        self.fields["assignee"].error_messages["invalid_choice"] = _(
            "Pick an agent of the queue “%(queue)s”, or leave the ticket unassigned."
        ) % {"queue": self.target_queue.name if self.target_queue else ""}

    def _target_queue(self):
        """The queue the assignee must belong to: the one chosen in the form, else the ticket's."""
        if self.is_bound:
            try:
                return self.fields["queue"].clean(self.data.get("queue"))
            except ValidationError:
                pass
        return self.ticket.queue

    def clean_tags(self):
        names = split_tags(self.cleaned_data["tags"])
        too_long = [name for name in names if len(name) > 50]
        if too_long:
            raise ValidationError(_("A tag can be at most 50 characters: %(tag)s") % {"tag": too_long[0]})
        return names

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("status") == Status.RESOLVED and self.ticket.status != Status.RESOLVED
                and not (cleaned.get("resolution_summary") or "").strip()):
            self.add_error("resolution_summary", _("Write a resolution summary to resolve the ticket."))
        return cleaned


class MergeForm(VersionedForm):
    target = forms.CharField(
        label=_("Merge into ticket"), max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "HD-000123", "autocomplete": "off"}),
        help_text=_("This ticket's messages move there, and this ticket is closed."),
    )
    confirm_requesters = forms.BooleanField(
        label=_("Both people may read the whole conversation"), required=False,
        help_text=_("Needed when the tickets are from two people of the same organisation."),
    )

    def __init__(self, *args, ticket, user, **kwargs):
        kwargs.setdefault("initial", {"version": ticket.version})
        kwargs.setdefault("auto_id", "merge_%s")
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        self.user = user

    def clean_target(self):
        reference = self.cleaned_data["target"].strip()
        try:
            target = selectors.ticket_for_user(self.user, reference)
        except Http404:
            raise ValidationError(
                _("There is no ticket %(reference)s in your queues.") % {"reference": reference}
            ) from None
        if target.pk == self.ticket.pk:
            raise ValidationError(_("A ticket cannot be merged into itself."))
        return target


class IdListField(forms.Field):
    """The ids of the rows ticked in the list (``<input type=checkbox name=tickets value=…>``)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        ids = []
        for item in value or []:
            try:
                ids.append(int(item))
            except (TypeError, ValueError):
                continue
        return ids


class BulkUpdateForm(InputLimitsMixin, forms.Form):
    ME = "me"
    NONE = "none"

    tickets = IdListField(label=_("Tickets"), required=False)
    assignee = forms.ChoiceField(label=_("Assign"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("No change")), *Status.choices])
    priority = forms.ChoiceField(label=_("Priority"), required=False,
                                 choices=[("", _("No change")), *Priority.choices])
    add_tag = forms.CharField(label=_("Add tag"), required=False, max_length=50)
    resolution_summary = forms.CharField(
        label=_("Resolution summary"), required=False, max_length=2000,
        help_text=_("Needed to resolve the selected tickets."),
    )

    def __init__(self, *args, user, agents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        agents = agents if agents is not None else []
        self.fields["assignee"].choices = [
            ("", _("No change")), (self.ME, _("Me")), (self.NONE, _("Unassign")),
            *[(str(agent.pk), agent.get_full_name() or agent.email) for agent in agents if agent.pk != user.pk],
        ]
        self.agents = {str(agent.pk): agent for agent in agents}

    def clean_tickets(self):
        ids = self.cleaned_data["tickets"]
        # Only tickets the agent may see; anything else posted is ignored.
        tickets = list(selectors.desk_ticket_list(self.user).filter(pk__in=ids)) if ids else []
        if not tickets:
            raise ValidationError(_("Tick at least one ticket in the list."))
        return tickets

    def clean_add_tag(self):
        return self.cleaned_data["add_tag"].strip().strip(",")

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in ("assignee", "status", "priority", "add_tag")):
            raise ValidationError(_("Choose what to change: assignee, status, priority or a tag."))
        if cleaned.get("status") == Status.RESOLVED and not (cleaned.get("resolution_summary") or "").strip():
            self.add_error("resolution_summary", _("Write a resolution summary to resolve the tickets."))
        return cleaned

    def changes(self) -> dict:
        """Keyword arguments for ``services.tickets_bulk_update``."""
        data = self.cleaned_data
        changes = {"status": data["status"] or None, "priority": data["priority"] or None,
                   "add_tag": data["add_tag"], "resolution_summary": data["resolution_summary"]}
        if data["assignee"] == self.ME:
            changes["assignee"] = self.user
        elif data["assignee"] == self.NONE:
            changes["assignee"] = None
        elif data["assignee"]:
            changes["assignee"] = self.agents[data["assignee"]]
        return changes


class TicketOnBehalfForm(InputLimitsMixin, forms.Form):
    """An agent opens a ticket for a customer who called."""

    customer_email = forms.EmailField(
        label=_("Customer e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("An existing customer's address."),
    )
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.none(), empty_label=None)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 8}),
                                  help_text=_("What the customer told you, in their words where you can."))
    files = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = selectors.queues_for_agent(user).order_by("ordering", "name")

    def clean_customer_email(self):
        email = self.cleaned_data["customer_email"]
        customer = account_selectors.customers().filter(email__iexact=email).select_related("organization").first()
        if customer is None:
            raise ValidationError(
                _("No customer has the address %(email)s. Check the spelling, or ask them to sign up in the portal.")
                % {"email": email}
            )
        return customer

    def clean_subject(self):
        subject = " ".join(self.cleaned_data["subject"].split())
        if not subject:
            raise ValidationError(_("Give the ticket a subject."))
        return subject

    def clean_description(self):
        description = self.cleaned_data["description"]
        if not description.strip():
            raise ValidationError(_("Describe the problem."))
        return description
