"""Integer filters given ids no database can hold, negative or not numbers: a 400 from the API, a message
or an empty list on a page — never a 500 (issue 19)."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775808"  # 2**63: one past the largest BIGINT
VALUES = [HUGE, "-" + HUGE, "99999999999999999999999999", "-1", "abc", "1e3", "0x10"]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("name", ["book", "project", "category", "region"])
def test_the_project_list_page_never_fails(client, home_page, name, value):
    response = client.get("/projects/", {name: value})
    assert response.status_code in (200, 400), response.status_code


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("name", ["book", "region"])
def test_the_projects_api_answers_400(api_for, home_page, name, value):
    response = api_for(None).get("/api/v1/projects/", {name: value})
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert name in response.json()


@pytest.mark.parametrize("value", VALUES)
def test_the_ledger_api_answers_400(api_for, db, value):
    response = api_for(None).get("/api/v1/ledger/", {"project": value})
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert "project" in response.json()


@pytest.mark.parametrize("path", ["/api/v1/needs/?region=", "/api/v1/regions/?parent=", "/api/v1/regions/?within="])
def test_other_integer_filters_answer_400(api_for, db, path):
    assert api_for(None).get(path + HUGE).status_code == 400


def test_a_real_project_id_still_filters_the_ledger(api_for, db):
    assert api_for(None).get("/api/v1/ledger/", {"project": "1"}).status_code == 200
