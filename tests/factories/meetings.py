"""Councils, meetings and votes for tests: built directly (the services are tested on their own)."""

from datetime import date, timedelta

from django.utils import timezone

from deliberation.councils.models import Council, CouncilLevel, CouncilMember, MemberRole
from deliberation.meetings.models import AgendaItem, Meeting, MeetingKind, MeetingStatus


def council(region, slug="jia-yi-council", name="甲一社区居民议事会", level=CouncilLevel.COMMUNITY):
    return Council.objects.get_or_create(slug=slug, defaults={"name": name, "level": level, "region": region})[0]


def seat(council, user=None, name="", role=MemberRole.RESIDENT_REPRESENTATIVE, since=None, until=None):
    return CouncilMember.objects.create(
        council=council,
        user=user,
        name=name or (user.display_name if user else "无账号委员"),
        role=role,
        term_start=since or date(2025, 1, 1),
        term_end=until,
    )


def meeting(council, status=MeetingStatus.ANNOUNCED, title="楼道堆物整治恳谈会", capacity=10, days_ahead=14, **fields):
    starts = timezone.now() + timedelta(days=days_ahead)
    values = {
        "kind": MeetingKind.LISTENING,
        "title": title,
        "description": "请居民一起商量楼道堆物怎么清。",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "place": "社区党群服务中心二楼",
        "capacity": capacity,
        "registration_closes_at": starts - timedelta(days=1),
        "status": status,
    }
    values.update(fields)
    return Meeting.objects.create(council=council, **values)


def agenda_item(meeting, title="楼道堆物清理方案", order=None, topic=None):
    order = order if order is not None else meeting.agenda_items.count() + 1
    return AgendaItem.objects.create(meeting=meeting, order=order, title=title, topic=topic)


def option(vote, name):
    """A vote's option by its role ("for", "against", "abstain") or its label."""
    if name in {"for", "against", "abstain"}:
        return vote.options.get(role=name)
    return vote.options.get(label=name)
