"""Issue 22's pages as people read them: the queue and the audit log with words typed into their search box,
and a project's page with "You may also support", checked by axe (every impact) and on a phone with large
text (no sideways scroll, 44 px targets), in both languages."""

import pytest

from marketplace.needs import services as needs
from portal.audit.services import record_action
from tests.e2e.test_access import DESKTOP, PHONE, _phone_layout
from tests.factories import category
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _log_in(page, site, user, password):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{site}/**/accounts/profile/")


def test_the_search_boxes_and_the_suggestions_read_for_everyone(page, site, people, tree, password, axe_violations):
    for title in ("路灯不亮", "路灯坏了晚上很黑"):
        needs.submit_need(by=people.plain, title=title, description=title, category=category(), region=tree.grid_a1)
    record_action(by=people.district_staff, action="role.assign", target=people.resident, note="核实后授予")
    project = published_project(tree.community_a1, title="老年助餐点", summary="为独居老人提供午餐")
    for n in range(2):
        published_project(tree.community_a2, title=f"长者食堂{n + 1}号", summary="给独居老人送午餐")
    problems = {}

    def check(paths, language):
        for path in paths:
            found = []
            for viewport, large in ((DESKTOP, False), (PHONE, True)):
                page.context.add_cookies([{"name": "textsize", "value": "large" if large else "", "url": site}])
                page.set_viewport_size(viewport)
                assert page.goto(f"{site}{path}").status == 200, path
                where = f"{language} {viewport['width']}px"
                found += [f"{where} {v}" for v in axe_violations(page, impacts=None)]
                if viewport is PHONE:
                    found += _phone_layout(page, where, large)
            if found:
                problems[path] = found

    for language in ("zh-hans", "en"):
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
        check([project.get_absolute_url()], language)
        assert page.locator("#to-support-heading").count() == 1
        _log_in(page, site, people.district_staff, password)
        check(["/audit/?q=核实", "/needs/queue/?q=路灯"], language)
        assert page.locator("main table a", has_text="路灯不亮").count() == 1  # found through the layer
    assert problems == {}
