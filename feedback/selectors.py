"""Reads for the feedback views, scoped to what the person may see (another person's item answers 404)."""

from datetime import timedelta

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from feedback.models import Feedback, FeedbackTag, Improvement, Survey, SurveyInvitation, SurveyResponse
from helpdesk.accounts.roles import is_agent, is_manager


def invitation_for_token(token: str, user=None) -> SurveyInvitation:
    """The invitation a link points to. Unknown or altered tokens, and someone else's signed in, get 404."""
    if not token or len(token) > 64:
        raise Http404
    invitation = get_object_or_404(
        SurveyInvitation.objects.select_related("survey", "recipient", "ticket", "service_request",
                                                "service_request__purchase__product"),
        token=token,
    )
    if user is not None and user.is_authenticated and user.pk != invitation.recipient_id:
        raise Http404
    return invitation


def open_invitations_for(user, now=None):
    now = now or timezone.now()
    return (SurveyInvitation.objects.filter(recipient=user, expires_at__gt=now)
            .select_related("survey", "ticket", "service_request", "response").order_by("-created_at"))


def ticket_invitation(ticket, user):
    return (SurveyInvitation.objects.filter(ticket=ticket, recipient=user)
            .select_related("survey", "response").order_by("pk").first())


# ---------------------------------------------------------------- product feedback


def portal_feedback_list(user):
    return (Feedback.objects.filter(author=user).select_related("area")
            .prefetch_related(Prefetch("improvements", queryset=Improvement.objects.only("pk", "title", "status"))))


def feedback_for_customer(user, pk) -> Feedback:
    return get_object_or_404(portal_feedback_list(user), pk=pk)


def desk_feedback_list(user):
    if not is_agent(user):
        return Feedback.objects.none()
    return (Feedback.objects.select_related("author", "organization", "area", "duplicate_of")
            .annotate(duplicate_count=Count("duplicates", distinct=True))
            .prefetch_related(Prefetch("tags", queryset=FeedbackTag.objects.order_by("name"))))


def feedback_for_desk(user, pk) -> Feedback:
    return get_object_or_404(
        desk_feedback_list(user).prefetch_related(
            Prefetch("duplicates", queryset=Feedback.objects.select_related("author")),
            Prefetch("improvements", queryset=Improvement.objects.order_by("-updated_at"))),
        pk=pk)


def feedback_area_counts(area, shipped_at, days=30) -> tuple[int, int]:
    """Feedback about an area in the N days before and after a release: a suggested before/after figure."""
    window = timedelta(days=days)
    items = Feedback.objects.filter(area=area) if area else Feedback.objects.all()
    figures = items.aggregate(
        before=Count("pk", filter=Q(created_at__gte=shipped_at - window, created_at__lt=shipped_at)),
        after=Count("pk", filter=Q(created_at__gte=shipped_at, created_at__lt=shipped_at + window)),
    )
    return figures["before"], figures["after"]


# ---------------------------------------------------------------- improvements and surveys


def improvement_list(user):
    if not is_manager(user):
        return Improvement.objects.none()
    return (Improvement.objects.select_related("area")
            .annotate(feedback_count=Count("feedback", distinct=True)))


def improvement_for_manager(user, pk) -> Improvement:
    return get_object_or_404(improvement_list(user), pk=pk)


def survey_list(user):
    if not is_manager(user):
        return Survey.objects.none()
    return (Survey.objects.select_related("queue", "product")
            .annotate(invited=Count("invitations", distinct=True),
                      answered=Count("invitations", filter=Q(invitations__responded_at__isnull=False),
                                     distinct=True)))


def survey_for_manager(user, pk) -> Survey:
    return get_object_or_404(survey_list(user), pk=pk)


# ---------------------------------------------------------------- desk panels


def visible_responses(user):
    responses = SurveyResponse.objects.select_related(
        "invitation__survey", "invitation__recipient", "invitation__ticket", "invitation__service_request",
        "invitation__organization")
    if is_manager(user):
        return responses
    if not is_agent(user):
        return responses.none()
    return responses.filter(Q(invitation__ticket__queue__members=user) | Q(invitation__ticket__isnull=True)).distinct()


def ticket_responses(ticket):
    return (SurveyResponse.objects.filter(invitation__ticket=ticket)
            .select_related("invitation__survey", "invitation__recipient").order_by("-updated_at"))


def service_request_invitation(service_request, user):
    return (SurveyInvitation.objects.filter(service_request=service_request, recipient=user)
            .select_related("survey", "response").order_by("pk").first())


def service_request_responses(service_request):
    return (SurveyResponse.objects.filter(invitation__service_request=service_request)
            .select_related("invitation__survey", "invitation__recipient").order_by("-updated_at"))


def sidebar_counts(user) -> dict:
    counts = Feedback.objects.aggregate(new=Count("pk", filter=Q(status=Feedback.Status.NEW)))
    if is_manager(user):
        counts["improvements"] = Improvement.objects.exclude(
            status__in=[Improvement.Status.VERIFIED]).count()
    return counts
