"""For the council and topic pages (owned by the councils and topics apps): their meetings, decisions and
follow-up actions. `{% load meetings_tags %}{% council_meetings council %}` / `{% council_decisions council %}` /
`{% topic_meetings topic %}`."""

from django import template
from django.db.models import Prefetch

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


@register.inclusion_tag("meetings/includes/council_decisions.html")
def council_decisions(council, limit=10):
    """What the council decided, newest first: each agenda item's decision from published minutes, with its
    follow-up actions, and the topics decided by an online vote. Three queries whatever the history."""
    from deliberation.topics.models import Topic, TopicStatus

    from ..models import AgendaItem

    items = list(
        AgendaItem.objects.filter(meeting__council=council, decided_at__isnull=False)
        .exclude(decision="")
        .select_related("meeting", "topic")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUpAction.objects.order_by("due_on")))
        .order_by("-decided_at", "-id")[:limit]
    )
    by_vote = list(
        Topic.objects.filter(council=council, status=TopicStatus.DECIDED, agenda_items__isnull=True)
        .exclude(decision_reason="")
        .order_by("-decided_at", "-id")[:limit]
    )
    decisions = [{"at": i.decided_at, "item": i} for i in items] + [{"at": t.decided_at, "topic": t} for t in by_vote]
    decisions.sort(key=lambda d: d["at"], reverse=True)
    return {"decisions": decisions[:limit]}


@register.inclusion_tag("meetings/includes/topic_meetings.html")
def topic_meetings(topic):
    from ..models import PUBLIC_STATUSES

    items = topic.agenda_items.filter(meeting__status__in=PUBLIC_STATUSES).select_related("meeting")
    from deliberation.votes.models import Vote, VoteStatus

    follow_ups = FollowUpAction.objects.filter(agenda_item__topic=topic).order_by("due_on")
    votes = Vote.objects.filter(topic=topic).exclude(status=VoteStatus.DRAFT).order_by("-created_at")
    return {"items": items, "follow_ups": follow_ups, "votes": votes}
