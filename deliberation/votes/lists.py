"""Lists of votes: every vote a reader may see (open ones first), and the votes I am entitled to."""

from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import render

from portal.core.paging import lookahead_page

from .models import Channel, Elector, Participation, Vote, VoteStatus

PAGE_SIZE = 30


def vote_list(request):
    """Open votes first (closing soonest), then the others newest first; drafts only for their staff."""
    status = request.GET.get("status", "")
    votes = Vote.objects.visible_to(request.user).select_related("council", "result")
    if status in VoteStatus.values:
        votes = votes.filter(status=status)
    votes = votes.annotate(
        open_first=Case(When(status=VoteStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("open_first", "-created_at", "-id")
    page = lookahead_page(votes, request.GET.get("page"), PAGE_SIZE)
    return render(request, "votes/vote_list.html", {"page": page, "status": status, "statuses": VoteStatus.choices})


@login_required
def my_votes(request):
    """Every vote I am in the electorate of: whether (and how) I voted, and where to check my receipt."""
    electors = (
        Elector.objects.filter(user=request.user)
        .select_related("vote__council", "vote__result")
        .order_by("-vote__created_at", "-vote_id")
    )
    page = lookahead_page(electors, request.GET.get("page"), PAGE_SIZE)
    took_part = dict(
        Participation.objects.filter(elector__in=[e.pk for e in page]).values_list("elector_id", "channel")
    )
    rows = [{"vote": e.vote, "channel": Channel(took_part[e.pk]).label if e.pk in took_part else None} for e in page]
    return render(request, "votes/my_votes.html", {"page": page, "rows": rows})
