"""The desk: triage product feedback, the improvement backlog, surveys, and follow-ups on low scores."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone, translation
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
    SurveyAnswerForm,
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
    """The survey builder: settings and every question on one page, a preview, one save for all of it.

    The buttons of the page: "Add a question" and the arrows re-show the page with the change (nothing is
    saved), "Preview" shows the survey as the customer will see it (nothing is saved), "Save survey" saves the
    survey and all its questions at once, or nothing when anything is wrong.
    """
    survey = selectors.survey_for_manager(request.user, pk) if pk else Survey()
    preview = None
    preview_language = request.POST.get("preview_language") or translation.get_language()
    if request.method == "POST":
        data = _builder_data(request.POST)
        form = SurveyForm(data, instance=survey)
        questions = QuestionFormSet(data, instance=survey)
        action = request.POST.get("action", "save")
        if action in ("save", "preview") and form.is_valid() and questions.is_valid():
            if action == "save":
                with transaction.atomic():
                    survey = form.save()
                    questions.instance = survey
                    questions.save()
                messages.success(request, _("Survey saved."))
                return redirect("feedback:desk-surveys")
            with translation.override(preview_language):
                preview = SurveyAnswerForm(survey=form.instance, language=preview_language,
                                           questions=questions.questions(), prefix="preview")
        status = 400 if action == "save" else 200
    else:
        form = SurveyForm(instance=survey)
        questions = QuestionFormSet(instance=survey)
        status = 200
    context = {"form": form, "questions": questions, "question_forms": _in_order(questions), "survey": survey,
               "preview": preview, "preview_language": preview_language, "languages": settings.LANGUAGES}
    return render(request, "feedback/desk/survey_edit.html", context, status=status)


def _builder_data(post):
    """The posted builder with "add a question" or a move applied (a move swaps two questions' order)."""
    data = post.copy()
    prefix = QuestionFormSet.get_default_prefix()
    total_key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(total_key, "0"))
    except ValueError:
        return data
    action = post.get("action", "")
    if action == "add" and total < QuestionFormSet.max_num:
        data[total_key] = str(total + 1)  # a blank question, after the others
    elif action.startswith(("up-", "down-")):
        direction, _sep, index = action.partition("-")
        # The questions written so far move; a blank one stays blank (and so is not saved).
        written = [i for i in range(total)
                   if data.get(f"{prefix}-{i}-id") or (data.get(f"{prefix}-{i}-text_en") or "").strip()]
        order = sorted(written, key=lambda i: _order(data, prefix, i))
        if index.isdigit() and int(index) in order:
            at = order.index(int(index))
            other = at - 1 if direction == "up" else at + 1
            if 0 <= other < len(order):
                order[at], order[other] = order[other], order[at]
                for number, form_index in enumerate(order, start=1):
                    data[f"{prefix}-{form_index}-order"] = str(number)
    return data


def _order(data, prefix, index) -> tuple:
    """A sort key: the number given, then the place on the page; a question with no number goes last."""
    try:
        return (0, int(data.get(f"{prefix}-{index}-order")), index)
    except (TypeError, ValueError):
        return (1, 0, index)



def _in_order(questions) -> list:
    """The question forms in the order the manager gave them, each with its place, for the arrows."""
    if questions.is_bound:
        keys = [_order(questions.data, questions.prefix, index) for index in range(len(questions.forms))]
    else:  # the blank form for a new question last
        keys = [(0, form.instance.order, index) if form.instance.pk else (1, 0, index)
                for index, form in enumerate(questions.forms)]
    return [questions.forms[key[2]] for key in sorted(keys)]
