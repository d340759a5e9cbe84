from django.contrib import admin

from .models import CalendarDay, Need, NeedEvent, ServiceLevel, SupervisionOrder


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = ["__str__", "hours_to_accept", "working_days_to_answer"]
    list_filter = ["channel", "category"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "is_workday"]
    date_hierarchy = "date"


class NeedEventInline(admin.TabularInline):
    model = NeedEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "from_status", "to_status", "actor", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    """Read-only here: status changes go through the work queue so they are checked and recorded."""

    list_display = ["title", "status", "channel", "category", "region", "created_at", "is_overdue"]
    list_filter = ["status", "channel", "is_overdue", "category"]
    search_fields = ["title", "external_ref"]
    list_select_related = ["category", "region"]
    readonly_fields = [f.name for f in Need._meta.fields]
    inlines = [NeedEventInline]

    def has_add_permission(self, request):
        return False


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(admin.ModelAdmin):
    list_display = ["need", "level", "region", "issued_at", "resolved_at"]
    list_filter = ["level"]
    list_select_related = ["need", "region"]
