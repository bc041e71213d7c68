"""The desk sidebar highlights exactly one link: the longest match for the page's address."""

import re

import pytest
from django.http import QueryDict

from helpdesk.desk import active_link

LINKS = ["/desk/", "/desk/tickets/", "/desk/tickets/?queue=3", "/desk/tickets/?queue=4", "/desk/tickets/new/",
         "/desk/kb/", "/desk/kb/new/", "/desk/service/", "/desk/service/?status=submitted&status=under_review",
         "/desk/service/?technician=me", "/admin/"]


@pytest.mark.parametrize("path,query,expected", [
    ("/desk/", "", "/desk/"),
    ("/desk/kb/new/", "", "/desk/kb/new/"),
    ("/desk/kb/", "", "/desk/kb/"),
    ("/desk/kb/reset-password/edit/", "", "/desk/kb/"),
    ("/desk/service/", "", "/desk/service/"),
    ("/desk/service/AS-000045/", "", "/desk/service/"),
    ("/desk/service/", "status=submitted&status=under_review", "/desk/service/?status=submitted&status=under_review"),
    ("/desk/service/", "status=under_review", "/desk/service/"),
    ("/desk/service/", "technician=me&page=2", "/desk/service/?technician=me"),
    ("/desk/tickets/", "queue=3", "/desk/tickets/?queue=3"),
    ("/desk/tickets/", "queue=9", "/desk/tickets/"),
    ("/desk/tickets/HD-000123/", "", "/desk/tickets/"),
    ("/desk/tickets/new/", "", "/desk/tickets/new/"),
    ("/reports/", "", None),
])
def test_the_longest_match_wins(path, query, expected):
    index = active_link(path, QueryDict(query), LINKS)
    assert (LINKS[index] if index is not None else None) == expected


def test_a_tie_goes_to_the_first_link():
    assert active_link("/desk/kb/", QueryDict(""), ["/desk/kb/", "/desk/kb/"]) == 0


def test_links_elsewhere_never_match():
    assert active_link("/desk/", QueryDict(""), ["https://example.com/desk/", "#", ""]) is None


def active_items(client, path):
    html = client.get(path).content.decode()
    sidebar = html[html.index('id="desk-sidebar"'):html.index('id="main"')]
    return [re.sub(r"<[^>]+>|\s+", " ", match).strip()
            for match in re.findall(r'<a aria-current="page" class="[^"]*\bactive\b[^"]*"[^>]*>(.*?)</a>', sidebar,
                                    re.S)], len(re.findall(r'class="[^"]*\bactive\b', sidebar))


@pytest.mark.django_db
@pytest.mark.parametrize("path,label", [("/desk/kb/new/", "+ New article"), ("/desk/service/", "Service requests"),
                                        ("/desk/tickets/new/", "+ New ticket"), ("/desk/", "Home"),
                                        ("/desk/customers/", "Customer directory")])
def test_one_item_is_active_on_each_desk_page(client, manager, queue_x, path, label):
    client.force_login(manager)
    labels, active_classes = active_items(client, path)
    assert active_classes == 1
    assert len(labels) == 1 and labels[0].startswith(label), labels
