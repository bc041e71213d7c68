"""Chinese in the knowledge base: readable pinyin slugs, and jieba's dictionary loaded at start-up."""

import subprocess
import sys

import jieba
import pytest
from django.conf import settings
from django.urls import reverse

from knowledgebase import search
from knowledgebase.services import slug_base
from tests.knowledgebase.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_chinese_title_reads_as_pinyin_in_the_address(client):
    article = make_article("如何重置密码")
    assert article.slug == "ru-he-zhong-zhi-mi-ma"
    response = client.get(reverse("knowledgebase:article", args=[article.slug]))
    assert response.status_code == 200
    assert "如何重置密码" in response.content.decode()


def test_mixed_titles_keep_their_latin_words():
    assert slug_base("VPN 连接失败 (Windows 11)") == "vpn-lian-jie-shi-bai-windows-11"
    assert slug_base("Reset your password") == "reset-your-password"


def test_the_same_chinese_title_twice_gets_unique_slugs():
    first, second = make_article("账单与发票"), make_article("账单与发票")
    assert (first.slug, second.slug) == ("zhang-dan-yu-fa-piao", "zhang-dan-yu-fa-piao-2")


def test_a_title_of_symbols_only_still_gets_a_slug():
    article = make_article("？！")
    assert article.slug == f"article-{article.pk}"


def test_the_tests_leave_jieba_lazy():
    assert settings.KB_PRELOAD_JIEBA is False


def test_preloading_loads_the_dictionary_so_a_cut_does_not_wait():
    search.preload_in_background().join(timeout=60)
    assert jieba.dt.initialized
    assert search.chinese_words("如何重置密码") == ["如何", "重置", "密码"]


def test_the_server_starts_loading_jieba_when_django_starts():
    code = ("import django, jieba, threading; django.setup(); "
            "print(any(t.name == 'jieba-preload' for t in threading.enumerate()) or jieba.dt.initialized)")
    env = {"DJANGO_SETTINGS_MODULE": "helpdesk.settings", "PATH": "/usr/bin:/bin", "KB_PRELOAD_JIEBA": "1"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                            cwd=settings.BASE_DIR, check=False)
    assert result.stdout.strip() == "True", result.stderr
