"""The landing page asks "How can we help?" and answers with a search of the knowledge base."""

import pytest
from django.urls import reverse

from tests.knowledgebase.factories import make_article

pytestmark = pytest.mark.django_db


def test_the_landing_page_has_a_knowledge_base_search_box(client):
    page = client.get(reverse("home")).content.decode()
    assert "How can we help?" in page
    form = page[page.index('<form class="kb-searchbox'):]
    form = form[:form.index("</form>")]
    assert f'action="{reverse("knowledgebase:search")}"' in form and 'method="get"' in form
    assert 'name="q"' in form and 'type="search"' in form
    assert '<label class="visually-hidden" for="landing-kb-q">Search the knowledge base</label>' in form


def test_searching_from_the_landing_page_finds_a_public_article(client):
    make_article("Reset your password", body="Open the sign-in page and choose Forgot password.")
    response = client.get(reverse("knowledgebase:search"), {"q": "password"})
    assert response.status_code == 200
    assert "Reset your password" in response.content.decode()
