"""Bulk import of hotline exports: dry run, import, re-run, files, pages."""

from datetime import datetime

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from marketplace.needs import importing
from marketplace.needs.models import Channel, ImportJob, ImportStatus, Need
from marketplace.needs.tasks import run_import_task
from tests.factories import NeedFactory, UserFactory, category

pytestmark = pytest.mark.django_db

HEADER = ["工单号", "标题", "内容", "类别", "社区", "网格", "联系人", "联系电话", "受理时间"]
# The import at 10,000 rows (its speed) is measured by bench/import_speed.py; here the same
# behaviour on 200 rows.
ROWS = 200
# The 50 bad rows: kind -> how many, spread through the file.
BAD_KINDS = ["category"] * 8 + ["community"] * 8 + ["title"] * 8 + ["date"] * 8
BAD_KINDS += ["dup"] * 6 + ["outside"] * 7 + ["phone"] * 5
# Data index -> kind: gaps of 5, 5 and 2 rows, so every bad row follows a good one (a "dup" repeats the
# ticket before it) and they fall on rows of three of _good_row's four kinds; row 4 stays good.
BAD_AT = {1 + 4 * k + k % 3: kind for k, kind in enumerate(BAD_KINDS)}
GOOD = ROWS - len(BAD_AT)


@pytest.fixture
def staff(people):
    people.street_staff.language = "en"  # reasons are read in the importing user's language
    people.street_staff.save(update_fields=["language"])
    return people.street_staff


@pytest.fixture
def categories(db):
    return category("environment", "环境整治"), category("facilities", "公共设施")


def _ticket(i):
    return f"2024{i:08d}"


def _good_row(i):
    # Street A only: a grid by name within its community, a community alone, a grid by code.
    community, grid = [("甲一社区", "甲一第1网格"), ("甲二社区", ""), ("", "D010101"), ("甲一社区", "")][i % 4]
    received = [datetime(2024, 5, 1, 9, 30), "2024/05/02 10:15", "", "2024年5月3日"][i % 4]
    phone = [13800001111, "0431-88881234", "", "138****1111"][i % 4]
    category_name = ["环境整治", "facilities"][i % 2]
    title = f"第{i}号楼路灯不亮" if i % 2 else f"{i}号楼前垃圾堆放"
    return [
        _ticket(i),
        title,
        f"居民反映：{title}，请尽快处理。",
        category_name,
        community,
        grid,
        "张先生",
        phone,
        received,
    ]


def _bad_row(i, kind):
    row = _good_row(i)
    if kind == "category":
        row[3] = "不存在的类别"
    elif kind == "community":
        row[4], row[5] = "不存在社区", ""
    elif kind == "title":
        row[1] = ""
    elif kind == "date":
        row[8] = "2024-13-45"
    elif kind == "dup":
        row[0] = _ticket(i - 1)
    elif kind == "outside":
        row[4], row[5] = "乙一社区", ""
    elif kind == "phone":
        row[7] = "abc-123"
    return row


EXPECTED_REASON = {
    "category": "unknown category “不存在的类别”",
    "community": "unknown community “不存在社区”",
    "title": "missing title",
    "date": "bad date “2024-13-45”",
    "outside": "“乙一社区” is outside your area",
    "phone": "bad phone “abc-123”",
}


def _expected_reason(i, kind):
    if kind == "dup":
        return f"appears twice in the file (first in row {i - 1 + 2})"
    return EXPECTED_REASON[kind]


