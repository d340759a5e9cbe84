"""Issue 20: a resident about to file again what they filed before adds it to their earlier need instead.

The "add this to my earlier need" button sits outside the need form (in the similar-needs list) and sends
the form's fields to the earlier need (`form="need-form"`, `formaction`): a browser, not a test client, shows
that it does.
"""

import pytest
from playwright.sync_api import expect

from marketplace.needs import services
from marketplace.needs.models import EventKind, Need
from tests.e2e.journeys import log_in
from tests.factories import category

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_resident_adds_to_their_earlier_need_instead_of_filing_it_again(page, site, people, tree, password):
    env = category()
    earlier = services.submit_need(
        by=people.resident, title="3号楼路灯不亮", description="晚上很黑", category=env, region=tree.grid_a1
    )
    log_in(page, site, people.resident, password)
    page.goto(f"{site}/needs/new/")
    # Their verified community is already chosen.
    assert page.input_value("select[name=region]") == str(tree.community_a1.pk)
    page.fill("input[name=title]", "3号楼路灯还是不亮")
    page.fill("textarea[name=description]", "二单元门口也黑了")
    page.select_option("select[name=category]", str(env.pk))
    page.select_option("select[name=region]", str(tree.grid_a1.pk))
    page.locator("#need-form button[type=submit]").click()
    page.locator(f"button[formaction$='/needs/{earlier.pk}/add/']").click()
    page.wait_for_url(f"**/needs/{earlier.pk}/")
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(".timeline").get_by_text("二单元门口也黑了")).to_be_visible()
    assert Need.objects.count() == 1
    assert earlier.events.filter(kind=EventKind.NOTE, actor=people.resident).count() == 1
