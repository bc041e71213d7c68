"""Text search helpers shared by every app: Chinese word cutting (jieba), query words and safe highlights.

PostgreSQL cannot split Chinese into words, so jieba does it in Python: a searchable text keeps its
Chinese words, space-separated, in a helper column that the 'simple' configuration indexes as they are,
and a query is cut the same way (密码重置 is 密码 + 重置).
"""

import logging
import re
from dataclasses import dataclass, field

import jieba
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

jieba.setLogLevel(logging.WARNING)

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[^\W_]+", re.UNICODE)
QUERY_MAX_LENGTH = 200
# Words too common to narrow a search down (the SQLite fallback, Chinese queries; PostgreSQL's 'english'
# configuration has its own list for English).
STOPWORDS = {
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "i", "in", "is", "it", "my", "of",
    "on", "or", "the", "this", "to", "we", "with", "you", "your",
    "的", "了", "和", "与", "是", "在", "我", "你", "我们", "吗", "呢", "吧", "啊", "这", "那", "个",
}


def chinese_words(text: str) -> list[str]:
    """The Chinese words of a text as jieba cuts them for search (long words also in their parts)."""
    words = []
    for run in CJK_RUN.findall(text or ""):
        words.extend(word for word in jieba.cut_for_search(run) if CJK_RUN.fullmatch(word))
    return words


def segment(text: str) -> str:
    """What a helper column keeps: the Chinese words of ``text``, space-separated ('' when there are none)."""
    return " ".join(chinese_words(text)) if CJK_RUN.search(text or "") else ""


@dataclass
class SearchTerms:
    text: str  # as typed, trimmed
    english: str = ""  # the query without its Chinese part
    english_words: list[str] = field(default_factory=list)
    chinese: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.english_words or self.chinese)

    @property
    def terms(self) -> list[str]:
        return self.english_words + self.chinese

    def pattern(self):
        """A regular expression that finds every term (longest first), or None."""
        terms = sorted({term for term in self.terms if term}, key=len, reverse=True)
        return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE) if terms else None


def search_terms(text: str) -> SearchTerms:
    text = " ".join((text or "").split())[:QUERY_MAX_LENGTH]
    lowered = text.lower()
    english = " ".join(CJK_RUN.sub(" ", lowered).split())
    english_words = list(dict.fromkeys(w for w in WORD.findall(english) if w not in STOPWORDS))
    chinese = list(dict.fromkeys(w for w in chinese_words(lowered) if w not in STOPWORDS))
    if not english_words and not chinese:
        english_words = list(dict.fromkeys(WORD.findall(english)))
        chinese = list(dict.fromkeys(chinese_words(lowered)))
    return SearchTerms(text=text, english=english, english_words=english_words, chinese=chinese)


def highlight(text: str, terms: SearchTerms, *, length: int = 200) -> SafeString:
    """A piece of ``text`` around its first match, escaped, with the matches in <mark>."""
    text = " ".join((text or "").split())
    pattern = terms.pattern()
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - length // 3) if match else 0
    piece = text[start:start + length]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + length < len(text) else ""
    if pattern is None:
        return escape(prefix + piece + suffix)
    out, position = [], 0
    for found in pattern.finditer(piece):
        out.append(escape(piece[position:found.start()]))
        out.append(f"<mark>{escape(found.group(0))}</mark>")
        position = found.end()
    out.append(escape(piece[position:]))
    marked = escape(prefix) + "".join(out) + escape(suffix)
    return mark_safe(marked)  # noqa: S308 — every piece escaped above  # nosec B308, B703
