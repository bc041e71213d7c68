from django.urls import path

from assist import views

app_name = "assist"

urlpatterns = [
    path("desk/assist/", views.dashboard, name="dashboard"),
    path("desk/assist/tickets/<str:reference>/accept/", views.accept, name="accept"),
    path("desk/assist/tickets/<str:reference>/answer-used/", views.answer_used, name="answer-used"),
]
