"""Knowledge base search benchmark: 10,000 articles in English and Chinese, two-word queries, p50/p95.

Run by hand against PostgreSQL (not part of the test suite):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbbench .venv/bin/python bench/kb_search.py --migrate

It adds a scratch set of articles (slugs starting with ``bench-``) with ``bulk_create`` and one
UPDATE of their search vectors, runs every query of ``QUERIES`` ``--runs`` times the way the search
page does (the count, then the first page of ten ranked results with highlights) and the way the
ticket-form suggestions do (any word, five results), prints p50/p95 per query and whether the plan
uses the GIN index, then deletes the scratch articles again (``--keep`` leaves them). Use a database
of its own, or at least not one that people are using: the scratch rows are visible while it runs.
"""

import argparse
import os
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from knowledgebase import search, selectors  # noqa: E402
from knowledgebase.models import Article  # noqa: E402

TARGET_P95_MS = 20.0
INDEX_NAME = "kb_article_search_gin"
QUERIES = [
    "reset password", "export invoices", "api token", "configure okta", "webhook signature", "mobile notifications",
    "重置密码", "导出报表", "单点登录", "发票抬头", "接口超时", "许可证激活",
]

EN_ACTIONS = ["reset", "export", "import", "configure", "enable", "disable", "rotate", "download", "upload",
              "delete", "restore", "migrate", "sync", "connect", "renew", "upgrade", "verify", "invite", "archive",
              "merge", "schedule", "share", "filter", "limit"]
EN_OBJECTS = ["password", "data", "invoices", "token", "webhook", "report", "dashboard", "licence", "seats", "users",
              "roles", "workspace", "backup", "certificate", "domain", "integration", "calendar", "contacts",
              "pipeline", "notifications", "template", "fields", "audit log", "payment method", "subscription",
              "signature", "session", "quota", "attachments", "comments"]
EN_CONTEXTS = ["Azure AD", "Okta", "Salesforce", "Slack", "Outlook", "Google Workspace", "HubSpot", "Zapier", "Jira",
               "Teams", "Stripe", "iOS", "Android", "CSV files", "JSON", "Excel", "PDF", "VAT", "GDPR", "the API",
               "the mobile app", "SAML", "OpenID Connect", "a sandbox", "on-premise gateway"]
EN_FILLER = [
    "open", "settings", "then", "choose", "the", "page", "where", "option", "lives", "and", "save", "change",
    "before", "you", "leave", "screen", "new", "value", "applies", "to", "every", "member", "of", "workspace",
    "at", "once", "an", "administrator", "can", "undo", "it", "later", "from", "same", "place", "if",
    "something", "looks", "wrong", "contact", "support", "with", "request", "id", "time", "happened", "in",
    "your", "zone",
]
ZH_ACTIONS = ["重置", "导出", "导入", "配置", "启用", "停用", "下载", "上传", "删除", "恢复", "迁移", "同步", "连接",
              "续费", "升级", "验证", "邀请", "归档", "激活", "修改"]
ZH_OBJECTS = ["密码", "数据", "发票", "令牌", "报表", "仪表盘", "许可证", "席位", "用户", "角色", "工作区", "备份",
              "证书", "域名", "集成", "日历", "联系人", "通知", "模板", "接口", "抬头", "附件", "会话", "配额"]
ZH_CONTEXTS = ["企业微信", "钉钉", "飞书", "单点登录", "手机应用", "安卓", "苹果手机", "浏览器", "邮件", "网关",
               "超时", "错误", "审计日志", "支付方式", "订阅", "沙盒环境"]
ZH_FILLER = ["打开设置页面", "选择对应的选项", "保存之后立即生效", "管理员可以随时撤销", "如果遇到问题",
             "请提交工单并附上请求编号", "所有成员都会看到新的设置", "建议先在测试环境中验证", "操作记录会保存在日志中"]


def english_article(rng, number):
    action, obj, context = rng.choice(EN_ACTIONS), rng.choice(EN_OBJECTS), rng.choice(EN_CONTEXTS)
    title = f"{action.capitalize()} {obj} with {context}"
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        words = [rng.choice(EN_FILLER) for _ in range(rng.randint(25, 45))]
        for _ in range(rng.randint(1, 3)):
            words.insert(rng.randrange(len(words)), f"{rng.choice(EN_ACTIONS)} the {rng.choice(EN_OBJECTS)}")
        words.insert(rng.randrange(len(words)), f"{action} {obj}")
        paragraphs.append(" ".join(words).capitalize() + ".")
    steps = "\n".join(f"{step}. {rng.choice(EN_ACTIONS).capitalize()} **{rng.choice(EN_OBJECTS)}**."
                      for step in range(1, rng.randint(3, 6)))
    code = f"```bash\nclouddesk {action} --id {number}\n```"
    body = f"## {context}\n\n" + "\n\n".join(paragraphs) + f"\n\n{steps}\n\n{code}\n"
    return title, body


