"""A donor whose project missed its funding deadline chooses, in a browser, to move the gift to another project."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.funding import deadlines, intents, ledger
from marketplace.funding.models import DeadlineChoice, DeadlineChoiceStatus
from marketplace.projects.models import Project
from tests.e2e.journeys import log_in
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_donor_moves_a_gift_when_the_project_missed_its_deadline(page, site, people, tree, password, axe_violations):
    missed = published_project(tree.community_a1, target_yuan=5000, title="社区老年大学书画班")
    other = published_project(tree.community_a1, target_yuan=2000, title="社区书屋添置图书")
    intents.confirm_offline(
        by=people.community_staff,
        payment=intents.pledge(by=people.resident, project=missed, amount=30_000),
        reference="社区收据 No.0512（现金）",
        received_on=None,
    )
    Project.objects.filter(pk=missed.pk).update(funding_deadline=timezone.now() - timedelta(hours=2))
    assert deadlines.run_funding_deadlines() == {"asked": 1, "refunded": 0}
    choice = DeadlineChoice.objects.get()
    problems = {}

    log_in(page, site, people.resident, password)
    page.goto(f"{site}/funding/mine/")
    link = page.locator(f"a[href='{choice.get_absolute_url()}']")
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(re.compile(rf"/funding/choices/{choice.pk}/$"))
    found = axe_violations(page)
    if found:
        problems["choice page"] = found
    page.locator("input[name=option][value=move]").check()
    page.select_option("select[name=project]", str(other.pk))
    page.locator(f"form[action$='/choices/{choice.pk}/'] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    found = axe_violations(page)
    if found:
        problems["choice made"] = found

    choice.refresh_from_db()
    other.refresh_from_db()
    assert choice.status == DeadlineChoiceStatus.MOVED and choice.moved_to == other
    assert other.amount_raised == 30_000 and ledger.verify() is None
    # A second run of the beat job asks nobody again.
    assert deadlines.run_funding_deadlines() == {"asked": 0, "refunded": 0}
    assert problems == {}
