"""Claims (申领) on published projects, and NGOs' bids (竞标) to run them.

A claim says how someone takes part in a project: funds (a pledge of an amount, approved by
staff; the money itself is the funding app's), running it (through a bid: the selected bid
becomes an approved claim in "run" mode), gifts in kind or volunteers' hours. A bid is an
NGO's offer to run the project; staff compare a project's bids, record what residents'
representatives said, and select one. The database holds the invariants: positive amounts,
what each mode needs, one live bid per NGO and project, one selected bid per project.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.money import MoneyField
from portal.core.storage import private_storage
from portal.core.text import LONG_TEXT, NOTE_TEXT
from portal.core.uploads import validate_document


class AdoptionMode(models.TextChoices):
    FUND = "fund", _("Fund it")
    RUN = "run", _("Run it")
    IN_KIND = "in_kind", _("Give in kind")
    VOLUNTEER = "volunteer", _("Volunteer")


# The project flag that says it wants each mode.
MODE_WANTED = {
    AdoptionMode.FUND: "wants_funds",
    AdoptionMode.RUN: "wants_implementer",
    AdoptionMode.IN_KIND: "wants_in_kind",
    AdoptionMode.VOLUNTEER: "wants_volunteers",
}


class AdoptionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


A = AdoptionStatus
ADOPTION_TRANSITIONS = {
    A.PENDING: {A.APPROVED, A.DECLINED, A.WITHDRAWN},
    A.APPROVED: set(),
    A.DECLINED: set(),
    A.WITHDRAWN: set(),
}


class AdoptionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The claimant's own, their organisations', and every claim on a project in a staff member's
        area (the `view_adoption` rule's facts)."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, role_facts, scope_regions
        from portal.regions.models import subtree_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        visible = models.Q(claimant=user) | models.Q(organisation_id__in=role_facts(user).organisation_ids)
        regions = scope_regions(user, ADMINISTRATIVE_ROLES)
        if regions:
            visible |= subtree_q(regions, field="project__region")
        return self.filter(visible)


class Adoption(models.Model):
    """A claim on a published project: fund it, run it, give in kind or volunteer."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="adoptions"
    )
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("claimed by"), on_delete=models.PROTECT, related_name="adoptions"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    mode = models.CharField(_("way of taking part"), max_length=16, choices=AdoptionMode.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=AdoptionStatus.choices, default=A.PENDING, db_index=True
    )
    # fund: a pledge of intent, in fen; `covers_gap` when the claimant takes the whole funding gap.
    amount = MoneyField(_("amount pledged"), default=0)
    covers_gap = models.BooleanField(_("the whole funding gap"), default=False)
    # in kind: one of the items the project asks for, or something else described in words.
    in_kind_item = models.ForeignKey(
        "projects.InKindItem", verbose_name=_("item"), null=True, blank=True, on_delete=models.SET_NULL
    )
    item_description = models.CharField(_("what you give"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    estimated_value = MoneyField(_("estimated value"), default=0)
    # volunteer
    hours = models.PositiveIntegerField(_("hours"), default=0)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    # run: the selected bid this claim came from.
    bid = models.OneToOneField(
        "adoptions.Bid", null=True, blank=True, on_delete=models.PROTECT, related_name="adoption"
    )
    message = models.TextField(_("message to the project office"), blank=True, max_length=NOTE_TEXT)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=NOTE_TEXT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="adoption_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(estimated_value__gte=0), name="adoption_value_not_negative"),
            models.CheckConstraint(
                condition=~models.Q(mode=AdoptionMode.FUND) | models.Q(amount__gt=0), name="adoption_fund_has_amount"
            ),
            models.CheckConstraint(
                condition=~models.Q(mode=AdoptionMode.IN_KIND)
                | (models.Q(quantity__gt=0) & (models.Q(in_kind_item__isnull=False) | ~models.Q(item_description=""))),
                name="adoption_in_kind_has_item",
            ),
            models.CheckConstraint(
                condition=~models.Q(mode=AdoptionMode.VOLUNTEER) | models.Q(hours__gt=0),
                name="adoption_volunteer_has_hours",
            ),
            models.CheckConstraint(
                condition=~models.Q(mode=AdoptionMode.RUN) | models.Q(bid__isnull=False), name="adoption_run_has_bid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=A.DECLINED) | ~models.Q(decision_reason=""),
                name="adoption_declined_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="adoption_status_created")]

    def __str__(self):
        return f"{self.project} — {self.get_mode_display()}"

    def get_absolute_url(self):
        return reverse("adoptions:adoption_detail", args=[self.pk])

    @property
    def item_name(self):
        return self.in_kind_item.name if self.in_kind_item_id else self.item_description


class BidStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


B = BidStatus
BID_TRANSITIONS = {
    B.SUBMITTED: {B.SELECTED, B.NOT_SELECTED, B.WITHDRAWN},
    B.SELECTED: set(),
    B.NOT_SELECTED: set(),
    B.WITHDRAWN: set(),
}
LIVE_BID_STATUSES = (B.SUBMITTED, B.SELECTED)


class BidQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Selected bids (their summary) for everyone; the rest only to the bidding NGO's members and
        staff of the project's area until the selection — and after it (the `view_bid` rule's facts)."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, role_facts, scope_regions
        from portal.regions.models import subtree_q

        visible = models.Q(status=B.SELECTED)
        if getattr(user, "is_authenticated", False):
            if user.is_superuser:
                return self.all()
            visible |= models.Q(organisation_id__in=role_facts(user).organisation_ids)
            regions = scope_regions(user, ADMINISTRATIVE_ROLES)
            if regions:
                visible |= subtree_q(regions, field="project__region")
        return self.filter(visible)


class Bid(models.Model):
    """An NGO's offer to run a published project: the plan, the price, when, who, and what it has done before."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="bids"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="bids"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    plan = models.TextField(_("plan"), max_length=LONG_TEXT)
    price = MoneyField(_("price"))
    timeline = models.TextField(_("timeline"), max_length=NOTE_TEXT)
    team = models.TextField(_("team"), max_length=NOTE_TEXT)
    track_record = models.TextField(_("track record"), blank=True, max_length=NOTE_TEXT)
    status = models.CharField(_("status"), max_length=16, choices=BidStatus.choices, default=B.SUBMITTED, db_index=True)
    decision_reason = models.TextField(_("reason for the selection"), blank=True, max_length=NOTE_TEXT)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = BidQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="bid_price_positive"),
            # One selected bid per project, whatever races the selection.
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(status=B.SELECTED), name="one_selected_bid_per_project"
            ),
            # An NGO bids once per project (it may withdraw and bid again).
            models.UniqueConstraint(
                fields=["project", "organisation"],
                condition=models.Q(status__in=LIVE_BID_STATUSES),
                name="one_live_bid_per_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.project}"

    def get_absolute_url(self):
        return reverse("adoptions:bid_detail", args=[self.pk])


class BidAttachment(models.Model):
    """A document behind a bid (a budget sheet, a past project's report): private, checked on upload."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="bids/%Y/%m/", storage=private_storage, validators=[validate_document])
    name = models.CharField(_("name"), max_length=120)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("bid attachment")
        verbose_name_plural = _("bid attachments")

    def __str__(self):
        return self.name


class BidOpinion(models.Model):
    """What a residents' representative said about a project's bids, recorded by staff."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="bid_opinions"
    )
    bid = models.ForeignKey(
        Bid,
        verbose_name=_("about the bid of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="opinions",
    )
    representative_name = models.CharField(_("representative"), max_length=100)
    representative_role = models.CharField(_("role"), max_length=100)
    opinion = models.TextField(_("opinion"), max_length=NOTE_TEXT)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("representative's opinion")
        verbose_name_plural = _("representatives' opinions")

    def __str__(self):
        return f"{self.representative_name}: {self.opinion[:40]}"
