"""Claims and bids through their services: what is allowed, what is refused, who is told."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation

from marketplace.adoptions import services
from marketplace.adoptions.models import Adoption, AdoptionStatus, Bid, BidStatus
from marketplace.projects.models import ProjectStatus
from portal.core.errors import DomainError, TransitionNotAllowed
from portal.core.transitions import NotPermitted, timeline_of
from portal.notifications.models import Notification
from portal.organisations.models import MemberRole, Membership, OrganisationKind, VerificationStatus
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.adoptions import bid_payload
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(tree):
    return published_project(tree.community_a1)


def _claim(by, project, **kwargs):
    return services.claim_project(by=by, project=project, **{"mode": "fund", "amount": 100_000, **kwargs})


def test_a_claim_is_pending_with_its_first_step_on_the_timeline_when_a_person_pledges(people, project):
    claim = _claim(people.resident, project)
    assert claim.status == AdoptionStatus.PENDING and claim.amount == 100_000
    assert [e.to_status for e in timeline_of(claim)] == ["pending"]


def test_a_pledge_of_the_whole_gap_takes_what_is_still_missing(people, project):
    project.amount_raised = 2_500_000
    project.save(update_fields=["amount_raised"])  # the ledger's total, written on purpose
    claim = _claim(people.donor, project, amount=0, covers_gap=True, organisation=people.company)
    assert claim.amount == 7_500_000 and claim.covers_gap and claim.organisation == people.company


@pytest.mark.parametrize("status", [ProjectStatus.DRAFT, ProjectStatus.FUNDED, ProjectStatus.WITHDRAWN])
def test_a_claim_is_refused_when_the_project_is_not_published(people, project, status):
    project.status = status
    project.save()
    with pytest.raises(DomainError) as raised:
        _claim(people.resident, project)
    assert raised.value.code == "not_open"
    assert not Adoption.objects.exists()


def test_a_claim_is_refused_when_the_project_does_not_want_that_mode(people, tree):
    project = published_project(tree.community_a1, wants_volunteers=False)
    with pytest.raises(DomainError) as raised:
        _claim(people.resident, project, mode="volunteer", hours=4)
    assert raised.value.code == "mode_not_wanted"


def test_running_a_project_is_claimed_by_a_bid_not_a_claim(people, project):
    with pytest.raises(DomainError) as exc:
        _claim(people.ngo_member, project, mode="run")
    assert exc.value.code == "run_by_bid"


def test_a_claim_is_refused_when_anonymous(project):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotPermitted):
        _claim(AnonymousUser(), project)


def test_a_claim_is_refused_when_on_behalf_of_someone_elses_organisation(people, project):
    with pytest.raises(NotPermitted):
        _claim(people.ngo_member, project, organisation=people.other_ngo)
    assert not Adoption.objects.exists()


def test_a_claim_is_refused_when_the_organisation_is_not_verified(people, tree, project):
    pending = OrganisationFactory(region=tree.street_a, verification_status=VerificationStatus.PENDING)
    Membership.objects.create(organisation=pending, user=people.resident, role=MemberRole.ADMIN)
    with pytest.raises(DomainError) as raised:
        _claim(people.resident, project, organisation=pending)
    assert raised.value.code == "organisation_unverified"


def test_in_kind_and_volunteer_claims_carry_what_they_give(people, project):
    item = project.in_kind_items.get()
    gift = _claim(
        people.donor, project, mode="in_kind", amount=0, in_kind_item=item, quantity=4, estimated_value=12_000
    )
    other = _claim(people.resident, project, mode="in_kind", item_description="旧书架两个", quantity=2)
    hours = _claim(people.resident, project, mode="volunteer", hours=12, skills="理发")
    assert (gift.item_name, gift.quantity, gift.amount) == ("折叠餐桌", 4, 0)
    assert other.item_name == "旧书架两个"
    assert (hours.hours, hours.skills) == (12, "理发")


def test_an_in_kind_claim_is_refused_when_the_item_is_another_projects(people, tree, project):
    other = published_project(tree.community_a2)
    with pytest.raises(DomainError) as raised:
        _claim(people.resident, project, mode="in_kind", in_kind_item=other.in_kind_items.get(), quantity=1)
    assert raised.value.code == "item"


def test_the_database_refuses_a_fund_claim_without_an_amount(people, project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Adoption.objects.create(project=project, claimant=people.resident, mode="fund", amount=0)


def test_staff_of_the_region_approve_and_the_claimant_is_told(people, project):
    claim = _claim(people.resident, project)
    approved = services.approve_adoption(by=people.community_staff, adoption=claim)
    assert approved.status == AdoptionStatus.APPROVED and approved.decided_by == people.community_staff
    assert approved.decided_at is not None
    assert Notification.objects.filter(recipient=people.resident, title__contains=project.title).count() == 1
    assert [e.to_status for e in timeline_of(approved)] == ["pending", "approved"]


def test_declining_needs_a_reason_and_tells_the_claimant_why(people, project):
    claim = _claim(people.resident, project)
    with pytest.raises(DomainError) as raised:
        services.decline_adoption(by=people.street_staff, adoption=claim, reason="  ")
    assert raised.value.code == "reason_required"
    declined = services.decline_adoption(by=people.street_staff, adoption=claim, reason="认捐金额与预算不符")
    assert declined.status == AdoptionStatus.DECLINED
    note = Notification.objects.get(recipient=people.resident)
    assert note.body == "认捐金额与预算不符"


@pytest.mark.parametrize("role", ["street_staff_b", "resident", "ngo_member", "grid_worker", "department_officer"])
def test_a_decision_is_refused_when_not_staff_of_the_projects_region(people, project, role):
    claim = _claim(people.donor, project)
    with pytest.raises(NotPermitted):
        services.approve_adoption(by=getattr(people, role), adoption=claim)
    claim.refresh_from_db()
    assert claim.status == AdoptionStatus.PENDING


def test_the_claimant_withdraws_a_pending_claim_but_not_a_decided_one(people, project):
    claim = _claim(people.resident, project)
    with pytest.raises(NotPermitted):
        services.withdraw_adoption(by=people.donor, adoption=claim)
    assert services.withdraw_adoption(by=people.resident, adoption=claim).status == AdoptionStatus.WITHDRAWN
    decided = services.approve_adoption(by=people.district_staff, adoption=_claim(people.resident, project))
    with pytest.raises(TransitionNotAllowed):
        services.withdraw_adoption(by=people.resident, adoption=decided)


def test_approving_twice_changes_nothing_and_tells_once(people, project):
    claim = _claim(people.resident, project)
    services.approve_adoption(by=people.community_staff, adoption=claim)
    services.approve_adoption(by=people.community_staff, adoption=claim)
    assert Notification.objects.filter(recipient=people.resident).count() == 1


# --- bids -----------------------------------------------------------------


def _third_ngo(tree):
    ngo = OrganisationFactory(kind=OrganisationKind.NGO, region=tree.street_a, name="丙社区服务社")
    member = UserFactory(username="thirdngo")
    Membership.objects.create(organisation=ngo, user=member, role=MemberRole.ADMIN)
    return ngo, member


def test_a_verified_ngos_member_bids_with_checked_attachments(people, project):
    pdf = SimpleUploadedFile("预算.pdf", b"%PDF-1.4 budget", content_type="application/pdf")
    bid = services.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.ngo), attachments=[pdf])
    assert bid.status == BidStatus.SUBMITTED and bid.attachments.get().name == "预算.pdf"


def test_a_bid_is_refused_when_an_attachment_is_not_a_document(people, project):
    from django.core.exceptions import ValidationError

    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.ngo), attachments=[fake])
    assert not Bid.objects.exists()


def test_a_bid_is_refused_for_a_company_another_ngo_or_twice(people, project):
    with pytest.raises(DomainError) as raised:
        services.submit_bid(by=people.donor, project=project, **bid_payload(people.company))
    assert raised.value.code == "not_ngo"
    with pytest.raises(NotPermitted):
        services.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.other_ngo))
    services.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.ngo))
    with pytest.raises(DomainError) as raised:
        services.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.ngo))
    assert raised.value.code == "duplicate"


def test_a_bid_is_refused_when_the_project_wants_no_implementer(people, tree):
    project = published_project(tree.community_a1, wants_implementer=False)
    with pytest.raises(DomainError) as raised:
        services.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.ngo))
    assert raised.value.code == "mode_not_wanted"


def test_selecting_a_bid_makes_its_ngo_the_implementer_and_tells_every_bidder_the_reason(people, tree, project):
    ngo3, member3 = _third_ngo(tree)
    chosen = services.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.ngo))
    other = services.submit_bid(by=people.other_ngo_member, project=project, **bid_payload(people.other_ngo))
    third = services.submit_bid(by=member3, project=project, **bid_payload(ngo3, price=6_000_000))
    reason = "方案覆盖独居老人最全，居民代表多数支持"
    services.select_bid(by=people.community_staff, bid=chosen, reason=reason)
    project.refresh_from_db()
    assert project.implementer == people.ngo
    assert {b.pk: b.status for b in Bid.objects.all()} == {
        chosen.pk: BidStatus.SELECTED,
        other.pk: BidStatus.NOT_SELECTED,
        third.pk: BidStatus.NOT_SELECTED,
    }
    with translation.override(settings.LANGUAGE_CODE):  # the demo people read the site's language
        told = {s: str(services.BID_DECIDED[s] % {"project": project.title}) for s in services.BID_DECIDED}
    for loser in (people.other_ngo_member, member3):
        note = Notification.objects.get(recipient=loser)
        assert note.title == told[BidStatus.NOT_SELECTED] and note.body == reason
    assert Notification.objects.get(recipient=people.ngo_member).title == told[BidStatus.SELECTED]
    run = Adoption.objects.get(mode="run")
    assert run.status == AdoptionStatus.APPROVED and run.bid == chosen and run.organisation == people.ngo


def test_only_one_bid_is_selected_per_project(people, project):
    first = services.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.ngo))
    second = services.submit_bid(by=people.other_ngo_member, project=project, **bid_payload(people.other_ngo))
    services.select_bid(by=people.district_staff, bid=first, reason="价格合理")
    with pytest.raises(DomainError):
        services.select_bid(by=people.district_staff, bid=second, reason="改选")
    # The database itself holds the rule, whatever a service might do.
    with pytest.raises(IntegrityError), transaction.atomic():
        Bid.objects.filter(pk=second.pk).update(status=BidStatus.SELECTED)


def test_selecting_is_refused_without_a_reason_or_by_the_wrong_staff(people, project):
    bid = services.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.ngo))
    with pytest.raises(DomainError) as raised:
        services.select_bid(by=people.community_staff, bid=bid, reason="")
    assert raised.value.code == "reason_required"
    with pytest.raises(NotPermitted):
        services.select_bid(by=people.street_staff_b, bid=bid, reason="理由")
    bid.refresh_from_db()
    assert bid.status == BidStatus.SUBMITTED


def test_staff_record_a_representatives_opinion_and_others_may_not(people, project):
    bid = services.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.ngo))
    opinion = services.record_opinion(
        by=people.community_staff,
        project=project,
        bid=bid,
        representative_name="李桂兰",
        representative_role="8号楼楼长",
        opinion="送餐上门这条最实在",
    )
    assert opinion.recorded_by == people.community_staff
    with pytest.raises(NotPermitted):
        services.record_opinion(
            by=people.ngo_member, project=project, representative_name="x", representative_role="y", opinion="z"
        )
