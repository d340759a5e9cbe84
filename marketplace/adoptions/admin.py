from django.contrib import admin

from portal.core.admin import ReadOnlyAdmin

from .models import Adoption, Bid, BidAttachment, BidOpinion


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
