"""Readable text from an HTML e-mail."""

import re
from html.parser import HTMLParser


class _TextExtractor(HTMLParser):
    """Readable text from an HTML e-mail: tags dropped, scripts and styles gone, line breaks kept."""

    PARAGRAPHS = {"p", "table", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
    LINES = {"div", "tr", "li", "ul", "ol", "section", "article", "header", "footer", "dt", "dd", "address"}
    HIDDEN = {"script", "style", "title", "template", "noscript", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.hidden = []  # the open hidden elements
        self.pre = 0
        self.link = None

    def _break(self, newlines):
        self.text = self.text.rstrip(" ")
        if self.text:
            self.text += "\n" * max(0, newlines - (len(self.text) - len(self.text.rstrip("\n"))))

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden.append(tag)
        elif tag == "body":
            self.hidden.clear()  # a <head> left open ends where the body starts
        elif self.hidden:
            return
        elif tag == "br":
            self.text = self.text.rstrip(" ") + "\n"
        elif tag in self.PARAGRAPHS or tag in self.LINES:
            self._break(2 if tag in self.PARAGRAPHS else 1)
            self.pre += tag == "pre"
            if tag == "li":
                self.text += "- "
        elif tag in ("td", "th"):
            self.text += " "
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self.link = (href, len(self.text)) if re.match(r"https?://", href, re.IGNORECASE) else None
        elif tag == "img" and (dict(attrs).get("alt") or "").strip():
            self.text += f"[{dict(attrs)['alt'].strip()}]"

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            if tag in self.hidden:
                del self.hidden[self.hidden.index(tag):]
        elif self.hidden:
            return
        elif tag in self.PARAGRAPHS or tag in self.LINES:
            self._break(2 if tag in self.PARAGRAPHS else 1)
            self.pre -= tag == "pre" and self.pre > 0
        elif tag == "a" and self.link:
            href, start = self.link
            if self.text[start:].strip() != href:
                self.text += f" ({href})"
            self.link = None

    def handle_data(self, data):
        if self.hidden:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            if not self.text or self.text.endswith("\n"):
                data = data.lstrip(" ")
        self.text += data


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [line.replace("\xa0", " ").rstrip() for line in parser.text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
