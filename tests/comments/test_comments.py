"""The shared comments: who may write where, what survives of the markup, hiding, limits, bounded queries."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from portal.accounts.models import Role
from portal.comments import services
from portal.comments.models import Comment, CommentStatus, Report
from portal.follows.services import follow
from portal.notifications.models import Notification
from tests.factories import UserFactory
from tests.factories.accounts import grant
from tests.factories.deliberation import council, topic
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db

INJECTIONS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<svg onload="alert(1)"><circle r="3"/></svg>',
    '<p onclick="alert(1)" style="color:red">点击</p>',
    '<iframe src="https://evil.example/"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">数据</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '"><script>alert(document.cookie)</script>',
    "<body onload=alert(1)>",
]
DANGEROUS = ["<script", "onerror", "onload", "onclick", "javascript:", "<svg", "<iframe", "data:text", "<img", "<style"]


@pytest.fixture
def project(tree):
    return published_project(tree.community_a1, title="甲一社区长者助餐")


@pytest.fixture
def board(tree):
    return council(tree.community_a1)


def _thread_html(client, target):
    return client.get(target.get_absolute_url()).content.decode()


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_is_inert_on_the_page_and_in_the_api_when_posted(payload, people, project, client_for, api_for):
    client = client_for(people.resident)
    response = client.post(f"/comments/on/project/{project.pk}/", {"body": f"我的意见 {payload} 完"})
    assert response.status_code in (302, 400)
    page = _thread_html(client, project)
    thread = page[page.index('id="comments"') :]
    for marker in DANGEROUS:
        assert marker not in thread.lower()
    listed = api_for(None).get(f"/api/v1/comments/?target_type=project&target_id={project.pk}").json()
    for comment in listed["results"]:
        for marker in DANGEROUS:
            assert marker not in (comment["html"] or "").lower()


def test_allowed_markup_survives_and_links_are_nofollow_when_posted(people, project):
    comment = services.post_comment(
        by=people.resident,
        target=project,
        body='<p><strong>赞成</strong>，参考<a href="https://example.org/x" target="_blank">这里</a></p>',
    )
    assert "<strong>赞成</strong>" in comment.body_html
    assert 'rel="nofollow ugc"' in comment.body_html and "target=" not in comment.body_html


def test_reply_to_a_reply_joins_the_top_comment_and_tells_its_author(people, project):
    top = services.post_comment(by=people.resident, target=project, body="助餐点选址在哪里？")
    reply = services.post_comment(by=people.plain, target=project, body="在活动中心一楼", parent=top)
    again = services.post_comment(by=people.ngo_member, target=project, body="一楼有无障碍坡道", parent=reply)
    assert reply.parent == top and again.parent == top
    assert Notification.objects.filter(recipient=people.resident, url__endswith=f"#comment-{reply.pk}").exists()
    assert Notification.objects.filter(recipient=people.plain, url__endswith=f"#comment-{again.pk}").exists()


def test_followers_hear_of_new_comments_but_not_of_their_own(people, project):
    follow(by=people.donor, obj=project)
    follow(by=people.resident, obj=project)
    services.post_comment(by=people.resident, target=project, body="希望周末也开放")
    assert Notification.objects.filter(recipient=people.donor, title__contains="甲一社区长者助餐").count() == 1
    assert not Notification.objects.filter(recipient=people.resident).exists()


def test_topic_comment_refused_when_not_a_resident_of_the_region(people, tree, board, client_for):
    subject = topic(board, people.resident)
    outsider = grant(UserFactory(), Role.RESIDENT, tree.community_b1)
    for user in (people.plain, outsider, people.district_staff):
        response = client_for(user).post(f"/comments/on/topic/{subject.pk}/", {"body": "我也来说两句"})
        assert response.status_code == 403
    response = client_for(None).post(f"/comments/on/topic/{subject.pk}/", {"body": "匿名"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client_for(people.resident).post(f"/comments/on/topic/{subject.pk}/", {"body": "支持加装"})
    assert response.status_code == 302
    assert Comment.objects.on(subject).count() == 1


def test_unknown_or_invisible_target_is_not_found_when_commenting(people, tree, client_for, api_for):
    draft = published_project(tree.community_a1, title="草稿项目")
    type(draft).objects.filter(pk=draft.pk).update(status="draft")
    client = client_for(people.resident)
    assert client.post(f"/comments/on/project/{draft.pk}/", {"body": "x"}).status_code == 404
    assert client.post(f"/comments/on/need/{draft.pk}/", {"body": "x"}).status_code == 404
    api = api_for(people.resident)
    body = {"target_type": "project", "target_id": draft.pk, "body": "x"}
    assert api.post("/api/v1/comments/", body, format="json").status_code == 404
    assert api.get(f"/api/v1/comments/?target_type=project&target_id={draft.pk}").status_code == 404
    assert api.get("/api/v1/comments/").status_code == 400
    assert api.get("/api/v1/comments/?target_type=user&target_id=1").status_code == 400


def test_empty_comment_keeps_the_form_with_a_message_when_only_markup(people, project, client_for):
    response = client_for(people.resident).post(f"/comments/on/project/{project.pk}/", {"body": "<script>x</script>"})
    assert response.status_code == 400
    assert "Write your comment." in response.content.decode() or "请填写评论内容" in response.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in response.content.decode()  # what they typed, kept (escaped)


def test_author_edits_within_the_window_and_not_after(people, project, client_for, api_for):
    comment = services.post_comment(by=people.resident, target=project, body="初稿")
    client = client_for(people.resident)
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "修改后"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "修改后" and comment.edited_at is not None
    assert client_for(people.plain).post(f"/comments/{comment.pk}/edit/", {"body": "x"}).status_code == 403
    api = api_for(people.resident)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert client_for(people.resident).post(f"/comments/{comment.pk}/edit/", {"body": "晚了"}).status_code == 403
        assert api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "晚了"}, format="json").status_code == 403
    assert api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "再改"}, format="json").status_code == 200


def test_rate_limit_refuses_the_comment_past_the_limit(settings, people, project, client_for, api_for):
    settings.COMMENT_RATE_LIMIT = (2, 60)
    api = api_for(people.resident)
    body = {"target_type": "project", "target_id": project.pk, "body": "意见"}
    assert api.post("/api/v1/comments/", body, format="json").status_code == 201
    assert api.post("/api/v1/comments/", body, format="json").status_code == 201
    refused = api.post("/api/v1/comments/", body, format="json")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    page = client_for(people.resident).post(f"/comments/on/project/{project.pk}/", {"body": "第三条意见"})
    assert page.status_code == 400 and "第三条意见" in page.content.decode()
    assert Comment.objects.count() == 2
    assert api_for(people.plain).post("/api/v1/comments/", body, format="json").status_code == 201  # per person


def test_hidden_comment_text_is_gone_from_page_api_and_search_and_author_told_why(people, project, client_for, api_for):
    secret = "隔壁王某的电话是13900001111"
    comment = services.post_comment(by=people.plain, target=project, body=secret)
    services.report_comment(by=people.resident, comment=comment, reason="泄露隐私")
    moderator = client_for(people.moderator)
    queue = moderator.get("/comments/moderation/").content.decode()
    assert secret in queue
    response = moderator.post(f"/comments/{comment.pk}/hide/", {"hide-reason": "含他人电话号码"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN and comment.hidden_by == people.moderator
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert secret not in moderator.get("/comments/moderation/").content.decode()

    for user in (None, people.resident, people.plain, people.moderator):
        page = client_for(user).get(project.get_absolute_url()).content.decode()
        assert "13900001111" not in page
        assert "hidden by a moderator" in page or "已被审核员隐藏" in page
        listed = api_for(user).get(f"/api/v1/comments/?target_type=project&target_id={project.pk}").json()
        assert "13900001111" not in str(listed)
        assert "13900001111" not in str(api_for(user).get(f"/api/v1/comments/{comment.pk}/").json())
    assert "隔壁王某" not in client_for(None).get("/search/", {"q": "13900001111"}).content.decode()
    told = Notification.objects.get(recipient=people.plain)
    assert "含他人电话号码" in told.body


def test_report_is_once_per_person_and_refused_for_the_author_and_hidden(people, project, api_for):
    comment = services.post_comment(by=people.plain, target=project, body="广告：低价装修")
    api = api_for(people.resident)
    assert api.post(f"/api/v1/comments/{comment.pk}/report/", {"reason": "广告"}, format="json").status_code == 200
    assert api.post(f"/api/v1/comments/{comment.pk}/report/", {}, format="json").status_code == 200
    assert Report.objects.count() == 1
    assert api_for(people.plain).post(f"/api/v1/comments/{comment.pk}/report/", {}, format="json").status_code == 403
    assert api_for(None).post(f"/api/v1/comments/{comment.pk}/report/", {}, format="json").status_code in (401, 403)
    hide = {"reason": "广告"}
    assert api.post(f"/api/v1/comments/{comment.pk}/hide/", hide, format="json").status_code == 403
    hidden = api_for(people.moderator).post(f"/api/v1/comments/{comment.pk}/hide/", hide, format="json")
    assert hidden.status_code == 200 and hidden.json()["html"] is None
    assert api.post(f"/api/v1/comments/{comment.pk}/report/", {}, format="json").status_code == 403


def test_hide_needs_a_reason(people, project, api_for):
    comment = services.post_comment(by=people.plain, target=project, body="x")
    response = api_for(people.moderator).post(f"/api/v1/comments/{comment.pk}/hide/", {"reason": ""}, format="json")
    assert response.status_code == 400


def test_moderation_queue_is_for_moderators_only(people, client_for):
    assert client_for(people.moderator).get("/comments/moderation/").status_code == 200
    for user in (people.resident, people.district_staff, people.editor):
        assert client_for(user).get("/comments/moderation/").status_code == 403
    assert client_for(None).get("/comments/moderation/").status_code == 302


def _many_comments(project, authors, n):
    for i in range(n):
        top = Comment.objects.create(
            target=project, author=authors[i % len(authors)], body=f"意见{i}", body_html=f"意见{i}"
        )
        Comment.objects.create(
            target=project, parent=top, author=authors[(i + 1) % len(authors)], body="回复", body_html="回复"
        )


def test_thread_queries_are_bounded_whatever_the_number_of_comments(
    people, project, client_for, django_assert_max_num_queries
):
    authors = [people.resident, people.plain, people.ngo_member, people.donor]
    client = client_for(people.resident)
    client.get(project.get_absolute_url())  # warm the per-process caches
    _many_comments(project, authors, 3)
    with django_assert_max_num_queries(60) as few:
        client.get(project.get_absolute_url())
    _many_comments(project, authors, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(project.get_absolute_url()).content.decode()
    assert page.count('class="comment-body"') == 86


def test_comment_on_a_notice_reaches_the_cached_page(people, home_page, client_for):
    from tests.factories.pages import notice

    page = notice(home_page, "关于停水的通知")
    anonymous = client_for(None)
    assert "今天几点来水" not in anonymous.get(page.url).content.decode()
    services.post_comment(by=people.resident, target=page, body="今天几点来水？")
    assert "今天几点来水" in anonymous.get(page.url).content.decode()


def test_the_comment_form_help_names_the_tags_it_allows(people, project, client_for):
    # Help texts are text: "<strong>" is shown as the tag's name, not swallowed as markup ("可以使用、、列表").
    page = client_for(people.resident).get(project.get_absolute_url()).content.decode()
    assert "&lt;strong&gt;" in page and "&lt;em&gt;" in page
