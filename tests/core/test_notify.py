"""`notify`: in the recipient's language, one email per person for messages arriving together."""

import pytest
from django.db import transaction
from django.utils.translation import gettext_lazy

from portal.notifications.models import EmailStatus, Notification
from portal.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HELLO = gettext_lazy("Your need “%(title)s” has been accepted.")


def test_each_recipient_reads_it_in_their_language(mailoutbox):
    chinese, english = UserFactory(language="zh-hans"), UserFactory(language="en")
    notify(users=[chinese, english], title=lambda u: HELLO % {"title": "路灯"}, url="/needs/1/")
    titles = dict(Notification.objects.values_list("recipient_id", "title"))
    assert titles[chinese.pk].startswith("您的") and titles[english.pk].startswith("Your need")
    assert {m.to[0] for m in mailoutbox} == {chinese.email, english.email}


def test_messages_arriving_together_make_one_email_per_person(mailoutbox):
    resident = UserFactory(language="en")
    with transaction.atomic():
        for title in ("路灯", "井盖", "积水"):
            notify(users=[resident], title=lambda u, t=title: HELLO % {"title": t}, url="/needs/")
        assert mailoutbox == []  # nothing before the commit
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "3 new messages from Gongzhi"
    assert all(word in mailoutbox[0].body for word in ("路灯", "井盖", "积水"))
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}


def test_a_rolled_back_change_tells_nobody(mailoutbox):
    resident = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(users=[resident], title=lambda u: "x")
        raise RuntimeError
    assert mailoutbox == [] and not Notification.objects.exists()


def test_a_repeated_task_sends_nothing_twice(mailoutbox):
    from portal.notifications.tasks import send_pending_emails_task

    resident = UserFactory()
    notify(users=[resident], title=lambda u: "一条消息")
    send_pending_emails_task(resident.pk)
    assert len(mailoutbox) == 1


def test_people_without_an_email_address_are_told_in_the_app_only(mailoutbox):
    resident = UserFactory()
    type(resident).objects.filter(pk=resident.pk).update(email=None)
    resident.refresh_from_db()
    notify(users=[resident], title=lambda u: "只在站内")
    assert Notification.objects.get().email_status == EmailStatus.NONE and mailoutbox == []


def test_an_address_without_an_account_gets_one_email(mailoutbox):
    notify(
        addresses=["new@example.org"], title=lambda _p: "邀请", body=lambda _p: "请加入", url="/x/", language="zh-hans"
    )
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["new@example.org"] and "请加入" in mailoutbox[0].body
