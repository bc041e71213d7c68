"""The story of a service request, as the portal and the desk tell it: decisions and log entries in order.

Customers see the decisions (eligibility, quote, approval or rejection, service started,
completed, closed), the public log entries and the customers' messages only. The desk sees
everything, internal log entries included, marked as such. Each entry says who did it, as the
viewer should read it (see ``People``).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales import selectors
from aftersales.models import ServiceEvent, ServiceRequest
from helpdesk.accounts.roles import is_agent, is_manager

Status = ServiceRequest.Status
Kind = ServiceEvent.Kind

STATUS_HEADLINES = {
    Status.UNDER_REVIEW: gettext_lazy("Review started"),
    Status.APPROVED: gettext_lazy("Approved"),
    Status.REJECTED: gettext_lazy("Not approved"),
    Status.IN_SERVICE: gettext_lazy("Service started"),
    Status.COMPLETED: gettext_lazy("Service completed"),
    Status.CLOSED: gettext_lazy("Closed"),
}
TONES = {
    Status.APPROVED: "good", Status.COMPLETED: "good", Status.REJECTED: "bad", Status.CLOSED: "muted",
    Status.IN_SERVICE: "info", Status.UNDER_REVIEW: "info",
}


@dataclass
class Entry:
    when: datetime
    kind: str  # "event", "log", "note" or "reply" (the customer's)
    headline: str
    who: str = ""
    role: str = ""  # what the person is to the viewer: "Service team", "Manager", "Customer"…
    body: str = ""
    details: list = field(default_factory=list)  # (label, value) pairs
    files: list = field(default_factory=list)
    tone: str = ""
    pk: int = 0


class People:
    """Names and roles as the viewer should read them, looked up once per person.

    A customer reads "You" for their own steps, their colleagues' names, and only the first name of
    a member of the service team with the words "Service team": never a staff e-mail address or role.
    The desk reads full names with each person's role.
    """

    def __init__(self, *, for_customer: bool, viewer=None):
        self.for_customer = for_customer
        self.viewer = viewer
        self._roles: dict = {}

    def _staff_role(self, user) -> str:
        if user.pk not in self._roles:
            self._roles[user.pk] = (_("Manager") if is_manager(user) else _("Agent") if is_agent(user) else "")
        return self._roles[user.pk]

    def __call__(self, user) -> tuple[str, str]:
        """(name, role) of ``user`` for the viewer."""
        if user is None:
            return _("Automatic"), ""
        staff_role = self._staff_role(user)
        if self.viewer is not None and user.pk == self.viewer.pk:
            return _("You"), ""
        if self.for_customer:
            if staff_role:
                return (user.name.split() or [""])[0], _("Service team")
            return user.get_full_name(), ""
        return user.get_full_name() or user.email, staff_role or _("Customer")


def _event_entry(event, service_request, *, people) -> Entry | None:
    who, role = people(event.actor)
    entry = Entry(when=event.created_at, kind="event", headline="", who=who, role=role, pk=event.pk)
    if event.kind == Kind.CREATED:
        entry.headline = _("Request submitted")
        if event.old_value:
            entry.details.append((_("From ticket"), event.old_value))
        entry.details.append((_("Eligibility assessed"), service_request.get_eligibility_assessed_display()))
    elif event.kind == Kind.STATUS:
        status = event.new_value
        entry.headline = str(STATUS_HEADLINES.get(status, ServiceRequest.Status(status).label))
        entry.tone = TONES.get(status, "")
        if status == Status.REJECTED:
            entry.body = service_request.rejection_reason
        elif status == Status.COMPLETED:
            entry.body = service_request.work_done
            if service_request.parts_replaced:
                entry.details.append((_("Parts replaced"), service_request.parts_replaced))
            if service_request.replacement_serial:
                entry.details.append((_("Replacement serial number"), service_request.replacement_serial))
        elif status == Status.CLOSED and service_request.quote_declined_at and event.old_value == Status.UNDER_REVIEW:
            entry.headline = _("Closed: quote declined")
    elif event.kind == Kind.ELIGIBILITY:
        labels = dict(ServiceRequest.Eligibility.choices)
        entry.headline = _("Eligibility changed")
        entry.details = [(_("From"), str(labels.get(event.old_value, event.old_value))),
                         (_("To"), str(labels.get(event.new_value, event.new_value)))]
    elif event.kind == Kind.QUOTE_SENT:
        entry.headline = _("Quote sent: %(amount)s") % {"amount": event.new_value}
        entry.body = service_request.quote_note
        if service_request.quote_reason:
            entry.details.append((_("Why it is paid"), service_request.quote_reason))
        entry.tone = "warn"
    elif event.kind == Kind.QUOTE_ACCEPTED:
        entry.headline = _("Quote accepted: request approved")
        entry.tone = "good"
    elif event.kind == Kind.QUOTE_DECLINED:
        entry.headline = _("Quote declined: request closed")
        entry.tone = "bad"
    elif event.kind == Kind.TECHNICIAN:
        entry.headline = (_("Technician: %(name)s") % {"name": event.new_value} if event.new_value
                          else _("Technician removed"))
        entry.tone = "muted"
    else:
        return None  # log entries and replies appear as themselves; the completion report with its status
    return entry


def _log_entry(log, *, people) -> Entry:
    who, role = people(log.author)
    if log.from_customer:
        kind, headline = "reply", _("Message from the customer")
        if people.viewer is not None and log.author_id == people.viewer.pk:
            headline = _("Your message")
    elif log.is_internal:
        kind, headline = "note", _("Internal note")
    else:
        kind, headline = "log", _("Update")
    return Entry(when=log.created_at, kind=kind, headline=headline, who=who, role=role, body=log.text,
                 files=list(log.files.all()), pk=log.pk)


def build(service_request, *, for_customer: bool, viewer=None) -> list[Entry]:
    people = People(for_customer=for_customer, viewer=viewer)
    events = list(selectors.events_for(service_request, public_only=for_customer))
    # Answering a quote moves the status in the same step: one line says both.
    answered = {event.version for event in events if event.kind in (Kind.QUOTE_ACCEPTED, Kind.QUOTE_DECLINED)}
    entries = []
    for event in events:
        if event.kind == Kind.STATUS and event.version in answered:
            continue
        entry = _event_entry(event, service_request, people=people)
        if entry is not None:
            entries.append(entry)
    for log in selectors.logs_for(service_request, include_internal=not for_customer):
        entries.append(_log_entry(log, people=people))
    entries.sort(key=lambda entry: (entry.when, entry.kind != "event", entry.pk))
    return entries


def describe_changes(events, service_request) -> list[Entry]:
    """What changed since a form was loaded (the conflict alert), one line per event."""
    lines = []
    people = People(for_customer=False)
    for event in events:
        entry = _event_entry(event, service_request, people=people)
        if entry is None:
            who, role = people(event.actor)
            entry = Entry(when=event.created_at, kind="event", headline=event.get_kind_display(), who=who,
                          role=role)
        lines.append(entry)
    return lines


PROGRESS = [
    (Status.SUBMITTED, gettext_lazy("Submitted")),
    (Status.UNDER_REVIEW, gettext_lazy("Review")),
    (Status.APPROVED, gettext_lazy("Approved")),
    (Status.IN_SERVICE, gettext_lazy("In service")),
    (Status.COMPLETED, gettext_lazy("Completed")),
]


def progress(service_request) -> list[tuple[str, str]]:
    """The steps of the journey as (label, state): done, current, todo or stopped (rejected, quote declined)."""
    status = service_request.status
    order = [value for value, _label in PROGRESS]
    if status == Status.REJECTED or (status == Status.CLOSED and not service_request.completed_at):
        stop_label = _("Quote declined") if service_request.quote_declined_at else _("Not approved")
        return [(str(PROGRESS[0][1]), "done"), (str(PROGRESS[1][1]), "done"), (stop_label, "stopped")]
    current = order.index(Status.COMPLETED) if status == Status.CLOSED else order.index(status)
    steps = []
    for index, (_value, label) in enumerate(PROGRESS):
        state = "done" if index < current else "current" if index == current else "todo"
        if status == Status.CLOSED and index == current:
            state = "done"
        steps.append((str(label), state))
    return steps
