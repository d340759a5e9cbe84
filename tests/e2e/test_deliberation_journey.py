"""Deliberation from end to end in the browser: a resident's topic gathers support past the council's
threshold, staff put it on a meeting's agenda and publish the notice, residents register past capacity and
the draw runs, a resident comments on the item, the meeting is held with check-in and a vote, and the
minutes, the decision and the result appear on the meeting's, the topic's and the council's pages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from deliberation.meetings.models import AgendaItem, Meeting, MeetingStatus, RegistrationStatus
from deliberation.topics.models import Topic, TopicStatus
from deliberation.votes.models import Vote, VoteStatus
from portal.accounts.models import Role
from tests.e2e.journeys import log_in
from tests.factories import UserFactory, grant
from tests.factories.deliberation import council

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _post_action(page, name):
    page.locator(f"form[action$='/{name}/'] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()


def test_a_residents_topic_goes_through_a_meeting_to_a_published_decision(
    page, site, people, tree, password, axe_violations
):
    hall = council(tree.community_a1, slug="jiayi", threshold=2)
    staff = people.community_staff
    residents = [people.resident] + [
        grant(UserFactory(username=f"neighbour{i}"), Role.RESIDENT, tree.community_a1) for i in range(2)
    ]
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # A resident proposes a topic from the council's page.
    log_in(page, site, people.resident, password)
    page.goto(f"{site}{hall.get_absolute_url()}")
    page.locator(f"a[href$='/councils/{hall.slug}/topics/new/']").click()
    page.fill("input[name=title]", "加装电梯费用怎么分摊")
    page.fill("textarea[name=body]", "三号楼要加装电梯，一楼到六楼的费用分摊一直谈不拢，希望议事会拿个方案。")
    page.locator("#topic-form button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    topic = Topic.objects.get()
    assert topic.status == TopicStatus.COLLECTING

    # Two neighbours support it: the second takes it past the threshold, into the agenda queue.
    for neighbour in residents[1:]:
        log_in(page, site, neighbour, password)
        page.goto(f"{site}{topic.get_absolute_url()}")
        page.locator("#support-form button[type=submit]").click()
        expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(f".badge.status-{TopicStatus.QUEUED}")).to_be_visible()
    expect(page.locator("#support-count")).to_have_text("2")
    assert axe_violations(page) == []

    # Staff find it in their agenda queue, draft a hearing and put the topic on its agenda.
    log_in(page, site, staff, password)
    page.goto(f"{site}/topics/agenda-queue/")
    expect(page.get_by_role("link", name="加装电梯费用怎么分摊")).to_be_visible()
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
    page.select_option("select[name=item-topic]", label="加装电梯费用怎么分摊")
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.get_by_text("按楼层分摊的比例").first).to_be_visible()
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SCHEDULED

    # The notice is published.
    page.goto(f"{site}{meeting.get_absolute_url()}")
    _post_action(page, "announce")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ANNOUNCED

    # Three residents register for two seats.
    for resident in residents:
        log_in(page, site, resident, password)
        page.goto(f"{site}{meeting.get_absolute_url()}")
        page.locator("form[action$='/register/'] button[type=submit]").click()
        expect(page.locator(".message-success")).to_be_visible()

    # Before the meeting, a resident comments on the agenda item.
    item = AgendaItem.objects.get(meeting=meeting)
    page.goto(f"{site}{item.get_absolute_url()}")
    page.fill("#comment-form textarea[name=body]", "建议一楼也象征性分摊一点，毕竟楼道和外立面也翻新了。")
    page.locator("#comment-form button[type=submit]").click()
    expect(page.locator(".comment-body").first).to_contain_text("建议一楼也象征性分摊")
    assert axe_violations(page) == []

    # Staff close registration: the draw runs, its seed is published.
    log_in(page, site, staff, password)
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
    log_in(page, site, seated.user, password)
    page.goto(f"{site}{vote.get_absolute_url()}")
    page.locator(f"input[name=choices][value='{vote.options.get(role='for').pk}']").check()
    page.locator("form[action$='/ballot/'] button[type=submit]").click()
    expect(page.locator(".receipt-code")).to_be_visible()

    # The chair closes the vote, holds the meeting and publishes the minutes with the decision.
    log_in(page, site, staff, password)
    page.goto(f"{site}{vote.get_absolute_url()}")
    _post_action(page, "close")
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED and vote.result.carried
    # The meeting has begun (it was set up days ahead, as the council's notice period asks).
    Meeting.objects.filter(pk=meeting.pk).update(
        registration_closes_at=timezone.now() - timedelta(hours=2),
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=1),
    )
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

    # Anyone reads the minutes, the decision and the result on the meeting's page...
    page.context.clear_cookies()
    page.goto(f"{site}{meeting.get_absolute_url()}")
    expect(page.get_by_text("一楼不分摊，二楼以上按楼层递增分摊。").first).to_be_visible()
    expect(page.get_by_text("到会居民 1 人，表决通过分摊方案。")).to_be_visible()
    expect(page.locator("table caption", has_text="是否同意一楼不分摊")).to_be_visible()
    assert axe_violations(page) == []
    # ...the topic's page, where the topic is decided...
    page.goto(f"{site}{topic.get_absolute_url()}")
    expect(page.locator(f".badge.status-{TopicStatus.DECIDED}")).to_be_visible()
    expect(page.get_by_text("一楼不分摊，二楼以上按楼层递增分摊。").first).to_be_visible()
    # ...and the council's page.
    page.goto(f"{site}{hall.get_absolute_url()}")
    expect(page.get_by_text("一楼不分摊，二楼以上按楼层递增分摊。").first).to_be_visible()
    expect(page.get_by_role("link", name="加装电梯费用分摊听证会").first).to_be_visible()
    assert axe_violations(page) == []
    assert dialogs == []
