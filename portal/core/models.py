from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A field of work (elderly care, environment…), shared by organisations, needs and projects."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name
