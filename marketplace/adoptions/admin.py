from django.contrib import admin

from .models import Adoption, Bid, BidAttachment, BidOpinion


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only here: claims and bids change through their pages and API, where they are checked and recorded."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdmin):
    list_display = ["project", "mode", "status", "claimant", "organisation", "created_at"]
    list_filter = ["status", "mode"]
    list_select_related = ["project", "claimant", "organisation"]
    search_fields = ["project__title"]


class BidAttachmentInline(admin.TabularInline):
    model = BidAttachment
    extra = 0
    can_delete = False
    readonly_fields = ["name", "uploaded_at"]
    fields = ["name", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False


class BidOpinionInline(BidAttachmentInline):
    model = BidOpinion
    readonly_fields = fields = ["representative_name", "representative_role", "opinion", "recorded_at"]


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    list_display = ["project", "organisation", "status", "price", "created_at"]
    list_filter = ["status"]
    list_select_related = ["project", "organisation"]
    search_fields = ["project__title", "organisation__name"]
    inlines = [BidAttachmentInline, BidOpinionInline]
