"""Meetings through their services: notice, registration and the public draw, check-in, minutes, follow-ups."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from deliberation.councils.models import MemberRole
from deliberation.meetings import services
from deliberation.meetings.models import MeetingKind, MeetingStatus, NoticePeriod, RegistrationStatus
from deliberation.topics.models import Topic, TopicStatus
from portal.accounts.models import Role
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted
from portal.notifications.models import Notification
from tests.factories import UserFactory, grant
from tests.factories.meetings import agenda_item, council, meeting, seat

pytestmark = pytest.mark.django_db
S, R = MeetingStatus, RegistrationStatus


@pytest.fixture
def hall(people, tree):
    c = council(tree.community_a1)
    chair = UserFactory(username="chair")
    seat(c, chair, role=MemberRole.CHAIR)
    return c, chair


def _draft(council, by, days=14, capacity=3, kind=MeetingKind.HEARING):
    starts = timezone.now() + timedelta(days=days)
    return services.create_meeting(
        by=by,
        council=council,
        kind=kind,
        title="加装电梯听证会",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="社区活动室",
        capacity=capacity,
    )


def _residents(tree, n, prefix="r"):
    return [grant(UserFactory(username=f"{prefix}{i}"), Role.RESIDENT, tree.community_a1) for i in range(n)]


def test_announcing_is_refused_when_the_notice_period_is_not_respected(hall):
    c, chair = hall
    NoticePeriod.objects.create(council=c, kind=MeetingKind.HEARING, days=10)
    soon = _draft(c, chair, days=9)
    with pytest.raises(DomainError) as refused:
        services.announce_meeting(by=chair, meeting=soon)
    assert refused.value.code == "notice_period" and "10" in refused.value.message
    assert services.announce_meeting(by=chair, meeting=_draft(c, chair, days=11)).status == S.ANNOUNCED


def test_default_notice_applies_when_the_council_has_none(hall, settings):
    c, chair = hall
    settings.MEETING_NOTICE_DAYS = 7
    with pytest.raises(DomainError):
        services.announce_meeting(by=chair, meeting=_draft(c, chair, days=6, kind=MeetingKind.LISTENING))


def test_registration_is_refused_when_not_a_resident_of_the_area(hall, people, tree):
    c, chair = hall
    m = services.announce_meeting(by=chair, meeting=_draft(c, chair))
    outsider = grant(UserFactory(username="outsider"), Role.RESIDENT, tree.community_b1)
    for user in (outsider, people.plain):
        with pytest.raises(NotPermitted):
            services.register(by=user, meeting=m)
    assert services.register(by=people.resident, meeting=m).status == R.REGISTERED
    with pytest.raises(DomainError):
        services.register(by=people.resident, meeting=m)


def test_everyone_is_confirmed_when_not_oversubscribed(hall, tree):
    c, chair = hall
    m = services.announce_meeting(by=chair, meeting=_draft(c, chair, capacity=5))
    for user in _residents(tree, 3):
        services.register(by=user, meeting=m)
    m = services.close_registration(by=chair, meeting=m)
    assert set(m.registrations.values_list("status", flat=True)) == {R.CONFIRMED}
    assert m.lottery_seed == ""


def rerun_draw(meeting_id, closed_at, refs, capacity):
    """The snippet published on the meeting page (and in the README), verbatim."""
    seed = hashlib.sha256(f"{meeting_id}|{closed_at}|{','.join(sorted(refs))}".encode()).hexdigest()
    order = sorted(refs, key=lambda ref: hashlib.sha256((seed + ref).encode()).hexdigest())
    return seed, order[:capacity], order[capacity:]


def test_lottery_is_reproducible_from_its_published_inputs_when_oversubscribed(hall, tree):
    c, chair = hall
    m = services.announce_meeting(by=chair, meeting=_draft(c, chair, capacity=3))
    people = _residents(tree, 7)
    for user in people:
        services.register(by=user, meeting=m)
    services.register_for(by=chair, meeting=m, name="张奶奶", phone="13800000001")
    m = services.close_registration(by=chair, meeting=m)
    # when anyone re-runs the draw from what the page publishes
    refs = m.lottery_entries.split("\n")
    seed, seated, waiting = rerun_draw(m.pk, services.lottery_closed_at(m), refs, m.capacity)
    # then the seed and the outcome are the same
    assert seed == m.lottery_seed and len(refs) == 8
    confirmed = set(m.registrations.filter(status=R.CONFIRMED).values_list("ref", flat=True))
    assert confirmed == set(seated)
    queue = list(
        m.registrations.filter(status=R.WAITLISTED).order_by("waitlist_position").values_list("ref", flat=True)
    )
    assert queue == waiting
    # and every registrant with an account is told their result
    told = Notification.objects.filter(recipient__in=people).values_list("recipient_id", flat=True)
    assert set(told) == {u.pk for u in people}


def test_waiting_list_moves_up_when_a_confirmed_person_cancels(hall, tree):
    c, chair = hall
    m = services.announce_meeting(by=chair, meeting=_draft(c, chair, capacity=2))
    for user in _residents(tree, 5):
        services.register(by=user, meeting=m)
    m = services.close_registration(by=chair, meeting=m)
    first_waiting = m.registrations.get(status=R.WAITLISTED, waitlist_position=1)
    leaving = m.registrations.filter(status=R.CONFIRMED).first()
    services.cancel_registration(by=leaving.user, registration=leaving)
    first_waiting.refresh_from_db()
    assert first_waiting.status == R.CONFIRMED and first_waiting.waitlist_position is None
    assert list(
        m.registrations.filter(status=R.WAITLISTED)
        .order_by("waitlist_position")
        .values_list("waitlist_position", flat=True)
    ) == [1, 2]
    assert Notification.objects.filter(recipient=first_waiting.user).count() == 2  # waiting, then a seat


def test_check_in_accepts_only_a_confirmed_seat_when_scanned(hall, tree):
    c, chair = hall
    m = services.announce_meeting(by=chair, meeting=_draft(c, chair, capacity=1))
    a, b = _residents(tree, 2)
    ra, rb = services.register(by=a, meeting=m), services.register(by=b, meeting=m)
    m = services.close_registration(by=chair, meeting=m)
    seated = m.registrations.get(status=R.CONFIRMED)
    waiting = m.registrations.get(status=R.WAITLISTED)
    assert services.check_in(by=chair, meeting=m, token=seated.checkin_token).checked_in_at
    with pytest.raises(DomainError):
        services.check_in(by=chair, meeting=m, token=waiting.checkin_token)
    with pytest.raises(DomainError):
        services.check_in(by=chair, meeting=m, token="nonsense")
    with pytest.raises(NotPermitted):
        services.check_in(by=a, meeting=m, token=seated.checkin_token)
    assert {ra.pk, rb.pk} == {seated.pk, waiting.pk}


def test_topic_is_scheduled_then_decided_when_minutes_are_published(hall, people, tree):
    c, chair = hall
    topic = Topic.objects.create(council=c, title="楼顶漏水", body="顶楼漏水", region=tree.community_a1)
    m = _draft(c, chair, capacity=0, kind=MeetingKind.COORDINATION)
    item = services.add_agenda_item(by=chair, meeting=m, title="楼顶防水维修", topic=topic)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SCHEDULED
    m = services.announce_meeting(by=chair, meeting=m)
    m = services.close_registration(by=chair, meeting=m)
    with pytest.raises(DomainError) as refused:
        services.hold_meeting(by=chair, meeting=m)  # a meeting still to come cannot be recorded as held
    assert refused.value.code == "not_started"
    m.refresh_from_db()
    assert m.status == MeetingStatus.REGISTRATION_CLOSED
    with time_machine.travel(m.starts_at + timedelta(minutes=30)):
        m = services.hold_meeting(by=chair, meeting=m)
    minutes = services.save_minutes(
        by=chair,
        meeting=m,
        body='<p onclick="x()">到会 12 人<script>alert(1)</script><a href="javascript:alert(1)">链接</a></p>',
        decisions={item.pk: "由物业在月底前完成防水"},
    )
    assert "script" not in minutes.body and "onclick" not in minutes.body and "javascript" not in minutes.body
    m = services.publish_minutes(by=chair, meeting=m)
    topic.refresh_from_db()
    assert m.status == S.MINUTES_PUBLISHED and topic.status == TopicStatus.DECIDED
    assert topic.decision_reason == "由物业在月底前完成防水"


def test_cancelling_puts_topics_back_in_the_queue_when_scheduled(hall, tree):
    c, chair = hall
    topic = Topic.objects.create(council=c, title="停车难", body="晚上没车位", region=tree.community_a1)
    m = _draft(c, chair)
    services.add_agenda_item(by=chair, meeting=m, title="停车", topic=topic)
    services.cancel_meeting(by=chair, meeting=m, reason="场地冲突")
    topic.refresh_from_db()
    assert topic.status == TopicStatus.QUEUED


def test_overdue_follow_up_is_chased_once_a_day_when_the_beat_runs(hall, people):
    c, chair = hall
    m = meeting(c, status=S.HELD, days_ahead=-10)
    action = services.add_follow_up(
        by=chair,
        meeting=m,
        what="清理楼道杂物",
        responsible="物业公司",
        responsible_user=people.resident,
        due_on=timezone.localdate() - timedelta(days=1),
        agenda_item=agenda_item(m),
    )
    assert services.chase_overdue_follow_ups() == 1
    assert services.chase_overdue_follow_ups() == 0
    assert Notification.objects.filter(recipient=people.resident, title__contains="清理楼道杂物").count() == 1
    services.complete_follow_up(by=chair, action=action)
    assert services.chase_overdue_follow_ups(timezone.localdate() + timedelta(days=1)) == 0


def _registration_timeline(registration):
    from django.contrib.contenttypes.models import ContentType

    from portal.core.models import TimelineEvent

    return list(
        TimelineEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(registration), object_id=registration.pk
        )
        .order_by("id")
        .values_list("from_status", "to_status", "actor_id")
    )


def test_the_draw_leaves_a_timeline_entry_on_every_registration(hall, tree):
    c, chair = hall
    m = services.announce_meeting(by=chair, meeting=_draft(c, chair, capacity=2))
    for user in _residents(tree, 5):
        services.register(by=user, meeting=m)
    m = services.close_registration(by=chair, meeting=m)
    registrations = list(m.registrations.order_by("lottery_rank"))
    assert [r.status for r in registrations] == [R.CONFIRMED] * 2 + [R.WAITLISTED] * 3
    assert [r.waitlist_position for r in registrations] == [None, None, 1, 2, 3]
    for registration in registrations:
        assert _registration_timeline(registration) == [
            ("", R.REGISTERED, registration.user_id),
            (R.REGISTERED, registration.status, chair.pk),
        ]
        assert registration.confirmed_at is not None if registration.status == R.CONFIRMED else True


def test_confirming_everyone_when_not_oversubscribed_leaves_timeline_entries(hall, tree):
    c, chair = hall
    m = services.announce_meeting(by=chair, meeting=_draft(c, chair, capacity=5))
    for user in _residents(tree, 2):
        services.register(by=user, meeting=m)
    m = services.close_registration(by=chair, meeting=m)
    for registration in m.registrations.all():
        assert registration.confirmed_at is not None
        assert _registration_timeline(registration)[-1] == (R.REGISTERED, R.CONFIRMED, chair.pk)
