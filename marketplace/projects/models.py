from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    FUNDED = "funded", _("Funded")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Project(models.Model):
    """A fundable piece of community work, often built from several similar needs (合并同类项).

    This is what merging needs requires; the marketplace issue completes it.
    """

    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(_("summary"), blank=True)
    category = models.ForeignKey("core.Category", verbose_name=_("category"), on_delete=models.PROTECT)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT, db_index=True
    )
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    # Kept by the funding services; the sum of confirmed contributions.
    amount_raised = models.DecimalField(
        _("amount raised (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    beneficiaries = models.CharField(_("beneficiaries"), max_length=200, blank=True)
    beneficiary_count = models.PositiveIntegerField(_("number of beneficiaries"), default=0)
    funded_at = models.DateTimeField(_("funded at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Project books' pages and PDFs are cached until one of their projects changes.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def open_to_claim(self):
        return self.status == ProjectStatus.PUBLISHED

    @property
    def funding_percent(self):
        """Share of the budget raised, 0–100, for progress bars."""
        if not self.budget:
            return 100 if self.status in FUNDED_STATUSES else 0
        return min(100, int(self.amount_raised * 100 / self.budget))


FUNDED_STATUSES = (ProjectStatus.FUNDED, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE)
