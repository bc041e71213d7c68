"""The desk's queue list: filters, saved views, sorting, paging, who sees what, and the desk home and sidebar."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgentFactory, CustomerFactory, OrganizationFactory
from tests.tickets.factories import TicketFactory
from tickets.models import Tag, Ticket

LIST = reverse("tickets:desk-list")
Status = Ticket.Status


def listed(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    return {ticket.pk for ticket in response.context["page"].object_list}


def listed_in_order(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    return [ticket.pk for ticket in response.context["page"].object_list]


@pytest.fixture
def desk(client, agent, queue_x):
    client.force_login(agent)
    return client


@pytest.fixture
def make(queue_x, customer_b):
    def make_ticket(**kwargs):
        kwargs.setdefault("queue", queue_x)
        kwargs.setdefault("requester", customer_b)
        tags = kwargs.pop("tags", [])
        ticket = TicketFactory(**kwargs)
        for name in tags:
            ticket.tags.add(Tag.objects.get_or_create(name=name)[0])
        return ticket

    return make_ticket


# ---------------------------------------------------------------- who sees what


@pytest.mark.django_db
def test_default_list_shows_the_active_tickets_of_my_queues(desk, make, queue_y):
    new, open_, pending, on_hold = (make(status=status) for status in
                                    (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD))
    make(status=Status.RESOLVED)
    make(status=Status.CLOSED)
    make(queue=queue_y)

    assert listed(desk) == {new.pk, open_.pk, pending.pk, on_hold.pk}


@pytest.mark.django_db
def test_agent_outside_the_queue_does_not_see_its_tickets_even_by_reference(client, agent_y, queue_y, make):
    ticket = make(subject="Secret outage")
    client.force_login(agent_y)
    assert listed(client) == set()
    assert listed(client, f"?q={ticket.reference}") == set()
    body = client.get(LIST + "?q=Secret").content.decode()
    assert "Secret outage" not in body and ticket.reference not in body


@pytest.mark.django_db
def test_manager_sees_every_queue(client, manager, make, queue_y):
    mine, other = make(), make(queue=queue_y)
    client.force_login(manager)
    assert listed(client) == {mine.pk, other.pk}


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "tickets:desk-list", []),
        ("post", "tickets:desk-bulk", []),
        ("get", "tickets:desk-create", []),
        ("post", "tickets:desk-create", []),
        ("get", "tickets:desk-detail", ["REF"]),
        ("post", "tickets:desk-reply", ["REF"]),
        ("post", "tickets:desk-update", ["REF"]),
        ("post", "tickets:desk-merge", ["REF"]),
        ("get", "tickets:desk-canned", ["CANNED"]),
    ],
)
def test_customers_get_403_on_every_desk_url(client, customer_a, queue_x, method, name, args):
    from tickets.models import CannedResponse

    ticket = TicketFactory(queue=queue_x, requester=customer_a)  # even their own ticket
    canned = CannedResponse.objects.create(title="Hi", body="Hello {customer_name}")
    values = {"REF": ticket.reference, "CANNED": canned.pk}
    url = reverse(name, args=[values[arg] for arg in args])
    client.force_login(customer_a)
    response = getattr(client, method)(url + (f"?ticket={ticket.reference}" if "CANNED" in args else ""),
                                       {"body": "x", "version": ticket.version} if method == "post" else None)
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.messages.count() == 1 and ticket.version == 1


# ---------------------------------------------------------------- filters


@pytest.mark.django_db
def test_status_filter_takes_several_statuses(desk, make):
    new, pending = make(status=Status.NEW), make(status=Status.PENDING)
    resolved, closed = make(status=Status.RESOLVED), make(status=Status.CLOSED)
    make(status=Status.OPEN)

    assert listed(desk, "?status=new&status=pending") == {new.pk, pending.pk}
    assert listed(desk, "?status=resolved&status=closed") == {resolved.pk, closed.pk}


@pytest.mark.django_db
def test_queue_filter_offers_and_applies_only_my_queues(client, agent, queue_x, queue_y, make):
    queue_z = queue_y.__class__.objects.create(name="Queue Z", slug="queue-z")
    queue_z.members.add(agent)
    in_x, in_z = make(), make(queue=queue_z)
    make(queue=queue_y)
    client.force_login(agent)

    assert listed(client, f"?queue={queue_z.pk}") == {in_z.pk}
    assert listed(client, f"?queue={queue_x.pk}") == {in_x.pk}
    # A queue the agent is not in is not a choice: it narrows nothing and shows nothing of that queue.
    assert listed(client, f"?queue={queue_y.pk}") == {in_x.pk, in_z.pk}
    choices = [queue.pk for queue in client.get(LIST).context["filter"].form.fields["queue"].queryset]
    assert choices == [queue_x.pk, queue_z.pk]


@pytest.mark.django_db
def test_priority_channel_and_organisation_filters(desk, make, customer_a, org_a):
    urgent = make(priority="urgent")
    phone = make(channel=Ticket.Channel.PHONE)
    acme = make(requester=customer_a)
    make()

    assert listed(desk, "?priority=urgent") == {urgent.pk}
    assert listed(desk, "?channel=phone") == {phone.pk}
    assert listed(desk, f"?organization={org_a.pk}") == {acme.pk}


@pytest.mark.django_db
def test_assignee_filter_me_unassigned_agent_and_anyone(desk, agent, make, queue_x):
    colleague = AgentFactory(name="Colleague")
    queue_x.members.add(colleague)
    mine, theirs, nobody = make(assignee=agent), make(assignee=colleague), make()

    assert listed(desk, "?assignee=me") == {mine.pk}
    assert listed(desk, "?assignee=none") == {nobody.pk}
    assert listed(desk, f"?assignee={colleague.pk}") == {theirs.pk}
    assert listed(desk, "?assignee=") == {mine.pk, theirs.pk, nobody.pk}


@pytest.mark.django_db
def test_sla_filter_breached_due_soon_on_track(desk, make):
    now = timezone.now()
    breached = make(first_response_due=now - timedelta(minutes=5), resolution_due=now + timedelta(hours=8))
    soon = make(first_response_due=now + timedelta(minutes=30), resolution_due=now + timedelta(hours=8))
    on_track = make(first_response_due=now + timedelta(hours=3), resolution_due=now + timedelta(hours=8))
    # Answered: only the resolution target counts any more.
    answered = make(first_response_due=now - timedelta(hours=1), first_response_at=now - timedelta(hours=2),
                    resolution_due=now + timedelta(hours=5), status=Status.OPEN)

    assert listed(desk, "?sla=breached") == {breached.pk}
    assert listed(desk, "?sla=due_soon") == {soon.pk}
    assert listed(desk, "?sla=on_track") == {on_track.pk, answered.pk}
    assert listed(desk, "?sla=breached&sla=due_soon") == {breached.pk, soon.pk}


@pytest.mark.django_db
def test_tag_filter(desk, make):
    billing = make(tags=["billing", "vpn"])
    make(tags=["vpn"])
    make()
    assert listed(desk, "?tag=billing") == {billing.pk}


@pytest.mark.django_db
def test_created_date_range(desk, make):
    now = timezone.now()
    old = make(created_at=now - timedelta(days=10))
    recent = make(created_at=now - timedelta(days=2))
    today = make(created_at=now)
    ten_days_ago = timezone.localdate(now - timedelta(days=10))
    three_days_ago = timezone.localdate(now - timedelta(days=3))

    assert listed(desk, f"?created_after={three_days_ago}") == {recent.pk, today.pk}
    assert listed(desk, f"?created_before={three_days_ago}") == {old.pk}
    assert listed(desk, f"?created_after={ten_days_ago}&created_before={ten_days_ago}") == {old.pk}


@pytest.mark.django_db
def test_search_by_subject_reference_number_email_and_name(desk, make):
    dave = CustomerFactory(email="dave@initech.example", name="Dave Initech")
    vpn = make(subject="VPN drops every hour")
    daves = make(requester=dave, subject="Printer")
    make(subject="Something else")

    assert listed(desk, "?q=vpn drops") == {vpn.pk}
    assert listed(desk, f"?q={vpn.reference}") == {vpn.pk}
    assert listed(desk, f"?q={vpn.reference.lower()}") == {vpn.pk}
    assert listed(desk, f"?q={vpn.pk}") == {vpn.pk}
    assert listed(desk, "?q=initech.example") == {daves.pk}
    assert listed(desk, "?q=Dave Ini") == {daves.pk}


# ---------------------------------------------------------------- sorting and paging


@pytest.mark.django_db
def test_sorted_by_the_open_sla_target_by_default_with_no_target_last(desk, make):
    now = timezone.now()
    no_target = make()
    later = make(first_response_due=now + timedelta(hours=5), resolution_due=now + timedelta(hours=20))
    # Answered: its resolution due time counts, not the (earlier) first-response one.
    answered = make(first_response_due=now - timedelta(hours=3), first_response_at=now - timedelta(hours=4),
                    resolution_due=now + timedelta(hours=2), status=Status.OPEN)
    first = make(first_response_due=now + timedelta(minutes=10), resolution_due=now + timedelta(hours=30))

    assert listed_in_order(desk) == [first.pk, answered.pk, later.pk, no_target.pk]


@pytest.mark.django_db
def test_tickets_waiting_on_the_customer_sort_after_running_clocks(desk, make):
    now = timezone.now()
    paused = make(first_response_at=now - timedelta(days=2), resolution_due=now - timedelta(days=1),
                  status=Status.PENDING)
    running = make(first_response_at=now - timedelta(hours=1), resolution_due=now + timedelta(days=2),
                   status=Status.OPEN)
    assert listed_in_order(desk, "?status=open&status=pending") == [running.pk, paused.pk]


@pytest.fixture
def trio(make, agent):
    """Three tickets, A, B and C, that every sortable column puts in a different order."""
    now = timezone.now()
    bea = AgentFactory(email="bea@example.com", name="Bea Agent")
    a = make(subject="Bravo", requester=CustomerFactory(name="Zed Z"), status=Status.OPEN, priority="low",
             assignee=bea, first_response_due=now + timedelta(hours=3))
    b = make(subject="Alpha", requester=CustomerFactory(name="Mia M"), status=Status.NEW, priority="urgent",
             first_response_due=now + timedelta(hours=1))
    c = make(subject="Charlie", requester=CustomerFactory(name="Amy A"), status=Status.ON_HOLD, priority="high",
             assignee=agent, first_response_due=now + timedelta(hours=2))
    for ticket, hours in ((a, 3), (b, 1), (c, 2)):
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=now - timedelta(hours=hours))
    return {"A": a.pk, "B": b.pk, "C": c.pk}


# Each column's order from A to Z (oldest to newest, least to most urgent, first status to last).
ASCENDING = {
    "reference": "ABC",
    "subject": "BAC",
    "requester": "CBA",
    "status": "BAC",  # new, open, on hold: the order a ticket moves in
    "priority": "ACB",  # low, high, urgent
    "updated": "ACB",
    "sla": "BCA",  # due in 1 h, 2 h, 3 h
}


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(ASCENDING))
def test_every_column_sorts_both_ways(desk, trio, key):
    ascending = [trio[letter] for letter in ASCENDING[key]]
    assert listed_in_order(desk, f"?sort={key}") == ascending
    assert listed_in_order(desk, f"?sort=-{key}") == ascending[::-1]


@pytest.mark.django_db
def test_assignee_sort_puts_unassigned_last_both_ways(desk, trio):
    # A is Bea's, B nobody's, C Alex's.
    assert listed_in_order(desk, "?sort=assignee") == [trio["C"], trio["A"], trio["B"]]
    assert listed_in_order(desk, "?sort=-assignee") == [trio["A"], trio["C"], trio["B"]]


@pytest.mark.django_db
def test_ties_are_broken_by_the_ticket_number(desk, make):
    same = [make(subject="Same", priority="high") for _ in range(4)]
    pks = [ticket.pk for ticket in same]
    assert listed_in_order(desk, "?sort=subject") == pks
    assert listed_in_order(desk, "?sort=-subject") == pks[::-1]
    assert listed_in_order(desk, "?sort=priority&per_page=25") == pks


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["bogus", "-", "--subject", "pk", "queue", "-created_at", "newest", "sla;drop"])
def test_an_unknown_sort_is_the_default_order_quietly(desk, trio, value):
    response = desk.get(LIST, {"sort": value})
    assert response.status_code == 200
    assert [ticket.pk for ticket in response.context["page"].object_list] == listed_in_order(desk)
    body = response.content.decode()
    results = body[body.index('id="ticket-filters"'):]  # the language menu's return address aside
    # Not echoed into the links or the form.
    assert not re.search(rf"sort={re.escape(value)}[\"&]", results) and f'value="{value}"' not in results
    assert "invalid" not in results.lower()


@pytest.mark.django_db
def test_headers_show_the_order_with_aria_sort_and_turn_it_round(desk, trio):
    body = desk.get(LIST).content.decode()
    assert body.count("aria-sort=") == 1
    assert 'aria-sort="ascending"' in body  # the SLA column, the default
    assert f'href="{LIST}?sort=-sla"' in body  # a click on it turns the order round
    assert f'href="{LIST}?sort=subject"' in body
    assert f'href="{LIST}?sort=-updated"' in body  # most recent first on the first click
    assert f'href="{LIST}?sort=-priority"' in body  # most urgent first on the first click

    body = desk.get(LIST + "?sort=subject").content.decode()
    assert body.count("aria-sort=") == 1 and 'aria-sort="ascending"' in body
    assert f'href="{LIST}?sort=-subject"' in body
    assert "▲" in body

    body = desk.get(LIST + "?sort=-subject").content.decode()
    assert body.count("aria-sort=") == 1 and 'aria-sort="descending"' in body
    assert f'href="{LIST}?sort=subject"' in body
    assert "▼" in body
    assert f'href="{LIST}?"' in body  # back to the default SLA order, with nothing in the address


@pytest.mark.django_db
def test_header_links_keep_the_filters_and_page_size_and_go_back_to_page_one(desk, make):
    for _ in range(30):
        make(priority="high")
    body = desk.get(LIST + "?priority=high&per_page=25&page=2").content.decode()
    assert f'href="{LIST}?priority=high&amp;per_page=25&amp;sort=subject"' in body


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "rows"), [("25", 25), ("50", 50), ("100", 60), ("", 50), ("10", 50), ("1000", 50),
                                             ("abc", 50), ("-25", 50), ("25.0", 50)])
def test_page_size_is_25_50_or_100(desk, make, value, rows):
    for _ in range(60):
        make()
    response = desk.get(LIST, {"per_page": value})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows


@pytest.mark.django_db
def test_page_size_choice_links_keep_the_filters_and_sort(desk, make):
    make(priority="high")
    body = desk.get(LIST + "?priority=high&sort=-subject").content.decode()
    assert f'href="{LIST}?priority=high&amp;sort=-subject&amp;per_page=25"' in body
    assert f'href="{LIST}?priority=high&amp;sort=-subject&amp;per_page=100"' in body
    assert 'aria-current="true"' in body  # 50, the default, is the one in use


@pytest.mark.django_db
def test_pager_keeps_sort_and_page_size(desk, make):
    for _ in range(30):
        make()
    body = desk.get(LIST + "?sort=-subject&per_page=25").content.decode()
    assert "1–25 of 30" in body
    assert f'href="{LIST}?sort=-subject&amp;per_page=25&amp;page=2"' in body
    second = desk.get(LIST + "?sort=-subject&per_page=25&page=2")
    assert len(second.context["page"].object_list) == 5


@pytest.mark.django_db
def test_pager_leaves_out_bad_sort_and_page_size(desk, make):
    for _ in range(55):
        make()
    body = desk.get(LIST + "?sort=bogus&per_page=7").content.decode()
    assert f'href="{LIST}?page=2"' in body
    results = body[body.index('id="ticket-filters"'):]  # the language menu's return address aside
    assert "bogus" not in results and "per_page=7" not in results


@pytest.mark.django_db
def test_filter_form_keeps_sort_page_size_and_density(desk, make):
    make()
    body = desk.get(LIST + "?sort=-updated&per_page=100&density=compact").content.decode()
    form = body[body.index('id="ticket-filters"'):body.index("</form>", body.index('id="ticket-filters"'))]
    for name, value in (("sort", "-updated"), ("per_page", "100"), ("density", "compact")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in form
    # The default order and size are not written into the form, so the address stays short.
    plain = desk.get(LIST).content.decode()
    assert 'type="hidden" name="sort"' not in plain and 'name="per_page"' not in plain


@pytest.mark.django_db
def test_an_in_place_reload_updates_the_filter_forms_hidden_fields(desk, make):
    make()
    response = desk.get(LIST + "?sort=subject&per_page=25", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="ticket-filters"' not in body  # the results only
    assert '<div id="list-display-state" hx-swap-oob="true">' in body
    assert '<input type="hidden" name="sort" value="subject">' in body
    assert '<input type="hidden" name="per_page" value="25">' in body


@pytest.mark.django_db
def test_saved_views_keep_sort_page_size_and_density(desk, agent, make):
    make(assignee=agent)
    response = desk.get(LIST + "?assignee=me&sort=-priority&per_page=25&density=compact")
    views = {view["key"]: view for view in response.context["saved_views"]}
    assert views["mine"]["active"]
    for view in views.values():
        assert "sort=-priority" in view["url"] and "per_page=25" in view["url"] and "density=compact" in view["url"]
    assert listed(desk, views["unassigned"]["url"].removeprefix(LIST)) == set()


@pytest.mark.django_db
def test_compact_rows_are_kept_in_the_address(desk, make):
    make()
    plain = desk.get(LIST).content.decode()
    assert "is-compact" not in plain
    assert f'href="{LIST}?density=compact"' in plain and "Compact rows" in plain
    compact = desk.get(LIST + "?density=compact&sort=subject").content.decode()
    assert "ticket-table is-compact" in compact
    assert f'href="{LIST}?sort=subject"' in compact and "Comfortable rows" in compact
    assert "is-compact" not in desk.get(LIST + "?density=tiny").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?sort=requester", "?sort=-assignee", "?sort=status", "?sort=-sla&per_page=100"])
def test_sorting_by_any_column_runs_the_default_pages_queries(desk, trio, query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    desk.get(LIST)
    with CaptureQueriesContext(connection) as default:
        desk.get(LIST)
    with CaptureQueriesContext(connection) as sorted_:
        desk.get(LIST + query)
    assert len(sorted_.captured_queries) == len(default.captured_queries)


@pytest.mark.django_db
def test_fifty_tickets_a_page(desk, make):
    for _ in range(53):
        make()
    response = desk.get(LIST)
    assert len(response.context["page"].object_list) == 50
    assert "1–50 of 53" in response.content.decode()
    second = desk.get(LIST + "?page=2")
    assert len(second.context["page"].object_list) == 3


@pytest.mark.django_db
def test_paging_keeps_the_filters(desk, make):
    for _ in range(51):
        make(priority="high")
    body = desk.get(LIST + "?priority=high").content.decode()
    assert f'href="{LIST}?priority=high&amp;page=2"' in body


# ---------------------------------------------------------------- saved views


@pytest.mark.django_db
def test_saved_views_link_to_their_filters_and_show_counts(desk, agent, make):
    now = timezone.now()
    mine = make(assignee=agent)
    unassigned = make()
    breaching = make(assignee=agent, first_response_due=now + timedelta(minutes=20))
    make(status=Status.RESOLVED, assignee=agent)

    response = desk.get(LIST)
    views = {view["key"]: view for view in response.context["saved_views"]}
    assert [view["label"] for view in response.context["saved_views"]] == [
        "All active", "My open", "Unassigned", "Breaching soon"]
    assert views["active"]["active"] and not views["mine"]["active"]
    assert (views["active"]["count"], views["mine"]["count"], views["unassigned"]["count"],
            views["breaching"]["count"]) == (3, 2, 1, 1)

    assert listed(desk, views["mine"]["url"].removeprefix(LIST)) == {mine.pk, breaching.pk}
    assert listed(desk, views["unassigned"]["url"].removeprefix(LIST)) == {unassigned.pk}
    assert listed(desk, views["breaching"]["url"].removeprefix(LIST)) == {breaching.pk}

    on_mine = desk.get(views["mine"]["url"])
    assert [view["key"] for view in on_mine.context["saved_views"] if view["active"]] == ["mine"]
    assert 'aria-current="page"' in on_mine.content.decode()


# ---------------------------------------------------------------- the page itself


@pytest.mark.django_db
def test_row_shows_requester_organisation_vip_badges_and_assignee(desk, agent, make, customer_a):
    now = timezone.now()
    make(requester=customer_a, subject="Login loop", assignee=agent, priority="urgent",
         first_response_due=now - timedelta(hours=2), tags=["sso"])
    body = desk.get(LIST).content.decode()
    for text in ("Login loop", "Alice A", "Acme", "badge-vip", "priority-urgent", "sla-breached", "status-new",
                 "Alex Agent", "Queue X", "sso"):
        assert text in body, text


@pytest.mark.django_db
def test_subject_is_escaped(desk, make):
    make(subject="<script>alert(1)</script>")
    body = desk.get(LIST).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.django_db
def test_empty_list_says_what_to_do(desk):
    body = desk.get(LIST + "?q=nothing-like-this").content.decode()
    assert "No tickets match these filters." in body


@pytest.mark.django_db
def test_htmx_filtering_returns_only_the_results(desk, make):
    make(subject="Partial please")
    response = desk.get(LIST + "?q=Partial", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Partial please" in body and "<html" not in body and 'id="ticket-filters"' not in body
    assert "HX-Request" in response["Vary"]
    full = desk.get(LIST + "?q=Partial").content.decode()
    assert "<html" in full and 'hx-get="/desk/tickets/"' in full and 'hx-push-url="true"' in full


@pytest.mark.django_db
def test_the_same_number_of_queries_for_5_and_50_tickets(desk, make, agent, customer_a, django_assert_num_queries,
                                                         django_assert_max_num_queries):
    def fill(count):
        for index in range(count):
            make(requester=customer_a if index % 2 else CustomerFactory(organization=OrganizationFactory()),
                 assignee=agent if index % 3 else None, tags=["a", f"t{index}"])

    fill(5)
    desk.get(LIST)  # warm the session
    with django_assert_max_num_queries(100) as five:
        assert len(desk.get(LIST).context["page"].object_list) == 5
    fill(45)
    # session, user, roles, assignee choices, count, saved-view counts, sidebar queues, queue choices,
    # tag choices, organisation choices, the page, its tags: 12 whatever the number of rows
    with django_assert_num_queries(len(five.captured_queries)):
        assert len(desk.get(LIST).context["page"].object_list) == 50


# ---------------------------------------------------------------- the desk home and the sidebar


@pytest.mark.django_db
def test_sidebar_lists_my_queues_with_open_counts(desk, make, queue_x, queue_y):
    make()
    make()
    make(status=Status.RESOLVED)
    make(queue=queue_y)
    body = desk.get(reverse("desk-home")).content.decode()
    sidebar = body.split('class="desk-sidebar"')[1].split("</aside>")[0]
    assert "All tickets" in sidebar and "New ticket" in sidebar
    assert f'href="{LIST}?queue={queue_x.pk}"' in sidebar and "Queue Y" not in sidebar
    assert '">2</span>' in sidebar


@pytest.mark.django_db
def test_home_panel_lists_and_empty_states(desk, agent, make):
    body = desk.get(reverse("desk-home")).content.decode()
    assert "Nothing assigned to you." in body
    assert "Every active ticket has an owner." in body
    assert "No ticket is near its SLA target." in body

    now = timezone.now()
    make(subject="Mine to do", assignee=agent)
    make(subject="Nobody has it")
    make(subject="About to breach", assignee=agent, first_response_due=now + timedelta(minutes=15))
    body = desk.get(reverse("desk-home")).content.decode()
    assert "Mine to do" in body and "Nobody has it" in body and "About to breach" in body
    assert "Nothing assigned to you." not in body and "No ticket is near its SLA target." not in body
