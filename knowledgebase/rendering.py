"""Article text: markdown turned into HTML, then sanitised with nh3 before anyone sees it.

Markdown lets writers paste raw HTML, so the sanitiser is the only thing that stands between an
article and a visitor's browser. It keeps a short list of tags and attributes, lets links use
http(s), mailto and relative addresses only (the HTML parser decodes entities and the URL parser
drops tabs and newlines first, so ``jav&#x09;ascript:`` and ``&#106;avascript:`` are caught too),
and keeps images only when they come from an ``https://`` address: our own ``/media/`` files are
served to signed-in people only, so a relative image would be broken for everyone else.
"""

import html
import re

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

MARKDOWN_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "smarty"]
MARKDOWN_CONFIG = {"tables": {"use_align_attribute": True}, "smarty": {"smart_quotes": False}}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
# Tags dropped together with everything inside them (the rest lose the tag and keep their text).
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript",
                        "textarea", "select", "frameset", "frame", "applet", "noembed", "xmp"}
URL_SCHEMES = {"http", "https", "mailto"}
CODE_LANGUAGE = re.compile(r"^language-[a-z0-9_+#.-]{1,30}$")
ALIGNMENTS = {"left", "right", "center"}
IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if value.strip().lower().startswith("https://") else None
    if tag == "code" and attribute == "class":
        return value if CODE_LANGUAGE.match(value) else None
    if attribute == "align":
        return value if value in ALIGNMENTS else None
    if attribute in ("width", "height", "start"):
        return value if value.isdigit() and len(value) <= 5 else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    set_tag_attribute_values={"img": {"loading": "lazy", "referrerpolicy": "no-referrer"}},
    strip_comments=True,
)


def sanitize_html(raw_html: str) -> str:
    cleaned = _cleaner.clean(raw_html)
    # An image whose address was refused would show as a broken icon: drop it.
    cleaned = IMG_WITHOUT_SRC.sub("", cleaned)
    # Wide tables scroll inside their own box instead of widening the page (tags carry no attributes here).
    return cleaned.replace("<table>", '<div class="kb-table-wrap"><table>').replace("</table>", "</table></div>")


def render_markdown(text: str) -> SafeString:
    """The article's markdown as HTML that is safe to put on a page."""
    raw = markdown.markdown(text or "", extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG,
                            output_format="html")
    return mark_safe(sanitize_html(raw))  # noqa: S308 — sanitised by nh3 just above  # nosec B308, B703


def plain_text(text: str) -> str:
    """The article as plain words, for search and snippets: no markup, entities decoded, spaces collapsed."""
    rendered = str(render_markdown(text))
    rendered = re.sub(r"<(br|/p|/li|/h\d|/pre|/tr|/td|/th|/blockquote)\b[^>]*>", r" \g<0>", rendered)
    return " ".join(html.unescape(strip_tags(rendered)).split())
