import pytest
from django.core.exceptions import PermissionDenied

from marketplace.needs import services
from marketplace.needs.models import NeedStatus
from marketplace.projects.models import ProjectStatus
from marketplace.projects.services import move_project
from portal.accounts.models import Role
from portal.notifications.models import Notification
from tests.factories import UserFactory, category, grant

pytestmark = pytest.mark.django_db


def test_residents_of_merged_needs_hear_when_the_project_is_published_funded_and_done(people, tree):
    need = services.submit_need(
        by=people.resident, title="加装电梯", description="老人爬楼难", category=category(), region=tree.grid_a1
    )
    neighbour = grant(UserFactory(), Role.RESIDENT, tree.community_a1)
    services.support_need(by=neighbour, need=need)
    project, _ = services.merge_needs(by=people.street_staff, needs=[need], title="甲街道加装电梯")
    for status in (ProjectStatus.PUBLISHED, ProjectStatus.FUNDED, ProjectStatus.COMPLETED):
        move_project(by=people.street_staff, project=project, to=status)
    for user in (people.resident, neighbour):
        titles = list(Notification.objects.filter(recipient=user).values_list("title", flat=True))
        assert sum("甲街道加装电梯" in t for t in titles) >= 3, titles
    need.refresh_from_db()
    assert need.status == NeedStatus.CLOSED


def test_only_staff_over_the_region_move_projects(people, tree):
    need = services.submit_need(
        by=people.resident, title="x", description="y", category=category(), region=tree.grid_a1
    )
    project, _ = services.merge_needs(by=people.street_staff, needs=[need], title="项目")
    with pytest.raises(PermissionDenied):
        move_project(by=people.street_staff_b, project=project, to=ProjectStatus.PUBLISHED)


def test_a_projects_need_count_is_the_number_of_needs_merged_into_it(people, tree):
    def need(title):
        return services.submit_need(
            by=people.resident, title=title, description="楼道灯坏了", category=category(), region=tree.grid_a1
        )

    first, second, third = need("一号楼"), need("二号楼"), need("三号楼")
    project, _ = services.merge_needs(by=people.street_staff, needs=[first, second], title="楼道照明更新")
    project.refresh_from_db()
    assert project.need_count == 2
    services.merge_needs(by=people.street_staff, needs=[second, third], project=project)  # second: already in
    project.refresh_from_db()
    assert project.need_count == 3 == project.needs.count()
