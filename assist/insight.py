"""Sentiment (a lexicon for English and Chinese, plus the classifier trained on survey scores) and the
extractive thread summary."""

import re

from assist import training
from assist.text import sentences, words

NEGATIVE = {
    "angry", "annoyed", "awful", "bad", "broken", "cancel", "complaint", "disappointed", "disgusted", "frustrated",
    "frustrating", "furious", "horrible", "ridiculous", "terrible", "unacceptable", "useless", "worst", "again",
    "still", "never", "refund", "waste", "upset", "fed",
    "生气", "失望", "糟糕", "投诉", "退款", "垃圾", "愤怒", "太差", "无法接受", "还是", "又", "一直", "没用", "差劲",
}
POSITIVE = {"thanks", "thank", "great", "perfect", "appreciate", "excellent", "helpful", "love", "resolved",
            "谢谢", "感谢", "很好", "满意", "完美", "解决"}
SHOUT = re.compile(r"(!{2,}|！{2,}|\b[A-Z]{4,}\b)")


def lexicon_score(text: str) -> float:
    """-1 (angry) .. 1 (pleased)."""
    tokens = words(text)
    negative = sum(token in NEGATIVE for token in tokens) + len(SHOUT.findall(text or ""))
    positive = sum(token in POSITIVE for token in tokens)
    if not negative and not positive:
        return 0.0
    return (positive - negative) / (positive + negative)


def frustrated(text: str, bundle=None) -> tuple[bool, str]:
    """Whether the customer sounds frustrated, and what says so."""
    lexicon = lexicon_score(text)
    if bundle and "sentiment" in bundle["classifiers"]:
        value, confidence = training.predict(bundle, text)["sentiment"]
        if value == "negative" and confidence >= 0.7:
            return True, "classifier"
    return lexicon <= -0.5, "lexicon"


PROBLEM = re.compile(r"\b(error|fail|cannot|can't|doesn't|not working|broken|problem|issue)\b|无法|不能|错误|失败|问题",
                     re.IGNORECASE)
TRIED = re.compile(r"\b(tried|restarted|reinstalled|checked|already|cleared)\b|试过|重启|已经|检查", re.IGNORECASE)


def summary(messages: list[str], *, limit: int = 4) -> list[str]:
    """The sentences that carry the problem, the steps tried and the latest state, in thread order."""
    picked: list[tuple[int, str]] = []
    all_sentences = [(index, sentence) for index, text in enumerate(messages) for sentence in sentences(text)]
    if not all_sentences:
        return []
    problem = next((item for item in all_sentences if PROBLEM.search(item[1])), all_sentences[0])
    picked.append(problem)
    tried = [item for item in all_sentences if TRIED.search(item[1]) and item != problem]
    picked.extend(tried[:2])
    latest = [item for item in all_sentences if item[0] == len(messages) - 1]
    if latest and latest[-1] not in picked:
        picked.append(latest[-1])
    seen = []
    for item in sorted(picked)[:limit]:
        if item[1] not in seen:
            seen.append(item[1][:300])
    return seen
