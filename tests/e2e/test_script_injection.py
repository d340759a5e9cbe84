"""Script injection in every field residents, NGOs and staff write: rendered as text, nothing runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation.councils.models import MemberRole
from deliberation.meetings import services as meeting_services
from deliberation.topics import services as topic_services
from deliberation.votes import services as vote_services
from deliberation.votes.models import ElectorateKind, QuestionKind
from marketplace.adoptions import services as adoption_services
from marketplace.gridlogs import services as gridlog_services
from marketplace.needs import services as need_services
from portal.accounts.models import Role
from portal.comments import services as comment_services
from portal.organisations import services as organisation_services
from portal.organisations.models import OrganisationKind
from tests.e2e.journeys import log_in
from tests.factories import UserFactory, category, grant, valid_uscc
from tests.factories.adoptions import bid_payload
from tests.factories.deliberation import council
from tests.factories.meetings import seat
from tests.factories.pages import notice
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CORPUS = [
    "<script>alert('xss-script')</script>",
    '"><img src=x onerror=alert("xss-img")>',
    "<svg/onload=alert('xss-svg')>",
    "javascript:alert('xss-href')",
    "'><iframe srcdoc=\"<script>parent.alert('xss-iframe')</script>\">",
    "</textarea><script>alert('xss-textarea')</script>",
    "<a href=\"javascript:alert('xss-link')\">点我</a>",
    "{{ 7|add:7 }}{% debug %}",
]
PAYLOAD = " ".join(CORPUS)


def _visit(page, site, visits, password):
    """Open each page as each visitor (None: anonymous): no script or frame got into the page, no link runs script."""
    for user, paths in visits.items():
        if user is None:
            page.context.clear_cookies()
        else:
            log_in(page, site, user, password)
        for path in paths:
            page.goto(f"{site}{path}")
            page.wait_for_load_state("load")
            assert page.evaluate("() => document.querySelectorAll('main script, main iframe').length") == 0, path
            assert page.locator("main a[href^='javascript']").count() == 0, path


@pytest.fixture
def hostile(people, tree):
    """Every user-written field filled with the corpus, through the services that store them."""
    for user in (people.resident, people.community_staff, people.ngo_member):
        user.display_name = CORPUS[1][:100]
        user.save(update_fields=["display_name"])
    text = {"category": category(), "region": tree.grid_a1}
    need = need_services.submit_need(
        by=people.resident,
        title=CORPUS[0][:120],
        description=PAYLOAD,
        contact_name=CORPUS[2][:100],
        show_name_publicly=True,
        **text,
    )
    need = need_services.dispatch_need(by=people.community_staff, need=need, department=people.department, note=PAYLOAD)
    need = need_services.answer_need(by=people.department_officer, need=need, answer=PAYLOAD)
    need_services.rate_need(by=people.resident, need=need, rating=2, comment=PAYLOAD[:2000])
    rejected = need_services.submit_need(by=people.resident, title=CORPUS[5][:120], description=PAYLOAD, **text)
    need_services.reject_need(by=people.community_staff, need=rejected, reason=PAYLOAD[:2000])
    organisation = organisation_services.register_organisation(
        by=people.ngo_member,
        kind=OrganisationKind.NGO,
        name=CORPUS[1],
        uscc=valid_uscc(8080),
        region=tree.street_a,
        contact_name=CORPUS[2][:100],
        contact_phone="13900001111",
        description=PAYLOAD,
    )
    organisation_services.reject_organisation(by=people.street_staff, organisation=organisation, reason=PAYLOAD)
    log = gridlog_services.write_grid_log(
        by=people.grid_worker,
        grid=tree.grid_a1,
        date="2026-11-20",
        summary=PAYLOAD,
        visits=[{"kind": "other", "person_name": CORPUS[2][:60], "address": CORPUS[6][:120], "notes": CORPUS[4]}],
        issues=[{"description": CORPUS[4], "category": category()}],
    )
    project = published_project(tree.community_a1, title=CORPUS[0][:120])
    declined = adoption_services.claim_project(
        by=people.resident,
        project=project,
        mode="in_kind",
        item_description=CORPUS[1][:200],
        quantity=1,
        message=PAYLOAD[:2000],
    )
    adoption_services.decline_adoption(by=people.community_staff, adoption=declined, reason=PAYLOAD[:2000])
    pending = adoption_services.claim_project(
        by=people.resident, project=project, mode="volunteer", hours=2, skills=CORPUS[2][:200], message=CORPUS[4]
    )
    text = {"plan": PAYLOAD, "timeline": PAYLOAD[:2000], "team": PAYLOAD[:2000], "track_record": PAYLOAD[:2000]}
    bid = adoption_services.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.ngo, **text))
    adoption_services.submit_bid(by=people.other_ngo_member, project=project, **bid_payload(people.other_ngo, **text))
    adoption_services.record_opinion(
        by=people.community_staff,
        project=project,
        bid=bid,
        representative_name=CORPUS[2][:100],
        representative_role=CORPUS[1][:100],
        opinion=PAYLOAD[:2000],
    )
    return {
        "need": need,
        "rejected": rejected,
        "organisation": organisation,
        "log": log,
        "project": project,
        "claims": (declined, pending),
        "bid": bid,
    }


def test_the_corpus_renders_as_text_and_runs_nothing(page, site, people, home_page, hostile, password):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    need, organisation, log = hostile["need"], hostile["organisation"], hostile["log"]
    project, bid = hostile["project"], hostile["bid"]
    claims = [claim.get_absolute_url() for claim in hostile["claims"]]
    visits = {
        None: ["/", "/needs/", f"/needs/{need.pk}/", "/search/?q=" + CORPUS[0], "/organisations/"],
        people.resident: [
            f"/needs/{need.pk}/",
            "/needs/mine/",
            "/notifications/",
            "/accounts/profile/",
            project.get_absolute_url(),
            "/adoptions/mine/",
            *claims,
        ],
        people.ngo_member: [
            organisation.get_absolute_url(),
            f"{organisation.get_absolute_url()}edit/",
            bid.get_absolute_url(),
            "/adoptions/mine/",
        ],
        people.community_staff: [
            "/adoptions/queue/",
            f"/adoptions/projects/{project.pk}/bids/",
            *claims,
            bid.get_absolute_url(),
            f"/needs/{need.pk}/",
            f"/needs/{hostile['rejected'].pk}/",
            "/needs/queue/?status=closed",
            "/needs/queue/?status=rejected",
        ],
        people.street_staff: ["/organisations/verification/", organisation.get_absolute_url()],
        people.grid_worker: ["/grid-logs/", log.get_absolute_url()],
        people.district_staff: ["/audit/"],
    }
    _visit(page, site, visits, password)
    # Shown as text, not swallowed.
    log_in(page, site, people.resident, password)
    page.goto(f"{site}/needs/{need.pk}/")
    assert "<script>alert('xss-script')</script>" in page.locator("main").inner_text()
    log_in(page, site, people.community_staff, password)
    page.goto(f"{site}/adoptions/projects/{project.pk}/bids/")
    assert "<script>alert('xss-script')</script>" in page.locator("main table").inner_text()
    assert dialogs == []


@pytest.fixture
def hostile_deliberation(people, tree, home_page):
    """Topic texts, comments on the four kinds of subject, a meeting, its minutes and a vote, all written with
    the corpus through the services that store them."""
    neighbour = grant(UserFactory(username="neighbour", display_name=CORPUS[2][:60]), Role.RESIDENT, tree.community_a1)
    board = council(tree.community_a1, threshold=5)
    seat(board, people.community_staff, role=MemberRole.CHAIR)
    topic = topic_services.propose_topic(by=people.resident, council=board, title=CORPUS[0][:120], body=PAYLOAD)
    starts = timezone.now() + timedelta(days=20)
    meeting = meeting_services.create_meeting(
        by=people.community_staff,
        council=board,
        kind="listening",
        title=CORPUS[1][:200],
        description=PAYLOAD,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=CORPUS[2][:200],
    )
    item = meeting_services.add_agenda_item(
        by=people.community_staff, meeting=meeting, title=CORPUS[5][:200], description=PAYLOAD, topic=topic
    )
    meeting = meeting_services.announce_meeting(by=people.community_staff, meeting=meeting)
    item.meeting = meeting
    vote = vote_services.create_vote(
        by=people.community_staff,
        agenda_item=item,
        question=CORPUS[4],
        kind=QuestionKind.CHOICES,
        options=[CORPUS[0][:100], CORPUS[6][:100]],
        electorate=ElectorateKind.RESIDENTS,
    )
    vote_services.open_vote(by=people.community_staff, vote=vote)
    subjects = [topic, item, published_project(tree.community_a1, title="楼道灯更换"), notice(home_page)]
    for subject in subjects:
        first = comment_services.post_comment(by=people.resident, target=subject, body=PAYLOAD[:2000])
        comment_services.post_comment(by=neighbour, target=subject, body=CORPUS[6], parent=first)
    return {"topic": topic, "meeting": meeting, "item": item, "vote": vote, "subjects": subjects}


def test_comments_topics_meetings_and_votes_render_the_corpus_as_text(
    page, site, people, hostile_deliberation, password
):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    topic, meeting, vote = hostile_deliberation["topic"], hostile_deliberation["meeting"], hostile_deliberation["vote"]
    pages = [
        "/topics/",
        topic.get_absolute_url(),
        topic.council.get_absolute_url(),
        meeting.get_absolute_url(),
        vote.get_absolute_url(),
        *(
            subject.url if hasattr(subject, "url") else subject.get_absolute_url()
            for subject in hostile_deliberation["subjects"]
        ),
    ]
    visits = {
        None: pages,
        people.resident: [*pages, "/notifications/"],
        people.community_staff: [*pages, "/topics/agenda-queue/", f"/meetings/{meeting.pk}/minutes/"],
    }
    _visit(page, site, visits, password)
    page.context.clear_cookies()
    page.goto(f"{site}{topic.get_absolute_url()}")
    assert "<script>alert('xss-script')</script>" in page.locator("main h1").inner_text()
    # Comments keep their words (the link text survives without its script) and links are marked as users'.
    assert "点我" in " ".join(page.locator(".comment-body").all_inner_texts())
    assert page.locator(".comment-body a:not([rel~='nofollow'])").count() == 0
    assert dialogs == []
