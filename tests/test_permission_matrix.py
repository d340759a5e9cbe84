"""Every role against every protected page and API action.

Each row names an action and the roles allowed to take it; every other role
(anonymous included) must be refused. Later issues add their rows here.
"""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from marketplace.adoptions import services as adoption_services
from marketplace.funding import intents as funding_services
from marketplace.needs import services as needs_services
from portal.accounts.models import Role
from portal.comments import services as comment_services
from portal.organisations.models import MemberRole, Membership, VerificationStatus
from tests.factories import OrganisationFactory, UserFactory, category, valid_uscc
from tests.factories.accounts import grant
from tests.factories.adoptions import bid_payload
from tests.factories.deliberation import council, topic
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "plain",
    "resident",
    "grid_worker",
    "community_staff",
    "street_staff",
    "street_staff_b",
    "district_staff",
    "reviewer",
    "council_member",
    "editor",
    "moderator",
    "ngo_member",
    "other_ngo_member",
    "donor",
    "department_officer",
]
AUTHENTICATED = set(ROLES) - {"anonymous"}
TARGET_ADMIN = {"ngo_member"}
TARGET_VERIFIERS = {"street_staff", "district_staff"}
ADMIN_STAFF = {"community_staff", "street_staff", "street_staff_b", "district_staff"}
REGIONAL_STAFF = ADMIN_STAFF | {"grid_worker"}
NEED_TRIAGE = {"community_staff", "street_staff", "district_staff"}  # in scope of community A1
NEED_REGIONAL = NEED_TRIAGE | {"grid_worker"}


@dataclass
class Row:
    name: str
    allowed: set
    call: callable  # (client, api, world) -> response
    # Answers that count as a refusal; a row about a rule (not a role) adds 400.
    refused: tuple = (401, 403, 404, 405)


def _org_payload(world):
    return {
        "kind": "ngo",
        "name": "矩阵测试组织",
        "uscc": valid_uscc(4242),
        "region": world.tree.street_a.pk,
        "contact_name": "测",
        "contact_phone": "13800000000",
    }


def _pdf():
    return SimpleUploadedFile("c.pdf", b"%PDF-1.4", content_type="application/pdf")


NEED_ACTIONS = {
    # action: (who may, the need it is tried on, the body)
    "accept": (NEED_TRIAGE, "need", {"note": ""}),
    "reject": (NEED_TRIAGE, "need", {"note": "重复"}),
    "refer": (NEED_TRIAGE, "need", {"note": ""}),
    "close": (NEED_TRIAGE, "need", {"note": ""}),
    "merge": (NEED_TRIAGE, "need", {"title": "合并后的项目"}),
    "dispatch": (NEED_TRIAGE, "need", None),
    "assign": (NEED_TRIAGE, "need", None),
    "answer": (NEED_TRIAGE | {"department_officer"}, "dispatched", {"answer": "已处理"}),
    "rate": (NEED_REGIONAL | {"resident"}, "answered", {"rating": 4}),
    "support": ({"resident"}, "neighbours_need", {}),
}


def _need_action_rows():
    """Every need action, through the page and the API, for every role (anonymous included)."""
    rows = []
    for action, (allowed, which, body) in NEED_ACTIONS.items():

        def payload(w, body=body, action=action):
            if action == "dispatch":
                return {"department": w.department.pk}
            if action == "assign":
                return {"assignee": w.grid_worker.pk}
            return body

        rows.append(
            Row(
                f"page: {action} need",
                allowed,
                lambda c, a, w, which=which, action=action, payload=payload: c.post(
                    f"/needs/{getattr(w, which).pk}/{action}/", payload(w)
                ),
            )
        )
        rows.append(
            Row(
                f"api: {action} need",
                allowed,
                lambda c, a, w, which=which, action=action, payload=payload: a.post(
                    f"/api/v1/needs/{getattr(w, which).pk}/{action}/", payload(w), format="json"
                ),
            )
        )
    # A hotline need has no submitting account: nobody but staff rates it (no None == None owner).
    rows.append(
        Row(
            "api: rate imported need",
            NEED_TRIAGE,  # it lies in the community, outside the grid worker's grid
            lambda c, a, w: a.post(f"/api/v1/needs/{w.imported.pk}/rate/", {"rating": 5}, format="json"),
        )
    )
    rows.append(
        Row(
            "page: rate imported need",
            NEED_TRIAGE,
            lambda c, a, w: c.post(f"/needs/{w.imported.pk}/rate/", {"rating": "5"}),
        )
    )
    return rows


def _claim(w):
    """A pending claim by the resident on a published project of community A1 (made inside the row's call)."""
    project = published_project(w.tree.community_a1)
    return adoption_services.claim_project(by=w.resident, project=project, mode="fund", amount=10_000)


def _bid(w):
    """A submitted bid of the NGO on a published project of community A1."""
    project = published_project(w.tree.community_a1)
    return adoption_services.submit_bid(by=w.ngo_member, project=project, **bid_payload(w.ngo))


