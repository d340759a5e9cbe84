from django.contrib import admin

from .models import DailyReport


@admin.register(DailyReport)
class DailyReportAdmin(admin.ModelAdmin):
    """Read-only: reports are made by the beat job (generate_daily_report_task)."""

    list_display = ["date", "generated_at", "emailed_at"]
    date_hierarchy = "date"
    readonly_fields = ["date", "data", "generated_at", "emailed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
