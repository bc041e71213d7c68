"""Report recompute benchmark: a year of a busy desk in PostgreSQL, then the full-year and the one-day recompute.

Run by hand (not part of the test suite):

    .venv/bin/python bench/reports_recompute.py
    # options: --database helpdesk_bench --tickets 1000000 --messages-per-ticket 3 --responses 200000
    #          --runs 3 --reuse (keep the generated data of an earlier run) --output results.json

It (re)creates the database ``--database`` on the server of ``DATABASE_URL`` (default
postgres://postgres@127.0.0.1:5432), migrates it, and generates with ``INSERT … SELECT generate_series``:
1,000,000 tickets over the last 365 days (10 queues, four priorities, five channels, 60 agents, 20,000
customers in 2,000 organisations; 97 % of those older than a week resolved, first response and resolution
times on a long-tailed curve, with the ticket metric columns filled as the services would), three messages
per ticket (the customer's opening message, the first public agent reply at ``first_response_at``, then a
public reply, an internal note or a customer reply), a reopening event for 4 % of the tickets, and
300,000 survey invitations of which 200,000 were answered (CSAT on five and ten points, NPS). Then
ANALYZE, and it times ``reports.recompute.recompute_range`` for the whole year and for one day (the median
of ``--runs`` runs each), per table too, and prints the figures (``--output`` also writes them as JSON).
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("TIME_ZONE", "Europe/Berlin")  # a zone with an offset and daylight saving, like most desks

TARGET_FULL_YEAR_S = 60.0
TARGET_ONE_DAY_S = 2.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="helpdesk_bench")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--messages-per-ticket", type=int, default=3)
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="Keep the database and data of an earlier run.")
    parser.add_argument("--output", help="Also write the figures to this JSON file.")
    return parser.parse_args()


def database_url(name: str) -> str:
    base = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres")
    if not base.scheme.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL to a postgres:// server (any database on it).")
    return urlunsplit(base._replace(path=f"/{name}"))


def create_database(name: str, reuse: bool):
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            return False
        if exists:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return True


class Step:
    """Prints how long each generation step took."""

    def __init__(self, label):
        self.label = label

    def __enter__(self):
        self.started = time.monotonic()
        print(f"  {self.label} …", end="", flush=True)

    def __exit__(self, *exc):
        print(f" {time.monotonic() - self.started:.1f} s", flush=True)


def insert_select(cursor, model, expressions: dict, source: str):
    """INSERT INTO model's table SELECT one expression per column FROM ``source``; columns not given get NULL or
    the field's default, as the ORM would write them."""
    from django.db.models import NOT_PROVIDED

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        if field.name in expressions:
            values.append(expressions[field.name])
        elif field.null:
            values.append("NULL")
        elif field.default is not NOT_PROVIDED and callable(field.default):
            values.append("now()")
        else:
            values.append(sql_literal(field.get_default(), f"{model.__name__}.{field.name}"))
    cursor.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} "
                   f"FROM {source}")


def sql_literal(value, label) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):  # choices too: str() of a TextChoices member is its value
        return "'" + str(value).replace("'", "''") + "'"
    raise ValueError(f"{label} needs a value")


