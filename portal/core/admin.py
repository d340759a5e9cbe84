from django.contrib import admin

from .models import Category


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through their pages and API, where every move is checked, recorded and
    told: staff may look them up here, not add, edit or delete them (the change page shows the record with no
    save button)."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}
