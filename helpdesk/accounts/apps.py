from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "helpdesk.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from helpdesk.accounts import roles, search, sessions  # noqa: F401 — search registers its groups

        user_logged_in.connect(sessions.start_idle_clock, dispatch_uid="helpdesk.accounts.start_idle_clock")

        # Not limited to this app: the permissions of apps migrated after this one exist only later.
        post_migrate.connect(roles.grant_role_permissions, dispatch_uid="helpdesk.accounts.grant_role_permissions")