def _adoption_rows():
    """Claims and bids: every action, page and API."""

    def project(w):
        return published_project(w.tree.community_a1)

    def bid_body(w, p):
        return {
            "project": p.pk,
            "organisation": w.ngo.pk,
            "plan": "方案",
            "price": "1000",
            "timeline": "一年",
            "team": "两人",
        }

    return [
        Row(
            "page: claim a project",
            AUTHENTICATED,
            lambda c, a, w: c.post(f"/adoptions/projects/{project(w).pk}/claim/fund/", {"fund-amount": "100"}),
        ),
        Row(
            "api: claim a project",
            AUTHENTICATED,
            lambda c, a, w: a.post(
                "/api/v1/adoptions/", {"project": project(w).pk, "mode": "fund", "amount": "100"}, format="json"
            ),
        ),
        Row("page: my claims", AUTHENTICATED, lambda c, a, w: c.get("/adoptions/mine/")),
        Row("page: claims queue", ADMIN_STAFF, lambda c, a, w: c.get("/adoptions/queue/")),
        Row(
            "page: view claim",
            NEED_TRIAGE | {"resident"},
            lambda c, a, w: c.get(_claim(w).get_absolute_url()),
        ),
        Row(
            "api: view claim",
            NEED_TRIAGE | {"resident"},
            lambda c, a, w: a.get(f"/api/v1/adoptions/{_claim(w).pk}/"),
        ),
        Row(
            "page: approve claim",
            NEED_TRIAGE,
            lambda c, a, w: c.post(f"/adoptions/{_claim(w).pk}/approve/", {"approve-note": ""}),
        ),
        Row(
            "page: decline claim",
            NEED_TRIAGE,
            lambda c, a, w: c.post(f"/adoptions/{_claim(w).pk}/decline/", {"decline-note": "不符合"}),
        ),
        Row("page: withdraw claim", {"resident"}, lambda c, a, w: c.post(f"/adoptions/{_claim(w).pk}/withdraw/")),
        Row(
            "api: approve claim",
            NEED_TRIAGE,
            lambda c, a, w: a.post(f"/api/v1/adoptions/{_claim(w).pk}/approve/", {}, format="json"),
        ),
        Row(
            "api: decline claim",
            NEED_TRIAGE,
            lambda c, a, w: a.post(f"/api/v1/adoptions/{_claim(w).pk}/decline/", {"note": "不符合"}, format="json"),
        ),
        Row(
            "api: withdraw claim",
            {"resident"},
            lambda c, a, w: a.post(f"/api/v1/adoptions/{_claim(w).pk}/withdraw/", {}, format="json"),
        ),
        Row(
            "page: bid form",
            {"ngo_member", "other_ngo_member"},
            lambda c, a, w: c.get(f"/adoptions/projects/{project(w).pk}/bid/"),
        ),
        Row(
            "api: bid for the NGO",
            {"ngo_member"},
            lambda c, a, w: a.post("/api/v1/bids/", bid_body(w, project(w)), format="json"),
        ),
        Row(
            "page: view bid before the selection",
            NEED_TRIAGE | {"ngo_member"},
            lambda c, a, w: c.get(_bid(w).get_absolute_url()),
        ),
        Row(
            "api: view bid before the selection",
            NEED_TRIAGE | {"ngo_member"},
            lambda c, a, w: a.get(f"/api/v1/bids/{_bid(w).pk}/"),
        ),
        Row(
            "page: compare bids",
            NEED_TRIAGE,
            lambda c, a, w: c.get(f"/adoptions/projects/{_bid(w).project_id}/bids/"),
        ),
        Row(
            "page: record a representative's opinion",
            NEED_TRIAGE,
            lambda c, a, w: c.post(
                f"/adoptions/projects/{_bid(w).project_id}/opinions/",
                {"opinion-representative_name": "王", "opinion-representative_role": "楼长", "opinion-opinion": "好"},
            ),
        ),
        Row(
            "page: select bid",
            NEED_TRIAGE,
            lambda c, a, w: c.post(f"/adoptions/bids/{_bid(w).pk}/select/", {"select-note": "方案最好"}),
        ),
        Row(
            "api: select bid",
            NEED_TRIAGE,
            lambda c, a, w: a.post(f"/api/v1/bids/{_bid(w).pk}/select/", {"note": "方案最好"}, format="json"),
        ),
        Row("page: withdraw bid", {"ngo_member"}, lambda c, a, w: c.post(f"/adoptions/bids/{_bid(w).pk}/withdraw/")),
        Row(
            "api: withdraw bid",
            {"ngo_member"},
            lambda c, a, w: a.post(f"/api/v1/bids/{_bid(w).pk}/withdraw/", {}, format="json"),
        ),
    ]


def _org_change_rows():
    """Changes of who an organisation is: only its administrator makes them (and they go back to verification)."""
    changes = {
        "kind": lambda w: {"kind": "company"},
        "name": lambda w: {"name": "改名的组织"},
        "region": lambda w: {"region": w.tree.street_b.pk},
    }
    rows = [
        Row(
            f"api: change organisation {field}",
            TARGET_ADMIN,
            lambda c, a, w, change=change: a.patch(f"/api/v1/organisations/{w.target.pk}/", change(w), format="json"),
        )
        for field, change in changes.items()
    ]
    rows.append(
        Row(
            "api: register a department",
            {"district_staff"},
            lambda c, a, w: a.post("/api/v1/organisations/", {**_org_payload(w), "kind": "department"}, format="json"),
            refused=(400, 401, 403, 404, 405),
        )
    )
    return rows


