"""Follow-up actions have their action table: done or dropped by the chair, on the minutes page and the API."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from deliberation.councils.models import MemberRole
from deliberation.meetings import services
from deliberation.meetings.actions import FOLLOW_UP_ACTIONS
from deliberation.meetings.models import FollowUpAction, FollowUpStatus, MeetingStatus
from portal.core.errors import DomainError
from portal.core.models import TimelineEvent
from portal.core.transitions import NotPermitted
from tests.factories import UserFactory
from tests.factories.meetings import council, meeting, seat

pytestmark = pytest.mark.django_db
F = FollowUpStatus


@pytest.fixture
def held(people, tree):
    c = council(tree.community_a1)
    chair = UserFactory(username="chair")
    seat(c, chair, role=MemberRole.CHAIR)
    m = meeting(c, status=MeetingStatus.HELD, days_ahead=-3)
    return m, chair


def _action(m, chair, what="清理楼道杂物"):
    return services.add_follow_up(
        by=chair, meeting=m, what=what, responsible="物业公司", due_on=timezone.localdate() + timedelta(days=7)
    )


def _timeline(action):
    return list(
        TimelineEvent.objects.filter(content_type=ContentType.objects.get_for_model(action), object_id=action.pk)
        .order_by("id")
        .values_list("from_status", "to_status", "note")
    )


def test_the_chair_completes_or_drops_with_a_reason_and_each_step_is_on_the_timeline(held, people):
    m, chair = held
    done, dropped = _action(m, chair), _action(m, chair, what="加装路灯")
    assert FOLLOW_UP_ACTIONS.available(done, chair) == {"complete", "drop"}
    assert FOLLOW_UP_ACTIONS.available(done, people.resident) == set()
    with pytest.raises(NotPermitted):
        services.complete_follow_up(by=people.resident, action=done)
    services.complete_follow_up(by=chair, action=done, note="已清理")
    with pytest.raises(DomainError):
        services.drop_follow_up(by=chair, action=dropped, reason=" ")
    services.drop_follow_up(by=chair, action=dropped, reason="预算不足")
    assert _timeline(done) == [("", F.OPEN, ""), (F.OPEN, F.DONE, "已清理")]
    assert _timeline(dropped) == [("", F.OPEN, ""), (F.OPEN, F.DROPPED, "预算不足")]
    done = FollowUpAction.objects.get(pk=done.pk)
    assert done.done_at is not None and FOLLOW_UP_ACTIONS.available(done, chair) == set()


def test_the_minutes_page_offers_the_actions_and_runs_them(held, client_for):
    m, chair = held
    action = _action(m, chair)
    client = client_for(chair)
    page = client.get(f"/meetings/{m.pk}/minutes/").content.decode()
    assert f"/meetings/follow-ups/{action.pk}/complete/" in page and f"/meetings/follow-ups/{action.pk}/drop/" in page
    response = client.post(f"/meetings/follow-ups/{action.pk}/drop/", {"drop-note": "已由街道统一处理"})
    assert response.status_code == 302
    assert FollowUpAction.objects.get(pk=action.pk).status == F.DROPPED
    page = client.get(f"/meetings/{m.pk}/minutes/").content.decode()
    assert f"/meetings/follow-ups/{action.pk}/" not in page  # nothing left to do


def test_the_api_completes_a_follow_up_for_the_chair_only(held, people, api_for):
    m, chair = held
    action = _action(m, chair)
    assert api_for(people.resident).post(f"/api/v1/follow-ups/{action.pk}/complete/", {}).status_code in (403, 404)
    response = api_for(chair).post(f"/api/v1/follow-ups/{action.pk}/complete/", {"note": "完成"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == F.DONE
    refused = api_for(chair).post(f"/api/v1/follow-ups/{action.pk}/drop/", {"note": "不做了"}, format="json")
    assert refused.status_code == 409
