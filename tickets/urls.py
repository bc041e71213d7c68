from django.urls import path

from tickets.views import attachments, desk, portal, suspended

app_name = "tickets"

urlpatterns = [
    # Customer portal
    path("portal/tickets/", portal.ticket_list, name="portal-list"),
    path("portal/tickets/new/", portal.ticket_create, name="portal-create"),
    path("portal/tickets/<str:reference>/", portal.ticket_detail, name="portal-detail"),
    path("portal/tickets/<str:reference>/reply/", portal.ticket_reply, name="portal-reply"),
    path("portal/tickets/<str:reference>/resolve/", portal.ticket_resolve, name="portal-resolve"),
    path("portal/tickets/<str:reference>/reopen/", portal.ticket_reopen, name="portal-reopen"),
    path("portal/tickets/<str:reference>/close/", portal.ticket_close, name="portal-close"),
    # Agent desk
    path("desk/tickets/", desk.ticket_list, name="desk-list"),
    path("desk/tickets/bulk/", desk.ticket_bulk, name="desk-bulk"),
    path("desk/tickets/new/", desk.ticket_create, name="desk-create"),
    path("desk/tickets/<str:reference>/", desk.ticket_detail, name="desk-detail"),
    path("desk/tickets/<str:reference>/reply/", desk.ticket_reply, name="desk-reply"),
    path("desk/tickets/<str:reference>/update/", desk.ticket_update, name="desk-update"),
    path("desk/tickets/<str:reference>/merge/", desk.ticket_merge, name="desk-merge"),
    path("desk/canned-responses/<int:pk>/", desk.canned_response, name="desk-canned"),
    path("desk/suspended/", suspended.suspended_list, name="desk-suspended"),
    path("desk/suspended/<int:pk>/", suspended.suspended_detail, name="desk-suspended-detail"),
    path("desk/suspended/<int:pk>/recover/", suspended.suspended_recover, name="desk-suspended-recover"),
    path("desk/suspended/<int:pk>/delete/", suspended.suspended_discard, name="desk-suspended-delete"),
    # Files, for whoever may see the ticket
    path("attachments/<int:pk>/", attachments.download, name="attachment"),
]