ROWS = [
    # Pages
    Row("page: register organisation", AUTHENTICATED, lambda c, a, w: c.get("/organisations/register/")),
    Row(
        "page: view pending organisation",
        TARGET_ADMIN | TARGET_VERIFIERS,
        lambda c, a, w: c.get(w.target.get_absolute_url()),
    ),
    Row("page: edit organisation", TARGET_ADMIN, lambda c, a, w: c.get(f"/organisations/{w.target.slug}/edit/")),
    Row(
        "page: verify organisation",
        TARGET_VERIFIERS,
        lambda c, a, w: c.post(f"/organisations/{w.target.slug}/verify/", {"note": ""}),
    ),
    Row(
        "page: reject organisation",
        TARGET_VERIFIERS,
        lambda c, a, w: c.post(f"/organisations/{w.target.slug}/reject/", {"note": "缺少材料"}),
    ),
    Row(
        "page: invite member",
        TARGET_ADMIN,
        lambda c, a, w: c.post(
            f"/organisations/{w.target.slug}/members/invite/", {"email": "n@example.org", "role": "member"}
        ),
    ),
    Row(
        "page: upload document",
        TARGET_ADMIN,
        lambda c, a, w: c.post(f"/organisations/{w.target.slug}/documents/", {"kind": "other", "file": _pdf()}),
    ),
    Row("page: verification queue", ADMIN_STAFF, lambda c, a, w: c.get("/organisations/verification/")),
    Row("page: residence queue", ADMIN_STAFF, lambda c, a, w: c.get("/accounts/profile/residences/")),
    Row("page: profile", AUTHENTICATED, lambda c, a, w: c.get("/accounts/profile/")),
    Row("page: data export", AUTHENTICATED, lambda c, a, w: c.get("/accounts/profile/export/")),
    Row("page: wagtail admin", {"editor", "moderator"}, lambda c, a, w: c.get("/admin/")),
    Row("page: django admin", set(), lambda c, a, w: c.get("/django-admin/")),
    Row(
        "page: cms add notice",
        {"editor", "moderator"},
        lambda c, a, w: c.get(f"/admin/pages/add/pages/noticepage/{w.notice_index.pk}/"),
    ),
    Row("page: cms unpublish notice", {"moderator"}, lambda c, a, w: c.get(f"/admin/pages/{w.notice.pk}/unpublish/")),
    Row("page: cms choose project", {"editor", "moderator"}, lambda c, a, w: c.get("/admin/project_chooser/")),
    Row("page: audit log", {"district_staff"}, lambda c, a, w: c.get("/audit/")),
    Row("page: submit need", AUTHENTICATED, lambda c, a, w: c.get("/needs/new/")),
    Row("page: needs queue", REGIONAL_STAFF | {"department_officer"}, lambda c, a, w: c.get("/needs/queue/")),
    Row("page: record need for a resident", REGIONAL_STAFF, lambda c, a, w: c.get("/needs/enter/")),
    Row("page: accept need", NEED_TRIAGE, lambda c, a, w: c.post(f"/needs/{w.need.pk}/accept/", {"note": ""})),
    Row(
        "page: answer dispatched need",
        NEED_TRIAGE | {"department_officer"},
        lambda c, a, w: c.post(f"/needs/{w.dispatched.pk}/answer/", {"answer": "已处理"}),
    ),
    Row(
        "page: rate answered need",
        NEED_REGIONAL | {"resident"},
        lambda c, a, w: c.post(f"/needs/{w.answered.pk}/rate/", {"rating": "5"}),
    ),
    Row(
        "page: daily reports",
        ADMIN_STAFF | {"department_officer"},
        lambda c, a, w: c.get("/reports/"),
    ),
    Row("page: grid logs", REGIONAL_STAFF, lambda c, a, w: c.get("/grid-logs/")),
    Row("page: write a grid log", {"grid_worker"}, lambda c, a, w: c.get("/grid-logs/new/")),
    Row("page: import hotline export", REGIONAL_STAFF, lambda c, a, w: c.get("/needs/import/")),
    # API
    Row("api: me", AUTHENTICATED, lambda c, a, w: a.get("/api/v1/me/")),
    Row(
        "api: create need",
        AUTHENTICATED,
        lambda c, a, w: a.post(
            "/api/v1/needs/",
            {"title": "t", "description": "d", "category": w.need.category.slug, "region": w.tree.grid_a1.pk},
            format="json",
        ),
    ),
    Row(
        "api: accept need", NEED_TRIAGE, lambda c, a, w: a.post(f"/api/v1/needs/{w.need.pk}/accept/", {}, format="json")
    ),
    Row(
        "api: dispatch need",
        NEED_TRIAGE,
        lambda c, a, w: a.post(f"/api/v1/needs/{w.need.pk}/dispatch/", {"department": w.department.pk}, format="json"),
    ),
    Row(
        "api: answer dispatched need",
        NEED_TRIAGE | {"department_officer"},
        lambda c, a, w: a.post(f"/api/v1/needs/{w.dispatched.pk}/answer/", {"answer": "好"}, format="json"),
    ),
    Row(
        "api: rate answered need",
        NEED_REGIONAL | {"resident"},
        lambda c, a, w: a.post(f"/api/v1/needs/{w.answered.pk}/rate/", {"rating": 4}, format="json"),
    ),
    Row(
        "api: create organisation",
        AUTHENTICATED,
        lambda c, a, w: a.post("/api/v1/organisations/", _org_payload(w), format="json"),
    ),
    Row(
        "api: retrieve pending organisation",
        TARGET_ADMIN | TARGET_VERIFIERS,
        lambda c, a, w: a.get(f"/api/v1/organisations/{w.target.pk}/"),
    ),
    Row(
        "api: update organisation",
        TARGET_ADMIN,
        lambda c, a, w: a.patch(f"/api/v1/organisations/{w.target.pk}/", {"description": "x"}, format="json"),
    ),
    Row(
        "api: verify organisation",
        TARGET_VERIFIERS,
        lambda c, a, w: a.post(f"/api/v1/organisations/{w.target.pk}/verify/", {}, format="json"),
    ),
    Row(
        "api: reject organisation",
        TARGET_VERIFIERS,
        lambda c, a, w: a.post(f"/api/v1/organisations/{w.target.pk}/reject/", {"note": "缺材料"}, format="json"),
    ),
    Row("api: members", TARGET_ADMIN, lambda c, a, w: a.get(f"/api/v1/organisations/{w.target.pk}/members/")),
    Row(
        "api: invite member",
        TARGET_ADMIN,
        lambda c, a, w: a.post(
            f"/api/v1/organisations/{w.target.pk}/invitations/", {"email": "n@example.org"}, format="json"
        ),
    ),
    Row(
        "api: list documents",
        TARGET_ADMIN | TARGET_VERIFIERS,
        lambda c, a, w: a.get(f"/api/v1/organisations/{w.target.pk}/documents/"),
    ),
    Row(
        "api: upload document",
        TARGET_ADMIN,
        lambda c, a, w: a.post(
            f"/api/v1/organisations/{w.target.pk}/documents/", {"kind": "other", "file": _pdf()}, format="multipart"
        ),
    ),
]


