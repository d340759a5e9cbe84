"""Votes (表决): a question put to a frozen electorate, on an agenda item or online on a topic.

How a result is reached (shown on every vote page, see `counting_rules`):

- **Electorate.** Chosen when the vote is drafted — members present at the meeting (checked
  in), all serving council members, or every verified resident of the council's area — and
  *frozen* into `Elector` rows when the chair opens the vote: people who join, move or leave
  afterwards neither gain nor lose a vote.
- **Participation** is one row per elector who voted, online, by a one-time code or on
  paper; the database refuses a second, whatever the channel.
- **Quorum.** Participants (abstentions and blank ballots included) must reach the quorum: the
  larger of `quorum_count` and `quorum_percent` % of the electorate, rounded up.
- **Votes cast** are ballots that are not abstentions (for/against/abstain) or not blank
  (choices): **abstentions count for the quorum, not in the votes cast**.
- **Threshold.** simple majority: more than half the votes cast; absolute majority: more than
  half of the electorate; two-thirds: at least two thirds of the votes cast. On a
  for/against question, "for" must also beat "against".
- **Ties are not carried**: equal for and against is not a majority; among choices, options
  tied at the last place that would be carried are all not carried.

Secret ballots keep who voted apart from what was chosen: `Participation` names the elector;
while the vote is open the ballot itself is sealed (`SealedBallot`, encrypted with a key outside
the database, see `seal.py`), and at the close the box is opened, shuffled and written out in one
batch as `Ballot` rows with no elector, a random primary key and no timestamp, listed by receipt
hash. Paper ballots of a secret vote are entered as a batch from the box once the paper desk is
closed, never one by one beside the roll.
Every ballot has a receipt code shown once to the voter; only its hash is stored and, after
the close, published with the ballot's choices so anyone can check theirs was counted.
"""

import hashlib
import math
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.text import NOTE_TEXT


class VoteStatus(models.TextChoices):
    DRAFT = "draft", _("Not yet open")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


V = VoteStatus
VOTE_TRANSITIONS = {
    V.DRAFT: {V.OPEN, V.CANCELLED},
    V.OPEN: {V.CLOSED, V.CANCELLED},
    V.CLOSED: set(),
    V.CANCELLED: set(),
}


class QuestionKind(models.TextChoices):
    FOR_AGAINST = "for_against", _("For, against or abstain")
    CHOICES = "choices", _("Several choices")


class ElectorateKind(models.TextChoices):
    PRESENT = "present", _("Members present at the meeting")
    MEMBERS = "members", _("All serving council members")
    RESIDENTS = "residents", _("All verified residents of the council's area")


class BallotKind(models.TextChoices):
    OPEN = "open", _("Open ballot")
    SECRET = "secret", _("Secret ballot")


class Threshold(models.TextChoices):
    SIMPLE = "simple", _("Simple majority of votes cast")
    ABSOLUTE = "absolute", _("Absolute majority of the electorate")
    TWO_THIRDS = "two_thirds", _("Two-thirds of votes cast")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    CODE = "code", _("One-time voting code")
    PAPER = "paper", _("Paper ballot")


class VoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Votes past their draft for everyone; drafts for staff of the council's area."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
        from portal.regions.models import subtree_q

        visible = ~Q(status=V.DRAFT)
        if getattr(user, "is_authenticated", False):
            if user.is_superuser:
                return self.all()
            regions = scope_regions(user, ADMINISTRATIVE_ROLES)
            if regions:
                visible |= subtree_q(regions, field="council__region")
        return self.filter(visible)


class Vote(models.Model):
    council = models.ForeignKey(
        "councils.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="votes"
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
    )
    topic = models.ForeignKey(
        "topics.Topic", verbose_name=_("topic"), null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    question = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("question kind"), max_length=16, choices=QuestionKind.choices)
    max_choices = models.PositiveSmallIntegerField(_("most choices a voter may select"), default=1)
    electorate = models.CharField(_("who votes"), max_length=16, choices=ElectorateKind.choices)
    ballot = models.CharField(_("ballot"), max_length=8, choices=BallotKind.choices, default=BallotKind.OPEN)
    quorum_count = models.PositiveIntegerField(_("quorum (people)"), default=0)
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (percent of the electorate)"), default=0)
    threshold = models.CharField(_("threshold"), max_length=16, choices=Threshold.choices, default=Threshold.SIMPLE)
    allow_change = models.BooleanField(_("voters may change their ballot until the close"), default=False)
    closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=VoteStatus.choices, default=V.DRAFT)
    cancel_reason = models.TextField(_("reason"), blank=True, max_length=NOTE_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(
                condition=Q(agenda_item__isnull=False) | Q(topic__isnull=False), name="vote_on_item_or_topic"
            ),
            models.CheckConstraint(condition=Q(quorum_percent__lte=100), name="vote_quorum_percent_range"),
            models.CheckConstraint(condition=Q(max_choices__gte=1), name="vote_max_choices_positive"),
            # Only a meeting has people present.
            models.CheckConstraint(
                condition=~Q(electorate=ElectorateKind.PRESENT) | Q(agenda_item__isnull=False),
                name="vote_present_needs_meeting",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "closes_at"], name="vote_status_closes"),
            models.Index(fields=["council", "-created_at"], name="vote_council_created"),
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("votes:detail", kwargs={"pk": self.pk})

    @property
    def is_secret(self):
        return self.ballot == BallotKind.SECRET

    def quorum_required(self, electorate_size):
        by_share = math.ceil(electorate_size * self.quorum_percent / 100)
        return max(self.quorum_count, by_share)


