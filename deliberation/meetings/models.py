"""Meetings (会议) of a council: announced with notice, registered for, held, minuted.

A meeting is one of five kinds. Staff draft it, announce it (refused when the council's
notice period for that kind is not respected), open registration until its close, close
registration (a public lottery when more people registered than there are seats), hold it
(check-in at the door), and publish its minutes with a decision per agenda item and the
follow-up actions (who does what by when). Before / during / after (事前问政 / 事中协调 /
事后通报): the agenda is public once announced; votes are taken during; minutes after.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.storage import private_storage
from portal.core.text import LONG_TEXT, NOTE_TEXT
from portal.core.uploads import validate_document


class MeetingKind(models.TextChoices):
    LISTENING = "listening", _("Listening meeting")
    COORDINATION = "coordination", _("Coordination meeting")
    HEARING = "hearing", _("Hearing")
    EVALUATION = "evaluation", _("Evaluation meeting")
    ASSEMBLY = "assembly", _("Representatives' assembly")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced, registration open")
    REGISTRATION_CLOSED = "registration_closed", _("Registration closed")
    HELD = "held", _("Held")
    MINUTES_PUBLISHED = "minutes_published", _("Minutes published")
    CANCELLED = "cancelled", _("Cancelled")


S = MeetingStatus
MEETING_TRANSITIONS = {
    S.DRAFT: {S.ANNOUNCED, S.CANCELLED},
    S.ANNOUNCED: {S.REGISTRATION_CLOSED, S.CANCELLED},
    S.REGISTRATION_CLOSED: {S.HELD, S.CANCELLED},
    S.HELD: {S.MINUTES_PUBLISHED},
    S.MINUTES_PUBLISHED: set(),
    S.CANCELLED: set(),
}
PUBLIC_STATUSES = (S.ANNOUNCED, S.REGISTRATION_CLOSED, S.HELD, S.MINUTES_PUBLISHED, S.CANCELLED)
UPCOMING_STATUSES = (S.ANNOUNCED, S.REGISTRATION_CLOSED)


class Eligibility(models.TextChoices):
    RESIDENTS = "residents", _("Verified residents of the council's area")
    ANYONE = "anyone", _("Anyone with an account")


class MeetingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES)

    def upcoming(self, now=None):
        return self.filter(status__in=UPCOMING_STATUSES, ends_at__gte=now or timezone.now()).order_by("starts_at")

    def visible_to(self, user):
        """Public meetings for everyone; drafts for staff of the council's area (the `view_meeting` rule)."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
        from portal.regions.models import subtree_q

        visible = Q(status__in=PUBLIC_STATUSES)
        if getattr(user, "is_authenticated", False):
            if user.is_superuser:
                return self.all()
            regions = scope_regions(user, ADMINISTRATIVE_ROLES)
            if regions:
                visible |= subtree_q(regions, field="council__region")
        return self.filter(visible)


class Meeting(models.Model):
    council = models.ForeignKey(
        "councils.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(_("seats"), help_text=_("0 means no registration is needed."))
    eligibility = models.CharField(
        _("who may register"), max_length=16, choices=Eligibility.choices, default=Eligibility.RESIDENTS
    )
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=MeetingStatus.choices, default=S.DRAFT)
    # The public lottery (only when oversubscribed): inputs and seed are published before the draw.
    lottery_entries = models.TextField(_("lottery entries"), blank=True)
    lottery_seed = models.CharField(_("lottery seed"), max_length=64, blank=True)
    lottery_drawn_at = models.DateTimeField(_("lottery drawn at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason"), blank=True, max_length=NOTE_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    registration_closed_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change a feed or the home page shows (their caches key on it).
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True) | Q(registration_closes_at__lte=F("starts_at")),
                name="meeting_registration_closes_before_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=S.CANCELLED) | ~Q(cancel_reason=""), name="meeting_cancelled_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="meeting_status_start"),
            models.Index(fields=["council", "-starts_at"], name="meeting_council_start"),
            # The meeting list and the API walk this (newest first) instead of sorting every meeting.
            models.Index(fields=["-starts_at", "-id"], name="meeting_newest"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self):
        return self.status in PUBLIC_STATUSES

    @property
    def needs_registration(self):
        return self.capacity > 0

    def registration_open(self, now=None):
        now = now or timezone.now()
        return (
            self.status == S.ANNOUNCED
            and self.needs_registration
            and (self.registration_closes_at is None or now < self.registration_closes_at)
        )


