"""Anonymous copies of the portal's own views (portal/core/kept_views.py) stay exactly as live as rendering.

The copies are kept under one data version that every write of shown data renews
(portal/core/writes.py): a model's save, `.update()`, raw SQL, a comment, a gift. These tests read a
page as an anonymous visitor until it comes from the copy, change the data by each path, and check
that the next anonymous read shows the change; and that nobody signed in is ever served a copy.
"""

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from marketplace.projects.models import Project
from portal.comments.services import post_comment
from portal.core import writes
from portal.core.kept_views import kept_entry
from tests.factories import deliberation as topics_factory
from tests.factories import meetings as meetings_factory
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db


def read_until_kept(client, path, **headers):
    first = client.get(path, **headers)
    assert first.status_code == 200, path
    again = client.get(path, **headers)
    assert again["X-Page-Cache"] == "hit", path
    assert again.content == first.content  # the copy is the page as rendered
    return again


@pytest.fixture
def project(tree):
    return published_project(tree.community_a1, title="楼道扶手加装", target_yuan=100_000)


def test_sql_that_changes_shown_data_is_told_from_reads_and_private_tables():
    assert not writes.changes_shown_data('SELECT "projects_project"."id" FROM "projects_project"')
    assert not writes.changes_shown_data('SAVEPOINT "s1"')
    assert writes.changes_shown_data('UPDATE "projects_project" SET "title" = %s')
    assert writes.changes_shown_data('INSERT INTO "comments_comment" ("body") VALUES (%s)')
    assert writes.changes_shown_data('DELETE FROM "funding_payment" WHERE id = 1')
    assert writes.changes_shown_data("WITH x AS (DELETE FROM t RETURNING *) SELECT 1")  # unusual: assumed a change
    # Signing in writes the session and the audit log: no page shows them, the copies stay.
    assert not writes.changes_shown_data('UPDATE "django_session" SET "session_data" = %s')
    assert not writes.changes_shown_data('INSERT INTO "audit_auditentry" ("action") VALUES (%s)')
    assert not writes.changes_shown_data('INSERT INTO "notifications_notification" ("key") VALUES (%s)')


