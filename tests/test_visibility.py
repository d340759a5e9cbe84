"""For every role, what a list shows and what the object check allows are the same records.

Lists, the API and the rules each ask `visible_to(user)` or the record's view rule; if the two
ever disagree, someone sees a row they cannot open, or opens a record no list would show them.
"""

import pytest
from django.utils import timezone

from marketplace.calls.models import CallStatus, Declaration, DeclarationStatus, FundingCall
from marketplace.funding.models import Payment
from marketplace.gridlogs.models import GridLog
from marketplace.needs.models import Need, NeedStatus
from marketplace.projects.models import Project, ProjectStatus
from portal.organisations.models import Organisation, VerificationStatus
from tests.factories import NeedFactory, OrganisationFactory, category
from tests.factories.calls import funding_call
from tests.test_permission_matrix import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(people, tree):
    regions = [tree.grid_a1, tree.community_a2, tree.grid_b1]
    for region in regions:
        for status in NeedStatus.values:
            NeedFactory(region=region, status=status, submitted_by=None)
        NeedFactory(region=region, status=NeedStatus.REJECTED, submitted_by=people.resident)
        NeedFactory(region=region, status=NeedStatus.DISPATCHED, department=people.department)
        for status in (ProjectStatus.DRAFT, ProjectStatus.PUBLISHED, ProjectStatus.WITHDRAWN):
            Project.objects.create(title="项目", category=category(), region=region, status=status)
    for street in (tree.street_a, tree.street_b):
        for status in VerificationStatus.values:
            OrganisationFactory(region=street, verification_status=status)
    for project in Project.objects.filter(status=ProjectStatus.PUBLISHED):
        for donor in (people.resident, people.plain, people.street_staff_b):
            Payment.objects.create(donor=donor, project=project, amount=10_000, provider="offline")
    GridLog.objects.create(grid=tree.grid_a1, author=people.grid_worker, date="2026-11-01")
    GridLog.objects.create(grid=tree.grid_b1, author=people.street_staff_b, date="2026-11-02")
    # Calls in both streets, each with a draft, a submitted and a withdrawn declaration of each NGO.
    for street, ngo, member in (
        (tree.street_a, people.ngo, people.ngo_member),
        (tree.street_b, people.other_ngo, people.other_ngo_member),
    ):
        for status in CallStatus.values:
            call = funding_call(street, slug=f"visibility-{street.pk}-{status}", status=status, documents="")
        call = funding_call(street, slug=f"visibility-{street.pk}", documents="")
        for outcome in DeclarationStatus.values:
            Declaration.objects.create(
                call=call,
                organisation=ngo,
                created_by=member,
                status=outcome,
                submitted_at=None if outcome == "draft" else timezone.now(),
            )


CASES = [
    (Need, "needs.view_need"),
    (Organisation, "organisations.view_organisation"),
    (Project, "projects.view_project"),
    (GridLog, "gridlogs.view_grid_log"),
    (Payment, "funding.view_payment"),
    (FundingCall, "calls.view_call"),
    (Declaration, "calls.view_declaration"),
]


@pytest.mark.parametrize(("model", "perm"), CASES, ids=[m.__name__ for m, _p in CASES])
def test_lists_and_object_checks_agree_for_every_role(people, records, model, perm):
    from django.contrib.auth.models import AnonymousUser

    disagreements = []
    everything = list(model.objects.all())
    for role in ROLES:
        user = getattr(people, role) or AnonymousUser()
        listed = set(model.objects.visible_to(user).values_list("pk", flat=True))
        allowed = {obj.pk for obj in everything if user.has_perm(perm, obj)}
        if listed != allowed:
            disagreements.append(
                f"{role}: listed only {sorted(listed - allowed)}, allowed only {sorted(allowed - listed)}"
            )
    assert not disagreements, "\n".join(disagreements)
