from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assist import selectors, services
from assist.forms import AnswerUseForm, SuggestionForm, ThresholdForm
from assist.models import Suggestion, TargetSetting
from helpdesk.accounts.roles import agent_required, manager_required
from tickets import selectors as ticket_selectors
from tickets.services import TicketError


@require_http_methods(["GET", "POST"])
@manager_required
def dashboard(request):
    form = ThresholdForm(request.POST or None, initial_thresholds=services.thresholds())
    if request.method == "POST":
        if form.is_valid():
            for target, threshold in form.cleaned_data.items():
                TargetSetting.objects.update_or_create(target=target, defaults={"threshold": threshold})
            messages.success(request, _("Thresholds saved."))
            return redirect("assist:dashboard")
        return render(request, "assist/desk/dashboard.html", {"form": form, **selectors.dashboard()}, status=400)
    return render(request, "assist/desk/dashboard.html", {"form": form, **selectors.dashboard()})


@require_POST
@agent_required
def accept(request, reference):
    ticket = ticket_selectors.ticket_for_user(request.user, reference)
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        suggestion = services.accept_suggestion(agent=request.user, ticket=ticket,
                                                suggestion_id=form.cleaned_data["suggestion"])
    except (Suggestion.DoesNotExist, TicketError) as error:
        raise Http404 from error
    messages.success(request, _("%(target)s set to %(value)s.") % {"target": suggestion.get_target_display(),
                                                                   "value": suggestion.label or suggestion.value})
    return redirect("tickets:desk-detail", reference=ticket.reference)


@require_POST
@agent_required
def answer_used(request, reference):
    ticket = ticket_selectors.ticket_for_user(request.user, reference)
    form = AnswerUseForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    services.count_answer_use(agent=request.user, ticket=ticket, **form.cleaned_data)
    return HttpResponse(status=204)
