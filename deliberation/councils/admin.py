"""Staff edit councils, their members and their phases in the Django admin (like the other records staff set up)."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from portal.phases.models import Phase

from .models import Council, CouncilMember


class MemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["name", "role", "user", "organisation", "term_start", "term_end"]


class PhaseInline(GenericTabularInline):
    model = Phase
    extra = 0
    fields = ["kind", "title", "starts_at", "ends_at"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region", "support_threshold", "is_active"]
    list_filter = ["level", "is_active"]
    list_select_related = ["region"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["region"]
    inlines = [MemberInline, PhaseInline]


@admin.register(CouncilMember)
class CouncilMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "council", "role", "term_start", "term_end"]
    list_filter = ["role", "council__level"]
    list_select_related = ["council"]
    search_fields = ["name", "council__name"]
    autocomplete_fields = ["council", "user"]