class NoticePeriod(models.Model):
    """How many days before a meeting of this kind the council must announce it (default: settings)."""

    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="notice_periods")
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    days = models.PositiveSmallIntegerField(_("days of notice"))

    class Meta:
        verbose_name = _("notice period")
        verbose_name_plural = _("notice periods")
        constraints = [models.UniqueConstraint(fields=["council", "kind"], name="one_notice_period_per_kind")]

    def __str__(self):
        return f"{self.council} {self.get_kind_display()}: {self.days}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=LONG_TEXT)
    topic = models.ForeignKey(
        "topics.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    decision = models.TextField(_("decision"), blank=True, max_length=LONG_TEXT)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_order_unique")]

    def __str__(self):
        return f"{self.order}. {self.title}"

    def get_absolute_url(self):
        return reverse("meetings:agenda_item", kwargs={"pk": self.meeting_id, "item_pk": self.pk})


class AgendaDocument(models.Model):
    """Background reading for an agenda item, checked on upload."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(
        _("file"), upload_to="agenda/%Y/%m/", storage=private_storage, validators=[validate_document]
    )
    name = models.CharField(_("name"), max_length=120)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("background document")
        verbose_name_plural = _("background documents")

    def __str__(self):
        return self.name


class Purpose(models.TextChoices):
    ATTEND = "attend", _("Attend")
    SPEAK = "speak", _("Attend and speak")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered, waiting for the close of registration")
    CONFIRMED = "confirmed", _("Seat confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


R = RegistrationStatus
REGISTRATION_TRANSITIONS = {
    R.REGISTERED: {R.CONFIRMED, R.WAITLISTED, R.CANCELLED},
    R.CONFIRMED: {R.CANCELLED},
    R.WAITLISTED: {R.CONFIRMED, R.CANCELLED},
    R.CANCELLED: set(),
}
LIVE_REGISTRATION_STATUSES = (R.REGISTERED, R.CONFIRMED, R.WAITLISTED)


def new_ref():
    return secrets.token_hex(6)


def new_token():
    return secrets.token_urlsafe(16)


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """One's own registrations; every registration of a meeting in a staff member's area."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
        from portal.regions.models import subtree_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        visible = Q(user=user)
        regions = scope_regions(user, ADMINISTRATIVE_ROLES)
        if regions:
            visible |= subtree_q(regions, field="meeting__council__region")
        return self.filter(visible)


class Registration(models.Model):
    """A seat asked for at a meeting, by a resident or entered by staff for someone without an account."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    purpose = models.CharField(_("purpose"), max_length=8, choices=Purpose.choices, default=Purpose.ATTEND)
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices, default=R.REGISTERED)
    # Public reference: the lottery's input (no name, no account id).
    ref = models.CharField(_("reference"), max_length=12, unique=True, default=new_ref)
    # Shown as a QR code to the holder of a confirmed seat; staff scan it at the door.
    checkin_token = models.CharField(max_length=32, unique=True, default=new_token)
    lottery_rank = models.PositiveIntegerField(null=True, blank=True)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False) & ~Q(status="cancelled"),
                name="one_live_registration_per_person",
            ),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="registration_has_someone"),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"), name="registration_checkin_confirmed"
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status", "waitlist_position"], name="registration_queue")]

    def __str__(self):
        return f"{self.display_name} → {self.meeting}"

    def get_absolute_url(self):
        return reverse("meetings:registration", kwargs={"pk": self.pk})

    @property
    def display_name(self):
        if self.user_id:
            return self.user.display_name or self.user.username
        return self.name


class Minutes(models.Model):
    """The record of a held meeting: sanitised rich text, attachments, a PDF made from it."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    body = models.TextField(_("minutes"), max_length=50_000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.meeting)

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + "#minutes"


class MinutesAttachment(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"), upload_to="minutes/%Y/%m/", storage=private_storage, validators=[validate_document]
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("minutes attachment")
        verbose_name_plural = _("minutes attachments")

    def __str__(self):
        return self.name


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


F_ = FollowUpStatus
FOLLOW_UP_TRANSITIONS = {F_.OPEN: {F_.DONE, F_.DROPPED}, F_.DONE: set(), F_.DROPPED: set()}


class FollowUpAction(models.Model):
    """Who does what by when, decided at a meeting; overdue ones are chased by a beat task."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    what = models.CharField(_("what"), max_length=300)
    responsible = models.CharField(_("who"), max_length=120)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    due_on = models.DateField(_("by"))
    status = models.CharField(_("status"), max_length=8, choices=FollowUpStatus.choices, default=F_.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [models.Index(fields=["status", "due_on"], name="follow_up_due")]

    def __str__(self):
        return self.what

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + "#follow-ups"

    def is_overdue(self, today=None):
        return self.status == F_.OPEN and self.due_on < (today or timezone.localdate())
