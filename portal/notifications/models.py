from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    NONE = "", _("No email")
    PENDING = "pending", _("To be emailed")
    SENT = "sent", _("Emailed")


class Notification(models.Model):
    """A message to a person: in the app, and by email (several pending ones go out as one email)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # A registered message (portal/notifications/messages.py) and its parameters: the text is written when
    # read, in the reader's language. `title` and `body` keep the text as first written in the recipient's
    # language: what is shown for rows without a key (older ones) or whose key is no longer defined.
    message_key = models.CharField(_("message key"), max_length=100, blank=True, default="")
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # A generated document that goes with the email (a daily report's PDF).
    attachment = models.ForeignKey(
        "core.RenderedFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the message is about, when its text must follow that record as it is when read (a comment a
    # moderator hides later): the subject's `notification_text()` is shown instead of `body`.
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(email_status="pending"),
                name="notification_email_pending",
            ),
        ]

    def __str__(self):
        return self.heading

    def _rendered(self):
        from .messages import render

        return render(self.message_key, self.params) if self.message_key else None

    @property
    def heading(self):
        """The message's title as it reads now, in the active language (the reader's)."""
        rendered = self._rendered()
        return rendered[0] if rendered is not None else self.title

    @property
    def text(self):
        """The message's text as it reads now, in the active language (the reader's)."""
        if self.subject_type_id is not None:
            subject = self.subject
            return subject.notification_text() if subject is not None else ""
        rendered = self._rendered()
        if rendered is None or self.params.get("stored_body"):
            return self.body
        return rendered[1]
