"""The survey a customer opens from the e-mail: no sign-in, the unguessable token is the key.

A GET only shows the page (a score from the e-mail link is preselected); only the submit button records.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from feedback import selectors, services
from feedback.forms import SurveyAnswerForm
from feedback.models import CustomerSurveyPreference


def _language(invitation):
    return invitation.recipient.locale or translation.get_language()


def _initial(invitation, form_fields, preselected):
    response = getattr(invitation, "response", None)
    initial = {}
    if response is not None:
        answers = {answer.question_id: answer for answer in response.answers.all()}
        for question, name in form_fields:
            answer = answers.get(question.pk)
            if answer is not None:
                initial[name] = answer.score if answer.score is not None else (answer.choice or answer.text)
        initial["comment"] = response.comment
    score_question = invitation.survey.score_question()
    if preselected is not None and score_question is not None:
        initial[f"q{score_question.pk}"] = preselected
    return initial


def _preselected(request, survey):
    raw = request.GET.get("score", "")
    if raw.lstrip("-").isdigit() and int(raw) in survey.score_choices():
        return int(raw)
    return None


@require_http_methods(["GET", "POST"])
def survey(request, token):
    invitation = selectors.invitation_for_token(token, request.user)
    language = _language(invitation)
    with translation.override(language):
        if invitation.is_expired():
            return render(request, "feedback/survey/expired.html", {"invitation": invitation}, status=410)
        survey = invitation.survey
        response = getattr(invitation, "response", None) if invitation.responded_at else None
        if request.method == "POST":
            form = SurveyAnswerForm(request.POST, survey=survey, language=language)
            if form.is_valid():
                try:
                    services.response_submit(invitation=invitation, answers=form.answers(),
                                             comment=form.cleaned_data["comment"])
                except services.FeedbackError as error:
                    return render(request, "feedback/survey/expired.html",
                                  {"invitation": invitation, "message": str(error)}, status=410)
                messages.success(request, _("Thank you! Your answer is saved. You can change it until the survey "
                                            "closes."))
                return redirect("feedback:survey", token)
        else:
            form = SurveyAnswerForm(survey=survey, language=language)
            form.initial = _initial(invitation, form.question_fields, _preselected(request, survey))
        context = {
            "invitation": invitation, "survey": survey, "form": form, "response": response,
            "preselected": _preselected(request, survey) if request.method == "GET" else None,
            "now": timezone.now(), "survey_language": language,
        }
        return render(request, "feedback/survey/survey.html", context)


@csrf_exempt  # RFC 8058 one-click: the mail program POSTs without a session; the secret token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    invitation = selectors.invitation_for_token(token, request.user)
    with translation.override(_language(invitation)):
        preference = CustomerSurveyPreference.objects.filter(customer=invitation.recipient).first()
        done = bool(preference and preference.unsubscribed_at)
        if request.method == "POST":
            services.invitation_unsubscribe(invitation=invitation)
            done = True
        return render(request, "feedback/survey/unsubscribe.html", {"invitation": invitation, "done": done})
