"""API tokens remember whether they were issued after the second factor (issue 19)."""

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.utils import timezone
from rest_framework.authtoken.models import Token

from portal.accounts.models import Role
from tests.factories import UserFactory, grant
from tests.factories.mfa import clock_stands_still, totp_code  # noqa: F401 (clock_stands_still: a fixture)

# Authenticator codes are computed for "now": the clock stands still in every test here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_stands_still")]

TOKEN = "/api/v1/auth/token/"


_code = totp_code


def _with_token(api_for, key):
    api = api_for(None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_a_token_taken_before_enrolment_stops_working_at_enrolment(client, api_for, tree, password, settings):
    """The token was taken while MFA was not required; its owner then enrols TOTP through the site."""
    staff = grant(UserFactory(username="earlybird"), Role.STREET_STAFF, tree.street_a)
    old = api_for(None).post(TOKEN, {"username": "earlybird", "password": password}).json()["token"]
    assert _with_token(api_for, old).get("/api/v1/me/").status_code == 200
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.post("/accounts/login/", {"login": "earlybird", "password": password})
    page = client.get("/accounts/2fa/totp/activate/", follow=True)
    client.post(page.redirect_chain[-1][0], {"password": password})  # allauth asks for the password again
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert staff.authenticator_set.exists()
    assert _with_token(api_for, old).get("/api/v1/me/").status_code in (401, 403)
    assert not Token.objects.filter(key=old).exists()  # revoked, not just refused

    fresh = api_for(None).post(TOKEN, {"username": "earlybird", "password": password, "otp": _code(secret)})
    assert fresh.status_code == 200 and fresh.json()["token"] != old
    assert _with_token(api_for, fresh.json()["token"]).get("/api/v1/me/").status_code == 200


def test_asking_with_the_code_replaces_a_password_only_key(api_for, password):
    user = UserFactory(username="resident2fa")
    old = Token.objects.create(user=user).key  # e.g. left from before enrolment, or by an admin
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = api_for(None).post(TOKEN, {"username": "resident2fa", "password": password, "otp": _code(secret)})
    assert response.status_code == 200 and response.json()["token"] != old
    assert _with_token(api_for, old).get("/api/v1/me/").status_code in (401, 403)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=31), tick=False):  # a code works once
        again = api_for(None).post(TOKEN, {"username": "resident2fa", "password": password, "otp": _code(secret)})
    assert again.json()["token"] == response.json()["token"]  # a two-factor key is kept


def test_an_enrolled_owner_s_password_only_token_is_refused(api_for, password):
    """Enrolled outside the site's flow (no signal): the token was still not issued with the code."""
    user = UserFactory(username="quiet")
    old = Token.objects.create(user=user).key
    TOTP.activate(user, generate_totp_secret())
    assert _with_token(api_for, old).get("/api/v1/me/").status_code in (401, 403)


def test_a_token_stops_working_when_mfa_becomes_required(api_for, tree, password, settings):
    user = UserFactory(username="promoted")
    key = api_for(None).post(TOKEN, {"username": "promoted", "password": password}).json()["token"]
    assert _with_token(api_for, key).get("/api/v1/me/").status_code == 200
    grant(user, Role.STREET_STAFF, tree.street_a)
    assert _with_token(api_for, key).get("/api/v1/me/").status_code == 200  # MFA not required yet
    settings.MFA_REQUIRED_FOR_STAFF = True
    assert _with_token(api_for, key).get("/api/v1/me/").status_code in (401, 403)


def test_a_two_factor_staff_token_works_when_mfa_is_required(api_for, tree, password, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    staff = grant(UserFactory(username="careful"), Role.STREET_STAFF, tree.street_a)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    key = api_for(None).post(TOKEN, {"username": "careful", "password": password, "otp": _code(secret)}).json()
    assert _with_token(api_for, key["token"]).get("/api/v1/me/").json()["username"] == "careful"
