"""The public knowledge base (readable without signing in) and the suggestions on the portal's ticket form."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from helpdesk.accounts.roles import is_agent, is_customer
from helpdesk.pagination import CappedPaginator as Paginator
from knowledgebase import search, selectors, services
from knowledgebase.forms import DeflectForm, SearchForm, SuggestForm, VoteForm
from knowledgebase.models import ArticleVote
from knowledgebase.rendering import render_markdown

PAGE_SIZE = 10
SUGGESTION_MIN_LENGTH = 3
# Anonymous visitors vote under a random id kept in a signed cookie: never their IP address.
VISITOR_COOKIE = "kb_visitor"
VISITOR_COOKIE_SALT = "knowledgebase.visitor"
VISITOR_COOKIE_AGE = 60 * 60 * 24 * 365
SUGGESTION_REF = "suggest"


def visitor_id(request) -> str:
    try:
        return request.get_signed_cookie(VISITOR_COOKIE, default="", salt=VISITOR_COOKIE_SALT)
    except signing.BadSignature:
        return ""


def remember_visitor(response, value: str) -> None:
    response.set_signed_cookie(
        VISITOR_COOKIE, value, salt=VISITOR_COOKIE_SALT, max_age=VISITOR_COOKIE_AGE, httponly=True,
        samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )


@require_safe
def home(request):
    user = request.user
    context = {
        "form": SearchForm(),
        "categories": selectors.category_tree(user),
        "popular": list(selectors.popular_articles(user)),
        "recent": list(selectors.recent_articles(user)),
    }
    return render(request, "knowledgebase/home.html", context)


@require_safe
def search_view(request):
    user = request.user
    form = SearchForm(request.GET)
    query = form.query()
    page = None
    if query:
        page = Paginator(selectors.search_results(user, query), PAGE_SIZE).get_page(request.GET.get("page"))
        for article in page:
            article.snippet = search.snippet(article, query)
        if not is_agent(user):  # the reports count what customers look for, not the staff's own searches
            services.search_record(query=query, found=bool(page.paginator.count))
    context = {"form": form, "query": query, "page": page, "pager_query": urlencode({"q": query}),
               "categories": selectors.category_tree(user)}
    return render(request, "knowledgebase/search.html", context)


@require_safe
def category_view(request, slug):
    user = request.user
    category = selectors.category_for_user(user, slug)
    page = Paginator(selectors.category_articles(user, category), 20).get_page(request.GET.get("page"))
    context = {
        "category": category,
        "page": page,
        "categories": selectors.category_tree(user),
        "form": SearchForm(),
    }
    return render(request, "knowledgebase/category_detail.html", context)


def _current_vote(request, article):
    user = request.user
    if user.is_authenticated:
        votes = ArticleVote.objects.filter(article=article, user=user)
    else:
        visitor = visitor_id(request)
        if not visitor:
            return None
        votes = ArticleVote.objects.filter(article=article, user__isnull=True, visitor_id=visitor)
    return votes.values_list("helpful", flat=True).first()


@require_safe
def article_detail(request, slug):
    user = request.user
    article = selectors.article_for_user(user, slug)
    from_suggestion = request.GET.get("ref") == SUGGESTION_REF
    suggestion_query = search.normalise_query(request.GET.get("q", ""))
    if not is_agent(user):
        # Reading counters, like a page-view count: the only writes made on a GET.
        services.article_record_view(article=article)
        if from_suggestion and article.is_public:
            services.deflection_candidate_open(article=article, query=suggestion_query, user=user,
                                               visitor_id=visitor_id(request))
    context = {
        "article": article,
        "body_html": render_markdown(article.body),
        "related": list(selectors.related_articles(user, article)),
        "vote": _current_vote(request, article),
        "from_suggestion": from_suggestion and article.is_public,
        "suggestion_query": suggestion_query,
        "portal_user": is_customer(user),
    }
    return render(request, "knowledgebase/article_detail.html", context)


@require_POST
def article_vote(request, slug):
    user = request.user
    article = selectors.article_for_user(user, slug)
    form = VoteForm(request.POST)
    new_visitor = ""
    if form.is_valid():
        visitor = "" if user.is_authenticated else visitor_id(request)
        if not user.is_authenticated and not visitor:
            visitor = new_visitor = services.new_visitor_id()
        services.article_vote(article=article, helpful=form.cleaned_data["helpful"], user=user, visitor_id=visitor)
        article.refresh_from_db(fields=["helpful_yes", "helpful_no"])
        vote = form.cleaned_data["helpful"]
    else:
        vote = _current_vote(request, article)
    if request.htmx:
        response = render(request, "knowledgebase/_vote.html",
                          {"article": article, "vote": vote, "just_voted": form.is_valid(), "vote_form": form})
    else:
        if form.is_valid():
            messages.success(request, _("Thank you for your feedback."))
        else:
            messages.error(request, _("Choose “Yes” or “No”."))
        response = redirect(article.get_absolute_url() + "#helpful")
    if new_visitor:
        remember_visitor(response, new_visitor)
    return response


@require_safe
def suggest(request):
    """The htmx list under the portal's subject field: up to five public articles for what is typed."""
    form = SuggestForm(request.GET)
    query = form.query()
    if len(query) < SUGGESTION_MIN_LENGTH and not search.CJK_RUN.search(query):
        return HttpResponse("")
    articles = selectors.suggestions(query)
    for article in articles:
        article.snippet = search.snippet(article, query, length=140)
    return render(request, "knowledgebase/_suggestions.html", {"articles": articles, "query": query})


@require_POST
def deflect(request):
    """"This answered my question": record it, and take the customer back without submitting the ticket."""
    form = DeflectForm(request.POST)
    if not form.is_valid():
        raise Http404
    article = selectors.public_articles().filter(pk=form.cleaned_data["kb_article"]).only("pk", "title").first()
    if article is None:
        raise Http404
    user = request.user
    services.deflection_record(article=article, query=form.cleaned_data["subject"], user=user,
                               visitor_id=visitor_id(request))
    messages.success(request, _("Glad “%(title)s” answered your question. We did not send a request; "
                                "if you still need help, you can ask us at any time.") % {"title": article.title})
    target = reverse("portal-home") if is_customer(user) else reverse("knowledgebase:home")
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)
