"""The Django admin's view of Stripe's events: those not applied yet first, read-only (the reconciliation
job and Stripe's next delivery apply them; staff also see them at `funding:stripe_events`)."""

from django.contrib import admin

from .models import StripeEvent


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "status", "payment", "attempts", "received_at", "error"]
    list_filter = ["status", "type"]
    search_fields = ["event_id"]
    ordering = ["-status", "received_at"]
    readonly_fields = [f.name for f in StripeEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
