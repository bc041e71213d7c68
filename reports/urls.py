from reports.views import customers, dashboards

app_name = "reports"

# The customer 360 and at-risk pages live under /desk/customers/, the dashboards under /reports/.
urlpatterns = customers.urlpatterns + dashboards.urlpatterns
