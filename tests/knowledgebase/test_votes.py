"""“Was this helpful?”: one vote per visitor and article, and a changed mind moves the counts."""

import pytest
from django.test import Client
from django.urls import reverse

from knowledgebase.models import ArticleVote
from knowledgebase.views.public import VISITOR_COOKIE
from tests.knowledgebase.factories import make_article

pytestmark = pytest.mark.django_db


def vote(client, article, helpful, **headers):
    return client.post(reverse("knowledgebase:vote", args=[article.slug]), {"helpful": helpful}, **headers)


def counts(article):
    article.refresh_from_db()
    return article.helpful_yes, article.helpful_no


def test_signed_in_customer_votes_once_and_can_change(client, customer_a):
    article = make_article("Reset your password")
    client.force_login(customer_a)
    vote(client, article, "yes")
    vote(client, article, "yes")
    assert counts(article) == (1, 0)
    vote(client, article, "no")
    assert counts(article) == (0, 1)
    assert ArticleVote.objects.get().helpful is False
    assert ArticleVote.objects.get().user == customer_a


def test_anonymous_visitor_is_known_by_a_signed_cookie_not_by_ip(client):
    article = make_article("Reset your password")
    response = vote(client, article, "yes")
    assert response.status_code == 302
    cookie = response.cookies[VISITOR_COOKIE]
    assert cookie["httponly"]
    vote(client, article, "yes")
    assert counts(article) == (1, 0)
    vote(client, article, "no")
    assert counts(article) == (0, 1)
    assert ArticleVote.objects.count() == 1
    vote_row = ArticleVote.objects.get()
    assert vote_row.user is None and vote_row.visitor_id and "127.0.0.1" not in vote_row.visitor_id


def test_two_anonymous_visitors_from_the_same_address_both_count():
    article = make_article("Reset your password")
    vote(Client(), article, "yes", REMOTE_ADDR="10.0.0.1")
    vote(Client(), article, "yes", REMOTE_ADDR="10.0.0.1")
    assert counts(article) == (2, 0)


def test_a_forged_cookie_is_ignored(client):
    article = make_article("Reset your password")
    vote(client, article, "yes")
    client.cookies[VISITOR_COOKIE] = "someone-else"  # not signed by us
    vote(client, article, "no")
    assert counts(article) == (1, 1)


def test_htmx_vote_answers_with_the_buttons(client, customer_a):
    article = make_article("Reset your password")
    client.force_login(customer_a)
    response = vote(client, article, "no", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="helpful"' in html and "<html" not in html
    assert 'aria-pressed="true"' in html


def test_bad_vote_changes_nothing(client, customer_a):
    article = make_article("Reset your password")
    client.force_login(customer_a)
    vote(client, article, "maybe")
    assert counts(article) == (0, 0)
    assert not ArticleVote.objects.exists()


def test_vote_is_post_only_and_hidden_articles_refuse_votes(client, customer_a):
    article = make_article("Reset your password")
    internal = make_article("Internal notes", visibility="internal")
    assert client.get(reverse("knowledgebase:vote", args=[article.slug])).status_code == 405
    client.force_login(customer_a)
    assert vote(client, internal, "yes").status_code == 404
    assert counts(internal) == (0, 0)


def test_article_page_shows_the_visitors_vote(client, customer_a):
    article = make_article("Reset your password")
    client.force_login(customer_a)
    vote(client, article, "yes")
    response = client.get(article.get_absolute_url())
    assert response.context["vote"] is True
