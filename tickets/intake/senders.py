"""Who wrote a message: the sender's account, found or made, and whether an unverified sender is held back."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.accounts.roles import Role, is_agent, set_roles
from helpdesk.accounts.services import organization_for_email
from tickets.models import Verification


def find_account(address: str) -> User | None:
    if not address:
        return None
    return User.objects.select_related("organization").filter(email__iexact=address).first()


def refusal(user: User | None, sender) -> str:
    """Why no ticket may come of this sender at all (no address, inactive account, the unknown-sender policy)."""
    if not sender.address:
        return _("No valid sender address")
    if user is not None:
        return "" if user.is_active else _("The sender's account is not active")
    policy = settings.INBOUND_UNKNOWN_SENDER
    if policy == "reject":
        return _("Unknown sender; mail from unknown senders is refused")
    if policy == "known_domains" and organization_for_email(sender.address) is None:
        return _("Unknown sender whose domain belongs to no customer organisation")
    return ""


def suspension(user: User | None, sender) -> str:
    """Why a message whose sender is not verified waits for an agent, or "" when it may go on.

    A message that claims a staff address never acts as that agent unverified: anybody can write any
    ``From:``. A customer's unverified message goes on, flagged, unless INBOUND_UNVERIFIED says suspend.
    """
    if sender.verification == Verification.VERIFIED:
        return ""
    if user is not None and is_agent(user):
        return _("Claims to come from the staff address %(address)s but the sender is not verified (%(how)s)") % {
            "address": sender.address, "how": sender.how or _("no proof")}
    if settings.INBOUND_UNVERIFIED == "suspend":
        return _("The sender %(address)s is not verified (%(how)s)") % {
            "address": sender.address, "how": sender.how or _("no proof")}
    return ""


def create_account(sender) -> User:
    """A customer account for an unknown sender (the policy allowed it), in the organisation of their domain."""
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=sender.address, password=None, name=sender.name[:150],
                                            organization=organization_for_email(sender.address))
            set_roles(user, [Role.CUSTOMER])
    except IntegrityError:  # another worker created the same account a moment ago
        return User.objects.select_related("organization").get(email__iexact=sender.address)
    return user