def _project_rows():
    """Staff write projects for their own area; nobody else creates, edits or moves one."""

    def new(w):
        return {
            "title": "矩阵测试项目",
            "category": category().slug,
            "region": w.tree.community_a1.pk,
            "budget": "5000",
        }

    return [
        Row("page: new project", ADMIN_STAFF, lambda c, a, w: c.get("/projects/new/")),
        Row(
            "api: create project",
            NEED_TRIAGE,
            lambda c, a, w: a.post("/api/v1/projects/", new(w), format="json"),
            refused=(400, 401, 403, 404, 405),
        ),
        Row("page: edit project", NEED_TRIAGE, lambda c, a, w: c.get(f"/projects/{w.project.pk}/edit/")),
        Row(
            "api: edit project",
            NEED_TRIAGE,
            lambda c, a, w: a.patch(f"/api/v1/projects/{w.project.pk}/", {"summary": "改"}, format="json"),
        ),
        Row(
            "page: move project",
            NEED_TRIAGE,
            lambda c, a, w: c.post(f"/projects/{w.project.pk}/move/", {"move-status": "published"}),
        ),
        Row(
            "api: move project",
            NEED_TRIAGE,
            lambda c, a, w: a.post(f"/api/v1/projects/{w.project.pk}/move/", {"status": "published"}, format="json"),
        ),
    ]


GIFT_STAFF = NEED_TRIAGE  # administrative staff whose area holds the project (community A1)
TODAY = "2026-11-02"


def _confirmed(w):
    return funding_services.confirm_offline(by=w.district_staff, payment=w.pledge, reference="转账", received_on=None)


def _receipt_url(w):
    return _confirmed(w).receipt.get_absolute_url()


FUNDING_ROWS = [
    Row("page: give to a project", AUTHENTICATED, lambda c, a, w: c.get(f"/funding/projects/{w.project.pk}/give/")),
    Row("page: my gifts", AUTHENTICATED, lambda c, a, w: c.get("/funding/mine/")),
    Row("page: pledges waiting", ADMIN_STAFF, lambda c, a, w: c.get("/funding/queue/")),
    Row("page: view payment", GIFT_STAFF | {"resident"}, lambda c, a, w: c.get(f"/funding/payments/{w.pledge.pk}/")),
    Row(
        "page: confirm payment",
        GIFT_STAFF,
        lambda c, a, w: c.post(
            f"/funding/payments/{w.pledge.pk}/confirm/", {"reference": "转账", "received_on": TODAY}
        ),
    ),
    Row("page: receipt", GIFT_STAFF | {"resident"}, lambda c, a, w: c.get(_receipt_url(w))),
    Row(
        "api: create payment",
        AUTHENTICATED,
        lambda c, a, w: a.post(
            "/api/v1/payments/", {"provider": "offline", "project": w.project.pk, "amount": "100"}, format="json"
        ),
    ),
    Row(
        "api: refund payment",
        GIFT_STAFF,
        lambda c, a, w: a.post(
            f"/api/v1/payments/{_confirmed(w).pk}/refund/", {"amount": "10", "note": "退回"}, format="json"
        ),
    ),
    Row(
        "page: refund payment",
        GIFT_STAFF,
        lambda c, a, w: c.post(f"/funding/payments/{_confirmed(w).pk}/refund/", {"amount": "10", "note": "退回"}),
    ),
    Row("api: view payment", GIFT_STAFF | {"resident"}, lambda c, a, w: a.get(f"/api/v1/payments/{w.pledge.pk}/")),
    Row(
        "api: confirm payment",
        GIFT_STAFF,
        lambda c, a, w: a.post(
            f"/api/v1/payments/{w.pledge.pk}/confirm/", {"reference": "转账", "received_on": TODAY}, format="json"
        ),
    ),
]

TOPIC_STAFF = NEED_TRIAGE  # administrative staff whose area holds council A1's community


def _topic_rows():
    """Proposing, supporting and managing topics, through the page and the API."""
    rows = [
        Row(
            "page: propose topic",
            {"resident"},
            lambda c, a, w: c.post(f"/councils/{w.council.slug}/topics/new/", {"title": "矩阵议题", "body": "内容"}),
        ),
        Row(
            "api: propose topic",
            {"resident"},
            lambda c, a, w: a.post(
                "/api/v1/topics/", {"council": w.council.slug, "title": "矩阵议题", "body": "内容"}, format="json"
            ),
        ),
        Row("page: agenda queue", ADMIN_STAFF, lambda c, a, w: c.get("/topics/agenda-queue/")),
    ]
    bodies = {
        "support": ({"resident"}, lambda w: {}, lambda w: {}),
        "merge": (TOPIC_STAFF, lambda w: {"into": w.other_topic.pk}, lambda w: {"into": w.other_topic.pk}),
        "reject": (TOPIC_STAFF, lambda w: {"reason": "不属议事范围"}, lambda w: {"reason": "不属议事范围"}),
        "classify": (TOPIC_STAFF, lambda w: {"category": w.category.pk}, lambda w: {"category": w.category.slug}),
    }
    for action, (allowed, page_body, api_body) in bodies.items():
        rows.append(
            Row(
                f"page: {action} topic",
                allowed,
                lambda c, a, w, action=action, body=page_body: c.post(f"/topics/{w.topic.pk}/{action}/", body(w)),
            )
        )
        rows.append(
            Row(
                f"api: {action} topic",
                allowed,
                lambda c, a, w, action=action, body=api_body: a.post(
                    f"/api/v1/topics/{w.topic.pk}/{action}/", body(w), format="json"
                ),
            )
        )
    return rows


