"""By keyboard alone: a resident submits a need, community staff accept and dispatch it. Every control is
reached with Tab (never clicked), its focus ring must be visible, and a screenshot of each step is kept
in var/screenshots/keyboard/ for people to look at."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from marketplace.needs.models import Need, NeedStatus
from tests.factories import category

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "keyboard"
MAX_TABS = 150

FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
}"""


class Keyboard:
    def __init__(self, page):
        self.page = page
        self.step = 0

    def tab_to(self, selector, *, shot):
        """Press Tab until `selector` has focus (Shift+Tab never needed: each step moves forward)."""
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
                assert self.page.evaluate(FOCUS_RING), f"no visible focus ring on {selector}"
                self.shot(shot)
                return
        raise AssertionError(f"{selector} cannot be reached with Tab")

    def type(self, text):
        self.page.keyboard.type(text)

    def shot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.step += 1
        self.page.screenshot(path=str(SHOTS / f"{self.step:02d}-{name}.png"))

    def choose(self, label_text):
        """Pick an option of the focused <select> with the arrow keys, as keyboard users do."""
        selected = "() => document.activeElement.selectedOptions[0].textContent.trim()"
        for _ in range(MAX_TABS):
            if self.page.evaluate(selected) == label_text:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no option {label_text!r}")


def _log_in(page, keys, site, user, password):
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    keys.tab_to("input[name=login]", shot=f"{user.username}-login")
    keys.type(user.username)
    keys.tab_to("input[name=password]", shot=f"{user.username}-password")
    keys.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/profile/"))


def test_a_need_submitted_and_dispatched_by_keyboard(page, site, people, tree, home_page, password):
    env = category()
    page.set_viewport_size({"width": 1280, "height": 900})
    keys = Keyboard(page)

    _log_in(page, keys, site, people.resident, password)
    page.goto(f"{site}/")
    keys.tab_to("main a[href$='/needs/new/'], header a.nav-cta", shot="front-door")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/needs/new/"))
    keys.tab_to("input[name=title]", shot="title")
    keys.type("楼道声控灯坏了")
    keys.tab_to("textarea[name=description]", shot="description")
    keys.type("5号楼三单元楼道的声控灯一个多月不亮，晚上上下楼要摸黑。")
    keys.tab_to("select[name=category]", shot="category")
    keys.choose(env.name)
    keys.tab_to("select[name=region]", shot="place")
    keys.choose(tree.grid_a1.name)  # a grid: listed under its community, indented
    keys.tab_to("#need-form button[type=submit]", shot="submit")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="楼道声控灯坏了")).to_be_visible()
    keys.shot("submitted")
    need = Need.objects.get(title="楼道声控灯坏了")
    assert need.category == env and need.region == tree.grid_a1

    _log_in(page, keys, site, people.community_staff, password)
    page.goto(f"{site}/needs/queue/")
    keys.tab_to(f"main a[href$='/needs/{need.pk}/']", shot="queue")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/needs/{need.pk}/$"))
    keys.tab_to("form[action$='/accept/'] button[type=submit]", shot="accept")
    page.keyboard.press("Enter")
    expect(page.locator(".message-success")).to_be_visible()
    keys.tab_to("select[name=dispatch-department]", shot="department")
    keys.choose(people.department.name)
    assert page.input_value("select[name=dispatch-department]") == str(people.department.pk)
    keys.tab_to("form[action$='/dispatch/'] button[type=submit]", shot="dispatch")
    page.keyboard.press("Enter")
    expect(page.locator(".badge.status-dispatched").first).to_be_visible()
    keys.shot("dispatched")
    need.refresh_from_db()
    assert need.status == NeedStatus.DISPATCHED and need.department == people.department
