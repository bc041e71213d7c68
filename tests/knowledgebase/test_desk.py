"""The desk: writing, previewing, publishing and archiving articles, their revisions, and the ticket tools."""

import pytest
from django.urls import reverse

from knowledgebase import services
from knowledgebase.models import Article, ArticleRevision
from tests.knowledgebase.factories import make_article, make_category
from tests.tickets.factories import TicketFactory

pytestmark = pytest.mark.django_db


def article_data(**overrides):
    data = {"title": "Export your data", "body": "Go to **Settings**.", "kind": "guide", "visibility": "public",
            "category": "", "product": "", "version": "", "source_ticket": ""}
    data.update(overrides)
    return data


@pytest.fixture
def resolved_ticket(queue_x, customer_a):
    return TicketFactory(queue=queue_x, requester=customer_a, subject="CSV export times out",
                         description="The export of the revenue report times out.",
                         resolution_summary="Large exports now run in the background.", product="Analytics Suite",
                         status="resolved")


def test_create_article_as_a_draft_with_its_first_revision(client, agent):
    client.force_login(agent)
    category = make_category("Data")
    response = client.post(reverse("knowledgebase:desk-create"), article_data(category=category.pk))
    article = Article.objects.get()
    assert response.status_code == 302 and response.url == article.get_desk_url()
    assert (article.status, article.author, article.slug, article.category) == ("draft", agent, "export-your-data",
                                                                                category)
    assert list(article.revisions.values_list("number", "title")) == [(1, "Export your data")]


def test_chinese_title_gets_a_pinyin_slug(client, agent):
    client.force_login(agent)
    client.post(reverse("knowledgebase:desk-create"), article_data(title="如何重置密码"))
    article = Article.objects.get()
    assert article.slug == "ru-he-zhong-zhi-mi-ma"


def test_bad_input_shows_errors_and_saves_nothing(client, agent):
    client.force_login(agent)
    response = client.post(reverse("knowledgebase:desk-create"), article_data(title="  ", body="", kind="poem"))
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"title", "body", "kind"}
    assert not Article.objects.exists()


def test_create_article_from_ticket_prefills_the_editor(client, agent, resolved_ticket):
    client.force_login(agent)
    html = client.get(reverse("tickets:desk-detail", args=[resolved_ticket.reference])).content.decode()
    link = f'{reverse("knowledgebase:desk-create")}?ticket={resolved_ticket.reference}'
    assert link in html and "Create article from ticket" in html
    response = client.get(link)
    form = response.context["form"]
    assert form.initial["title"] == "CSV export times out"
    assert "The export of the revenue report times out." in form.initial["body"]
    assert "Large exports now run in the background." in form.initial["body"]
    assert form.initial["source_ticket"] == resolved_ticket.reference
    assert form.initial["product"] == "Analytics Suite"
    client.post(reverse("knowledgebase:desk-create"), article_data(source_ticket=resolved_ticket.reference))
    assert Article.objects.get().source_ticket == resolved_ticket


def test_ticket_of_another_queue_is_not_copied(client, agent_y, resolved_ticket):
    client.force_login(agent_y)
    response = client.get(reverse("knowledgebase:desk-create"), {"ticket": resolved_ticket.reference})
    assert "title" not in response.context["form"].initial
    client.post(reverse("knowledgebase:desk-create"), article_data(source_ticket=resolved_ticket.reference))
    assert Article.objects.get().source_ticket is None


