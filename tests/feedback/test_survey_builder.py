"""The survey builder: every question on one page, added, removed and moved, saved at once, with a preview."""

import pytest
from django.urls import reverse

from feedback.models import Question, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def survey():
    survey = Survey.objects.create(name="After a ticket")
    Question.objects.create(survey=survey, order=1, kind=Question.Kind.RATING, text_en="How did we do?",
                            text_zh_hans="我们做得怎么样？")
    Question.objects.create(survey=survey, order=2, kind=Question.Kind.TEXT, text_en="What could be better?")
    return survey


def edit_url(survey):
    return reverse("feedback:desk-survey-edit", args=[survey.pk])


def page_data(response) -> dict:
    """What the browser would post back from the page as it is shown: every field's current value."""
    data = {}
    forms = [response.context["form"], *response.context["questions"].forms]
    management = response.context["questions"].management_form
    for form in [*forms, management]:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def texts(survey):
    return list(survey.questions.order_by("order").values_list("text_en", flat=True))


def test_two_new_questions_are_added_and_saved_at_once(boss, survey):
    data = page_data(boss.get(edit_url(survey)))
    added = boss.post(edit_url(survey), {**data, "action": "add"})
    assert added.status_code == 200
    assert len(added.context["questions"].forms) == 4  # two, the blank one, and the added one
    assert survey.questions.count() == 2  # nothing saved by adding
    data = page_data(added)
    data.update({"questions-2-kind": "choice", "questions-2-text_en": "Which channel?",
                 "questions-2-choices_en": "E-mail\nPhone", "questions-3-kind": "text",
                 "questions-3-text_en": "Anything else?"})
    response = boss.post(edit_url(survey), {**data, "action": "save"})
    assert response.status_code == 302
    assert texts(survey) == ["How did we do?", "What could be better?", "Which channel?", "Anything else?"]
    assert list(survey.questions.order_by("order").values_list("order", flat=True)) == [1, 2, 3, 4]


def test_an_error_in_one_question_saves_nothing(boss, survey):
    data = page_data(boss.get(edit_url(survey)))
    data.update({"name": "Renamed", "questions-0-text_en": "Rate us",
                 "questions-2-kind": "choice", "questions-2-text_en": "Which channel?",
                 "questions-2-choices_en": "Only one"})
    response = boss.post(edit_url(survey), {**data, "action": "save"})
    assert response.status_code == 400
    assert "at least two choices" in response.content.decode()
    survey.refresh_from_db()
    assert survey.name == "After a ticket"
    assert texts(survey) == ["How did we do?", "What could be better?"]


def test_a_question_is_moved_up_and_the_new_order_is_saved(boss, survey):
    data = page_data(boss.get(edit_url(survey)))
    moved = boss.post(edit_url(survey), {**data, "action": "up-1"})
    assert moved.status_code == 200
    shown = [form["text_en"].value() for form in moved.context["question_forms"] if form["text_en"].value()]
    assert shown == ["What could be better?", "How did we do?"]
    assert texts(survey) == ["How did we do?", "What could be better?"]  # not saved yet
    assert boss.post(edit_url(survey), {**page_data(moved), "action": "save"}).status_code == 302
    assert texts(survey) == ["What could be better?", "How did we do?"]


def test_a_removed_question_goes_on_save_but_the_last_one_cannot(boss, survey):
    data = page_data(boss.get(edit_url(survey)))
    response = boss.post(edit_url(survey), {**data, "questions-1-DELETE": "on", "action": "save"})
    assert response.status_code == 302
    assert texts(survey) == ["How did we do?"]
    data = page_data(boss.get(edit_url(survey)))
    response = boss.post(edit_url(survey), {**data, "questions-0-DELETE": "on", "action": "save"})
    assert response.status_code == 400
    assert "at least one question" in response.content.decode()
    assert texts(survey) == ["How did we do?"]


def test_the_preview_shows_unsaved_questions_as_the_customer_sees_them(boss, survey):
    data = page_data(boss.get(edit_url(survey)))
    data.update({"questions-0-text_en": "How happy are you?", "questions-2-kind": "choice",
                 "questions-2-text_en": "Which channel?", "questions-2-choices_en": "E-mail\nPhone"})
    response = boss.post(edit_url(survey), {**data, "action": "preview", "preview_language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    preview = html[html.index('id="preview"'):]
    assert "How happy are you?" in preview and "Which channel?" in preview and "Phone" in preview
    assert 'name="preview-qnew2"' not in preview  # the names are the preview's own
    assert "Very satisfied" in preview  # the rating scale as the customer sees it
    assert texts(survey) == ["How did we do?", "What could be better?"]  # nothing saved
    chinese = boss.post(edit_url(survey), {**data, "action": "preview", "preview_language": "zh-hans"})
    preview = chinese.content.decode().split('id="preview"')[1]
    assert "我们做得怎么样？" in preview


def test_a_new_survey_with_its_questions_is_created_in_one_go(boss):
    url = reverse("feedback:desk-survey-create")
    data = page_data(boss.get(url))
    data.update({"name": "Quarterly check", "questions-0-kind": "rating", "questions-0-text_en": "Rate us"})
    response = boss.post(url, {**data, "action": "save"})
    assert response.status_code == 302
    survey = Survey.objects.get(name="Quarterly check")
    assert texts(survey) == ["Rate us"]


def test_an_agent_cannot_open_the_builder(client, agent, survey):
    client.force_login(agent)
    assert client.get(edit_url(survey)).status_code in (302, 403, 404)
    assert client.post(edit_url(survey), {"action": "save", "name": "X"}).status_code in (302, 403, 404)
    survey.refresh_from_db()
    assert survey.name == "After a ticket"
