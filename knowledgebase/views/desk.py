"""The agents' side of the knowledge base: the article list, the editor with its preview, revisions, content gaps."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from helpdesk.accounts.roles import agent_required, manager_required
from helpdesk.pagination import CappedPaginator as Paginator
from knowledgebase import selectors, services
from knowledgebase.filters import ArticleFilter
from knowledgebase.forms import ArticleForm, PreviewForm, SearchForm
from knowledgebase.rendering import render_markdown
from knowledgebase.services import ArticleConflict, ArticleError
from tickets.selectors import ticket_for_user

PAGE_SIZE = 25
GAPS_PAGE_SIZE = 30


@agent_required
@require_safe
def article_list(request):
    articles = ArticleFilter(request.GET, queryset=selectors.desk_articles(request.user))
    page = Paginator(articles.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": articles, "page": page, "query_string": query.urlencode(),
               "filtered": any(value for key, value in request.GET.items() if key != "page")}
    template = "knowledgebase/desk/_article_results.html" if request.htmx else "knowledgebase/desk/article_list.html"
    return render(request, template, context)


def _source_ticket(user, reference):
    """The ticket an article is written from, if this agent may see it."""
    if not reference:
        return None
    try:
        return ticket_for_user(user, reference)
    except Http404:
        return None


def _body_from_ticket(ticket) -> str:
    parts = [f"## {_('Problem')}\n\n{ticket.description.strip()}"]
    if ticket.resolution_summary.strip():
        parts.append(f"## {_('Solution')}\n\n{ticket.resolution_summary.strip()}")
    return "\n\n".join(parts) + "\n"


def _render_editor(request, form, article=None, *, source_ticket=None, status=200):
    body = form["body"].value() or ""
    context = {
        "form": form,
        "article": article,
        "source_ticket": source_ticket or (article.source_ticket if article else None),
        "preview_html": render_markdown(body),
        "revision_count": article.revisions.count() if article else 0,
    }
    return render(request, "knowledgebase/desk/article_form.html", context, status=status)


@agent_required
@require_http_methods(["GET", "HEAD", "POST"])
def article_create(request):
    user = request.user
    if request.method == "POST":
        form = ArticleForm(request.POST)
        source_ticket = _source_ticket(user, request.POST.get("source_ticket"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                article = services.article_create(
                    author=user, title=data["title"], body=data["body"], kind=data["kind"],
                    visibility=data["visibility"], category=data["category"], product=data["product"],
                    source_ticket=source_ticket,
                )
            except ArticleError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Draft saved. Publish it when it is ready for readers."))
                return redirect(article.get_desk_url())
        return _render_editor(request, form, source_ticket=source_ticket, status=400)
    source_ticket = _source_ticket(user, request.GET.get("ticket"))
    initial = {}
    if source_ticket is not None:
        initial = {"title": source_ticket.subject, "body": _body_from_ticket(source_ticket),
                   "product": source_ticket.product, "source_ticket": source_ticket.reference}
    return _render_editor(request, ArticleForm(initial=initial), source_ticket=source_ticket)


@agent_required
@require_http_methods(["GET", "HEAD", "POST"])
def article_edit(request, pk):
    user = request.user
    article = selectors.desk_article_for_user(user, pk)
    if request.method == "POST":
        form = ArticleForm(request.POST, instance=article)
        if form.is_valid():
            data = form.cleaned_data
            try:
                article = services.article_update(
                    article=article, editor=user, expected_version=data["version"],
                    **{name: data[name] for name in ("title", "body", "kind", "visibility", "category", "product")},
                )
            except ArticleConflict as conflict:
                fresh = selectors.desk_article_for_user(user, pk)
                data = request.POST.copy()
                data["version"] = fresh.version  # saving again overwrites, knowingly
                form = ArticleForm(data, instance=fresh)
                form.is_valid()
                form.add_error(None, str(conflict))
                return _render_editor(request, form, fresh, status=409)
            except ArticleError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Article saved."))
                return redirect(article.get_desk_url())
        return _render_editor(request, form, article, status=400)
    initial = {}
    revision_number = request.GET.get("revision", "")
    if revision_number.isdigit():
        revision = selectors.revision_of(article, int(revision_number))
        initial = {"title": revision.title, "body": revision.body}
        messages.info(request, _("Revision %(number)s is loaded into the editor. Save to make it the current "
                                 "text.") % {"number": revision.number})
    return _render_editor(request, ArticleForm(instance=article, initial=initial), article)


@agent_required
@require_POST
def article_preview(request):
    form = PreviewForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    return render(request, "knowledgebase/desk/_preview.html", {"preview_html": render_markdown(body)})


def _status_action(service, done_message):
    @agent_required
    @require_POST
    def view(request, pk):
        article = selectors.desk_article_for_user(request.user, pk)
        try:
            service(article=article, actor=request.user)
        except ArticleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done_message())
        return redirect(article.get_desk_url())

    return view


article_publish = _status_action(services.article_publish,
                                 lambda: _("Published: readers can find it in the knowledge base now."))
article_archive = _status_action(services.article_archive,
                                 lambda: _("Archived: it no longer appears in the knowledge base."))
article_unpublish = _status_action(services.article_unpublish,
                                   lambda: _("Back to draft: it no longer appears in the knowledge base."))


@agent_required
@require_safe
def revision_list(request, pk):
    article = selectors.desk_article_for_user(request.user, pk)
    page = Paginator(selectors.revisions_of(article), 30).get_page(request.GET.get("page"))
    return render(request, "knowledgebase/desk/revision_list.html", {"article": article, "page": page})


@agent_required
@require_safe
def revision_detail(request, pk, number):
    article = selectors.desk_article_for_user(request.user, pk)
    revision = selectors.revision_of(article, number)
    context = {"article": article, "revision": revision, "body_html": render_markdown(revision.body),
               "is_current": revision.title == article.title and revision.body == article.body}
    return render(request, "knowledgebase/desk/revision_detail.html", context)


@manager_required
@require_safe
def content_gaps(request):
    page = Paginator(selectors.no_result_queries(), GAPS_PAGE_SIZE).get_page(request.GET.get("page"))
    since = timezone.now() - timedelta(days=30)
    context = {
        "page": page,
        "deflections": selectors.deflection_counts(since=since),
        "recent_deflections": list(selectors.recent_deflections()),
    }
    return render(request, "knowledgebase/desk/content_gaps.html", context)


@agent_required
@require_safe
def link_search(request):
    """The "Insert article link" tool of the reply form: public articles, as markdown links to paste."""
    form = SearchForm({"q": request.GET.get("kb_q", "")})
    articles = selectors.link_candidates(form.query())
    for article in articles:
        title = article.title.replace("[", "\\[").replace("]", "\\]")
        article.markdown_link = f"[{title}]({settings.SITE_URL}{article.get_absolute_url()})"
    return render(request, "knowledgebase/desk/_link_results.html", {"articles": articles, "query": form.query()})
