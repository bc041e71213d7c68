"""The care pages in the desk: the list, the task page with its log form, the home panel and the sidebar."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from care.models import CareTask
from care.services import care_task_create
from tests.factories import CustomerFactory, OrganizationFactory

TODAY = timezone.localdate()
LIST = reverse("care:care-list")


def task_url(task, **query):
    url = reverse("care:care-task", args=[task.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def check_in(organization, *, days_overdue=0, assignee=None, **fields):
    return CareTask.objects.create(
        kind=CareTask.Kind.CHECK_IN, organization=organization, title=f"Check in with {organization.name}",
        assignee=assignee or organization.account_manager, due_on=TODAY - timedelta(days=days_overdue), **fields)


@pytest.fixture
def acme(org_a, agent):
    org_a.account_manager = agent
    org_a.save()
    return org_a


@pytest.fixture
def globex(org_b, agent_y):
    org_b.account_manager = agent_y
    org_b.save()
    return org_b


@pytest.fixture
def follow_up(agent, customer_a, acme):
    task, _created = care_task_create(kind=CareTask.Kind.FOLLOW_UP, title="Low CSAT score 1 from Alice A",
                                      description="Nobody answered for two days.", assignee=agent,
                                      customer=customer_a, organization=acme)
    return task


# ---------------------------------------------------------------- who sees what


@pytest.mark.django_db
def test_the_account_manager_sees_their_check_ins_and_follow_ups(client, agent, acme, globex, follow_up):
    mine = check_in(acme, days_overdue=3)
    theirs = check_in(globex)
    client.force_login(agent)
    body = client.get(LIST).content.decode()
    assert mine.title in body and follow_up.title in body and theirs.title not in body
    assert "overdue by 3 days" in body and 'class="care-overdue"' in body
    assert '<span class="badge badge-vip">VIP</span>' in body
    # "Anyone" still shows only what an agent may see.
    assert theirs.title not in client.get(LIST + "?assignee=anyone").content.decode()


@pytest.mark.django_db
def test_other_agents_get_404_and_customers_403(client, agent_y, customer_a, acme, follow_up):
    task = check_in(acme)
    client.force_login(agent_y)
    assert client.get(task_url(task)).status_code == 404
    assert client.post(task_url(task), {"channel": "call", "outcome": "Hacked"}).status_code == 404
    assert client.get(task_url(follow_up)).status_code == 404
    assert task.title not in client.get(LIST + "?assignee=anyone&status=").content.decode()
    client.force_login(customer_a)
    assert client.get(LIST).status_code == 403
    assert client.get(task_url(task)).status_code == 403
    client.logout()
    assert client.get(task_url(task)).url.startswith(reverse("accounts:login"))
    task.refresh_from_db()
    assert task.status == CareTask.Status.OPEN


@pytest.mark.django_db
def test_an_agent_sees_tasks_of_organisations_they_manage_even_if_assigned_to_someone_else(client, agent, agent_y,
                                                                                          acme):
    task = check_in(acme, assignee=agent_y)
    client.force_login(agent)
    assert client.get(task_url(task)).status_code == 200
    assert task.title not in client.get(LIST).content.decode(), "not mine by default"
    assert task.title in client.get(LIST + "?assignee=anyone").content.decode()


@pytest.mark.django_db
def test_managers_see_every_task_and_filter_them(client, manager, agent, agent_y, acme, globex, follow_up):
    late = check_in(globex, days_overdue=10)
    upcoming = check_in(acme, days_overdue=-5)
    done = check_in(acme, days_overdue=40, status=CareTask.Status.DONE, done_at=timezone.now(), outcome="Good")
    client.force_login(manager)

    def titles(query):
        tasks = client.get(LIST + query).context["tasks"]
        return [task.pk for task in tasks]

    assert titles("") == [late.pk, follow_up.pk, upcoming.pk], "a manager sees the team's open tasks at first"
    assert titles("?assignee=me") == [], "their own, on asking"
    assert titles("?assignee=anyone") == [late.pk, follow_up.pk, upcoming.pk], "open ones, most overdue first"
    assert titles(f"?assignee={agent_y.pk}") == [late.pk]
    assert titles("?assignee=anyone&kind=follow_up") == [follow_up.pk]
    assert titles("?assignee=anyone&overdue=true") == [late.pk]
    assert titles("?assignee=anyone&status=done") == [done.pk]
    assert titles(f"?assignee={agent.pk}&status=") == [follow_up.pk, upcoming.pk, done.pk]
    body = client.get(LIST + "?assignee=anyone&kind=check_in&status=done&overdue=true").content.decode()
    assert "Nothing matches these filters." in body


@pytest.mark.django_db
def test_the_list_runs_a_fixed_number_of_queries(client, manager, agent, acme):
    client.force_login(manager)

    def make(count):
        for n in range(count):
            organization = OrganizationFactory(name=f"Org {count}-{n}", account_manager=agent)
            customer = CustomerFactory(organization=organization)
            check_in(organization, days_overdue=n % 5, customer=customer)

    make(2)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(LIST + "?assignee=anyone").context["tasks"]) == 2
    make(28)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST + "?assignee=anyone").context["tasks"]) == 30
    assert len(few) == len(many)


@pytest.mark.django_db
def test_the_list_is_paginated(client, agent, acme):
    for n in range(35):
        check_in(OrganizationFactory(name=f"Org {n}", account_manager=agent), days_overdue=n)
    client.force_login(agent)
    first = client.get(LIST)
    assert len(first.context["tasks"]) == 30 and "1–30 of 35" in first.content.decode()
    assert len(client.get(LIST + "?page=2").context["tasks"]) == 5


@pytest.mark.django_db
def test_the_pager_keeps_the_filters_and_replaces_the_page(client, agent, acme):
    for n in range(35):
        check_in(OrganizationFactory(name=f"Org {n}", account_manager=agent), days_overdue=n)
    client.force_login(agent)
    second = client.get(LIST, {"assignee": "anyone", "page": "2"}).content.decode()
    assert "31–35 of 35" in second and "Page 2 of 2" in second
    assert "?assignee=anyone&amp;page=1" in second, "the previous link keeps the filter, with one page number"


# ---------------------------------------------------------------- the task page


@pytest.mark.django_db
def test_the_check_in_page_shows_the_organisation_and_earlier_check_ins(client, agent, acme):
    check_in(acme, days_overdue=60, status=CareTask.Status.DONE, done_at=timezone.now() - timedelta(days=60),
             channel="meeting", outcome="Expanding to the Berlin office.", notes="Met Alice and the CFO.")
    task = check_in(acme, days_overdue=2)
    client.force_login(agent)
    body = client.get(task_url(task)).content.decode()
    assert "Acme" in body and "Expanding to the Berlin office." in body and "Met Alice and the CFO." in body
    assert "overdue by 2 days" in body and 'name="channel"' in body and 'name="next_follow_up_on"' in body
    assert "Mark as churned" not in body, "only managers change the status"


@pytest.mark.django_db
def test_logging_a_check_in_from_the_page(client, agent, acme):
    task = check_in(acme)
    client.force_login(agent)
    next_date = TODAY + timedelta(days=30)
    response = client.post(task_url(task), {"channel": "call", "outcome": "Happy; renewing.", "notes": "Spoke to Alice",
                                            "next_follow_up_on": next_date.isoformat()})
    assert response.status_code == 302 and response.url == LIST
    task.refresh_from_db()
    assert (task.status, task.channel, task.outcome, task.notes, task.next_follow_up_on) == (
        CareTask.Status.DONE, "call", "Happy; renewing.", "Spoke to Alice", next_date)
    follow = CareTask.objects.get(organization=acme, status=CareTask.Status.OPEN)
    assert follow.due_on == next_date and follow.assignee == agent
    page = client.get(task_url(task)).content.decode()
    assert "Happy; renewing." in page and 'name="outcome"' not in page, "a done check-in shows what was logged"
    assert client.post(task_url(task), {"channel": "call", "outcome": "Again"}).status_code == 302
    task.refresh_from_db()
    assert task.outcome == "Happy; renewing.", "logging twice changes nothing"


@pytest.mark.parametrize("data, error", [
    ({"outcome": "Fine"}, "Choose how you were in touch"),
    ({"channel": "call"}, "Write down the outcome"),
    ({"channel": "call", "outcome": "Fine", "next_follow_up_on": (TODAY - timedelta(days=3)).isoformat()},
     "Pick a date after today"),
])
@pytest.mark.django_db
def test_bad_input_is_shown_on_the_form_and_nothing_saved(client, agent, acme, data, error):
    task = check_in(acme)
    client.force_login(agent)
    response = client.post(task_url(task), data)
    assert response.status_code == 200 and error in response.content.decode()
    task.refresh_from_db()
    assert task.status == CareTask.Status.OPEN and CareTask.objects.count() == 1


@pytest.mark.django_db
def test_logging_is_post_only(client, agent, acme):
    task = check_in(acme)
    client.force_login(agent)
    client.get(task_url(task) + "?channel=call&outcome=x")
    task.refresh_from_db()
    assert task.status == CareTask.Status.OPEN
    assert client.put(task_url(task)).status_code == 405


@pytest.mark.django_db
def test_a_follow_up_is_closed_with_its_outcome(client, agent, follow_up):
    client.force_login(agent)
    body = client.get(task_url(follow_up)).content.decode()
    assert "Nobody answered for two days." in body and "alice@acme.example" in body and 'name="channel"' not in body
    assert "Write down what came out" in client.post(task_url(follow_up), {"outcome": ""}).content.decode()
    response = client.post(task_url(follow_up), {"outcome": "Called Alice; apologised and fixed it."})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == CareTask.Status.DONE and follow_up.outcome == "Called Alice; apologised and fixed it."


@pytest.mark.django_db
def test_next_brings_back_to_a_page_of_this_site_only(client, agent, acme):
    first, second = check_in(acme), check_in(acme, days_overdue=-1, assignee=agent)
    client.force_login(agent)
    back = "/reports/customers/1/"
    assert f'href="{back}"' in client.get(task_url(first, next=back)).content.decode()
    response = client.post(task_url(first), {"channel": "email", "outcome": "ok", "next": back})
    assert response.url == back
    response = client.post(task_url(second), {"channel": "email", "outcome": "ok", "next": "https://evil.example/"})
    assert response.url == LIST


# ---------------------------------------------------------------- home panel and sidebar


@pytest.mark.django_db
def test_the_desk_home_lists_my_check_ins_due_with_the_follow_ups(client, agent, agent_y, acme, globex, follow_up):
    late = check_in(acme, days_overdue=4)
    soon = check_in(OrganizationFactory(name="Initech", account_manager=agent), days_overdue=-3)
    theirs = check_in(globex, days_overdue=9)
    client.force_login(agent)
    body = client.get(reverse("desk-home")).content.decode()
    assert soon.title in body and "due in 3 days" in body and "overdue by 4 days" in body
    assert "My check-ins due" in body
    assert late.title in body and follow_up.title in body and theirs.title not in body
    assert body.index(late.title) < body.index(follow_up.title), "overdue first"
    assert "1 overdue" in body and "Customer care" in body
    assert task_url(late) in body and f'href="{LIST}"' in body


@pytest.mark.django_db
def test_the_home_panel_says_what_to_do_when_nothing_is_due(client, agent_y):
    client.force_login(agent_y)
    body = client.get(reverse("desk-home")).content.decode()
    assert "My check-ins due" in body and "Nothing due." in body



# ---------------------------------------------------------------- configuration in the admin


@pytest.mark.django_db
def test_admins_configure_care_plans_and_churn_reasons(client, admin_user, acme):
    from care.models import CarePlan, ChurnReason

    task = check_in(acme, channel="call", notes="Left a voicemail")
    client.force_login(admin_user)
    for model in (CarePlan, ChurnReason, CareTask):
        name = model._meta.model_name
        assert client.get(reverse(f"admin:care_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:care_caretask_change", args=[task.pk])).content.decode()
    assert 'name="channel"' in page and 'name="next_follow_up_on"' in page and "Left a voicemail" in page
    plan = CarePlan.objects.get(tier="vip")
    response = client.post(reverse("admin:care_careplan_change", args=[plan.pk]),
                           {"tier": "vip", "check_in_every_days": "14", "is_active": "on"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.check_in_every_days == 14


@pytest.mark.django_db
def test_health_scores_are_read_only_in_the_admin_and_internal(client, manager, admin_user):
    """Health scores are written only by their nightly task (care.tasks.compute_health_scores); managers read
    them on the at-risk list and the Customer 360, not in the admin."""
    client.force_login(admin_user)
    assert client.get("/admin/care/healthscore/").status_code == 200
    assert client.get("/admin/care/healthscore/add/").status_code == 403
    client.force_login(manager)
    assert client.get("/admin/care/healthscore/").status_code == 403


@pytest.mark.django_db
def test_a_manager_first_sees_everyones_open_tasks_with_the_filter_saying_so(client, manager, agent, acme):
    task = check_in(acme, days_overdue=3)
    client.force_login(manager)

    page = client.get(LIST)
    body = page.content.decode()
    assert task.title in body
    assert '<option value="anyone" selected>' in body
    assert not page.context["filter"].filtered
    assert "Nothing due for you." not in body
    # The choice is carried in the address: "Me" is one click away and stays chosen.
    mine = client.get(LIST + "?assignee=me")
    assert task.title not in mine.content.decode()
    assert '<option value="me" selected>' in mine.content.decode()
    assert mine.context["filter"].filtered


@pytest.mark.django_db
def test_an_agent_still_first_sees_their_own_open_tasks(client, agent, agent_y, acme):
    theirs = check_in(acme, days_overdue=3, assignee=agent_y)
    mine = check_in(acme, days_overdue=1)
    client.force_login(agent)

    page = client.get(LIST)
    assert [task.pk for task in page.context["tasks"]] == [mine.pk], f"not {theirs.pk}, assigned to a colleague"
    assert '<option value="me" selected>' in page.content.decode()
    assert not page.context["filter"].filtered


@pytest.mark.django_db
def test_a_manager_with_no_open_task_in_the_team_is_told_so(client, manager):
    client.force_login(manager)

    body = client.get(LIST).content.decode()
    assert "No check-in or follow-up is open." in body
