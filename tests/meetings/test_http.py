"""Meeting and vote pages and API: what they show, to whom, in how many queries; secret ballots stay secret."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation.councils.models import MemberRole
from deliberation.meetings import services
from deliberation.meetings.models import MeetingKind, MeetingStatus, RegistrationStatus
from deliberation.votes import services as vote_services
from deliberation.votes.models import BallotKind, ElectorateKind, QuestionKind
from portal.accounts.models import Role
from tests.factories import UserFactory, grant
from tests.factories.meetings import agenda_item, council, meeting, option, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(people, tree):
    c = council(tree.community_a1)
    chair = UserFactory(username="chair")
    seat(c, chair, role=MemberRole.CHAIR)
    seat(c, people.resident)
    return c, chair


def _closed_secret_vote(hall, people):
    c, chair = hall
    m = meeting(c, status=MeetingStatus.HELD)
    item = agenda_item(m)
    vote = vote_services.create_vote(
        by=chair,
        question="是否同意更换小区门禁系统？",
        kind=QuestionKind.FOR_AGAINST,
        electorate=ElectorateKind.MEMBERS,
        agenda_item=item,
        ballot=BallotKind.SECRET,
    )
    vote = vote_services.open_vote(by=chair, vote=vote)
    against = option(vote, "against")
    receipt = vote_services.cast_ballot(by=people.resident, vote=vote, choices=[against.pk])
    vote_services.cast_ballot(by=chair, vote=vote, choices=[option(vote, "for").pk])
    return vote_services.close_vote(by=chair, vote=vote), receipt, m


def test_secret_choice_never_appears_beside_the_voter_when_shown_anywhere(hall, people, client_for, api_for):
    vote, receipt, m = _closed_secret_vote(hall, people)
    c, chair = hall
    name = people.resident.display_name
    pages = [
        client_for(people.district_staff).get(vote.get_absolute_url()).content.decode(),
        client_for(people.district_staff).get(m.get_absolute_url()).content.decode(),
        client_for(people.district_staff).get(f"/votes/{vote.pk}/desk/").content.decode(),
    ]
    api = api_for(people.district_staff)
    answers = [
        api.get(f"/api/v1/votes/{vote.pk}/").content.decode(),
        api.get(f"/api/v1/ballots/?vote={vote.pk}").content.decode(),
        api.get("/api/v1/votes/").content.decode(),
    ]
    ballots = api.get(f"/api/v1/ballots/?vote={vote.pk}").json()
    assert all(b["voter"] == "" for b in ballots) and len(ballots) == 2
    for text in pages + answers:
        # the resident's name may appear (the desk lists who voted), never in a row with a choice
        for line in text.splitlines():
            assert not (name in line and ("反对" in line or "Against" in line)), line
    # the voter can find their ballot by the receipt's hash
    from deliberation.votes.models import receipt_hash

    assert receipt_hash(vote.pk, receipt) in pages[0]


def test_vote_page_states_how_abstentions_and_ties_are_treated_when_shown(hall, people, client_for):
    vote, _receipt, _m = _closed_secret_vote(hall, people)
    page = client_for(None).get(vote.get_absolute_url()).content.decode()
    assert "Abstentions and blank ballots count for the quorum, not in the votes cast." in page or "弃权" in page
    assert "A tie is not carried." in page or "平票" in page


def test_meeting_page_shows_the_draw_and_the_results_when_public(hall, people, client_for, tree):
    c, chair = hall
    starts = timezone.now() + timedelta(days=20)
    m = services.create_meeting(
        by=chair,
        council=c,
        kind=MeetingKind.HEARING,
        title="垃圾分类听证会",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="街道礼堂",
        capacity=1,
    )
    services.add_agenda_item(by=chair, meeting=m, title="分类亭选址")
    m = services.announce_meeting(by=chair, meeting=m)
    for i in range(3):
        services.register(by=grant(UserFactory(username=f"h{i}"), Role.RESIDENT, tree.community_a1), meeting=m)
    m = services.close_registration(by=chair, meeting=m)
    page = client_for(None).get(m.get_absolute_url()).content.decode()
    assert m.lottery_seed in page and "分类亭选址" in page


def test_drafts_are_hidden_from_the_public_when_listed(hall, client_for, api_for, people):
    c, chair = hall
    draft = meeting(c, status=MeetingStatus.DRAFT, title="尚未公布的会议")
    assert client_for(None).get(draft.get_absolute_url()).status_code == 404
    assert "尚未公布的会议" not in client_for(None).get("/meetings/").content.decode()
    assert api_for(None).get(f"/api/v1/meetings/{draft.pk}/").status_code == 404
    assert api_for(people.street_staff_b).get(f"/api/v1/meetings/{draft.pk}/").status_code == 404
    assert api_for(people.community_staff).get(f"/api/v1/meetings/{draft.pk}/").status_code == 200


def test_meeting_api_carries_ical_address_and_seed_when_drawn(hall, api_for, tree):
    c, chair = hall
    m = meeting(c, capacity=1)
    for i in range(2):
        services.register(by=grant(UserFactory(username=f"a{i}"), Role.RESIDENT, tree.community_a1), meeting=m)
    m = services.close_registration(by=chair, meeting=m)
    body = api_for(None).get(f"/api/v1/meetings/{m.pk}/").json()
    assert body["ical_url"].endswith(f"/meetings/{m.pk}/meeting.ics")
    assert body["lottery"]["seed"] == m.lottery_seed and len(body["lottery"]["entries"]) == 2


def test_icalendar_feeds_are_text_calendar_when_fetched(hall, client_for):
    c, chair = hall
    m = meeting(c, title="关于电动车充电桩的协调会, 第一次; 欢迎参加")
    for url in (f"/meetings/{m.pk}/meeting.ics", f"/meetings/calendar/{c.slug}.ics"):
        response = client_for(None).get(url)
        assert response["Content-Type"].startswith("text/calendar")
        text = response.content.decode()
        assert text.startswith("BEGIN:VCALENDAR\r\n") and "BEGIN:VEVENT" in text and text.endswith("END:VCALENDAR\r\n")
        assert "协调会\\, 第一次\\; 欢迎参加" in text.replace("\r\n ", "")
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_qr_ticket_is_svg_for_a_confirmed_seat_when_asked(hall, people, client_for):
    c, chair = hall
    m = meeting(c, status=MeetingStatus.REGISTRATION_CLOSED)
    registration = m.registrations.create(user=people.resident, status=RegistrationStatus.CONFIRMED)
    response = client_for(people.resident).get(f"/meetings/registrations/{registration.pk}/qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert client_for(people.plain).get(f"/meetings/registrations/{registration.pk}/qr.svg").status_code == 404


def test_lists_take_a_bounded_number_of_queries_when_long(
    hall, people, client_for, api_for, django_assert_max_num_queries, tree
):
    c, chair = hall
    for i in range(12):
        m = meeting(c, title=f"会议{i}")
        for j in range(3):
            item = agenda_item(m, title=f"议程{j}")
            vote_services.create_vote(
                by=chair, question=f"表决{j}", kind=QuestionKind.FOR_AGAINST, electorate="members", agenda_item=item
            )
        m.registrations.create(name=f"居民{i}")
    client = client_for(people.community_staff)
    with django_assert_max_num_queries(15):
        assert client.get("/meetings/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(m.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/meetings/{m.pk}/agenda/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(f"/meetings/{m.pk}/registrations/").status_code == 200
    api = api_for(people.community_staff)
    for url in (
        "/api/v1/meetings/",
        "/api/v1/agenda-items/",
        "/api/v1/registrations/",
        "/api/v1/votes/",
        "/api/v1/minutes/",
    ):
        with django_assert_max_num_queries(12):
            assert api.get(url).status_code == 200, url


def test_announce_too_late_shows_a_clear_message_when_refused(hall, client_for):
    c, chair = hall
    m = meeting(c, status=MeetingStatus.DRAFT, days_ahead=2)
    response = client_for(chair).post(f"/meetings/{m.pk}/announce/", follow=True)
    assert "7" in response.content.decode()
    m.refresh_from_db()
    assert m.status == MeetingStatus.DRAFT


def test_home_page_lists_announced_meetings_when_upcoming(hall, client_for, home_page):
    c, chair = hall
    meeting(c, title="下周的恳谈会")
    meeting(c, title="草稿会议", status=MeetingStatus.DRAFT)
    page = client_for(None).get("/").content.decode()
    assert "下周的恳谈会" in page and "草稿会议" not in page


def test_schema_builds_without_warnings_for_meetings_and_votes(client_for):
    response = client_for(None).get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/v1/meetings/",
        "/api/v1/agenda-items/",
        "/api/v1/registrations/",
        "/api/v1/votes/",
        "/api/v1/ballots/",
        "/api/v1/minutes/",
    ):
        assert path in text


def test_minutes_pdf_is_rendered_when_published(hall):
    from deliberation.meetings.renderers import render_minutes_pdf

    c, chair = hall
    m = meeting(c, status=MeetingStatus.HELD)
    item = agenda_item(m, title="楼顶防水")
    services.save_minutes(by=chair, meeting=m, body="<p>到会 12 人。</p>", decisions={item.pk: "月底前完成维修"})
    m = services.publish_minutes(by=chair, meeting=m)
    assert render_minutes_pdf(m.minutes).startswith(b"%PDF")


def test_code_voting_and_room_screen_work_without_an_account_when_open(hall, people, client_for):
    c, chair = hall
    m = meeting(c, status=MeetingStatus.HELD)
    offline = seat(c, None, name="王阿姨")
    vote = vote_services.create_vote(
        by=chair, question="是否同意？", kind=QuestionKind.FOR_AGAINST, electorate="members", agenda_item=agenda_item(m)
    )
    vote = vote_services.open_vote(by=chair, vote=vote)
    staff = client_for(chair)
    answer = staff.post(f"/votes/{vote.pk}/desk/code/", {"code-elector": vote.electors.get(member=offline).pk})
    code = answer.context["code"]
    anonymous = client_for(None)
    response = anonymous.post(f"/votes/{vote.pk}/code/", {"code": code, "choices": option(vote, "for").pk})
    assert response.status_code == 200 and "receipt-code" in response.content.decode()
    again = anonymous.post(f"/votes/{vote.pk}/code/", {"code": code, "choices": option(vote, "for").pk})
    assert again.status_code == 400
    room = anonymous.get(f"/votes/{vote.pk}/room/").content.decode()
    assert 'http-equiv="refresh"' in room and "1" in room


def test_council_and_topic_fragments_show_decisions_and_follow_ups_when_published(hall, tree):
    from django.template import Context, Template

    from deliberation.topics.models import Topic, TopicStatus

    c, chair = hall
    topic = Topic.objects.create(
        council=c, title="楼顶漏水", body="顶楼漏水", region=tree.community_a1, status=TopicStatus.SCHEDULED
    )
    m = meeting(c, status=MeetingStatus.HELD, days_ahead=-3)
    item = agenda_item(m, topic=topic)
    services.save_minutes(by=chair, meeting=m, body="<p>纪要</p>", decisions={item.pk: "物业月底前修好"})
    services.add_follow_up(
        by=chair, meeting=m, agenda_item=item, what="修补楼顶防水层", responsible="物业", due_on=timezone.localdate()
    )
    services.publish_minutes(by=chair, meeting=m)
    html = Template("{% load meetings_tags %}{% council_meetings council %}{% topic_meetings topic %}").render(
        Context({"council": c, "topic": topic})
    )
    assert m.title in html and "修补楼顶防水层" in html and "物业月底前修好" in html


def test_the_council_page_lists_decisions_of_minutes_and_of_online_votes_in_three_queries(hall, tree):
    from django.db import connection
    from django.template import Context, Template
    from django.test.utils import CaptureQueriesContext

    from deliberation.topics.models import Topic, TopicStatus

    c, chair = hall
    fragment = Template("{% load meetings_tags %}{% council_decisions council %}")
    for n in range(3):
        m = meeting(c, title=f"第{n}次议事会", status=MeetingStatus.HELD, days_ahead=-3 - n)
        item = agenda_item(m, title=f"第{n}项")
        services.save_minutes(by=chair, meeting=m, body="<p>纪要</p>", decisions={item.pk: f"决定{n}"})
        services.add_follow_up(
            by=chair, meeting=m, agenda_item=item, what=f"落实{n}", responsible="物业", due_on=timezone.localdate()
        )
        services.publish_minutes(by=chair, meeting=m)
    Topic.objects.create(
        council=c,
        title="夜间停车收费",
        body="是否调整",
        region=tree.community_a1,
        status=TopicStatus.DECIDED,
        decided_at=timezone.now(),
        decision_reason="网上表决通过：“是否同意调整？”。",
    )
    with CaptureQueriesContext(connection) as queries:
        html = fragment.render(Context({"council": c}))
    assert len(queries) == 3
    assert all(f"决定{n}" in html and f"落实{n}" in html for n in range(3))
    assert "网上表决通过" in html and html.index("夜间停车收费") < html.index("决定0")  # newest first


def test_home_page_shows_a_meeting_at_once_when_it_is_announced_after_caching(hall, client_for, home_page):
    c, chair = hall
    anonymous = client_for(None)
    assert "新公布的议事会" not in anonymous.get("/").content.decode()  # rendered and cached
    m = meeting(c, title="新公布的议事会", status=MeetingStatus.DRAFT)
    assert "新公布的议事会" not in anonymous.get("/").content.decode()
    services.announce_meeting(by=chair, meeting=m)
    assert "新公布的议事会" in anonymous.get("/").content.decode()


def test_chair_puts_a_topic_to_an_online_vote_when_allowed(hall, people, client_for, tree):
    from deliberation.topics.models import Topic
    from deliberation.votes.models import Vote

    c, chair = hall
    topic = Topic.objects.create(council=c, title="夜间停车收费", body="是否调整", region=tree.community_a1)
    url = f"/votes/new/topic/{topic.pk}/"
    form = {"question": "是否同意调整？", "kind": "for_against", "max_choices": 1, "electorate": "residents"}
    form |= {"ballot": "open", "quorum_count": 0, "quorum_percent": 0, "threshold": "simple"}
    assert client_for(people.resident).post(url, form).status_code == 403
    assert client_for(people.street_staff_b).post(url, form).status_code == 403
    assert client_for(None).post(url, form).status_code == 302 and not Vote.objects.exists()
    present = client_for(chair).post(url, form | {"electorate": "present"})
    assert present.status_code == 200 and not Vote.objects.exists()  # nobody is present online
    response = client_for(chair).post(url, form)
    vote = Vote.objects.get(topic=topic)
    assert response.status_code == 302 and response["Location"] == vote.get_absolute_url()


def test_residents_of_the_area_discuss_an_agenda_item_on_its_page(client, people, tree):
    item = agenda_item(meeting(council(tree.community_a1)), title="楼道堆物清理方案")
    page = item.get_absolute_url()
    assert "楼道堆物清理方案" in client.get(page).content.decode()
    outsider = grant(UserFactory(username="outsider"), Role.RESIDENT, tree.community_b1)
    client.force_login(outsider)
    client.post(f"/comments/on/agenda-item/{item.pk}/", {"body": "外社区的意见"})
    assert "外社区的意见" not in client.get(page).content.decode()
    client.force_login(people.resident)
    response = client.post(f"/comments/on/agenda-item/{item.pk}/", {"body": "建议先清理一楼<script>alert(1)</script>"})
    assert response.status_code in (200, 302)
    html = client.get(page).content.decode()
    assert "建议先清理一楼" in html and "<script>alert(1)" not in html
    listed = client.get("/api/v1/comments/", {"target_type": "agenda-item", "target_id": item.pk}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert len(rows) == 1 and "建议先清理一楼" in rows[0]["html"] and "<script" not in rows[0]["html"]
