"""For every role, the claims and bids a list shows are the ones the object rule lets them open."""

import pytest
from django.contrib.auth.models import AnonymousUser

from marketplace.adoptions import services
from marketplace.adoptions.models import Adoption, Bid
from tests.factories.adoptions import bid_payload
from tests.factories.projects import published_project
from tests.test_permission_matrix import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(people, tree):
    for region in (tree.grid_a1, tree.community_a2, tree.grid_b1):
        project = published_project(region)
        services.claim_project(by=people.resident, project=project, mode="fund", amount=100)
        services.claim_project(by=people.donor, project=project, mode="fund", amount=100, organisation=people.company)
        services.claim_project(by=people.plain, project=project, mode="volunteer", hours=2)
        services.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.ngo))
        other = services.submit_bid(by=people.other_ngo_member, project=project, **bid_payload(people.other_ngo))
        if region == tree.community_a2:
            services.select_bid(by=people.district_staff, bid=other, reason="方案更细")


@pytest.mark.parametrize(("model", "perm"), [(Adoption, "adoptions.view_adoption"), (Bid, "adoptions.view_bid")])
def test_lists_and_object_checks_agree_for_every_role(people, records, model, perm):
    disagreements = []
    everything = list(model.objects.select_related("project__region"))
    for role in ROLES:
        user = getattr(people, role) or AnonymousUser()
        listed = set(model.objects.visible_to(user).values_list("pk", flat=True))
        allowed = {obj.pk for obj in everything if user.has_perm(perm, obj)}
        if listed != allowed:
            disagreements.append(
                f"{role}: listed only {sorted(listed - allowed)}, allowed only {sorted(allowed - listed)}"
            )
    assert not disagreements, "\n".join(disagreements)
