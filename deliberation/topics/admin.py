from django.contrib import admin

from .models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Read-only: topics change through their pages and API, where every move is checked and told."""

    list_display = ["title", "council", "status", "support_count", "created_at"]
    list_filter = ["status", "council__level"]
    list_select_related = ["council"]
    search_fields = ["title"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
