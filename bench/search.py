"""Desk search benchmark: tickets and messages loaded with COPY, then the search page's queries, p50/p95.

Run by hand against a PostgreSQL database of its own (not part of the test suite):

    createdb -h 127.0.0.1 -U postgres searchbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/searchbench .venv/bin/python bench/search.py \\
        --migrate --tickets 1000000 --messages-per-ticket 3

Loading: queues, organisations and customers through the ORM; tickets and messages with ``COPY`` in chunks
(the search triggers of tickets 0010_search write the vectors as the rows arrive; the GIN and trigram indexes
are dropped during the load and built once at the end). One message in ten is Chinese, its jieba words taken
from a small pool cut once. ``--skip-load`` measures what an earlier run left in the database.

Measuring: the whole search page (``helpdesk.views.desk_search`` through a RequestFactory, every group, the
count and the first page of each, rendered) for an agent of two of the ten queues and for a manager, each query
``--runs`` times after one warm-up run; p50/p95 per query and overall, and EXPLAIN ANALYZE of the tickets query.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import NOT_PROVIDED  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

from helpdesk import views  # noqa: E402
from helpdesk.accounts.models import Organization, User  # noqa: E402
from helpdesk.accounts.roles import Role  # noqa: E402
from helpdesk.textsearch import search_terms, segment  # noqa: E402
from tickets import search as ticket_search  # noqa: E402
from tickets.models import Message, Queue, Ticket  # noqa: E402

TARGET_P95_MS = 150.0
CHUNK = 50_000
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "to", "va", "shi", "pe", "dor", "lin", "qua", "zen", "bri", "mo", "tex"]
COMMON = ["printer", "invoice", "login", "password", "error", "export", "report", "sync", "update", "account",
          "server", "email", "licence", "backup", "network", "timeout", "crash", "upload", "screen", "payment"]
CHINESE = ["打印机无法连接网络", "发票抬头填写错误", "登录时提示密码错误", "导出报表超时", "同步数据失败",
           "服务器响应很慢", "邮件收不到验证码", "许可证激活失败", "备份恢复后数据丢失", "支付页面打不开",
           "纸盒卡扣坏了需要更换", "升级以后界面显示异常"]
INDEXES = {
    "ticket_search_gin": "CREATE INDEX ticket_search_gin ON tickets_ticket USING gin (search_vector)",
    "message_search_gin": "CREATE INDEX message_search_gin ON tickets_message USING gin (search_vector)",
    "ticket_subject_trgm": (
        "CREATE INDEX ticket_subject_trgm ON tickets_ticket USING gin ((UPPER(subject::text)) gin_trgm_ops)"
    ),
}


def vocabulary(rng, size=20_000):
    words = set(COMMON)
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def sentence(rng, words, n):
    # Zipf-like: a few words are frequent, most are rare.
    return " ".join(words[min(int(rng.paretovariate(0.9)) - 1, len(words) - 1)] for _ in range(n))


def copy_value(value):
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(model, rows, columns):
    """COPY rows (dicts of attname → value) into the model's table; other columns take the field default."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in columns]
    defaults = {}
    for field in fields:
        if field.attname in columns:
            continue
        default = field.get_default() if field.default is not NOT_PROVIDED else None
        if default is None and not field.null:
            default = "" if field.get_internal_type() in ("CharField", "TextField") else 0
        defaults[field.attname] = default
    names = [field.column for field in fields]
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(copy_value(row[f.attname] if f.attname in row else defaults[f.attname])
                               for f in fields))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor, cursor.copy(
        f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN"
    ) as copy:
        while data := buffer.read(1 << 20):
            copy.write(data)


