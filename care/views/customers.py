"""Customer 360, the customer directory and the at-risk list (desk, under /desk/customers/)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from care import health, selectors
from care.filters import AtRiskFilter, CustomerDirectoryFilter, PeopleFilter
from helpdesk.accounts.roles import agent_required, is_manager
from helpdesk.pagination import CappedPaginator as Paginator

PAGE_SIZE = 25


def _page(request, queryset):
    """A page of rows, and the query string the pager links keep (``{% querystring query page=… %}``)."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")), request.GET


def _partial(request) -> bool:
    return bool(request.htmx and not request.htmx.history_restore_request)


@require_safe
@agent_required
def customer_list(request):
    """The directory: organisations, or (``?show=people``) customers without an organisation."""
    user = request.user
    show_people = request.GET.get("show") == "people"
    if show_people:
        filterset = PeopleFilter(request.GET or None, queryset=selectors.people_directory(user))
    else:
        filterset = CustomerDirectoryFilter(request.GET or None, queryset=selectors.directory(user), request=request)
    page, query = _page(request, filterset.qs)
    manager = is_manager(user)
    context = {"filter": filterset, "page": page, "query": query, "show_people": show_people,
               "is_manager": manager, "now": timezone.now(),
               "show_at_risk": not _partial(request) and (manager or selectors.manages_any(user))}
    template = "care/customers/_customer_results.html" if _partial(request) else \
        "care/customers/customer_list.html"
    return render(request, template, context)


@require_safe
@agent_required
def at_risk(request):
    """Managers: every active organisation at risk or to watch. Account managers: their own. Others: 403."""
    user = request.user
    manager = is_manager(user)
    if not manager and not selectors.manages_any(user):
        raise PermissionDenied
    filterset = AtRiskFilter(request.GET or None, queryset=selectors.at_risk_organizations(user), request=request,
                             managers=selectors.account_managers() if manager else None)
    page, query = _page(request, filterset.qs)
    rows = [{"organization": organization, "health": organization.health,
             "reasons": health.top_reasons(organization.health.signals, 3)} for organization in page]
    context = {"filter": filterset, "page": page, "rows": rows, "query": query, "is_manager": manager,
               "now": timezone.now()}
    return render(request, "care/customers/at_risk_list.html", context)


def _chart_data(satisfaction) -> dict:
    """What static/reports/customer360.js draws (passed with ``json_script``)."""
    return {
        "labels": [formats.date_format(row["month"], "M Y") for row in satisfaction["rows"]],
        "csat": [row["csat"] for row in satisfaction["rows"]],
        "nps": [row["nps"] for row in satisfaction["rows"]],
        "csatLabel": _("CSAT (mean, out of 10)"),
        "npsLabel": _("NPS answers (mean, 0–10)"),
    }


def _health_context(subject_health, may_see_health) -> dict:
    if not (may_see_health and subject_health):
        return {"signals": [], "reasons": []}
    return {"signals": health.present(subject_health.signals),
            "reasons": health.top_reasons(subject_health.signals, 3)}


@require_safe
@agent_required
def organization_360(request, pk):
    organization = selectors.organization_for_360(request.user, pk)
    context = selectors.organization_360(request.user, organization)
    context.update(_health_context(context["health"], context["may_see_health"]))
    context.update({"chart": _chart_data(context["satisfaction"]), "is_manager": is_manager(request.user),
                    "now": timezone.now(), "here": request.get_full_path(),
                    "recompute_url": reverse("care:health-recompute", args=[organization.pk]),
                    "tickets_url": reverse("tickets:desk-list") + f"?organization={organization.pk}"})
    return render(request, "care/customers/organization_360.html", context)


@require_safe
@agent_required
def person_360(request, pk):
    customer = selectors.customer_for_360(request.user, pk)
    if customer.organization_id:
        return redirect("care:organization-360", customer.organization_id)
    context = selectors.person_360(request.user, customer)
    context.update(_health_context(context["health"], context["may_see_health"]))
    context.update({"chart": _chart_data(context["satisfaction"]), "is_manager": is_manager(request.user),
                    "now": timezone.now(), "here": request.get_full_path(),
                    "recompute_url": reverse("care:person-health-recompute", args=[customer.pk]),
                    "tickets_url": reverse("tickets:desk-list") + "?" + urlencode({"q": customer.email})})
    return render(request, "care/customers/person_360.html", context)


@require_POST
@agent_required
def organization_health_recompute(request, pk):
    organization = selectors.organization_for_360(request.user, pk)
    if not selectors.can_see_health(request.user, organization):
        raise PermissionDenied
    score = health.compute_for(organization=organization)
    messages.success(request, _("Health score recalculated: %(score)s (%(band)s).")
                     % {"score": score.score, "band": score.get_band_display()})
    return redirect(reverse("care:organization-360", args=[organization.pk]) + "#health")


@require_POST
@agent_required
def person_health_recompute(request, pk):
    customer = selectors.customer_for_360(request.user, pk)
    if customer.organization_id:
        return redirect("care:organization-360", customer.organization_id)
    if not selectors.can_see_health(request.user):
        raise PermissionDenied
    score = health.compute_for(customer=customer)
    messages.success(request, _("Health score recalculated: %(score)s (%(band)s).")
                     % {"score": score.score, "band": score.get_band_display()})
    return redirect(reverse("care:person-360", args=[customer.pk]) + "#health")
