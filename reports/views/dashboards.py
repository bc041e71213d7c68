"""The manager dashboards under /reports/ and their CSV exports (managers and admins only)."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from helpdesk.accounts.roles import manager_required
from reports import pages, selectors, services
from reports.csv import csv_response
from reports.forms import RecomputeForm


def _report(request, slug):
    page_class = pages.PAGES.get(slug)
    if page_class is None:
        raise Http404
    form = page_class.form_class(request.GET)
    return page_class(form, page_number=request.GET.get("page") or 1)


def _querystring(request) -> str:
    """The range and filters of this page, without the page number of its list."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@manager_required
@require_safe
def report_page(request, slug):
    report = _report(request, slug)
    context = {
        "report": report,
        "form": report.form,
        "period": report.period,
        "querystring": _querystring(request),
        "report_nav": pages.navigation(report.slug),
        **selectors.run_status(),
        "freshness": selectors.range_freshness(report.period),
    }
    return render(request, report.template, context)


@manager_required
@require_safe
def report_csv(request, page, table):
    report = _report(request, page)
    found = report.table(table, export=True)
    if found is None:
        raise Http404
    return csv_response(table=found, page=report.slug, period=report.period)


@manager_required
@require_POST
def recompute(request):
    """Queue a recompute of the range on screen; a run already waiting is not queued twice."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("reports:overview")
    form = RecomputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(target)
    waiting = selectors.run_status()["pending_run"]
    try:
        run = services.report_run_request(by=request.user, date_from=form.cleaned_data["date_from"],
                                          date_to=form.cleaned_data["date_to"])
    except services.ReportRunError as error:
        messages.error(request, str(error))
        return redirect(target)
    if waiting is not None and waiting.pk == run.pk:
        messages.info(request, _("A recompute is already queued or running; the numbers will update when it is done."))
    else:
        messages.success(request, _("Recompute queued for %(start)s – %(end)s. The numbers update when it is done.")
                         % {"start": date_format(run.date_from), "end": date_format(run.date_to)})
    return redirect(target)


@manager_required
@require_safe
def recompute_progress(request):
    """How far the recompute has got (days done of days total) and how it ended: polled by the page every
    few seconds while it runs (htmx), or read as JSON (``?format=json``)."""
    raw = request.GET.get("run", "")
    if raw and not raw.isdigit():
        raise Http404
    run = selectors.run_for_progress(int(raw) if raw else None)
    if run is None and raw:
        raise Http404
    if run is None:  # nothing was ever recomputed: nothing to follow
        if request.GET.get("format") == "json":
            return JsonResponse({"run": None})
        return HttpResponse("")
    if request.GET.get("format") == "json":
        return JsonResponse({"run": run.pk, "status": run.status, "days_done": run.days_done,
                             "days_total": run.days_total, "finished": run.finished,
                             "finished_at": run.finished_at.isoformat() if run.finished_at else None})
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("reports:overview")
    return render(request, "reports/_recompute_progress.html", {"run": run, "next": target})


urlpatterns = [
    path("reports/", report_page, {"slug": "overview"}, name="overview"),
    path("reports/support/", report_page, {"slug": "support"}, name="support"),
    path("reports/sla/", report_page, {"slug": "sla"}, name="sla"),
    path("reports/satisfaction/", report_page, {"slug": "satisfaction"}, name="satisfaction"),
    path("reports/after-sales/", report_page, {"slug": "after-sales"}, name="after-sales"),
    path("reports/churn/", report_page, {"slug": "churn"}, name="churn"),
    path("reports/response-time/", report_page, {"slug": "response-time"}, name="response-time"),
    path("reports/knowledge-base/", report_page, {"slug": "knowledge-base"}, name="knowledge-base"),
    path("reports/feedback/", report_page, {"slug": "feedback"}, name="feedback"),
    path("reports/recompute/", recompute, name="recompute"),
    path("reports/recompute/progress/", recompute_progress, name="recompute-progress"),
    path("reports/<slug:page>/<slug:table>.csv", report_csv, name="csv"),
]
