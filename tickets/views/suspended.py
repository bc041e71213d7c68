"""The desk's suspended list: messages held back until an agent recovers or deletes them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.accounts.roles import agent_required
from tickets.intake import review

PAGE_SIZE = 25


def _record_for(user, pk):
    record = review.suspended_for(user).filter(pk=pk).first()
    if record is None:  # reviewed already, or going to a queue this agent does not work in
        raise Http404
    return record


@agent_required
@require_GET
def suspended_list(request):
    page = Paginator(review.suspended_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tickets/desk/suspended_list.html", {"page": page})


@agent_required
@require_GET
def suspended_detail(request, pk):
    record = _record_for(request.user, pk)
    try:
        message = review.read_kept(record)
    except Exception:  # the original cannot be read any more: the agent may still delete it
        message = None
    return render(request, "tickets/desk/suspended_detail.html", {"record": record, "message": message})


@agent_required
@require_POST
def suspended_recover(request, pk):
    record = _record_for(request.user, pk)
    try:
        record = review.recover(record=record, agent=request.user)
    except review.ReviewError as error:
        messages.error(request, str(error))
        return redirect("tickets:desk-suspended")
    if record.ticket is not None:
        messages.success(request, _("Recovered: the message is on %(reference)s.") % {
            "reference": record.ticket.reference})
        return redirect(record.ticket.get_absolute_url())
    messages.warning(request, _("Recovered, but it became no ticket: %(reason)s") % {"reason": record.reason})
    return redirect("tickets:desk-suspended")


@agent_required
@require_POST
def suspended_discard(request, pk):
    record = _record_for(request.user, pk)
    try:
        review.discard(record=record, agent=request.user)
    except review.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The message from %(sender)s was deleted.") % {"sender": record.sender})
    return redirect("tickets:desk-suspended")
