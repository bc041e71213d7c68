"""The admin index groups the models by task: the desk's everyday settings first, internal records last and for
superusers only (read-only even for them). The app pages (/admin/<app_label>/) and every model URL stay."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from helpdesk.accounts.roles import MANAGER_ADMIN_PERMISSIONS
from helpdesk.admin_mixins import InternalAdminMixin
from helpdesk.admin_site import ADMIN_GROUPS, INTERNAL_GROUP, HelpdeskAdminSite

pytestmark = pytest.mark.django_db

INTERNAL = next(labels for slug, _name, labels in ADMIN_GROUPS if slug == INTERNAL_GROUP)


def registered_labels():
    return {model._meta.label_lower for model in admin.site._registry}


def index_groups(client):
    """The index as [(group name, [model labels])], in the order shown."""
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return [(str(group["name"]), [model["model"]._meta.label_lower for model in group["models"]])
            for group in response.context["app_list"]]


def admin_url(label, page, *args):
    app_label, model_name = label.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{page}", args=args)


# ---------------------------------------------------------------------------------------------- the groups


def test_the_site_is_ours():
    assert isinstance(admin.site, HelpdeskAdminSite)


def test_every_registered_model_is_in_exactly_one_group():
    grouped = [label for _slug, _name, labels in ADMIN_GROUPS for label in labels]
    duplicates = sorted({label for label in grouped if grouped.count(label) > 1})
    assert not duplicates, f"in more than one group: {duplicates}"
    missing = sorted(registered_labels() - set(grouped))
    assert not missing, f"registered without a group in helpdesk/admin_site.py ADMIN_GROUPS: {missing}"
    gone = sorted(set(grouped) - registered_labels())
    assert not gone, f"grouped but not registered: {gone}"


def test_a_superuser_sees_every_group_in_order_with_its_models(client, admin_user):
    client.force_login(admin_user)
    groups = index_groups(client)
    assert [name for name, _models in groups] == [
        "Support desk", "Automation", "People", "After-sales", "Surveys", "Product feedback", "Customer care",
        "Knowledge base",
        "Tickets", "E-mail", "Sign-in security", "Internal records",
    ]
    assert groups == [(str(name), labels) for _slug, name, labels in ADMIN_GROUPS]
    assert groups[0][1] == ["tickets.queue", "tickets.businesshours", "tickets.slapolicy", "tickets.cannedresponse",
                            "tickets.tag", "tickets.customfield", "tickets.agentavailability"]


def test_the_index_shows_groups_not_apps(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'class="app-support-desk module' in page and '<span class="section">Support desk</span>' in page
    assert 'class="app-tickets module' in page  # the group, which has no link of its own
    assert 'href="/admin/tickets/"' not in page
    assert f'href="{admin_url("tickets.queue", "changelist")}"' in page
    assert "Other" not in [group for group, _models in index_groups(client)]


def test_the_group_names_are_translated(client, admin_user):
    client.force_login(admin_user)
    with translation.override("zh-hans"):
        names = [str(name) for _slug, name, _labels in ADMIN_GROUPS]
    assert "客服台" in names and "内部记录" in names
    assert all(name != str(english) for name, (_slug, english, _labels) in zip(names, ADMIN_GROUPS, strict=True))


def test_a_model_without_a_group_still_shows_under_other(rf, admin_user, monkeypatch):
    monkeypatch.setattr("helpdesk.admin_site.ADMIN_GROUPS", [g for g in ADMIN_GROUPS if g[0] != "support-desk"])
    request = rf.get("/admin/")
    request.user = admin_user
    groups = admin.site.get_app_list(request)
    assert groups[-1]["name"] == "Other"
    assert {model["model"]._meta.label_lower for model in groups[-1]["models"]} == set(ADMIN_GROUPS[0][2])


# ---------------------------------------------------------------------------------------------- managers


def test_a_manager_sees_only_what_their_permissions_allow(client, manager):
    client.force_login(manager)
    groups = index_groups(client)
    shown = {label for _name, labels in groups for label in labels}
    granted = {f"{app_label}.{codename.split('_', 1)[1]}"
               for app_label, codenames in MANAGER_ADMIN_PERMISSIONS.items()
               for codename in codenames if codename.split("_", 1)[0] in ("view", "change")}
    assert shown == granted & registered_labels()
    assert "Internal records" not in [name for name, _labels in groups]
    assert not shown & set(INTERNAL)
    assert [name for name, _labels in groups][:2] == ["Support desk", "People"]


def test_managers_are_granted_nothing_on_the_internal_records():
    for label in INTERNAL:
        app_label, model_name = label.split(".")
        codenames = MANAGER_ADMIN_PERMISSIONS.get(app_label, [])
        assert not [codename for codename in codenames if codename.endswith(f"_{model_name}")], label


@pytest.mark.parametrize("label", INTERNAL)
def test_a_manager_cannot_open_an_internal_record(client, manager, label):
    client.force_login(manager)
    assert client.get(admin_url(label, "changelist")).status_code == 403


def test_a_manager_given_a_stale_permission_still_does_not_see_internal_records(client, manager):
    from django.contrib.auth.models import Permission

    manager.user_permissions.add(*Permission.objects.filter(codename__in=["view_supportdaily", "view_ticketevent"]))
    client.force_login(manager)
    assert client.get(admin_url("reports.supportdaily", "changelist")).status_code == 403
    assert client.get(admin_url("tickets.ticketevent", "changelist")).status_code == 403
    assert client.get(reverse("admin:app_list", args=["reports"])).status_code == 404
    assert "reports.supportdaily" not in {label for _name, labels in index_groups(client) for label in labels}


# ---------------------------------------------------------------------------------------------- internal records


@pytest.mark.parametrize("label", INTERNAL)
def test_internal_records_are_read_only_for_a_superuser(client, admin_user, label):
    assert isinstance(admin.site._registry[apps.get_model(label)], InternalAdminMixin), label
    client.force_login(admin_user)
    assert client.get(admin_url(label, "changelist")).status_code == 200
    assert client.get(admin_url(label, "add")).status_code == 403
    assert client.post(admin_url(label, "add"), {}).status_code == 403
    # change and delete refuse before they look the row up
    assert client.post(admin_url(label, "change", 1), {}).status_code == 403
    assert client.get(admin_url(label, "delete", 1)).status_code == 403
    assert client.post(admin_url(label, "delete", 1), {"post": "yes"}).status_code == 403


def test_the_internal_group_offers_no_add_link(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    internal = next(group for group in response.context["app_list"] if group["app_label"] == INTERNAL_GROUP)
    assert all(model["add_url"] is None and model["view_only"] for model in internal["models"])


# ---------------------------------------------------------------------------------------------- app pages


@pytest.mark.parametrize("app_label", sorted({label.split(".")[0] for _slug, _name, labels in ADMIN_GROUPS
                                             for label in labels}))
def test_the_app_pages_still_open(client, admin_user, app_label):
    client.force_login(admin_user)
    response = client.get(reverse("admin:app_list", args=[app_label]))
    assert response.status_code == 200
    [app] = response.context["app_list"]
    assert app["app_label"] == app_label
    assert str(app["name"]) == str(apps.get_app_config(app_label).verbose_name)
    assert {model["model"]._meta.label_lower for model in app["models"]} == {
        label for label in registered_labels() if label.startswith(f"{app_label}.")}
