"""Finding articles: PostgreSQL full-text search, with a plain fallback for the embedded SQLite database.

PostgreSQL keeps one ``tsvector`` per article (GIN-indexed ``kb_article_search_gin``)::

    setweight(to_tsvector('english', title) || to_tsvector('simple', title_tokens), 'A')
    || setweight(to_tsvector('english', plain_body) || to_tsvector('simple', body_tokens), 'B')

English words are stemmed by the 'english' configuration ("resetting passwords" meets "reset password").
PostgreSQL cannot split Chinese into words, so jieba does it in Python: ``title_tokens`` and
``body_tokens`` hold the Chinese words of the title and the text, space-separated, and the 'simple'
configuration indexes them as they are. A query is cut the same way, so 密码重置 (密码 + 重置) finds
a text that says 如何重置密码. The vector is written by ``update_search_vectors`` right after an
article is saved (``services``), not by a database trigger.

SQLite has none of this: the fallback looks for every query word in the title or the text
(``icontains``), Chinese words again cut by jieba, and puts title matches first.
"""

import re
import threading
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from helpdesk.textsearch import CJK_RUN, chinese_words

WORD = re.compile(r"[^\W_]+", re.UNICODE)
QUERY_MAX_LENGTH = 200
# Words too common to help: left out of the SQLite fallback and of Chinese queries (PostgreSQL's
# 'english' configuration has its own list for English).
ENGLISH_STOPWORDS = {
    "a", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "before", "but", "by", "can", "cannot",
    "cant", "did", "do", "does", "doesn", "don", "for", "from", "get", "got", "had", "has", "have", "help", "how",
    "i", "if", "in", "is", "it", "its", "just", "me", "my", "no", "not", "of", "on", "or", "our", "please", "since",
    "so", "still", "t", "that", "the", "there", "this", "to", "us", "we", "what", "when", "why", "with", "won",
    "you", "your",
}
CHINESE_STOPWORDS = {
    "的", "了", "和", "与", "是", "在", "我", "你", "我们", "如何", "怎么", "怎样", "怎么办",
    "为什么", "什么", "吗", "呢", "吧", "啊", "请问", "一下", "可以", "能", "不能", "无法",
    "要", "把", "被", "有", "没有", "这", "那", "个",
}
HEADLINE_START = "[[kb-mark]]"
HEADLINE_STOP = "[[/kb-mark]]"

# title A above text B; see the module docstring.
ARTICLE_VECTOR = (
    SearchVector("title", config="english", weight="A")
    + SearchVector("title_tokens", config="simple", weight="A")
    + SearchVector("plain_body", config="english", weight="B")
    + SearchVector("body_tokens", config="simple", weight="B")
)


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def preload() -> None:
    """Load jieba's dictionary now (3-4 s) instead of on the first Chinese text it cuts."""
    import jieba

    jieba.initialize()


def preload_in_background() -> threading.Thread:
    """Start loading the dictionary at start-up; a cut that comes first waits for it (jieba holds a lock)."""
    thread = threading.Thread(target=preload, name="jieba-preload", daemon=True)
    thread.start()
    return thread


def segment(text: str) -> str:
    """What is stored in ``title_tokens`` / ``body_tokens``: the Chinese words, space-separated."""
    return " ".join(chinese_words(text))


def normalise_query(text: str) -> str:
    """One spelling per search, for the no-result log and the suggestions: lower case, single spaces."""
    return " ".join((text or "").lower().split())[:QUERY_MAX_LENGTH]


def _stem(word: str) -> str:
    """A rough English stem for the SQLite fallback: passwords → password, resetting → reset."""
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
        return word[:-1] if len(word) > 2 and word[-1] == word[-2] else word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass
class ParsedQuery:
    text: str  # normalised
    english: str = ""  # the query without its Chinese part
    english_words: list[str] = field(default_factory=list)
    chinese: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.english_words or self.chinese)

    @property
    def highlight_terms(self) -> list[str]:
        terms = set(self.chinese)
        for word in self.english_words:
            terms.add(word)
            terms.add(_stem(word))
        return sorted((term for term in terms if len(term) > 1 or CJK_RUN.fullmatch(term)), key=len, reverse=True)


def parse_query(text: str) -> ParsedQuery:
    normalised = normalise_query(text)
    english = CJK_RUN.sub(" ", normalised)
    english_words = [word for word in WORD.findall(english) if word not in ENGLISH_STOPWORDS]
    chinese = []
    for word in chinese_words(normalised):
        if word not in CHINESE_STOPWORDS and word not in chinese:
            chinese.append(word)
    if not chinese and CJK_RUN.search(normalised):
        # Nothing but common words (如何, 什么): search for them rather than for nothing.
        chinese = list(dict.fromkeys(chinese_words(normalised)))
    return ParsedQuery(text=normalised, english=" ".join(english.split()), english_words=english_words,
                       chinese=chinese)


