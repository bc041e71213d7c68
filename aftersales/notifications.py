"""E-mails about service requests, in the recipient's language, through the outbox.

The customer hears of each step once: the request received, the decision (approved,
rejected with the reason, or a quote to accept), the service started, and the work
completed. Internal log entries never appear in any e-mail to a customer.
"""

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftersales.eligibility import customer_zone
from helpdesk.mail.services import email_queue, render_email


def _send(*, to_user, subject, lines, service_request, quote="", action_url="", action_label=""):
    if to_user is None or not to_user.email or not to_user.is_active:
        return None
    language = to_user.locale or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "recipient": to_user, "lines": [str(line) for line in lines], "quote": quote, "action_url": action_url,
            "action_label": str(action_label), "service_request": service_request,
        }
        text, html = render_email("aftersales/email/notification", context, language=language)
        full_subject = f"[{service_request.reference}] {subject}"
    return email_queue(to=to_user.email, subject=full_subject, text=text, html=html, language=language,
                       related=service_request)


def _portal_url(service_request):
    return settings.SITE_URL + service_request.get_portal_url()


def _desk_url(service_request):
    return settings.SITE_URL + service_request.get_absolute_url()


def _in_language(user, build):
    with translation.override((user.locale if user else None) or settings.LANGUAGE_CODE):
        return build()


def _product(service_request):
    purchase = service_request.purchase
    return _("%(product)s, serial number %(serial)s") % {"product": purchase.product.name,
                                                         "serial": purchase.serial_number}


def _local(user, moment):
    return formats.date_format(timezone.localtime(moment, customer_zone(user)), "DATETIME_FORMAT")


def _amount(service_request):
    return f"{service_request.quote_currency} {service_request.quote_amount:,.2f}"


def service_request_submitted(service_request):
    user = service_request.requester

    def build():
        assessment = {
            "in_warranty": _("Your product is under warranty, so the service should be free of charge."),
            "out_of_warranty": _("Your product's warranty has ended: the service is paid, and we will send you a "
                                 "quote to accept before any work starts."),
            "refund_window": _("You asked within the refund window of the product."),
            "refund_expired": _("The refund window of this product has passed; a reviewer will look at your "
                                "request all the same."),
        }[service_request.eligibility]
        lines = [
            _("Hello %(name)s,") % {"name": user.get_short_name()},
            _("We received your %(kind)s request for %(product)s. Its reference is %(reference)s.")
            % {"kind": service_request.get_kind_display().lower(), "product": _product(service_request),
               "reference": service_request.reference},
            assessment,
        ]
        if service_request.review_due:
            lines.append(_("What happens next: a reviewer checks your request and decides by %(due)s. We e-mail you "
                           "the decision.") % {"due": _local(user, service_request.review_due)})
        return dict(
            subject=_("We received your service request"), lines=lines, quote=service_request.description,
            action_url=_portal_url(service_request), action_label=_("View your service request"),
        )

    return _send(to_user=user, service_request=service_request, **_in_language(user, build))


def service_request_approved(service_request):
    user = service_request.requester

    def build():
        lines = [_("Hello %(name)s,") % {"name": user.get_short_name()}]
        if service_request.quote_accepted_at:
            lines.append(_("Thank you for accepting the quote of %(amount)s. Your service request is approved.")
                         % {"amount": _amount(service_request)})
        else:
            lines.append(_("Good news: your %(kind)s request for %(product)s is approved (%(eligibility)s).")
                         % {"kind": service_request.get_kind_display().lower(), "product": _product(service_request),
                            "eligibility": service_request.get_eligibility_display().lower()})
        lines.append(_("What happens next: a technician starts the work and we let you know when it begins."))
        return dict(subject=_("Your service request is approved"), lines=lines,
                    action_url=_portal_url(service_request), action_label=_("View your service request"))

    return _send(to_user=user, service_request=service_request, **_in_language(user, build))


def service_request_rejected(service_request):
    user = service_request.requester

    def build():
        return dict(
            subject=_("Your service request was not approved"),
            lines=[
                _("Hello %(name)s,") % {"name": user.get_short_name()},
                _("We are sorry: we cannot carry out your %(kind)s request for %(product)s. The reason:")
                % {"kind": service_request.get_kind_display().lower(), "product": _product(service_request)},
            ],
            quote=service_request.rejection_reason,
            action_url=_portal_url(service_request), action_label=_("View your service request"),
        )

    return _send(to_user=user, service_request=service_request, **_in_language(user, build))


