"""Votes: the only place a vote, its electorate, its ballots and its result change.

draft → open (the chair; the electorate is frozen into rows) → closed (the chair, or the beat
job once `closes_at` has passed; the result is counted from the ballot rows and stored);
draft | open → cancelled (the chair, with a reason).

Casting holds the vote row in share mode (PostgreSQL `FOR SHARE`) while it writes, and the
close takes it for update: a ballot either commits before the count or sees the vote closed.
Voters do not wait for each other; the participation row's unique constraint is what refuses
a second ballot, whatever the channel. Nothing here logs what anyone chose.

A secret ballot goes into the vote's sealed box while it is open (`seal.py`); the close opens the
box, shuffles it and writes the ballots out in one batch, in the transaction that counts them. On a
secret vote, paper ballots are entered from the box as a batch once the paper desk is closed.
Issuing a voting code and marking a paper voter are audited (who, for whom; never a choice).
"""

import hashlib
import secrets
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deliberation.councils.roles import is_chair
from deliberation.topics import services as topic_services
from deliberation.topics.models import TopicStatus
from portal.audit.services import record_action
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted, Workflow
from portal.notifications.services import notify
from portal.phases import services as phases
from portal.phases.models import Phase

from . import counting, seal
from .models import (
    VOTE_TRANSITIONS,
    Ballot,
    BallotKind,
    Channel,
    Elector,
    ElectorateKind,
    Option,
    PaperBallotCount,
    Participation,
    QuestionKind,
    SealedBallot,
    Threshold,
    Vote,
    VoteResult,
    VoteStatus,
    VotingCode,
    new_receipt_code,
    receipt_hash,
)

V = VoteStatus
# A vote may also have voting windows (portal.phases of this kind, e.g. two evenings): ballots only inside one.
VOTING_PHASE = "vote"
FOR_AGAINST_OPTIONS = [
    (counting.FOR, gettext_lazy("For")),
    (counting.AGAINST, gettext_lazy("Against")),
    (counting.ABSTAIN, gettext_lazy("Abstain")),
]
MAX_OPTIONS = 30
# Electorates this large are told of the vote where they follow it, not one message each.
NOTIFY_ELECTORS_UP_TO = 500

vote_workflow = Workflow(
    model=Vote,
    transitions=VOTE_TRANSITIONS,
    stamps={V.OPEN: "opened_at", V.CLOSED: "closed_at", V.CANCELLED: "cancelled_at"},
    audit="vote",
)


# --- drafting ---------------------------------------------------------------


@transaction.atomic
def create_vote(
    *,
    by,
    question,
    kind,
    electorate,
    agenda_item=None,
    topic=None,
    options=(),
    max_choices=1,
    ballot=BallotKind.OPEN,
    quorum_count=0,
    quorum_percent=0,
    threshold=Threshold.SIMPLE,
    allow_change=False,
    closes_at=None,
):
    """Draft a vote on an agenda item or, online, on a topic. For/against questions get their three options."""
    if (agenda_item is None) == (topic is None):
        raise DomainError(_("A vote is on one agenda item or on one topic."), code="subject")
    council = agenda_item.meeting.council if agenda_item is not None else topic.council
    if by is not None and not is_chair(by, council):
        raise NotPermitted(_("Only the council's chair or staff of its area can set up a vote."))
    if electorate == ElectorateKind.PRESENT and agenda_item is None:
        raise DomainError(_("Only a meeting has members present: choose another electorate."), code="electorate")
    if not question.strip():
        raise DomainError(_("Enter the question."), code="question")
    if not 0 <= quorum_percent <= 100:
        raise DomainError(_("The quorum share is between 0 and 100 %."), code="quorum")
    if closes_at is not None and closes_at <= timezone.now():
        raise DomainError(_("The closing time must be in the future."), code="closes_at")
    labels = [str(label).strip() for label in options if str(label).strip()]
    if kind == QuestionKind.CHOICES:
        if len(labels) < 2 or len(labels) > MAX_OPTIONS:
            raise DomainError(_("Give between 2 and %(n)d choices.") % {"n": MAX_OPTIONS}, code="options")
        if len(set(labels)) != len(labels):
            raise DomainError(_("Each choice must be different."), code="options")
        if not 1 <= max_choices <= len(labels):
            raise DomainError(_("Voters may select between one and all of the choices."), code="max_choices")
    else:
        max_choices = 1
    vote = Vote.objects.create(
        council=council,
        agenda_item=agenda_item,
        topic=topic,
        question=question.strip(),
        kind=kind,
        max_choices=max_choices,
        electorate=electorate,
        ballot=ballot,
        quorum_count=quorum_count,
        quorum_percent=quorum_percent,
        threshold=threshold,
        allow_change=allow_change,
        closes_at=closes_at,
        created_by=by if getattr(by, "pk", None) else None,
    )
    if kind == QuestionKind.FOR_AGAINST:
        Option.objects.bulk_create(
            Option(vote=vote, order=i, label=str(label), role=role)
            for i, (role, label) in enumerate(FOR_AGAINST_OPTIONS)
        )
    else:
        Option.objects.bulk_create(Option(vote=vote, order=i, label=label) for i, label in enumerate(labels))
    vote_workflow.start(vote, by=by)
    return vote


