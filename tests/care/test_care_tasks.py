import pytest

from care.models import CareTask
from care.services import CareError, care_task_complete, care_task_create


@pytest.mark.django_db
def test_one_task_per_source_and_kind(manager, customer_a, org_a):
    first, created = care_task_create(kind=CareTask.Kind.FOLLOW_UP, title="Call Alice back", assignee=manager,
                                      customer=customer_a, organization=org_a, source=org_a)
    again, created_again = care_task_create(kind=CareTask.Kind.FOLLOW_UP, title="Call Alice back", assignee=manager,
                                            source=org_a)
    assert created and not created_again and first == again
    assert CareTask.objects.count() == 1
    other, created_other = care_task_create(kind=CareTask.Kind.CHECK_IN, title="Quarterly check-in", organization=org_a,
                                             source=org_a)
    assert created_other and CareTask.objects.count() == 2


@pytest.mark.django_db
def test_completing_records_the_outcome_once(manager):
    task, _created = care_task_create(kind=CareTask.Kind.FOLLOW_UP, title="Call back", assignee=manager)
    care_task_complete(task=task, by=manager, outcome="Called; issue solved.")
    task.refresh_from_db()
    assert task.status == CareTask.Status.DONE and task.outcome == "Called; issue solved." and task.done_at
    with pytest.raises(CareError, match="already done"):
        care_task_complete(task=task, by=manager)
