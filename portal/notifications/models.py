from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    NONE = "", _("No email")
    PENDING = "pending", _("To be emailed")
    SENT = "sent", _("Emailed")


class Notification(models.Model):
    """A message to a person: in the app, and by email (several pending ones go out as one email)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # A generated document that goes with the email (a daily report's PDF).
    attachment = models.ForeignKey(
        "core.RenderedFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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
        return self.title