# --- the electorate, frozen at the opening ------------------------------------


# Who is present at an agenda item's meeting: `present(vote)` -> [(user id, None, name)]. The meetings
# app (above this one) registers it from its AppConfig.ready with `count_present_with`.
_present = []


def count_present_with(present):
    _present[:] = [present]


def _electorate_rows(vote):
    """(user id, council member, name) of everyone entitled to vote now."""
    from deliberation.councils.models import CouncilMember
    from portal.accounts.models import Role, RoleAssignment
    from portal.regions.models import subtree_q

    if vote.electorate == ElectorateKind.PRESENT:
        return _present[0](vote)
    if vote.electorate == ElectorateKind.MEMBERS:
        members = CouncilMember.objects.serving(timezone.localdate()).filter(council_id=vote.council_id)
        return [(m.user_id, m, m.name) for m in members]
    residents = (
        RoleAssignment.objects.filter(subtree_q([vote.council.region]), role=Role.RESIDENT, verified_at__isnull=False)
        .values_list("user_id", "user__display_name", "user__username")
        .order_by("user_id")
    )
    return [(user_id, None, display or username) for user_id, display, username in residents]


def _freeze_electorate(vote):
    seen = set()
    rows = []
    for user_id, member, name in _electorate_rows(vote):
        if user_id is not None:
            if user_id in seen:
                continue  # one vote per person, however many seats or residences
            seen.add(user_id)
        rows.append(Elector(vote=vote, user_id=user_id, member=member, name=name[:80]))
    Elector.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _check_topic_may_be_voted(topic):
    """An online vote decides a topic waiting for the council: not one still collecting support (it has not
    reached the council's threshold), nor one on a meeting's agenda or already settled."""
    if topic.status == TopicStatus.COLLECTING:
        raise DomainError(
            _(
                "This topic is still collecting support (%(count)d of %(needed)d): it can be put to a vote once it "
                "reaches the council's threshold."
            )
            % {"count": topic.support_count, "needed": topic.council.support_threshold},
            code="topic_collecting",
        )
    if topic.status != TopicStatus.QUEUED:
        raise DomainError(
            _("Only a topic waiting for the council can be put to an online vote (this one is: %(status)s).")
            % {"status": topic.get_status_display()},
            code="topic_status",
        )


@transaction.atomic
def open_vote(*, by, vote):
    """The chair opens the vote: the electorate is frozen now; electors with an account are told."""

    def apply(v, now):
        if v.closes_at is not None and v.closes_at <= now:
            raise DomainError(_("The closing time has passed: set a later one first."), code="closes_at")
        if v.topic_id:
            _check_topic_may_be_voted(v.topic)
        if not _freeze_electorate(v):
            raise DomainError(_("Nobody is entitled to vote yet (check who is present)."), code="empty_electorate")

    def after(v, previous):
        if v.electors.count() > NOTIFY_ELECTORS_UP_TO:
            return
        users = [e.user for e in v.electors.select_related("user") if e.user_id]
        from .messages import OPENED

        notify(users=users, message=OPENED, params={"question": v.question}, url=v.get_absolute_url())

    return vote_workflow.move(vote, to=V.OPEN, by=by, perm="votes.manage_vote", apply=apply, after=after)


# --- casting ---------------------------------------------------------------------


