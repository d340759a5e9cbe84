"""A project's status moves through its action table, on its page and in the API alike (same paths as ever)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from marketplace.projects.actions import PROJECT_ACTIONS
from marketplace.projects.models import Project
from marketplace.projects.models import ProjectStatus as P
from portal.core.models import TimelineEvent
from tests.factories import category

pytestmark = pytest.mark.django_db


def _project(tree, status=P.DRAFT):
    return Project.objects.create(title="春柳社区助餐", category=category(), region=tree.community_a1, status=status)


def _timeline(project):
    return list(
        TimelineEvent.objects.filter(content_type=ContentType.objects.get_for_model(Project), object_id=project.pk)
        .order_by("id")
        .values_list("from_status", "to_status", "note")
    )


def test_every_move_of_the_table_of_moves_has_its_action():
    from marketplace.projects.models import TRANSITIONS

    targets = {target for moves in TRANSITIONS.values() for target in moves}
    assert {action.target for action in PROJECT_ACTIONS.values()} == targets
    assert PROJECT_ACTIONS.for_target(P.PUBLISHED).name == "publish" and PROJECT_ACTIONS.for_target(P.DRAFT) is None


def test_the_page_offers_the_moves_its_reader_may_make_and_runs_the_action(client_for, people, tree):
    project = _project(tree)
    assert PROJECT_ACTIONS.available(project, people.community_staff) == {"publish", "withdraw"}
    assert PROJECT_ACTIONS.available(project, people.street_staff_b) == set()
    client = client_for(people.community_staff)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'value="published"' in page and 'value="withdrawn"' in page and 'value="completed"' not in page
    response = client.post(f"/projects/{project.pk}/move/", {"move-status": "published", "move-note": "审核通过"})
    assert response.status_code == 302
    assert _timeline(project) == [(P.DRAFT, P.PUBLISHED, "审核通过")]
    refused = client.post(f"/projects/{project.pk}/move/", {"move-status": "evaluated", "move-note": ""})
    assert refused.status_code == 302 and Project.objects.get(pk=project.pk).status == P.PUBLISHED


def test_the_api_move_runs_the_tables_action_and_refuses_outsiders(api_for, people, tree):
    project = _project(tree)
    outsider = api_for(people.street_staff_b).post(f"/api/v1/projects/{project.pk}/move/", {"status": "published"})
    assert outsider.status_code in (403, 404)
    moved = api_for(people.community_staff).post(
        f"/api/v1/projects/{project.pk}/move/", {"status": "withdrawn", "note": "合并到其他项目"}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["status"] == "withdrawn"
    assert _timeline(project) == [(P.DRAFT, P.WITHDRAWN, "合并到其他项目")]
    back = api_for(people.community_staff).post(f"/api/v1/projects/{project.pk}/move/", {"status": "draft"})
    assert back.status_code == 409
