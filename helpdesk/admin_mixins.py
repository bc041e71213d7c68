"""What several apps' admin classes share."""


class ReadOnlyAdminMixin:
    """View and search only: rows that change through a service (with their audit trail) or that a job writes."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InternalAdminMixin(ReadOnlyAdminMixin):
    """Snapshot tables, runs and audit events: superusers may read them to check a figure; managers never see them.

    They are grouped under "Internal records" on the admin index (helpdesk.admin_site).
    """

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