def test_a_write_renews_the_version_once_at_its_commit(project):
    before = writes.data_version()
    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(title="楼道扶手和照明")
        Project.objects.filter(pk=project.pk).update(summary="再写一次：同一事务只续一次")
        assert writes.data_version() == before  # a page rendered now shows the old data: its version stays
    assert writes.data_version() != before
    with pytest.raises(RuntimeError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(title="回滚的标题")
        raise RuntimeError
    after_rollback = writes.data_version()
    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(title="楼道扶手和照明（修订）")
    assert writes.data_version() != after_rollback


def test_the_project_page_shows_every_kind_of_write_at_once(client, people, project):
    path = project.get_absolute_url()
    read_until_kept(client, path)

    Project.objects.filter(pk=project.pk).update(title="楼道扶手和照明")  # .update(): no signal
    page = client.get(path)
    assert page["X-Page-Cache"] == "miss" and "楼道扶手和照明" in page.content.decode()

    read_until_kept(client, path)
    with connection.cursor() as cursor:  # raw SQL, as a maintenance script would
        cursor.execute("UPDATE projects_project SET title = %s WHERE id = %s", ["楼道扶手加装（二期）", project.pk])
    assert "楼道扶手加装（二期）" in client.get(path).content.decode()

    read_until_kept(client, path)
    post_comment(by=people.resident, target=project, body="三号楼的扶手已经松了，盼早日装上。")
    assert "三号楼的扶手已经松了" in client.get(path).content.decode()


def test_a_page_is_never_served_from_a_copy_to_someone_signed_in(client, people, project):
    path = project.get_absolute_url()
    read_until_kept(client, path)
    client.force_login(people.community_staff)
    page = client.get(path)
    assert "X-Page-Cache" not in page and page.context["can_change"]  # rendered for them, with their actions


def test_a_signed_in_visitors_copy_is_never_kept_for_others(client, people, project):
    client.force_login(people.community_staff)
    client.get(project.get_absolute_url())
    client.logout()
    first = client.get(project.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"  # nothing from the staff member's visit was kept


def test_the_funding_deadline_ends_the_copy(client, tree):
    deadline = timezone.now() + datetime.timedelta(minutes=10)
    project = published_project(tree.community_a1, target_yuan=50_000, funding_deadline=deadline)
    path = project.get_absolute_url()
    with time_machine.travel(deadline - datetime.timedelta(seconds=30), tick=False):
        read_until_kept(client, path)
        assert not client.get(path).context  # served from the copy
    with time_machine.travel(deadline + datetime.timedelta(seconds=1), tick=False):
        page = client.get(path)
        assert page["X-Page-Cache"] == "miss"  # nothing was written: the clock alone ended the copy
        assert page.context["project"].funding_closed


def test_no_copy_outlives_kept_view_seconds(client, settings, project):
    settings.KEPT_VIEW_SECONDS = 60
    path = project.get_absolute_url()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        read_until_kept(client, path)
        clock.shift(59)
        assert client.get(path)["X-Page-Cache"] == "hit"
        clock.shift(2)
        assert client.get(path)["X-Page-Cache"] == "miss"


def test_a_language_or_text_size_of_its_own_gets_a_copy_of_its_own(client, project):
    path = project.get_absolute_url()
    chinese = read_until_kept(client, path)
    client.cookies["django_language"] = "en"
    english = client.get(path)
    assert english["X-Page-Cache"] == "miss" and english.content != chinese.content
    client.cookies["textsize"] = "large"
    assert client.get(path)["X-Page-Cache"] == "miss"


def test_nocache_renders_the_page_afresh_as_it_is_without_it(client, api_for, project):
    path = project.get_absolute_url()
    kept = read_until_kept(client, path)
    fresh = client.get(path + "?nocache=1")
    assert "X-Page-Cache" not in fresh and fresh.context["project"] == project
    assert "nocache" not in fresh.wsgi_request.GET  # the view and its filters never see it
    listed = client.get("/topics/?nocache=1")
    assert listed.status_code == 200 and not listed.context["filters"].is_bound
    api = api_for(None).get("/api/v1/projects/?nocache=1")
    assert "X-Page-Cache" not in api and "nocache" not in (api.json()["next"] or "")
    assert kept.content.count(b"<h1") == fresh.content.count(b"<h1")


def test_a_topic_a_meeting_and_a_council_show_a_new_support_or_status_at_once(client, people, tree):
    council = topics_factory.council(tree.community_a1)
    topic = topics_factory.topic(council, by=people.resident)
    meeting = meetings_factory.meeting(council)
    for path in (topic.get_absolute_url(), meeting.get_absolute_url(), council.get_absolute_url(), "/meetings/"):
        read_until_kept(client, path)
    type(topic).objects.filter(pk=topic.pk).update(title="小区东门加装充电桩和雨棚")
    type(meeting).objects.filter(pk=meeting.pk).update(title="楼道堆物整治第二次恳谈会")
    assert "充电桩和雨棚" in client.get(topic.get_absolute_url()).content.decode()
    assert "充电桩和雨棚" in client.get(council.get_absolute_url()).content.decode()
    assert "第二次恳谈会" in client.get(meeting.get_absolute_url()).content.decode()
    assert "第二次恳谈会" in client.get("/meetings/").content.decode()


def test_the_api_keeps_json_for_anonymous_clients_only_and_still_throttles(api_for, people, project, monkeypatch):
    anonymous = api_for(None)
    first = anonymous.get("/api/v1/projects/")
    again = anonymous.get("/api/v1/projects/")
    assert again["X-Page-Cache"] == "hit" and again.json() == first.json()
    Project.objects.filter(pk=project.pk).update(title="楼道扶手和照明")
    assert anonymous.get("/api/v1/projects/").json()["results"][0]["title"] == "楼道扶手和照明"
    assert "X-Page-Cache" not in api_for(people.resident).get("/api/v1/projects/")
    # A copy is answered after DRF's throttles ran: the limit holds for copies too.
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "3/minute"})
    statuses = [api_for(None).get("/api/v1/projects/").status_code for _ in range(6)]
    assert 429 in statuses


def test_an_api_copy_is_plain_json_even_when_gzip_is_offered(api_for, project):
    anonymous = api_for(None)
    anonymous.get("/api/v1/projects/", HTTP_ACCEPT_ENCODING="gzip")
    hit = anonymous.get("/api/v1/projects/", HTTP_ACCEPT_ENCODING="gzip")
    assert hit["X-Page-Cache"] == "hit" and "Content-Encoding" not in hit and hit.json()["results"]


def test_a_kept_entry_carries_no_cookie_or_csrf_token(rf):
    from django.http import HttpResponse

    entry = kept_entry("v", HttpResponse("页面"), 60)
    assert entry[0] == "v" and entry[1] == "页面".encode() and entry[4] is not None
