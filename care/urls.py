from django.urls import path

from care.views import churn, customers, tasks

app_name = "care"

# The URLs customer care had before it was an app of its own: care tasks and an organisation's lifecycle under
# /accounts/, the customer directory, Customer 360 and the at-risk list under /desk/customers/.
urlpatterns = [
    path("accounts/care/", tasks.care_list, name="care-list"),
    path("accounts/care/<int:pk>/", tasks.care_task, name="care-task"),
    path("accounts/organizations/<int:pk>/status/", churn.organization_status, name="organization-status"),
    path("desk/customers/", customers.customer_list, name="customer-list"),
    path("desk/customers/at-risk/", customers.at_risk, name="at-risk"),
    path("desk/customers/org/<int:pk>/", customers.organization_360, name="organization-360"),
    path("desk/customers/org/<int:pk>/health/", customers.organization_health_recompute, name="health-recompute"),
    path("desk/customers/person/<int:pk>/", customers.person_360, name="person-360"),
    path("desk/customers/person/<int:pk>/health/", customers.person_health_recompute, name="person-health-recompute"),
]
