from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models.fields.json import KT
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services, tasks
from .models import DailyReport, ReportSubscription
from .render import report_context

RENDER_LOCK_SECONDS = 600
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require_reader(user):
    if not user.has_perm("reports.view_report"):
        raise PermissionDenied


def _prepare_files(report):
    """Ask a worker for the missing PDF and workbook (once per lock period): never rendered here."""
    if report.files_ready:
        return
    if cache.add(tasks.render_lock_key(report.pk), True, timeout=RENDER_LOCK_SECONDS):
        tasks.render_report_files_task.delay(report.pk)


@login_required
def report_list(request):
    _require_reader(request.user)
    reports = (
        DailyReport.objects.defer("data")
        .annotate(
            total_new=KT("data__totals__new"),
            total_closed=KT("data__totals__closed"),
            total_overdue=KT("data__totals__overdue"),
        )
        .order_by("-date")
    )
    page = Paginator(reports, 31).get_page(request.GET.get("page"))
    subscribed = ReportSubscription.objects.filter(user=request.user).exists()
    return render(request, "reports/report_list.html", {"page": page, "subscribed": subscribed})


@login_required
def report_detail(request, day):
    _require_reader(request.user)
    report = get_object_or_404(DailyReport, date=day)
    _prepare_files(report)
    return render(request, "reports/report_detail.html", report_context(report))


@never_cache
@login_required
def report_download(request, day, kind):
    _require_reader(request.user)
    report = get_object_or_404(DailyReport, date=day)
    file = report.pdf if kind == "pdf" else report.xlsx
    try:
        handle = file.open("rb") if file else None
    except FileNotFoundError:
        DailyReport.objects.filter(pk=report.pk).update(**{"pdf" if kind == "pdf" else "xlsx": ""})
        report.refresh_from_db()
        handle = None
    if handle is None:
        _prepare_files(report)
        messages.info(request, _("The file is being prepared. Try again in a minute."))
        return redirect(report)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"minqing-{report.date.isoformat()}.{kind}",
        content_type=CONTENT_TYPES[kind],
    )


@login_required
@require_POST
def subscribe(request):
    services.subscribe(by=request.user)
    messages.success(request, _("You will receive the daily report by email each morning."))
    return redirect("reports:report_list")


@login_required
@require_POST
def unsubscribe(request):
    services.unsubscribe(by=request.user)
    messages.success(request, _("You will no longer receive the daily report by email."))
    return redirect("reports:report_list")
