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
    """The login form's limit per account (5 failures in 5 minutes) holds for tokens too."""
    UserFactory(username="apiuser")
    api = api_for(None)
    codes = [api.post("/api/v1/auth/token/", {"username": "apiuser", "password": "x"}).status_code for _ in range(11)]
    assert codes[:5] == [400] * 5 and set(codes[5:]) == {429}


TOKEN = "/api/v1/auth/token/"


def test_made_up_forwarded_addresses_do_not_reset_the_guessing_limit(api_for, password):
    """25 wrong passwords, each claiming another client address, then the right one: still refused."""
    UserFactory(username="target")
    api = api_for(None)
    for i in range(25):
        forged = f"203.0.113.{i + 1}"
        api.post(TOKEN, {"username": "target", "password": f"guess-{i}"}, HTTP_X_FORWARDED_FOR=forged)
    right = api.post(TOKEN, {"username": "target", "password": password}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert right.status_code == 429 and "token" not in right.json()


def test_the_address_limit_counts_the_client_not_what_it_claims(api_for, password, settings):
    """Different accounts from one address, each request claiming a new address: the throttle still counts
    one client (REMOTE_ADDR, no trusted proxy)."""
    for i in range(12):
        UserFactory(username=f"neighbour{i}")
    api = api_for(None)
    codes = []
    for i in range(12):
        forged = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{i}"}
        codes.append(api.post(TOKEN, {"username": f"neighbour{i}", "password": "x"}, **forged).status_code)
    assert 429 in codes


def test_an_account_locked_on_the_login_form_gets_no_token(client, api_for, password):
    UserFactory(username="lockedout")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "lockedout", "password": "wrong"})
    response = api_for(None).post(TOKEN, {"username": "lockedout", "password": password})
    assert response.status_code == 429 and "token" not in response.json()


def test_wrong_authenticator_codes_are_limited_like_passwords(api_for, password):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(UserFactory(username="twofactor"), generate_totp_secret())
    api = api_for(None)
    codes = [
        api.post(TOKEN, {"username": "twofactor", "password": password, "otp": f"{i:06d}"}).status_code
        for i in range(15)
    ]
    assert 429 in codes and codes.index(429) <= 6


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
