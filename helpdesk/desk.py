"""Panels that feature apps add to the desk home page, its sidebar, and the portal home page.

The base knows no feature app: each app registers what it shows from its
``AppConfig.ready()``, and the desk home renders whatever is registered, in order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.http import QueryDict


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable  # (request) -> dict
    order: int = 100
    # The feature stylesheet the panel's markup needs, linked by the page that shows it. By default the
    # app's own, named after the template's folder ("aftersales/…" → css/aftersales.css), if there is one.
    stylesheet: str | None = None

    @property
    def stylesheet_path(self) -> str | None:
        return self.stylesheet if self.stylesheet is not None else f"css/{self.template.split('/')[0]}.css"


home_panels: list[Panel] = []
sidebar_sections: list[Panel] = []
portal_panels: list[Panel] = []


def register_home_panel(template: str, context: Callable, order: int = 100, stylesheet: str | None = None) -> None:
    if not any(panel.template == template for panel in home_panels):
        home_panels.append(Panel(template, context, order, stylesheet))
        home_panels.sort(key=lambda panel: panel.order)


def register_sidebar_section(template: str, context: Callable, order: int = 100, stylesheet: str | None = None) -> None:
    if not any(panel.template == template for panel in sidebar_sections):
        sidebar_sections.append(Panel(template, context, order, stylesheet))
        sidebar_sections.sort(key=lambda panel: panel.order)


def register_portal_panel(template: str, context: Callable, order: int = 100, stylesheet: str | None = None) -> None:
    """A panel on the customer's portal home page."""
    if not any(panel.template == template for panel in portal_panels):
        portal_panels.append(Panel(template, context, order, stylesheet))
        portal_panels.sort(key=lambda panel: panel.order)


def render_panels(panels: list[Panel], request) -> list[dict]:
    return [{"template": panel.template, **panel.context(request)} for panel in panels]


# Named places in a lower app's templates where a higher app adds something (the knowledge base
# suggests articles on the ticket form; after-sales links a ticket to its service request), so the
# lower app never imports the higher one. A hook's context function gets (request, context).
template_hooks: dict[str, list[Panel]] = {}


def register_template_hook(name: str, template: str, context: Callable, order: int = 100,
                           stylesheet: str | None = None) -> None:
    hooks = template_hooks.setdefault(name, [])
    if not any(panel.template == template for panel in hooks):
        hooks.append(Panel(template, context, order, stylesheet))
        hooks.sort(key=lambda panel: panel.order)


# The desk sidebar highlights one link: the one whose address is the longest match for the page. A link
# matches when its path is a prefix of the page's path and each of its query parameters is in the page's
# query ("?queue=3" beats the plain list on the list of queue 3); a longer path wins, then more parameters.
def active_link(path: str, query: QueryDict, hrefs: list[str]) -> int | None:
    """The index of the link to highlight for a page at ``path`` with ``query``, or None."""
    best, best_score = None, (-1, -1)
    for index, href in enumerate(hrefs):
        link = urlsplit(href)
        if link.scheme or link.netloc or not link.path or not path.startswith(link.path):
            continue
        wanted = parse_qs(link.query, keep_blank_values=True)
        if any(not set(values) <= set(query.getlist(key)) for key, values in wanted.items()):
            continue
        score = (len(link.path), sum(len(values) for values in wanted.values()))
        if score > best_score:
            best, best_score = index, score
    return best


# The desk search (/desk/search/): each app registers a group of results. ``search(request, terms)`` returns
# the matching objects the user may see, best first (a queryset, paginated by the page); ``describe(request,
# objects, terms)`` turns one page of them into rows ({"url", "title", "snippet", "meta"}, title and snippet
# escaped with the matches marked); ``jump(request, text)`` may return the address of the one object a query
# names exactly (a ticket reference), which the page then opens straight away.
@dataclass(frozen=True)
class SearchGroup:
    key: str
    title: str
    search: Callable
    describe: Callable
    order: int = 100
    jump: Callable | None = None
    filters_template: str | None = None  # extra controls for the group (the ticket status filter)


search_groups: list[SearchGroup] = []


def register_search_group(group: SearchGroup) -> None:
    if not any(existing.key == group.key for existing in search_groups):
        search_groups.append(group)
        search_groups.sort(key=lambda existing: existing.order)
