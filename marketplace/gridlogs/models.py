from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.text import LONG_TEXT, ReasonableDate


class GridLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A grid worker's own logs and those of the grids in a staff member's area (as the view rule says)."""
        from portal.accounts.roles import REGIONAL_STAFF_ROLES, scope_regions
        from portal.regions.models import subtree_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(Q(author=user) | subtree_q(scope_regions(user, REGIONAL_STAFF_ROLES), field="grid"))


class GridLog(models.Model):
    """民情日志: a grid worker's day in their grid."""

    grid = models.ForeignKey(
        "regions.Region", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="grid_logs"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grid_logs")
    date = models.DateField(_("date"), validators=[ReasonableDate(days_ahead=0)])
    visits_made = models.PositiveIntegerField(_("households visited"), default=0)
    summary = models.TextField(_("summary of the day"), blank=True, max_length=LONG_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GridLogQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("grid log")
        verbose_name_plural = _("grid logs")
        constraints = [models.UniqueConstraint(fields=["author", "grid", "date"], name="one_grid_log_per_day")]
        indexes = [models.Index(fields=["grid", "-date"])]

    def __str__(self):
        return f"{self.date} {self.grid}"

    def get_absolute_url(self):
        return reverse("gridlogs:grid_log_detail", kwargs={"pk": self.pk})


class PersonKind(models.TextChoices):
    ELDERLY_ALONE = "elderly_alone", _("Elderly person living alone")
    LOW_INCOME = "low_income", _("Low-income household")
    DISABLED = "disabled", _("Person with a disability")
    OTHER = "other", _("Other")


class Visit(models.Model):
    """A person visited. Private: only the author and staff of the region see it."""

    log = models.ForeignKey(GridLog, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("who"), max_length=16, choices=PersonKind.choices)
    person_name = models.CharField(_("name"), max_length=60)
    address = models.CharField(_("address"), max_length=120, blank=True)
    notes = models.CharField(_("notes"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self):
        return f"{self.get_kind_display()} {self.person_name}"


class Issue(models.Model):
    """An issue found on patrol; one click turns it into a need."""

    log = models.ForeignKey(GridLog, on_delete=models.CASCADE, related_name="issues")
    description = models.CharField(_("issue found"), max_length=255)
    category = models.ForeignKey("core.Category", verbose_name=_("category"), on_delete=models.PROTECT)
    need = models.OneToOneField(
        "needs.Need", null=True, blank=True, on_delete=models.SET_NULL, related_name="grid_log_issue"
    )

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        constraints = [models.CheckConstraint(condition=~Q(description=""), name="grid_issue_has_text")]

    def __str__(self):
        return self.description
