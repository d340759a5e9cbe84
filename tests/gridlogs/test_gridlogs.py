import datetime

import pytest

from marketplace.gridlogs.models import GridLog
from marketplace.needs.models import Channel, Need
from tests.factories import category

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def _post(client, tree, **extra):
    env = category()
    data = {
        "grid": tree.grid_a1.pk,
        "date": "2026-11-20",
        "visits_made": "5",
        "summary": "走访独居老人",
        "visits-TOTAL_FORMS": "1",
        "visits-INITIAL_FORMS": "0",
        "visits-0-kind": "elderly_alone",
        "visits-0-person_name": "赵奶奶",
        "visits-0-address": "3号楼201",
        "issues-TOTAL_FORMS": "1",
        "issues-INITIAL_FORMS": "0",
        "issues-0-description": "3号楼门前井盖松动",
        "issues-0-category": env.pk,
        **extra,
    }
    return client.post("/grid-logs/new/", data)


def test_a_grid_worker_logs_a_day_and_turns_an_issue_into_a_need(client_for, people, tree):
    client = client_for(people.grid_worker)
    response = _post(client, tree)
    log = GridLog.objects.get()
    assert response.status_code == 302 and log.visits.get().person_name == "赵奶奶"
    issue = log.issues.get()
    response = client.post(f"/grid-logs/issues/{issue.pk}/need/")
    need = Need.objects.get()
    assert response["Location"] == need.get_absolute_url()
    assert need.channel == Channel.GRID_PATROL and need.region == tree.grid_a1 and need.title == "3号楼门前井盖松动"
    client.post(f"/grid-logs/issues/{issue.pk}/need/")  # a second click changes nothing
    assert Need.objects.count() == 1


def test_visits_are_private(client_for, people, tree):
    _post(client_for(people.grid_worker), tree)
    log = GridLog.objects.get()
    for user in (people.resident, people.street_staff_b, people.ngo_member):
        assert client_for(user).get(log.get_absolute_url()).status_code == 403
    assert client_for(None).get(log.get_absolute_url()).status_code == 302
    assert "赵奶奶" in client_for(people.community_staff).get(log.get_absolute_url()).content.decode()


def test_only_grid_workers_write_and_only_in_their_grid(client_for, people, tree):
    assert client_for(people.community_staff).get("/grid-logs/new/").status_code == 403
    response = _post(client_for(people.grid_worker), tree, grid=tree.grid_b1.pk)
    assert response.status_code == 200 and not GridLog.objects.exists()


def test_one_log_per_grid_and_day(client_for, people, tree):
    client = client_for(people.grid_worker)
    _post(client, tree)
    response = _post(client, tree)
    assert response.status_code == 200 and GridLog.objects.count() == 1


def test_grid_logs_through_the_api(api_for, people, tree):
    env = category()
    api = api_for(people.grid_worker)
    created = api.post(
        "/api/v1/grid-logs/",
        {
            "grid": tree.grid_a1.pk,
            "date": "2026-11-21",
            "visits_made": 3,
            "visits": [{"kind": "low_income", "person_name": "钱大爷"}],
            "issues": [{"description": "路灯不亮", "category": env.slug}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    raised = api.post(f"/api/v1/grid-logs/{body['id']}/raise-need/", {"issue": body["issues"][0]["id"]}, format="json")
    assert raised.status_code == 201 and raised.json()["need"]
    assert api_for(people.street_staff_b).get(f"/api/v1/grid-logs/{body['id']}/").status_code in (403, 404)
    assert api_for(people.resident).get("/api/v1/grid-logs/").status_code == 403
    assert api_for(people.street_staff).get("/api/v1/grid-logs/").json()["count"] == 1
