from django.contrib import admin

from portal.core.admin import ReadOnlyAdmin

from .models import Topic


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    """Read-only: topics change through their pages and API, where every move is checked and told."""

    list_display = ["title", "council", "status", "support_count", "created_at"]
    list_filter = ["status", "council__level"]
    list_select_related = ["council"]
    search_fields = ["title"]
