"""Roles come from verified organisations only; departments are made by district staff."""

import pytest

from marketplace.needs import services as need_services
from marketplace.needs.forms import DispatchForm
from portal.accounts.models import Role
from portal.accounts.roles import forget_roles, has_role
from portal.core.errors import DomainError
from portal.organisations import services
from portal.organisations.models import Organisation, OrganisationKind, VerificationStatus
from tests.factories import UserFactory, category, valid_uscc

pytestmark = pytest.mark.django_db


def _fields(tree, **overrides):
    return {
        "kind": OrganisationKind.NGO,
        "name": "向阳花社工服务中心",
        "uscc": valid_uscc(321),
        "region": tree.street_a,
        "contact_name": "王芳",
        "contact_phone": "13900001111",
        **overrides,
    }


def test_nobody_registers_a_department_of_their_own(tree, api_for, client_for):
    resident = UserFactory()
    with pytest.raises(DomainError):
        services.register_organisation(by=resident, **_fields(tree, kind=OrganisationKind.DEPARTMENT))
    payload = {**_fields(tree, kind="department", uscc=valid_uscc(322)), "region": tree.street_a.pk}
    response = api_for(resident).post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 400 and response.json()["code"] == "department_kind"
    form_page = client_for(resident).get("/organisations/register/").content.decode()
    assert 'value="department"' not in form_page
    response = client_for(resident).post(
        "/organisations/register/", {**payload, "uscc": valid_uscc(323), "region": tree.street_a.pk}
    )
    assert response.status_code == 200  # the form again, with the reason
    assert not Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT).exists()
    assert not has_role(resident, Role.DEPARTMENT_OFFICER)


def test_district_staff_set_up_a_department_verified_and_without_members(people, tree):
    department = services.register_organisation(
        by=people.district_staff, **_fields(tree, kind=OrganisationKind.DEPARTMENT, name="西港区住房和建设局")
    )
    assert department.verification_status == VerificationStatus.VERIFIED
    assert not department.memberships.exists()
    assert not has_role(people.district_staff, Role.DEPARTMENT_OFFICER)
    assert people.district_staff.has_perm("organisations.manage_members", department)
    assert not people.street_staff.has_perm("organisations.manage_members", department)


def test_members_of_an_unverified_organisation_hold_no_role(tree):
    founder = UserFactory()
    ngo = services.register_organisation(by=founder, **_fields(tree))
    assert ngo.verification_status == VerificationStatus.PENDING
    assert not has_role(founder, Role.NGO_MEMBER)
    assert founder.has_perm("organisations.change_organisation", ngo)  # they can still complete the profile


@pytest.mark.parametrize(
    "change",
    [
        {"name": "西港区城市管理局（执法）"},
        {"kind": OrganisationKind.COMPANY},
        {"uscc": valid_uscc(999)},
        {"region": "street_b"},
    ],
    ids=["name", "kind", "uscc", "region"],
)
def test_a_new_identity_goes_back_to_verification_and_suspends_roles(people, tree, change):
    change = {k: getattr(tree, v) if k == "region" else v for k, v in change.items()}
    assert has_role(people.ngo_member, Role.NGO_MEMBER)
    ngo = services.update_organisation(by=people.ngo_member, organisation=people.ngo, **change)
    assert ngo.verification_status == VerificationStatus.PENDING
    forget_roles(people.ngo_member)
    assert not has_role(people.ngo_member, Role.NGO_MEMBER, Role.DONOR_MEMBER)
    assert ngo in Organisation.objects.filter(verification_status=VerificationStatus.PENDING)
    # Staff see it in their queue again.
    verifier = people.street_staff if ngo.region == tree.street_a else people.street_staff_b
    assert verifier.has_perm("organisations.verify_organisation", ngo)


def test_a_description_change_keeps_the_verification(people):
    ngo = services.update_organisation(by=people.ngo_member, organisation=people.ngo, description="新的介绍")
    assert ngo.verification_status == VerificationStatus.VERIFIED


def test_an_organisation_cannot_turn_into_a_department(people, api_for):
    with pytest.raises(DomainError):
        services.update_organisation(by=people.ngo_member, organisation=people.ngo, kind=OrganisationKind.DEPARTMENT)
    response = api_for(people.ngo_member).patch(
        f"/api/v1/organisations/{people.ngo.pk}/", {"kind": "department"}, format="json"
    )
    assert response.status_code == 400
    people.ngo.refresh_from_db()
    assert people.ngo.kind == OrganisationKind.NGO and people.ngo.verification_status == VerificationStatus.VERIFIED


def test_dispatch_offers_and_accepts_verified_departments_only(people, tree, api_for):
    pending = Organisation.objects.create(
        kind=OrganisationKind.DEPARTMENT,
        name="西港区冒名局",
        slug="fake-department",
        uscc=valid_uscc(555),
        region=tree.district,
        contact_name="某",
        contact_phone="13900000000",
        verification_status=VerificationStatus.PENDING,
    )
    assert pending not in DispatchForm().fields["department"].queryset
    assert people.department in DispatchForm().fields["department"].queryset
    listed = [d["id"] for d in api_for(None).get("/api/v1/departments/").json()["results"]]
    assert people.department.pk in listed and pending.pk not in listed
    need = need_services.submit_need(
        by=people.resident, title="井盖缺失", description="路口井盖丢了", category=category(), region=tree.grid_a1
    )
    with pytest.raises(DomainError):
        need_services.dispatch_need(by=people.community_staff, need=need, department=pending)
    response = api_for(people.community_staff).post(
        f"/api/v1/needs/{need.pk}/dispatch/", {"department": pending.pk}, format="json"
    )
    assert response.status_code == 400


def test_officers_of_an_unverified_department_see_no_dispatched_needs(people, tree, client_for):
    need = need_services.submit_need(
        by=people.resident,
        title="路灯",
        description="坏了",
        category=category(),
        region=tree.grid_a1,
        contact_phone="13811112222",
    )
    need_services.dispatch_need(by=people.community_staff, need=need, department=people.department)
    Organisation.objects.filter(pk=people.department.pk).update(verification_status=VerificationStatus.PENDING)
    client = client_for(people.department_officer)
    assert client.get("/needs/queue/").status_code == 403
    assert client.get("/reports/").status_code == 403
    assert client.get(f"/needs/{need.pk}/").status_code in (200, 403)
    assert "13811112222" not in client.get(f"/needs/{need.pk}/").content.decode()