def chinese_article(rng, number):
    action, obj, context = rng.choice(ZH_ACTIONS), rng.choice(ZH_OBJECTS), rng.choice(ZH_CONTEXTS)
    title = f"如何在{context}中{action}{obj}"
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        parts = [rng.choice(ZH_FILLER) for _ in range(rng.randint(4, 8))]
        for _ in range(rng.randint(1, 3)):
            parts.insert(rng.randrange(len(parts)), f"{rng.choice(ZH_ACTIONS)}{rng.choice(ZH_OBJECTS)}")
        parts.insert(rng.randrange(len(parts)), f"{action}{obj}")
        paragraphs.append("，".join(parts) + "。")
    body = f"## {context}\n\n" + "\n\n".join(paragraphs) + f"\n\n```bash\nclouddesk {number}\n```\n"
    return title, body


def create_articles(count, prefix, seed):
    rng = random.Random(seed)
    articles = []
    started = time.perf_counter()
    for number in range(count):
        title, body = (chinese_article if number % 2 else english_article)(rng, number)
        article = Article(title=title, slug=f"{prefix}{number}", body=body, kind=rng.choice(Article.Kind.values),
                          status=Article.Status.PUBLISHED, visibility=Article.Visibility.PUBLIC,
                          views=rng.randint(0, 5000))
        search.index_fields(article)
        articles.append(article)
    prepared = time.perf_counter()
    Article.objects.bulk_create(articles, batch_size=1000)
    inserted = time.perf_counter()
    search.update_search_vectors(Article.objects.filter(slug__startswith=prefix))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledgebase_article")
    done = time.perf_counter()
    print(f"created {count} articles: markdown + jieba {prepared - started:.1f} s, bulk insert "
          f"{inserted - prepared:.1f} s, vector UPDATE + ANALYZE {done - inserted:.1f} s")


def pad(text, width):
    """Left-align in a terminal, where a Chinese character takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(0, width - columns)


def timed(function, runs):
    for _ in range(3):  # warm-up: connection, plan cache, buffers
        function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * len(samples)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50, help="measured runs per query")
    parser.add_argument("--seed", type=int, default=20261)
    parser.add_argument("--keep", action="store_true", help="leave the scratch articles in the database")
    parser.add_argument("--migrate", action="store_true", help="run the migrations first (a fresh database)")
    options = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit("This benchmark measures PostgreSQL full-text search: set DATABASE_URL=postgres://… "
                 f"(the current database is {connection.vendor}).")
    if options.migrate:
        call_command("migrate", verbosity=0)
    prefix = f"bench-{int(time.time())}-"
    anonymous = AnonymousUser()
    print(f"PostgreSQL {connection.cursor().connection.info.server_version}, database "
          f"{connection.settings_dict['NAME']}, {os.cpu_count()} cores")
    create_articles(options.articles, prefix, options.seed)
    try:
        print(f"{Article.objects.count()} articles in the table; {options.runs} runs per query\n")
        header = f"{'query':<22} {'hits':>6} {'page p50':>9} {'page p95':>9} {'sugg p50':>9} {'sugg p95':>9}  GIN"
        print(header)
        print("-" * len(header))
        worst = 0.0
        for query in QUERIES:
            def page(query=query):
                results = selectors.search_results(anonymous, query)
                results.count()
                for article in results[:10]:
                    search.snippet(article, query)

            def suggest(query=query):
                selectors.suggestions(query)

            hits = selectors.search_results(anonymous, query).count()
            page_p50, page_p95 = timed(page, options.runs)
            suggest_p50, suggest_p95 = timed(suggest, options.runs)
            plan = selectors.search_results(anonymous, query)[:10].explain()
            uses_gin = f"Bitmap Index Scan on {INDEX_NAME}" in plan
            worst = max(worst, page_p95, suggest_p95)
            print(f"{pad(query, 22)} {hits:>6} {page_p50:>7.1f}ms {page_p95:>7.1f}ms {suggest_p50:>7.1f}ms "
                  f"{suggest_p95:>7.1f}ms  {'yes' if uses_gin else 'NO'}")
        verdict = "met" if worst < TARGET_P95_MS else "MISSED"
        print(f"\nworst p95 {worst:.1f} ms: target p95 < {TARGET_P95_MS:.0f} ms {verdict}")
    finally:
        if not options.keep:
            deleted, _ = Article.objects.filter(slug__startswith=prefix).delete()
            print(f"removed {deleted} scratch rows")


if __name__ == "__main__":
    main()
