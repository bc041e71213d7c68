import functools
import re
from html import unescape

from django import template
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
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


PANEL_GROUPS = {"home": desk.home_panels, "sidebar": desk.sidebar_sections, "portal": desk.portal_panels}


@register.simple_tag(takes_context=True)
def stylesheets(context, *names):
    """<link> tags for a page's feature stylesheets, each once per page whichever template asks for it.

    A name is a static path ("css/tickets.css"), or the panels a page shows ("panels:home") or a hook it
    renders ("hook:desk_ticket_side"): those link the stylesheets their registered templates need.
    """
    linked = context.render_context.setdefault("linked_stylesheets", set())
    paths = []
    for name in names:
        if name.startswith("panels:"):
            paths += [panel.stylesheet_path for panel in PANEL_GROUPS[name.removeprefix("panels:")]]
        elif name.startswith("hook:"):
            paths += [hook.stylesheet_path for hook in desk.template_hooks.get(name.removeprefix("hook:"), [])]
        else:
            paths.append(name)
    html = []
    for path in paths:
        if path and path not in linked and _stylesheet_exists(path):
            linked.add(path)
            html.append(format_html('<link rel="stylesheet" href="{}">', static(path)))
    return mark_safe("\n  ".join(html))  # noqa: S308 — each part built by format_html  # nosec B308, B703


@functools.cache
def _stylesheet_exists(path: str) -> bool:
    return finders.find(path) is not None


NAV_LINK = re.compile(r'<a\s[^>]*\bclass="(?P<class>[^"]*\bnav-link\b[^"]*)"[^>]*>')
HREF = re.compile(r'\bhref="([^"]*)"')


@register.tag
def sidebar_nav(parser, token):
    """{% sidebar_nav %}…links…{% endsidebar_nav %}: of the nav-links inside, only the best match is active."""
    nodelist = parser.parse(("endsidebar_nav",))
    parser.delete_first_token()
    return SidebarNavNode(nodelist)


class SidebarNavNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        request = context.get("request")
        if request is None:
            return html
        links = list(NAV_LINK.finditer(html))
        hrefs = [unescape(match[1]) if (match := HREF.search(link[0])) else "" for link in links]
        winner = desk.active_link(request.path, request.GET, hrefs)
        out, last = [], 0
        for index, link in enumerate(links):
            classes = [name for name in link["class"].split() if name != "active"]
            tag = link[0].replace(' aria-current="page"', "")
            if index == winner:
                classes.append("active")
                tag = tag.replace("<a ", '<a aria-current="page" ', 1)
            tag = tag.replace(f'class="{link["class"]}"', f'class="{" ".join(classes)}"', 1)
            out += [html[last:link.start()], tag]
            last = link.end()
        out.append(html[last:])
        return mark_safe("".join(out))  # noqa: S308 — our own rendered templates, only class names changed  # nosec B308, B703
