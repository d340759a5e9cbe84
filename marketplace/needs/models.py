from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.display import ChoicesDisplayMixin
from portal.core.storage import private_storage
from portal.core.text import LONG_TEXT, NOTE_TEXT
from portal.core.uploads import validate_image, validate_spreadsheet


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    HOTLINE = "hotline", _("Hotline 12345/365")
    GRID_PATROL = "grid_patrol", _("Grid patrol")
    COUNCIL = "council", _("Residents' council")
    SERVICE_WINDOW = "service_window", _("Service window")
    DEPUTIES_STUDIO = "deputies_studio", _("Deputies' studio")
    WECHAT = "wechat", _("WeChat")
    OTHER = "other", _("Other")


class NeedStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DISPATCHED = "dispatched", _("Dispatched")
    MERGED = "merged", _("Merged into a project")
    REFERRED = "referred", _("Referred to a council")
    ANSWERED = "answered", _("Answered")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")


S = NeedStatus
# Every allowed move; the shared workflow (marketplace.needs.services.workflow) refuses anything else.
TRANSITIONS = {
    # A new need may be handled at once: dispatching, merging or referring it accepts it too.
    S.SUBMITTED: {S.ACCEPTED, S.REJECTED, S.DISPATCHED, S.MERGED, S.REFERRED},
    S.ACCEPTED: {S.DISPATCHED, S.MERGED, S.REFERRED, S.REJECTED},
    # Dispatched to itself: handed over to another department.
    S.DISPATCHED: {S.ANSWERED, S.DISPATCHED, S.MERGED},
    S.ANSWERED: {S.FOLLOWED_UP, S.DISPATCHED},
    # Reopened once when the resident is not satisfied, otherwise closed.
    S.FOLLOWED_UP: {S.CLOSED, S.DISPATCHED},
    S.REJECTED: set(),
    S.MERGED: {S.CLOSED},
    S.REFERRED: {S.CLOSED},
    S.CLOSED: set(),
}
OPEN_STATUSES = [S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.ANSWERED]
# Statuses shown on public pages (rejected needs are not published).
PUBLIC_STATUSES = [s for s in NeedStatus.values if s != S.REJECTED]


class EscalationLevel(models.TextChoices):
    NONE = "", _("Not escalated")
    STREET = "street", _("Street")
    DISTRICT = "district", _("District")


class NeedQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES)

    def visible_to(self, user):
        """The needs `user` may open: the public ones, their own, those in their staff scope and those
        dispatched to their (verified) department. The same facts as the `needs.view_need` rule."""
        from portal.accounts.roles import REGIONAL_STAFF_ROLES, role_facts, scope_regions
        from portal.regions.models import subtree_q

        visible = Q(status__in=PUBLIC_STATUSES)
        if getattr(user, "is_authenticated", False):
            if user.is_superuser:
                return self.all()
            visible |= Q(submitted_by=user)
            regions = scope_regions(user, REGIONAL_STAFF_ROLES)
            if regions:
                visible |= subtree_q(regions)
            departments = role_facts(user).verified_organisation_ids
            if departments:
                visible |= Q(department_id__in=departments)
        return self.filter(visible)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Need(ChoicesDisplayMixin, models.Model):
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=LONG_TEXT)
    category = models.ForeignKey("core.Category", verbose_name=_("category"), on_delete=models.PROTECT)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("where"),
        on_delete=models.PROTECT,
        related_name="needs",
        help_text=_("Your community, or the grid within it if you know it."),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(_("status"), max_length=16, choices=NeedStatus.choices, default=S.SUBMITTED)

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="needs_entered"
    )
    # Private: only the resident, staff of the region and the handling department see these.
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    show_name_publicly = models.BooleanField(_("show my name publicly"), default=False)
    external_ref = models.CharField(
        _("ticket number"), max_length=64, blank=True, help_text=_("The number in the hotline system, if any.")
    )

    department = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatched_needs",
        limit_choices_to={"kind": "department"},
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs_assigned",
        help_text=_("The grid worker or staff member following this need up."),
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="needs"
    )
    answer = models.TextField(_("answer"), blank=True, max_length=LONG_TEXT)
    rating = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the outcome"), blank=True, max_length=NOTE_TEXT)
    reopened_count = models.PositiveSmallIntegerField(default=0)

    created_at = models.DateTimeField(_("submitted at"), db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    accept_deadline = models.DateTimeField(_("accept by"), null=True, blank=True)
    answer_deadline = models.DateTimeField(_("answer by"), null=True, blank=True)
    is_overdue = models.BooleanField(_("overdue"), default=False)
    escalation_level = models.CharField(
        _("escalated to"), max_length=10, choices=EscalationLevel.choices, default=EscalationLevel.NONE, blank=True
    )
    supporters_count = models.PositiveIntegerField(_("residents with this need"), default=1)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["region", "status", "-created_at"]),
            models.Index(fields=["is_overdue", "status"]),
            models.Index(fields=["category", "-created_at"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["submitted_by", "-created_at"]),
            models.Index(fields=["-created_at", "-id"], name="need_newest"),
            # The work queue: open needs, overdue first, oldest first.
            models.Index(
                fields=["-is_overdue", "created_at", "id"],
                condition=Q(status__in=["submitted", "accepted", "dispatched", "answered"]),
                name="need_open_queue",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="need_rating_1_to_5"
            ),
            # A hotline ticket is imported once, however often the export is re-run.
            models.UniqueConstraint(
                fields=["channel", "external_ref"], condition=~Q(external_ref=""), name="unique_channel_ticket"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("needs:need_detail", kwargs={"pk": self.pk})

    @property
    def public_name(self):
        if self.show_name_publicly and self.submitted_by_id:
            return self.submitted_by.public_name
        return None


MAX_PHOTOS = 6  # per need


class NeedPhoto(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to="needs/photos/%Y/%m/", storage=private_storage, validators=[validate_image]
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return f"{self.need_id} · {self.image.name}"


class NeedSupport(models.Model):
    """A resident who has the same need joins it instead of filing a duplicate."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="need_supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        constraints = [models.UniqueConstraint(fields=["need", "user"], name="unique_need_support")]

    def __str__(self):
        return f"{self.user} + {self.need}"


class EventKind(models.TextChoices):
    STATUS = "status", _("Status change")
    OVERDUE = "overdue", _("Overdue")
    ESCALATED = "escalated", _("Escalated")
    SUPPORTED = "supported", _("Another resident joined")
    NOTE = "note", _("Note")


class NeedEvent(models.Model):
    """The need's timeline: every step with actor, time and note. Append-only."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices, default=EventKind.STATUS)
    from_status = models.CharField(max_length=16, choices=NeedStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=NeedStatus.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        indexes = [models.Index(fields=["need", "created_at"])]

    def __str__(self):
        return f"{self.need_id} {self.kind} {self.to_status}"


class ServiceLevel(models.Model):
    """How fast needs must be handled. The most specific row (category and channel) wins."""

    category = models.ForeignKey(
        "core.Category", verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    hours_to_accept = models.PositiveIntegerField(_("hours to accept"), default=24)
    working_days_to_answer = models.PositiveIntegerField(_("working days to answer"), default=5)

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        constraints = [
            models.UniqueConstraint(fields=["category", "channel"], name="unique_service_level"),
            models.UniqueConstraint(
                fields=["channel"], condition=Q(category__isnull=True), name="unique_service_level_any_category"
            ),
            models.CheckConstraint(condition=Q(hours_to_accept__gte=1), name="service_level_accept_positive"),
            models.CheckConstraint(condition=Q(working_days_to_answer__gte=1), name="service_level_answer_positive"),
        ]

    def __str__(self):
        return f"{self.category or _('any category')} / {self.get_channel_display() or _('any channel')}"


class CalendarDay(models.Model):
    """A public holiday, or a weekend day worked in exchange (调休)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=60)
    is_workday = models.BooleanField(
        _("working day"), default=False, help_text=_("Tick for a weekend day that is worked in exchange for a holiday.")
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("holiday calendar")

    def __str__(self):
        return f"{self.date} {self.name}"


class SupervisionOrder(models.Model):
    """督办单: an overdue need escalated to the level above."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="supervision_orders")
    level = models.CharField(_("level"), max_length=10, choices=EscalationLevel.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("supervising region"), on_delete=models.PROTECT)
    reason = models.TextField(_("reason"))
    issued_at = models.DateTimeField(_("issued at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        constraints = [models.UniqueConstraint(fields=["need", "level"], name="one_supervision_order_per_level")]

    def __str__(self):
        return f"{self.need_id} → {self.get_level_display()}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A bulk import of a hotline export (Excel or CSV): a dry run first, then the import.

    Progress is written as rows are processed so the page can show a progress bar.
    """

    file = models.FileField(
        _("file"), upload_to="needs/imports/%Y/%m/", storage=private_storage, validators=[validate_spreadsheet]
    )
    original_name = models.CharField(max_length=255, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.HOTLINE)
    dry_run = models.BooleanField(_("dry run"), default=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def percent(self):
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def row_errors(self):
        """[{"row": 12, "errors": [...]}, ...]: the rows refused (row None: the whole file)."""
        return [
            {"row": issue.row, "errors": issue.messages}
            for issue in self.issues.filter(kind=ImportIssueKind.ERROR).order_by(F("row").asc(nulls_first=True), "pk")
        ]

    @property
    def duplicates(self):
        """[{"row": 40, "reason": "...", "need": 123, "kind": "ticket" | "similar"}, ...]."""
        return [
            {"row": issue.row, "reason": issue.messages[0], "need": issue.need_id, "kind": issue.kind}
            for issue in self.issues.exclude(kind=ImportIssueKind.ERROR).order_by("row", "pk")
        ]


class ImportIssueKind(models.TextChoices):
    ERROR = "error", _("Not imported")
    TICKET = "ticket", _("Already imported")
    SIMILAR = "similar", _("Likely duplicate")


class ImportRowIssue(models.Model):
    """One row an import refused, skipped or flagged. Appended chunk by chunk, never rewritten:
    a 100,000-row file with thousands of issues costs one insert per chunk, not a growing JSON."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=10, choices=ImportIssueKind.choices)
    messages = models.JSONField(default=list)
    # The need the row duplicates or resembles (an id, not a key: the need may go).
    need_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("import issue")
        verbose_name_plural = _("import issues")
        indexes = [models.Index(fields=["job", "kind", "row"])]

    def __str__(self):
        return f"{self.job_id}:{self.row} {self.kind}"