COMMENT_ROWS = [
    Row(
        "page: comment on topic",
        {"resident"},
        lambda c, a, w: c.post(f"/comments/on/topic/{w.topic.pk}/", {"body": "我赞成"}),
    ),
    Row(
        "api: comment on topic",
        {"resident"},
        lambda c, a, w: a.post(
            "/api/v1/comments/", {"target_type": "topic", "target_id": w.topic.pk, "body": "我赞成"}, format="json"
        ),
    ),
    Row(
        "page: comment on project",
        AUTHENTICATED,
        lambda c, a, w: c.post(f"/comments/on/project/{w.project.pk}/", {"body": "希望早日开工"}),
    ),
    Row(
        "page: report comment",
        AUTHENTICATED - {"plain"},  # the author cannot report their own
        lambda c, a, w: c.post(f"/comments/{w.comment.pk}/report/", {"report-reason": "广告"}),
    ),
    Row(
        "api: report comment",
        AUTHENTICATED - {"plain"},
        lambda c, a, w: a.post(f"/api/v1/comments/{w.comment.pk}/report/", {"reason": "广告"}, format="json"),
    ),
    Row(
        "page: hide comment",
        {"moderator"},
        lambda c, a, w: c.post(f"/comments/{w.comment.pk}/hide/", {"hide-reason": "广告"}),
    ),
    Row(
        "api: hide comment",
        {"moderator"},
        lambda c, a, w: a.post(f"/api/v1/comments/{w.comment.pk}/hide/", {"reason": "广告"}, format="json"),
    ),
    Row("page: moderation queue", {"moderator"}, lambda c, a, w: c.get("/comments/moderation/")),
    Row(
        "page: edit comment",
        {"plain"},
        lambda c, a, w: c.post(f"/comments/{w.comment.pk}/edit/", {"body": "改一下"}),
    ),
]


def _deliberation(w, *, meeting_status="announced", vote_status="draft", ballot="open"):
    """A council of community A1 (the resident holds a seat), a meeting with an agenda item, a vote on it and the
    resident's registration; built inside each row's rolled-back transaction."""
    from django.utils import timezone

    from deliberation.meetings.models import RegistrationStatus
    from deliberation.votes import services as vote_services
    from tests.factories.meetings import agenda_item, council, meeting, seat

    hall = council(w.tree.community_a1)
    seat(hall, w.resident)
    m = meeting(hall, status=meeting_status, capacity=5)
    item = agenda_item(m)
    registration = m.registrations.create(
        user=w.resident,
        status=RegistrationStatus.CONFIRMED if meeting_status != "announced" else RegistrationStatus.REGISTERED,
    )
    if meeting_status != "announced":
        registration.checked_in_at = None
    vote = vote_services.create_vote(
        by=None, question="是否同意？", kind="for_against", electorate="members", agenda_item=item, ballot=ballot
    )
    if vote_status == "open":
        vote = vote_services.open_vote(by=None, vote=vote)
    return SimpleNamespace(
        meeting=m, item=item, registration=registration, vote=vote, now=timezone.now(), yes=vote.options.get(role="for")
    )


def _registration_by_someone_else(w):
    d = _deliberation(w)
    d.registration.delete()
    return d


DELIBERATION_ROWS = [
    Row(
        "page: register for a meeting",
        {"resident"},
        lambda c, a, w: c.post(
            f"/meetings/{_registration_by_someone_else(w).meeting.pk}/register/", {"purpose": "attend"}
        ),
    ),
    Row(
        "api: register for a meeting",
        {"resident"},
        lambda c, a, w: a.post(
            "/api/v1/registrations/", {"meeting": _registration_by_someone_else(w).meeting.pk}, format="json"
        ),
        refused=(400, 401, 403, 404, 405),
    ),
    Row(
        "page: cancel a registration",
        NEED_TRIAGE | {"resident"},
        lambda c, a, w: c.post(f"/meetings/registrations/{_deliberation(w).registration.pk}/cancel/"),
    ),
    Row(
        "api: cancel a registration",
        NEED_TRIAGE | {"resident"},
        lambda c, a, w: a.post(f"/api/v1/registrations/{_deliberation(w).registration.pk}/cancel/"),
    ),
    Row(
        "api: announce a meeting",
        NEED_TRIAGE,
        lambda c, a, w: a.post(f"/api/v1/meetings/{_deliberation(w, meeting_status='draft').meeting.pk}/announce/"),
    ),
    Row("page: open a vote", NEED_TRIAGE, lambda c, a, w: c.post(f"/votes/{_deliberation(w).vote.pk}/open/")),
    Row("api: open a vote", NEED_TRIAGE, lambda c, a, w: a.post(f"/api/v1/votes/{_deliberation(w).vote.pk}/open/")),
    Row(
        "page: close a vote",
        NEED_TRIAGE,
        lambda c, a, w: c.post(f"/votes/{_deliberation(w, vote_status='open').vote.pk}/close/"),
    ),
    Row(
        "api: close a vote",
        NEED_TRIAGE,
        lambda c, a, w: a.post(f"/api/v1/votes/{_deliberation(w, vote_status='open').vote.pk}/close/"),
    ),
    Row(
        "page: cast a ballot",
        {"resident"},
        lambda c, a, w: (lambda d: c.post(f"/votes/{d.vote.pk}/ballot/", {"choices": d.yes.pk}))(
            _deliberation(w, vote_status="open")
        ),
    ),
    Row(
        "api: cast a ballot",
        {"resident"},
        lambda c, a, w: (
            lambda d: a.post("/api/v1/ballots/", {"vote": d.vote.pk, "choices": [d.yes.pk]}, format="json")
        )(_deliberation(w, vote_status="open")),
    ),
    Row(
        "page: record a paper ballot",
        NEED_TRIAGE,
        lambda c, a, w: (
            lambda d: c.post(
                f"/votes/{d.vote.pk}/desk/paper/",
                {"paper-choices": d.yes.pk, "paper-elector": d.vote.electors.get(user=w.resident).pk},
            )
        )(_deliberation(w, vote_status="open")),
    ),
    Row(
        "page: issue a voting code",
        NEED_TRIAGE,
        lambda c, a, w: (
            lambda d: c.post(
                f"/votes/{d.vote.pk}/desk/code/", {"code-elector": d.vote.electors.get(user=w.resident).pk}
            )
        )(_deliberation(w, vote_status="open")),
    ),
    Row(
        "page: close the paper desk (secret vote)",
        NEED_TRIAGE,
        lambda c, a, w: c.post(f"/votes/{_deliberation(w, vote_status='open', ballot='secret').vote.pk}/desk/close/"),
    ),
    Row(
        "api: close the paper desk (secret vote)",
        NEED_TRIAGE,
        lambda c, a, w: a.post(
            f"/api/v1/votes/{_deliberation(w, vote_status='open', ballot='secret').vote.pk}/paper-desk/close/"
        ),
    ),
    Row(
        "api: mark a paper voter",
        NEED_TRIAGE,
        lambda c, a, w: (
            lambda d: a.post(
                f"/api/v1/votes/{d.vote.pk}/paper-voters/",
                {"elector": d.vote.electors.get(user=w.resident).pk},
                format="json",
            )
        )(_deliberation(w, vote_status="open", ballot="secret")),
    ),
    Row(
        "api: enter the paper box as a batch",
        NEED_TRIAGE,
        lambda c, a, w: (
            lambda d: a.post(
                f"/api/v1/votes/{d.vote.pk}/paper-ballots/",
                {"ballots": [{"choices": [d.yes.pk], "count": 1}]},
                format="json",
            )
        )(_paper_box_ready(w)),
    ),
    Row(
        "api: issue a voting code",
        NEED_TRIAGE,
        lambda c, a, w: (
            lambda d: a.post(
                f"/api/v1/votes/{d.vote.pk}/voting-codes/",
                {"elector": d.vote.electors.get(user=w.resident).pk},
                format="json",
            )
        )(_deliberation(w, vote_status="open")),
    ),
    Row(
        "page: check in",
        NEED_TRIAGE,
        lambda c, a, w: (
            lambda d: c.post(f"/meetings/{d.meeting.pk}/check-in/", {"token": d.registration.checkin_token})
        )(_deliberation(w, meeting_status="registration_closed")),
    ),
    Row(
        "page: write minutes",
        NEED_TRIAGE,
        lambda c, a, w: c.post(
            f"/meetings/{_deliberation(w, meeting_status='held').meeting.pk}/minutes/",
            {"minutes-body": "<p>到会 9 人</p>"},
        ),
    ),
]


