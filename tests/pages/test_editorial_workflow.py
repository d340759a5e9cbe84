"""An editor drafts a notice, a moderator approves it, and only then do visitors see it."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from portal.audit.models import AuditEntry
from portal.pages.models import NoticePage
from tests.factories.pages import notice_index

TITLE = "关于西港区冬季供暖报修的通知"


def notice_form(**overrides):
    data = {
        "title": TITLE,
        "slug": "heating-repairs",
        "category": "notice",
        "issuing_body": "西港区住建局",
        "region": "",
        "summary": "供暖报修电话与受理时间。",
        "body": rich_text("<p>居民可拨打 12345 报修，24 小时受理。</p>"),
        "attachments": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def visible_to_visitors(client):
    client.logout()
    return {
        "page": client.get("/notices/heating-repairs/").status_code == 200,
        "home": TITLE in client.get("/").content.decode(),
        "list": TITLE in client.get("/notices/").content.decode(),
        "feed": TITLE in client.get(reverse("feeds:notices_rss")).content.decode(),
        "sitemap": "/notices/heating-repairs/" in client.get("/sitemap.xml").content.decode(),
        "api": TITLE in client.get("/api/v1/notices/").content.decode(),
    }


@pytest.mark.django_db
def test_editor_submits_moderator_approves_then_visitors_see_it(client, home_page, people):
    index = notice_index(home_page)
    assert not any(visible_to_visitors(client).values())

    # The editor drafts and submits for moderation; editors cannot publish.
    client.force_login(people.editor)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("pages", "noticepage", index.pk)),
        {**notice_form(), "action-submit": "Submit"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = NoticePage.objects.get(slug="heating-repairs", locale__language_code="zh-hans")
    assert not notice.live
    assert notice.current_workflow_state is not None
    # Cached views from before must not hide the change later, and nothing is public yet.
    assert not any(visible_to_visitors(client).values())

    # The moderator approves: the notice goes live.
    client.force_login(people.moderator)
    task_state = notice.current_workflow_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(notice.pk, "approve", task_state.pk)), {"comment": ""}
    )
    assert response.status_code in (200, 302)
    notice.refresh_from_db()
    assert notice.live
    assert visible_to_visitors(client) == dict.fromkeys(["page", "home", "list", "feed", "sitemap", "api"], True)
    # Who did what is in the portal's audit log.
    actions = set(AuditEntry.objects.filter(target_id=str(notice.pk)).values_list("action", "actor__username"))
    assert {("page.submit", "editor"), ("page.approve", "moderator"), ("page.publish", "moderator")} <= actions


@pytest.mark.django_db
def test_editor_cannot_publish_directly(client, home_page, people):
    index = notice_index(home_page)
    client.force_login(people.editor)
    client.post(
        reverse("wagtailadmin_pages:add", args=("pages", "noticepage", index.pk)),
        {**notice_form(), "action-publish": "Publish"},
    )
    notice = NoticePage.objects.filter(slug="heating-repairs", locale__language_code="zh-hans").first()
    assert notice is None or not notice.live
    assert client.get("/notices/heating-repairs/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "plain", "resident", "district_staff", "ngo_member"])
def test_only_editors_and_moderators_reach_the_cms(client, home_page, people, who):
    user = getattr(people, who)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:add", args=("pages", "noticepage", home_page.pk)))
    assert response.status_code in (302, 403)
    assert Page.objects.type(NoticePage).count() == 0


@pytest.mark.django_db
def test_a_moderator_can_reject_and_the_notice_stays_hidden(client, home_page, people):
    index = notice_index(home_page)
    client.force_login(people.editor)
    client.post(
        reverse("wagtailadmin_pages:add", args=("pages", "noticepage", index.pk)),
        {**notice_form(), "action-submit": "Submit"},
    )
    notice = NoticePage.objects.get(slug="heating-repairs", locale__language_code="zh-hans")
    client.force_login(people.moderator)
    task_state = notice.current_workflow_task_state
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(notice.pk, "reject", task_state.pk)),
        {"comment": "请补充电话"},
    )
    notice.refresh_from_db()
    assert not notice.live
    assert AuditEntry.objects.filter(action="page.reject", target_id=str(notice.pk)).exists()
    assert not any(visible_to_visitors(client).values())


@pytest.mark.django_db
def test_a_project_listed_twice_in_a_book_is_refused_with_a_message(client, home_page, people, tree):
    from portal.pages.models import ProjectBookPage
    from tests.factories.pages import ProjectFactory, book_index

    index = book_index(home_page)
    project = ProjectFactory(region=tree.district)
    client.force_login(people.moderator)
    data = nested_form_data(
        {
            "title": "西港区社会项目推介书 2026年第4期",
            "slug": "2026-4",
            "edition": "2026年第4期",
            "edition_date": "2026-12-01",
            "scope_region": tree.district.pk,
            "introduction": rich_text("<p>本期</p>"),
            "entries": inline_formset([{"project": project.pk, "note": ""}, {"project": project.pk, "note": "重复"}]),
            "comments": inline_formset([]),
        }
    )
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("pages", "projectbookpage", index.pk)),
        {**data, "action-publish": "Publish"},
    )
    assert response.status_code == 200  # the form again, with the editor's input kept
    html = response.content.decode()
    assert "2026年第4期" in html
    assert "This project is already in this edition." in html or "该项目已在本期中。" in html
    assert not ProjectBookPage.objects.filter(slug="2026-4").exists()
