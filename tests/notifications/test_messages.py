"""Notifications store a message key and its parameters; their text is written when read, in the reader's language."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from marketplace.funding.messages import GIFT_RECEIVED as GIFT
from marketplace.needs.messages import STEP
from marketplace.needs.models import NeedStatus
from portal.notifications.messages import money
from portal.notifications.models import Notification
from portal.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# An element marked Chinese, with what it holds (no nesting of the same tag in notification markup).
MARKED = re.compile(r'<(\w+)[^>]*\blang="zh-hans"[^>]*>.*?</\1>', re.S)

ACCEPTED = STEP[NeedStatus.ACCEPTED]


def _main(page):
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def _unmarked_han(html):
    return HAN.findall(MARKED.sub("", html))


def test_one_row_reads_in_each_readers_language():
    resident = UserFactory(language="zh-hans")
    notify(users=[resident], message=GIFT, params={"amount": money(20000), "project": "社区花园"}, url="/funding/mine/")
    row = Notification.objects.get()
    assert row.message_key == "funding.gift_received" and row.params["amount"] == {"fen": 20000}
    with translation.override("en"):
        english = row.heading
    with translation.override("zh-hans"):
        chinese = row.heading
    assert english == "Gift received: ¥200.00"
    assert chinese != english and HAN.search(chinese)


def test_resident_written_values_stay_as_written_and_are_marked(client):
    resident = UserFactory(language="zh-hans")
    notify(users=[resident], message=ACCEPTED, params={"title": "路灯不亮", "note": ""}, url="/needs/1/")
    client.force_login(resident)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/en/notifications/", follow=True)
    assert response.status_code == 200, response
    page = _main(response.content.decode())
    assert 'Your need “<span lang="zh-hans">路灯不亮</span>” has been accepted.' in page
    assert _unmarked_han(page) == []


def test_old_rows_without_a_key_keep_their_stored_text():
    resident = UserFactory()
    notify(users=[resident], title=lambda u: "一条旧消息", body=lambda u: "旧正文")
    row = Notification.objects.get()
    with translation.override("en"):
        assert (row.message_key, row.heading, row.text) == ("", "一条旧消息", "旧正文")


def test_emails_are_written_in_the_recipients_language(mailoutbox):
    english = UserFactory(language="en")
    notify(users=[english], message=GIFT, params={"amount": money(12345), "project": "社区花园"})
    assert mailoutbox[0].subject == "Gift received: ¥123.45"


def test_demo_resident_reads_english_notifications_in_english(demo_district, django_assert_max_num_queries):
    from django.contrib.auth import get_user_model

    resident = get_user_model().objects.get(username="resident1")
    assert resident.notifications.count() > 5
    assert all(n.message_key for n in resident.notifications.all()), "every demo notification has a key"
    client = Client()
    client.force_login(resident)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/en/notifications/", follow=True)  # the portal's own views: one address
    assert response.status_code == 200
    page = _main(response.content.decode())
    assert "Your need" in page
    assert _unmarked_han(page) == [], page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = _main(client.get("/notifications/").content.decode())
    assert len(_unmarked_han(chinese)) > 20


def test_the_list_reads_every_message_without_a_query_each(demo_district, django_assert_max_num_queries):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    resident = get_user_model().objects.get(username="resident1")
    client = Client()
    client.force_login(resident)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get("/notifications/")  # caches warm
    with CaptureQueriesContext(connection) as before:
        client.get("/notifications/")
    for amount in range(1, 25):
        params = {"amount": money(amount * 100), "project": "社区花园"}
        notify(users=[resident], message=GIFT, params=params, email=False)
    with django_assert_max_num_queries(len(before)):
        page = client.get("/notifications/").content.decode()
    assert "Gift received: ¥24.00" in page
