"""The reports migrations on a populated database: existing snapshot rows get their new figures, nothing is lost."""

import secrets
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaf_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_existing_satisfaction_days_get_their_answered_invitations(settings):
    settings.TIME_ZONE = "UTC"
    old = migrate([("reports", "0002_health_score_moves_to_care")])
    User = old.get_model("accounts", "User")
    Survey = old.get_model("feedback", "Survey")
    SurveyInvitation = old.get_model("feedback", "SurveyInvitation")
    SurveyResponse = old.get_model("feedback", "SurveyResponse")
    SatisfactionDaily = old.get_model("reports", "SatisfactionDaily")
    alice = User.objects.create(email="alice@acme.example", name="Alice")
    survey = Survey.objects.create(name="Support", kind="csat", scale=10)
    monday = date(2026, 3, 2)
    sent = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for number in range(3):  # three sent on Monday, two of them answered, one on Wednesday
        invitation = SurveyInvitation.objects.create(
            survey=survey, recipient=alice, subject_key=f"m:{number}", token=secrets.token_urlsafe(16),
            sent_at=sent, expires_at=sent + timedelta(days=14))
        if number < 2:
            SurveyResponse.objects.create(invitation=invitation, score=9,
                                          submitted_at=sent + timedelta(days=2 * number))
    SatisfactionDaily.objects.create(day=monday, kind="csat", invitations=3, responses=1, ratings=1, score_sum=9)
    SatisfactionDaily.objects.create(day=monday + timedelta(days=2), kind="csat", invitations=0, responses=1,
                                     ratings=1, score_sum=9)

    new = migrate([("reports", "0003_satisfaction_answered_invitations")])

    rows = {row.day: row for row in new.get_model("reports", "SatisfactionDaily").objects.all()}
    assert (rows[monday].invitations, rows[monday].answered) == (3, 2)
    assert rows[monday + timedelta(days=2)].answered == 0
    migrate(leaf_nodes())
