"""A synthetic ticket history with realistic, noisy labels, for the accuracy figures, the tests and the bench.

Each queue has its own vocabulary in English and Chinese; the priority follows the words of urgency and
impact; the product is named in the text most of the time. A share of labels (``noise``) is replaced by a
random one, as agents file tickets in the wrong queue and leave priorities at their default.
"""

import random
from datetime import UTC, datetime, timedelta

QUEUES = {
    "billing": (["invoice", "charged twice", "refund", "payment failed", "credit card", "VAT number", "receipt",
                 "subscription price"], ["发票", "重复扣款", "退款", "付款失败", "信用卡", "收据"]),
    "technical": (["error 500", "crashes on start", "cannot sync", "login loop", "API timeout", "blank screen",
                   "update failed", "slow dashboard"], ["报错", "闪退", "无法同步", "登录失败", "接口超时", "白屏"]),
    "accounts": (["reset password", "change email", "two-factor", "delete my account", "add a user",
                  "locked out", "rename organisation"], ["重置密码", "修改邮箱", "双重验证", "注销账号", "账号被锁"]),
    "shipping": (["parcel late", "tracking number", "wrong address", "courier", "delivery date", "customs"],
                 ["快递", "物流单号", "地址错误", "配送", "海关", "还没到"]),
    "returns": (["return label", "damaged on arrival", "exchange size", "warranty repair", "faulty unit"],
                ["退货", "到货损坏", "换货", "保修", "维修"]),
}
QUEUE_WEIGHTS = [0.34, 0.28, 0.16, 0.13, 0.09]
PRODUCTS = ["Router X1", "Camera Pro", "Thermostat S", "Cloud Backup"]
URGENT = (["urgent", "production is down", "all our users", "asap", "outage", "losing money"],
          ["紧急", "全部用户", "生产环境宕机", "马上", "严重"])
HIGH = (["several users", "blocking our work", "cannot work", "deadline today"], ["多个用户", "影响工作", "今天截止"])
LOW = (["when you have time", "small question", "just curious", "no rush"], ["不急", "小问题", "顺便问一下"])
FILLER = (["Hello team,", "Hi,", "Since yesterday", "After the last update", "Thanks in advance.", "Regards, Sam",
           "we noticed that", "please help", "our office", "my colleague says"],
          ["你好，", "从昨天开始", "更新以后", "麻烦帮忙看一下", "谢谢", "我们公司"])


def _priority(rng, urgent: bool, high: bool, low: bool) -> str:
    if urgent:
        return rng.choices(["urgent", "high"], [0.8, 0.2])[0]
    if high:
        return "high"
    if low:
        return "low"
    return rng.choices(["normal", "high"], [0.92, 0.08])[0]


def generate(count: int, *, seed: int = 7, noise: float = 0.15, chinese: float = 0.3,
             start: datetime | None = None, days: int = 365) -> list[dict]:
    rng = random.Random(seed)
    start = start or datetime(2025, 1, 1, tzinfo=UTC)
    queues = list(QUEUES)
    rows = []
    for index in range(count):
        queue = rng.choices(queues, QUEUE_WEIGHTS)[0]
        zh = rng.random() < chinese
        lang = 1 if zh else 0
        phrases = rng.sample(QUEUES[queue][lang], k=min(2, len(QUEUES[queue][lang])))
        if rng.random() < 0.25:  # a word from another queue: real tickets mix topics
            phrases.append(rng.choice(QUEUES[rng.choice(queues)][lang]))
        urgent, high, low = rng.random() < 0.12, rng.random() < 0.15, rng.random() < 0.12
        if urgent:
            phrases.append(rng.choice(URGENT[lang]))
        elif high:
            phrases.append(rng.choice(HIGH[lang]))
        elif low:
            phrases.append(rng.choice(LOW[lang]))
        product = rng.choice(PRODUCTS)
        if rng.random() < 0.8:
            phrases.append(product)
        phrases += rng.sample(FILLER[lang], k=2)
        rng.shuffle(phrases)
        text = ("，" if zh else ", ").join(phrases)
        subject = phrases[0]
        priority = _priority(rng, urgent, high and not urgent, low and not urgent and not high)
        if rng.random() < noise:
            queue = rng.choice(queues)
        if rng.random() < noise:
            priority = rng.choice(["low", "normal", "high", "urgent"])
        rows.append({"id": index + 1, "subject": subject, "text": f"{subject}\n{text}", "description": text,
                     "created_at": start + timedelta(seconds=int(days * 86400 * index / max(count, 1))),
                     "queue": queue, "priority": priority, "product": product, "chinese": zh})
    return rows
