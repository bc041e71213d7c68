"""Report pages in English and Chinese: the range's From/To read as a range, chart axes and table dates use
the language's own date format."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from reports.tables import display
from tests.reports.dashboard_data import support_row, yesterday


def page(client, manager, locale, **params):
    manager.locale = locale
    manager.save(update_fields=["locale"])
    client.force_login(manager)
    response = client.get(reverse("reports:overview"), params)
    assert response.status_code == 200
    return response


def test_chart_axis_day_and_month_in_both_languages():
    with translation.override("en"):
        assert display(date(2026, 11, 2), "day") == "Nov 2"
        assert display(date(2026, 11, 2), "short_month") == "Nov 2026"
    with translation.override("zh-hans"):
        assert display(date(2026, 11, 2), "day") == "11月2日"
        assert display(date(2026, 9, 5), "day") == "9月5日"
        assert display(date(2026, 11, 2), "short_month") == "2026年11月"


def test_table_dates_use_the_house_format():
    with translation.override("en"):
        assert display(date(2026, 11, 2), "date") == "Nov. 2, 2026"
    with translation.override("zh-hans"):
        assert display(date(2026, 11, 2), "date") == "2026年11月2日"


@pytest.mark.django_db
def test_overview_in_chinese_range_labels_axis_and_table(client, manager, queue_x):
    day = yesterday()
    support_row(day, queue_x)
    response = page(client, manager, "zh-hans", preset="7")
    form = response.context["form"]
    assert str(form["date_from"].label) == "开始"
    assert str(form["date_to"].label) == "结束"
    html = response.content.decode()
    assert "原值" not in html and "新值" not in html
    axis = f"{day.month}月{day.day}日"
    assert axis in response.context["report"].charts["volume"].labels
    assert f"{day.year}年{day.month}月{day.day}日" in html  # the table of days
    assert "十一月" not in html and "十二月" not in html


@pytest.mark.django_db
def test_overview_in_english_range_labels_axis_and_table(client, manager, queue_x):
    day = yesterday()
    support_row(day, queue_x)
    response = page(client, manager, "en", preset="7")
    form = response.context["form"]
    assert (str(form["date_from"].label), str(form["date_to"].label)) == ("From", "To")
    with translation.override("en"):
        axis, row = display(day, "day"), display(day, "date")
    assert axis == day.strftime("%b ") + str(day.day)
    assert axis in response.context["report"].charts["volume"].labels
    assert row in response.content.decode()
