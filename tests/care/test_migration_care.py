"""The move of customer care into its own app keeps every row, every foreign key and the managers' admin rights.

accounts 0005 and reports 0002 drop the models from their apps' state, care 0001 takes them over (same tables),
care 0002 moves the content types, so the Permission rows and the manager group's grants follow.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrating import leaf_nodes, migrate

BEFORE = [("accounts", "0004_care_plans_check_ins_privacy"), ("reports", "0001_initial"), ("care", None)]
AFTER = [("care", "0002_content_types_follow")]






def grant(old, group, app_label, model, codename):
    """The permission as the old app had it, held by the group."""
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _created = Permission.objects.get_or_create(content_type=content_type, codename=codename,
                                                            defaults={"name": codename})
    group.permissions.add(permission)
    return content_type, permission


@pytest.mark.django_db(transaction=True)
def test_care_rows_their_foreign_keys_and_the_managers_rights_survive_the_move():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Organization = old.get_model("accounts", "Organization")
    Group = old.get_model("auth", "Group")
    ContentType = old.get_model("contenttypes", "ContentType")
    manager_group, _created = Group.objects.get_or_create(name="manager")
    acme = Organization.objects.create(name="Migration Acme", tier="vip")
    alice = User.objects.create(email="alice@migration.example", name="Alice", organization=acme)
    loner = User.objects.create(email="lone@migration.example", name="Lone")
    robin = User.objects.create(email="robin@migration.example", name="Robin")
    source_type, _created = ContentType.objects.get_or_create(app_label="feedback", model="surveyresponse")
    task = old.get_model("accounts", "CareTask").objects.create(
        kind="follow_up", title="Call Alice back", description="Score 2", organization=acme, customer=alice,
        assignee=robin, channel="call", notes="Left a voicemail", source_type=source_type, source_id="41")
    check_in = old.get_model("accounts", "CareTask").objects.create(
        kind="check_in", status="done", title="Check in with Acme", organization=acme, assignee=robin,
        outcome="Renewing")
    plan, _created = old.get_model("accounts", "CarePlan").objects.update_or_create(
        tier="vip", defaults={"check_in_every_days": 21, "is_active": False})
    reason = old.get_model("accounts", "ChurnReason").objects.create(name="Migration: moved to a rival", order=7)
    HealthScore = old.get_model("reports", "HealthScore")
    org_score = HealthScore.objects.create(organization=acme, score=42, band="at_risk",
                                           signals=[{"key": "csat", "points": 3}])
    person_score = HealthScore.objects.create(customer=loner, score=88, band="healthy")
    task_type, view_task = grant(old, manager_group, "accounts", "caretask", "view_caretask")
    plan_type, change_plan = grant(old, manager_group, "accounts", "careplan", "change_careplan")
    _reason_type, add_reason = grant(old, manager_group, "accounts", "churnreason", "add_churnreason")
    score_type, view_score = grant(old, manager_group, "reports", "healthscore", "view_healthscore")

    new = migrate(AFTER)

    CareTask = new.get_model("care", "CareTask")
    assert CareTask._meta.db_table == "accounts_caretask"
    moved = CareTask.objects.get(pk=task.pk)
    assert (moved.kind, moved.status, moved.title, moved.description, moved.channel, moved.notes) == (
        "follow_up", "open", "Call Alice back", "Score 2", "call", "Left a voicemail")
    assert (moved.organization_id, moved.customer_id, moved.assignee_id) == (acme.pk, alice.pk, robin.pk)
    assert (moved.source_type_id, moved.source_id) == (source_type.pk, "41")
    assert moved.organization.name == "Migration Acme" and moved.assignee.email == "robin@migration.example"
    logged = CareTask.objects.get(pk=check_in.pk)
    assert (logged.kind, logged.status, logged.outcome, logged.organization_id) == ("check_in", "done",
                                                                                     "Renewing", acme.pk)
    assert set(CareTask.objects.filter(organization_id=acme.pk).values_list("pk", flat=True)) == {task.pk, check_in.pk}
    moved_plan = new.get_model("care", "CarePlan").objects.get(pk=plan.pk)
    assert (moved_plan.tier, moved_plan.check_in_every_days, moved_plan.is_active) == ("vip", 21, False)
    moved_reason = new.get_model("care", "ChurnReason").objects.get(pk=reason.pk)
    assert (moved_reason.name, moved_reason.order, moved_reason.is_active) == ("Migration: moved to a rival", 7,
                                                                               True)
    HealthScore = new.get_model("care", "HealthScore")
    moved_score = HealthScore.objects.get(pk=org_score.pk)
    assert (moved_score.organization_id, moved_score.customer_id, moved_score.score, moved_score.band) == (
        acme.pk, None, 42, "at_risk")
    assert moved_score.signals == [{"key": "csat", "points": 3}]
    assert HealthScore.objects.get(pk=person_score.pk).customer_id == loner.pk

    # The content types changed app (same rows), so the permissions and the manager group's grants followed.
    ContentType = new.get_model("contenttypes", "ContentType")
    for content_type in (task_type, plan_type, score_type):
        assert ContentType.objects.get(pk=content_type.pk).app_label == "care"
    assert not ContentType.objects.filter(app_label="accounts", model__in=["caretask", "careplan", "churnreason"])
    assert not ContentType.objects.filter(app_label="reports", model="healthscore")
    held = set(new.get_model("auth", "Group").objects.get(pk=manager_group.pk).permissions
               .filter(content_type__app_label="care").values_list("pk", flat=True))
    assert {view_task.pk, change_plan.pk, add_reason.pk, view_score.pk} <= held

    migrate(leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_care_content_types_made_in_between_give_way_to_the_old_ones():
    """post_migrate ran between care 0001 and 0002 and made care content types: the old ones (with the history)
    are kept and renamed, and a grant made on the new permission is carried over."""
    migrate(BEFORE)
    migrate([("care", "0001_initial")])
    state = MigrationExecutor(connection).loader.project_state([("care", "0001_initial")]).apps
    ContentType = state.get_model("contenttypes", "ContentType")
    Permission = state.get_model("auth", "Permission")
    Group = state.get_model("auth", "Group")
    manager_group, _created = Group.objects.get_or_create(name="manager")
    old_type, _created = ContentType.objects.get_or_create(app_label="accounts", model="careplan")
    old_change, _created = Permission.objects.get_or_create(content_type=old_type, codename="change_careplan",
                                                            defaults={"name": "Can change care plan"})
    manager_group.permissions.add(old_change)
    made_type, _created = ContentType.objects.get_or_create(app_label="care", model="careplan")
    made_view, _created = Permission.objects.get_or_create(content_type=made_type, codename="view_careplan",
                                                           defaults={"name": "Can view care plan"})
    manager_group.permissions.add(made_view)

    new = migrate(AFTER)

    ContentType = new.get_model("contenttypes", "ContentType")
    assert list(ContentType.objects.filter(model="careplan").values_list("pk", "app_label")) == [
        (old_type.pk, "care")]
    codenames = set(new.get_model("auth", "Group").objects.get(pk=manager_group.pk).permissions
                    .filter(content_type=old_type.pk).values_list("codename", flat=True))
    assert {"change_careplan", "view_careplan"} <= codenames

    migrate(leaf_nodes())
