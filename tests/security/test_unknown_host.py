"""A request for a host the site does not serve is refused with 400, never a server error."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/notices/", "/accounts/login/", "/needs/"])
def test_a_page_for_an_unknown_host_is_a_400_page(home_page, path):
    response = Client(raise_request_exception=False).get(path, headers={"host": "evil.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "无法识别的网址" in html and 'lang="en">Unknown address' in html and "evil.example" not in html


def test_the_api_answers_an_unknown_host_in_json(home_page):
    response = Client(raise_request_exception=False).get("/api/v1/needs/", headers={"host": "evil.example"})
    assert response.status_code == 400 and response.json()["code"] == "bad_request"
