"""Organisation verification has its action table: the page's buttons and the API's verify/reject run it."""

import pytest
from django.contrib.contenttypes.models import ContentType

from portal.core.models import TimelineEvent
from portal.organisations import services
from portal.organisations.actions import VERIFICATION_ACTIONS
from portal.organisations.models import Organisation, OrganisationKind, VerificationStatus
from tests.factories import OrganisationFactory, valid_uscc

pytestmark = pytest.mark.django_db
V = VerificationStatus


def _timeline(organisation):
    return list(
        TimelineEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Organisation), object_id=organisation.pk
        )
        .order_by("id")
        .values_list("from_status", "to_status")
    )


def test_the_page_offers_only_the_moves_open_now(client_for, people, tree):
    organisation = OrganisationFactory(region=tree.street_a, verification_status=V.PENDING)
    client = client_for(people.street_staff)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert f"/organisations/{organisation.slug}/verify/" in page and f"/{organisation.slug}/reject/" in page
    assert client.post(f"/organisations/{organisation.slug}/verify/", {"note": "材料齐全"}).status_code == 302
    assert _timeline(organisation) == [(V.PENDING, V.VERIFIED)]
    assert VERIFICATION_ACTIONS.available(Organisation.objects.get(pk=organisation.pk), people.street_staff) == {
        "reject"
    }
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert f"/organisations/{organisation.slug}/verify/" not in page and f"/{organisation.slug}/reject/" in page


def test_the_api_rejects_through_the_table_with_a_reason(api_for, people, tree):
    organisation = OrganisationFactory(region=tree.street_a, verification_status=V.PENDING)
    api = api_for(people.street_staff)
    assert api.post(f"/api/v1/organisations/{organisation.pk}/reject/", {"note": ""}).status_code == 400
    response = api.post(f"/api/v1/organisations/{organisation.pk}/reject/", {"note": "证照模糊"}, format="json")
    assert response.status_code == 200 and response.json()["verification_status"] == V.REJECTED
    assert api_for(people.resident).post(f"/api/v1/organisations/{organisation.pk}/verify/").status_code in (403, 404)


def test_a_new_organisation_starts_its_timeline(people, tree):
    ngo = services.register_organisation(
        by=people.plain,
        service_regions=[tree.street_a],
        categories=[],
        kind=OrganisationKind.NGO,
        name="向阳花社工服务中心",
        uscc=valid_uscc(61),
        region=tree.street_a,
        contact_name="王芳",
        contact_phone="13900001111",
    )
    assert _timeline(ngo) == [("", V.PENDING)]