def _hold_open(vote):
    """Re-read the vote holding its row against the close (shared, so voters do not queue), and check it is open."""
    if connection.vendor == "postgresql":
        held = Vote.objects.raw(f"SELECT * FROM {Vote._meta.db_table} WHERE id = %s FOR SHARE", [vote.pk])[0]
    else:
        held = Vote.objects.select_for_update().get(pk=vote.pk)
    if held.status != V.OPEN:
        raise DomainError(_("This vote is not open."), code="not_open")
    if held.closes_at is not None and timezone.now() >= held.closes_at:
        raise DomainError(_("Voting has closed."), code="closed")
    if Phase.objects.of(held).filter(kind=VOTING_PHASE).exists() and not phases.is_open(held, VOTING_PHASE):
        raise DomainError(_("Voting is not open at this time (see the voting window)."), code="outside_window")
    return held


def _clean_choices(vote, choices):
    """The chosen option ids, checked against the vote's options and its limits; sorted."""
    valid = set(Option.objects.filter(vote_id=vote.pk).values_list("pk", flat=True))
    try:
        chosen = sorted({int(c) for c in choices})
    except (TypeError, ValueError):
        raise DomainError(_("Choose among the options."), code="choices") from None
    if not set(chosen) <= valid:
        raise DomainError(_("Choose among the options."), code="choices")
    if vote.kind == QuestionKind.FOR_AGAINST and len(chosen) != 1:
        raise DomainError(_("Choose for, against or abstain."), code="choices")
    if len(chosen) > vote.max_choices:
        raise DomainError(_("Choose at most %(n)d options.") % {"n": vote.max_choices}, code="too_many_choices")
    return chosen


def _first_participation(vote, elector, channel):
    """Record that the elector takes part; False when they already have (the constraint decides, so two
    submissions racing each other cannot both pass)."""
    try:
        with transaction.atomic():
            Participation.objects.create(vote=vote, elector=elector, channel=channel)
    except IntegrityError:
        return False
    return True


def _participate(vote, elector, channel):
    if not _first_participation(vote, elector, channel):
        raise DomainError(_("A ballot has already been counted for this voter."), code="already_voted")


def _new_ballot(vote, elector, chosen):
    """Store a ballot and return its receipt code (shown once; only its hash is kept).

    A secret ballot goes into the sealed box: nothing readable in the database says what it is
    until the close, and nothing then says when it was cast."""
    code = new_receipt_code()
    if vote.is_secret:
        SealedBallot.objects.create(
            vote=vote,
            lookup=seal.lookups(vote.pk, code)[0] if vote.allow_change else None,
            sealed=seal.seal(vote.pk, receipt_hash(vote.pk, code), chosen),
        )
        return code
    Ballot.objects.create(vote=vote, elector=elector, receipt_hash=receipt_hash(vote.pk, code), choices=chosen)
    return code


def _change_ballot(vote, elector, chosen, receipt):
    if not vote.allow_change:
        raise DomainError(
            _("You have already voted; this vote does not allow changing a ballot."), code="already_voted"
        )
    if vote.is_secret:
        # Nothing links a secret ballot to its voter: the receipt code is what finds it in the sealed box.
        if not receipt:
            raise DomainError(_("Enter your receipt code to change your secret ballot."), code="receipt_needed")
        sealed = (
            SealedBallot.objects.select_for_update()
            .filter(vote=vote, lookup__in=seal.lookups(vote.pk, receipt))
            .first()
        )
        if sealed is None:
            # A ballot cast before the sealed box existed (a vote open across the upgrade) is still a Ballot row.
            ballot = (
                Ballot.objects.select_for_update()
                .filter(vote=vote, elector=None, receipt_hash=receipt_hash(vote.pk, receipt))
                .first()
            )
            if ballot is None:
                raise DomainError(_("This receipt code does not match a ballot of this vote."), code="receipt")
            ballot.choices = chosen
            ballot.save(update_fields=["choices"])
            return receipt
        sealed.lookup = seal.lookups(vote.pk, receipt)[0]
        sealed.sealed = seal.seal(vote.pk, receipt_hash(vote.pk, receipt), chosen)
        sealed.save(update_fields=["lookup", "sealed"])
        return receipt
    ballot = Ballot.objects.select_for_update().get(vote=vote, elector=elector)
    ballot.choices = chosen
    ballot.save(update_fields=["choices"])
    return None


