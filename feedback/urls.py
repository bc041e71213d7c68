from django.urls import path

from feedback.views import desk, portal, survey

app_name = "feedback"

urlpatterns = [
    # Public survey pages: the token is the key
    path("survey/<str:token>/", survey.survey, name="survey"),
    path("survey/<str:token>/unsubscribe/", survey.unsubscribe, name="unsubscribe"),
    # Customer portal
    path("portal/feedback/", portal.feedback_list, name="portal-list"),
    path("portal/feedback/new/", portal.feedback_create, name="portal-create"),
    path("portal/feedback/<int:pk>/", portal.feedback_detail, name="portal-detail"),
    path("portal/feedback/<int:pk>/screenshot/", portal.screenshot, name="portal-screenshot"),
    path("portal/feedback/rate/<str:reference>/", portal.rate_ticket, name="portal-rate-ticket"),
    path("portal/feedback/rate-service/<str:reference>/", portal.rate_service_request, name="portal-rate-service"),
    # Agent desk
    path("desk/feedback/", desk.feedback_list, name="desk-list"),
    path("desk/feedback/<int:pk>/", desk.feedback_detail, name="desk-feedback"),
    path("desk/feedback/<int:pk>/screenshot/", desk.feedback_screenshot, name="desk-screenshot"),
    path("desk/feedback/<int:pk>/triage/", desk.feedback_triage, name="desk-triage"),
    path("desk/feedback/<int:pk>/duplicate/", desk.feedback_duplicate, name="desk-duplicate"),
    path("desk/feedback/<int:pk>/link/", desk.feedback_link, name="desk-link"),
    path("desk/feedback/improvements/", desk.improvement_list, name="desk-improvements"),
    path("desk/feedback/improvements/<int:pk>/", desk.improvement_detail, name="desk-improvement"),
    path("desk/feedback/improvements/<int:pk>/move/", desk.improvement_move, name="desk-improvement-move"),
    path("desk/feedback/improvements/<int:pk>/link/", desk.improvement_link, name="desk-improvement-link"),
    path("desk/feedback/improvements/<int:pk>/verify/", desk.improvement_verify, name="desk-improvement-verify"),
    path("desk/feedback/surveys/", desk.survey_list, name="desk-surveys"),
    path("desk/feedback/surveys/new/", desk.survey_edit, name="desk-survey-create"),
    path("desk/feedback/surveys/<int:pk>/", desk.survey_edit, name="desk-survey-edit"),
]
