from django.urls import path

from aftersales.views import desk, files, portal

app_name = "aftersales"

urlpatterns = [
    # Customer portal
    path("portal/products/", portal.product_list, name="portal-products"),
    path("portal/products/register/", portal.purchase_register, name="portal-register"),
    path("portal/products/<int:pk>/", portal.product_detail, name="portal-product"),
    path("portal/products/<int:pk>/service/", portal.service_request_create, name="portal-create"),
    path("portal/products/<int:pk>/proof/", files.proof_of_purchase, name="proof"),
    path("portal/service/", portal.service_request_list, name="portal-list"),
    path("portal/service/files/<int:pk>/", files.service_file, name="file"),
    path("portal/service/<str:reference>/", portal.service_request_detail, name="portal-detail"),
    path("portal/service/<str:reference>/reply/", portal.service_request_reply, name="portal-reply"),
    path("portal/service/<str:reference>/quote/accept/", portal.quote_accept, name="portal-quote-accept"),
    path("portal/service/<str:reference>/quote/decline/", portal.quote_decline, name="portal-quote-decline"),
    # Agent desk
    path("desk/service/", desk.service_request_list, name="desk-list"),
    path("desk/service/from-ticket/<str:reference>/", desk.convert_ticket, name="desk-convert-ticket"),
    path("desk/service/<str:reference>/", desk.service_request_detail, name="desk-detail"),
    path("desk/service/<str:reference>/review/", desk.start_review, name="desk-start-review"),
    path("desk/service/<str:reference>/approve/", desk.approve, name="desk-approve"),
    path("desk/service/<str:reference>/reject/", desk.reject, name="desk-reject"),
    path("desk/service/<str:reference>/quote/", desk.send_quote, name="desk-quote"),
    path("desk/service/<str:reference>/technician/", desk.assign, name="desk-assign"),
    path("desk/service/<str:reference>/log/", desk.add_log, name="desk-log"),
    path("desk/service/<str:reference>/start/", desk.start_service, name="desk-start"),
    path("desk/service/<str:reference>/complete/", desk.complete, name="desk-complete"),
    path("desk/service/<str:reference>/close/", desk.close, name="desk-close"),
]
