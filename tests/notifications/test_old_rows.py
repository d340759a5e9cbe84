"""Rows stored as rendered text before message keys: what can be recognised gets its key and parameters."""

import pytest
from django.utils import translation

from portal.notifications.legacy import key_old_notifications
from portal.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _old(user, title, body=""):
    return Notification.objects.create(recipient=user, title=title, body=body)


def test_recognised_rows_read_in_the_readers_language():
    resident = UserFactory(language="zh-hans")
    gift = _old(resident, "捐款到账：¥200.00", "您向“社区花园”的¥200.00捐款已到账，谢谢。")
    need = _old(resident, "您的诉求“路灯不亮”已受理。", "已转交路灯所")
    english = _old(UserFactory(language="en"), "Voting is open: Keep the big tree?")
    unknown = _old(resident, "一条说不清的消息", "正文")
    assert key_old_notifications() == 3
    gift, need, english, unknown = (Notification.objects.get(pk=n.pk) for n in (gift, need, english, unknown))
    assert (gift.message_key, gift.params["amount"]) == ("funding.gift_received", {"fen": 20000})
    assert (need.message_key, need.params) == ("needs.accepted", {"title": "路灯不亮", "note": "已转交路灯所"})
    assert english.message_key == "votes.opened"
    assert unknown.message_key == ""
    with translation.override("en"):
        assert gift.heading == "Gift received: ¥200.00"
        assert gift.text == "您向“社区花园”的¥200.00捐款已到账，谢谢。"  # a body put together from parts: as stored
        assert need.heading == "Your need “路灯不亮” has been accepted." and need.text == "已转交路灯所"
        assert unknown.heading == "一条说不清的消息"
    with translation.override("zh-hans"):
        assert english.heading == "投票已开始：Keep the big tree?"
    assert key_old_notifications() == 0  # once
