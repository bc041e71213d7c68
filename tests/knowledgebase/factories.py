"""Articles are made through the services, so that their search index exists as in real use."""

import itertools

from knowledgebase import services
from knowledgebase.models import Article, Category

_numbers = itertools.count(1)


def make_category(name=None, parent=None, **fields):
    name = name or f"Category {next(_numbers)}"
    return services.category_save(category=Category(name=name, parent=parent, **fields))


def make_article(title=None, body="Some helpful text.", *, status=Article.Status.PUBLISHED,
                 visibility=Article.Visibility.PUBLIC, author=None, **fields):
    return services.article_create(
        author=author, title=title or f"Article number {next(_numbers)}", body=body, status=status,
        visibility=visibility, **fields,
    )
