"""A renamed organisation is shown under its last verified name until staff check the new one (issue 19)."""

import pytest

from marketplace.funding import intents
from portal.organisations import services
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db

NEW = "假冒慈善基金会"


@pytest.fixture
def renamed(people, tree):
    project = published_project(tree.community_a1, target_yuan=1000, title="楼道扶手加装")
    payment = intents.pledge(
        by=people.donor, project=project, amount=10_000, organisation=people.company, public_name=True
    )
    intents.confirm_offline(by=people.community_staff, payment=payment, reference="转账", received_on=None)
    organisation = services.update_organisation(by=people.donor, organisation=people.company, name=NEW)
    assert not organisation.is_verified
    return project, organisation


def _pages(client, project, organisation):
    return [
        client.get(project.get_absolute_url()).content.decode(),
        client.get(f"/funding/funders/organisations/{organisation.pk}/").content.decode(),
    ]


def test_the_public_sees_the_last_verified_name(renamed, client_for):
    project, organisation = renamed
    for page in _pages(client_for(None), project, organisation):
        assert NEW not in page and "甲公司" in page
    assert organisation.public_name == "甲公司"


def test_staff_who_check_it_see_the_pending_name(renamed, people, client_for):
    project, organisation = renamed
    funder_page = _pages(client_for(people.street_staff), project, organisation)[1]
    assert NEW in funder_page


def test_once_verified_the_new_name_is_public(renamed, people, client_for):
    project, organisation = renamed
    services.verify_organisation(by=people.street_staff, organisation=organisation)
    for page in _pages(client_for(None), project, organisation):
        assert NEW in page and "甲公司" not in page
