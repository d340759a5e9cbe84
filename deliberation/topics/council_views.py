from datetime import timedelta

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from deliberation.councils.models import COLLECT_TOPICS, Council
from portal.accounts.roles import residence
from portal.core.kept_views import keep_until, kept_for_anonymous
from portal.phases import services as phases

from .models import Topic, TopicStatus

SHOWN = 8


def council_list(request):
    councils = list(Council.objects.filter(is_active=True).select_related("region"))
    # A resident finds the councils that decide their community's affairs first: those of the community
    # they live in and of every area above it (street, district).
    home = residence(request.user) if request.user.is_authenticated else None
    mine = [c for c in councils if home is not None and c.region.contains(home)]
    return render(request, "councils/council_list.html", {"councils": councils, "mine": mine, "home": home})


@kept_for_anonymous
def council_detail(request, slug):
    council = get_object_or_404(Council.objects.select_related("region"), slug=slug, is_active=True)
    topics = Topic.objects.filter(council=council).select_related("category", "council")
    window, next_window = phases.current(council, COLLECT_TOPICS), phases.next_phase(council, COLLECT_TOPICS)
    # The collection window opens and closes by the clock; "today" turns at midnight.
    tomorrow = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    keep_until(request, getattr(window, "ends_at", None), getattr(next_window, "starts_at", None), tomorrow)
    context = {
        "council": council,
        "members": council.members.serving().select_related("organisation"),
        "window": window,
        "next_window": next_window,
        "top_topics": topics.filter(status__in=[TopicStatus.COLLECTING, TopicStatus.QUEUED]).order_by(
            "-support_count", "-id"
        )[:SHOWN],
        "recent_topics": topics.order_by("-created_at", "-id")[:SHOWN],
        "may_propose": request.user.has_perm("topics.add_topic", council),
        "today": timezone.localdate(),
    }
    return render(request, "councils/council_detail.html", context)
