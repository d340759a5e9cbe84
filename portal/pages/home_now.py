"""What a resident can take part in today, for the home page: from the records themselves.

Projects short of money (soonest deadline first), topics collecting supports (newest first: a
support does not purge the cached home page, so no count is shown there) and open votes (closing
soonest first): a few of each, one query per list. The home pages are purged when any of them
changes status (`subscribe`), so the anonymous page cache never shows a closed vote as open.
"""

from django.db.models import F
from django.utils import timezone

from portal.core import events

SHOWN = 3
# Status moves that change what is listed here; project moves and money are purged already
# (portal.pages.signals: the home pages show every project's total in their counters).
LISTED_LABELS = {"topics.topic", "votes.vote"}


def projects_short_of_money(limit=SHOWN):
    from marketplace.projects.filters import with_gap
    from marketplace.projects.models import Project, ProjectStatus

    # The project list's own "still needs funding" expression (target, else budget, less what is raised).
    return list(
        with_gap(Project.objects.filter(status=ProjectStatus.PUBLISHED, wants_funds=True))
        .filter(gap__gt=0)
        .exclude(funding_deadline__lte=timezone.now())
        .select_related("region")
        .order_by("funding_deadline", "id")[:limit]
    )


def topics_collecting(limit=SHOWN):
    from deliberation.topics.models import Topic, TopicStatus

    return list(
        Topic.objects.filter(status=TopicStatus.COLLECTING)
        .select_related("council")
        .order_by("-created_at", "-id")[:limit]
    )


def open_votes(limit=SHOWN):
    from deliberation.votes.models import Vote, VoteStatus

    return list(
        Vote.objects.filter(status=VoteStatus.OPEN)
        .select_related("council")
        .order_by(F("closes_at").asc(nulls_last=True), "-opened_at", "-id")[:limit]
    )


def ends(projects, votes):
    """When the lists change on their own: a listed project's deadline or a listed vote's close."""
    return [p.funding_deadline for p in projects] + [v.closes_at for v in votes]


def purge_home_pages(event):
    if event.label in LISTED_LABELS:
        from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache

        from .models import HomePage

        purge_pages_from_cache(list(HomePage.objects.all()))


def subscribe():
    events.subscribe("status.moved", purge_home_pages)
