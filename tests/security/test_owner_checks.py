"""No stranger is an owner: `None == None` must never make an anonymous visitor the submitter."""

import pytest
import rules.permissions
from django.contrib.auth.models import AnonymousUser

from deliberation.councils.models import Council
from deliberation.meetings.models import Meeting, MeetingStatus, Registration, RegistrationStatus
from deliberation.topics.models import Topic, TopicStatus
from deliberation.votes.models import Vote, VoteStatus
from marketplace.adoptions.models import Adoption, AdoptionStatus, Bid, BidStatus
from marketplace.funding.models import DeadlineChoice, Payment, Receipt
from marketplace.gridlogs.models import GridLog
from marketplace.needs import services
from marketplace.needs.models import Channel, Need, NeedStatus
from marketplace.projects.models import Project, ProjectStatus
from portal.accounts.models import RoleAssignment, User
from portal.comments.models import Comment, CommentStatus
from portal.organisations.models import Organisation, VerificationStatus
from tests.factories import NeedFactory, OrganisationFactory, UserFactory, category

pytestmark = pytest.mark.django_db

# What an anonymous visitor may do with a record nobody owns: look at it, if it is public.
ANONYMOUS_MAY = {
    "needs.view_need",
    "organisations.view_organisation",
    "projects.view_project",
    "adoptions.view_bid",  # a selected bid's summary is public
    "meetings.view_meeting",  # announced meetings are public
    "votes.view_vote",  # votes past their draft are public
    "councils.view_council",
    "topics.view_topic",
    "calls.view_call",  # published calls are public
    "implementation.view_milestone",  # milestones and reports of public projects are public
    "implementation.view_progressreport",
}


@pytest.fixture
def ownerless(tree):
    """One record of each kind the rules judge, with every owner field empty (imports, staff entries...)."""
    return {
        "needs": [
            NeedFactory(region=tree.community_a1, status=status, submitted_by=None, entered_by=None)
            for status in NeedStatus.values
        ],
        "gridlogs": [GridLog(grid=tree.grid_a1, author_id=None, date="2026-11-01")],
        "organisations": [
            OrganisationFactory(created_by=None, region=tree.street_a, verification_status=status)
            for status in VerificationStatus.values
        ],
        "accounts": [User(username="nobody")],  # an unsaved user: pk None, like an anonymous visitor
        "accounts.verify_residence": [RoleAssignment(user_id=None, region=tree.community_a1)],
        "projects": [
            Project(title="无主项目", category=category(), region=tree.community_a1, status=status, created_by=None)
            for status in ProjectStatus.values
        ],
        "funding": [
            Payment(donor_id=None, project=Project(title="无主项目", category=category(), region=tree.community_a1))
        ],
        "funding.view_receipt": [
            Receipt(
                payment=Payment(
                    donor_id=None, project=Project(title="无主项目", category=category(), region=tree.community_a1)
                )
            )
        ],
        **{
            name: [
                DeadlineChoice(
                    payment=Payment(
                        donor_id=None, project=Project(title="无主项目", category=category(), region=tree.community_a1)
                    ),
                    project=Project(title="无主项目", category=category(), region=tree.community_a1),
                )
            ]
            for name in ("funding.choose_deadline_option", "funding.view_deadline_choice")
        },
        "funding.export_project_ledger": [
            Project(title="无主项目", category=category(), region=tree.community_a1, status=status, created_by=None)
            for status in ProjectStatus.values
        ],
        "funding.export_gifts": [None],
        "audit": [None],
        "reports": [None],
        # Claims and bids with no claimant, submitter or organisation (and a project, for the bid comparison).
        "adoptions": [
            *(
                Adoption(project=Project(region=tree.community_a1), claimant_id=None, status=status)
                for status in AdoptionStatus.values
            ),
            *(
                Bid(
                    project=Project(region=tree.community_a1), organisation_id=None, submitted_by_id=None, status=status
                )
                for status in BidStatus.values
            ),
            Project(title="无主项目", category=category(), region=tree.community_a1, created_by=None),
        ],
        # Meetings nobody created, registrations entered by staff for people without an account.
        "meetings": [
            *(
                Meeting(council=Council(region=tree.community_a1), status=status, capacity=5, created_by=None)
                for status in MeetingStatus.values
            ),
            *(
                Registration(
                    meeting=Meeting(council=Council(region=tree.community_a1), status=MeetingStatus.ANNOUNCED),
                    user_id=None,
                    status=status,
                )
                for status in RegistrationStatus.values
            ),
        ],
        "votes": [
            Vote(council=Council(region=tree.community_a1), status=status, created_by=None)
            for status in VoteStatus.values
        ],
        # Topics proposed by nobody (made from hotline needs), their council, and comments without an author.
        "topics": [
            Council(region=tree.community_a1),
            *(Topic(council=Council(region=tree.community_a1), proposed_by_id=None, status=s) for s in TopicStatus),
        ],
        "councils": [Council(region=tree.community_a1)],
        # Calls, declarations of no organisation, reviews with no reviewer, awards.
        "calls": _calls_ownerless(tree),
        "implementation": _implementation_ownerless(tree),
        "comments": [
            Topic(council=Council(region=tree.community_a1), proposed_by_id=None),
            *(Comment(author_id=None, status=status) for status in CommentStatus.values),
        ],
    }


