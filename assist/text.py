"""How assist reads a ticket: English words, Chinese words cut by jieba, and character n-grams."""

import logging
import re

import jieba

jieba.setLogLevel(logging.WARNING)

CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[a-z0-9][a-z0-9'_-]+")


def words(text: str) -> list[str]:
    text = (text or "").lower()
    tokens = LATIN_WORD.findall(text)
    for run in CJK_RUN.findall(text):
        tokens.extend(word for word in jieba.cut(run) if word.strip())
    return tokens


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?。！？])\s*|\n+", text or "")
    return [part.strip() for part in parts if len(part.strip()) > 3]
