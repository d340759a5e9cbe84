"""Assigned projects (党政部门交办): staff of the project's area hand it to a verified NGO directly; the project
page says by which authority and why."""

import pytest

from marketplace.projects import services
from marketplace.projects.models import ProjectStatus
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted
from portal.organisations.models import VerificationStatus
from tests.factories import OrganisationFactory
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(tree):
    return published_project(tree.community_a1, title="老旧小区加装楼道扶手", wants_implementer=True)


def test_staff_assign_through_the_page_and_everyone_reads_by_whom_and_why(project, people, client_for, client):
    staff = client_for(people.community_staff)
    assert "assign-authority" in staff.get(project.get_absolute_url()).content.decode()
    response = staff.post(
        f"/projects/{project.pk}/assign/",
        {
            "assign-organisation": people.ngo.pk,
            "assign-authority": "区民政局",
            "assign-reason": "该机构承接过同类适老化改造",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.implementer == people.ngo and not project.wants_implementer and project.assigned_at
    client.logout()
    html = client.get(project.get_absolute_url()).content.decode()
    assert "区民政局" in html and "该机构承接过同类适老化改造" in html and people.ngo.name in html


def test_the_api_assigns_and_refuses_the_wrong_people(project, people, api_for):
    payload = {"organisation": people.ngo.pk, "authority": "街道办事处", "reason": "居民议事会推荐"}
    for other in (None, people.resident, people.ngo_member, people.street_staff_b):
        response = api_for(other).post(f"/api/v1/projects/{project.pk}/assign/", payload, format="json")
        assert response.status_code in (401, 403, 404), (other, response.status_code)
    response = api_for(people.street_staff).post(f"/api/v1/projects/{project.pk}/assign/", payload, format="json")
    assert response.status_code == 200 and response.json()["assigned_by"] == "街道办事处"


def test_only_a_verified_ngo_a_reason_and_a_project_not_under_way(project, people, tree):
    pending = OrganisationFactory(region=tree.street_a, verification_status=VerificationStatus.PENDING)
    with pytest.raises(DomainError):
        services.assign_project(
            by=people.community_staff, project=project, organisation=pending, authority="区", reason="x"
        )
    with pytest.raises(DomainError):
        services.assign_project(
            by=people.community_staff, project=project, organisation=people.ngo, authority="区", reason=" "
        )
    with pytest.raises(NotPermitted):
        services.assign_project(
            by=people.street_staff_b, project=project, organisation=people.ngo, authority="区", reason="x"
        )
    services.move_project(by=None, project=project, to=ProjectStatus.FUNDED)
    services.move_project(by=None, project=project, to=ProjectStatus.IN_PROGRESS)
    with pytest.raises(DomainError):
        services.assign_project(
            by=people.community_staff, project=project, organisation=people.ngo, authority="区", reason="x"
        )
