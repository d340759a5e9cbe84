from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.core import why_not
from portal.core.errors import DomainError

from . import limits, services
from .actions import VOTE_ACTIONS
from .forms import BallotForm, CodeBallotForm, ElectorForm, PaperBallotForm, PaperBatchForm
from .models import Option, PaperBallotCount, Participation, Vote, VoteStatus


def _vote(request, pk):
    vote = get_object_or_404(
        Vote.objects.select_related("council__region", "agenda_item__meeting", "topic", "result").prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("order"))
        ),
        pk=pk,
    )
    if not request.user.has_perm("votes.view_vote", vote):
        raise Http404
    return vote


def result_rows(vote):
    """Each option with its count, and whether it was carried; None before the close."""
    result = getattr(vote, "result", None) if vote.status == VoteStatus.CLOSED else None
    if result is None:
        return None
    carried = set(result.carried_options)
    return [
        {"label": o.display_label, "count": result.counts.get(str(o.pk), 0), "carried": o.pk in carried}
        for o in vote.options.all()
    ]


def _results(vote):
    rows = result_rows(vote)
    return (vote.result, rows) if rows is not None else (None, [])


def _my_participation(vote, user):
    if not user.is_authenticated:
        return None
    return Participation.objects.filter(vote=vote, elector__user=user).only("channel").first()


def _why_not_vote(request, vote):
    """Why there is no ballot for this reader on an open vote."""
    if vote.status != VoteStatus.OPEN:
        return None
    if not request.user.is_authenticated:
        return why_not.log_in(request, _("Log in to vote, if you are in this vote's electorate."))
    return why_not.because(
        _("Only the electorate fixed when voting opened may vote (%(who)s); you are not in it.")
        % {"who": vote.get_electorate_display()}
    )


def vote_detail(request, pk):
    vote = _vote(request, pk)
    user = request.user
    result, rows = _results(vote)
    can_cast = user.has_perm("votes.cast_ballot", vote)
    voted = _my_participation(vote, user)
    available = VOTE_ACTIONS.available(vote, user)
    return render(
        request,
        "votes/vote_detail.html",
        {
            "vote": vote,
            "result": result,
            "rows": rows,
            "ballots": services.published_ballots(vote) if result else [],
            "form": BallotForm(vote=vote) if can_cast and (voted is None or vote.allow_change) else None,
            "voted": voted,
            "why_not": None if can_cast or voted is not None else _why_not_vote(request, vote),
            "available": available,
            "cancel_form": VOTE_ACTIONS["cancel"].form(prefix="cancel") if "cancel" in available else None,
            "can_desk": user.has_perm("votes.record_paper_ballot", vote),
        },
    )


vote_action = VOTE_ACTIONS.page_view(Vote)


