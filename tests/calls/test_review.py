"""Joint review: seating, assignment with automatic exclusion and reassignment, blind scoring, the board,
computed and overridden awards; through the services, the pages and the API."""

import pytest

from marketplace.calls import review
from marketplace.calls.models import AssignmentStatus, Award, CallStatus, ReviewAssignment
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted
from portal.organisations.models import MemberRole, Membership
from tests.calls.conftest import declare, scores
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_of_the_applicant_is_excluded_and_a_reserve_takes_the_review(panel):
    call, ours, theirs, reviewers = panel
    excluded = ReviewAssignment.objects.get(declaration=ours, reviewer=reviewers[0])
    assert excluded.status == AssignmentStatus.EXCLUDED and excluded.conflict
    assert set(
        ReviewAssignment.objects.filter(declaration=ours, status="assigned").values_list("reviewer", flat=True)
    ) == {
        reviewers[1].pk,
        reviewers[2].pk,
        reviewers[3].pk,  # the reserve
    }
    assert ReviewAssignment.objects.filter(declaration=theirs).count() == 3  # the reserve is not needed there
    # Run again: nothing new.
    assert review.assign_reviews(by=None, call=call) == 0


def test_a_declared_conflict_excludes_and_reassigns(panel):
    call, ours, theirs, reviewers = panel
    assignment = ReviewAssignment.objects.get(declaration=theirs, reviewer=reviewers[1])
    with pytest.raises(NotPermitted):
        review.declare_conflict(by=reviewers[2], review=assignment, reason="不是我的")
    review.declare_conflict(by=reviewers[1], review=assignment, reason="我是该机构理事的亲属")
    assert ReviewAssignment.objects.get(declaration=theirs, reviewer=reviewers[3]).status == "assigned"


def test_a_reviewer_sees_no_other_score_before_submitting_and_every_one_after(panel, client_for, api_for):
    call, ours, theirs, reviewers = panel
    first = ReviewAssignment.objects.get(declaration=theirs, reviewer=reviewers[1])
    second = ReviewAssignment.objects.get(declaration=theirs, reviewer=reviewers[2])
    review.submit_scores(by=reviewers[1], review=first, scores=scores(call, 9))
    # reviewer 2 has not submitted: neither the page nor the API shows reviewer 1's scores or total.
    page = client_for(reviewers[2]).get(second.get_absolute_url()).content.decode()
    assert "理由充分" not in page and str(first.total if first.total else "90.00") not in page
    assert api_for(reviewers[2]).get(f"/api/v1/reviews/{second.pk}/").json()["others"] == []
    assert api_for(reviewers[2]).get(f"/api/v1/reviews/{first.pk}/").status_code == 404
    listed = api_for(reviewers[2]).get("/api/v1/reviews/").json()["results"]
    assert {r["id"] for r in listed} == set(
        ReviewAssignment.objects.filter(reviewer=reviewers[2]).values_list("pk", flat=True)
    )
    # Submitting through the page, then both totals are shown.
    post = {f"score-{c.pk}": "6" for c in call.criteria.all()} | {
        f"comment-{c.pk}": "可行" for c in call.criteria.all()
    }
    client_for(reviewers[2]).post(second.get_absolute_url(), post)
    second.refresh_from_db()
    assert second.status == "submitted" and second.total == 60
    page = client_for(reviewers[2]).get(second.get_absolute_url()).content.decode()
    assert "理由充分" in page
    assert [o["total"] for o in api_for(reviewers[2]).get(f"/api/v1/reviews/{second.pk}/").json()["others"]] == [
        "90.00"
    ]


def test_every_criterion_needs_a_score_and_a_comment_and_nothing_typed_is_lost(panel, client_for):
    call, ours, theirs, reviewers = panel
    assignment = ReviewAssignment.objects.get(declaration=theirs, reviewer=reviewers[1])
    criteria = list(call.criteria.all())
    post = {f"score-{c.pk}": "7" for c in criteria} | {f"comment-{criteria[0].pk}": "需求很迫切"}
    page = client_for(reviewers[1]).post(assignment.get_absolute_url(), post)
    assert page.status_code == 400 and "需求很迫切" in page.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "assigned" and not assignment.scores.exists()
    with pytest.raises(DomainError):
        review.submit_scores(by=reviewers[1], review=assignment, scores={c.pk: (11, "x") for c in criteria})


