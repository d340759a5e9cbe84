from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .languages import DisplayNameMixin
from .storage import private_storage


class Category(DisplayNameMixin, models.Model):
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


class TimelineEvent(models.Model):
    """One step in the life of a record: a status move (or a note), by whom, when. Append-only.

    The shared timeline of every record moved by `portal.core.transitions.Workflow` that
    has no timeline model of its own (projects, organisations' verification, and the
    marketplace's and deliberation's records to come).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id} {self.from_status}→{self.to_status}"

    def _label(self, value):
        model = self.content_type.model_class()
        if model is None:
            return value
        # A model whose timeline's state is not a field with choices names its choices instead.
        statuses = getattr(model, "timeline_status_choices", None)
        if statuses is not None:
            return dict(statuses.choices).get(value, value)
        field = getattr(model, "timeline_status_field", "status")
        return dict(model._meta.get_field(field).choices).get(value, value)

    @property
    def from_label(self):
        return self._label(self.from_status)

    @property
    def to_label(self):
        return self._label(self.to_status)


class RenderedFile(models.Model):
    """A generated document for one state of what it shows (see `portal.core.rendered`)."""

    kind = models.CharField(max_length=40)
    # The document and the state it shows, e.g. "12:3f9a…" (book 12 at that fingerprint).
    key = models.CharField(max_length=200)
    file = models.FileField(upload_to="rendered/", storage=private_storage, max_length=255)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_rendered_file_per_state")]

    def __str__(self):
        return f"{self.kind} {self.key}"
