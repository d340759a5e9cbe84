"""Work that production hands to Celery, done by a real `celery -A portal worker` process."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.needs.models import ImportJob, ImportStatus, Need
from marketplace.projects.models import Project, ProjectStatus
from portal.core.models import RenderedFile
from tests.factories import category
from tests.factories.pages import book

from .conftest import wait_for

# Committed data (the worker has its own connection); the migrated data is put back after each test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HEADER = "工单号,标题,内容,类别,社区,网格,联系人,联系电话,受理时间"


def _export(rows, bad_every=0):
    lines = [HEADER]
    for i in range(rows):
        category_name = "不存在的类别" if bad_every and i % bad_every == 0 else "环境整治"
        lines.append(f"W-{i:05d},{i}号楼路灯不亮,晚上很黑,{category_name},甲一社区,,张先生,1390000{i % 10000:04d},")
    return SimpleUploadedFile("hotline.csv", ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv")


def _job(**filters):
    return ImportJob.objects.filter(**filters).order_by("-pk").first()


def test_an_import_runs_through_a_worker_started_as_in_production(client, people, start_worker):
    category("environment", "环境整治")
    start_worker()
    client.force_login(people.community_staff)
    response = client.post("/needs/import/", {"file": _export(30, bad_every=10), "channel": "hotline"})
    assert response.status_code == 302
    dry = wait_for(lambda: _job(dry_run=True, status=ImportStatus.DONE), what="the dry run")
    assert (dry.total_rows, dry.error_count, Need.objects.count()) == (30, 3, 0)
    client.post(f"/needs/import/{dry.pk}/import/")
    real = wait_for(lambda: _job(dry_run=False, status=ImportStatus.DONE), what="the import")
    assert real.created_count == 27 and Need.objects.count() == 27


def test_a_book_pdf_is_rendered_by_the_worker(client, people, tree, home_page, start_worker):
    project = Project.objects.create(
        title="春柳社区独居老人助餐", category=category(), region=tree.community_a1, status=ProjectStatus.PUBLISHED
    )
    page = book(home_page, tree.street_a, [project])
    start_worker()
    assert client.get(page.url + "pdf/").status_code == 202  # queued
    wait_for(lambda: RenderedFile.objects.filter(kind="book_pdf", key=page.print_key()).exists(), what="the PDF")
    response = client.get(page.url + "pdf/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_worker_killed_mid_import_leaves_it_done_once(client, people, start_worker, monkeypatch):
    category("environment", "环境整治")
    client.force_login(people.community_staff)
    rows = 1200  # six chunks: room to kill the worker between two, and a fresh clone's CI a minute shorter
    client.post("/needs/import/", {"file": _export(rows), "channel": "hotline"})
    first = start_worker()
    dry = wait_for(lambda: _job(dry_run=True, status=ImportStatus.DONE), what="the dry run")
    client.post(f"/needs/import/{dry.pk}/import/")
    # Kill the worker (SIGKILL: nothing acknowledged, nothing cleaned up) once some chunks are in.
    wait_for(lambda: _job(dry_run=False) and 0 < _job(dry_run=False).processed_rows < rows, what="the first chunks")
    first.kill()
    stopped_at = _job(dry_run=False).processed_rows
    assert _job(dry_run=False).status == ImportStatus.RUNNING and stopped_at < rows
    # Another worker gets the task back from the broker and resumes after the last committed chunk.
    start_worker()
    real = wait_for(lambda: _job(dry_run=False, status=ImportStatus.DONE), timeout=180, what="the resumed import")
    assert real.created_count == rows and real.duplicate_count == 0
    assert Need.objects.count() == rows
    assert Need.objects.values("external_ref").distinct().count() == rows


def test_an_email_travels_through_the_broker(start_worker):
    from portal.notifications.tasks import send_email_to_address_task

    worker = start_worker()
    result = send_email_to_address_task.delay("someone@example.org", "主题", "正文", "", "zh-hans")
    assert result is not None and result.id  # sent to the broker, not run here
    # The worker sends it with the test settings' in-memory backend, in its own process: its log says so.
    wait_for(lambda: f"{result.id}] succeeded" in worker.output(), what="the email task")


def test_a_change_is_searchable_once_the_worker_has_indexed_it(client, tree, start_worker):
    """Without a worker the index task waits on the broker; the worker writes the entry, and the search page
    finds the project; a change back to draft takes it out again, through the worker too."""
    from search.models import SearchEntry

    project = Project.objects.create(
        title="春柳社区楼道扶手加装", category=category(), region=tree.community_a1, status=ProjectStatus.PUBLISHED
    )
    assert not SearchEntry.objects.filter(object_id=project.pk, doc_type="project").exists()  # on the broker
    start_worker()
    wait_for(lambda: SearchEntry.objects.filter(object_id=project.pk, doc_type="project").exists(), what="the index")
    assert "春柳社区楼道扶手加装" in client.get("/search/", {"q": "楼道 扶手"}).content.decode()
    project.status = ProjectStatus.DRAFT
    project.save()
    wait_for(lambda: not SearchEntry.objects.filter(object_id=project.pk).exists(), what="the index's delete")
    assert "春柳社区楼道扶手加装" not in client.get("/search/", {"q": "楼道 扶手"}).content.decode()
