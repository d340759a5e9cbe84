import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.utils import timezone

from portal.accounts.models import Role
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def test_a_token_authenticates_api_calls(api_for, password):
    UserFactory(username="apiuser", email="apiuser@example.org")
    response = api_for(None).post("/api/v1/auth/token/", {"username": "apiuser@example.org", "password": password})
    assert response.status_code == 200
    api = api_for(None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/me/").json()["username"] == "apiuser"


def test_wrong_passwords_are_refused_and_throttled(api_for):
    UserFactory(username="apiuser")
    api = api_for(None)
    codes = [api.post("/api/v1/auth/token/", {"username": "apiuser", "password": "x"}).status_code for _ in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429


def test_staff_without_mfa_get_no_token_when_mfa_is_required(api_for, password, tree, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    grant(UserFactory(username="staffer"), Role.STREET_STAFF, tree.street_a)
    response = api_for(None).post("/api/v1/auth/token/", {"username": "staffer", "password": password})
    assert response.status_code == 400 and "token" not in response.json()


def test_accounts_with_totp_need_the_code(api_for, password):
    # Time stands still: a code generated just before a 30-second boundary
    # would otherwise be stale by the time it is checked.
    with time_machine.travel(timezone.now(), tick=False):
        _check_totp_token(api_for, password)


def _check_totp_token(api_for, password):
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    user = UserFactory(username="secure")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    assert Authenticator.objects.filter(user=user).exists()
    api = api_for(None)
    assert api.post("/api/v1/auth/token/", {"username": "secure", "password": password}).status_code == 400
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    ok = api.post("/api/v1/auth/token/", {"username": "secure", "password": password, "otp": code})
    assert ok.status_code == 200, ok.json()
