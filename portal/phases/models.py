"""Phases: the time windows of a council, a call, a vote or a fair that decide which actions are open.

A phase belongs to any record (a generic key) and has a kind — what it opens, e.g. topic
collection for a council, registration for a meeting, voting for a vote, pledging at a fair.
Permission rules compose "is this kind of phase open for the record now?" with role
predicates (see `portal.phases.rules`), so what is allowed when is declared once.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PhaseQuerySet(models.QuerySet):
    def of(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def open_at(self, when=None):
        when = when or timezone.now()
        return self.filter(starts_at__lte=when, ends_at__gt=when)


class Phase(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    # What the phase opens: a short code the owning app defines (e.g. "collect_topics").
    kind = models.CharField(_("kind"), max_length=32)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("opens"))
    ends_at = models.DateTimeField(_("closes"))

    objects = PhaseQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="phase_ends_after_start")]
        indexes = [models.Index(fields=["content_type", "object_id", "kind", "starts_at"], name="phase_subject_kind")]

    def __str__(self):
        return f"{self.kind} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"

    def is_open(self, when=None):
        when = when or timezone.now()
        return self.starts_at <= when < self.ends_at
