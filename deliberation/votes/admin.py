from django.contrib import admin

from .models import Vote


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    """Read-only. Ballots, participations and codes have no admin: a secret ballot is shown nowhere beside its voter."""

    list_display = ["question", "council", "status", "ballot", "electorate", "created_at"]
    list_filter = ["status", "ballot", "electorate"]
    list_select_related = ["council"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
