"""The desk's article list filters."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from knowledgebase.models import Article, Category


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Article.Status.choices,
                                         empty_label=_("Any status"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Article.Kind.choices, empty_label=_("Any kind"))
    visibility = django_filters.ChoiceFilter(label=_("Visibility"), choices=Article.Visibility.choices,
                                             empty_label=_("Any visibility"))
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.select_related("parent").order_by("ordering", "name"),
        empty_label=_("Any category"), method="filter_category",
    )

    class Meta:
        model = Article
        fields = ["q", "status", "kind", "visibility", "category"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(title__icontains=value) | Q(product__icontains=value) | Q(slug__iexact=value)
        if value.isdigit():
            condition |= Q(pk=int(value))
        return queryset.filter(condition)

    def filter_category(self, queryset, name, value):
        return queryset.filter(Q(category=value) | Q(category__parent=value))
