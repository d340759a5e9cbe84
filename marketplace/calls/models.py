"""Funding calls (项目扶持资金 / 公益创投) and the declarations (申报) NGOs make to them.

A call is a pool of public money with its rules: who may declare (a verified NGO, serving the
call's region, with at most so many projects running, registered for so many years), until
when, with which documents, how declarations are scored (a rubric of weighted criteria) and how
much of a budget is granted (a matching table: budget band × beneficiaries band → a share of the
budget, capped per project). Staff set a call up as a Wagtail snippet; it moves draft → open →
in review → results in notice → decided through its workflow (`services.call_workflow`).

A declaration is an NGO's proposal to a call: a draft its members fill in over several steps
(every keystroke kept: see `views.py`), submitted before the deadline if the organisation is
eligible, withdrawable until then. Its budget lines split each cost into what is asked of the
call, what the NGO raises itself and other sources; the sums are checked on submit.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from portal.core.money import MoneyField
from portal.core.storage import private_storage
from portal.core.text import LONG_TEXT
from portal.core.uploads import validate_document

from .awards import Outcome


class CallKind(models.TextChoices):
    ANNUAL = "annual", _("Annual round")
    ROLLING = "rolling", _("Rolling")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Published")
    REVIEW = "review", _("In review")
    NOTICE = "notice", _("Results in public notice")
    DECIDED = "decided", _("Decided")
    CANCELLED = "cancelled", _("Cancelled")


C = CallStatus
CALL_TRANSITIONS = {
    C.DRAFT: {C.OPEN, C.CANCELLED},
    C.OPEN: {C.REVIEW, C.CANCELLED},
    C.REVIEW: {C.NOTICE, C.CANCELLED},
    C.NOTICE: {C.DECIDED, C.REVIEW},
    C.DECIDED: set(),
    C.CANCELLED: set(),
}
PUBLIC_CALL_STATUSES = (C.OPEN, C.REVIEW, C.NOTICE, C.DECIDED)


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Mean of the reviewers' scores")
    TRIMMED_MEAN = "trimmed_mean", _("Mean without the highest and lowest score (five reviewers or more)")


class FundingCallQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_CALL_STATUSES)

    def visible_to(self, user):
        """Published calls for everyone; drafts and cancelled calls for staff of the call's area."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
        from portal.regions.models import subtree_q

        visible = Q(status__in=PUBLIC_CALL_STATUSES)
        if getattr(user, "is_authenticated", False):
            if user.is_superuser:
                return self.all()
            regions = scope_regions(user, ADMINISTRATIVE_ROLES)
            if regions:
                visible |= subtree_q(regions, field="region")
        return self.filter(visible)


