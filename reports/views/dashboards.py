"""The manager dashboards under /reports/ and their CSV exports."""

urlpatterns = []
