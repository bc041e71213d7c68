"""Churning and reactivating an organisation from the desk (managers), with the reason picked from a list."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from care.forms import OrganizationStatusForm
from care.views.tasks import safe_next
from helpdesk.accounts import selectors as account_selectors
from helpdesk.accounts import services as account_services
from helpdesk.accounts.models import Organization
from helpdesk.accounts.roles import manager_required


@manager_required
@require_http_methods(["GET", "POST"])
def organization_status(request, pk):
    organization = account_selectors.organization_for_user(request.user, pk)
    next_url = safe_next(request)
    history = list(account_selectors.organization_status_history(organization))
    last_change_on = max((change.effective_on for change in history), default=None)
    form = OrganizationStatusForm(request.POST or None, organization=organization, last_change_on=last_change_on)
    if request.method == "POST" and form.is_valid():
        churn = request.POST.get("action") == "churn"
        reason = form.cleaned_data.get("reason")
        try:
            account_services.organization_set_status(
                organization=organization,
                status=Organization.Status.CHURNED if churn else Organization.Status.ACTIVE,
                by=request.user, reason=reason.name if reason else "", note=form.cleaned_data["note"],
                effective_on=form.cleaned_data["effective_on"],
            )
        except account_services.AccountError as error:
            form.add_error(None, str(error))
        else:
            if churn:
                messages.success(request, _("%(name)s is marked as churned.") % {"name": organization.name})
            else:
                messages.success(request, _("%(name)s is active again.") % {"name": organization.name})
            if next_url:
                return redirect(next_url)
            return redirect(reverse("care:organization-status", args=[organization.pk]))
    context = {
        "organization": organization,
        "form": form,
        "history": history,
        "next_url": next_url,
        "member_count": organization.members.filter(is_active=True).count(),
    }
    return render(request, "care/organization_status.html", context)