@transaction.atomic
def cast_ballot(*, by, vote, choices, receipt=""):
    """An elector votes online. Returns the receipt code (None when an open ballot was changed).

    A second ballot is refused, or replaces the first where the vote allows changes (a secret
    ballot is found by its receipt code, which only the voter has).
    """
    if not getattr(by, "is_authenticated", False):
        raise NotPermitted(_("Log in to vote."))
    vote = _hold_open(vote)
    elector = Elector.objects.filter(vote=vote, user=by).first()
    if elector is None:
        raise NotPermitted(_("You are not in this vote's electorate."))
    chosen = _clean_choices(vote, choices)
    if not _first_participation(vote, elector, Channel.ONLINE):
        return _change_ballot(vote, elector, chosen, receipt)
    return _new_ballot(vote, elector, chosen)


def _check_chair(by, vote, perm):
    if by is not None and not by.has_perm(perm, vote):
        raise NotPermitted()


def _elector_of(vote, elector):
    if elector is None or elector.vote_id != vote.pk:
        raise DomainError(_("Choose someone in this vote's electorate."), code="elector")
    return elector


def _paper_desk(vote):
    """The vote's paper desk, locked: two clerks cannot both fill the last slot or race its closing."""
    PaperBallotCount.objects.get_or_create(vote=vote)
    return PaperBallotCount.objects.select_for_update().get(vote=vote)


def _audit_elector(by, action, vote, elector):
    # Who did it, for whom, on which vote: never a choice, and nothing written when a ballot is cast.
    record_action(by=by, action=action, target=elector, after={"vote": vote.pk, "elector": elector.name})


@transaction.atomic
def record_paper_voter(*, by, vote, elector):
    """Staff mark that an elector took a paper ballot: they can no longer vote online or by code.

    On a secret vote, only while the paper desk is open: the box is entered after it closes."""
    vote = _hold_open(vote)
    _check_chair(by, vote, "votes.record_paper_ballot")
    elector = _elector_of(vote, elector)
    if vote.is_secret and _paper_desk(vote).desk_closed:
        raise DomainError(_("The paper desk is closed: no more paper voters can be marked."), code="desk_closed")
    _participate(vote, elector, Channel.PAPER)
    _audit_elector(by, "vote.paper_voter_marked", vote, elector)
    return elector


def _require_secret(vote):
    """The paper desk and its batch exist for secret votes only (an open ballot is entered with its voter)."""
    if not vote.is_secret:
        raise DomainError(
            _("Only a secret vote has a paper desk to close: enter open paper ballots with their voter."),
            code="not_secret",
        )


@transaction.atomic
def close_paper_desk(*, by, vote):
    """Secret vote: no more paper voters are marked; the box's ballots can now be entered as a batch."""
    vote = _hold_open(vote)
    _check_chair(by, vote, "votes.record_paper_ballot")
    _require_secret(vote)
    desk = _paper_desk(vote)
    if desk.desk_closed:
        raise DomainError(_("The paper desk is already closed."), code="desk_closed")
    desk.desk_closed = True
    desk.save(update_fields=["desk_closed"])
    marked = Participation.objects.filter(vote=vote, channel=Channel.PAPER).count()
    record_action(by=by, action="vote.paper_desk_closed", target=vote, after={"paper_voters": marked})
    return marked


def paper_ballots_left(vote):
    """Paper voters marked whose ballots are not entered yet."""
    desk = PaperBallotCount.objects.filter(vote=vote).first()
    marked = Participation.objects.filter(vote=vote, channel=Channel.PAPER).count()
    return marked - (desk.entered if desk else 0)


