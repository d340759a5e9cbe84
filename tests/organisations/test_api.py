import pytest

from portal.organisations.models import Membership, Organisation, VerificationStatus
from tests.factories import OrganisationFactory, UserFactory, valid_uscc

pytestmark = pytest.mark.django_db


def _payload(tree, **overrides):
    data = {
        "kind": "ngo",
        "name": "API注册社工中心",
        "uscc": valid_uscc(88),
        "region": tree.street_a.pk,
        "service_regions": [tree.community_a1.pk],
        "contact_name": "赵",
        "contact_phone": "13700000000",
    }
    data.update(overrides)
    return data


def test_post_registers_an_organisation_for_the_caller(api_for, tree):
    user = UserFactory()
    response = api_for(user).post("/api/v1/organisations/", _payload(tree), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["verification_status"] == "pending" and body["service_regions"] == [tree.community_a1.pk]
    assert Membership.objects.get(user=user, organisation_id=body["id"]).role == "admin"


def test_post_with_a_wrong_check_digit_explains_the_error(api_for, tree):
    code = valid_uscc(88)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = api_for(UserFactory()).post("/api/v1/organisations/", _payload(tree, uscc=wrong), format="json")
    assert response.status_code == 400
    message = " ".join(response.json()["uscc"])
    assert "check digit" in message or "校验码" in message
    assert not Organisation.objects.exists()


def test_anonymous_post_is_refused(api_for, tree):
    assert api_for(None).post("/api/v1/organisations/", _payload(tree), format="json").status_code in (401, 403)


def test_duplicate_code_is_a_clear_400(api_for, tree):
    api_for(UserFactory()).post("/api/v1/organisations/", _payload(tree), format="json")
    response = api_for(UserFactory()).post("/api/v1/organisations/", _payload(tree), format="json")
    assert response.status_code == 400


def test_list_shows_verified_to_everyone_and_pending_to_scoped_staff(api_for, people):
    OrganisationFactory(name="甲待审", region=people.ngo.region, verification_status=VerificationStatus.PENDING)

    def names(user):
        return {o["name"] for o in api_for(user).get("/api/v1/organisations/?page_size=200").json()["results"]}

    assert "甲待审" not in names(None)
    assert "甲待审" not in names(people.street_staff_b)
    assert "甲待审" in names(people.street_staff)
    assert "甲待审" in names(people.district_staff)


def test_verify_action_respects_scope(api_for, people):
    pending = OrganisationFactory(region=people.ngo.region, verification_status=VerificationStatus.PENDING)
    url = f"/api/v1/organisations/{pending.pk}/verify/"
    assert api_for(None).post(url, {}).status_code in (401, 403, 404)
    assert api_for(people.ngo_member).post(url, {}).status_code in (403, 404)
    assert api_for(people.street_staff_b).post(url, {}).status_code in (403, 404)
    response = api_for(people.street_staff).post(url, {"note": "ok"}, format="json")
    assert response.status_code == 200 and response.json()["verification_status"] == "verified"


def test_only_admins_patch_their_organisation(api_for, people):
    url = f"/api/v1/organisations/{people.ngo.pk}/"
    assert api_for(people.other_ngo_member).patch(url, {"name": "x"}, format="json").status_code == 403
    assert api_for(None).patch(url, {"name": "x"}, format="json").status_code in (401, 403)
    response = api_for(people.ngo_member).patch(url, {"description": "新简介"}, format="json")
    assert response.status_code == 200 and response.json()["description"] == "新简介"


def test_invitations_through_the_api(api_for, people):
    url = f"/api/v1/organisations/{people.ngo.pk}/invitations/"
    assert api_for(people.other_ngo_member).post(url, {"email": "a@example.org"}).status_code == 403
    response = api_for(people.ngo_member).post(url, {"email": "a@example.org", "role": "member"}, format="json")
    assert response.status_code == 201
    token = people.ngo.invitations.get().token
    invitee = UserFactory(email="a@example.org")
    accepted = api_for(invitee).post("/api/v1/organisations/invitations/accept/", {"token": token}, format="json")
    assert accepted.status_code == 200
    members = api_for(people.ngo_member).get(f"/api/v1/organisations/{people.ngo.pk}/members/").json()
    assert {m["username"] for m in members} == {people.ngo_member.username, invitee.username}


def test_filters_by_kind_and_category_without_duplicates(api_for, tree):
    from portal.core.models import Category

    elderly = Category.objects.create(slug="elderly-care", name="养老服务")
    children = Category.objects.create(slug="child-care", name="儿童关爱")
    both = OrganisationFactory(name="两类都做", region=tree.street_a)
    both.categories.set([elderly, children])
    OrganisationFactory(name="企业", kind="company", region=tree.street_a).categories.set([elderly])
    names = [o["name"] for o in api_for(None).get("/api/v1/organisations/?category=elderly-care").json()["results"]]
    assert sorted(names) == ["两类都做", "企业"]
    names = [o["name"] for o in api_for(None).get("/api/v1/organisations/?kind=company").json()["results"]]
    assert names == ["企业"]