def _write_xlsx(path, rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def big_export(tmp_path, tree, categories):
    rows = (_bad_row(i, BAD_AT[i]) if i in BAD_AT else _good_row(i) for i in range(ROWS))
    return _write_xlsx(tmp_path / "12345工单导出.xlsx", rows)


def _start(user, path, name=None, channel=Channel.HOTLINE):
    with open(path, "rb") as handle:
        return importing.start_import(by=user, file=File(handle, name=name or path.name), channel=channel)


def _run(job):
    """What the worker does (the on-commit enqueue is not run inside the test's transaction)."""
    run_import_task(job.pk)
    job.refresh_from_db()
    return job


def test_two_hundred_rows_with_fifty_bad_ones(staff, big_export):
    dry = _run(_start(staff, big_export))
    assert Need.objects.count() == 0
    assert (dry.status, dry.total_rows, dry.processed_rows) == (ImportStatus.DONE, ROWS, ROWS)
    assert (dry.error_count, dry.duplicate_count, importing.good_rows(dry)) == (50, 0, GOOD)
    _assert_the_fifty(dry.row_errors)

    real = _run(importing.confirm_import(by=staff, job=dry))
    assert (real.status, real.dry_run, real.processed_rows) == (ImportStatus.DONE, False, ROWS)
    assert (real.created_count, real.duplicate_count, real.error_count) == (GOOD, 0, 50)
    _assert_the_fifty(real.row_errors)
    assert Need.objects.filter(channel=Channel.HOTLINE, entered_by=staff).count() == GOOD
    need = Need.objects.get(external_ref=_ticket(4))
    assert (need.region.name, need.category.slug, need.contact_phone) == ("甲一第1网格", "environment", "13800001111")
    assert need.created_at.isoformat() == "2024-05-01T01:30:00+00:00"  # 09:30 in Asia/Shanghai
    assert need.events.get().to_status == "submitted"
    assert importing.confirm_import(by=staff, job=dry) == real  # a second click: the same job

    again = _run(_start(staff, big_export))
    assert (again.duplicate_count, again.error_count, importing.good_rows(again)) == (GOOD, 50, 0)
    again = _run(ImportJob.objects.create(file=dry.file.name, dry_run=False, created_by=staff))
    assert (again.created_count, again.duplicate_count, again.error_count) == (0, GOOD, 50)
    assert Need.objects.count() == GOOD
    assert {d["need"] for d in again.duplicates} == set(Need.objects.values_list("pk", flat=True))


def _assert_the_fifty(row_errors):
    assert len(row_errors) == 50
    by_row = {item["row"]: item["errors"] for item in row_errors}
    for i, kind in BAD_AT.items():
        reasons = by_row[i + 2]  # header is row 1, data index 0 is row 2
        assert len(reasons) == 1 and _expected_reason(i, kind) in reasons[0], (i + 2, kind, reasons)


def _small_rows():
    return [
        ["T-1", "路灯不亮", "3号楼前路灯坏了", "环境整治", "甲一社区", "甲一第1网格", "李女士", "13900001111", ""],
        ["T-2", "垃圾没人清", "", "environment", "甲二社区", "", "", "", "2024-05-01 08:00"],
        ["T-3", "井盖丢失", "小区门口", "公共设施", "D0101", "", "", "", datetime(2024, 4, 30, 17, 5)],
        ["T-4", "", "没有标题", "未知类别", "乙一社区", "", "", "110", "昨天"],
    ]


def test_a_dry_run_creates_nothing_and_reports_every_reason(staff, categories, tmp_path):
    job = _run(_start(staff, _write_xlsx(tmp_path / "small.xlsx", _small_rows())))
    assert Need.objects.count() == 0
    assert (job.total_rows, job.error_count, importing.good_rows(job)) == (4, 1, 3)
    [item] = job.row_errors
    assert item["row"] == 5
    assert item["errors"] == [
        "missing title",
        "unknown category “未知类别”",
        "“乙一社区” is outside your area",
        "bad phone “110”",
        "bad date “昨天”",
    ]


def test_a_dry_run_lists_tickets_already_imported_and_similar_open_needs(staff, categories, tree, tmp_path):
    imported = NeedFactory(channel=Channel.HOTLINE, external_ref="T-2", region=tree.community_a2)
    similar = NeedFactory(title="3号楼路灯不亮", description="3号楼前路灯坏了很久", region=tree.grid_a1)
    job = _run(_start(staff, _write_xlsx(tmp_path / "small.xlsx", _small_rows())))
    assert job.duplicate_count == 1 and importing.good_rows(job) == 2
    assert {(d["row"], d["need"], d["kind"]) for d in job.duplicates} == {
        (3, imported.pk, "ticket"),
        (2, similar.pk, "similar"),
    }
    assert "already imported" in next(d["reason"] for d in job.duplicates if d["row"] == 3)


def test_a_gb18030_csv_from_chinese_excel(staff, categories, tmp_path):
    lines = [
        "12345热线工单导出（2024年5月）",  # a title line above the header is skipped
        ",".join(HEADER),
        "C-1,楼道灯坏了,五楼楼道灯不亮,环境整治,甲一社区,,王先生,138 0000 2222,2024年5月3日 14:20",
        'C-2,"健身器材损坏","小广场的器材，一直没人修",公共设施,甲二社区,,,="043188881234",2024/5/4',
        "",
        "C-3,𠀋字工单,GB18030 四字节字符,facilities,,甲一第1网格,,,",
    ]
    path = tmp_path / "export.csv"
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    job = _run(importing.confirm_import(by=staff, job=_run(_start(staff, path))))
    assert (job.created_count, job.error_count) == (3, 0), job.row_errors
    first = Need.objects.get(external_ref="C-1")
    assert (first.title, first.contact_phone, first.region.name) == ("楼道灯坏了", "138 0000 2222", "甲一社区")
    assert Need.objects.get(external_ref="C-2").contact_phone == "043188881234"
    assert Need.objects.get(external_ref="C-3").title == "𠀋字工单"


def test_a_utf8_csv_with_english_headers(staff, categories, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Ticket,Title,Description,Category,Grid,Contact phone,Received at\n"
        "E-1,Broken bench,The bench is broken,environment,甲一第1网格,+8613800003333,2024-05-01T09:00:00\n",
        encoding="utf-8-sig",
    )
    job = _run(importing.confirm_import(by=staff, job=_run(_start(staff, path))))
    assert job.created_count == 1
    assert Need.objects.get(external_ref="E-1").region.code == "D010101"


def test_a_file_without_the_required_columns_is_refused_at_upload(staff, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("工单号,内容,社区\nX-1,路灯,甲一社区\n", encoding="utf-8")
    with pytest.raises(importing.ImportFileError, match="(Missing columns|缺少列).*标题.*类别"):
        _start(staff, path)
    assert not ImportJob.objects.exists()


def test_an_interrupted_import_resumes_without_duplicates(staff, categories, tmp_path, monkeypatch):
    path = _write_xlsx(tmp_path / "small.xlsx", _small_rows())
    dry = _run(_start(staff, path))
    monkeypatch.setattr(importing, "CHUNK", 2)
    real_chunk = importing._process_chunk
    calls = []

    class WorkerLost(BaseException):
        pass

    def crash_on_second_chunk(*args):
        calls.append(1)
        if len(calls) == 2:
            raise WorkerLost
        return real_chunk(*args)

    monkeypatch.setattr(importing, "_process_chunk", crash_on_second_chunk)
    with pytest.raises(WorkerLost):  # without a broker the task runs at once, on commit
        importing.confirm_import(by=staff, job=dry)
    job = ImportJob.objects.get(dry_run=False)
    assert (job.status, job.processed_rows, job.created_count, Need.objects.count()) == ("running", 2, 2, 2)

    monkeypatch.setattr(importing, "_process_chunk", real_chunk)
    job = _run(job)  # the broker redelivers the task
    assert (job.status, job.processed_rows, job.created_count, job.error_count) == ("done", 4, 3, 1)
    assert Need.objects.count() == 3
    _run(job)  # a finished job returns at once
    assert Need.objects.count() == 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 5, 1, 9, 30), "2024-05-01 09:30"),
        ("2024-05-01 09:30:00", "2024-05-01 09:30"),
        ("2024/5/1 9:30", "2024-05-01 09:30"),
        ("2024.05.01", "2024-05-01 00:00"),
        ("2024年5月1日 9:30", "2024-05-01 09:30"),
        ("20240501", "2024-05-01 00:00"),
        (45413.5, "2024-05-01 12:00"),  # an Excel serial date in an unformatted cell
    ],
)
def test_dates_in_the_formats_exports_use(value, expected):
    assert importing.parse_received_at(value).strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize("value", ["2024-13-45", "昨天", "1899-12-31", 12, "45413x"])
