from django.contrib import admin

from .models import Evaluation, EvaluationWindow, Milestone, ProgressReport, Tranche


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "due_on", "status", "tranche_amount"]
    list_filter = ["status"]
    raw_id_fields = ["project", "decided_by", "created_by"]
    readonly_fields = ["status", "reported_at", "decided_at", "reported_on_time"]


@admin.register(Tranche)
class TrancheAdmin(admin.ModelAdmin):
    list_display = ["milestone", "organisation", "amount", "status", "paid_at"]
    list_filter = ["status"]
    raw_id_fields = ["milestone", "project", "organisation", "approved_by", "paid_by", "ledger_entry"]
    readonly_fields = ["status", "amount", "paid_at"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["project", "organisation", "created_at", "is_final"]
    raw_id_fields = ["project", "milestone", "organisation", "author"]


@admin.register(EvaluationWindow)
class EvaluationWindowAdmin(admin.ModelAdmin):
    list_display = ["project", "opens_at", "closes_at", "closed_at"]
    raw_id_fields = ["project", "opened_by"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["project", "channel", "created_at"]
    list_filter = ["channel"]
    raw_id_fields = ["project", "rater", "entered_by", "meeting"]
