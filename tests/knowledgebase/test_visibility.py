"""Internal, draft and archived articles never reach customers or anonymous visitors; agents see internal ones."""

import pytest
from django.urls import reverse

from knowledgebase.models import Article
from tests.knowledgebase.factories import make_article, make_category

pytestmark = pytest.mark.django_db

Status = Article.Status
Visibility = Article.Visibility


@pytest.fixture
def shelf():
    category = make_category("Account")
    return {
        "public": make_article("Rotate your API token", "Rotate tokens every year.", category=category),
        "internal": make_article("Rotate tokens for a customer", "Rotate tokens in the admin.", category=category,
                                 visibility=Visibility.INTERNAL),
        "draft": make_article("Rotate tokens (draft)", "Rotate draft text.", category=category, status=Status.DRAFT),
        "archived": make_article("Rotate tokens (old)", "Rotate old text.", category=category,
                                 status=Status.ARCHIVED),
        "category": category,
    }


@pytest.fixture(params=["anonymous", "customer"])
def outsider(request, client, customer_a):
    if request.param == "customer":
        client.force_login(customer_a)
    return client


@pytest.mark.parametrize("hidden", ["internal", "draft", "archived"])
def test_hidden_article_page_answers_404(outsider, shelf, hidden):
    assert outsider.get(shelf[hidden].get_absolute_url()).status_code == 404
    assert outsider.get(shelf["public"].get_absolute_url()).status_code == 200


def test_hidden_articles_are_absent_from_search(outsider, shelf):
    response = outsider.get(reverse("knowledgebase:search"), {"q": "rotate"})
    assert [article.pk for article in response.context["page"]] == [shelf["public"].pk]
    html = response.content.decode()
    for hidden in ("internal", "draft", "archived"):
        assert shelf[hidden].title not in html


def test_hidden_articles_are_absent_from_suggestions(outsider, shelf):
    response = outsider.get(reverse("knowledgebase:suggest"), {"subject": "rotate tokens"})
    html = response.content.decode()
    assert shelf["public"].title in html
    for hidden in ("internal", "draft", "archived"):
        assert shelf[hidden].title not in html


def test_hidden_articles_are_absent_from_category_pages_and_home(outsider, shelf):
    response = outsider.get(shelf["category"].get_absolute_url())
    assert [article.pk for article in response.context["page"]] == [shelf["public"].pk]
    home = outsider.get(reverse("knowledgebase:home")).content.decode()
    for hidden in ("internal", "draft", "archived"):
        assert shelf[hidden].title not in home


def test_hidden_articles_are_never_suggested_to_agents_either(client, agent, shelf):
    """Suggestions and reply links are shown to customers, whoever asks for them."""
    client.force_login(agent)
    html = client.get(reverse("knowledgebase:suggest"), {"subject": "rotate tokens"}).content.decode()
    assert shelf["internal"].title not in html
    html = client.get(reverse("knowledgebase:desk-link-search"), {"kb_q": "rotate"}).content.decode()
    assert shelf["public"].title in html and shelf["internal"].title not in html


def test_agent_reads_internal_articles_but_not_drafts_on_the_public_site(client, agent, shelf):
    client.force_login(agent)
    response = client.get(shelf["internal"].get_absolute_url())
    assert response.status_code == 200
    assert "Internal" in response.content.decode()
    assert client.get(shelf["draft"].get_absolute_url()).status_code == 404
    results = client.get(reverse("knowledgebase:search"), {"q": "rotate"}).context["page"]
    assert {article.pk for article in results} == {shelf["public"].pk, shelf["internal"].pk}


def test_agent_sees_every_article_in_the_desk(client, agent, shelf):
    client.force_login(agent)
    response = client.get(reverse("knowledgebase:desk-list"))
    listed = {article.pk for article in response.context["page"]}
    assert listed == {shelf[key].pk for key in ("public", "internal", "draft", "archived")}
    assert client.get(reverse("knowledgebase:desk-edit", args=[shelf["internal"].pk])).status_code == 200
    response = client.get(reverse("knowledgebase:desk-list"), {"visibility": "internal"})
    assert [article.pk for article in response.context["page"]] == [shelf["internal"].pk]


@pytest.mark.parametrize("url_name", ["desk-list", "desk-create"])
def test_desk_is_for_agents(client, customer_a, url_name):
    url = reverse(f"knowledgebase:{url_name}")
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(customer_a)
    assert client.get(url).status_code == 403


def test_desk_article_pages_are_for_agents(client, customer_a, shelf):
    client.force_login(customer_a)
    article = shelf["public"]
    for url in (reverse("knowledgebase:desk-edit", args=[article.pk]),
                reverse("knowledgebase:desk-revisions", args=[article.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("knowledgebase:desk-archive", args=[article.pk])).status_code == 403
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_unknown_article_answers_404(client, agent):
    client.force_login(agent)
    assert client.get(reverse("knowledgebase:desk-edit", args=[999])).status_code == 404
    assert client.get(reverse("knowledgebase:article", args=["nothing-here"])).status_code == 404
