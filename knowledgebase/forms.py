"""One form per action: searching, voting, saying an article answered the question, editing an article."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helpdesk.forms import InputLimitsMixin
from knowledgebase.models import Article, Category
from knowledgebase.search import QUERY_MAX_LENGTH


class SearchForm(InputLimitsMixin, forms.Form):
    q = forms.CharField(label=_("Search the knowledge base"), max_length=QUERY_MAX_LENGTH, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))

    def query(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""


class SuggestForm(InputLimitsMixin, forms.Form):
    """What the customer is typing as a ticket subject (the field is named as on the ticket form)."""

    subject = forms.CharField(max_length=QUERY_MAX_LENGTH, required=False)

    def query(self) -> str:
        return self.cleaned_data.get("subject", "").strip() if self.is_valid() else ""


class VoteForm(InputLimitsMixin, forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this helpful?"), choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )


class DeflectForm(InputLimitsMixin, forms.Form):
    """"This answered my question": sent from a suggestion on the ticket form or from the article page."""

    kb_article = forms.IntegerField(min_value=1)
    subject = forms.CharField(max_length=QUERY_MAX_LENGTH * 2, required=False)

    def clean_subject(self):
        return self.cleaned_data["subject"][:QUERY_MAX_LENGTH]


class ArticleForm(InputLimitsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    source_ticket = forms.CharField(widget=forms.HiddenInput, required=False)
    text_max_chars = {"body": 200_000}  # a long how-to with its listings, as the preview allows

    class Meta:
        model = Article
        fields = ["title", "category", "kind", "visibility", "product", "body"]
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "body": forms.Textarea(attrs={"rows": 18, "spellcheck": "true", "class": "kb-editor-body"}),
        }
        help_texts = {
            "body": _("Markdown: **bold**, `code`, ``` fenced code ```, [links](https://…), "
                      "![images](https://…) (https only), tables. Scripts and styles are removed."),
            "product": _("Optional: the product or version it is about. Related articles are found by it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.select_related("parent").order_by(
            "parent__ordering", "parent__name", "ordering", "name"
        )
        self.fields["category"].empty_label = _("No category")
        self.fields["category"].label_from_instance = (
            lambda category: f"{category.parent.name} › {category.name}" if category.parent_id else category.name
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        # The preview beside the editor follows the text as it is typed (debounced).
        self.fields["body"].widget.attrs.update({
            "hx-post": reverse("knowledgebase:desk-preview"), "hx-trigger": "input changed delay:500ms",
            "hx-target": "#kb-preview", "hx-params": "body", "hx-sync": "this:replace",
        })

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Give the article a title."))
        return title

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("Write the article's text."))
        return body


class PreviewForm(InputLimitsMixin, forms.Form):
    body = forms.CharField(required=False, max_length=200_000)
