"""Topics (议题): matters proposed to a council, supported by residents, put on an agenda.

A resident of the council's region proposes a topic while the council collects them, or
staff turn a referred need into one. Verified residents support it (one support each, held
by a unique constraint); past the council's threshold it joins the agenda queue. Staff
classify it, merge duplicates into one (supports carried over without double counting) or
reject it with a reason; a meeting's agenda item takes it up and its decision closes it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.text import LONG_TEXT, NOTE_TEXT


class TopicStatus(models.TextChoices):
    COLLECTING = "collecting", _("Collecting support")
    QUEUED = "queued", _("Waiting for an agenda")
    SCHEDULED = "scheduled", _("On a meeting's agenda")
    DECIDED = "decided", _("Decided")
    REJECTED = "rejected", _("Not taken up")
    MERGED = "merged", _("Merged into another topic")


T = TopicStatus
TRANSITIONS = {
    # An online vote of the council's members or the area's residents decides a topic without a meeting.
    T.COLLECTING: {T.QUEUED, T.SCHEDULED, T.DECIDED, T.REJECTED, T.MERGED},
    T.QUEUED: {T.SCHEDULED, T.DECIDED, T.REJECTED, T.MERGED},
    # Taken off an agenda (the meeting was cancelled, or the item deferred): back to the queue.
    T.SCHEDULED: {T.DECIDED, T.QUEUED},
    T.DECIDED: set(),
    T.REJECTED: set(),
    T.MERGED: set(),
}
PUBLIC_STATUSES = frozenset(TopicStatus)  # every topic and every move of it is public


class Topic(models.Model):
    council = models.ForeignKey(
        "councils.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="topics"
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("what should be discussed, and why"), max_length=LONG_TEXT)
    category = models.ForeignKey(
        "core.Category", verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("where"), on_delete=models.PROTECT, related_name="topics"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_topics",
    )
    # The need staff referred to the council, when the topic came from one.
    source_need = models.OneToOneField(
        "needs.Need",
        verbose_name=_("from the need"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topic",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TopicStatus.choices, default=T.COLLECTING, db_index=True
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    decision_reason = models.TextField(_("reason"), blank=True, max_length=NOTE_TEXT)
    # Derived from Support rows; kept in step in the same transaction as each support (a test checks).
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=T.REJECTED) | ~Q(decision_reason=""), name="topic_rejected_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status=T.MERGED) | Q(merged_into__isnull=False), name="topic_merged_has_target"
            ),
        ]
        indexes = [
            # The topic list's newest-first order, unfiltered, by status and by council (the council page too).
            models.Index(fields=["-created_at", "-id"], name="topic_newest"),
            models.Index(fields=["status", "-created_at", "-id"], name="topic_status_newest"),
            models.Index(fields=["council", "-created_at", "-id"], name="topic_council_newest"),
            models.Index(fields=["council", "status", "-created_at"], name="topic_council_status"),
            models.Index(fields=["council", "-support_count"], name="topic_council_supports"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("topics:detail", kwargs={"pk": self.pk})


class Support(models.Model):
    """One verified resident's support of a topic; the database refuses a second."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="one_support_per_topic")]

    def __str__(self):
        return f"{self.user_id} → {self.topic_id}"