def _why_paid(service_request) -> list[str]:
    """Why the customer is asked to pay: the warranty has ended, or the reason the reviewer gave."""
    values = {"product": _product(service_request), "amount": _amount(service_request)}
    reason = service_request.quote_reason
    if service_request.eligibility == service_request.Eligibility.OUT_OF_WARRANTY:
        lines = [_("The warranty of %(product)s has ended, so this service is paid. Our quote is %(amount)s.")
                 % values]
        return [*lines, f"{_('Why it is paid:')} {reason}"] if reason else lines
    return [_("%(product)s is under warranty, but the warranty does not cover this service, so it is paid. "
              "Our quote is %(amount)s. The reason:") % values, reason]


def service_request_quoted(service_request):
    user = service_request.requester

    def build():
        return dict(
            subject=_("A quote for your service request: %(amount)s") % {"amount": _amount(service_request)},
            lines=[
                _("Hello %(name)s,") % {"name": user.get_short_name()},
                *_why_paid(service_request),
                _("Accept or decline it in the portal. We start the work only once you accept; if you decline, "
                  "the request is closed and nothing is charged."),
            ],
            quote=service_request.quote_note,
            action_url=_portal_url(service_request), action_label=_("Answer the quote"),
        )

    return _send(to_user=user, service_request=service_request, **_in_language(user, build))


def service_started(service_request):
    user = service_request.requester

    def build():
        lines = [
            _("Hello %(name)s,") % {"name": user.get_short_name()},
            _("We have started work on your %(kind)s request for %(product)s.")
            % {"kind": service_request.get_kind_display().lower(), "product": _product(service_request)},
        ]
        if service_request.technician:
            lines.append(_("Your technician is %(name)s.") % {"name": service_request.technician.get_short_name()})
        lines.append(_("We e-mail you again when the work is done."))
        return dict(subject=_("Service has started"), lines=lines, action_url=_portal_url(service_request),
                    action_label=_("Follow the progress"))

    return _send(to_user=user, service_request=service_request, **_in_language(user, build))


def service_completed(service_request):
    user = service_request.requester

    def build():
        lines = [
            _("Hello %(name)s,") % {"name": user.get_short_name()},
            _("The work on your %(kind)s request for %(product)s is complete. What we did:")
            % {"kind": service_request.get_kind_display().lower(), "product": _product(service_request)},
        ]
        report = service_request.work_done
        if service_request.parts_replaced:
            report += "\n\n" + _("Parts replaced: %(parts)s") % {"parts": service_request.parts_replaced}
        if service_request.replacement_serial:
            report += "\n" + _("Serial number of the replacement: %(serial)s") % {
                "serial": service_request.replacement_serial}
        return dict(subject=_("Service completed"), lines=lines, quote=report,
                    action_url=_portal_url(service_request), action_label=_("View the completion report"))

    return _send(to_user=user, service_request=service_request, **_in_language(user, build))


def quote_answered(service_request, *, accepted):
    """Tell the reviewer (else the technician) that the customer accepted or declined the quote."""
    agent = service_request.reviewer or service_request.technician

    def build():
        if accepted:
            subject = _("Quote accepted: %(product)s") % {"product": service_request.purchase.product.name}
            line = _("%(customer)s accepted the quote of %(amount)s. The request is approved: service can start.")
        else:
            subject = _("Quote declined: %(product)s") % {"product": service_request.purchase.product.name}
            line = _("%(customer)s declined the quote of %(amount)s. The request is closed.")
        return dict(subject=subject, lines=[line % {"customer": service_request.requester.get_full_name(),
                                                    "amount": _amount(service_request)}],
                    action_url=_desk_url(service_request), action_label=_("Open the service request"))

    return _send(to_user=agent, service_request=service_request, **_in_language(agent, build))


def _team_for(service_request) -> list:
    """Who hears of a customer's reply: the technician and the reviewer, else the managers who review."""
    from aftersales.selectors import reviewing_managers

    people = [user for user in (service_request.technician, service_request.reviewer) if user is not None]
    if not people:
        people = list(reviewing_managers())
    unique = {user.pk: user for user in people}
    return list(unique.values())


def customer_replied(service_request, reply):
    """Tell the service team, each in their own language, that the customer wrote on the request."""
    customer = reply.author
    count = reply.files.count()
    sent = []
    for agent in _team_for(service_request):
        def build(agent=agent):
            lines = [_("%(customer)s wrote on %(reference)s (%(product)s):")
                     % {"customer": customer.get_full_name(), "reference": service_request.reference,
                        "product": _product(service_request)}]
            if count:
                lines.append(ngettext("They attached %(count)d file.", "They attached %(count)d files.", count)
                             % {"count": count})
            return dict(subject=_("Customer reply: %(product)s") % {"product": service_request.purchase.product.name},
                        lines=lines, quote=reply.text, action_url=_desk_url(service_request),
                        action_label=_("Open the service request"))

        sent.append(_send(to_user=agent, service_request=service_request, **_in_language(agent, build)))
    return sent
