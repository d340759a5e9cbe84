from django.contrib import admin

from portal.core.admin import ReadOnlyAdmin

from .models import Comment, Report


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    readonly_fields = ["reporter", "reason", "created_at", "resolved_at"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    """Read-only: comments are hidden from the moderation queue, where the author is told why."""

    list_display = ["__str__", "author", "status", "created_at"]
    list_filter = ["status", "content_type"]
    list_select_related = ["author"]
    search_fields = ["body"]
    inlines = [ReportInline]