def generate(args):
    from django.db import connection

    from feedback.models import Survey, SurveyInvitation, SurveyResponse
    from helpdesk.accounts.models import Organization, User
    from tickets.models import Message, Queue, SLAPolicy, Ticket, TicketEvent

    tickets, per_ticket, responses = args.tickets, args.messages_per_ticket, args.responses
    invitations = responses * 3 // 2
    with connection.cursor() as cursor:
        with Step("organisations, 60 agents, 20,000 customers, 10 queues, 3 surveys"):
            insert_select(cursor, Organization, {
                "name": "'Organisation ' || g", "email_domain": "'org' || g || '.example'",
                "tier": "CASE WHEN g % 10 = 0 THEN 'vip' ELSE 'standard' END",
                "customer_since": "date '2024-01-01'", "created_at": "now()"}, "generate_series(1, 2000) AS g")
            insert_select(cursor, User, {
                "password": "'!'", "email": "'agent' || g || '@bench.example'", "name": "'Agent ' || g",
                "is_staff": "true", "date_joined": "now()"}, "generate_series(1, 60) AS g")
            cursor.execute("SELECT min(id) FROM accounts_organization")
            first_org = cursor.fetchone()[0]
            insert_select(cursor, User, {
                "password": "'!'", "email": "'customer' || g || '@bench.example'", "name": "'Customer ' || g",
                "organization": f"{first_org} + g % 2000", "date_joined": "now()"}, "generate_series(1, 20000) AS g")
            Queue.objects.bulk_create([Queue(name=f"Bench queue {n}", slug=f"bench-{n}") for n in range(10)])
            Survey.objects.bulk_create([
                Survey(name="Ticket CSAT (5)", kind="csat", scale=5, trigger="ticket_resolved"),
                Survey(name="Ticket CSAT (10)", kind="csat", scale=10, trigger="ticket_resolved"),
                Survey(name="NPS", kind="nps", scale=10, trigger="manual"),
            ])
        agents = list(User.objects.filter(email__startswith="agent").order_by("pk").values_list("pk", flat=True))
        first_customer = User.objects.filter(email__startswith="customer").order_by("pk").values_list(
            "pk", flat=True).first()
        queues = list(Queue.objects.filter(slug__startswith="bench-").order_by("pk").values_list("pk", flat=True))
        policies = dict(SLAPolicy.objects.filter(tier="").values_list("priority", "pk"))
        surveys = list(Survey.objects.order_by("pk").values_list("pk", flat=True))

        with Step(f"{tickets:,} tickets"):
            # One row per ticket, created evenly over the 365 days before today (ids follow time, as in life);
            # r1…r6 are the ticket's own random draws.
            # frt and res: business minutes on a long tail (a few minutes to a day; to two weeks), their wall-clock
            # time about half as long again (nights and week-ends).
            source = f"""(
                SELECT g, r1, r2, r3, r4, r5,
                       date_trunc('day', now()) - interval '365 days'
                           + (g - 1 + r6) * (interval '365 days' / {tickets}) AS created,
                       exp(r2 * 6.5) AS frt, exp(r2 * 6.5) + exp(1.5 + r3 * 8.0) AS res
                FROM (SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
                             random() AS r6 FROM generate_series(1, {tickets}) AS g) AS draws
            ) AS t"""
            priority = "(CASE WHEN r1 < 0.2 THEN 'low' WHEN r1 < 0.75 THEN 'normal' WHEN r1 < 0.95 THEN 'high' " \
                       "ELSE 'urgent' END)"
            answered = "(created + frt * interval '1.4 minutes' < now())"
            resolved = "(created + res * interval '1.6 minutes')"
            done = f"({resolved} < now() AND r5 < 0.995)"
            closed = f"({done} AND {resolved} + interval '7 days' < now())"
            insert_select(cursor, Ticket, {
                "subject": "'Bench ticket ' || g", "description": "'Something does not work.'",
                "requester": f"{first_customer} + g % 20000", "organization": f"{first_org} + g % 2000",
                "queue": f"(ARRAY{queues})[1 + g % {len(queues)}]", "priority": priority,
                "channel": "(ARRAY['portal','portal','email','email','phone','chat','api'])[1 + (r4 * 7)::int % 7]",
                "assignee": f"(ARRAY{agents})[1 + g % {len(agents)}]",
                "status": f"(CASE WHEN {closed} THEN 'closed' WHEN {done} THEN 'resolved' ELSE 'open' END)",
                "created_at": "created", "updated_at": "created",
                "first_response_at": f"(CASE WHEN {answered} THEN created + frt * interval '1.4 minutes' END)",
                "first_response_minutes": f"(CASE WHEN {answered} THEN round(frt) END)",
                "resolved_at": f"(CASE WHEN {done} THEN {resolved} END)",
                "closed_at": f"(CASE WHEN {closed} THEN {resolved} + interval '7 days' END)",
                "resolution_minutes": f"(CASE WHEN {done} THEN round(res) END)",
                # A reopened ticket was first resolved a third of the way; the others once, at the end.
                "first_resolved_at": f"(CASE WHEN {done} THEN created + (CASE WHEN r4 < 0.04 THEN res / 3 ELSE res "
                                     "END) * interval '1.6 minutes' END)",
                "first_resolution_minutes": f"(CASE WHEN {done} THEN round(CASE WHEN r4 < 0.04 THEN res / 3 ELSE res "
                                            "END) END)",
                "public_agent_replies": f"(CASE WHEN {answered} THEN 1 + (r5 * 1000)::int % 3 ELSE 0 END)",
                "reopened_count": "(CASE WHEN r4 < 0.04 THEN 1 ELSE 0 END)",
                "sla_policy": f"(CASE {priority} " + " ".join(
                    f"WHEN '{name}' THEN {pk}" for name, pk in policies.items()) + " END)",
                "first_response_breached_at": "(CASE WHEN r2 > 0.93 THEN created + interval '8 hours' END)",
                "resolution_summary": f"(CASE WHEN {done} THEN 'Fixed.' ELSE '' END)",
            }, source)

        with Step(f"{tickets * per_ticket:,} messages"):
            # 1: the customer's opening message; 2: the first public agent reply; then by turns a customer
            # reply, a public agent reply or an internal note, three hours apart.
            customer = "(k = 1 OR (k > 2 AND (t.id + k) % 3 = 0))"
            insert_select(cursor, Message, {
                "ticket": "t.id", "author": f"(CASE WHEN {customer} THEN t.requester_id ELSE t.assignee_id END)",
                "from_agent": f"NOT {customer}", "is_internal": "(k > 2 AND (t.id + k) % 3 = 2)",
                "body": "'Message ' || k", "channel": "t.channel",
                "created_at": "(CASE WHEN k = 1 THEN t.created_at WHEN k = 2 THEN coalesce(t.first_response_at, "
                              "t.created_at + interval '1 minute') "
                              "ELSE coalesce(t.first_response_at, t.created_at) + (k - 2) * interval '3 hours' END)",
            }, f"tickets_ticket AS t CROSS JOIN generate_series(1, {per_ticket}) AS k")

        with Step("reopening events"):
            insert_select(cursor, TicketEvent, {
                "ticket": "t.id", "actor": "t.requester_id", "kind": "'status'", "old_value": "'resolved'",
                "new_value": "'open'",
                "created_at": "coalesce(t.first_response_at, t.created_at) + interval '1 hour'"},
                "tickets_ticket AS t WHERE t.reopened_count > 0")

        with Step(f"{invitations:,} survey invitations, {responses:,} responses"):
            insert_select(cursor, SurveyInvitation, {
                "survey": f"(ARRAY{surveys})[1 + t.id % {len(surveys)}]", "recipient": "t.requester_id",
                "ticket": "t.id", "organization": "t.organization_id", "subject_key": "'ticket:' || t.id",
                "token": "md5('bench' || t.id)", "created_at": "t.resolved_at",
                "sent_at": "t.resolved_at + interval '1 hour'", "expires_at": "t.resolved_at + interval '15 days'",
            }, f"tickets_ticket AS t WHERE t.resolved_at IS NOT NULL ORDER BY md5(t.id::text) LIMIT {invitations}")
            insert_select(cursor, SurveyResponse, {
                "invitation": "i.id",
                "score": "(CASE s.kind WHEN 'nps' THEN (10.99 * sqrt(random()))::int "
                         "ELSE greatest(1, least(s.scale, ceil(s.scale * sqrt(random()))::int)) END)",
                "submitted_at": "i.sent_at + random() * interval '3 days'", "updated_at": "i.sent_at",
            }, f"feedback_surveyinvitation AS i JOIN feedback_survey AS s ON s.id = i.survey_id "
               f"ORDER BY md5(i.id::text) LIMIT {responses}")
            cursor.execute("UPDATE feedback_surveyinvitation AS i SET responded_at = r.submitted_at "
                           "FROM feedback_surveyresponse AS r WHERE r.invitation_id = i.id")

    with Step("VACUUM ANALYZE"), connection.cursor() as cursor:  # Django runs in autocommit mode
        cursor.execute("VACUUM ANALYZE")


