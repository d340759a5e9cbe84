from datetime import date

from django.urls import path, register_converter

from . import views


class ReportDateConverter:
    """A report's day in the URL, as 2026-05-01."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return date.fromisoformat(value)  # a ValueError makes the URL not match

    def to_url(self, value):
        return value.isoformat() if isinstance(value, date) else str(value)


register_converter(ReportDateConverter, "reportdate")

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("unsubscribe/", views.unsubscribe, name="unsubscribe"),
    path("<reportdate:day>/", views.report_detail, name="report_detail"),
    path("<reportdate:day>/pdf/", views.report_download, {"kind": "pdf"}, name="report_pdf"),
    path("<reportdate:day>/xlsx/", views.report_download, {"kind": "xlsx"}, name="report_xlsx"),
]
