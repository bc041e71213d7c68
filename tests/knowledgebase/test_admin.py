"""Admin: every model is listed, and an article saved in admin keeps its revision and its index."""

import pytest
from django.urls import reverse

from tests.knowledgebase.factories import make_article

pytestmark = pytest.mark.django_db

MODELS = ["category", "article", "articlerevision", "articlevote", "searchquerylog", "deflection",
          "deflectioncandidate"]


@pytest.mark.parametrize("model", MODELS)
def test_changelists_load(client, admin_user, model):
    make_article("Reset your password")
    client.force_login(admin_user)
    response = client.get(reverse(f"admin:knowledgebase_{model}_changelist"), {"q": "password"})
    assert response.status_code == 200


def test_manager_may_change_articles_in_admin(client, manager):
    article = make_article("Reset your password")
    client.force_login(manager)
    url = reverse("admin:knowledgebase_article_change", args=[article.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:knowledgebase_category_changelist")).status_code == 200
    assert client.get(reverse("admin:knowledgebase_article_add")).status_code == 403


def test_admin_edit_goes_through_the_services(client, admin_user):
    article = make_article("Reset your password", "Old text.")
    client.force_login(admin_user)
    response = client.post(reverse("admin:knowledgebase_article_change", args=[article.pk]), {
        "title": "Reset your password", "status": "archived", "visibility": "public", "kind": "faq",
        "category": "", "product": "", "body": "New text.",
        "revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.body, article.status, article.plain_body) == ("New text.", "archived", "New text.")
    assert article.revisions.count() == 2
