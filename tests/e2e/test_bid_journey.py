import re

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from marketplace.adoptions.models import Bid, BidStatus
from marketplace.adoptions.services import BID_DECIDED
from portal.organisations.models import MemberRole, Membership, OrganisationKind
from tests.e2e.journeys import log_in
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_three_ngos_bid_staff_compare_and_select_and_the_others_hear_why(
    page, site, people, tree, password, axe_violations
):
    project = published_project(tree.community_a1, title="甲一社区长者助餐点")
    third = OrganisationFactory(kind=OrganisationKind.NGO, region=tree.street_a, name="丙邻里互助社")
    third_member = UserFactory(username="thirdngo")
    Membership.objects.create(organisation=third, user=third_member, role=MemberRole.ADMIN)
    bidders = [
        (people.ngo_member, people.ngo, "中央厨房每日配送，独居老人送餐上门", "96,000"),
        (people.other_ngo_member, people.other_ngo, "与周边餐馆合作供餐，社区食堂堂食", "72,000"),
        (third_member, third, "招募楼栋志愿者轮流做饭，老人自愿参与", "54,000"),
    ]

    # Three NGOs bid from the project page.
    for member, _organisation, plan, price in bidders:
        log_in(page, site, member, password)
        page.goto(f"{site}{project.get_absolute_url()}")
        if member == people.ngo_member:
            assert axe_violations(page) == []  # the claim forms on the project page
        page.locator(f"#claim a[href$='/adoptions/projects/{project.pk}/bid/']").click()
        page.fill("textarea[name=plan]", plan)
        page.fill("input[name=price]", price)
        page.fill("textarea[name=timeline]", "2027年1月起，为期一年")
        page.fill("textarea[name=team]", "持证社工两名，志愿者十名")
        page.set_input_files(
            "input[name=attachments]",
            files=[{"name": "budget.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 budget"}],
        )
        page.locator("#bid-form button[type=submit]").click()
        expect(page.locator(".message-success")).to_be_visible()
    assert Bid.objects.filter(project=project, status=BidStatus.SUBMITTED).count() == 3

    # Staff compare them side by side, write down a representative's opinion and select one.
    log_in(page, site, people.community_staff, password)
    page.goto(f"{site}/adoptions/queue/")
    page.get_by_role("link", name="甲一社区长者助餐点").click()
    expect(page.locator(".compare-table tbody tr")).to_have_count(3)
    assert axe_violations(page) == []
    page.locator("#record-opinion summary").click()
    page.fill("input[name=opinion-representative_name]", "李桂兰")
    page.fill("input[name=opinion-representative_role]", "8号楼楼长")
    page.fill("textarea[name=opinion-opinion]", "送餐上门对腿脚不便的老人最实在")
    page.locator("form[action$='/opinions/'] button[type=submit]").click()
    expect(page.get_by_text("送餐上门对腿脚不便的老人最实在")).to_be_visible()
    chosen = Bid.objects.get(organisation=people.ngo)
    reason = "方案覆盖独居老人送餐，居民代表多数支持"
    page.locator(f"#select-{chosen.pk} summary").click()
    page.fill(f"#id_bid{chosen.pk}_select-note", reason)
    page.locator(f"#select-{chosen.pk} button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(".badge.status-selected")).to_be_visible()
    project.refresh_from_db()
    assert project.implementer == people.ngo

    # The two others read, on their notifications page, that they were not selected, and why.
    for member in (people.other_ngo_member, third_member):
        log_in(page, site, member, password)
        page.goto(f"{site}/notifications/")
        item = page.locator(".notification-list li").filter(has_text="甲一社区长者助餐点")
        expect(item).to_have_count(1)
        expect(item).to_contain_text(reason)
        with translation.override(member.language or settings.LANGUAGE_CODE):  # as notify wrote it
            told = str(BID_DECIDED[BidStatus.NOT_SELECTED] % {"project": project.title})
        expect(item).to_contain_text(told)
        expect(item.locator("a")).to_have_attribute("href", re.compile(r"/adoptions/bids/\d+/$"))
    for member in (people.other_ngo_member, third_member):  # what the page showed: "not selected"
        assert Bid.objects.get(submitted_by=member).status == BidStatus.NOT_SELECTED
