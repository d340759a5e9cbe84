from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["region", "organisation"]
    readonly_fields = ["granted_by", "created_at"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Gongzhi", {"fields": ("display_name", "phone", "home_community", "language")}),
    )
    list_display = ["username", "email", "display_name", "is_staff", "is_active"]
    search_fields = ["username", "email", "display_name", "phone"]
    autocomplete_fields = ["home_community"]
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "organisation", "verified_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "region__name"]
    autocomplete_fields = ["user", "region", "organisation"]
    list_select_related = ["user", "region", "organisation"]
