from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DailyReport(models.Model):
    """The daily report (民情报告) for one calendar day.

    `data` holds every figure (see `compute.compute_report`), so the page, the PDF
    and the workbook render from the row without touching the needs again.
    """

    date = models.DateField(_("date"), unique=True)
    data = models.JSONField(_("figures"), default=dict, encoder=DjangoJSONEncoder)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    # Set when the subscribers were sent this report, so a retried or repeated task sends it once.
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")

    def __str__(self):
        return f"民情报告 {self.date.isoformat()}"

    def get_absolute_url(self):
        return reverse("reports:report_detail", kwargs={"day": self.date})

    @property
    def files_key(self):
        """Its PDF's and workbook's key on the rendered-files path: this report as last computed."""
        stamp = int(self.generated_at.timestamp() * 1000) if self.generated_at else 0
        return f"{self.pk}:{stamp}"


class ReportSubscription(models.Model):
    """A staff member who receives the daily report by email."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="report_subscription"
    )
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")

    def __str__(self):
        return str(self.user)
