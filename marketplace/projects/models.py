from django.conf import settings
from django.db import models
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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.title
