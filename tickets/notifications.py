"""E-mails about tickets, in the recipient's language, through the outbox.

Customer e-mails carry ``[HD-000123]`` in the subject and thread headers, so a reply
from the customer's mail program lands back on the ticket. Internal notes never appear
in any e-mail to a customer.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from helpdesk.mail.services import email_queue, render_email


def _send(*, to_user, subject, lines, ticket, quote="", action_url="", action_label="", thread=True, message=None,
          auto_submitted="auto-generated"):
    if to_user is None or not to_user.email or not to_user.is_active:
        return None
    language = to_user.locale or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "recipient": to_user, "lines": [str(line) for line in lines], "quote": quote, "action_url": action_url,
            "action_label": str(action_label), "ticket": ticket,
        }
        text, html = render_email("tickets/email/notification", context, language=language)
        full_subject = f"[{ticket.reference}] {subject}"
    headers = {**(_thread_headers(ticket) if thread else {}), "Auto-Submitted": auto_submitted}
    email = email_queue(to=to_user.email, subject=full_subject, text=text, html=html, language=language,
                        related=ticket, headers=headers)
    if message is not None and not message.email_message_id:
        type(message).objects.filter(pk=message.pk).update(email_message_id=email.message_id)
    return email


def _thread_headers(ticket) -> dict:
    root = ticket.messages.exclude(email_message_id="").order_by("created_at", "pk").values_list(
        "email_message_id", flat=True).first()
    if not root:
        return {}
    return {"In-Reply-To": root, "References": root}


def _portal_url(ticket):
    return settings.SITE_URL + ticket.get_portal_url()


def _desk_url(ticket):
    return settings.SITE_URL + ticket.get_absolute_url()


def _with_language(user, func):
    with translation.override((user.locale if user else None) or settings.LANGUAGE_CODE):
        return func()


def ticket_created(ticket):
    user = ticket.requester

    def build():
        return dict(
            subject=_("We received your request: %(subject)s") % {"subject": ticket.subject},
            lines=[
                _("Hello %(name)s,") % {"name": user.get_short_name()},
                _("Thank you for contacting us. Your request has the reference %(reference)s.")
                % {"reference": ticket.reference},
                _("What happens next: an agent will read it and answer you by e-mail. You can add information by "
                  "replying to this e-mail or in the portal."),
            ],
            quote=ticket.description, action_url=_portal_url(ticket), action_label=_("View your request"),
        )

    # The acknowledgement answers the customer's message automatically (RFC 3834: auto-replied).
    _send(to_user=user, ticket=ticket, auto_submitted="auto-replied", **_with_language(user, build))


def agent_replied(ticket, message):
    user = ticket.requester

    def build():
        return dict(
            subject=ticket.subject,
            lines=[_("%(agent)s replied to your request:") % {"agent": message.author.get_full_name()}],
            quote=message.body, action_url=_portal_url(ticket), action_label=_("View the conversation"),
        )

    _send(to_user=user, ticket=ticket, message=message, **_with_language(user, build))


def ticket_resolved(ticket, reply=None):
    """The request is resolved. When a public reply resolved it, this one e-mail carries the reply too."""
    user = ticket.requester

    def build():
        reopen = _("If the problem is not solved, reply to this e-mail or reopen the request in the portal within "
                   "%(days)d days.") % {"days": settings.TICKET_REOPEN_DAYS}
        subject = _("Resolved: %(subject)s") % {"subject": ticket.subject}
        if reply is None:
            return dict(subject=subject, lines=[_("Your request has been resolved."), reopen],
                        quote=ticket.resolution_summary, action_url=_portal_url(ticket),
                        action_label=_("View your request"))
        lines = [_("%(agent)s replied and marked your request as resolved:")
                 % {"agent": reply.author.get_full_name()}]
        if ticket.resolution_summary and ticket.resolution_summary != reply.body:
            lines.append(_("Resolution: %(summary)s") % {"summary": ticket.resolution_summary})
        lines.append(reopen)
        return dict(subject=subject, lines=lines, quote=reply.body, action_url=_portal_url(ticket),
                    action_label=_("View the conversation"))

    _send(to_user=user, ticket=ticket, message=reply, **_with_language(user, build))


def ticket_auto_closed(ticket):
    user = ticket.requester

    def build():
        return dict(
            subject=_("Closed: %(subject)s") % {"subject": ticket.subject},
            lines=[_("Your request was resolved %(days)d days ago and is now closed. If you need more help, open a "
                     "new request and mention %(reference)s.")
                   % {"days": settings.TICKET_AUTO_CLOSE_DAYS, "reference": ticket.reference}],
            action_url=settings.SITE_URL + "/portal/", action_label=_("Go to the portal"),
        )

    _send(to_user=user, ticket=ticket, **_with_language(user, build))


def ticket_merged(source, target):
    user = source.requester

    def build():
        return dict(
            subject=_("Merged: %(subject)s") % {"subject": source.subject},
            lines=[_("Your request %(source)s is about the same matter as %(target)s, so we have combined them. "
                     "We will continue in %(target)s.") % {"source": source.reference, "target": target.reference}],
            action_url=_portal_url(target), action_label=_("View the combined request"),
        )

    _send(to_user=user, ticket=source, **_with_language(user, build))


def _agent_recipient(ticket):
    return ticket.assignee or ticket.queue.manager


def customer_replied(ticket, message):
    agent = _agent_recipient(ticket)

    def build():
        return dict(
            subject=_("Customer replied: %(subject)s") % {"subject": ticket.subject},
            lines=[_("%(customer)s replied:") % {"customer": message.author.get_full_name()}],
            quote=message.body, action_url=_desk_url(ticket), action_label=_("Open the ticket"),
        )

    _send(to_user=agent, ticket=ticket, thread=False, **_with_language(agent, build))


def ticket_assigned(ticket):
    agent = ticket.assignee

    def build():
        return dict(
            subject=_("Assigned to you: %(subject)s") % {"subject": ticket.subject},
            lines=[_("This ticket is now assigned to you.")],
            quote=ticket.description, action_url=_desk_url(ticket), action_label=_("Open the ticket"),
        )

    _send(to_user=agent, ticket=ticket, thread=False, **_with_language(agent, build))


def ticket_reopened(ticket):
    agent = _agent_recipient(ticket)

    def build():
        return dict(
            subject=_("Reopened: %(subject)s") % {"subject": ticket.subject},
            lines=[_("The customer reopened this ticket.")],
            action_url=_desk_url(ticket), action_label=_("Open the ticket"),
        )

    _send(to_user=agent, ticket=ticket, thread=False, **_with_language(agent, build))


def sla_alert(ticket, *, target, breached):
    recipients = {user.pk: user for user in (ticket.assignee, ticket.queue.manager) if user is not None}
    for user in recipients.values():
        def build(user=user):
            what = _("first response") if target == "first_response" else _("resolution")
            due = ticket.first_response_due if target == "first_response" else ticket.resolution_due
            if breached:
                subject = _("SLA breached (%(what)s): %(subject)s") % {"what": what, "subject": ticket.subject}
                line = _("The %(what)s target of this %(priority)s ticket was missed.") % {
                    "what": what, "priority": ticket.get_priority_display().lower()}
            else:
                subject = _("SLA warning (%(what)s): %(subject)s") % {"what": what, "subject": ticket.subject}
                line = _("80 %% of the %(what)s target of this %(priority)s ticket has passed.") % {
                    "what": what, "priority": ticket.get_priority_display().lower()}
            local_due = timezone.localtime(due, ZoneInfo(user.timezone)) if due else None
            due_line = _("Due: %(due)s (%(zone)s)") % {
                "due": local_due.strftime("%Y-%m-%d %H:%M") if local_due else "—", "zone": user.timezone}
            return dict(subject=subject, lines=[line, due_line], action_url=_desk_url(ticket),
                        action_label=_("Open the ticket"))

        _send(to_user=user, ticket=ticket, thread=False, **_with_language(user, build))


def account_manager_notice(ticket):
    """Tell the organisation's account manager of a new ticket from a VIP or a churned organisation."""
    if ticket.organization_id is None:
        return
    # Read afresh: the requester's organisation may have been loaded before a manager changed its status.
    organization = type(ticket.organization).objects.select_related("account_manager").get(pk=ticket.organization_id)
    if not (organization.is_vip or organization.is_churned):
        return
    manager = organization.account_manager
    if manager is None or manager.pk in (ticket.created_by_id, ticket.requester_id):
        return  # they opened it themselves

    def build():
        from django.utils.formats import date_format

        values = {"organization": organization.name, "subject": ticket.subject,
                  "customer": ticket.requester.get_full_name(), "reason": organization.churn_reason,
                  "date": date_format(organization.churned_at, "DATE_FORMAT") if organization.churned_at else ""}
        if organization.is_churned and organization.is_vip:
            subject = _("New ticket from churned VIP organisation %(organization)s: %(subject)s") % values
            line = _("%(customer)s of %(organization)s, a VIP organisation marked as churned on %(date)s "
                     "(%(reason)s), opened a ticket.") % values
        elif organization.is_churned:
            subject = _("New ticket from churned organisation %(organization)s: %(subject)s") % values
            line = _("%(customer)s of %(organization)s, marked as churned on %(date)s (%(reason)s), "
                     "opened a ticket.") % values
        else:
            subject = _("New VIP ticket from %(organization)s: %(subject)s") % values
            line = _("%(customer)s of the VIP organisation %(organization)s opened a ticket.") % values
        details = _("Priority: %(priority)s · queue: %(queue)s · channel: %(channel)s") % {
            "priority": ticket.get_priority_display(), "queue": ticket.queue.name,
            "channel": ticket.get_channel_display()}
        return dict(subject=subject, lines=[line, details, _("You are told because you are its account manager.")],
                    quote=ticket.description, action_url=_desk_url(ticket), action_label=_("Open the ticket"))

    _send(to_user=manager, ticket=ticket, thread=False, **_with_language(manager, build))