@transaction.atomic
def enter_paper_ballots(*, by, vote, batch):
    """Secret vote, paper desk closed: enter the box's ballots as one batch. Returns how many.

    `batch` is a list of (chosen option ids, how many ballots chose exactly these): one entry per
    option for a single-choice vote, an empty list of ids for blank ballots. Never more than the
    paper voters marked; the batch goes into the sealed box in a shuffled order, without receipts
    anyone holds (the slips are the paper record).
    """
    vote = _hold_open(vote)
    _check_chair(by, vote, "votes.record_paper_ballot")
    _require_secret(vote)
    desk = _paper_desk(vote)
    if not desk.desk_closed:
        raise DomainError(
            _("Close the paper desk first: the box is entered as a batch once no more paper voters are marked."),
            code="desk_open",
        )
    ballots = []
    for choices, count in batch:
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise DomainError(_("Give each number of ballots as a whole number, 0 or more."), code="count")
        chosen = _clean_choices(vote, choices)
        ballots += [chosen] * count
    if not ballots:
        raise DomainError(_("Enter at least one ballot."), code="empty_batch")
    marked = Participation.objects.filter(vote=vote, channel=Channel.PAPER).count()
    left = marked - desk.entered
    if len(ballots) > left:
        raise DomainError(
            _("This batch has %(n)d ballots but only %(left)d paper voters are left to enter: count the box again.")
            % {"n": len(ballots), "left": left},
            code="too_many_paper_ballots",
        )
    secrets.SystemRandom().shuffle(ballots)
    SealedBallot.objects.bulk_create(
        SealedBallot(vote=vote, sealed=seal.seal(vote.pk, receipt_hash(vote.pk, new_receipt_code()), chosen))
        for chosen in ballots
    )
    desk.entered += len(ballots)
    desk.save(update_fields=["entered"])
    record_action(by=by, action="vote.paper_ballots_entered", target=vote, after={"ballots": len(ballots)})
    return len(ballots)


@transaction.atomic
def record_paper_ballot(*, by, vote, choices, elector=None):
    """Staff enter one paper ballot. Returns its receipt code on an open vote (to write on the slip).

    On an open vote, name the elector and both are recorded at once. On a secret vote the ballot is
    entered apart from the voter and only once the paper desk is closed (`close_paper_desk`): a batch of
    one (`enter_paper_ballots`); returns None.
    """
    vote = _hold_open(vote)
    _check_chair(by, vote, "votes.record_paper_ballot")
    chosen = _clean_choices(vote, choices)
    if vote.is_secret:
        enter_paper_ballots(by=by, vote=vote, batch=[(chosen, 1)])
        return None
    elector = _elector_of(vote, elector)
    _participate(vote, elector, Channel.PAPER)
    _audit_elector(by, "vote.paper_voter_marked", vote, elector)
    return _new_ballot(vote, elector, chosen)


@transaction.atomic
def issue_voting_code(*, by, vote, elector):
    """Staff give an elector a one-time code to vote in the room without an account. Returns the code (shown once)."""
    vote = _hold_open(vote)
    _check_chair(by, vote, "votes.issue_voting_code")
    elector = _elector_of(vote, elector)
    if Participation.objects.filter(elector=elector).exists():
        raise DomainError(_("%(name)s has already voted.") % {"name": elector.name}, code="already_voted")
    code = new_receipt_code()
    try:
        with transaction.atomic():
            VotingCode.objects.create(
                vote=vote, elector=elector, code_hash=_code_hash(vote, code), issued_by=by if by else None
            )
    except IntegrityError:
        raise DomainError(
            _("%(name)s already has a voting code.") % {"name": elector.name}, code="code_issued"
        ) from None
    _audit_elector(by, "vote.voting_code_issued", vote, elector)
    return code


def _code_hash(vote, code):
    return hashlib.sha256(f"code:{vote.pk}:{code.strip().upper()}".encode()).hexdigest()


@transaction.atomic
def cast_with_code(*, vote, code, choices):
    """Vote with a one-time code (no account): the code is used up, its elector marked. Returns the receipt code."""
    vote = _hold_open(vote)
    chosen = _clean_choices(vote, choices)
    voting_code = (
        VotingCode.objects.select_for_update().filter(vote=vote, code_hash=_code_hash(vote, code or "")).first()
    )
    if voting_code is None or voting_code.used:
        raise DomainError(_("This voting code is not valid or has been used."), code="code")
    voting_code.used = True
    voting_code.save(update_fields=["used"])
    _participate(vote, voting_code.elector, Channel.CODE)
    return _new_ballot(vote, voting_code.elector, chosen)


# --- closing and counting ----------------------------------------------------


def tally(vote):
    """Count the vote's ballot rows (the stored result is this, made at the close)."""
    electorate_size = vote.electors.count()
    options = list(vote.options.order_by("order").values_list("pk", "role"))
    ballots = list(vote.ballots.values_list("choices", flat=True))
    return counting.count(
        kind=vote.kind,
        options=options,
        ballots=ballots,
        electorate_size=electorate_size,
        quorum_required=vote.quorum_required(electorate_size),
        threshold=vote.threshold,
        max_choices=vote.max_choices,
    )