class FundingCall(ClusterableModel):
    title = models.CharField(_("title"), max_length=120)
    title_en = models.CharField(_("title in English"), max_length=160, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CallKind.choices, default=CallKind.ANNUAL)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    summary = models.TextField(_("what the call funds"), max_length=LONG_TEXT)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="funding_calls",
        help_text=_("Declaring NGOs must serve this area; staff of this area run the call."),
    )
    categories = models.ManyToManyField("core.Category", verbose_name=_("categories"), blank=True)
    pool = MoneyField(_("pool"), help_text=_("Public money the call grants in all."))
    opens_at = models.DateTimeField(_("declarations open"))
    closes_at = models.DateTimeField(_("declarations close"))
    # Eligibility, checked when a declaration is submitted.
    verified_only = models.BooleanField(_("verified NGOs only"), default=True)
    max_active_projects = models.PositiveSmallIntegerField(
        _("most projects an NGO may be running"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    min_years_registered = models.PositiveSmallIntegerField(_("years registered at least"), default=0)
    required_documents = models.TextField(
        _("required documents"),
        blank=True,
        help_text=_("One per line, e.g. the project budget or the annual inspection report."),
    )
    # Review and awards.
    aggregation = models.CharField(
        _("how scores aggregate"), max_length=16, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    notice_days = models.PositiveSmallIntegerField(_("public notice period (days)"), default=7)
    status = models.CharField(_("status"), max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT)
    notice_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("announcement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The CMS notice that announces the call."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The results' public notice (公示): objections until then; the results take effect after it.
    notice_ends_at = models.DateTimeField(_("public notice ends"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # What has been granted out of the pool: the database holds it at or below the pool.
    granted = MoneyField(_("granted"), default=0)
    # The pool as money in the ledger: funded when the call is published, the grants taken out of it when
    # the results take effect; its balance never goes below zero (the database's check).
    fund = models.OneToOneField(
        "funding.Fund",
        verbose_name=_("fund"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="call",
    )

    objects = FundingCallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"),
            models.CheckConstraint(condition=Q(pool__gt=0), name="call_pool_positive"),
            models.CheckConstraint(
                condition=Q(granted__gte=0, granted__lte=models.F("pool")), name="call_grants_within_pool"
            ),
        ]
        indexes = [models.Index(fields=["status", "-opens_at"], name="call_status_opens")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("calls:call_detail", args=[self.slug])

    @property
    def display_title(self):
        """The English title for English readers, where staff gave one."""
        if self.title_en and translation.get_language() == "en":
            return self.title_en
        return self.title

    @property
    def pool_left(self):
        """What is left in the pool: the fund's balance in the ledger (before the call is funded, the pool
        less what was granted)."""
        if self.fund_id is not None:
            return self.fund.balance
        return self.pool - self.granted

    @property
    def documents(self):
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]

    def accepting(self, at=None):
        """Declarations may be submitted now: the call is open and its window runs."""
        at = at or timezone.now()
        return self.status == C.OPEN and self.opens_at <= at < self.closes_at

    @property
    def total_weight(self):
        return sum(c.weight for c in self.criteria.all())


class RubricCriterion(models.Model):
    """One line of the call's scoring rubric: reviewers score it 0–10; its weight counts in the total."""

    call = ParentalKey(FundingCall, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=80)
    name_en = models.CharField(_("criterion in English"), max_length=120, blank=True)
    description = models.TextField(_("what reviewers look for"), blank=True, max_length=1000)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0, weight__lte=100), name="criterion_weight_1_100"),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"


class MatchingRule(models.Model):
    """A cell of the matching table: a budget band and a beneficiaries band give a share of the budget.

    Bands include their lower bound and exclude their upper one (empty: no upper bound). The grant is
    the share of the declared budget, at most `cap` (empty: no cap).
    """

    call = ParentalKey(FundingCall, on_delete=models.CASCADE, related_name="matching_rules")
    budget_from = MoneyField(_("budget from"), default=0)
    budget_below = MoneyField(_("budget below"), null=True, blank=True)
    beneficiaries_from = models.PositiveIntegerField(_("beneficiaries from"), default=0)
    beneficiaries_below = models.PositiveIntegerField(_("beneficiaries below"), null=True, blank=True)
    share_percent = models.PositiveSmallIntegerField(_("share of the budget granted (%)"))
    cap = MoneyField(_("at most"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("matching rule")
        verbose_name_plural = _("matching rules")
        constraints = [
            models.CheckConstraint(condition=Q(share_percent__lte=100), name="matching_share_at_most_100"),
            models.CheckConstraint(
                condition=Q(budget_below__isnull=True) | Q(budget_below__gt=models.F("budget_from")),
                name="matching_budget_band_ordered",
            ),
            models.CheckConstraint(
                condition=Q(beneficiaries_below__isnull=True)
                | Q(beneficiaries_below__gt=models.F("beneficiaries_from")),
                name="matching_beneficiaries_band_ordered",
            ),
        ]

    def __str__(self):
        budget = f"{self.budget_from}–{self.budget_below or '∞'}"
        return f"{budget} × {self.beneficiaries_from}–{self.beneficiaries_below or '∞'}: {self.share_percent}%"

    def matches(self, budget, beneficiaries):
        return (
            self.budget_from <= budget
            and (self.budget_below is None or budget < self.budget_below)
            and self.beneficiaries_from <= beneficiaries
            and (self.beneficiaries_below is None or beneficiaries < self.beneficiaries_below)
        )


class DeclarationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


D = DeclarationStatus
DECLARATION_TRANSITIONS = {
    D.DRAFT: {D.SUBMITTED},
    D.SUBMITTED: {D.WITHDRAWN},
    D.WITHDRAWN: set(),
}


class DeclarationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An NGO's members see their organisation's declarations (drafts included); staff of the call's
        area see the submitted and withdrawn ones (the `view_declaration` rule's facts)."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, role_facts, scope_regions
        from portal.regions.models import subtree_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        visible = Q(organisation_id__in=role_facts(user).organisation_ids)
        reviewing = ReviewAssignment.objects.filter(reviewer=user).exclude(status="excluded")
        visible |= Q(pk__in=reviewing.values("declaration_id"))
        regions = scope_regions(user, ADMINISTRATIVE_ROLES)
        if regions:
            visible |= subtree_q(regions, field="call__region") & ~Q(status=D.DRAFT)
        return self.filter(visible)


class Declaration(models.Model):
    call = models.ForeignKey(FundingCall, verbose_name=_("call"), on_delete=models.PROTECT, related_name="declarations")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declarations_started"
    )
    # Step 1: the problem and who it is for. Blank while a draft; required on submit.
    title = models.CharField(_("project title"), max_length=120, blank=True)
    problem = models.TextField(_("the problem"), max_length=LONG_TEXT, blank=True)
    target_group = models.CharField(_("target group"), max_length=200, blank=True)
    beneficiaries = models.PositiveIntegerField(_("number of beneficiaries"), null=True, blank=True)
    # Step 2: what the NGO will do, when, and who does it.
    activities = models.TextField(_("activities"), max_length=LONG_TEXT, blank=True)
    timeline = models.TextField(_("timeline"), max_length=LONG_TEXT, blank=True)
    team = models.TextField(_("team"), max_length=LONG_TEXT, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DeclarationStatus.choices, default=D.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        indexes = [
            models.Index(fields=["call", "status"], name="declaration_call_status"),
            models.Index(fields=["organisation", "-updated_at"], name="declaration_org_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=D.DRAFT) | Q(submitted_at__isnull=False), name="declaration_submitted_has_time"
            ),
        ]

    def __str__(self):
        return self.title or str(_("Untitled declaration"))

    def get_absolute_url(self):
        return reverse("calls:declaration_detail", args=[self.pk])

    def totals(self):
        """(cost, requested, self-raised, other sources) over the budget lines, in fen."""
        lines = list(self.budget_lines.all())
        return (
            sum(line.amount for line in lines),
            sum(line.requested for line in lines),
            sum(line.self_raised for line in lines),
            sum(line.other_sources for line in lines),
        )


class DeclarationBudgetLine(models.Model):
    """One cost of the declared project and how it is paid: asked of the call, raised by the NGO, other."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("item"), max_length=120)
    amount = MoneyField(_("cost"))
    requested = MoneyField(_("asked of the call"), default=0)
    self_raised = MoneyField(_("raised by the NGO"), default=0)
    other_sources = MoneyField(_("other sources"), default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="declaration_line_positive"),
            models.CheckConstraint(
                condition=Q(requested__gte=0, self_raised__gte=0, other_sources__gte=0),
                name="declaration_line_parts_not_negative",
            ),
        ]

    def __str__(self):
        return self.item


class DeclarationAttachment(models.Model):
    """A document the call asks for: stored privately, served only to those who may see the declaration."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="attachments")
    document = models.CharField(_("document"), max_length=120)
    name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(
        _("file"), upload_to="declarations/%Y/%m/", storage=private_storage, validators=[validate_document]
    )
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return f"{self.document}: {self.name}"


# --- joint review (联合评审) ------------------------------------------------------------------------


class ReviewerKind(models.TextChoices):
    OFFICER = "officer", _("Department officer")
    RESIDENT = "resident", _("Residents' representative")
    EXPERT = "expert", _("Expert")


class PanelMember(models.Model):
    """A reviewer on a call's panel. Reserves step in when a reviewer is excluded from a declaration."""

    call = models.ForeignKey(FundingCall, on_delete=models.CASCADE, related_name="panel")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_panels")
    kind = models.CharField(_("reviewer"), max_length=16, choices=ReviewerKind.choices)
    reserve = models.BooleanField(_("reserve"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reserve", "id"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [models.UniqueConstraint(fields=["call", "reviewer"], name="one_seat_per_reviewer_and_call")]

    def __str__(self):
        return f"{self.reviewer} ({self.get_kind_display()})"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("To score")
    SUBMITTED = "submitted", _("Scored")
    EXCLUDED = "excluded", _("Excluded (conflict of interest)")


R = AssignmentStatus
ASSIGNMENT_TRANSITIONS = {R.ASSIGNED: {R.SUBMITTED, R.EXCLUDED}, R.SUBMITTED: set(), R.EXCLUDED: set()}


class ReviewAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A reviewer's own assignments; every assignment of a call in a staff member's area."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
        from portal.regions.models import subtree_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        visible = Q(reviewer=user)
        regions = scope_regions(user, ADMINISTRATIVE_ROLES)
        if regions:
            visible |= subtree_q(regions, field="declaration__call__region")
        return self.filter(visible)


class ReviewAssignment(models.Model):
    """One reviewer's review of one declaration: scored criterion by criterion, or excluded for a conflict."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("reviewer"), max_length=16, choices=ReviewerKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=AssignmentStatus.choices, default=R.ASSIGNED)
    conflict = models.TextField(_("conflict of interest"), blank=True, max_length=1000)
    total = models.DecimalField(_("weighted total"), max_digits=5, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    excluded_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["declaration", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["declaration", "reviewer"], name="one_review_per_reviewer"),
            models.CheckConstraint(
                condition=~Q(status=R.SUBMITTED) | Q(total__isnull=False, submitted_at__isnull=False),
                name="submitted_review_has_total",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "status"], name="review_reviewer_status")]

    def __str__(self):
        return f"{self.reviewer} → {self.declaration}"

    def get_absolute_url(self):
        return reverse("calls:review_detail", args=[self.pk])


class Score(models.Model):
    review = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score (0–10)"))
    comment = models.TextField(_("comment"), max_length=2000)

    class Meta:
        ordering = ["criterion__sort_order", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(score__lte=10), name="score_0_to_10"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class AwardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Results in public notice and decided for everyone; proposed awards for staff of the call's area."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
        from portal.regions.models import subtree_q

        visible = Q(call__status__in=(C.NOTICE, C.DECIDED))
        if getattr(user, "is_authenticated", False):
            if user.is_superuser:
                return self.all()
            regions = scope_regions(user, ADMINISTRATIVE_ROLES)
            if regions:
                visible |= subtree_q(regions, field="call__region")
        return self.filter(visible)


class Award(models.Model):
    """What a declaration is granted: computed from its rank, the matching table and the pool; staff may
    override the amount with a recorded reason."""

    call = models.ForeignKey(FundingCall, on_delete=models.CASCADE, related_name="awards")
    declaration = models.OneToOneField(Declaration, on_delete=models.CASCADE, related_name="award")
    rank = models.PositiveIntegerField(_("rank"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    reviewers = models.PositiveSmallIntegerField(_("reviewers"))
    matched_share = models.PositiveSmallIntegerField(_("share granted (%)"), default=0)
    computed = MoneyField(_("computed grant"), default=0)
    amount = MoneyField(_("grant"), default=0)
    note = models.CharField(_("how it was decided"), max_length=16, choices=Outcome.choices, blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True, max_length=1000)
    # The project in implementation the award became when the results took effect.
    project = models.OneToOneField(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="call_award"
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["call", "rank"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["call", "rank"], name="one_award_per_rank"),
            models.CheckConstraint(condition=Q(amount__gte=0, computed__gte=0), name="award_not_negative"),
            models.CheckConstraint(
                condition=Q(amount=models.F("computed")) | ~Q(override_reason=""), name="award_override_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.rank}. {self.declaration}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """An objection to a call's results during their public notice, answered publicly by staff."""

    call = models.ForeignKey(FundingCall, on_delete=models.CASCADE, related_name="objections")
    award = models.ForeignKey(
        Award, verbose_name=_("result objected to"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="objections")
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(_("status"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    answer = models.TextField(_("answer"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ObjectionStatus.OPEN) | ~Q(answer=""), name="answered_objection_has_answer"
            ),
        ]

    def __str__(self):
        return self.reason[:40]

    def get_absolute_url(self):
        return self.call.get_absolute_url() + "#objections-heading"
