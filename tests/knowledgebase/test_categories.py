"""Categories nest one level deep: a child cannot have children."""

import pytest
from django.core.exceptions import ValidationError

from knowledgebase import services
from knowledgebase.models import Category
from tests.knowledgebase.factories import make_category

pytestmark = pytest.mark.django_db


def test_a_child_cannot_have_children():
    top = make_category("Account")
    child = make_category("SSO", parent=top)
    grandchild = Category(name="Okta", slug="okta", parent=child)
    with pytest.raises(ValidationError) as error:
        grandchild.full_clean()
    assert "parent" in error.value.message_dict
    with pytest.raises(services.ArticleError):
        services.category_save(category=Category(name="Okta", parent=child))
    assert not Category.objects.filter(name="Okta").exists()


def test_a_parent_cannot_become_a_child():
    top = make_category("Account")
    make_category("SSO", parent=top)
    other = make_category("Billing")
    top.parent = other
    with pytest.raises(ValidationError):
        top.full_clean()
    with pytest.raises(services.ArticleError):
        services.category_save(category=top)
    top.refresh_from_db()
    assert top.parent_id is None


def test_a_category_cannot_be_its_own_parent():
    top = make_category("Account")
    top.parent = top
    with pytest.raises(ValidationError):
        top.full_clean()


def test_slug_for_a_chinese_name():
    category = make_category("账单与发票")
    assert category.slug == "zhang-dan-yu-fa-piao"
    assert make_category("Billing").slug == "billing"
    assert make_category("Billing").slug == "billing-2"
