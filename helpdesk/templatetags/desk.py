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
    return mark_safe("".join(html))  # noqa: S308 — our own templates, rendered with autoescaping  # nosec B308, B703


@register.simple_tag(takes_context=True)
def template_hook(context, name):
    """Render what feature apps registered for this named place (see helpdesk.desk.register_template_hook)."""
    request = context.get("request")
    flat = context.flatten()
    html = [render_to_string(hook.template, {**flat, **hook.context(request, flat)}, request=request)
            for hook in desk.template_hooks.get(name, [])]
    return mark_safe("".join(html))  # noqa: S308 — our own templates, rendered with autoescaping  # nosec B308, B703
