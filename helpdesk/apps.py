from django.contrib.admin.apps import AdminConfig


class HelpdeskAdminConfig(AdminConfig):
    """Django admin with our own site (helpdesk.admin_site) as ``admin.site``."""

    default_site = "helpdesk.admin_site.HelpdeskAdminSite"
