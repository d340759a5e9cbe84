from django.contrib import admin

from portal.core.admin import ReadOnlyAdmin

from .models import FollowUpAction, Meeting, NoticePeriod, Registration


@admin.register(NoticePeriod)
class NoticePeriodAdmin(admin.ModelAdmin):
    """Staff set how many days of notice each council gives per kind of meeting (the default is a setting)."""

    list_display = ["council", "kind", "days"]
    list_filter = ["kind"]
    list_select_related = ["council"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "council", "kind", "status", "starts_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["council"]
    search_fields = ["title"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "ref", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["meeting"]
    exclude = ["checkin_token"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "checkin_token"]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(ReadOnlyAdmin):
    list_display = ["what", "responsible", "due_on", "status"]
    list_filter = ["status"]
