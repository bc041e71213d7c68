"""One date and time format per language: a relative time with the exact time on hover, and calendar dates."""

import datetime

from django.template import Context, Template
from django.utils import timezone, translation

from helpdesk.templatetags.dates import day, when

NOW = datetime.datetime(2026, 11, 5, 10, 30, tzinfo=datetime.UTC)


def test_a_past_moment_in_english():
    with translation.override("en"), timezone.override("UTC"):
        html = when(NOW - datetime.timedelta(hours=3, minutes=5), now=NOW)
    assert html == ('<time datetime="2026-11-05T07:25:00+00:00" title="Nov. 5, 2026, 7:25 a.m.">'
                    "3\xa0hours ago</time>")


def test_a_future_moment_and_just_now_in_english():
    with translation.override("en"), timezone.override("UTC"):
        assert ">in 2\xa0days<" in when(NOW + datetime.timedelta(days=2, hours=1), now=NOW)
        assert ">just now<" in when(NOW - datetime.timedelta(seconds=20), now=NOW)


def test_the_same_moments_in_chinese():
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        past = when(NOW - datetime.timedelta(hours=3, minutes=5), now=NOW)
        future = when(NOW + datetime.timedelta(days=2, hours=1), now=NOW)
        calendar = day(datetime.date(2026, 11, 2))
    assert past == '<time datetime="2026-11-05T07:25:00+00:00" title="2026年11月5日 15:25">3\xa0小时前</time>'
    assert future.endswith(">2\xa0日后</time>")
    assert calendar == '<time datetime="2026-11-02">2026年11月2日</time>'


def test_a_calendar_date_in_english():
    with translation.override("en"):
        assert day(datetime.date(2026, 11, 2)) == '<time datetime="2026-11-02">Nov. 2, 2026</time>'
        assert day(None) == ""


def test_the_exact_time_is_in_the_readers_time_zone():
    with translation.override("en"), timezone.override("America/New_York"):
        html = when(NOW, now=NOW)
    assert 'title="Nov. 5, 2026, 5:30 a.m."' in html


def test_the_tags_in_a_template_and_the_ticket_tag_agree():
    template = Template("{% load dates tickets %}{% when moment %}|{% reltime moment %}|{% day moment %}")
    with translation.override("en"), timezone.override("UTC"):
        when_html, reltime_html, day_html = template.render(Context({"moment": NOW})).split("|")
    assert when_html == reltime_html
    assert day_html == '<time datetime="2026-11-05T10:30:00+00:00" title="Nov. 5, 2026, 10:30 a.m.">Nov. 5, 2026</time>'
