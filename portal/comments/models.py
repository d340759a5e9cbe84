"""Comments on any record the registry allows (topics, projects, notices, agenda items).

A comment hangs off its target by a generic key. Threads have two levels: a reply to a
reply attaches to the top comment, so a thread never nests deeper than one indent.
The text as written is kept (`body`, for the author to edit); what pages and the API serve
is the sanitised HTML made from it when it is saved (`body_html`). A moderator hides a
comment with a reason (a status move through the workflow); a hidden comment's text is
never served again, to anyone but staff in the admin.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.core.text import NOTE_TEXT

COMMENT_TEXT = 3000
NOTIFICATION_EXCERPT = 140  # characters of a comment shown in the notifications about it


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden by a moderator")


C = CommentStatus
# A moderator may show a comment again after a mistaken hide.
TRANSITIONS = {C.VISIBLE: {C.HIDDEN}, C.HIDDEN: {C.VISIBLE}}


class CommentQuerySet(models.QuerySet):
    def on(self, target):
        return self.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)

    def reported(self):
        """Visible comments with a report no moderator has dealt with yet."""
        return self.filter(status=C.VISIBLE, reports__resolved_at__isnull=True).distinct()


class Comment(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_TEXT)
    body_html = models.TextField(editable=False)
    status = models.CharField(_("status"), max_length=16, choices=CommentStatus.choices, default=C.VISIBLE)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True, max_length=NOTE_TEXT)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=C.HIDDEN) | ~Q(hidden_reason=""), name="comment_hidden_has_reason"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="comment_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id", "parent", "created_at"], name="comment_thread"),
            models.Index(fields=["author", "-created_at"], name="comment_author"),
        ]

    def __str__(self):
        return f"{self.author_id} @ {self.content_type_id}:{self.object_id}"

    def get_absolute_url(self):
        from .registry import target_url

        return f"{target_url(self.target)}#comment-{self.pk}"

    @property
    def is_hidden(self):
        return self.status == C.HIDDEN

    def notification_text(self):
        """What notifications about this comment show, as it is now (portal.notifications)."""
        from .sanitise import to_text

        if self.is_hidden:
            return gettext("This comment was hidden by a moderator.")
        return to_text(self.body_html)[:NOTIFICATION_EXCERPT]

    def edit_deadline(self):
        return self.created_at + timedelta(minutes=settings.COMMENT_EDIT_MINUTES)

    def editable_now(self):
        return not self.is_hidden and timezone.now() < self.edit_deadline()


class Report(models.Model):
    """Someone asks moderators to look at a comment; one open report per person and comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports")
    reason = models.CharField(_("what is wrong with it"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="report_once_per_comment")]
        indexes = [models.Index(fields=["resolved_at", "comment"], name="report_open")]

    def __str__(self):
        return f"{self.reporter_id} → {self.comment_id}"