def _calls_ownerless(tree):
    from marketplace.calls.models import (
        Award,
        CallStatus,
        Declaration,
        DeclarationStatus,
        FundingCall,
        ReviewAssignment,
        ReviewerKind,
    )

    call = FundingCall(region=tree.street_a, status=CallStatus.REVIEW)
    declarations = [Declaration(call=call, organisation_id=None, status=s) for s in DeclarationStatus.values]
    return [
        *(FundingCall(region=tree.street_a, status=s) for s in CallStatus.values),
        *declarations,
        ReviewAssignment(declaration=declarations[1], reviewer_id=None, kind=ReviewerKind.EXPERT),
        Award(call=call, declaration=declarations[1], rank=1, score=0, reviewers=0),
    ]


def _implementation_ownerless(tree):
    from marketplace.implementation.models import (
        Evaluation,
        EvaluationChannel,
        Milestone,
        MilestoneStatus,
        ProgressReport,
        Tranche,
        TrancheStatus,
    )

    project = Project(title="无主项目", category=category(), region=tree.community_a1, status=ProjectStatus.COMPLETED)
    scores = {"score_results": 3, "score_service": 3, "score_timeliness": 3, "score_money": 3}
    return [
        project,
        *(Milestone(project=project, title="m", due_on="2026-11-01", status=s) for s in MilestoneStatus.values),
        *(Tranche(project=project, amount=1, status=s) for s in TrancheStatus.values),
        ProgressReport(project=project, body="x"),
        Evaluation(project=project, rater_id=None, channel=EvaluationChannel.MEETING, **scores),
    ]


def test_every_rule_refuses_an_anonymous_visitor_on_records_without_an_owner(ownerless):
    anonymous = AnonymousUser()
    allowed = []
    for name in sorted(rules.permissions.permissions):
        app = name.split(".")[0]
        assert app in ownerless, f"add ownerless {app} records to this test for {name}"
        for obj in [None, *ownerless.get(name, ownerless[app])]:
            if anonymous.has_perm(name, obj) and name not in ANONYMOUS_MAY:
                allowed.append(f"{name} on {obj!r}")
    assert not allowed, allowed


def test_a_signed_in_stranger_owns_nothing_either(ownerless):
    stranger = UserFactory()
    for comment in ownerless["comments"][1:]:
        assert not stranger.has_perm("comments.change_comment", comment)
    for need in ownerless["needs"]:
        for name in ("needs.view_need_private", "needs.rate_need"):
            assert not stranger.has_perm(name, need), (name, need.status)
    for registration in ownerless["meetings"][len(MeetingStatus.values) :]:
        for name in ("meetings.view_registration", "meetings.cancel_registration"):
            assert not stranger.has_perm(name, registration), (name, registration.status)


@pytest.fixture
def imported(people, tree):
    """A hotline ticket entered by staff: the resident has no account."""
    need = services.submit_need(
        by=people.community_staff,
        title="小区东门积水",
        description="下雨后东门积水很深。",
        category=category(),
        region=tree.community_a1,
        channel=Channel.HOTLINE,
        contact_name="李阿姨",
        contact_phone="13912345678",
        external_ref="12345-0001",
    )
    need = services.dispatch_need(by=people.community_staff, need=need, department=people.department)
    return services.answer_need(by=people.department_officer, need=need, answer="已疏通下水道。")


def test_anonymous_visitors_never_see_contact_data(client, api_for, imported):
    listing = api_for(None).get("/api/v1/needs/").json()["results"]
    [row] = [n for n in listing if n["id"] == imported.pk]
    assert not {"contact_name", "contact_phone", "external_ref"} & set(row)
    detail = api_for(None).get(f"/api/v1/needs/{imported.pk}/").json()
    assert not {"contact_name", "contact_phone", "external_ref"} & set(detail)
    html = client.get(f"/needs/{imported.pk}/").content.decode()
    assert "13912345678" not in html and "李阿姨" not in html and "12345-0001" not in html


def test_a_rejected_imported_need_is_not_shown_to_anyone_outside(client, people, tree):
    need = services.submit_need(
        by=people.community_staff,
        title="重复来电",
        description="同一件事。",
        category=category(),
        region=tree.community_a1,
        channel=Channel.HOTLINE,
        contact_phone="13900000000",
    )
    services.reject_need(by=people.community_staff, need=need, reason="重复工单")
    assert client.get(f"/needs/{need.pk}/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/needs/{need.pk}/").status_code == 403


def test_nobody_but_staff_rates_an_imported_need(client, api_for, imported):
    assert api_for(None).post(f"/api/v1/needs/{imported.pk}/rate/", {"rating": 5}, format="json").status_code in (
        401,
        403,
    )
    assert (
        api_for(UserFactory()).post(f"/api/v1/needs/{imported.pk}/rate/", {"rating": 5}, format="json").status_code
        == 403
    )
    client.post(f"/needs/{imported.pk}/rate/", {"rating": "5"})
    assert Need.objects.get(pk=imported.pk).status == NeedStatus.ANSWERED


def test_organisations_without_a_creator_are_not_anybodys(ownerless):
    stranger = UserFactory()
    for organisation in Organisation.objects.all():
        for name in (
            "organisations.change_organisation",
            "organisations.manage_members",
            "organisations.view_documents",
        ):
            assert not stranger.has_perm(name, organisation)
