import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.needs import services
from marketplace.needs.models import Need, NeedStatus
from tests.factories import NeedFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def env():
    return category()


def _form(tree, env, **extra):
    return {
        "title": "楼道灯坏了",
        "description": "二单元楼道灯不亮，老人上下楼危险",
        "category": env.pk,
        "region": tree.grid_a1.pk,
        "contact_phone": "13900002222",
        **extra,
    }


def test_a_resident_submits_a_need_on_the_web(client_for, people, tree, env):
    response = client_for(people.resident).post("/needs/new/", _form(tree, env))
    need = Need.objects.get()
    assert response.status_code == 302 and response["Location"] == need.get_absolute_url()
    assert need.submitted_by == people.resident and need.channel == "web" and need.contact_phone == "13900002222"


def test_similar_needs_are_offered_before_a_duplicate_is_filed(client_for, people, tree, env):
    existing = services.submit_need(
        by=people.plain, title="楼道灯坏了很久", description="二单元楼道灯不亮", category=env, region=tree.grid_a1
    )
    client = client_for(people.resident)
    response = client.post("/needs/new/", _form(tree, env))
    html = response.content.decode()
    assert response.status_code == 200 and existing.title in html and Need.objects.count() == 1
    assert "楼道灯坏了" in html  # what the resident typed is still there
    # They join the existing need instead...
    client.post(f"/needs/{existing.pk}/support/")
    existing.refresh_from_db()
    assert existing.supporters_count == 2
    # ...or submit anyway.
    client.post("/needs/new/", _form(tree, env, confirm="1"))
    assert Need.objects.count() == 2
    fragment = client.get("/needs/similar/", {"title": "楼道灯", "category": env.pk, "region": tree.grid_a1.pk})
    assert existing.title in fragment.content.decode()


def test_bad_input_is_explained_and_kept(client_for, people, tree, env):
    response = client_for(people.resident).post("/needs/new/", _form(tree, env, title="", contact_phone="abc"))
    html = response.content.decode()
    assert response.status_code == 200 and not Need.objects.exists()
    assert "二单元楼道灯不亮" in html and "13800138000" in html


def test_the_staff_loop_through_the_pages(client_for, people, tree, env):
    need = services.submit_need(
        by=people.resident, title="井盖缺失", description="危险", category=env, region=tree.grid_a1
    )
    staff = client_for(people.community_staff)
    staff.post(f"/needs/{need.pk}/accept/", {"note": "已受理"})
    staff.post(f"/needs/{need.pk}/dispatch/", {"department": people.department.pk, "note": ""})
    need.refresh_from_db()
    assert need.status == NeedStatus.DISPATCHED
    client_for(people.department_officer).post(f"/needs/{need.pk}/answer/", {"answer": "已补装井盖"})
    client_for(people.resident).post(f"/needs/{need.pk}/rate/", {"rating": "4", "comment": "谢谢"})
    need.refresh_from_db()
    assert need.status == NeedStatus.CLOSED and need.rating == 4
    html = client_for(people.resident).get(need.get_absolute_url()).content.decode()
    for step in ["已受理", "已补装井盖"]:
        assert step in html


def test_contact_details_are_private(client_for, people, tree, env):
    need = services.submit_need(
        by=people.resident,
        title="噪音",
        description="夜间",
        category=env,
        region=tree.grid_a1,
        contact_phone="13911112222",
    )
    url = need.get_absolute_url()
    for user in (None, people.plain, people.street_staff_b, people.ngo_member):
        html = client_for(user).get(url).content.decode()
        assert "13911112222" not in html, user
    for user in (people.resident, people.community_staff, people.grid_worker, people.district_staff):
        assert "13911112222" in client_for(user).get(url).content.decode(), user
    for page in ("/needs/", "/needs/overview/"):
        assert "13911112222" not in client_for(None).get(page).content.decode()


def test_wrong_people_cannot_act(client_for, people, tree, env):
    need = services.submit_need(by=people.resident, title="x", description="y", category=env, region=tree.grid_a1)
    for user in (people.resident, people.street_staff_b, people.ngo_member, people.department_officer):
        assert client_for(user).post(f"/needs/{need.pk}/accept/").status_code == 403
    assert client_for(None).post(f"/needs/{need.pk}/accept/").status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.SUBMITTED


def test_the_queue_shows_only_the_staff_members_subtree(client_for, people, tree, env):
    NeedFactory(title="甲街道的诉求", region=tree.grid_a1)
    NeedFactory(title="乙街道的诉求", region=tree.grid_b1)
    html = client_for(people.street_staff).get("/needs/queue/").content.decode()
    assert "甲街道的诉求" in html and "乙街道的诉求" not in html
    assert client_for(people.resident).get("/needs/queue/").status_code == 403


def test_bulk_accept_and_dispatch(client_for, people, tree, env):
    needs = NeedFactory.create_batch(3, region=tree.grid_a1)
    client = client_for(people.community_staff)
    client.post("/needs/queue/bulk/", {"action": "accept", "needs": [n.pk for n in needs[:2]]})
    assert Need.objects.filter(status=NeedStatus.ACCEPTED).count() == 2
    client.post(
        "/needs/queue/bulk/", {"action": "dispatch", "needs": [n.pk for n in needs], "department": people.department.pk}
    )
    assert Need.objects.filter(status=NeedStatus.DISPATCHED, department=people.department).count() == 3


def test_bulk_actions_refuse_needs_outside_scope(client_for, people, tree, env):
    outside = NeedFactory(region=tree.grid_b1)
    response = client_for(people.community_staff).post(
        "/needs/queue/bulk/", {"action": "accept", "needs": [outside.pk]}
    )
    assert response.status_code == 403
    outside.refresh_from_db()
    assert outside.status == NeedStatus.SUBMITTED


@pytest.mark.parametrize("path", ["/needs/", "/needs/queue/", "/needs/mine/", "/needs/overview/"])
def test_lists_run_a_bounded_number_of_queries(client_for, people, tree, env, path):
    client = client_for(people.district_staff if "queue" in path else people.resident)
    NeedFactory.create_batch(3, region=tree.grid_a1, submitted_by=people.resident)
    cache.clear()  # the overview caches its counts: measure the uncached page both times
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    NeedFactory.create_batch(
        40, region=tree.grid_b1, submitted_by=people.resident, category=category("parking", "停车")
    )
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(path)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_staff_assign_needs_to_someone_who_covers_the_region(client_for, people, tree, env):
    needs = NeedFactory.create_batch(2, region=tree.grid_a1)
    client = client_for(people.community_staff)
    client.post(
        "/needs/queue/bulk/", {"action": "assign", "needs": [n.pk for n in needs], "assignee": people.grid_worker.pk}
    )
    assert Need.objects.filter(assignee=people.grid_worker).count() == 2
    client.post(f"/needs/{needs[0].pk}/assign/", {"assignee": people.street_staff_b.pk})
    needs[0].refresh_from_db()
    assert needs[0].assignee == people.grid_worker  # street B's staff does not cover this need
    assert (
        client_for(people.resident)
        .post(f"/needs/{needs[0].pk}/assign/", {"assignee": people.grid_worker.pk})
        .status_code
        == 403
    )


def test_similar_needs_show_on_every_need_page(client_for, people, tree, env):
    first = services.submit_need(
        by=people.resident, title="小区路灯不亮", description="晚上很黑", category=env, region=tree.grid_a1
    )
    services.submit_need(by=people.plain, title="路灯坏了不亮", description="很黑", category=env, region=tree.grid_a1)
    assert "路灯坏了不亮" in client_for(None).get(first.get_absolute_url()).content.decode()