class Option(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField()
    label = models.CharField(_("option"), max_length=200)
    # For/against questions: which of the three this is ("for", "against", "abstain"); blank for choices.
    role = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["vote", "order"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "order"], name="option_order_unique"),
            models.UniqueConstraint(fields=["vote", "role"], condition=~Q(role=""), name="option_role_unique"),
        ]

    def __str__(self):
        return self.label

    @property
    def display_label(self):
        """For, against and abstain in the reader's language; a choice as it was written."""
        from .services import FOR_AGAINST_OPTIONS

        return dict(FOR_AGAINST_OPTIONS).get(self.role, self.label) if self.role else self.label


class Elector(models.Model):
    """One member of the frozen electorate: an account, a council seat without one, or a checked-in registration."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="electors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        "councils.CouncilMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["vote", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "user"], condition=Q(user__isnull=False), name="elector_user"),
            models.UniqueConstraint(
                fields=["vote", "member"], condition=Q(member__isnull=False), name="elector_member"
            ),
        ]

    def __str__(self):
        return self.name


class Participation(models.Model):
    """That an elector voted, and how: one per elector whatever the channel (the database holds it)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="participations")
    elector = models.OneToOneField(Elector, on_delete=models.CASCADE, related_name="participation")
    channel = models.CharField(max_length=8, choices=Channel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "elector"], name="one_participation_per_elector")]

    def __str__(self):
        return f"{self.elector} ({self.channel})"


def receipt_hash(vote_id, code):
    """What is stored and published for a receipt code: anyone holding the code can recompute it."""
    return hashlib.sha256(f"{vote_id}:{code.strip().upper()}".encode()).hexdigest()


def new_receipt_code():
    """Twelve characters from an alphabet without look-alikes (60 bits), grouped for reading aloud."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Ballot(models.Model):
    """What was chosen. A secret ballot has no elector and nothing that orders it by time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    # Open ballots only: a secret ballot never names its voter.
    elector = models.OneToOneField(Elector, null=True, blank=True, on_delete=models.CASCADE, related_name="open_ballot")
    receipt_hash = models.CharField(max_length=64, unique=True)
    # Option ids chosen, sorted; empty for a blank ballot.
    choices = models.JSONField(default=list)

    class Meta:
        ordering = ["vote", "receipt_hash"]
        indexes = [models.Index(fields=["vote", "receipt_hash"], name="ballot_vote_receipt")]

    def __str__(self):
        return self.receipt_hash[:12]


class SealedBallot(models.Model):
    """A secret ballot while its vote is open, in the sealed box (see `seal.py`): encrypted with a key that is
    not in the database. At the close the box is opened, its ballots shuffled and written out as `Ballot` rows
    in one batch, and these rows destroyed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="sealed_ballots")
    # Keyed HMAC of the receipt code (only where ballots may be changed), never the published receipt hash.
    lookup = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sealed = models.TextField()

    def __str__(self):
        return str(self.id)[:8]


class PaperBallotCount(models.Model):
    """The paper desk of a secret vote: whether it is closed (no more paper voters marked), and how many
    ballots from its box have been entered: never more than voters marked as taking one."""

    vote = models.OneToOneField(Vote, on_delete=models.CASCADE, related_name="paper_count")
    entered = models.PositiveIntegerField(default=0)
    desk_closed = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.vote_id}: {self.entered}"


class VotingCode(models.Model):
    """A one-time code staff hand to an elector to vote in the room; only its hash is kept."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="codes")
    elector = models.OneToOneField(Elector, on_delete=models.CASCADE, related_name="voting_code")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used = models.BooleanField(default=False)

    def __str__(self):
        return self.code_hash[:12]


class VoteResult(models.Model):
    """The count made from the ballot rows at the close, stored once and published."""

    vote = models.OneToOneField(Vote, on_delete=models.CASCADE, related_name="result")
    electorate_size = models.PositiveIntegerField()
    participants = models.PositiveIntegerField()
    votes_cast = models.PositiveIntegerField()
    abstentions = models.PositiveIntegerField()
    quorum_required = models.PositiveIntegerField()
    quorum_met = models.BooleanField()
    # {option id (str): count}
    counts = models.JSONField(default=dict)
    carried = models.BooleanField()
    carried_options = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__lte=models.F("electorate_size")), name="result_participants_in_electorate"
            )
        ]

    def __str__(self):
        return str(self.vote)