def counts():
    from feedback.models import SurveyInvitation, SurveyResponse
    from tickets.models import Message, Ticket

    return {"tickets": Ticket.objects.count(), "messages": Message.objects.count(),
            "invitations": SurveyInvitation.objects.count(), "responses": SurveyResponse.objects.count()}


def timed_runs(first, last, runs):
    """Run the recompute ``runs`` times; the wall time of each run and the per-table time of the last one."""
    from reports import recompute

    per_table: dict[str, float] = {}

    def timed(name, build):
        def wrapper(chunk, state):
            started = time.perf_counter()
            rows = build(chunk, state)
            per_table[name] = per_table.get(name, 0.0) + time.perf_counter() - started
            return rows
        return wrapper

    original = recompute.TABLES
    recompute.TABLES = [(model, timed(model.__name__, build)) for model, build in original]
    try:
        times, written = [], {}
        for _run in range(runs):
            per_table.clear()
            started = time.perf_counter()
            written = recompute.recompute_range(first, last)
            times.append(time.perf_counter() - started)
    finally:
        recompute.TABLES = original
    return times, dict(per_table), written


def main():
    args = parse_args()
    name = args.database
    print(f"Database {name}:")
    fresh = create_database(name, args.reuse)
    os.environ["DATABASE_URL"] = database_url(name)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from reports import recompute

    if fresh:
        with Step("migrate"):
            call_command("migrate", verbosity=0)
        started = time.monotonic()
        generate(args)
        print(f"  generated in {time.monotonic() - started:.0f} s")
    sizes = counts()
    print("  " + ", ".join(f"{value:,} {key}" for key, value in sizes.items()))

    today = recompute.report_today()
    first, last = today - timedelta(days=365), today - timedelta(days=1)
    one_day = last
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]

    print(f"Full year ({first} – {last}), {args.runs} runs:")
    year_times, year_tables, year_rows = timed_runs(first, last, args.runs)
    print("  " + ", ".join(f"{t:.1f} s" for t in year_times))
    print(f"One day ({one_day}), {args.runs} runs:")
    day_times, day_tables, day_rows = timed_runs(one_day, one_day, args.runs)
    print("  " + ", ".join(f"{t:.2f} s" for t in day_times))

    results = {
        "server": server, "time_zone": os.environ["TIME_ZONE"], "cpus": os.cpu_count(), **sizes,
        "full_year": {"first": str(first), "last": str(last), "runs_s": [round(t, 2) for t in year_times],
                      "median_s": round(statistics.median(year_times), 2),
                      "per_table_s": {k: round(v, 2) for k, v in year_tables.items()}, "rows": year_rows},
        "one_day": {"day": str(one_day), "runs_s": [round(t, 3) for t in day_times],
                    "median_s": round(statistics.median(day_times), 3),
                    "per_table_s": {k: round(v, 3) for k, v in day_tables.items()}, "rows": day_rows},
    }
    print()
    print(f"Full-year recompute: median {results['full_year']['median_s']:.1f} s (target ≤ {TARGET_FULL_YEAR_S:.0f} s)")
    print(f"One-day recompute:   median {results['one_day']['median_s']:.2f} s (target ≤ {TARGET_ONE_DAY_S:.0f} s)")
    print("Per table (last full-year run / last one-day run, seconds):")
    for table in year_tables:
        print(f"  {table:<18} {year_tables[table]:7.2f} {day_tables.get(table, 0):8.3f}")
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
        print(f"Written to {args.output}")


if __name__ == "__main__":
    main()
