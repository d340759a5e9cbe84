from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
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


# Totals kept by their owners with `.update()` in the owner's transaction: `amount_raised` by the
# funding ledger (the sum of the project's entries), `need_count` by merging needs. An ordinary
# `save()` of an existing project leaves them alone (see `Project.save`).
KEPT_BY_THEIR_OWNERS = ("amount_raised", "need_count")


class Project(models.Model):
    """A fundable piece of community work, often built from several similar needs (合并同类项)."""

    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("full description"), blank=True)
    category = models.ForeignKey("core.Category", verbose_name=_("category"), on_delete=models.PROTECT)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices, default=P.DRAFT, db_index=True)
    budget = MoneyField(_("budget"), default=0)
    # What donors are asked for: the budget less what matching funds or the district already cover.
    # 0 means the whole budget (see `funding_target`).
    target = MoneyField(_("funding target"), default=0)
    funding_deadline = models.DateTimeField(_("funding deadline"), null=True, blank=True)
    implementer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("implementing organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implemented_projects",
    )
    # An assigned project (党政部门交办): a department handed it to its implementer directly.
    assigned_by = models.CharField(
        _("assigned by"),
        max_length=120,
        blank=True,
        help_text=_("The authority that assigned it, e.g. the district civil affairs bureau."),
    )
    assignment_reason = models.TextField(_("why it was assigned"), blank=True, max_length=1000)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # The ways of taking part the project asks for (申领 modes).
    wants_funds = models.BooleanField(_("wants funding"), default=True)
    wants_implementer = models.BooleanField(_("wants an organisation to run it"), default=False)
    wants_in_kind = models.BooleanField(_("wants gifts in kind"), default=False)
    wants_volunteers = models.BooleanField(_("wants volunteers"), default=False)
    # Kept by the funding services; the sum of confirmed contributions.
    amount_raised = MoneyField(_("amount raised"), default=0)
    # How many residents' needs were merged into it ("most needed" first); kept by `merge_needs`.
    need_count = models.PositiveIntegerField(_("needs it answers"), default=0)
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
            models.CheckConstraint(condition=models.Q(target__gte=0), name="project_target_not_negative"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="project_status_published"),
            # The public list's three orders, walked in order whatever the number of projects.
            models.Index(Coalesce("published_at", "created_at").desc(), models.F("id").desc(), name="project_newest"),
            models.Index("funding_deadline", "id", condition=models.Q(status="published"), name="project_closing_soon"),
            models.Index(
                models.F("need_count").desc(),
                Coalesce("published_at", "created_at").desc(),
                models.F("id").desc(),
                name="project_most_needed",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Save, but never write back the totals others keep (`KEPT_BY_THEIR_OWNERS`) over an existing row.

        An object read before a gift was confirmed still holds the old `amount_raised`; saving it
        (an edit, a status move, a script) must not undo the ledger. So saving an existing project
        without `update_fields` writes every other field (only the loaded ones if some were
        deferred, as Django does); creating one writes them all. Writing a kept total on purpose
        means naming it: `save(update_fields=["amount_raised"])`.
        """
        if (
            not args
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
            and not self._state.adding
            and self.pk is not None
        ):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.name not in KEPT_BY_THEIR_OWNERS
                and field.attname not in deferred
                and not getattr(field, "generated", False)
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def open_to_claim(self):
        return self.status == P.PUBLISHED

    @property
    def funding_target(self):
        """What donors are asked for, in fen: the target if set, else the whole budget."""
        return self.target or self.budget

    @property
    def funding_closed(self):
        """Published and still short, but past its funding deadline: no more gifts (donors choose a refund
        or a move, marketplace.funding.deadlines)."""
        return (
            self.status == P.PUBLISHED and self.funding_deadline is not None and self.funding_deadline <= timezone.now()
        )

    @property
    def funding_gap(self):
        return max(0, self.funding_target - self.amount_raised)

    @property
    def funding_percent(self):
        """Share of the funding target raised, 0–100, for progress bars."""
        if not self.funding_target:
            return 100 if self.status in FUNDED_STATUSES else 0
        return min(100, self.amount_raised * 100 // self.funding_target)


class BudgetLine(models.Model):
    """One line of a project's budget: what the money is for."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    label = models.CharField(_("item"), max_length=120)
    amount = MoneyField(_("amount"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_line_not_negative")]

    def __str__(self):
        return self.label


class InKindItem(models.Model):
    """Something the project would rather receive than buy: 20 folding chairs, a wheelchair ramp."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="in_kind_items")
    name = models.CharField(_("item"), max_length=120)
    quantity = models.PositiveIntegerField(_("quantity wanted"))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    estimated_value = MoneyField(_("estimated value"), default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("item wanted in kind")
        verbose_name_plural = _("items wanted in kind")

    def __str__(self):
        return self.name
