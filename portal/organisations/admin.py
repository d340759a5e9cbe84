from django.contrib import admin

from .models import Invitation, Membership, Organisation, VerificationDocument


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class DocumentInline(admin.TabularInline):
    model = VerificationDocument
    extra = 0
    readonly_fields = ["uploaded_by", "uploaded_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "uscc", "region", "verification_status", "created_at"]
    list_filter = ["kind", "verification_status"]
    search_fields = ["name", "uscc"]
    autocomplete_fields = ["region", "service_regions"]
    readonly_fields = ["verification_status", "verified_at", "verified_by", "created_by"]
    list_select_related = ["region"]
    inlines = [MembershipInline, DocumentInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at"]
    readonly_fields = ["token"]
