import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.organisations.models import Organisation, VerificationStatus
from tests.factories import OrganisationFactory, UserFactory, valid_uscc

pytestmark = pytest.mark.django_db


def _form(tree, **overrides):
    data = {
        "kind": "ngo",
        "name": "向阳花社工服务中心",
        "uscc": valid_uscc(77),
        "region": tree.street_a.pk,
        "contact_name": "王芳",
        "contact_phone": "13900001111",
        "contact_email": "wang@example.org",
        "description": "为独居老人提供上门服务",
    }
    data.update(overrides)
    return data


def test_a_logged_in_user_registers_an_organisation(client_for, tree):
    client = client_for(UserFactory())
    response = client.post("/organisations/register/", _form(tree))
    organisation = Organisation.objects.get(name="向阳花社工服务中心")
    assert response.status_code == 302 and response["Location"] == organisation.get_absolute_url()
    assert organisation.verification_status == VerificationStatus.PENDING


def test_a_wrong_check_digit_is_refused_and_the_form_keeps_the_input(client_for, tree):
    code = valid_uscc(77)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = client_for(UserFactory()).post("/organisations/register/", _form(tree, uscc=wrong))
    assert response.status_code == 200
    html = response.content.decode()
    assert "check digit" in html or "校验码" in html
    assert "向阳花社工服务中心" in html and wrong in html and "为独居老人提供上门服务" in html
    assert not Organisation.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, tree):
    response = client.get("/organisations/register/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_public_list_shows_only_verified_organisations(client, tree):
    OrganisationFactory(name="已认证组织", region=tree.street_a)
    OrganisationFactory(name="待认证组织", region=tree.street_a, verification_status=VerificationStatus.PENDING)
    html = client.get("/organisations/").content.decode()
    assert "已认证组织" in html and "待认证组织" not in html


def test_the_public_list_runs_a_bounded_number_of_queries(client, tree):
    OrganisationFactory.create_batch(3, region=tree.street_a)
    client.get("/organisations/")  # the menu is cached: count warm requests both times
    with CaptureQueriesContext(connection) as few:
        client.get("/organisations/")
    OrganisationFactory.create_batch(20, region=tree.street_b)
    with CaptureQueriesContext(connection) as many:
        client.get("/organisations/")
    assert len(many) == len(few)


def test_a_pending_profile_is_hidden_from_the_public_and_other_streets(client_for, people):
    pending = OrganisationFactory(region=people.ngo.region, verification_status=VerificationStatus.PENDING)
    url = pending.get_absolute_url()
    assert client_for(None).get(url).status_code == 403
    assert client_for(people.street_staff_b).get(url).status_code == 403
    assert client_for(people.street_staff).get(url).status_code == 200


def test_staff_verify_from_the_profile_page(client_for, people):
    pending = OrganisationFactory(region=people.ngo.region, verification_status=VerificationStatus.PENDING)
    response = client_for(people.community_staff).post(f"/organisations/{pending.slug}/verify/", {"note": ""})
    pending.refresh_from_db()
    # Community staff of A1 do not cover an organisation registered at street level.
    assert response.status_code == 403 and pending.verification_status == VerificationStatus.PENDING
    client_for(people.street_staff).post(f"/organisations/{pending.slug}/verify/", {"note": "ok"})
    pending.refresh_from_db()
    assert pending.verification_status == VerificationStatus.VERIFIED


def test_the_verification_queue_lists_only_the_staff_members_subtree(client_for, people):
    OrganisationFactory(name="甲待审", region=people.ngo.region, verification_status=VerificationStatus.PENDING)
    OrganisationFactory(name="乙待审", region=people.other_ngo.region, verification_status=VerificationStatus.PENDING)
    html = client_for(people.street_staff).get("/organisations/verification/").content.decode()
    assert "甲待审" in html and "乙待审" not in html
    assert client_for(people.resident).get("/organisations/verification/").status_code == 403


def test_verification_documents_are_private(client_for, people):
    client = client_for(people.ngo_member)
    upload = SimpleUploadedFile("cert.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(f"/organisations/{people.ngo.slug}/documents/", {"kind": "registration", "file": upload})
    document = people.ngo.documents.get()
    url = f"/organisations/{people.ngo.slug}/documents/{document.pk}/"
    assert client_for(people.ngo_member).get(url).status_code == 200
    assert client_for(people.street_staff).get(url).status_code == 200
    assert client_for(people.other_ngo_member).get(url).status_code == 403
    assert client_for(people.street_staff_b).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


def test_another_organisations_member_cannot_edit(client_for, people):
    response = client_for(people.other_ngo_member).post(f"/organisations/{people.ngo.slug}/edit/", {"name": "x"})
    assert response.status_code == 403


def test_an_admin_edits_the_profile_and_a_new_identity_is_checked_again(client_for, people, tree):
    client = client_for(people.ngo_member)
    data = _form(tree, name="改名后的社工中心", uscc=valid_uscc(5))
    response = client.post(f"/organisations/{people.ngo.slug}/edit/", data)
    assert response.status_code == 302
    people.ngo.refresh_from_db()
    assert (people.ngo.name, people.ngo.uscc) == ("改名后的社工中心", valid_uscc(5))
    assert people.ngo.verification_status == VerificationStatus.PENDING


def test_the_audit_log_shows_who_verified_what(client_for, people):
    pending = OrganisationFactory(
        name="审计目标", region=people.ngo.region, verification_status=VerificationStatus.PENDING
    )
    client_for(people.street_staff).post(f"/organisations/{pending.slug}/verify/", {"note": "材料齐全"})
    html = client_for(people.district_staff).get("/audit/").content.decode()
    assert "streetstaff" in html and "organisation.verified" in html and "审计目标" in html
