"""The reports migrations on a populated database: existing snapshot rows get their new figures, nothing is lost."""

import secrets
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from tests.migrating import leaf_nodes, migrate


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


@pytest.mark.django_db(transaction=True)
def test_duplicate_snapshot_rows_are_removed_keeping_the_last_one_per_key():
    old = migrate([("reports", "0003_satisfaction_answered_invitations")])
    Product = old.get_model("aftersales", "Product")
    User = old.get_model("accounts", "User")
    SatisfactionDaily = old.get_model("reports", "SatisfactionDaily")
    AfterSalesDaily = old.get_model("reports", "AfterSalesDaily")
    SearchGapDaily = old.get_model("reports", "SearchGapDaily")
    FeedbackDaily = old.get_model("reports", "FeedbackDaily")
    ImprovementDaily = old.get_model("reports", "ImprovementDaily")
    product = Product.objects.create(name="Router", sku="RT-1")
    technician = User.objects.create(email="tech@helpdesk.example", name="Tech")
    day, other_day = date(2026, 3, 2), date(2026, 3, 3)
    # Two overlapping runs wrote Monday twice (the second run's rows are the later ids); Tuesday once.
    for invitations in (5, 6):
        SatisfactionDaily.objects.create(day=day, kind="csat", invitations=invitations)
        SatisfactionDaily.objects.create(day=day, kind="csat", product=product, invitations=invitations * 10)
        AfterSalesDaily.objects.create(day=day, product=product, technician=technician, requests=invitations)
        AfterSalesDaily.objects.create(day=day, product=product, technician=None, requests=invitations * 10)
        SearchGapDaily.objects.create(day=day, query="refund", searches=invitations)
        FeedbackDaily.objects.create(day=day, kind="idea", received=invitations)
        ImprovementDaily.objects.create(day=day, shipped=invitations)
    SatisfactionDaily.objects.create(day=other_day, kind="csat", invitations=1)
    SatisfactionDaily.objects.create(day=day, kind="nps", invitations=2)  # another key on the same day
    SearchGapDaily.objects.create(day=day, query="warranty", searches=1)

    new = migrate([("reports", "0004_one_snapshot_row_per_key")])

    def rows(name, *fields):
        return sorted(new.get_model("reports", name).objects.values_list(*fields), key=repr)

    assert rows("SatisfactionDaily", "day", "kind", "product", "invitations") == sorted([
        (day, "csat", None, 6), (day, "csat", product.pk, 60), (day, "nps", None, 2), (other_day, "csat", None, 1),
    ], key=repr)
    assert rows("AfterSalesDaily", "technician", "requests") == sorted([(technician.pk, 6), (None, 60)], key=repr)
    assert rows("SearchGapDaily", "query", "searches") == [("refund", 6), ("warranty", 1)]
    assert rows("FeedbackDaily", "kind", "received") == [("idea", 6)]
    assert rows("ImprovementDaily", "area", "shipped") == [(None, 6)]
    # From now on the database refuses a second row for a key.
    with pytest.raises(IntegrityError), transaction.atomic():
        new.get_model("reports", "ImprovementDaily").objects.create(day=day, shipped=1)
    migrate(leaf_nodes())