def test_awards_are_computed_after_every_review_and_overridden_with_a_reason(panel, people, api_for, client_for):
    call, ours, theirs, reviewers = panel
    with pytest.raises(DomainError):
        review.compute_awards(by=people.street_staff, call=call)  # reviews still open
    for assignment in ReviewAssignment.objects.filter(status="assigned"):
        value = 9 if assignment.declaration_id == theirs.pk else 8
        review.submit_scores(by=assignment.reviewer, review=assignment, scores=scores(call, value))
    api = api_for(people.street_staff)
    computed = api.post(f"/api/v1/calls/{call.pk}/compute_awards/")
    assert computed.status_code == 200, computed.content
    rows = api.get(f"/api/v1/awards/?call={call.pk}").json()["results"]
    # 儿童课后托管: ¥40,000, 120 people → 80 % = ¥32,000 (rank 1); 独居老人助餐: ¥60,000 → 80 % = ¥48,000 (rank 2).
    assert [(r["declaration_title"], r["amount"]) for r in rows] == [
        ("儿童课后托管", "32000.00"),
        ("独居老人助餐", "48000.00"),
    ]
    award = Award.objects.get(declaration=ours)
    refused = api.post(f"/api/v1/awards/{award.pk}/override/", {"amount": "70000", "reason": "多给"}, format="json")
    assert refused.status_code == 400  # ¥32,000 + ¥70,000 is more than the ¥100,000 pool
    done = api.post(f"/api/v1/awards/{award.pk}/override/", {"amount": "50000", "reason": "评审会议一致同意增加送餐车"})
    assert done.status_code == 200 and done.json()["override_reason"].startswith("评审会议")
    # Nobody else computes, overrides or sees the computed awards during the review.
    for other in (people.street_staff_b, people.ngo_member, reviewers[1], None):
        assert api_for(other).post(f"/api/v1/calls/{call.pk}/compute_awards/").status_code in (401, 403, 404)
        listed = api_for(other).get(f"/api/v1/awards/?call={call.pk}")
        assert listed.status_code in (401, 403) or listed.json()["results"] == []
    board = client_for(people.street_staff).get(f"/calls/{call.slug}/review/")
    assert board.status_code == 200 and "儿童课后托管" in board.content.decode()
    assert client_for(people.street_staff_b).get(f"/calls/{call.slug}/review/").status_code == 404
    assert client_for(reviewers[1]).get(f"/calls/{call.slug}/review/").status_code == 404


def test_the_board_and_results_take_a_bounded_number_of_queries(
    panel, people, client_for, django_assert_max_num_queries
):
    call, ours, theirs, reviewers = panel
    client = client_for(people.street_staff)
    client.get(f"/calls/{call.slug}/review/")
    with django_assert_max_num_queries(40) as few:
        client.get(f"/calls/{call.slug}/review/")
    for i in range(8):
        member = UserFactory(username=f"more{i}")
        from portal.organisations.models import Organisation

        org = Organisation.objects.create(
            kind="ngo",
            name=f"评审测试组织{i}",
            slug=f"review-org-{i}",
            uscc=f"91210200MA0{i:07d}",
            region=people.ngo.region,
            contact_name="王",
            contact_phone="1",
            verification_status="verified",
        )
        Membership.objects.create(organisation=org, user=member, role=MemberRole.ADMIN)
        call.status = CallStatus.OPEN
        call.save(update_fields=["status"])
        declare(member, org, call, f"项目{i}", 1_000_000)
        call.status = CallStatus.REVIEW
        call.save(update_fields=["status"])
    review.assign_reviews(by=people.street_staff, call=call)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/calls/{call.slug}/review/")
