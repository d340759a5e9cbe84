"""Shared by the review, awards and results tests: a call in review with its panel."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.calls import review, services
from marketplace.calls.models import ReviewerKind
from portal.accounts.models import Role
from portal.organisations.models import MemberRole, Membership
from tests.factories import UserFactory
from tests.factories.accounts import grant
from tests.factories.calls import funding_call

PDF = b"%PDF-1.4\n%%EOF\n"
FIELDS = {
    "problem": "问题",
    "target_group": "老人",
    "beneficiaries": 120,
    "activities": "活动",
    "timeline": "全年",
    "team": "社工",
}


def declare(member, organisation, call, title, cost):
    declaration = services.start_declaration(by=member, call=call, organisation=organisation)
    declaration = services.save_draft(
        by=member,
        declaration=declaration,
        fields={"title": title, **FIELDS},
        lines=[{"item": "服务", "amount": cost, "requested": cost}],
    )
    services.attach_document(
        by=member,
        declaration=declaration,
        document="项目预算表",
        file=SimpleUploadedFile("b.pdf", PDF, content_type="application/pdf"),
    )
    return services.submit_declaration(by=member, declaration=declaration)


@pytest.fixture
def panel(people, tree):
    """A call of street A with two declarations in review, three seated reviewers and a reserve.

    The officer seated first belongs to people.ngo: excluded from its declaration automatically."""
    call = funding_call(tree.street_a, pool=10_000_000)  # ¥100,000
    ours = declare(people.ngo_member, people.ngo, call, "独居老人助餐", 6_000_000)
    other_ngo = people.other_ngo
    other_ngo.service_regions.add(tree.street_a)
    theirs = declare(people.other_ngo_member, other_ngo, call, "儿童课后托管", 4_000_000)
    services.close_call(by=people.street_staff, call=call)
    call.refresh_from_db()
    reviewers = [grant(UserFactory(username=f"reviewer{i}"), Role.REVIEWER, tree.district) for i in range(4)]
    Membership.objects.create(organisation=people.ngo, user=reviewers[0], role=MemberRole.MEMBER)
    for i, user in enumerate(reviewers):
        kind = [ReviewerKind.OFFICER, ReviewerKind.RESIDENT, ReviewerKind.EXPERT, ReviewerKind.EXPERT][i]
        review.seat_reviewer(by=people.street_staff, call=call, reviewer=user, kind=kind, reserve=i == 3)
    review.assign_reviews(by=people.street_staff, call=call)
    return call, ours, theirs, reviewers


def scores(call, value, comment="理由充分"):
    return {c.pk: (value, comment) for c in call.criteria.all()}
