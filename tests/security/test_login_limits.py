"""Wrong passwords lock an account against passwords, not against its owner."""

import re

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_owner_of_a_locked_account_logs_in_with_a_code(client, password):
    UserFactory(username="target", email="target@example.org")
    attacker = client.__class__(REMOTE_ADDR="10.0.0.66")
    for _ in range(6):
        attacker.post("/accounts/login/", {"login": "target", "password": "guess"})
    page = client.post("/accounts/login/", {"login": "target", "password": password})
    assert page.status_code in (200, 429)  # the password no longer works for a while...
    assert "_auth_user_id" not in client.session
    html = page.content.decode()
    assert "/accounts/login/code/" in html or "code" in html.lower()
    # ...but a code sent to the verified address does.
    response = client.post("/accounts/login/code/", {"email": "target@example.org"})
    assert response.status_code == 302
    code = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", mail.outbox[-1].body).group(1)
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.get("/api/v1/me/").json()["username"] == "target"


def test_the_message_tells_the_owner_what_to_do(client, password):
    # The visitor's choice, not settings.LANGUAGE_CODE: Django keeps each language's URL prefixes
    # from the first reverse() after a change of the default, which would leak into later tests.
    client.cookies.load({"django_language": "en"})
    UserFactory(username="target2")
    for _ in range(6):
        client.post("/accounts/login/", {"login": "target2", "password": "guess"})
    html = client.post("/accounts/login/", {"login": "target2", "password": password}).content.decode()
    assert "Send me a sign-in code" in html
