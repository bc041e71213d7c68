"""Text from bytes whose charset is missing, wrong or unknown: the label when it fits, else the likeliest.

Mail programs send undeclared UTF-8, UTF-8 labelled GB2312, undeclared GBK and undeclared Latin-1. The
chain is: pure ASCII; valid UTF-8 (its multi-byte patterns seldom occur by chance in other charsets,
so it wins over a label, except that under a Chinese, Japanese or Korean label the reading with more
CJK characters wins); the declared charset (read as its common superset: GB2312 as
GB18030, Latin-1 as cp1252); when nothing (or only US-ASCII) was declared, GB18030 if every run of
8-bit bytes reads as Chinese; else cp1252, where an accented letter is one byte among plain ones.
"""

import codecs
import re

# What mailers write, and the superset that reads what they really send under that label.
SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030", "cp936": "gb18030",
    "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "", "ascii": "",
    "ks_c_5601-1987": "cp949", "euc-kr": "cp949", "shift_jis": "cp932", "big5": "big5hkscs",
}
HIGH_RUNS = re.compile(rb"[\x80-\xff]+")
CJK_CODECS = {"gb18030", "cp949", "cp932", "big5hkscs", "euc_jp", "iso2022_jp", "shift_jis", "gbk", "gb2312"}
CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _cjk_count(text: str) -> int:
    return len(CJK.findall(text))


def _codec(label: str | None) -> str | None:
    label = (label or "").strip().strip('"').lower()
    if not label:
        return None
    label = SUPERSETS.get(label, label)
    if not label:  # "us-ascii" on 8-bit text is the default of a mail program that declared nothing
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _looks_chinese(data: bytes) -> str | None:
    """GB18030 text, if every run of 8-bit bytes reads as Chinese and none sits inside a Latin word.

    Two accented letters side by side in Latin-1 ("öß" in "Größe") also make a valid Chinese character;
    Chinese text does not put one between two Latin letters.
    """
    runs = HIGH_RUNS.findall(data)
    if not runs or any(len(run) % 2 for run in runs):
        return None
    if re.search(rb"[A-Za-z][\x80-\xff]+[A-Za-z]", data):
        return None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    for run in runs:
        decoded = run.decode("gb18030", "replace")
        if not all("\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"
                   for char in decoded):
            return None
    return text


def decode(data: bytes, declared: str | None = None) -> str:
    """The text these bytes most likely hold; never raises."""
    if not HIGH_RUNS.search(data):
        return data.decode("ascii")
    codec = _codec(declared)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if codec in CJK_CODECS:  # both may read: the one that gives Chinese, Japanese or Korean text wins
            try:
                labelled = data.decode(codec)
            except UnicodeDecodeError:
                return text
            return labelled if _cjk_count(labelled) > _cjk_count(text) else text
        return text
    if codec and codec not in ("utf-8", "cp1252"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    chinese = _looks_chinese(data) if codec is None else None
    if chinese is not None:
        return chinese
    return data.decode("cp1252", errors="replace")


def repair(text: str) -> str:
    """Header text whose raw 8-bit bytes the parser kept as surrogate escapes, decoded for real.

    Mailers put unencoded UTF-8 (or a local charset) in ``From:``, ``Subject:`` and file names; the
    parser hands those bytes back as lone surrogates, which no database takes.
    """
    if not any("\ud800" <= char <= "\udfff" for char in text):
        return text
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)
    return decode(data)
