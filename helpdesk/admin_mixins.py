"""What several apps' admin classes share."""


class ReadOnlyAdminMixin:
    """View and search only: rows that change through a service (with their audit trail) or that a job writes."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
