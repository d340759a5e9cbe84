from django.contrib import admin

from portal.core.admin import ReadOnlyAdmin

from .models import Vote


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    """Read-only. Ballots, participations and codes have no admin: a secret ballot is shown nowhere beside its voter."""

    list_display = ["question", "council", "status", "ballot", "electorate", "created_at"]
    list_filter = ["status", "ballot", "electorate"]
    list_select_related = ["council"]
