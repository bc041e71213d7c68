"""The new part of a reply: the quoted history below it cut off, as mail programs in several languages write it."""

import re

HISTORY_MARKERS = [
    re.compile(r"^-{2,}\s*(original message|ursprüngliche nachricht|message d'origine)\s*-{2,}$", re.IGNORECASE),
    re.compile(r"^-{2,}\s*原始邮件\s*-{2,}$"),
    re.compile(r"^\*?(发件人|寄件者)\s*[:：]"),
]
WROTE_START = re.compile(r"^(On\s|Am\s|Le\s|在)")
WROTE_END = re.compile(r"((wrote|a écrit|写道)\s*[:：]|\bschrieb\b.*:)\s*$", re.IGNORECASE)
HEADER_FROM = re.compile(r"^\*?From:\*?\s", re.IGNORECASE)
HEADER_SENT = re.compile(r"^\*?(Sent|Date):\*?\s", re.IGNORECASE)
HEADER_SUBJECT = re.compile(r"^\*?(To|Subject):\*?\s", re.IGNORECASE)


def _history_starts(line: str, following: list[str]) -> bool:
    if any(marker.match(line) for marker in HISTORY_MARKERS):
        return True
    if WROTE_START.match(line) and (WROTE_END.search(line) or (following and WROTE_END.search(following[0]))):
        return True  # "On <date>, <name> wrote:", sometimes wrapped onto a second line
    # Outlook: "From: …" then "Sent: …" (or "Date: …") and "To:"/"Subject:" lines
    return bool(HEADER_FROM.match(line) and any(HEADER_SENT.match(other) for other in following[:3])
                and any(HEADER_SUBJECT.match(other) for other in following))


def strip_quoted(text: str) -> str:
    """The new part of a reply: without "> " lines and without the history below "On … wrote:" and kin."""
    lines = text.replace("\xa0", " ").split("\n")
    cut = next((index for index in range(len(lines))
                if _history_starts(lines[index].strip(), [other.strip() for other in lines[index + 1:index + 6]])),
               len(lines))
    kept = [line for line in lines[:cut] if not line.lstrip().startswith(">")]
    while kept and not kept[-1].strip("_-= \t"):
        kept.pop()
    return "\n".join(kept).strip()
