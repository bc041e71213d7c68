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
