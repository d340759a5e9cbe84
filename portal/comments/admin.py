from django.contrib import admin

from .models import Comment, Report


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    readonly_fields = ["reporter", "reason", "created_at", "resolved_at"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Read-only: comments are hidden from the moderation queue, where the author is told why."""

    list_display = ["__str__", "author", "status", "created_at"]
    list_filter = ["status", "content_type"]
    list_select_related = ["author"]
    search_fields = ["body"]
    inlines = [ReportInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
