"""The markdown sanitiser: whatever an article's author writes, no script reaches the reader."""

import re
from html.parser import HTMLParser

import pytest

from knowledgebase.rendering import plain_text, render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\nscript:alert(1))",
    "[click](java\tscript:alert(1))",
    '<a href="java\nscript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">click</a>',
    "[click](&#106;avascript:alert(1))",
    "<javascript:alert(1)>",
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="  javascript:alert(1)">click</a>',
    '<a href="&#1;javascript:alert(1)">click</a>',
    '<a href="javascript&colon;alert(1)">click</a>',
    '<a href="java&#10;script:alert(1)">click</a>',
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="DATA:text/html,<script>alert(1)</script>">click</a>',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<img src="x" onerror="alert(1)">',
    '<img src=x onerror=alert(1)//',
    '<p onclick="alert(1)" onmouseover="alert(2)">text</p>',
    '<a href="https://example.com" onfocus="alert(1)" autofocus>ok</a>',
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    '<svg><script>alert(1)</script></svg>',
    '<math><mtext><img src=x onerror=alert(1)></mtext></math>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<style>body { display: none }</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="position:fixed;inset:0">overlay</div>',
    '<form action="https://evil.example"><input name="password"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!-- <script>alert(1)</script> -->",
    '<details open ontoggle="alert(1)">x</details>',
]

FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "meta", "base",
                  "link", "details", "frame", "frameset", "template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "background", "poster"}


class Elements(HTMLParser):
    """Every tag and attribute of a piece of HTML, as a browser's parser would see them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def problems(html: str) -> list[str]:
    found = []
    for tag, attrs in Elements(html).found:
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                found.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES:
                # As a browser's URL parser: tabs and newlines anywhere, and leading or trailing spaces and
                # control characters, are dropped before the scheme is read.
                url = re.sub(r"[\t\n\r]", "", value or "").strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b"
                                                                   "\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
                                                                   "\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ").lower()
                if re.match(r"^(javascript|vbscript|data):", url):
                    found.append(f"{tag}[{name}={value!r}]")
                if tag == "img" and not url.startswith("https://"):
                    found.append(f"img[src={value!r}]")
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    html = str(render_markdown(f"Before\n\n{payload}\n\nAfter"))
    assert problems(html) == [], html
    assert "After" in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised_inside_a_list_and_a_quote(payload):
    html = str(render_markdown(f"- item {payload}\n\n> quote {payload}"))
    assert problems(html) == [], html


def test_the_checker_itself_catches_what_it_should():
    html = '<a href="java\tscript:x">a</a><img src="/media/a.png"><p onclick="x" style="y">p</p><svg></svg>'
    assert len(problems(html)) == 5


def test_ordinary_markdown_survives():
    html = str(render_markdown(
        "# Title\n\nSome **bold** and *italic* text with `code`.\n\n"
        "```python\nprint('<b>hi</b>')\n```\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
        "[docs](https://docs.example.com/page) and [mail](mailto:help@example.com) and [here](/kb/)\n"
    ))
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert '<code class="language-python">' in html
    assert "print('&lt;b&gt;hi&lt;/b&gt;')" in html  # code is shown, not run
    assert '<th align="left">a</th>' in html and '<div class="kb-table-wrap"><table>' in html
    assert '<a href="https://docs.example.com/page" rel="noopener noreferrer">docs</a>' in html
    assert 'href="mailto:help@example.com"' in html
    assert 'href="/kb/"' in html


def test_every_link_gets_noopener_noreferrer():
    html = str(render_markdown('[a](https://a.example) <a href="https://b.example" rel="opener">b</a>'))
    assert html.count('rel="noopener noreferrer"') == 2
    assert 'rel="opener"' not in html


def test_images_only_from_https():
    html = str(render_markdown(
        "![ok](https://cdn.example.com/a.png) ![local](/media/attachments/a.png) ![kb](/kb/a.png) "
        "![http](http://cdn.example.com/a.png) ![proto](//evil.example/a.png)"
    ))
    assert html.count("<img") == 1
    assert 'src="https://cdn.example.com/a.png"' in html
    assert "/media/" not in html and "/kb/a.png" not in html and "http://" not in html and "//evil" not in html


def test_code_class_is_limited_to_a_language_name():
    html = str(render_markdown('<code class="language-js evil">x</code> <code class="btn btn-danger">y</code>'))
    assert "evil" not in html and "btn" not in html


def test_plain_text_drops_markup_and_keeps_words():
    text = plain_text("# Reset\n\n1. Open **Profile**\n2. Choose `Change`\n\n<script>alert(1)</script>\n\n如何重置密码")
    assert text == "Reset Open Profile Choose Change 如何重置密码"
