"""Following a project: one follow per person, news of each milestone through notify, once per person."""

import pytest

from marketplace.needs import services as needs_services
from marketplace.projects import services
from marketplace.projects.models import ProjectStatus
from portal.follows.models import Follow
from portal.notifications.models import Notification
from tests.factories import category

pytestmark = pytest.mark.django_db
P = ProjectStatus


@pytest.fixture
def project(tree):
    project = services.create_project(by=None, title="甲一社区助浴服务", category=category(), region=tree.community_a1)
    return services.move_project(by=None, project=project, to=P.PUBLISHED)


def test_followers_hear_of_milestones_and_a_resident_is_told_once(client_for, people, tree, project):
    need = needs_services.submit_need(
        by=people.resident, title="老人洗澡难", description="d", category=category(), region=tree.grid_a1
    )
    needs_services.merge_needs(by=people.community_staff, needs=[need], project=project)
    for user in (people.donor, people.resident):
        response = client_for(user).post(f"/follow/projects.project/{project.pk}/")
        assert response.status_code == 302
    client_for(people.donor).post(f"/follow/projects.project/{project.pk}/")  # a double click
    assert Follow.objects.count() == 2
    Notification.objects.all().delete()
    services.move_project(by=None, project=project, to=P.FUNDED)
    assert Notification.objects.filter(recipient=people.donor).count() == 1
    assert Notification.objects.filter(recipient=people.resident).count() == 1
    client_for(people.donor).post(f"/follow/projects.project/{project.pk}/", {"follow": "off"})
    assert not Follow.objects.filter(user=people.donor).exists()


def test_nobody_follows_what_they_may_not_see(client_for, people, tree):
    draft = services.create_project(by=None, title="草稿", category=category(), region=tree.community_a1)
    assert client_for(people.donor).post(f"/follow/projects.project/{draft.pk}/").status_code == 404
    assert client_for(people.donor).post(f"/follow/accounts.user/{people.resident.pk}/").status_code == 404
    anonymous = client_for(None).post(f"/follow/projects.project/{draft.pk}/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not Follow.objects.exists()


def test_the_project_page_offers_the_follow_button_to_logged_in_people(client_for, people, project):
    assert "/follow/projects.project/" not in client_for(None).get(project.get_absolute_url()).content.decode()
    assert (
        f"/follow/projects.project/{project.pk}/"
        in client_for(people.donor).get(project.get_absolute_url()).content.decode()
    )
