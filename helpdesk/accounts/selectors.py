from django.db.models import Count, Q

from helpdesk.accounts.models import Organization, User
from helpdesk.accounts.roles import Role


def organization_counts() -> dict:
    """Active, VIP and churned organisations in one query."""
    return Organization.objects.aggregate(
        active=Count("pk", filter=Q(status=Organization.Status.ACTIVE)),
        vip=Count("pk", filter=Q(status=Organization.Status.ACTIVE, tier=Organization.Tier.VIP)),
        churned=Count("pk", filter=Q(status=Organization.Status.CHURNED)),
    )


def customers():
    return User.objects.filter(groups__name=Role.CUSTOMER, is_active=True)


def organizations_managed_by(user):
    return (
        Organization.objects.filter(account_manager=user)
        .annotate(contact_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("-tier", "name")
    )


def recent_customers(limit: int = 8):
    return customers().select_related("organization").order_by("-date_joined")[:limit]


def colleagues_of(user):
    """Other active members of the user's organisation, for its primary contact only."""
    if not (user.organization_id and user.is_primary_contact):
        return User.objects.none()
    members = User.objects.filter(organization_id=user.organization_id, is_active=True)
    return members.exclude(pk=user.pk).order_by("name")


def organization_status_history(organization):
    from helpdesk.accounts.models import OrganizationStatusChange

    return (OrganizationStatusChange.objects.filter(organization=organization)
            .select_related("changed_by").order_by("-recorded_at", "-pk"))


def organization_for_user(user, pk):
    """An organisation's lifecycle page is for managers; anyone else gets 404."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from helpdesk.accounts.roles import is_manager

    if not is_manager(user):
        raise Http404
    return get_object_or_404(Organization.objects.select_related("account_manager"), pk=pk)


def churn_figures(start, end) -> dict:
    """Churn counts for the days ``start`` to ``end`` (both included), from the lifecycle history.

    active_at_start: organisations whose latest change effective before ``start`` made them active;
    new: organisations whose first ever change to active is effective in the period;
    churned: organisations with a change to churned effective in the period;
    reactivated: organisations made active again (churned → active) in the period.
    The rate is ``reports.metrics.churn_rate(churned, active_at_start)`` (accounts imports no feature app).
    Four queries, whatever the number of organisations.
    """
    from django.db.models import Min, OuterRef, Subquery

    from helpdesk.accounts.models import OrganizationStatusChange

    status = Organization.Status
    changes = OrganizationStatusChange.objects.order_by()
    latest_before_start = (changes.filter(organization=OuterRef("pk"), effective_on__lt=start)
                           .order_by("-effective_on", "-recorded_at", "-pk").values("to_status")[:1])
    active_at_start = (Organization.objects.order_by().annotate(status_then=Subquery(latest_before_start))
                       .filter(status_then=status.ACTIVE).count())
    new = (changes.filter(to_status=status.ACTIVE).values("organization")
           .annotate(first=Min("effective_on")).filter(first__gte=start, first__lte=end).count())
    in_period = changes.filter(effective_on__gte=start, effective_on__lte=end)
    churned = in_period.filter(to_status=status.CHURNED).values("organization").distinct().count()
    reactivated = (in_period.filter(to_status=status.ACTIVE, from_status=status.CHURNED)
                   .values("organization").distinct().count())
    return {"active_at_start": active_at_start, "new": new, "churned": churned, "reactivated": reactivated}