@contextmanager
def _secure_delete():
    """On SQLite, deleted rows are overwritten with zeros instead of left in free pages."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA secure_delete = ON")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA secure_delete = {int(previous)}")


def sweep_the_box():
    """After a box is destroyed (on commit) and on every beat run: leave no dead sealed rows in their casting
    order. PostgreSQL: VACUUM the sealed table (FULL, rewriting it, when no other secret vote is open; a dead
    row that a transaction still open elsewhere can see survives until the next sweep); SQLite: the
    write-ahead log checkpointed and truncated (deleted rows are zeroed by `secure_delete`). Skipped inside a
    transaction, where VACUUM cannot run (a test's wrapping transaction): the next sweep does it."""
    if connection.in_atomic_block:
        return
    table = connection.ops.quote_name(SealedBallot._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            empty = not SealedBallot.objects.exists()
            cursor.execute(f"VACUUM {'FULL ' if empty else ''}{table}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _destroy_the_box(vote):
    if not vote.is_secret:
        return
    with _secure_delete():
        SealedBallot.objects.filter(vote=vote).delete()
    transaction.on_commit(sweep_the_box)


def _open_the_box(vote):
    """At the close, in the counting transaction: the sealed ballots, opened, shuffled (`secrets`) and written
    out in one batch with random ids and no timestamps; then the sealed rows are destroyed."""
    if not vote.is_secret:
        return
    unseal = seal.Unsealer(vote.pk)
    ballots = []
    for sealed in SealedBallot.objects.filter(vote=vote).values_list("sealed", flat=True).iterator():
        hashed, chosen = unseal(sealed)
        ballots.append(Ballot(vote=vote, elector=None, receipt_hash=hashed, choices=chosen))
    secrets.SystemRandom().shuffle(ballots)
    Ballot.objects.bulk_create(ballots, batch_size=500)
    _destroy_the_box(vote)


@transaction.atomic
def close_vote(*, by, vote):
    """Close the vote (the chair, or the system once it is due) and store its result; electors are told."""

    def apply(v, now):
        _open_the_box(v)
        result = VoteResult.objects.create(vote=v, computed_at=now, **vars(tally(v)))
        if v.topic_id:
            topic_services.decide_topic_by_vote(v.topic, by=by, vote=v, result=result)

    def after(v, previous):
        if v.electors.count() > NOTIFY_ELECTORS_UP_TO:
            return
        users = [e.user for e in v.electors.select_related("user") if e.user_id]
        from .messages import RESULT

        notify(users=users, message=RESULT, params={"question": v.question}, url=v.get_absolute_url())

    return vote_workflow.move(vote, to=V.CLOSED, by=by, perm="votes.manage_vote", apply=apply, after=after)


@transaction.atomic
def cancel_vote(*, by, vote, reason):
    if not reason.strip():
        raise DomainError(_("Say why the vote is cancelled."), code="reason")

    def apply(v, now):
        v.cancel_reason = reason.strip()
        _destroy_the_box(v)  # never counted, never opened

    return vote_workflow.move(vote, to=V.CANCELLED, by=by, perm="votes.manage_vote", note=reason, apply=apply)


def close_due_votes(now=None):
    """Close every open vote whose closing time has passed (the beat job). Returns how many."""
    now = now or timezone.now()
    closed = 0
    for vote in Vote.objects.filter(status=V.OPEN, closes_at__lte=now).only("pk"):
        close_vote(by=None, vote=vote)
        closed += 1
    sweep_the_box()
    return closed


def published_ballots(vote):
    """After the close: every ballot's receipt hash and choices (and, on an open ballot, the voter's name)."""
    if vote.status != V.CLOSED:
        return []
    labels = {option.pk: str(option.display_label) for option in vote.options.all()}
    rows = vote.ballots.order_by("receipt_hash")
    if not vote.is_secret:
        rows = rows.select_related("elector")
    return [
        {
            "receipt_hash": b.receipt_hash,
            "choices": [labels.get(c, "") for c in b.choices],
            "voter": (b.elector.name if b.elector_id else "") if not vote.is_secret else "",
        }
        for b in rows
    ]
