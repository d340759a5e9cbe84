import pytest

from marketplace.needs.models import Need, NeedStatus
from tests.factories import NeedFactory, category

pytestmark = pytest.mark.django_db


def test_the_whole_loop_through_the_api(api_for, people, tree):
    env = category()
    resident = api_for(people.resident)
    created = resident.post(
        "/api/v1/needs/",
        {
            "title": "路灯不亮",
            "description": "5号楼",
            "category": env.slug,
            "region": tree.grid_a1.pk,
            "contact_phone": "13900001111",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    staff = api_for(people.community_staff)
    assert staff.post(f"/api/v1/needs/{pk}/accept/", {"note": "收到"}, format="json").status_code == 200
    dispatched = staff.post(f"/api/v1/needs/{pk}/dispatch/", {"department": people.department.pk}, format="json")
    assert dispatched.json()["status"] == "dispatched" and dispatched.json()["answer_deadline"]
    answered = api_for(people.department_officer).post(
        f"/api/v1/needs/{pk}/answer/", {"answer": "已修好"}, format="json"
    )
    assert answered.json()["status"] == "answered"
    rated = resident.post(f"/api/v1/needs/{pk}/rate/", {"rating": 5}, format="json")
    body = rated.json()
    assert body["status"] == "closed" and body["rating"] == 5
    assert [e["to_status"] for e in body["timeline"]] == [
        "submitted",
        "accepted",
        "dispatched",
        "answered",
        "followed_up",
        "closed",
    ]


def test_private_fields_only_for_those_allowed(api_for, people, tree):
    need = NeedFactory(region=tree.grid_a1, submitted_by=people.resident, contact_phone="13912345678")
    for user in (None, people.plain, people.street_staff_b):
        data = api_for(user).get(f"/api/v1/needs/{need.pk}/").json()
        assert "contact_phone" not in data, user
        listed = api_for(user).get("/api/v1/needs/").json()["results"]
        assert all("contact_phone" not in n for n in listed)
    for user in (people.resident, people.community_staff):
        assert api_for(user).get(f"/api/v1/needs/{need.pk}/").json()["contact_phone"] == "13912345678"


def test_actions_are_refused_to_wrong_roles(api_for, people, tree):
    need = NeedFactory(region=tree.grid_a1, submitted_by=people.resident)
    url = f"/api/v1/needs/{need.pk}/accept/"
    assert api_for(None).post(url, {}).status_code in (401, 403)
    for user in (people.resident, people.street_staff_b, people.ngo_member, people.department_officer):
        assert api_for(user).post(url, {}, format="json").status_code == 403, user
    rate = api_for(people.plain).post(f"/api/v1/needs/{need.pk}/rate/", {"rating": 5}, format="json")
    assert rate.status_code == 403
    assert Need.objects.get(pk=need.pk).status == NeedStatus.SUBMITTED


def test_bad_transitions_and_input_are_clear_errors(api_for, people, tree):
    need = NeedFactory(region=tree.grid_a1, submitted_by=people.resident)
    staff = api_for(people.community_staff)
    response = staff.post(f"/api/v1/needs/{need.pk}/answer/", {"answer": "x"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "transition_not_allowed"
    assert staff.post(f"/api/v1/needs/{need.pk}/reject/", {}, format="json").status_code == 400
    assert (
        staff.post(f"/api/v1/needs/{need.pk}/dispatch/", {"department": people.ngo.pk}, format="json").status_code
        == 400
    )


def test_departments_and_service_levels_are_listed(api_for, people):
    names = [d["name"] for d in api_for(None).get("/api/v1/departments/").json()["results"]]
    assert names == [people.department.name]
    assert api_for(people.resident).get("/api/v1/service-levels/").status_code == 200


def test_assigning_through_the_api(api_for, people, tree):
    need = NeedFactory(region=tree.grid_a1)
    url = f"/api/v1/needs/{need.pk}/assign/"
    assert api_for(people.resident).post(url, {"assignee": people.grid_worker.pk}, format="json").status_code == 403
    response = api_for(people.community_staff).post(url, {"assignee": people.street_staff_b.pk}, format="json")
    assert response.status_code == 400  # street B's staff do not cover this need
    response = api_for(people.community_staff).post(url, {"assignee": people.grid_worker.pk}, format="json")
    assert response.status_code == 200 and response.json()["assignee"] == people.grid_worker.pk
