import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from feedback.models import Feedback, FeedbackTag, ProductArea


class FeedbackFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Feedback.Kind.choices, empty_label=_("Any kind"))
    area = django_filters.ModelChoiceFilter(label=_("Area"), queryset=ProductArea.objects.all(),
                                            empty_label=_("Any area"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Feedback.Status.choices,
                                         empty_label=_("Any status"))
    tag = django_filters.ModelChoiceFilter(label=_("Tag"), field_name="tags", queryset=FeedbackTag.objects.all(),
                                           empty_label=_("Any tag"))
    duplicates = django_filters.BooleanFilter(label=_("Include duplicates"), method="with_duplicates")

    class Meta:
        model = Feedback
        fields = ["q", "kind", "area", "status", "tag"]

    def search(self, queryset, name, value):
        value = value.strip()
        if value.lstrip("#").isdigit():
            return queryset.filter(pk=int(value.lstrip("#")))
        return queryset.filter(Q(text__icontains=value) | Q(author__email__icontains=value)) if value else queryset

    def with_duplicates(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("duplicates"):
            queryset = queryset.filter(duplicate_of__isnull=True)
        return queryset.order_by("-created_at", "-pk")
