import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from portal.accounts.models import Role, User
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "xiaoming",
    "email": "xiaoming@example.org",
    "display_name": "小明",
    "password1": "a-long-Passphrase-2026",
    "password2": "a-long-Passphrase-2026",
}


def test_sign_up_sends_a_verification_email_and_blocks_login_until_confirmed(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(username="xiaoming")
    assert user.display_name == "小明"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    client.logout()
    login = client.post("/accounts/login/", {"login": "xiaoming", "password": SIGNUP["password1"]})
    assert login.status_code == 302 and "confirm-email" in login["Location"]
    client.post(path)
    assert EmailAddress.objects.get(user=user).verified


def test_the_honeypot_rejects_bots_and_keeps_nothing(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "homepage": "http://spam.example"})
    assert response.status_code == 200
    assert not User.objects.filter(username="xiaoming").exists()
    assert mail.outbox == []


def test_sign_up_is_rate_limited_per_ip(client, settings):
    for i in range(10):
        client.post("/accounts/signup/", {**SIGNUP, "username": f"bot{i}", "email": f"bot{i}@example.org"})
    response = client.post("/accounts/signup/", {**SIGNUP, "username": "bot99", "email": "bot99@example.org"})
    assert response.status_code == 429
    assert not User.objects.filter(username="bot99").exists()


@pytest.mark.parametrize("login", ["member", "member@example.org"])
def test_login_by_username_or_email(client, login, password):
    UserFactory(username="member", email="member@example.org")
    response = client.post("/accounts/login/", {"login": login, "password": password})
    assert response.status_code == 302
    assert client.get("/api/v1/me/").json()["username"] == "member"


def test_repeated_failed_logins_are_blocked_even_with_the_right_password(client, password):
    UserFactory(username="member")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "member", "password": "wrong"})
    response = client.post("/accounts/login/", {"login": "member", "password": password})
    assert response.status_code in (200, 429)
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_wagtail_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # A POST to the old form never reaches Wagtail's own, unthrottled login.
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code in (302, 405)


def test_django_admin_login_goes_through_allauth(client):
    response = client.get("/django-admin/login/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_editors_reach_the_wagtail_admin(client, tree):
    from django.contrib.auth.models import Group

    editor = grant(UserFactory(), Role.EDITOR, tree.district)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302


def test_wechat_login_is_off_by_default(client):
    assert "/accounts/weixin/" not in client.get("/accounts/login/").content.decode()


def test_wechat_login_appears_once_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"weixin": {"APPS": [{"client_id": "wx123", "secret": "s"}]}}
    html = client.get("/accounts/login/").content.decode()
    assert "/accounts/weixin/login/" in html


def test_a_user_without_cms_access_is_told_so_not_looped(client):
    client.force_login(UserFactory())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) == 1 and "/accounts/login/" in response.redirect_chain[0][0]
