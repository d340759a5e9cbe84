"""From the home page a keyboard user reaches a council, a topic, a meeting, a vote, their gifts and a
receipt in at most three steps, in both languages, on a desktop and on a 320 px phone (issue 20)."""

import re

import pytest

from portal.core.demo import DEMO_PASSWORD

# serialized_rollback: the flush after it must not wipe what migrations created (like every journey here)
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}
AREA = {"zh-hans": "议事协商", "en": "Decide together"}
PAGES = {
    "zh-hans": {"council": "议事会", "topic": "议题", "meeting": "会议", "vote": "表决", "gifts": "我的捐赠与收据"},
    "en": {
        "council": "Councils",
        "topic": "Topics",
        "meeting": "Meetings",
        "vote": "Votes",
        "gifts": "My gifts and receipts",
    },
}
# Where each list's first record is: the detail pages they lead to.
FIRST_RECORD = {
    "council": "main a[href^='/councils/']:not([href='/councils/'])",
    "topic": "main .card a[href^='/topics/'], main li a[href^='/topics/']",
    "meeting": "main a[href^='/meetings/']:not([href*='/new/']):not([href$='/mine/'])",
    "vote": "main li > a[href^='/votes/']",
}
DETAIL = {
    "council": r"/councils/[\w-]+/$",
    "topic": r"/topics/\d+/$",
    "meeting": r"/meetings/\d+/$",
    "vote": r"/votes/\d+/$",
}


class Steps:
    """Counts what the keyboard user does: each focus-and-Enter on a control is a step."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def press(self, locator):
        locator.focus()
        assert locator.evaluate("e => e === document.activeElement"), "not focusable"
        self.page.keyboard.press("Enter")
        self.count += 1


def _open_area(steps, page, language, phone):
    if phone:  # the menu button shows every area's pages
        steps.press(page.locator(".menu-toggle"))
    else:
        steps.press(page.get_by_role("button", name=AREA[language]))


def _log_in(page, site):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", "resident1")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/profile/"))


def test_a_keyboard_user_reaches_every_area_in_three_steps(demo_district_committed, page, site):
    _log_in(page, site)
    for language in ("zh-hans", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            _walk(page, site, language, phone=viewport is PHONE)


def _walk(page, site, language, *, phone):
    home = f"{site}/" if language == "zh-hans" else f"{site}/en/"
    for kind in ("council", "topic", "meeting", "vote"):
        page.goto(home)
        steps = Steps(page)
        _open_area(steps, page, language, phone)
        steps.press(page.locator("#site-menu").get_by_role("link", name=PAGES[language][kind], exact=True))
        page.wait_for_load_state()
        steps.press(page.locator(FIRST_RECORD[kind]).first)
        page.wait_for_url(re.compile(DETAIL[kind]))
        assert steps.count <= 3, (language, phone, kind, steps.count)

    # My gifts, then a receipt (PDF) from there.
    page.goto(home)
    steps = Steps(page)
    if phone:
        steps.press(page.locator(".menu-toggle"))
    steps.press(page.locator("#account-menu").get_by_role("link", name=PAGES[language]["gifts"]))
    page.wait_for_url(re.compile(r"/funding/mine/$"))
    receipt = page.locator("main a[href^='/funding/receipts/']").first
    with page.expect_response(re.compile(r"/funding/receipts/\d+/")) as answer:
        receipt.focus()
        page.keyboard.press("Enter")
        steps.count += 1
    assert answer.value.status == 200 and steps.count <= 3, (language, phone, steps.count)
