"""The one place that answers "what may this user do?".

Roles are Django groups (created by a migration) plus ``is_superuser`` for admins.
Views ask through the predicates, decorators and mixins below, never by comparing
group names themselves.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    AGENT = "agent", _("Agent")
    MANAGER = "manager", _("Manager")


# What a manager may do in Django admin (superusers may do everything); feature apps add theirs in ready().
MANAGER_ADMIN_PERMISSIONS = {
    "accounts": ["view_user", "change_user", "view_organization", "add_organization", "change_organization",
                 "view_organizationstatuschange"],
    "mail": ["view_outboundemail"],
}


def role_names(user) -> frozenset[str]:
    """The user's role group names, fetched once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        user._role_names = cached
    return cached


def is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def is_manager(user) -> bool:
    return is_admin(user) or Role.MANAGER in role_names(user)


def is_agent(user) -> bool:
    """Agents, managers and admins all work in the desk."""
    return is_manager(user) or Role.AGENT in role_names(user)


def is_customer(user) -> bool:
    return Role.CUSTOMER in role_names(user) and not is_agent(user)


def set_roles(user, roles) -> None:
    """Give the user exactly these roles. Managers get the admin site; agents and customers do not."""
    from django.contrib.auth.models import Group

    roles = set(roles)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    groups = [Group.objects.get_or_create(name=role)[0] for role in sorted(roles)]
    user.groups.remove(*Group.objects.filter(name__in=set(Role.values) - roles))
    user.groups.add(*groups)
    staff = user.is_superuser or Role.MANAGER in roles
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    user._role_names = frozenset(roles)


def home_url_name(user) -> str:
    if is_agent(user):
        return "desk-home"
    return "portal-home"


def _role_required(predicate):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def portal_view(*, desk_detail=None, desk_list="desk-home"):
    """Signed-in people only; an agent who opens a portal page is sent to the desk's page for the same thing.

    ``desk_detail`` is the desk URL name for an object given as the ``reference`` URL argument.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if is_agent(user) and not is_customer(user):
                if desk_detail and kwargs.get("reference"):
                    return redirect(desk_detail, kwargs["reference"])
                return redirect(desk_list)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


customer_required = _role_required(is_customer)
agent_required = _role_required(is_agent)
manager_required = _role_required(is_manager)


class RoleRequiredMixin(AccessMixin):
    role_predicate = staticmethod(is_agent)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.role_predicate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CustomerRequiredMixin(RoleRequiredMixin):
    role_predicate = staticmethod(is_customer)


class AgentRequiredMixin(RoleRequiredMixin):
    role_predicate = staticmethod(is_agent)


class ManagerRequiredMixin(RoleRequiredMixin):
    role_predicate = staticmethod(is_manager)


def grant_role_permissions(sender, using="default", **kwargs):
    """post_migrate: keep the manager group's admin permissions in step with the models."""
    from django.contrib.auth.models import Group, Permission

    manager, _created = Group.objects.using(using).get_or_create(name=Role.MANAGER)
    for app_label, codenames in MANAGER_ADMIN_PERMISSIONS.items():
        perms = Permission.objects.using(using).filter(content_type__app_label=app_label, codename__in=codenames)
        manager.permissions.add(*perms)
