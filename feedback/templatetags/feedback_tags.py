from django import template
from django.utils.html import format_html

register = template.Library()

FEEDBACK_STATUS = {"new": "text-bg-primary", "acknowledged": "text-bg-info", "linked": "text-bg-success",
                   "closed": "text-bg-secondary"}
IMPROVEMENT_STATUS = {"proposed": "text-bg-light border", "planned": "text-bg-info", "in_progress": "text-bg-primary",
                      "shipped": "text-bg-success", "verified": "text-bg-dark"}
KIND = {"bug": "fb-kind-bug", "idea": "fb-kind-idea", "praise": "fb-kind-praise", "usability": "fb-kind-usability"}


@register.simple_tag
def score_badge(response):
    """A survey score coloured by how it reads on its scale: low red, middle amber, high green."""
    if response is None or response.score is None:
        return ""
    survey = response.invitation.survey
    if survey.is_low(response.score):
        css = "text-bg-danger"
    elif response.score >= survey.score_max - 1:
        css = "text-bg-success"
    else:
        css = "text-bg-warning"
    return format_html('<span class="badge fb-score {}" title="{}">{}/{}</span>', css, survey.get_kind_display(),
                       response.score, survey.score_max)


@register.simple_tag
def feedback_status_badge(feedback):
    return format_html('<span class="badge {}">{}</span>', FEEDBACK_STATUS.get(feedback.status, "text-bg-light"),
                       feedback.get_status_display())


@register.simple_tag
def feedback_kind_badge(feedback):
    return format_html('<span class="badge fb-kind {}">{}</span>', KIND.get(feedback.kind, ""),
                       feedback.get_kind_display())


@register.simple_tag
def improvement_status_badge(improvement):
    return format_html('<span class="badge {}">{}</span>', IMPROVEMENT_STATUS.get(improvement.status, "text-bg-light"),
                       improvement.get_status_display())