def load(args):
    rng = random.Random(args.seed)
    words = vocabulary(rng)
    chinese_pool = [(text, segment(text)) for text in CHINESE]
    customer_group, _ = Group.objects.get_or_create(name=Role.CUSTOMER)
    agent_group, _ = Group.objects.get_or_create(name=Role.AGENT)
    manager_group, _ = Group.objects.get_or_create(name=Role.MANAGER)
    queues = [Queue.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Bench queue {n}"})[0]
              for n in range(10)]
    agent, created = User.objects.get_or_create(email="bench-agent@example.com", defaults={"name": "Bench Agent"})
    agent.groups.add(agent_group)
    for queue in queues[:2]:
        queue.members.add(agent)
    manager, _ = User.objects.get_or_create(email="bench-manager@example.com", defaults={"name": "Bench Manager"})
    manager.groups.add(manager_group)
    if args.skip_load:
        return agent, manager
    organizations = Organization.objects.bulk_create(
        [Organization(name=f"Bench {sentence(rng, words, 2).title()} {n}") for n in range(args.organizations)])
    customers = User.objects.bulk_create([
        User(email=f"bench{n}.{words[n % len(words)]}@example.com", name=sentence(rng, words, 2).title(),
             organization=organizations[n % len(organizations)])
        for n in range(args.customers)
    ])
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=customer.pk, group_id=customer_group.pk) for customer in customers])
    with connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("SELECT coalesce(max(id), 0) FROM tickets_ticket")
        first_ticket = cursor.fetchone()[0] + 1
        cursor.execute("SELECT coalesce(max(id), 0) FROM tickets_message")
        next_message = cursor.fetchone()[0] + 1
    now = timezone.now()
    statuses = [Ticket.Status.RESOLVED] * 5 + [Ticket.Status.CLOSED] * 3 + [Ticket.Status.OPEN, Ticket.Status.NEW]
    started = time.monotonic()
    for start in range(0, args.tickets, CHUNK):
        tickets, messages = [], []
        for pk in range(first_ticket + start, first_ticket + min(start + CHUNK, args.tickets)):
            customer = customers[rng.randrange(len(customers))]
            created_at = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            status = rng.choice(statuses)
            tickets.append({
                "id": pk, "subject": sentence(rng, words, rng.randint(3, 7)).capitalize(),
                "description": sentence(rng, words, 20), "requester_id": customer.pk,
                "organization_id": customer.organization_id, "queue_id": queues[pk % 10].pk, "status": status,
                "created_at": created_at, "updated_at": created_at + timedelta(hours=rng.randint(1, 200)),
                "resolved_at": created_at + timedelta(hours=5) if status != Ticket.Status.OPEN else None,
            })
            for number in range(args.messages_per_ticket):
                if rng.random() < 0.1:
                    body, tokens = rng.choice(chinese_pool)
                else:
                    body, tokens = sentence(rng, words, rng.randint(15, 60)), ""
                messages.append({
                    "id": next_message, "ticket_id": pk, "author_id": customer.pk, "body": body,
                    "body_tokens": tokens, "is_internal": number == 2 and rng.random() < 0.3,
                    "created_at": created_at + timedelta(minutes=number * 30),
                })
                next_message += 1
        copy_rows(Ticket, tickets, set(tickets[0]))
        copy_rows(Message, messages, set(messages[0]))
        connection.commit() if not connection.get_autocommit() else None
        done = start + len(tickets)
        print(f"  {done:,} tickets, {done * args.messages_per_ticket:,} messages, {time.monotonic() - started:.0f} s",
              flush=True)
    with connection.cursor() as cursor:
        for table in ("tickets_ticket", "tickets_message"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for name, sql in INDEXES.items():
            began = time.monotonic()
            cursor.execute(sql)
            print(f"  index {name}: {time.monotonic() - began:.0f} s", flush=True)
        cursor.execute("ANALYZE tickets_ticket")
        cursor.execute("ANALYZE tickets_message")
        cursor.execute("ANALYZE accounts_user")
        cursor.execute("ANALYZE accounts_organization")
    print(f"loaded in {time.monotonic() - started:.0f} s", flush=True)
    return agent, manager


def queries():
    return ["printer", "timeout crash", "kalomi", "dorlinqua", "password error", "打印机", "纸盒卡扣", "bench7.",
            "invoice export report"]


def measure(user, label, args):
    factory = RequestFactory()
    results = {}
    for query in queries():
        times = []
        for run in range(args.runs + 1):
            request = factory.get("/desk/search/", {"q": query})
            request.user = user
            began = time.perf_counter()
            response = views.desk_search(request)
            response.render() if hasattr(response, "render") else None
            if run:
                times.append((time.perf_counter() - began) * 1000)
        times.sort()
        results[query] = times
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"  {label:8} {query!r:26} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms", flush=True)
    every = sorted(t for times in results.values() for t in times)
    p50, p95 = statistics.median(every), every[max(0, int(len(every) * 0.95) - 1)]
    print(f"  {label:8} all queries                p50 {p50:7.1f} ms   p95 {p95:7.1f} ms "
          f"({'meets' if p95 <= TARGET_P95_MS else 'misses'} the {TARGET_P95_MS:.0f} ms target)", flush=True)
    return p50, p95


def explain(user, text):
    tickets = ticket_search.matching_tickets(user, search_terms(text))[:10]
    sql, params = tickets.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--messages-per-ticket", type=int, default=3)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--organizations", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--migrate", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/search.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    if args.migrate:
        call_command("migrate", verbosity=0)
    agent, manager = load(args)
    print(f"{Ticket.objects.count():,} tickets, {Message.objects.count():,} messages")
    agent_p = measure(agent, "agent", args)
    manager_p = measure(manager, "manager", args)
    print("\nEXPLAIN ANALYZE (agent, 'timeout crash', first page):")
    print(explain(agent, "timeout crash"))
    print(f"\nsummary: agent p50 {agent_p[0]:.1f} / p95 {agent_p[1]:.1f} ms, "
          f"manager p50 {manager_p[0]:.1f} / p95 {manager_p[1]:.1f} ms")


if __name__ == "__main__":
    main()
