"""The task makes the PDF (with Chinese text in WenQuanYi) and the workbook; subscribers get it."""

import io
import shutil
import subprocess

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from marketplace.needs.models import Need
from marketplace.reports import services
from marketplace.reports.models import DailyReport, ReportSubscription
from marketplace.reports.render import SHEETS, cjk_font_file, font_face_css
from marketplace.reports.tasks import email_daily_report_task, generate_daily_report_task
from portal.core.storage import private_storage
from portal.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(world):
    generate_daily_report_task(world.day.isoformat(), email=False)
    return DailyReport.objects.get(date=world.day)


def _poppler(tool, pdf_bytes, tmp_path):
    if not shutil.which(tool):
        pytest.skip(f"{tool} needs Debian's poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    args = [tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def test_the_font_is_wenquanyi():
    path = cjk_font_file()
    assert path and path.endswith(".ttc") and "wqy" in path  # Debian's fonts-wqy-microhei
    css = font_face_css(path)
    assert f'url("file://{path}")' in css and 'local("WenQuanYi Micro Hei")' in css
    assert 'src: local("WenQuanYi Micro Hei")' in font_face_css(None)  # no file: the family name


def _files(report):
    pdf, xlsx = services.report_files(report)
    assert pdf is not None and xlsx is not None, "the task renders both"
    return pdf, xlsx


def test_task_makes_the_pdf_with_chinese_text(generated, tmp_path):
    stored, _xlsx = _files(generated)
    assert stored.filename == f"minqing-{generated.date.isoformat()}.pdf"
    pdf = stored.file.read()
    assert pdf.startswith(b"%PDF")
    text = _poppler("pdftotext", pdf, tmp_path)
    for expected in ("民情报告", "环境整治", "道路交通", "甲街道", "乙街道", "城管局", "红绿灯", "66.7%"):
        assert expected in text, expected
    fonts = _poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    # Every glyph came from the report's CJK font, embedded: nothing fell back to another font.
    assert fonts and all(line.split()[0].split("+")[-1].startswith("Report-CJK") for line in fonts), fonts
    assert all(" yes yes yes " in line for line in fonts), fonts


def test_files_are_private():
    from portal.core.models import RenderedFile

    # Generated files are never under MEDIA_URL: served by a view that checks permission.
    assert RenderedFile._meta.get_field("file")._storage_callable is private_storage


def test_workbook_sheets_and_values(generated):
    workbook = load_workbook(io.BytesIO(_files(generated)[1].file.read()))
    with translation.override(settings.LANGUAGE_CODE):
        assert workbook.sheetnames == [str(title) for title in SHEETS.values()]
        sheets = {key: workbook[str(title)] for key, title in SHEETS.items()}
    rows = list(sheets["by_category"].iter_rows(min_row=2, values_only=True))
    assert rows == [("环境整治", 2, 0, 1), ("道路交通", 1, 1, 1)]
    rows = list(sheets["by_street"].iter_rows(min_row=2, values_only=True))
    assert rows == [("甲街道", 2, 0, 1), ("乙街道", 1, 1, 1)]
    street_a = next(sheets["rates_by_street"].iter_rows(min_row=2, values_only=True))
    assert street_a[0] == "甲街道"
    assert street_a[1:4] == (pytest.approx(2 / 3), 2, 3)  # response rate, responded, due
    assert sheets["rates_by_street"]["B2"].number_format == "0.0%"
    departments = [row[0] for row in sheets["rates_by_department"].iter_rows(min_row=2, values_only=True)]
    assert departments == ["交通局", "城管局"]
    words = {row[0]: row[1] for row in sheets["top_words"].iter_rows(min_row=2, values_only=True)}
    assert words["小区"] == 3
    overdue = list(sheets["overdue"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in overdue] == [generated.data["overdue"]["items"][0]["id"], overdue[1][0]]
    assert overdue[0][2:4] == ("道路交通", "乙街道")
    summary = {row[0]: row[1:] for row in sheets["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary[sheets["summary"]["A2"].value][0] == generated.date.isoformat()
    assert list(summary.values())[5][0] == 3  # new needs


def test_downloads(people, generated, client_for):
    client = client_for(people.street_staff_b)
    response = client.get(reverse("reports:report_pdf", kwargs={"day": generated.date}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="minqing-{generated.date.isoformat()}.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response = client.get(reverse("reports:report_xlsx", kwargs={"day": generated.date}))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheetnames) == len(SHEETS)
    page = client.get(generated.get_absolute_url()).content.decode()
    assert reverse("reports:report_pdf", kwargs={"day": generated.date}) in page
    assert "being prepared" not in page


def test_regenerating_updates_the_same_row(world, generated):
    from portal.core.models import RenderedFile

    first_pdf = _files(generated)[0]
    world.r8.delete()
    generate_daily_report_task(world.day.isoformat(), email=False)
    assert DailyReport.objects.count() == 1
    report = DailyReport.objects.get()
    assert report.data["totals"]["new"] == 2
    assert _files(report)[0].key != first_pdf.key
    assert not RenderedFile.objects.filter(pk=first_pdf.pk).exists()  # the old figures' file is gone


def test_default_day_is_yesterday(world):
    result = generate_daily_report_task(email=False)
    assert result["date"] == world.day.isoformat()


def test_subscribers_get_the_report_once(people, world):
    services.subscribe(by=people.street_staff)
    services.subscribe(by=people.department_officer)
    with pytest.raises(PermissionDenied):
        services.subscribe(by=people.resident)
    # Subscribed once, no longer staff: gets nothing.
    ReportSubscription.objects.create(user=people.ngo_member)

    generate_daily_report_task(world.day.isoformat())

    report = DailyReport.objects.get()
    assert report.emailed_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people.street_staff.email, people.department_officer.email])
    message = mail.outbox[0]
    assert "民情报告" in message.subject and world.day.isoformat() in message.subject
    assert Notification.objects.filter(recipient=people.street_staff, url=report.get_absolute_url()).exists()
    assert report.get_absolute_url() in message.body
    assert "3" in message.body  # new needs
    ((filename, content, mimetype),) = message.attachments
    assert filename == f"minqing-{world.day.isoformat()}.pdf" and mimetype == "application/pdf"
    assert content.startswith(b"%PDF")

    email_daily_report_task(report.pk)  # a repeat (beat re-run, redelivery) sends nothing
    generate_daily_report_task(world.day.isoformat())
    assert len(mail.outbox) == 2


def test_failed_sending_is_retried(people, world, monkeypatch):
    from portal.notifications.models import EmailStatus
    from portal.notifications.tasks import send_pending_emails_task

    services.subscribe(by=people.district_staff)
    report = services.generate_daily_report(world.day, files=False)

    def broken(self, messages):
        raise OSError("smtp down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with pytest.raises((OSError, Retry)):  # the sending task asks to be retried
        services.email_daily_report(report.pk)
    # Told in the app; the email is still due and goes out on the task's retry.
    notification = Notification.objects.get(recipient=people.district_staff)
    assert notification.email_status == EmailStatus.PENDING
    monkeypatch.undo()
    assert send_pending_emails_task(people.district_staff.pk) == 1
    assert world.day.isoformat() in mail.outbox[0].subject
    assert mail.outbox[0].attachments == []  # no PDF yet: the link only


def test_a_lost_file_is_made_again(people, generated, client_for):
    stored = _files(generated)[0]
    stored.file.storage.delete(stored.file.name)
    client = client_for(people.district_staff)
    response = client.get(reverse("reports:report_pdf", kwargs={"day": generated.date}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_daily_report_survives_hostile_titles(world):
    # Titles stored before inputs refused control characters (or written by a bug) must not stop the report.
    Need.objects.filter(pk=world.r5.pk).update(title="=cmd|' /C calc'!A0 \x07井盖")
    generate_daily_report_task(world.day.isoformat(), email=False)
    report = DailyReport.objects.get(date=world.day)
    sheet = load_workbook(_files(report)[1].file.open("rb"))
    titles = [row[1] for row in sheet.worksheets[-1].iter_rows(min_row=2, values_only=True)]
    assert "'=cmd|' /C calc'!A0 井盖" in titles