def _paper_box_ready(w):
    """A secret vote whose paper desk is closed with the resident marked as a paper voter."""
    from deliberation.votes import services as vote_services

    d = _deliberation(w, vote_status="open", ballot="secret")
    vote_services.record_paper_voter(by=None, vote=d.vote, elector=d.vote.electors.get(user=w.resident))
    vote_services.close_paper_desk(by=None, vote=d.vote)
    return d


def _choice(w):
    """The resident's counted gift to a project that has just missed its deadline, and its open choice."""
    from datetime import timedelta

    from django.utils import timezone

    from marketplace.funding import deadlines
    from marketplace.projects.models import Project

    payment = _confirmed(w)
    Project.objects.filter(pk=w.project.pk).update(funding_deadline=timezone.now() - timedelta(hours=1))
    deadlines.open_deadline_choices()
    return payment.deadline_choices.get()


def _refunded(w):
    """An offline gift refunded at the deadline (the donor's choice), its money still to be handed back."""
    from marketplace.funding import deadlines

    choice = _choice(w)
    deadlines.choose_for_gift(by=w.resident, choice=choice, option="refund")
    return choice.payment


NEED_ADD_ROWS = [
    # Only the need's submitter adds details to it (the similar-needs step's "add to my earlier need").
    Row(
        "api: add to one's own need",
        {"resident"},
        lambda c, a, w: a.post(f"/api/v1/needs/{w.need.pk}/add/", {"description": "晚上十点后完全不亮"}, format="json"),
    ),
    Row(
        "page: add to one's own need",
        {"resident"},
        lambda c, a, w: c.post(f"/needs/{w.need.pk}/add/", {"description": "晚上十点后完全不亮"}),
    ),
]