# ---------------------------------------------------------------------------------------- indexing

def index_fields(article) -> list[str]:
    """Fill the helper columns of an article from its title and text; returns the names of those fields."""
    from knowledgebase.rendering import plain_text

    article.plain_body = plain_text(article.body)
    article.title_tokens = segment(article.title)
    article.body_tokens = segment(article.plain_body)
    return ["plain_body", "title_tokens", "body_tokens"]


def update_search_vectors(queryset) -> int:
    """Rewrite the PostgreSQL vector of these articles from their helper columns (one UPDATE)."""
    if not uses_postgres():
        return 0
    return queryset.update(search_vector=ARTICLE_VECTOR)


# ---------------------------------------------------------------------------------------- searching

MAX_ANY_TERMS = 8


def _postgres_query(parsed: ParsedQuery, match_any: bool):
    if match_any:
        # Each word on its own, OR-ed: a long ticket subject still finds the article that shares a few words.
        parts = [SearchQuery(word, config="english", search_type="plain") for word in parsed.english_words]
        parts += [SearchQuery(word, config="simple", search_type="plain") for word in parsed.chinese]
        query = None
        for part in parts[:MAX_ANY_TERMS]:
            query = part if query is None else query | part
        return query
    query = None
    if parsed.english_words:
        query = SearchQuery(parsed.english, config="english", search_type="websearch")
    if parsed.chinese:
        chinese = SearchQuery(" ".join(parsed.chinese), config="simple", search_type="plain")
        query = chinese if query is None else query & chinese
    return query


def _hit(condition: Q, points: int):
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def search_articles(queryset, text: str, *, with_headline: bool = False, match_any: bool = False):
    """The articles of ``queryset`` that match ``text``, best first (title matches above text matches).

    By default every word must match (the search page); ``match_any`` lets any word match and ranks
    the articles that share the most words first (suggestions for a ticket subject).
    """
    parsed = parse_query(text)
    if parsed.is_empty:
        return queryset.none()
    if uses_postgres():
        query = _postgres_query(parsed, match_any)
        results = (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-views", "-pk")
        )
        if with_headline and parsed.english_words and not parsed.chinese:
            english = SearchQuery(parsed.english, config="english", search_type="websearch")
            results = results.annotate(headline=SearchHeadline(
                "plain_body", english, config="english", start_sel=HEADLINE_START, stop_sel=HEADLINE_STOP,
                max_words=30, min_words=12, short_word=2, max_fragments=2, fragment_delimiter=" … ",
            ))
        return results
    terms = [_stem(word) for word in parsed.english_words] + parsed.chinese
    if match_any:
        terms = terms[:MAX_ANY_TERMS]
    condition = Q(pk__in=[]) if match_any else Q()
    for term in terms:
        matches = Q(title__icontains=term) | Q(plain_body__icontains=term)
        condition = (condition | matches) if match_any else (condition & matches)
    # A word in the title counts three times as much as one in the text.
    rank = sum(
        (_hit(Q(title__icontains=term), 3) + _hit(Q(plain_body__icontains=term), 1) for term in terms), Value(0)
    )
    return queryset.filter(condition).annotate(rank=Coalesce(rank, Value(0))).order_by("-rank", "-views", "-pk")


def snippet(article, text: str, *, length: int = 220) -> SafeString:
    """A short piece of the article's text around the first match, the matches in <mark>, escaped."""
    headline = getattr(article, "headline", None)
    if headline:
        marked = escape(headline).replace(escape(HEADLINE_START), "<mark>").replace(escape(HEADLINE_STOP), "</mark>")
        marked = marked.replace("</mark><mark>", "")
        return mark_safe(marked)  # noqa: S308 — escaped above; only our own <mark> tags added back  # nosec B308, B703
    body = article.plain_body or ""
    terms = parse_query(text).highlight_terms
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE) if terms else None
    match = pattern.search(body) if pattern else None
    start = 0
    if match and match.start() > length // 3:
        start = match.start() - length // 3
        space = body.rfind(" ", 0, start)
        start = space + 1 if space != -1 and start - space < 20 else start
    piece = body[start:start + length]
    if start + length < len(body):
        space = piece.rfind(" ")
        piece = (piece[:space] if space > length // 2 else piece) + " …"
    if start > 0:
        piece = "… " + piece
    if pattern is None:
        return escape(piece)
    out, position = [], 0
    for found in pattern.finditer(piece):
        out.append(escape(piece[position:found.start()]))
        out.append(f"<mark>{escape(found.group(0))}</mark>")
        position = found.end()
    out.append(escape(piece[position:]))
    return mark_safe("".join(out).replace("</mark><mark>", ""))  # noqa: S308 — every piece escaped above  # nosec B308, B703
