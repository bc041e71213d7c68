"""The desk: triage product feedback, the improvement backlog, surveys, and follow-ups on low scores."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from feedback import selectors, services
from feedback.filters import FeedbackFilter
from feedback.forms import (
    DuplicateForm,
    FeedbackTriageForm,
    ImprovementForm,
    ImprovementMoveForm,
    LinkFeedbackForm,
    LinkToImprovementForm,
    QuestionFormSet,
    SurveyForm,
    VerifyForm,
)
from feedback.models import Improvement, Survey
from feedback.views.portal import _screenshot_response
from helpdesk.accounts.roles import agent_required, is_manager, manager_required
from helpdesk.pagination import CappedPaginator as Paginator

PAGE_SIZE = 25


# ---------------------------------------------------------------- triage


@require_safe
@agent_required
def feedback_list(request):
    filterset = FeedbackFilter(request.GET or None, queryset=selectors.desk_feedback_list(request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"filter": filterset, "page": page, "query": params.urlencode(), "now": timezone.now()}
    partial = request.htmx and not request.htmx.history_restore_request
    template = "feedback/desk/_feedback_results.html" if partial else "feedback/desk/feedback_list.html"
    return render(request, template, context)


def _detail_context(request, feedback, **forms):
    context = {
        "feedback": feedback,
        "triage_form": FeedbackTriageForm(initial={"status": feedback.status,
                                                   "tags": ", ".join(tag.name for tag in feedback.tags.all())}),
        "duplicate_form": DuplicateForm(feedback=feedback),
        "link_form": LinkToImprovementForm() if is_manager(request.user) else None,
        "now": timezone.now(),
    }
    context.update(forms)
    return context


@require_safe
@agent_required
def feedback_detail(request, pk):
    feedback = selectors.feedback_for_desk(request.user, pk)
    return render(request, "feedback/desk/feedback_detail.html", _detail_context(request, feedback))


@require_safe
@agent_required
def feedback_screenshot(request, pk):
    return _screenshot_response(selectors.feedback_for_desk(request.user, pk))


@require_POST
@agent_required
def feedback_triage(request, pk):
    feedback = selectors.feedback_for_desk(request.user, pk)
    form = FeedbackTriageForm(request.POST)
    if not form.is_valid():
        return render(request, "feedback/desk/feedback_detail.html",
                      _detail_context(request, feedback, triage_form=form), status=400)
    services.feedback_update(feedback=feedback, status=form.cleaned_data["status"], tags=form.tag_names())
    messages.success(request, _("Feedback #%(number)s updated.") % {"number": feedback.pk})
    return redirect("feedback:desk-feedback", feedback.pk)


@require_POST
@agent_required
def feedback_duplicate(request, pk):
    feedback = selectors.feedback_for_desk(request.user, pk)
    form = DuplicateForm(request.POST, feedback=feedback)
    if form.is_valid():
        try:
            services.feedback_mark_duplicate(feedback=feedback, original=form.cleaned_data["original"])
        except services.FeedbackError as error:
            form.add_error("original", str(error))
    if not form.is_valid():
        return render(request, "feedback/desk/feedback_detail.html",
                      _detail_context(request, feedback, duplicate_form=form), status=400)
    messages.success(request, _("Marked as a duplicate of #%(number)s.") % {"number": form.cleaned_data["original"].pk})
    return redirect("feedback:desk-feedback", feedback.pk)


@require_POST
@manager_required
def feedback_link(request, pk):
    feedback = selectors.feedback_for_desk(request.user, pk)
    form = LinkToImprovementForm(request.POST)
    if not form.is_valid():
        return render(request, "feedback/desk/feedback_detail.html",
                      _detail_context(request, feedback, link_form=form), status=400)
    improvement = form.cleaned_data["improvement"]
    services.improvement_link(improvement=improvement, feedback_items=[feedback])
    messages.success(request, _("Linked to “%(title)s”.") % {"title": improvement.title})
    return redirect("feedback:desk-feedback", feedback.pk)


# ---------------------------------------------------------------- improvements


@require_http_methods(["GET", "POST"])
@manager_required
def improvement_list(request):
    if request.method == "POST":
        form = ImprovementForm(request.POST)
        if form.is_valid():
            improvement = services.improvement_create(by=request.user, **form.cleaned_data)
            messages.success(request, _("Improvement added."))
            return redirect("feedback:desk-improvement", improvement.pk)
    else:
        form = ImprovementForm()
    improvements = selectors.improvement_list(request.user)
    status = request.GET.get("status", "")
    if status in Improvement.Status.values:
        improvements = improvements.filter(status=status)
    page = Paginator(improvements.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/desk/improvement_list.html",
                  {"page": page, "form": form, "status": status, "statuses": Improvement.Status.choices})


def _improvement_context(request, improvement, **forms):
    suggestion = None
    if improvement.shipped_at:
        before, after = selectors.feedback_area_counts(improvement.area, improvement.shipped_at)
        suggestion = {"before": before, "after": after}
    verify_initial = {"metric_name": _("Feedback about %(area)s in 30 days") % {
        "area": improvement.area or _("all areas")}}
    if suggestion:
        verify_initial.update(before_value=suggestion["before"], after_value=suggestion["after"])
    context = {
        "improvement": improvement,
        "linked": improvement.feedback.select_related("author", "area").order_by("-created_at"),
        "link_form": LinkFeedbackForm(),
        "verify_form": VerifyForm(initial=verify_initial),
        "suggestion": suggestion,
        "now": timezone.now(),
    }
    context.update(forms)
    return context


@require_safe
@manager_required
def improvement_detail(request, pk):
    improvement = selectors.improvement_for_manager(request.user, pk)
    return render(request, "feedback/desk/improvement_detail.html", _improvement_context(request, improvement))


@require_POST
@manager_required
def improvement_move(request, pk):
    improvement = selectors.improvement_for_manager(request.user, pk)
    form = ImprovementMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("feedback:desk-improvement", pk)
    try:
        services.improvement_move(improvement=improvement, status=form.cleaned_data["status"])
    except services.FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Moved to “%(status)s”.") % {
            "status": Improvement.Status(form.cleaned_data["status"]).label})
    return redirect("feedback:desk-improvement", pk)


@require_POST
@manager_required
def improvement_link(request, pk):
    improvement = selectors.improvement_for_manager(request.user, pk)
    form = LinkFeedbackForm(request.POST)
    if not form.is_valid():
        return render(request, "feedback/desk/improvement_detail.html",
                      _improvement_context(request, improvement, link_form=form), status=400)
    services.improvement_link(improvement=improvement, feedback_items=form.cleaned_data["numbers"])
    messages.success(request, _("Feedback linked."))
    return redirect("feedback:desk-improvement", pk)


@require_POST
@manager_required
def improvement_verify(request, pk):
    improvement = selectors.improvement_for_manager(request.user, pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            services.improvement_verify(improvement=improvement, **form.cleaned_data)
        except services.FeedbackError as error:
            messages.error(request, str(error))
            return redirect("feedback:desk-improvement", pk)
    else:
        return render(request, "feedback/desk/improvement_detail.html",
                      _improvement_context(request, improvement, verify_form=form), status=400)
    messages.success(request, _("Improvement verified."))
    return redirect("feedback:desk-improvement", pk)


# ---------------------------------------------------------------- surveys


@require_safe
@manager_required
def survey_list(request):
    surveys = selectors.survey_list(request.user).order_by("-is_active", "name")
    return render(request, "feedback/desk/survey_list.html", {"surveys": surveys})


@require_http_methods(["GET", "POST"])
@manager_required
def survey_edit(request, pk=None):
    survey = selectors.survey_for_manager(request.user, pk) if pk else Survey()
    if request.method == "POST":
        form = SurveyForm(request.POST, instance=survey)
        questions = QuestionFormSet(request.POST, instance=survey)
        if form.is_valid() and questions.is_valid():
            survey = form.save()
            questions.instance = survey
            questions.save()
            messages.success(request, _("Survey saved."))
            return redirect("feedback:desk-surveys")
    else:
        form = SurveyForm(instance=survey)
        questions = QuestionFormSet(instance=survey)
    return render(request, "feedback/desk/survey_edit.html", {"form": form, "questions": questions, "survey": survey})