def test_bad_dates(value):
    with pytest.raises(ValueError):
        importing.parse_received_at(value)


@pytest.mark.parametrize(
    "value", ["13800001111", 13800001111.0, "+86 138-0000-1111", "0431-88881234", "88881234", "138****1111"]
)
def test_good_phones(value):
    assert importing.clean_phone(value)


@pytest.mark.parametrize("value", ["abc-123", "110", "1380000111", "23800001111", "1" * 31])
def test_bad_phones(value):
    with pytest.raises(ValueError):
        importing.clean_phone(value)


# --- pages --------------------------------------------------------------


def test_the_upload_page_is_for_regional_staff(client_for, people):
    url = reverse("needs_import:import_start")
    assert client_for(None).get(url).status_code == 302  # to the login page
    for user in (people.resident, people.plain, people.ngo_member, people.department_officer):
        assert client_for(user).get(url).status_code == 403
    for user in (people.grid_worker, people.street_staff, people.district_staff):
        assert client_for(user).get(url).status_code == 200


def test_a_job_is_seen_only_by_its_creator(client_for, people, staff, categories, tmp_path):
    job = _run(_start(staff, _write_xlsx(tmp_path / "small.xlsx", _small_rows())))
    url = reverse("needs_import:import_job", kwargs={"pk": job.pk})
    assert client_for(staff).get(url).status_code == 200
    for user in (people.street_staff_b, people.community_staff, people.district_staff):
        assert client_for(user).get(url).status_code == 404
    assert client_for(people.resident).get(url).status_code == 403
    confirm = reverse("needs_import:import_confirm", kwargs={"pk": job.pk})
    assert client_for(people.street_staff_b).post(confirm).status_code == 404
    assert client_for(UserFactory(is_superuser=True)).get(url).status_code == 200
    assert not ImportJob.objects.filter(dry_run=False).exists()


