"""Staff use their second factor on every session; no password form bypasses it."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.core import mail
from rest_framework.authtoken.models import Token

from portal.accounts.models import Role
from tests.factories import UserFactory, grant
from tests.factories.mfa import clock_stands_still, totp_code  # noqa: F401 (clock_stands_still: a fixture)

# Authenticator codes are computed for "now": the clock stands still in every test here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_stands_still")]


@pytest.fixture(autouse=True)
def _require_mfa(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


_code = totp_code


@pytest.fixture
def staff_with_totp(tree):
    staff = grant(UserFactory(username="staffer"), Role.COMMUNITY_STAFF, tree.community_a1)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    staff.totp_secret = secret
    return staff


def test_drf_login_page_is_gone_and_sends_to_the_site_login(client, staff_with_totp, password):
    response = client.get("/api/v1/auth/login/?next=/needs/queue/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "next=" in response["Location"]
    # A password posted where DRF's form used to be logs nobody in.
    client.post("/api/v1/auth/login/", {"username": "staffer", "password": password})
    assert "_auth_user_id" not in client.session
    assert client.get("/needs/queue/").status_code == 302


def test_a_password_alone_does_not_open_staff_pages(client, staff_with_totp, password):
    response = client.post("/accounts/login/", {"login": "staffer", "password": password})
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert client.get("/needs/queue/").status_code == 302  # still not logged in
    response = client.post("/accounts/2fa/authenticate/", {"code": _code(staff_with_totp.totp_secret)})
    assert response.status_code == 302
    assert client.get("/needs/queue/").status_code == 200


def test_a_session_without_the_factor_is_sent_to_prove_it(client, staff_with_totp):
    client.force_login(staff_with_totp)  # a session opened some other way, with no second factor in it
    for path in ("/needs/queue/", "/accounts/profile/residences/", "/reports/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/2fa/reauthenticate/" in response["Location"], path
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "mfa_required"
    response = client.post("/accounts/2fa/reauthenticate/", {"code": _code(staff_with_totp.totp_secret)})
    assert response.status_code == 302
    assert client.get("/accounts/profile/residences/").status_code == 200


def test_staff_without_a_factor_must_enrol_first(client, tree):
    staff = grant(UserFactory(), Role.COMMUNITY_STAFF, tree.community_a1)
    client.force_login(staff)
    response = client.get("/organisations/verification/")
    assert response.status_code == 302 and "/accounts/2fa/totp/activate/" in response["Location"]
    # The residence queue lives under /accounts/ but is a staff page all the same.
    assert client.get("/accounts/profile/residences/").status_code == 302
    assert client.get("/accounts/2fa/totp/activate/", follow=True).status_code == 200


def test_enrolling_counts_as_passing_the_factor(client, tree, password):
    staff = grant(UserFactory(username="newstaff"), Role.COMMUNITY_STAFF, tree.community_a1)
    client.post("/accounts/login/", {"login": "newstaff", "password": password})
    page = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert "reauthenticate" in page.redirect_chain[-1][0]  # allauth asks for the password again first
    client.post(page.redirect_chain[-1][0], {"password": password})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session.get("mfa.totp.secret")
    assert secret, "allauth keeps the secret being enrolled in the session"
    client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get("/organisations/verification/").status_code == 200


def test_residents_are_not_asked(client, tree):
    client.force_login(grant(UserFactory(), Role.RESIDENT, tree.community_a1))
    assert client.get("/needs/mine/").status_code == 200


def test_staff_tokens_are_refused_until_enrolled(api_for, tree):
    staff = grant(UserFactory(), Role.STREET_STAFF, tree.street_a)
    token = Token.objects.create(user=staff)  # issued before the second factor was required
    api = api_for(None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/me/").status_code in (401, 403)
    TOTP.activate(staff, generate_totp_secret())
    # Enrolling does not promote a key taken on the password alone (issue 19): ask again with the code.
    assert api.get("/api/v1/me/").status_code in (401, 403)


def test_tokens_are_revoked_when_the_password_changes(client, api_for, password):
    user = UserFactory(username="tokenowner")
    token = Token.objects.create(user=user)
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": "a-New-passphrase-2026", "password2": "a-New-passphrase-2026"},
    )
    assert response.status_code == 302
    assert not Token.objects.filter(key=token.key).exists()


def test_tokens_are_revoked_when_the_password_is_reset(client):
    user = UserFactory(username="forgetful", email="forgetful@example.org")
    Token.objects.create(user=user)
    client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/password/reset/key/" in line)
    path = "/accounts/" + link.split("/accounts/", 1)[1].strip()
    form_page = client.get(path, follow=True)
    target = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    client.post(target, {"password1": "a-New-passphrase-2026", "password2": "a-New-passphrase-2026"})
    user.refresh_from_db()
    assert user.check_password("a-New-passphrase-2026")
    assert not Token.objects.filter(user=user).exists()


def test_setting_a_password_anywhere_revokes_tokens():
    user = UserFactory()
    Token.objects.create(user=user)
    user.set_password("another-Passphrase-2026")
    user.save()
    assert not Token.objects.filter(user=user).exists()
    Token.objects.create(user=user)
    user.display_name = "改了名字"
    user.save()  # nothing about the password changed: the token stays
    assert Token.objects.filter(user=user).exists()