CALL_STAFF = {"street_staff", "district_staff"}  # staff whose area holds street A's call
DECLARATION_ROWS = [
    # Only the NGO's own members see and change a draft; staff of the call's area see it once submitted.
    Row(
        "page: view a draft declaration", {"ngo_member"}, lambda c, a, w: c.get(w.draft_declaration.get_absolute_url())
    ),
    Row(
        "page: a draft declaration's step",
        {"ngo_member"},
        lambda c, a, w: c.get(f"/calls/declarations/{w.draft_declaration.pk}/step/problem/"),
    ),
    Row(
        "page: save a draft declaration's step",
        {"ngo_member"},
        lambda c, a, w: c.post(f"/calls/declarations/{w.draft_declaration.pk}/step/plan/", {"team": "社工3名"}),
    ),
    Row(
        "api: read a draft declaration",
        {"ngo_member"},
        lambda c, a, w: a.get(f"/api/v1/declarations/{w.draft_declaration.pk}/"),
    ),
    Row(
        "api: change a draft declaration",
        {"ngo_member"},
        lambda c, a, w: a.patch(f"/api/v1/declarations/{w.draft_declaration.pk}/", {"team": "社工"}, format="json"),
    ),
    Row(
        "api: submit a declaration",  # the member's draft is incomplete: a 400 that passed the permission
        {"ngo_member"},
        lambda c, a, w: a.post(f"/api/v1/declarations/{w.draft_declaration.pk}/submit/"),
    ),
    Row(
        "page: view a submitted declaration",
        {"ngo_member"} | CALL_STAFF,
        lambda c, a, w: c.get(w.submitted_declaration.get_absolute_url()),
    ),
    Row(
        "api: withdraw a declaration",
        {"ngo_member"},
        lambda c, a, w: a.post(f"/api/v1/declarations/{w.submitted_declaration.pk}/withdraw/", {}, format="json"),
    ),
    Row(
        "api: start a declaration for an NGO",
        {"ngo_member"},
        lambda c, a, w: a.post("/api/v1/declarations/", {"call": w.call.slug, "organisation": w.ngo.pk}, format="json"),
    ),
    Row(
        "page: start a declaration for an NGO",
        {"ngo_member"},
        lambda c, a, w: c.post(f"/calls/{w.call.slug}/declare/", {"organisation": w.ngo.pk}),
    ),
    # Objections are answered by staff of the call's area; anyone signed in objects during the notice.
    Row(
        "api: answer an objection",
        CALL_STAFF,
        lambda c, a, w: a.post(
            f"/api/v1/objections/{w.objection.pk}/answer/", {"uphold": False, "answer": "已核实"}, format="json"
        ),
    ),
    Row(
        "api: object to a call's results",
        AUTHENTICATED,
        lambda c, a, w: a.post("/api/v1/objections/", {"call": w.notice_call.pk, "reason": "理由"}, format="json"),
    ),
    # Assigning a project (交办): staff of the project's area (community A1).
    Row(
        "api: assign a project to an NGO",
        NEED_TRIAGE,
        lambda c, a, w: a.post(
            f"/api/v1/projects/{w.project.pk}/assign/",
            {"organisation": w.ngo.pk, "authority": "区民政局", "reason": "矩阵测试"},
            format="json",
        ),
    ),
    Row(
        "page: assign a project to an NGO",
        NEED_TRIAGE,
        lambda c, a, w: c.post(
            f"/projects/{w.project.pk}/assign/",
            {"assign-organisation": w.ngo.pk, "assign-authority": "区民政局", "assign-reason": "矩阵测试"},
        ),
    ),
    Row("api: see a draft call", CALL_STAFF, lambda c, a, w: a.get(f"/api/v1/calls/{w.draft_call.pk}/")),
    Row("page: see a draft call", CALL_STAFF, lambda c, a, w: c.get(w.draft_call.get_absolute_url())),
    Row(
        "api: publish a call",
        CALL_STAFF,
        lambda c, a, w: a.post(f"/api/v1/calls/{w.draft_call.pk}/publish/", {}, format="json"),
    ),
    Row(
        "page: publish a call",
        CALL_STAFF,
        lambda c, a, w: c.post(f"/calls/{w.draft_call.pk}/act/publish/", {}),
    ),
    # Only the assigned reviewer scores; the review's page is theirs and the call's staff's.
    Row("page: a review", {"reviewer"} | CALL_STAFF, lambda c, a, w: c.get(w.review.get_absolute_url())),
    Row("api: read a review", {"reviewer"} | CALL_STAFF, lambda c, a, w: a.get(f"/api/v1/reviews/{w.review.pk}/")),
    Row(
        "api: submit a review's scores",
        {"reviewer"},
        lambda c, a, w: a.post(
            f"/api/v1/reviews/{w.review.pk}/submit/",
            {"scores": [{"criterion": x.pk, "score": 8, "comment": "好"} for x in w.review_call.criteria.all()]},
            format="json",
        ),
    ),
    Row(
        "api: declare a conflict of interest",
        {"reviewer"},
        lambda c, a, w: a.post(f"/api/v1/reviews/{w.review.pk}/conflict/", {"note": "亲属"}, format="json"),
    ),
    Row(
        "page: the review board",
        CALL_STAFF,
        lambda c, a, w: c.get(f"/calls/{w.review_call.slug}/review/"),
    ),
    Row(
        "api: assign reviews",
        CALL_STAFF,
        lambda c, a, w: a.post(f"/api/v1/calls/{w.review_call.pk}/assign_reviews/"),
    ),
    Row(
        "api: compute awards",  # the review is not scored yet: a 400 that passed the permission
        CALL_STAFF,
        lambda c, a, w: a.post(f"/api/v1/calls/{w.review_call.pk}/compute_awards/"),
    ),
]


DEADLINE_ROWS = [
    Row("page: view deadline choice", GIFT_STAFF | {"resident"}, lambda c, a, w: c.get(_choice(w).get_absolute_url())),
    Row(
        "page: choose at deadline",
        {"resident"},
        lambda c, a, w: c.post(_choice(w).get_absolute_url(), {"option": "refund"}),
    ),
    Row(
        "api: choose at deadline",
        {"resident"},
        lambda c, a, w: a.post(
            f"/api/v1/deadline-choices/{_choice(w).pk}/choose/", {"option": "refund"}, format="json"
        ),
    ),
    # Staff of the area apply the default (a refund) on the donor's behalf; the donor chooses instead.
    Row(
        "api: apply deadline default",
        GIFT_STAFF,
        lambda c, a, w: a.post(f"/api/v1/deadline-choices/{_choice(w).pk}/apply_default/", format="json"),
    ),
    Row(
        "page: apply deadline default",
        GIFT_STAFF,
        lambda c, a, w: c.post(_choice(w).get_absolute_url(), {"apply_default": "1"}),
    ),
    Row(
        "api: view deadline choice",
        GIFT_STAFF | {"resident"},
        lambda c, a, w: a.get(f"/api/v1/deadline-choices/{_choice(w).pk}/"),
    ),
    Row(
        "page: record money handed back",
        GIFT_STAFF,
        lambda c, a, w: c.post(f"/funding/payments/{_refunded(w).pk}/return/", {"reference": "现金退回"}),
    ),
    Row(
        "api: record money handed back",
        GIFT_STAFF,
        lambda c, a, w: a.post(f"/api/v1/payments/{_refunded(w).pk}/return/", {"reference": "现金退回"}, format="json"),
    ),
    Row("page: project ledger csv", GIFT_STAFF, lambda c, a, w: c.get(f"/funding/projects/{w.project.pk}/ledger.csv")),
    Row("page: gifts csv", ADMIN_STAFF, lambda c, a, w: c.get("/funding/gifts.csv")),
    # The resident gave without asking to be named: no public page, for anyone.
    Row(
        "page: funder page of a donor not named",
        set(),
        lambda c, a, w: c.get(f"/funding/funders/people/{_confirmed(w).donor_id}/"),
    ),
]


def _refused(response, codes=(401, 403, 404, 405)):
    if response.status_code in codes:
        return True
    location = response.get("Location", "") if response.status_code == 302 else ""
    # Wagtail answers a CMS user who lacks a page permission by sending them to the dashboard.
    return "/accounts/login/" in location or "/django-admin/login/" in location or location == "/admin/"


