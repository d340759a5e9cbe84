import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_regions_are_public_and_filter_by_level(client, tree):
    response = client.get("/api/v1/regions/", {"level": "community"})
    assert response.status_code == 200
    names = [r["name"] for r in response.json()["results"]]
    assert names == ["甲一社区", "甲二社区", "乙一社区"]


def test_children_of_a_region_name_their_parent(client, tree):
    response = client.get("/api/v1/regions/", {"parent": tree.street_a.pk})
    results = response.json()["results"]
    assert [r["code"] for r in results] == ["D0101", "D0102"]
    assert {r["parent"] for r in results} == {tree.street_a.pk}


def test_region_detail(client, tree):
    body = client.get(f"/api/v1/regions/{tree.grid_a1.pk}/").json()
    assert body["level"] == "grid" and body["parent"] == tree.community_a1.pk


def test_region_list_queries_do_not_grow_with_rows(client, tree):
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/regions/")
    for i in range(30):
        tree.grid_b1.refresh_from_db()
        tree.grid_b1.add_child(code=f"X{i:02d}", name=f"微网格{i}", level="sub_grid")
    with CaptureQueriesContext(connection) as large:
        client.get("/api/v1/regions/")
    assert len(large) == len(small) <= 4
