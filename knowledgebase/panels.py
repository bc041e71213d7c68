"""What the knowledge base adds to other apps' pages: the navbar link, the search box on the landing page, the
portal search card, the deflection suggestions on the ticket form, the desk sidebar, and the tools on the desk
ticket page."""

from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.roles import is_manager
from helpdesk.desk import (
    SearchGroup,
    register_portal_panel,
    register_search_group,
    register_sidebar_section,
    register_template_hook,
)
from helpdesk.textsearch import highlight
from knowledgebase import selectors
from knowledgebase.forms import SearchForm


def navbar(request, context):
    return {}


def portal_home(request):
    return {"kb_form": SearchForm(), "kb_popular": list(selectors.popular_articles(request.user, limit=4))}


def landing_search(request, context):
    return {}


def ticket_create_subject(request, context):
    return {}


def sidebar(request):
    return {"kb_is_manager": is_manager(request.user)}


def desk_ticket_side(request, context):
    ticket = context.get("ticket")
    articles = list(ticket.kb_articles.only("pk", "title", "status").order_by("-pk")[:3]) if ticket else []
    return {"kb_ticket_articles": articles}


def desk_reply_tools(request, context):
    return {}


register_template_hook("navbar_links", "knowledgebase/hooks/_navbar_link.html", navbar, order=50)
register_portal_panel("knowledgebase/hooks/_portal_panel.html", portal_home, order=20)
register_template_hook("landing_search", "knowledgebase/hooks/_landing_search.html", landing_search)
register_template_hook("portal_ticket_create_subject", "knowledgebase/hooks/_ticket_create_suggest.html",
                       ticket_create_subject)
register_sidebar_section("knowledgebase/hooks/_sidebar.html", sidebar, order=30)
register_template_hook("desk_ticket_side", "knowledgebase/hooks/_desk_ticket_side.html", desk_ticket_side)
register_template_hook("desk_reply_tools", "knowledgebase/hooks/_desk_reply_tools.html", desk_reply_tools)


def search_articles(request, terms):
    from knowledgebase.search import search_articles as matching

    articles = selectors.desk_articles(request.user).defer(None).defer("body", "title_tokens", "body_tokens",
                                                                     "search_vector")
    return matching(articles, terms.text)


def describe_articles(request, articles, terms):
    from knowledgebase.search import snippet

    return [
        {
            "url": article.get_desk_url(),
            "title": highlight(article.title, terms),
            "snippet": snippet(article, terms.text),
            "meta": [article.get_status_display(), article.get_visibility_display()],
        }
        for article in articles
    ]


register_search_group(SearchGroup(key="articles", title=_("Knowledge base"), search=search_articles,
                                  describe=describe_articles, order=40))
