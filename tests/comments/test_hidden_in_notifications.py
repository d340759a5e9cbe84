"""A comment hidden by a moderator is hidden in the notifications about it too (issue 19)."""

import pytest
from django.core import mail

from portal.comments import services
from portal.follows.services import follow
from portal.notifications.models import EmailStatus, Notification
from portal.notifications.tasks import send_pending_emails_task
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db

SECRET = "我的电话是13800000000"


@pytest.fixture
def project(tree):
    return published_project(tree.community_a1, title="甲一社区长者助餐")


@pytest.fixture
def hidden(people, project, client_for):
    people.donor.language = "en"
    people.donor.save(update_fields=["language"])
    follow(by=people.donor, obj=project)
    first = services.post_comment(by=people.donor, target=project, body="周末开放吗？")
    comment = services.post_comment(by=people.resident, target=project, body=SECRET, parent=first)
    assert SECRET in client_for(people.donor).get("/notifications/").content.decode()
    services.hide_comment(by=people.moderator, comment=comment, reason="个人信息")
    return comment


def test_the_notification_list_shows_the_comment_as_hidden(hidden, people, client_for):
    page = client_for(people.donor).get("/notifications/").content.decode()
    assert SECRET not in page
    assert "This comment was hidden by a moderator." in page


def test_the_stored_notifications_do_not_carry_the_text(hidden, people):
    for notification in Notification.objects.filter(recipient=people.donor):
        assert "13800000000" not in notification.title + notification.body


def test_the_email_digest_shows_the_comment_as_hidden(hidden, people):
    mail.outbox.clear()
    Notification.objects.filter(recipient=people.donor).update(email_status=EmailStatus.PENDING)
    send_pending_emails_task(people.donor.pk)
    body = mail.outbox[-1].body
    assert SECRET not in body and "This comment was hidden by a moderator." in body


def test_a_visible_comment_is_shown_as_it_reads_now(people, project, client_for):
    follow(by=people.donor, obj=project)
    services.post_comment(by=people.resident, target=project, body="希望周末也开放")
    assert "希望周末也开放" in client_for(people.donor).get("/notifications/").content.decode()
