"""Property: whatever mix of parts, charsets and transfer encodings a mail program sends, reading the mail
never raises and never loses a text part."""

import re
from email.message import EmailMessage

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickets.channels.email import parsing

WORDS = {
    "utf-8": ["Drucker", "Größe", "naïve", "café", "打印机", "无法登录", "ошибка", "エラー", "오류", "error", "42"],
    "gb18030": ["打印机", "无法登录", "系统", "错误", "error", "42"],
    "cp1252": ["Größe", "München", "café", "naïve", "€", "error", "42"],
    "iso-8859-1": ["Größe", "München", "café", "naïve", "error", "42"],
    "koi8-r": ["ошибка", "принтер", "error", "42"],
    "shift_jis": ["エラー", "印刷", "error", "42"],
    "euc-kr": ["오류", "프린터", "error", "42"],
}
ENCODINGS = ["quoted-printable", "base64", "8bit"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@st.composite
def sentences(draw, charset):
    return " ".join(draw(st.lists(st.sampled_from(WORDS[charset]), min_size=1, max_size=8)))


@st.composite
def text_parts(draw):
    charset = draw(st.sampled_from(sorted(WORDS)))
    return charset, draw(sentences(charset)), draw(st.sampled_from(ENCODINGS))


def _text(charset, text, encoding, subtype="plain"):
    part = EmailMessage()
    payload = text if subtype == "plain" else f"<html><body><p>{text}</p></body></html>"
    part.set_content(payload.encode(charset), maintype="text", subtype=subtype, cte=encoding,
                     params={"charset": charset})
    return part


@st.composite
def mails(draw):
    """(raw bytes, the texts that must be found in the ticket)."""
    message = EmailMessage()
    message["From"] = "Alice <alice@acme.example>"
    message["Subject"] = "Mixed"
    message["Message-ID"] = "<p@acme.example>"
    message.make_mixed()
    message.set_boundary("mixed-boundary")  # the generator's own boundaries come from `random`
    expected = []
    for kind in draw(st.lists(st.sampled_from(["text", "alternative", "file", "forward"]), min_size=1, max_size=5)):
        charset, text, encoding = draw(text_parts())
        if kind == "text":
            message.attach(_text(charset, text, encoding))
            expected.append(text)
        elif kind == "alternative":
            alternative = EmailMessage()
            alternative.make_alternative()
            alternative.set_boundary(f"alternative-{len(expected)}")
            plain_is_empty = draw(st.booleans())
            alternative.attach(_text(charset, " " if plain_is_empty else text, encoding))
            alternative.attach(_text(charset, text, encoding, "html"))
            message.attach(alternative)
            expected.append(text)
        elif kind == "file":
            attachment = EmailMessage()
            attachment.set_content(PNG, maintype="image", subtype="png", filename="shot.png")
            message.attach(attachment)
        else:
            inner = EmailMessage()
            inner["From"] = "robot@acme.example"
            inner["Subject"] = "Report"
            inner.set_content(text.encode(charset), maintype="text", subtype="plain", cte=encoding,
                              params={"charset": charset})
            forward = EmailMessage()
            forward.set_content(inner)
            message.attach(forward)
            expected.append(text)
    return message.as_bytes(), expected


def words(text):
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mails())
def test_reading_never_raises_and_keeps_every_text_part(mail):
    raw, expected = mail
    content = parsing.Content()
    content.read(parsing.parse(raw))
    found = words(content.text + " " + content.appendix)
    for text in expected:
        assert words(text) in found, (text, found)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_read_without_raising(raw):
    content = parsing.Content()
    content.read(parsing.parse(raw))
    assert isinstance(content.text, str)