@pytest.fixture
def world(people, tree, home_page):
    from tests.factories.pages import notice, notice_index

    people.tree = tree
    people.notice_index = notice_index(home_page)
    people.notice = notice(home_page, "矩阵测试通知")
    people.target = OrganisationFactory(
        name="待认证目标组织", region=tree.street_a, verification_status=VerificationStatus.PENDING
    )
    Membership.objects.create(organisation=people.target, user=people.ngo_member, role=MemberRole.ADMIN)
    people.need = needs_services.submit_need(
        by=people.resident, title="路灯不亮", description="很黑", category=category(), region=tree.grid_a1
    )
    people.dispatched = needs_services.dispatch_need(
        by=people.district_staff,
        need=needs_services.submit_need(
            by=people.resident, title="噪音", description="夜间", category=category(), region=tree.grid_a1
        ),
        department=people.department,
    )
    people.answered = needs_services.answer_need(
        by=people.district_staff,
        need=needs_services.dispatch_need(
            by=people.district_staff,
            need=needs_services.submit_need(
                by=people.resident, title="漏水", description="楼顶", category=category(), region=tree.grid_a1
            ),
            department=people.department,
        ),
        answer="已修",
    )
    people.neighbours_need = needs_services.submit_need(
        by=people.plain, title="楼下餐馆油烟大", description="晚上油烟", category=category(), region=tree.grid_a1
    )
    people.imported = needs_services.answer_need(
        by=people.district_staff,
        need=needs_services.dispatch_need(
            by=people.district_staff,
            need=needs_services.submit_need(
                by=people.community_staff,
                title="东门积水",
                description="下雨积水",
                category=category(),
                region=tree.community_a1,
                channel="hotline",
                contact_phone="13912345678",
            ),
            department=people.department,
        ),
        answer="已疏通",
    )
    people.project = published_project(tree.community_a1, title="矩阵测试项目")
    people.pledge = funding_services.pledge(by=people.resident, project=people.project, amount=10_000)
    people.council = council(tree.community_a1, slug="matrix-council", threshold=50)
    neighbour = grant(UserFactory(username="matrixneighbour"), Role.RESIDENT, tree.community_a1)
    people.topic = topic(people.council, neighbour, title="矩阵测试议题")
    people.other_topic = topic(people.council, neighbour, title="矩阵测试另一议题")
    people.category = category()
    people.comment = comment_services.post_comment(by=people.plain, target=people.project, body="矩阵测试评论")
    _calls(people, tree)
    return people


def _calls(people, tree):
    """A call of street A taking declarations, one of people.ngo's drafts, one submitted, and a draft call."""
    from marketplace.calls import services as calls
    from marketplace.calls.models import CallStatus
    from tests.factories.calls import funding_call

    people.call = funding_call(tree.street_a, slug="matrix-call", documents="")
    people.draft_call = funding_call(tree.street_a, slug="matrix-draft-call", status=CallStatus.DRAFT)
    start = {"by": people.ngo_member, "call": people.call, "organisation": people.ngo}
    people.draft_declaration = calls.save_draft(
        by=people.ngo_member, declaration=calls.start_declaration(**start), fields={"title": "矩阵测试申报草稿"}
    )
    complete = calls.save_draft(
        by=people.ngo_member,
        declaration=calls.start_declaration(**start),
        fields={
            "title": "矩阵测试申报",
            "problem": "问题",
            "target_group": "老人",
            "beneficiaries": 10,
            "activities": "活动",
            "timeline": "全年",
            "team": "社工",
        },
        lines=[{"item": "材料", "amount": 10_000, "requested": 10_000}],
    )
    people.submitted_declaration = calls.submit_declaration(by=people.ngo_member, declaration=complete)
    # A second call, in review: the reviewer role's user scores 独居老人; staff of street A run it.
    from marketplace.calls import review

    people.review_call = funding_call(tree.street_a, slug="matrix-review-call", documents="")
    reviewed = calls.submit_declaration(
        by=people.ngo_member,
        declaration=calls.save_draft(
            by=people.ngo_member,
            declaration=calls.start_declaration(by=people.ngo_member, call=people.review_call, organisation=people.ngo),
            fields={
                "title": "独居老人",
                "problem": "问题",
                "target_group": "老人",
                "beneficiaries": 10,
                "activities": "活动",
                "timeline": "全年",
                "team": "社工",
            },
            lines=[{"item": "材料", "amount": 10_000, "requested": 10_000}],
        ),
    )
    people.review_call = calls.close_call(by=people.street_staff, call=people.review_call)
    review.seat_reviewer(by=people.street_staff, call=people.review_call, reviewer=people.reviewer, kind="expert")
    review.assign_reviews(by=people.street_staff, call=people.review_call)
    people.review = reviewed.reviews.get()
    # A third call, its results in public notice with one objection.
    from marketplace.calls import results
    from marketplace.calls.models import Award, CallStatus

    people.notice_call = funding_call(tree.street_a, slug="matrix-notice-call", documents="", status=CallStatus.REVIEW)
    Award.objects.create(
        call=people.notice_call, declaration=people.submitted_declaration, rank=1, score=80, reviewers=1
    )
    people.notice_call = results.publish_results(by=people.street_staff, call=people.notice_call)
    people.objection = results.object_to_results(by=people.plain, call=people.notice_call, reason="矩阵测试异议")


@pytest.mark.parametrize(
    "row",
    [
        *ROWS,
        *_need_action_rows(),
        *_org_change_rows(),
        *_project_rows(),
        *FUNDING_ROWS,
        *DEADLINE_ROWS,
        *NEED_ADD_ROWS,
        *_adoption_rows(),
        *DELIBERATION_ROWS,
        *_topic_rows(),
        *COMMENT_ROWS,
        *DECLARATION_ROWS,
    ],
    ids=lambda r: r.name,
)
def test_permission_matrix(row, world):
    wrong = []
    for role in ROLES:
        user = getattr(world, role)
        client, api = Client(), APIClient()
        if user is not None:
            client.force_login(user)
            api.force_authenticate(user)
        with transaction.atomic():
            response = row.call(client, api, world)
            transaction.set_rollback(True)
        allowed = role in row.allowed
        if allowed == _refused(response, row.refused):
            wrong.append(f"{role}: {response.status_code} (expected {'allowed' if allowed else 'refused'})")
    assert not wrong, "\n".join(wrong)
