"""For the council and topic pages (owned by the councils and topics apps): their meetings, decisions and
follow-up actions. `{% load meetings_tags %}{% council_meetings council %}` / `{% topic_meetings topic %}`."""

from django import template

from ..models import FollowUpAction, FollowUpStatus, Meeting

register = template.Library()


@register.inclusion_tag("meetings/includes/council_meetings.html")
def council_meetings(council, limit=10):
    meetings = Meeting.objects.public().filter(council=council).order_by("-starts_at")[:limit]
    follow_ups = (
        FollowUpAction.objects.filter(meeting__council=council, status=FollowUpStatus.OPEN)
        .select_related("meeting")
        .order_by("due_on")[:20]
    )
    return {"meetings": meetings, "follow_ups": follow_ups}


@register.inclusion_tag("meetings/includes/topic_meetings.html")
def topic_meetings(topic):
    from ..models import PUBLIC_STATUSES

    items = topic.agenda_items.filter(meeting__status__in=PUBLIC_STATUSES).select_related("meeting")
    from deliberation.votes.models import Vote, VoteStatus

    follow_ups = FollowUpAction.objects.filter(agenda_item__topic=topic).order_by("due_on")
    votes = Vote.objects.filter(topic=topic).exclude(status=VoteStatus.DRAFT).order_by("-created_at")
    return {"items": items, "follow_ups": follow_ups, "votes": votes}
