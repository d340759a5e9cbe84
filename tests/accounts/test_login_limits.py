"""One guessing limit per account on every way in, counted per trusted client address (issue 19).

Each test makes 25 wrong attempts, each claiming another client address in X-Forwarded-For (no trusted
proxy: the claim is ignored), then tries the right secret: refused.
"""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.core import mail

from tests.factories import UserFactory
from tests.factories.mfa import clock_stands_still, totp_code  # noqa: F401 (clock_stands_still: a fixture)

# Authenticator codes are computed for "now": the clock stands still in every test here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_stands_still")]

TOKEN = "/api/v1/auth/token/"
LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"


def _forged(i):
    return {"HTTP_X_FORWARDED_FOR": f"203.0.113.{i + 1}"}


_code = totp_code


def _logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def enrolled():
    user = UserFactory(username="enrolled", email="enrolled@example.org")
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


def test_web_form_passwords(client, password):
    UserFactory(username="webtarget")
    for i in range(25):
        client.post(LOGIN, {"login": "webtarget", "password": f"guess-{i}"}, **_forged(i))
    client.post(LOGIN, {"login": "webtarget", "password": password}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert not _logged_in(client)


def test_totp_codes_on_the_token_api(api_for, password, enrolled):
    api = api_for(None)
    for i in range(25):
        api.post(TOKEN, {"username": "enrolled", "password": password, "otp": f"{i:06d}"}, **_forged(i))
    right = api.post(TOKEN, {"username": "enrolled", "password": password, "otp": _code(enrolled.totp_secret)})
    assert right.status_code == 429 and "token" not in right.json()


def test_totp_codes_at_the_web_login_s_second_step(client, password, enrolled):
    response = client.post(LOGIN, {"login": "enrolled", "password": password})
    assert MFA in response["Location"]
    for i in range(25):
        client.post(MFA, {"code": f"{i:06d}"}, **_forged(i))
    client.post(MFA, {"code": _code(enrolled.totp_secret)}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert not _logged_in(client)


def test_one_time_sign_in_codes(client):
    UserFactory(username="bycode", email="bycode@example.org")
    client.post("/accounts/login/code/", {"email": "bycode@example.org"})
    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", mail.outbox[-1].body).group(0)
    for i in range(25):
        client.post("/accounts/login/code/confirm/", {"code": f"WRNG-{i:04d}"}, **_forged(i))
    client.post("/accounts/login/code/confirm/", {"code": code}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert not _logged_in(client)


def test_username_and_email_share_one_account_lock(client, api_for, password):
    """The lock counts the account, not the spelling of its login: alternating username, email and
    letter case does not buy more guesses."""
    UserFactory(username="twonames", email="twonames@example.org")
    for i, login in enumerate(["twonames", "twonames@example.org", "TwoNames", "TWONAMES@example.org", "twonames"]):
        client.post(LOGIN, {"login": login, "password": f"guess-{i}"})
    client.post(LOGIN, {"login": "twonames@example.org", "password": password})
    assert not _logged_in(client)
    response = api_for(None).post(TOKEN, {"username": "TwoNames", "password": password})
    assert response.status_code == 429


def test_codes_guessed_on_the_api_count_at_the_web_second_step(client, api_for, password, enrolled):
    """One budget of authenticator codes per account, whichever door the guesses come through."""
    assert MFA in client.post(LOGIN, {"login": "enrolled", "password": password})["Location"]
    api = api_for(None)
    for i in range(5):
        api.post(TOKEN, {"username": "enrolled@example.org", "password": password, "otp": f"{i:06d}"})
    client.post(MFA, {"code": _code(enrolled.totp_secret)})
    assert not _logged_in(client)


def test_the_owner_still_gets_in_with_the_right_secrets(client, password, enrolled):
    assert MFA in client.post(LOGIN, {"login": "enrolled", "password": password})["Location"]
    client.post(MFA, {"code": _code(enrolled.totp_secret)})
    assert _logged_in(client)


def test_behind_a_trusted_proxy_the_proxy_s_address_counts(client, settings, password):
    """With one trusted proxy, the address it appended is the client's: different real clients are
    limited separately, and what a client itself wrote earlier in the header is ignored."""
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for i in range(12):
        UserFactory(username=f"neighbour{i}")
    codes = []
    for i in range(12):
        page = client.post(
            LOGIN, {"login": f"neighbour{i}", "password": "x"}, HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 192.0.2.1"
        )
        codes.append({error.code for error in page.context["form"].non_field_errors().as_data()})
    assert {"too_many_login_attempts"} in codes[10:]  # one real client (192.0.2.1): 10 failures a minute
    page = client.post(LOGIN, {"login": "neighbour0", "password": "x"}, HTTP_X_FORWARDED_FOR="192.0.2.1, 192.0.2.2")
    assert "too_many_login_attempts" not in {e.code for e in page.context["form"].non_field_errors().as_data()}
