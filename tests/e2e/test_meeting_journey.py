"""A meeting from announcement to published minutes, in the browser: the draw for seats, check-in, a vote."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from deliberation.meetings.models import Meeting, MeetingStatus, RegistrationStatus
from deliberation.votes.models import Vote, VoteStatus
from portal.accounts.models import Role
from tests.factories import UserFactory, grant
from tests.factories.meetings import council

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _log_in(page, site, user, password):
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/profile/"))


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _post_action(page, name):
    page.locator(f"form[action$='/{name}/'] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()


def test_staff_run_a_meeting_residents_register_past_capacity_vote_and_read_the_minutes(
    page, site, people, tree, password, axe_violations
):
    hall = council(tree.community_a1)
    staff = people.community_staff
    residents = [people.resident] + [
        grant(UserFactory(username=f"neighbour{i}"), Role.RESIDENT, tree.community_a1) for i in range(2)
    ]

    # Staff draft the meeting, add an agenda item and announce it.
    _log_in(page, site, staff, password)
    page.goto(f"{site}/meetings/new/{hall.slug}/")
    starts = timezone.now() + timedelta(days=10)
    page.select_option("select[name=kind]", "hearing")
    page.fill("input[name=title]", "加装电梯费用分摊听证会")
    page.fill("textarea[name=description]", "一楼到六楼怎么分摊加装电梯的费用。")
    page.fill("input[name=starts_at]", _local(starts))
    page.fill("input[name=ends_at]", _local(starts + timedelta(hours=2)))
    page.fill("input[name=place]", "社区活动室")
    page.fill("input[name=capacity]", "2")
    page.fill("input[name=registration_closes_at]", _local(starts - timedelta(days=2)))
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    meeting = Meeting.objects.get(title="加装电梯费用分摊听证会")
    page.fill("input[name=item-title]", "按楼层分摊的比例")
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.get_by_text("按楼层分摊的比例").first).to_be_visible()
    page.goto(f"{site}{meeting.get_absolute_url()}")
    _post_action(page, "announce")

    # Three residents register for two seats.
    for resident in residents:
        _log_in(page, site, resident, password)
        page.goto(f"{site}{meeting.get_absolute_url()}")
        page.locator("form[action$='/register/'] button[type=submit]").click()
        expect(page.locator(".message-success")).to_be_visible()

    # Staff close registration: the draw runs, its seed is published.
    _log_in(page, site, staff, password)
    page.goto(f"{site}{meeting.get_absolute_url()}")
    _post_action(page, "close_registration")
    meeting.refresh_from_db()
    assert meeting.lottery_seed
    expect(page.get_by_text(meeting.lottery_seed)).to_be_visible()
    seated = meeting.registrations.filter(status=RegistrationStatus.CONFIRMED).select_related("user").first()
    assert meeting.registrations.filter(status=RegistrationStatus.WAITLISTED).count() == 1

    # At the door, staff type the code of the seated resident's ticket.
    page.goto(f"{site}/meetings/{meeting.pk}/check-in/")
    page.fill("input[name=token]", seated.checkin_token)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".message-success")).to_be_visible()

    # The chair (staff of the area) sets up a vote of those present and opens it.
    page.goto(f"{site}/meetings/{meeting.pk}/votes/new/")
    page.select_option("select[name=agenda_item]", label="1. 按楼层分摊的比例")
    page.fill("input[name=question]", "是否同意一楼不分摊、二楼以上按楼层递增分摊？")
    page.select_option("select[name=kind]", "for_against")
    page.select_option("select[name=electorate]", "present")
    page.select_option("select[name=ballot]", "secret")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    vote = Vote.objects.get(agenda_item__meeting=meeting)
    _post_action(page, "open")

    # The resident votes and gets a receipt.
    _log_in(page, site, seated.user, password)
    page.goto(f"{site}{vote.get_absolute_url()}")
    page.locator(f"input[name=choices][value='{vote.options.get(role='for').pk}']").check()
    page.locator("form[action$='/ballot/'] button[type=submit]").click()
    expect(page.locator(".receipt-code")).to_be_visible()

    # The chair closes the vote, holds the meeting and publishes the minutes with the decision.
    _log_in(page, site, staff, password)
    page.goto(f"{site}{vote.get_absolute_url()}")
    _post_action(page, "close")
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED and vote.result.carried
    page.goto(f"{site}{meeting.get_absolute_url()}")
    _post_action(page, "hold")
    page.goto(f"{site}/meetings/{meeting.pk}/minutes/")
    page.fill("textarea[name=minutes-body]", "<p>到会居民 1 人，表决通过分摊方案。</p>")
    page.locator("textarea[name^=minutes-decision_]").fill("一楼不分摊，二楼以上按楼层递增分摊。")
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    _post_action(page, "publish_minutes")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_PUBLISHED

    # Anyone reads the result and the decision on the meeting page.
    page.context.clear_cookies()
    page.goto(f"{site}{meeting.get_absolute_url()}")
    expect(page.get_by_text("一楼不分摊，二楼以上按楼层递增分摊。")).to_be_visible()
    expect(page.get_by_text("到会居民 1 人，表决通过分摊方案。")).to_be_visible()
    expect(page.locator("table caption", has_text="是否同意一楼不分摊")).to_be_visible()
    assert axe_violations(page) == []
