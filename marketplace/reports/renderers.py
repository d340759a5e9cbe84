"""The daily report's PDF and workbook, on the shared rendered-files path."""

from portal.core.rendered import Document, forget_files, renderer

from . import render

REPORT_PDF = "daily_report_pdf"
REPORT_XLSX = "daily_report_xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(key):
    from .models import DailyReport

    report_id, _stamp = key.split(":", 1)
    report = DailyReport.objects.filter(pk=report_id).first()
    if report is None or report.files_key != key:
        return None  # gone, or recomputed while queued
    return report


@renderer(REPORT_PDF)
def report_pdf(key):
    report = _report(key)
    if report is None:
        return None
    forget_files(REPORT_PDF, f"{report.pk}:")  # the figures changed: the old file shows old ones
    return Document(render.render_pdf(report), f"minqing-{report.date.isoformat()}.pdf", "application/pdf")


@renderer(REPORT_XLSX)
def report_xlsx(key):
    report = _report(key)
    if report is None:
        return None
    forget_files(REPORT_XLSX, f"{report.pk}:")
    return Document(render.render_xlsx(report), f"minqing-{report.date.isoformat()}.xlsx", XLSX_TYPE)
