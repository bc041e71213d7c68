from reports.views import dashboards

app_name = "reports"

# The dashboards, under /reports/ (the customer pages under /desk/customers/ are customer care's: care.urls).
urlpatterns = dashboards.urlpatterns
