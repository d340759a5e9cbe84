"""Implementation tracking (项目实施 / 全程监管) and evaluation (成效评议) of projects.

A project in implementation (funded or under way, with an implementing organisation: declared,
assigned or claimed) has milestones, each with a due date and the tranche of money paid when it is
done. The implementer reports progress (text, photos, spending against the project's budget lines);
a report on a milestone marks it reported; staff of the project's area approve it (a tranche is then
due) or send it back, and pay the tranche (written to the funding ledger). When the project is
completed, staff open its evaluation window: residents of its region rate it on the stated criteria,
online while the window is open, or on paper at an evaluation meeting (成效评议会), entered by staff.
The database holds the invariants: one tranche per milestone, positive amounts, scores 1–5, one
rating per resident and project, a paper rating has its staff member and an online one its rater.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.money import MoneyField
from portal.core.storage import private_storage
from portal.core.text import LONG_TEXT, NOTE_TEXT
from portal.core.uploads import validate_image


def _public_or_staff_q(user, field):
    """Rows whose project (`field`) is past the draft, or in the area of a staff member."""
    from marketplace.projects.models import ProjectStatus
    from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
    from portal.regions.models import subtree_q

    visible = ~models.Q(**{f"{field}__status": ProjectStatus.DRAFT})
    if getattr(user, "is_authenticated", False):
        regions = scope_regions(user, ADMINISTRATIVE_ROLES)
        if regions:
            visible |= subtree_q(regions, field=f"{field}__region")
    return visible


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REPORTED = "reported", _("Reported, awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Sent back")


M = MilestoneStatus
MILESTONE_TRANSITIONS = {
    M.PLANNED: {M.REPORTED},
    M.REPORTED: {M.APPROVED, M.REJECTED},
    M.REJECTED: {M.REPORTED},  # reported again, with what was missing
    M.APPROVED: set(),
}


class MilestoneQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Milestones of public projects, and of drafts for staff of their area (`view_milestone`)."""
        if getattr(user, "is_superuser", False):
            return self.all()
        return self.filter(_public_or_staff_q(user, "project"))

    def overdue(self, today=None):
        """Not yet reported (or sent back) past their due date."""
        today = today or timezone.localdate()
        return self.filter(status__in=(M.PLANNED, M.REJECTED), due_on__lt=today)


class Milestone(models.Model):
    """A step of a project's work with its due date, and the tranche paid once staff approve it."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=160)
    description = models.TextField(_("what is delivered"), blank=True, max_length=NOTE_TEXT)
    due_on = models.DateField(_("due on"))
    tranche_amount = MoneyField(_("tranche paid on approval"), default=0)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=MilestoneStatus.choices, default=M.PLANNED, db_index=True
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    # Reported by its due date (the first report counts): the NGO's on-time share.
    reported_on_time = models.BooleanField(_("reported on time"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("staff's note"), blank=True, max_length=NOTE_TEXT)
    # The day the overdue alert went out (one alert per milestone and day at most).
    overdue_alerted_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "position", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(condition=models.Q(tranche_amount__gte=0), name="milestone_tranche_not_negative"),
            models.CheckConstraint(
                condition=~models.Q(status=M.REJECTED) | ~models.Q(decision_note=""),
                name="milestone_rejected_has_note",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="milestone_status_due")]

    def __str__(self):
        return f"{self.project} — {self.title}"

    def get_absolute_url(self):
        return reverse("implementation:milestone_detail", args=[self.pk])

    @property
    def is_overdue(self):
        return self.status in (M.PLANNED, M.REJECTED) and self.due_on < timezone.localdate()


class TrancheStatus(models.TextChoices):
    DUE = "due", _("Due, awaiting payment")
    PAID = "paid", _("Paid")


T = TrancheStatus
TRANCHE_TRANSITIONS = {T.DUE: {T.PAID}, T.PAID: set()}


class TrancheQuerySet(models.QuerySet):
    def visible_to(self, user):
        if getattr(user, "is_superuser", False):
            return self.all()
        return self.filter(_public_or_staff_q(user, "project"))


class Tranche(models.Model):
    """Money paid out of a project's funds to its implementer once a milestone is approved (拨付)."""

    milestone = models.OneToOneField(
        Milestone, verbose_name=_("milestone"), on_delete=models.PROTECT, related_name="tranche"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="tranches"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("paid to"), on_delete=models.PROTECT, related_name="tranches"
    )
    amount = MoneyField(_("amount"))
    status = models.CharField(_("status"), max_length=8, choices=TrancheStatus.choices, default=T.DUE, db_index=True)
    payment_reference = models.CharField(_("payment reference"), max_length=80, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The funding ledger's entry of the payment (kind "disbursement").
    ledger_entry = models.OneToOneField(
        "funding.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="tranche"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    objects = TrancheQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="tranche_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(status=T.PAID) | models.Q(paid_at__isnull=False), name="tranche_paid_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.milestone} · {self.amount}"

    def get_absolute_url(self):
        return self.milestone.get_absolute_url()


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports of public projects (the project page shows them), and of drafts for staff of their area."""
        if getattr(user, "is_superuser", False):
            return self.all()
        return self.filter(_public_or_staff_q(user, "project"))


class ProgressReport(models.Model):
    """What the implementer says it has done: text, photos, and spending against the budget lines."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("progress"), max_length=LONG_TEXT)
    is_final = models.BooleanField(_("final report"), default=False)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self):
        return f"{self.project} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("implementation:project_progress", args=[self.project_id]) + f"#report-{self.pk}"


class ReportPhoto(models.Model):
    """A photo of the work: checked on upload, re-encoded without metadata, stored privately and served
    through a view that checks the report may be seen."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to="progress/%Y/%m/", storage=private_storage, validators=[validate_image]
    )
    caption = models.CharField(_("caption"), max_length=120, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name

    def get_absolute_url(self):
        return reverse("implementation:photo", args=[self.pk])


class SpendingLine(models.Model):
    """Money the implementer spent, against one of the project's budget lines."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="spending")
    budget_line = models.ForeignKey(
        "projects.BudgetLine", verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="spending"
    )
    amount = MoneyField(_("spent"))
    note = models.CharField(_("what for"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="spending_amount_positive")]

    def __str__(self):
        return f"{self.budget_line}: {self.amount}"


# --- evaluation -------------------------------------------------------------


# The stated criteria residents rate, each 1–5: (field, label, the question put to residents).
CRITERIA = (
    ("score_results", _("Results"), _("Did the project achieve what it promised?")),
    ("score_service", _("Quality of service"), _("Were the people served treated well and competently?")),
    ("score_timeliness", _("Timeliness"), _("Was the work done when it was promised?")),
    ("score_money", _("Use of money"), _("Was the money spent openly and sensibly?")),
)
CRITERION_FIELDS = tuple(name for name, _label, _question in CRITERIA)
MIN_SCORE, MAX_SCORE = 1, 5


class EvaluationWindow(models.Model):
    """When residents may rate a completed project online; set by staff of its area."""

    project = models.OneToOneField(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="evaluation_window"
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Set once the window is over and the project has moved to "evaluated".
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation window")
        verbose_name_plural = _("evaluation windows")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="evaluation_window_order"
            )
        ]

    def __str__(self):
        return f"{self.project}: {self.opens_at:%Y-%m-%d} – {self.closes_at:%Y-%m-%d}"

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.closed_at is None and self.opens_at <= now < self.closes_at


class EvaluationChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    MEETING = "meeting", _("At an evaluation meeting (paper)")


class EvaluationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A rater's own ratings, and every rating of a project in a staff member's area (`view_evaluation`).
        Everyone else sees a project's ratings only as its summary."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
        from portal.regions.models import subtree_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        visible = models.Q(rater=user)
        regions = scope_regions(user, ADMINISTRATIVE_ROLES)
        if regions:
            visible |= subtree_q(regions, field="project__region")
        return self.filter(visible)

    def with_overall(self):
        return self.annotate(overall=overall_expression())


def overall_expression(prefix=""):
    """One rating's mean over the stated criteria, as a float expression."""
    total = None
    for name in CRITERION_FIELDS:
        term = models.F(f"{prefix}{name}")
        total = term if total is None else total + term
    return models.ExpressionWrapper(total * 1.0 / len(CRITERION_FIELDS), output_field=models.FloatField())


def _score_field(label):
    return models.PositiveSmallIntegerField(label)


class Evaluation(models.Model):
    """One resident's rating of a completed project, on each stated criterion, with a comment."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="evaluations"
    )
    # Online: the resident who rated. On paper: the resident if they have an account, else nobody
    # (the name on the sheet is kept in `paper_name`).
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_evaluations",
    )
    paper_name = models.CharField(_("name on the rating sheet"), max_length=60, blank=True)
    channel = models.CharField(
        _("channel"), max_length=8, choices=EvaluationChannel.choices, default=EvaluationChannel.ONLINE
    )
    # The evaluation meeting (成效评议会) a paper rating was given at.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("evaluation meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score_results = _score_field(CRITERIA[0][1])
    score_service = _score_field(CRITERIA[1][1])
    score_timeliness = _score_field(CRITERIA[2][1])
    score_money = _score_field(CRITERIA[3][1])
    comment = models.TextField(_("comment"), blank=True, max_length=NOTE_TEXT)
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": MIN_SCORE, f"{name}__lte": MAX_SCORE}),
                    name=f"evaluation_{name}_1_to_5",
                )
                for name in CRITERION_FIELDS
            ),
            # A resident rates a project once, online or on paper.
            models.UniqueConstraint(
                fields=["project", "rater"], condition=models.Q(rater__isnull=False), name="one_evaluation_per_rater"
            ),
            models.CheckConstraint(
                condition=~models.Q(channel=EvaluationChannel.ONLINE) | models.Q(rater__isnull=False),
                name="evaluation_online_has_rater",
            ),
            models.CheckConstraint(
                condition=~models.Q(channel=EvaluationChannel.MEETING) | models.Q(entered_by__isnull=False),
                name="evaluation_paper_entered_by_staff",
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.overall_score:.1f}"

    def get_absolute_url(self):
        return reverse("implementation:project_progress", args=[self.project_id]) + "#evaluation"

    @property
    def overall_score(self):
        return sum(getattr(self, name) for name in CRITERION_FIELDS) / len(CRITERION_FIELDS)
