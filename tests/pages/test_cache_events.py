"""Pages an anonymous visitor was served from the page cache show a project's new total or status at once.

The ledger writes `Project.amount_raised` with `.update()` (no post_save): the pages hear of it
from the `money.moved` event (portal/core/events.py, subscribed in portal/pages/signals.py).
"""

import datetime
import re

import pytest
from django.urls import reverse

from marketplace.funding import ledger
from marketplace.funding.models import EntryKind
from marketplace.projects.models import ProjectStatus
from marketplace.projects.services import update_project
from portal.pages.stats import home_counters
from tests.factories.pages import book
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db

BEFORE, AFTER = "¥28,621.00", "¥29,621.00"


@pytest.fixture
def project(tree):
    """A published project asking for ¥100,000.00, with ¥28,621.00 given so far (through the ledger)."""
    project = published_project(tree.community_a1, target_yuan=100_000, title="楼道扶手加装")
    ledger.append(kind=EntryKind.GIFT, amount=2_862_100, project=project)
    return project


def pages_of(project, book_page):
    """What an anonymous visitor reads that shows the project's total: path -> kept by the page cache."""
    return {
        book_page.url: True,  # a CMS page: kept
        "/": True,  # the home page's counters: kept
        # The portal's own views: kept too, under the data version any write renews (portal/core/writes.py).
        project.get_absolute_url(): True,
        reverse("projects:project_list"): True,
    }


def totals_shown(html):
    """The project's funding figures (book, project page, list) and the home page's money counter."""
    figures = re.findall(r'class="funding-figures">([^<]*)<', html) + re.findall(r"<strong>(¥[\d,.]+)</strong>", html)
    assert figures, "no total shown"
    return " ".join(figures)


def read_twice(client, paths):
    """Read each page twice as an anonymous visitor: the second read of a kept page comes from the cache."""
    client.logout()
    for path, kept in paths.items():
        first = client.get(path)
        assert first.status_code == 200, path
        assert BEFORE in totals_shown(first.content.decode()), path
        again = client.get(path)
        assert BEFORE in totals_shown(again.content.decode()), path
        assert again.get("X-Page-Cache") == ("hit" if kept else None), path


def test_a_gift_confirmed_through_the_api_shows_at_once_on_every_page(client, api_for, home_page, people, project):
    book_page = book(home_page, project.region, [project])
    paths = pages_of(project, book_page)
    read_twice(client, paths)
    assert home_counters()["money_raised"] == 2_862_100  # the counters are kept too

    pledged = api_for(people.resident).post(
        "/api/v1/payments/", {"provider": "offline", "project": project.pk, "amount": "1000.00"}, format="json"
    )
    assert pledged.status_code == 201, pledged.content
    confirmed = api_for(people.street_staff).post(
        f"/api/v1/payments/{pledged.json()['id']}/confirm/",
        {"reference": "转账 77", "received_on": str(datetime.date.today())},
        format="json",
    )
    assert confirmed.status_code == 200, confirmed.content
    assert ledger.project_sum(project) == 2_962_100

    client.logout()
    for path in paths:
        shown = totals_shown(client.get(path).content.decode())
        assert AFTER in shown and BEFORE not in shown, path
    assert home_counters()["money_raised"] == 2_962_100


def test_a_status_move_shows_on_the_book_and_the_home_counters(client, home_page, people, project):
    from marketplace.projects.services import move_project

    book_page = book(home_page, project.region, [project])
    client.logout()
    assert f"/projects/{project.pk}/#claim" in client.get(book_page.url).content.decode()
    assert client.get(book_page.url)["X-Page-Cache"] == "hit"
    assert home_counters()["projects_funded"] == 0

    move_project(by=None, project=project, to=ProjectStatus.FUNDED)  # the system's move, as reaching the target
    html = client.get(book_page.url).content.decode()
    assert f"/projects/{project.pk}/#claim" not in html and 'data-status="funded"' in html
    assert home_counters()["projects_funded"] == 1


def test_an_edit_through_the_projects_service_shows_at_once(client, home_page, people, project):
    book_page = book(home_page, project.region, [project])
    client.logout()
    assert "楼道扶手加装" in client.get(book_page.url).content.decode()
    assert client.get(book_page.url)["X-Page-Cache"] == "hit"

    update_project(by=people.community_staff, project=project, title="楼道扶手和照明")
    assert "楼道扶手和照明" in client.get(book_page.url).content.decode()


def test_a_rolled_back_gift_purges_nothing(client, home_page, project):
    from django.db import transaction

    book_page = book(home_page, project.region, [project])
    client.logout()
    client.get(book_page.url)
    assert client.get(book_page.url)["X-Page-Cache"] == "hit"
    with pytest.raises(RuntimeError), transaction.atomic():
        ledger.append(kind=EntryKind.GIFT, amount=100_000, project=project)
        raise RuntimeError("the confirmation failed")
    assert client.get(book_page.url)["X-Page-Cache"] == "hit"  # still the (right) kept page


def test_a_project_withdrawn_shows_in_the_next_edition_that_no_longer_lists_it(client, home_page, people, project):
    from datetime import date

    from marketplace.projects.services import move_project

    book(home_page, project.region, [project], edition="2026年第2期", edition_date=date(2026, 6, 1))
    later = book(home_page, project.region, [], edition="2026年第3期", edition_date=date(2026, 9, 1))
    link = f'href="{project.get_absolute_url()}"'
    client.logout()
    html = client.get(later.url).content.decode()
    assert "2026年第2期" in html and link in html  # "no longer listed", linked: still open
    assert client.get(later.url)["X-Page-Cache"] == "hit"

    move_project(by=people.community_staff, project=project, to=ProjectStatus.WITHDRAWN)
    html = client.get(later.url).content.decode()
    assert "楼道扶手加装" in html and link not in html  # "withdrawn", no longer linked
