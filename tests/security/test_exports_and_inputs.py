"""Residents' text in spreadsheets, control characters, sizes and dates: refused clearly, exported safely."""

import io
import json

import pytest
from openpyxl import load_workbook

from marketplace.needs.models import Need
from portal.core.excel import add_table, csv_bytes, new_workbook, safe_text, workbook_bytes
from tests.factories import category

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_would_be_a_formula_is_text(text):
    workbook = new_workbook()
    add_table(workbook, "需求", ["标题"], [[text]])
    cell = load_workbook(io.BytesIO(workbook_bytes(workbook)))["需求"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("'") and cell.value[1:].strip() == text.strip()
    assert csv_bytes(["标题"], [[text]]).decode("utf-8-sig").splitlines()[1].lstrip('"').startswith("'")


def test_characters_a_workbook_cannot_hold_are_dropped_not_fatal():
    assert safe_text("路灯\x07不亮\x1b") == "路灯不亮"
    workbook = new_workbook()
    add_table(workbook, "x", ["t"], [["路灯\x00\x07不亮"]])
    assert load_workbook(io.BytesIO(workbook_bytes(workbook)))["x"]["A2"].value == "路灯不亮"


@pytest.mark.parametrize("bad", ["路灯\x00不亮", "路灯\x07不亮", "路灯\x1b[31m不亮"])
def test_text_with_control_characters_is_refused_everywhere(bad, client_for, api_for, people, tree):
    payload = {"title": bad, "description": "晚上很黑", "category": category().slug, "region": tree.grid_a1.pk}
    response = api_for(people.resident).post("/api/v1/needs/", payload, format="json")
    assert response.status_code == 400 and "title" in response.json()
    client = client_for(people.resident)
    form = {**payload, "category": category().pk, "confirm": "1"}
    page = client.post("/needs/new/", form)
    assert page.status_code == 200 and "U+00" in page.content.decode()
    assert client.post("/needs/new/", {**form, "title": "路灯不亮", "description": bad}).status_code == 200
    assert not Need.objects.exists()


def test_newlines_and_tabs_stay_allowed(client_for, people, tree):
    client = client_for(people.resident)
    form = {
        "title": "路灯不亮",
        "description": "第一行\r\n第二行\t结束",
        "category": category().pk,
        "region": tree.grid_a1.pk,
        "confirm": "1",
    }
    assert client.post("/needs/new/", form).status_code == 302


def test_an_oversized_description_is_refused_with_a_message(api_for, people, tree):
    payload = {"title": "长文", "description": "字" * 2_000_000, "category": category().slug, "region": tree.grid_a1.pk}
    response = api_for(people.resident).post("/api/v1/needs/", payload, format="json")
    assert response.status_code in (400, 413)
    assert response["Content-Type"].startswith("application/json")
    payload["description"] = "字" * 5001
    response = api_for(people.resident).post("/api/v1/needs/", payload, format="json")
    assert response.status_code == 400 and "description" in response.json()


def test_a_body_over_the_limit_answers_json(client, people):
    client.force_login(people.resident)
    body = json.dumps({"title": "x" * (3 * 1024 * 1024)})
    response = client.post("/api/v1/needs/", body, content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "too_large"


@pytest.mark.parametrize("name", ["王\u202e小明", "王\u200b小明", "\u2066管理员\u2069"])
def test_display_names_that_hide_what_they_are_are_refused(name, client_for, api_for, people):
    response = api_for(people.resident).patch("/api/v1/me/", {"display_name": name}, format="json")
    assert response.status_code == 400 and "display_name" in response.json()
    page = client_for(people.resident).post("/accounts/profile/", {"display_name": name, "language": "zh-hans"})
    assert page.status_code == 200
    people.resident.refresh_from_db()
    assert people.resident.display_name != name


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_grid_logs_refuse_dates_out_of_reason(day, client_for, api_for, people, tree):
    response = api_for(people.grid_worker).post(
        "/api/v1/grid-logs/", {"grid": tree.grid_a1.pk, "date": day, "summary": "巡查"}, format="json"
    )
    assert response.status_code == 400 and "date" in response.json()
    page = client_for(people.grid_worker).post(
        "/grid-logs/new/",
        {
            "grid": tree.grid_a1.pk,
            "date": day,
            "visits_made": 0,
            "visits-TOTAL_FORMS": 0,
            "visits-INITIAL_FORMS": 0,
            "issues-TOTAL_FORMS": 0,
            "issues-INITIAL_FORMS": 0,
        },
    )
    assert page.status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/needs/?region=abc", "/needs/?region=99999999999999999999999", "/needs/?status=bogus", "/needs/?category=%20"],
)
def test_list_filters_ignore_bad_values(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/needs/?category=%00", "/search/?q=%00", "/api/v1/needs/?category=%00", "/api/v1/organisations/?q=%01"],
)
def test_control_characters_in_an_address_are_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json()["code"] == "control_character"


@pytest.mark.parametrize(
    "path", ["/api/v1/needs/99999999999999999999999/", "/api/v1/needs/abc/", "/api/v1/nothing-here/"]
)
def test_the_api_answers_unknown_addresses_in_json(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.post(path, "{}", content_type="application/json").status_code in (404, 405)


def test_a_page_id_too_large_for_the_database_is_a_404(client):
    assert client.get("/needs/99999999999999999999999/").status_code == 404
    assert client.get("/projects/99999999999999999999999/").status_code == 404