@never_cache
@login_required
@require_POST
def cast_ballot(request, pk):
    """Cast (or change) one's ballot; the receipt code is shown on this answer only."""
    vote = _vote(request, pk)
    if not request.user.has_perm("votes.cast_ballot", vote):
        raise PermissionDenied
    form = BallotForm(request.POST, vote=vote)
    if form.is_valid():
        try:
            receipt = services.cast_ballot(
                by=request.user, vote=vote, choices=form.chosen(), receipt=form.cleaned_data.get("receipt", "")
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return render(request, "votes/vote_receipt.html", {"vote": vote, "receipt": receipt})
    result, rows = _results(vote)
    return render(
        request,
        "votes/vote_detail.html",
        {"vote": vote, "form": form, "rows": rows, "result": result, "available": set(), "ballots": []},
        status=400,
    )


@never_cache
def cast_with_code(request, pk):
    """Vote in the room with a one-time code, without an account."""
    vote = _vote(request, pk)
    if vote.status != VoteStatus.OPEN:
        raise Http404
    form = CodeBallotForm(request.POST or None, vote=vote)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            receipt = limits.cast_with_code(request, vote=vote, code=form.cleaned_data["code"], choices=form.chosen())
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            return render(request, "votes/vote_receipt.html", {"vote": vote, "receipt": receipt})
    if form.errors and status == 200:
        status = 400
    return render(request, "votes/vote_code.html", {"vote": vote, "form": form}, status=status)


def vote_room(request, pk):
    """The screen in the room: large type, refreshes itself; turnout while open, the result once closed."""
    vote = _vote(request, pk)
    result, rows = _results(vote)
    return render(
        request,
        "votes/vote_room.html",
        {
            "vote": vote,
            "result": result,
            "rows": rows,
            "turnout": vote.participations.count(),
            "electorate": vote.electors.count(),
        },
    )


def _desk_context(vote, **extra):
    electors = vote.electors.select_related("participation").order_by("name")
    desk = PaperBallotCount.objects.filter(vote=vote).first()
    closed = bool(desk and desk.desk_closed)
    return {
        "vote": vote,
        "electors": electors,
        "desk_closed": closed,
        "paper_left": services.paper_ballots_left(vote) if vote.is_secret else 0,
        "voter_form": ElectorForm(vote=vote, prefix="voter"),
        "paper_form": PaperBallotForm(vote=vote, prefix="paper"),
        "batch_form": PaperBatchForm(vote=vote, prefix="batch") if vote.is_secret and closed else None,
        "code_form": ElectorForm(vote=vote, prefix="code"),
        **extra,
    }


@never_cache
@login_required
def vote_desk(request, pk):
    """Staff in the room: who has voted (never what), paper ballots, one-time codes."""
    vote = _vote(request, pk)
    if not request.user.has_perm("votes.record_paper_ballot", vote):
        raise PermissionDenied
    return render(request, "votes/vote_desk.html", _desk_context(vote))


DESK_FORMS = {"voter": ElectorForm, "paper": PaperBallotForm, "code": ElectorForm, "batch": PaperBatchForm}


@never_cache
@login_required
@require_POST
def desk_action(request, pk, action):
    """The desk's forms: mark a paper voter, enter a paper ballot (open vote), give a code; on a secret vote,
    close the paper desk and enter the box as a batch."""
    vote = _vote(request, pk)
    if action not in {*DESK_FORMS, "close"}:
        raise Http404
    perm = "votes.issue_voting_code" if action == "code" else "votes.record_paper_ballot"
    if not request.user.has_perm(perm, vote):
        raise PermissionDenied
    if action == "close":
        try:
            marked = services.close_paper_desk(by=request.user, vote=vote)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("The paper desk is closed with %(n)d paper voters marked: count the box and enter it as a batch.")
                % {"n": marked},
            )
        return redirect("votes:desk", pk=vote.pk)
    form = DESK_FORMS[action](request.POST, vote=vote, prefix=action)
    shown = {}
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "voter":
                services.record_paper_voter(by=request.user, vote=vote, elector=data["elector"])
                messages.success(
                    request, _("%(name)s is marked as having taken a paper ballot.") % {"name": data["elector"].name}
                )
                return redirect("votes:desk", pk=vote.pk)
            if action == "batch":
                entered = services.enter_paper_ballots(by=request.user, vote=vote, batch=form.batch())
                messages.success(request, _("%(n)d paper ballots from the box are entered.") % {"n": entered})
                return redirect("votes:desk", pk=vote.pk)
            if action == "paper":
                shown["receipt"] = services.record_paper_ballot(
                    by=request.user, vote=vote, choices=form.chosen(), elector=data.get("elector")
                )
            else:
                shown["code"] = services.issue_voting_code(by=request.user, vote=vote, elector=data["elector"])
                shown["code_for"] = data["elector"].name
        except DomainError as exc:
            form.add_error(None, exc.message)
    context = _desk_context(vote, **shown)
    if form.errors:
        context[f"{action}_form"] = form
    return render(request, "votes/vote_desk.html", context, status=400 if form.errors else 200)


@login_required
def vote_create_for_topic(request, topic_pk):
    """The chair puts a topic to an online vote (of the council's members or of the area's residents)."""
    from deliberation.topics.models import Topic

    from .forms import VoteForm

    topic = get_object_or_404(Topic.objects.select_related("council__region"), pk=topic_pk)
    if not request.user.has_perm("votes.manage_vote", topic):
        raise PermissionDenied
    form = VoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vote = services.create_vote(by=request.user, topic=topic, **form.service_arguments())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The vote is ready; open it when you are ready."))
            return redirect(vote)
    return render(request, "votes/vote_form.html", {"topic": topic, "form": form})
