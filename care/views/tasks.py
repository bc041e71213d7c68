"""Care tasks in the desk: the check-ins and follow-ups to do, and logging them."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from care import selectors, services
from care.filters import CareTaskFilter
from care.forms import CheckInLogForm, FollowUpDoneForm
from care.models import CareTask
from helpdesk.accounts.roles import agent_required, is_manager
from helpdesk.pagination import CappedPaginator as Paginator

PAGE_SIZE = 30


def safe_next(request) -> str:
    """Where to go back to (the customer 360 page, …), if it is a page of this site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return ""


def _mark_overdue(tasks, today):
    for task in tasks:
        task.days_overdue = (today - task.due_on).days if task.status == CareTask.Status.OPEN else 0
        task.days_left = -task.days_overdue
    return tasks


@agent_required
@require_safe
def care_list(request):
    today = timezone.localdate()
    care_filter = CareTaskFilter(request.GET, queryset=selectors.care_tasks_for_user(request.user), request=request)
    page = Paginator(care_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": care_filter,
        "page": page,
        "tasks": _mark_overdue(list(page.object_list), today),
        "counts": selectors.my_care_counts(request.user, today),
        "is_manager": is_manager(request.user),
        "today": today,
    }
    return render(request, "care/care_list.html", context)


@agent_required
@require_http_methods(["GET", "POST"])
def care_task(request, pk):
    task = selectors.care_task_for_user(request.user, pk)
    next_url = safe_next(request)
    is_check_in = task.kind == CareTask.Kind.CHECK_IN
    form_class = CheckInLogForm if is_check_in else FollowUpDoneForm
    form = form_class(request.POST or None) if task.status == CareTask.Status.OPEN else None
    if request.method == "POST":
        if form is None:
            messages.info(request, _("This task is already done."))
            return redirect(request.get_full_path())
        if form.is_valid():
            try:
                if is_check_in:
                    task, follow_up = services.check_in_log(task=task, by=request.user, **form.cleaned_data)
                else:
                    services.care_task_complete(task=task, by=request.user, outcome=form.cleaned_data["outcome"])
                    follow_up = None
            except services.CareError as error:
                form.add_error(None, str(error))
            else:
                if follow_up is not None:
                    messages.success(request, _("Check-in logged. The next one is due on %(date)s.")
                                     % {"date": date_format(follow_up.due_on, "DATE_FORMAT")})
                elif is_check_in:
                    messages.success(request, _("Check-in logged."))
                else:
                    messages.success(request, _("Follow-up marked as done."))
                return redirect(next_url or reverse("care:care-list"))
    today = timezone.localdate()
    organization = task.organization
    context = {
        "task": _mark_overdue([task], today)[0],
        "form": form,
        "is_check_in": is_check_in,
        "organization": organization,
        "previous": list(selectors.previous_check_ins(organization, exclude=task)) if organization else [],
        "next_url": next_url,
        "is_manager": is_manager(request.user),
        "today": today,
    }
    return render(request, "care/care_task.html", context)
