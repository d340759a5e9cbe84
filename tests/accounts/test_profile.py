import json

import pytest

from portal.accounts.models import Role, RoleAssignment, User
from portal.audit.models import AuditEntry
from portal.organisations.models import MemberRole, Membership
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_profile_edit_saves_and_claims_residence(client, tree):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {"display_name": "新名字", "phone": "138 0013 8000", "home_community": tree.community_a1.pk, "language": "en"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.phone, user.language) == ("新名字", "13800138000", "en")
    claim = RoleAssignment.objects.get(user=user, role=Role.RESIDENT)
    assert claim.region == tree.community_a1 and claim.verified_at is None


def test_a_bad_phone_number_is_explained_and_the_input_kept(client, tree):
    user = UserFactory(display_name="旧名字")
    client.force_login(user)
    response = client.post("/accounts/profile/", {"display_name": "新名字", "phone": "abc", "language": "zh-hans"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "新名字" in html and "13800138000" in html  # the hint
    user.refresh_from_db()
    assert user.display_name == "旧名字"


def test_community_staff_verify_residence_only_in_their_community(client, people, tree):
    claimant = UserFactory()
    claim = RoleAssignment.objects.create(user=claimant, role=Role.RESIDENT, region=tree.community_b1)
    client.force_login(people.community_staff)  # community A1
    assert client.post(f"/accounts/profile/residences/{claim.pk}/verify/").status_code == 403
    client.force_login(people.street_staff_b)
    assert "乙一社区" in client.get("/accounts/profile/residences/").content.decode()
    client.post(f"/accounts/profile/residences/{claim.pk}/verify/")
    claim.refresh_from_db()
    assert claim.verified_at is not None
    assert AuditEntry.objects.filter(action="residence.verify", actor=people.street_staff_b).exists()


def test_residents_cannot_open_the_residence_queue(client, people):
    client.force_login(people.resident)
    assert client.get("/accounts/profile/residences/").status_code == 403


def test_data_export_contains_the_users_own_data(client, people):
    client.force_login(people.ngo_member)
    response = client.get("/accounts/profile/export/")
    data = json.loads(response.content)
    assert data["profile"]["username"] == "ngomember"
    assert data["organisations"][0]["organisation"] == people.ngo.name
    assert "attachment" in response["Content-Disposition"]


def test_account_deletion_needs_the_password_and_erases_the_user(client, password):
    user = UserFactory()
    client.force_login(user)
    assert client.post("/accounts/profile/delete/", {"password": "wrong"}).status_code == 200
    assert User.objects.filter(pk=user.pk).exists()
    assert client.post("/accounts/profile/delete/", {"password": password}).status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


def test_the_last_administrator_of_an_organisation_cannot_delete_their_account(client, password, tree):
    user = UserFactory()
    Membership.objects.create(user=user, organisation=OrganisationFactory(region=tree.street_a), role=MemberRole.ADMIN)
    client.force_login(user)
    response = client.post("/accounts/profile/delete/", {"password": password}, follow=True)
    assert User.objects.filter(pk=user.pk).exists()
    assert "administrator" in response.content.decode() or "管理员" in response.content.decode()


def test_switching_language_is_remembered_on_the_profile(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_the_profile_language_applies_on_a_new_browser(client):
    user = UserFactory(language="en")
    client.force_login(user)
    assert 'lang="en"' in client.get("/organisations/").content.decode()
    client.force_login(UserFactory(language="zh-hans"))
    assert 'lang="zh-hans"' in client.get("/organisations/").content.decode()


def test_me_api_shows_roles_and_edits_the_profile(api_for, people, tree):
    api = api_for(people.ngo_member)
    me = api.get("/api/v1/me/").json()
    assert {r["role"] for r in me["roles"]} == {"ngo_member"}
    assert me["organisations"][0]["slug"] == people.ngo.slug
    response = api.patch(
        "/api/v1/me/", {"display_name": "吴主任", "home_community": tree.community_a2.pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["display_name"] == "吴主任"
    assert api.patch("/api/v1/me/", {"phone": "not a phone"}, format="json").status_code == 400
    assert api.patch("/api/v1/me/", {"home_community": tree.street_a.pk}, format="json").status_code == 400


def test_me_api_refuses_anonymous(api_for):
    assert api_for(None).get("/api/v1/me/").status_code in (401, 403)
