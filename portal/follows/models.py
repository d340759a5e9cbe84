"""Following a record (a project now; councils, topics and meetings later): its news reach you through `notify`.

Shared by every feature: a feature lists its followable models in FOLLOWABLE and tells `followers_of(obj)`
when something happens; the follow button and the API are the same for all.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# "app_label.model" of the records people may follow, and the permission that lets them see one.
FOLLOWABLE = {
    "projects.project": "projects.view_project",
    "councils.council": "councils.view_council",
    "topics.topic": "topics.view_topic",
}


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="follow_once"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="follow_target")]

    def __str__(self):
        return f"{self.user_id} → {self.content_type_id}:{self.object_id}"
