from django.utils.functional import SimpleLazyObject

from helpdesk.accounts import roles as role_checks


def roles(request):
    """Template flags for navigation: ``{% if roles.is_agent %}``. Evaluated only when used."""

    def compute():
        user = request.user
        return {
            "is_customer": role_checks.is_customer(user),
            "is_agent": role_checks.is_agent(user),
            "is_manager": role_checks.is_manager(user),
            "is_admin": role_checks.is_admin(user),
            "is_staff": bool(getattr(user, "is_staff", False) and user.is_active),
        }

    return {"roles": SimpleLazyObject(compute)}
