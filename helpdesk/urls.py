from django.contrib import admin
from django.urls import include, path

from helpdesk import csp, views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("portal/", views.portal_home, name="portal-home"),
    path("desk/", views.desk_home, name="desk-home"),
    path("desk/search/", views.desk_search, name="desk-search"),
    path("accounts/", include("helpdesk.accounts.urls")),
    path("", include("tickets.urls")),
    path("", include("knowledgebase.urls")),
    path("", include("aftersales.urls")),
    path("", include("feedback.urls")),
    path("", include("care.urls")),
    path("", include("assist.urls")),
    path("", include("reports.urls")),
    path("i18n/setlang/", views.set_language, name="set-language"),
    path("csp-report/", csp.csp_report, name="csp-report"),
    path("admin/", admin.site.urls),
]
