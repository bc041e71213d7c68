"""The knowledge base story of ``seed_demo``: realistic, in English and Chinese, and safe to seed twice."""

import pytest
from django.core import mail

from demo import knowledgebase as story
from helpdesk.accounts.roles import Role
from knowledgebase.models import Article, Category, Deflection, SearchQueryLog
from tests.factories import AgentFactory, CustomerFactory, ManagerFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_once(django_capture_on_commit_callbacks):
    users = {
        "agent1@example.com": AgentFactory(email="agent1@example.com"),
        "agent2@example.com": AgentFactory(email="agent2@example.com"),
        "manager@example.com": ManagerFactory(email="manager@example.com", roles=[Role.MANAGER]),
        "alice@acme.example": CustomerFactory(email="alice@acme.example"),
        "bob@acme.example": CustomerFactory(email="bob@acme.example"),
        "carol@globex.example": CustomerFactory(email="carol@globex.example"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        story.seed(users=users, organizations={})
        story.seed(users=users, organizations={})
    articles = Article.objects.all()
    assert 35 <= articles.count() <= 50
    assert set(articles.values_list("kind", flat=True)) == set(Article.Kind.values)
    assert articles.filter(visibility="internal").exists()
    assert articles.filter(status="draft").exists() and articles.filter(status="archived").exists()
    assert articles.filter(body__contains="如何重置密码").exists()
    assert Category.objects.filter(parent__isnull=False).exists() and 5 <= Category.objects.count() <= 8
    assert articles.filter(views__gt=0, helpful_yes__gt=0).exists()
    assert SearchQueryLog.objects.exists() and Deflection.objects.exists()
    assert mail.outbox == []