def test_publish_archive_and_back_to_draft(client, agent):
    client.force_login(agent)
    article = make_article("Export your data", status="draft")
    assert client.get(article.get_absolute_url()).status_code == 404
    client.post(reverse("knowledgebase:desk-publish", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == "published" and article.published_at is not None
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 200
    client.force_login(agent)
    client.post(reverse("knowledgebase:desk-archive", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == "archived"
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    client.force_login(agent)
    client.post(reverse("knowledgebase:desk-unpublish", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == "draft"


def test_status_changes_are_post_only(client, agent):
    client.force_login(agent)
    article = make_article("Export your data", status="draft")
    assert client.get(reverse("knowledgebase:desk-publish", args=[article.pk])).status_code == 405
    article.refresh_from_db()
    assert article.status == "draft"


def test_revisions_are_kept_and_viewable(client, agent, agent_y):
    article = make_article("Export your data", "First text.", author=agent)
    client.force_login(agent_y)
    edit = reverse("knowledgebase:desk-edit", args=[article.pk])
    client.post(edit, article_data(title="Export all your data", body="Second text.", version=article.version))
    article.refresh_from_db()
    client.post(edit, article_data(title="Export all your data", body="Second text.", kind="faq",
                                   version=article.version))  # no change of text: no new revision
    revisions = list(ArticleRevision.objects.filter(article=article).order_by("number"))
    assert [(r.number, r.title, r.body, r.author) for r in revisions] == [
        (1, "Export your data", "First text.", agent), (2, "Export all your data", "Second text.", agent_y)]
    response = client.get(reverse("knowledgebase:desk-revisions", args=[article.pk]))
    assert [revision.number for revision in response.context["page"]] == [2, 1]
    old = client.get(reverse("knowledgebase:desk-revision", args=[article.pk, 1]))
    assert "First text." in old.content.decode() and not old.context["is_current"]
    assert client.get(reverse("knowledgebase:desk-revision", args=[article.pk, 9])).status_code == 404
    loaded = client.get(edit, {"revision": 1})
    assert loaded.context["form"]["body"].value() == "First text."


def test_concurrent_edit_is_refused_not_overwritten(client, agent):
    article = make_article("Export your data", "First text.")
    services.article_update(article=article, editor=None, body="Someone else's text.")
    client.force_login(agent)
    response = client.post(reverse("knowledgebase:desk-edit", args=[article.pk]),
                           article_data(body="My text.", version=1))
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "Someone else's text."


def test_preview_returns_sanitised_html(client, agent, customer_a):
    url = reverse("knowledgebase:desk-preview")
    client.force_login(agent)
    response = client.post(url, {"body": "**bold** <script>alert(1)</script> [x](javascript:alert(1))"})
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html
    assert client.get(url).status_code == 405
    client.force_login(customer_a)
    assert client.post(url, {"body": "x"}).status_code == 403


def test_reply_tool_offers_public_article_links(client, agent, queue_x, customer_a, settings):
    settings.SITE_URL = "https://help.example.com"
    ticket = TicketFactory(queue=queue_x, requester=customer_a, status="open")
    article = make_article("Reset your password [SSO]", "Choose Forgot your password.")
    client.force_login(agent)
    html = client.get(reverse("tickets:desk-detail", args=[ticket.reference])).content.decode()
    assert "Insert article link" in html and reverse("knowledgebase:desk-link-search") in html
    results = client.get(reverse("knowledgebase:desk-link-search"), {"kb_q": "password"}).content.decode()
    assert (f'data-kb-insert="[Reset your password \\[SSO\\]](https://help.example.com'
            f'{article.get_absolute_url()})"') in results


def test_sidebar_and_navbar_links(client, agent, manager):
    client.force_login(agent)
    html = client.get(reverse("knowledgebase:desk-list")).content.decode()
    assert reverse("knowledgebase:desk-create") in html and reverse("knowledgebase:desk-gaps") not in html
    client.force_login(manager)
    html = client.get(reverse("knowledgebase:desk-list")).content.decode()
    assert reverse("knowledgebase:desk-gaps") in html
    client.logout()
    landing = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("knowledgebase:home")}"' in landing


def test_portal_home_has_a_search_card(client, customer_a):
    make_article("Reset your password")
    client.force_login(customer_a)
    html = client.get(reverse("portal-home")).content.decode()
    assert f'action="{reverse("knowledgebase:search")}"' in html and "Find an answer now" in html


def test_list_filters(client, agent):
    make_article("Guide one", kind="guide")
    make_article("Faq one", kind="faq", status="draft")
    client.force_login(agent)
    response = client.get(reverse("knowledgebase:desk-list"), {"kind": "guide"})
    assert [article.title for article in response.context["page"]] == ["Guide one"]
    response = client.get(reverse("knowledgebase:desk-list"), {"status": "draft", "q": "faq"})
    assert [article.title for article in response.context["page"]] == ["Faq one"]
    partial = client.get(reverse("knowledgebase:desk-list"), {"q": "nothing"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "No article matches" in partial.content.decode()
