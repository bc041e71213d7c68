"""Search: ranking, English stems and Chinese words on PostgreSQL, the SQLite fallback, and the gaps log."""

import pytest
from django.db import connection
from django.urls import reverse

from knowledgebase import search, services
from knowledgebase.models import Article, SearchQueryLog
from tests.knowledgebase.factories import make_article

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL full-text search (stemming, tsvector); SQLite uses the simple fallback",
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="tests the SQLite fallback search")


def found(query, queryset=None):
    return list(search.search_articles(queryset or Article.objects.all(), query).values_list("title", flat=True))


def test_title_match_ranks_above_body_match():
    make_article("Billing overview", "How to export invoices as PDF files, and export them again. Export!")
    make_article("Export invoices", "Everything about the billing page.")
    make_article("Unrelated", "Nothing to see.")
    assert found("export") == ["Export invoices", "Billing overview"]


def test_title_match_ranks_above_a_more_read_body_match():
    body_match = make_article("Billing overview", "Download every invoice as a PDF.")
    Article.objects.filter(pk=body_match.pk).update(views=10_000)
    make_article("Invoice numbers", "How numbers are chosen.")
    assert found("invoice") == ["Invoice numbers", "Billing overview"]


def test_every_word_must_match_on_the_search_page():
    make_article("Reset your password", "Use the link in the e-mail.")
    make_article("Password rules", "At least ten characters.")
    assert found("reset password") == ["Reset your password"]


def test_chinese_query_finds_the_article_on_any_backend():
    """Both backends cut Chinese with jieba: 密码重置 is 密码 + 重置."""
    make_article("忘记密码怎么办", "## 如何重置密码\n\n打开登录页面，点击忘记密码。")
    make_article("发票抬头", "修改开票信息。")
    assert found("密码重置") == ["忘记密码怎么办"]


def test_empty_or_punctuation_query_finds_nothing():
    make_article("Reset your password")
    assert found("") == [] and found("   ") == [] and found("?!") == []


@postgres_only
def test_postgres_chinese_body_match_through_the_segmented_vector():
    make_article("账号安全", "## 如何重置密码\n\n打开登录页面。")
    make_article("发票抬头", "修改开票信息。")
    article = Article.objects.get(title="账号安全")
    assert "重置" in article.body_tokens.split() and "密码" in article.body_tokens.split()
    assert found("密码重置") == ["账号安全"]
    response_titles = [a.title for a in search.search_articles(Article.objects.all(), "重置 密码")]
    assert response_titles == ["账号安全"]


@postgres_only
def test_postgres_english_stemming_finds_other_forms_of_a_word():
    make_article("Reset your password", "Open the sign-in page and choose Forgot your password.")
    make_article("Invoices", "Download invoices.")
    assert found("resetting passwords") == ["Reset your password"]


@postgres_only
def test_postgres_vector_is_written_on_save_and_uses_the_gin_index():
    article = make_article("Export data", "Use the export page.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM knowledgebase_article WHERE id = %s", [article.pk])
        vector = cursor.fetchone()[0]
        assert "'export':1A" in vector and "'page'" in vector
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'kb_article_search_gin'")
        assert "USING gin" in cursor.fetchone()[0]
    services.article_update(article=article, editor=None, title="Download data")
    assert found("download") == ["Download data"]
    assert found("export") == ["Download data"]  # still in the text


@postgres_only
def test_postgres_headline_highlights_the_words():
    make_article("Reset your password", "Open the sign-in page and choose Forgot your password. <b>bold</b>")
    article = search.search_articles(Article.objects.all(), "passwords", with_headline=True).get()
    snippet = search.snippet(article, "passwords")
    assert "<mark>password</mark>" in snippet
    assert "<b>" not in snippet


@sqlite_only
def test_sqlite_fallback_matches_title_and_text_and_simple_plurals():
    make_article("Reset your password", "Choose Forgot your password.")
    make_article("Invoices", "Reset the billing address.")
    assert found("passwords") == ["Reset your password"]
    assert found("reset") == ["Reset your password", "Invoices"]


def test_snippet_marks_the_words_and_escapes_the_rest():
    article = make_article("Script", "Here is `<script>alert(1)</script>` and then the password reset link.")
    snippet = str(search.snippet(article, "password"))
    assert "<mark>password</mark>" in snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_search_page_lists_results_with_snippets_and_paginates(client):
    for number in range(12):
        make_article(f"Export guide {number}", "How to export your data.")
    response = client.get(reverse("knowledgebase:search"), {"q": "export"})
    assert response.context["page"].paginator.count == 12
    assert len(response.context["page"].object_list) == 10
    assert "<mark>" in response.content.decode()
    page2 = client.get(reverse("knowledgebase:search"), {"q": "export", "page": 2})
    assert len(page2.context["page"].object_list) == 2


def test_no_result_queries_are_recorded_and_counted(client, customer_a):
    make_article("Reset your password")
    client.get(reverse("knowledgebase:search"), {"q": "Dark   MODE"})
    client.force_login(customer_a)
    client.get(reverse("knowledgebase:search"), {"q": "dark mode"})
    client.get(reverse("knowledgebase:search"), {"q": "password"})  # found: not a gap
    gap = SearchQueryLog.objects.get()
    assert (gap.query, gap.count) == ("dark mode", 2)
    assert not hasattr(gap, "user") and not hasattr(gap, "ip_address")


def test_agents_searches_are_not_counted_as_gaps(client, agent):
    client.force_login(agent)
    client.get(reverse("knowledgebase:search"), {"q": "dark mode"})
    assert not SearchQueryLog.objects.exists()


def test_content_gaps_page_is_for_managers(client, agent, manager):
    services.search_log_no_results(query="Outlook sync")
    services.search_log_no_results(query="outlook  sync")
    services.search_log_no_results(query="dark mode")
    url = reverse("knowledgebase:desk-gaps")
    client.force_login(agent)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    response = client.get(url)
    assert [(gap.query, gap.count) for gap in response.context["page"]] == [("outlook sync", 2), ("dark mode", 1)]


def test_suggestions_put_articles_with_every_word_first():
    from knowledgebase import selectors

    for number in range(6):
        make_article(f"Password rules {number}", "At least ten characters.")
    make_article("Billing", "Reset the invoice address and the password of the billing contact.")
    titles = [article.title for article in selectors.suggestions("reset password")]
    assert len(titles) == 5 and titles[0] == "Billing"


def test_suggestions_need_a_few_letters(client):
    make_article("Reset your password")
    assert client.get(reverse("knowledgebase:suggest"), {"subject": "re"}).content == b""
    html = client.get(reverse("knowledgebase:suggest"), {"subject": "I cannot reset my password"}).content.decode()
    assert "Reset your password" in html and "ref=suggest" in html


@pytest.mark.django_db
def test_customer_searches_are_counted_per_day_for_the_reports(client, customer_a, agent):
    """Every customer search counts on its day under its normalised text; one that finds nothing is also a gap.
    The staff's own searches are not counted."""
    from knowledgebase.models import SearchDay, SearchQueryLog

    client.force_login(customer_a)
    for query in ("Nothing Matches This", "nothing   matches this"):
        client.get(reverse("knowledgebase:search"), {"q": query})
    client.force_login(agent)
    client.get(reverse("knowledgebase:search"), {"q": "nothing matches this"})
    row = SearchDay.objects.get()
    assert (row.query, row.searches, row.without_results) == ("nothing matches this", 2, 2)
    assert SearchQueryLog.objects.get().count == 2