def test_upload_dry_run_then_import_through_the_pages(
    client_for, staff, categories, tmp_path, django_capture_on_commit_callbacks
):
    client = client_for(staff)
    path = _write_xlsx(tmp_path / "工单.xlsx", _small_rows())
    upload = SimpleUploadedFile("工单.xlsx", path.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("needs_import:import_start"), {"file": upload, "channel": "hotline"})
    dry = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("needs_import:import_job", kwargs={"pk": dry.pk})

    page = client.get(response.url).content.decode()
    dry.refresh_from_db()
    assert dry.status == ImportStatus.DONE
    assert 'http-equiv="refresh"' not in page and "<progress" in page
    assert "Import the 3 good rows" in page and "missing title" in page and "<td>5</td>" in page
    assert Need.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("needs_import:import_confirm", kwargs={"pk": dry.pk}))
    real = ImportJob.objects.get(dry_run=False)
    assert response.url == reverse("needs_import:import_job", kwargs={"pk": real.pk})
    assert Need.objects.filter(external_ref__in=["T-1", "T-2", "T-3"]).count() == 3
    page = client.get(response.url).content.decode()
    assert "Import the" not in page and real.get_status_display() in page
    page = client.get(reverse("needs_import:import_job", kwargs={"pk": dry.pk})).content.decode()
    assert "Import the" not in page and reverse("needs_import:import_job", kwargs={"pk": real.pk}) in page


def test_a_running_job_page_refreshes_itself(client_for, staff, tmp_path):
    with open(_write_xlsx(tmp_path / "x.xlsx", []), "rb") as handle:
        job = ImportJob.objects.create(
            file=File(handle, name="x.xlsx"),
            original_name="x.xlsx",
            created_by=staff,
            status=ImportStatus.RUNNING,
            total_rows=1000,
            processed_rows=400,
        )
    page = client_for(staff).get(reverse("needs_import:import_job", kwargs={"pk": job.pk})).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert 'value="400" max="1000"' in page and "Import the" not in page


def test_the_upload_form_explains_a_bad_file(client_for, staff):
    upload = SimpleUploadedFile("export.xls", b"\xd0\xcf\x11\xe0 old excel")
    response = client_for(staff).post(reverse("needs_import:import_start"), {"file": upload, "channel": "hotline"})
    assert response.status_code == 200 and "Old .xls files cannot be read" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_grid_workers_import_only_within_their_grid(people, categories, tmp_path):
    worker = people.grid_worker
    worker.language = "en"
    worker.save(update_fields=["language"])
    job = _run(_start(worker, _write_xlsx(tmp_path / "small.xlsx", _small_rows())))
    # Only T-1 is in grid A1; T-2 (community A2) and T-3 (community A1 itself) are outside it.
    assert (job.error_count, importing.good_rows(job)) == (3, 1)


def test_a_file_over_the_row_limit_is_refused_with_the_limit(staff, categories, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    job = _run(_start(staff, _write_xlsx(tmp_path / "small.xlsx", _small_rows())))
    assert job.status == ImportStatus.FAILED
    [failure] = job.row_errors
    assert "3" in failure["errors"][0] and "4" in failure["errors"][0]
    assert Need.objects.count() == 0


def test_cells_with_control_characters_are_row_errors(staff, categories, tmp_path):
    path = tmp_path / "ctl.csv"  # a workbook cannot even hold them; a CSV can
    path.write_text(",".join(HEADER) + "\nC-1,路灯\x1b不亮,,环境整治,甲一社区,,,,\n", encoding="utf-8")
    job = _run(_start(staff, path))
    assert job.error_count == 1 and "control character" in job.row_errors[0]["errors"][0]


def test_a_file_that_is_not_a_spreadsheet_is_refused_at_upload(staff, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(importing.ImportFileError):
        _start(staff, path)
