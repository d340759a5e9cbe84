from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models.fields.json import KT
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.core.rendered import request_file, serve_file

from . import services
from .models import DailyReport, ReportSubscription
from .render import report_context
from .renderers import REPORT_PDF, REPORT_XLSX


def _require_reader(user):
    if not user.has_perm("reports.view_report"):
        raise PermissionDenied


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
    # Missing files are asked of a worker now (once), so they are likely ready when the reader wants them.
    files = [request_file(kind, report.files_key) for kind in (REPORT_PDF, REPORT_XLSX)]
    context = report_context(report)
    context["files_ready"] = all(files)
    return render(request, "reports/report_detail.html", context)


@never_cache
@login_required
def report_download(request, day, kind):
    _require_reader(request.user)
    report = get_object_or_404(DailyReport, date=day)
    return serve_file(
        request,
        REPORT_PDF if kind == "pdf" else REPORT_XLSX,
        report.files_key,
        as_attachment=True,
        pending_context={"title": str(report), "back_url": report.get_absolute_url()},
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
