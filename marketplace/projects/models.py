from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.money import MoneyField


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    FUNDED = "funded", _("Funded")
    IN_PROGRESS = "in_progress", _("In implementation")
    COMPLETED = "completed", _("Completed")
    EVALUATED = "evaluated", _("Evaluated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


P = ProjectStatus
# Every allowed move; the shared workflow (marketplace.projects.services.workflow) refuses anything else.
TRANSITIONS = {
    P.DRAFT: {P.PUBLISHED, P.WITHDRAWN},
    P.PUBLISHED: {P.FUNDED, P.WITHDRAWN},
    P.FUNDED: {P.IN_PROGRESS, P.COMPLETED},
    P.IN_PROGRESS: {P.COMPLETED},
    P.COMPLETED: {P.EVALUATED},
    P.EVALUATED: set(),
    P.WITHDRAWN: set(),
}
FUNDED_STATUSES = (P.FUNDED, P.IN_PROGRESS, P.COMPLETED, P.EVALUATED)
FINISHED_STATUSES = (P.COMPLETED, P.EVALUATED)


class ProjectQuerySet(models.QuerySet):
    def public(self):
        """Projects anyone may see: everything past the draft."""
        return self.exclude(status=P.DRAFT)

    def visible_to(self, user):
        """Public projects, and drafts for staff of their area (the `view_project` rule's facts)."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
        from portal.regions.models import subtree_q

        visible = ~models.Q(status=P.DRAFT)
        if getattr(user, "is_authenticated", False):
            if user.is_superuser:
                return self.all()
            regions = scope_regions(user, ADMINISTRATIVE_ROLES)
            if regions:
                visible |= subtree_q(regions)
        return self.filter(visible)


class Project(models.Model):
    """A fundable piece of community work, often built from several similar needs (合并同类项)."""

    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(_("summary"), blank=True)
    category = models.ForeignKey("core.Category", verbose_name=_("category"), on_delete=models.PROTECT)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices, default=P.DRAFT, db_index=True)
    budget = MoneyField(_("budget"), default=0)
    # Kept by the funding services; the sum of confirmed contributions.
    amount_raised = MoneyField(_("amount raised"), default=0)
    beneficiaries = models.CharField(_("beneficiaries"), max_length=200, blank=True)
    beneficiary_count = models.PositiveIntegerField(_("number of beneficiaries"), default=0)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    funded_at = models.DateTimeField(_("funded at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Project books' pages and PDFs are cached until one of their projects changes.
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="project_budget_not_negative"),
            models.CheckConstraint(condition=models.Q(amount_raised__gte=0), name="project_raised_not_negative"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def open_to_claim(self):
        return self.status == P.PUBLISHED

    @property
    def funding_percent(self):
        """Share of the budget raised, 0–100, for progress bars."""
        if not self.budget:
            return 100 if self.status in FUNDED_STATUSES else 0
        return min(100, self.amount_raised * 100 // self.budget)
