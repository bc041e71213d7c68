import pytest

from feedback import metrics, services
from feedback.models import Question, Survey, SurveyInvitation, SurveyResponse
from tests.factories import CustomerFactory


def test_csat_mean_of_the_seed_example_is_nine():
    scores = [10] * 8 + [5] * 2
    assert metrics.csat_mean(scores) == 9.0
    assert metrics.csat_percent(scores, scale=10) == 80.0


def test_csat_ignores_unanswered_and_handles_no_data():
    assert metrics.csat_mean([5, None, 3]) == 4.0
    assert metrics.csat_mean([]) is None and metrics.nps([]) is None


def test_nps_on_a_known_set():
    # 5 promoters, 3 passives, 2 detractors of 10: 50 % − 20 % = 30
    assert metrics.nps([10, 10, 9, 9, 9, 8, 7, 7, 6, 0]) == 30.0
    assert metrics.nps([0, 1, 2]) == -100.0


def test_response_rate():
    assert metrics.response_rate(20, 5) == 25.0
    assert metrics.response_rate(0, 0) is None


@pytest.mark.django_db
def test_sql_aggregates_agree_with_the_pure_functions():
    survey = Survey.objects.create(name="CSAT 10", kind=Survey.Kind.CSAT, scale=10)
    Question.objects.create(survey=survey, kind=Question.Kind.RATING, text_en="Score?")
    customer = CustomerFactory()
    for n, score in enumerate([10] * 8 + [5] * 2 + [None] * 3):
        invitation = SurveyInvitation.objects.create(survey=survey, recipient=customer, subject_key=f"k{n}",
                                                     token=services.new_token(), expires_at=survey.created_at,
                                                     sent_at=survey.created_at)
        if score is not None:
            SurveyResponse.objects.create(invitation=invitation, score=score)
            invitation.responded_at = survey.created_at
            invitation.save()
    summary = metrics.csat_summary(SurveyResponse.objects.all(), scale=10)
    assert summary == {"ratings": 10, "mean": 9.0, "percent": 80.0}
    rate = metrics.response_rate_summary(SurveyInvitation.objects.all())
    assert rate["sent"] == 13 and rate["responded"] == 10
    nps = metrics.nps_summary(SurveyResponse.objects.all())
    assert nps["nps"] == 60.0  # 8 promoters, 2 detractors of 10
