from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from helpdesk import desk

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_sidebar(context):
    """The sidebar sections registered by feature apps (queues with counts, …)."""
    request = context["request"]
    html = [render_to_string(section.template, section.context(request), request=request)
            for section in desk.sidebar_sections]
    return mark_safe("".join(html))  # noqa: S308 — our own templates, rendered with autoescaping
