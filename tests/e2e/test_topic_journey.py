"""A resident proposes a topic, two neighbours support it past the threshold, it waits for an agenda;
a hostile comment runs nothing; staff find the topic in their agenda queue."""

import re

import pytest
from playwright.sync_api import expect

from deliberation.topics.models import Topic, TopicStatus
from portal.accounts.models import Role
from tests.factories import UserFactory
from tests.factories.accounts import grant
from tests.factories.deliberation import council

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HOSTILE = (
    "<script>alert('xss-script')</script> <img src=x onerror=alert('xss-img')> "
    "<svg/onload=alert('xss-svg')> <a href=\"javascript:alert('xss-link')\">点我</a> 我支持"
)


def _log_in(page, site, user, password):
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/profile/"))


def test_a_topic_gathers_support_reaches_the_agenda_queue_and_hostile_comments_stay_inert(
    page, site, people, tree, password, axe_violations
):
    board = council(tree.community_a1, slug="jiayi", threshold=2)
    neighbours = [grant(UserFactory(username=f"neighbour{i}"), Role.RESIDENT, tree.community_a1) for i in (1, 2)]
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # A resident proposes a topic from the council's page.
    _log_in(page, site, people.resident, password)
    page.goto(f"{site}{board.get_absolute_url()}")
    page.locator(f"a[href$='/councils/{board.slug}/topics/new/']").click()
    page.fill("input[name=title]", "东门空地加装电动自行车充电桩")
    page.fill("textarea[name=body]", "楼道里充电有火灾隐患，希望在东门空地装一排充电桩。")
    page.locator("#topic-form button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    topic = Topic.objects.get()
    assert topic.status == TopicStatus.COLLECTING

    # Two neighbours support it: the second one takes it past the threshold.
    for neighbour in neighbours:
        _log_in(page, site, neighbour, password)
        page.goto(f"{site}{topic.get_absolute_url()}")
        page.locator("#support-form button[type=submit]").click()
        expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(f".badge.status-{TopicStatus.QUEUED}")).to_be_visible()
    expect(page.locator("#support-count")).to_have_text("2")

    # A neighbour comments with a script-injection payload: shown as text, nothing runs.
    page.fill("#comment-form textarea[name=body]", HOSTILE)
    page.locator("#comment-form button[type=submit]").click()
    expect(page.locator(".comment-body").first).to_contain_text("我支持")
    page.reload()
    assert dialogs == []
    assert page.locator(".comment-body script, .comment-body img, .comment-body svg").count() == 0
    assert page.locator(".comment-body a[href^='javascript']").count() == 0
    assert axe_violations(page) == []

    # Staff see it waiting for an agenda in their queue.
    _log_in(page, site, people.community_staff, password)
    page.goto(f"{site}/topics/agenda-queue/")
    page.get_by_role("link", name="东门空地加装电动自行车充电桩").click()
    expect(page.locator("h1")).to_have_text("东门空地加装电动自行车充电桩")
    assert dialogs == []
