"""Topics: proposing in the collection window, one support each, the threshold, merging, rejecting,
classifying, referrals from needs, and the pages and API that show them."""

import pytest
from django.utils import timezone

from deliberation.councils.models import CouncilLevel, CouncilMember, MemberRole
from deliberation.topics import services
from deliberation.topics.models import Support, Topic, TopicStatus
from marketplace.needs import services as needs_services
from portal.accounts.models import Role
from portal.core.errors import DomainError
from portal.core.models import TimelineEvent
from portal.core.transitions import NotPermitted
from portal.notifications.models import Notification
from tests.factories import UserFactory
from tests.factories.accounts import grant
from tests.factories.deliberation import council, topic
from tests.factories.needs import category

pytestmark = pytest.mark.django_db
T = TopicStatus


@pytest.fixture
def board(tree):
    return council(tree.community_a1, threshold=2)


@pytest.fixture
def neighbours(tree):
    return [grant(UserFactory(username=f"neighbour{i}"), Role.RESIDENT, tree.community_a1) for i in range(4)]


def _supports_match(topic):
    topic.refresh_from_db()
    return topic.support_count == Support.objects.filter(topic=topic).count()


# --- proposing ---------------------------------------------------------------


def test_resident_proposes_when_the_council_collects(people, board, client_for):
    response = client_for(people.resident).post(
        f"/councils/{board.slug}/topics/new/", {"title": "楼道堆物清理", "body": "三号楼楼道堆满杂物，消防通道不畅。"}
    )
    created = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.proposed_by == people.resident and created.status == T.COLLECTING
    assert created.region == people.resident.role_assignments.get().region
    assert TimelineEvent.objects.filter(object_id=created.pk, to_status=T.COLLECTING).exists()


def test_propose_refused_when_not_a_resident_of_the_region(people, tree, board, client_for, api_for):
    outsider = grant(UserFactory(), Role.RESIDENT, tree.community_b1)
    unverified = grant(UserFactory(), Role.RESIDENT, tree.community_a1, verified=False)
    body = {"title": "题目", "body": "内容"}
    for user in (people.plain, outsider, unverified, people.community_staff, people.moderator):
        assert client_for(user).post(f"/councils/{board.slug}/topics/new/", body).status_code == 403
        api = api_for(user).post("/api/v1/topics/", {**body, "council": board.slug}, format="json")
        assert api.status_code == 403
    assert client_for(None).post(f"/councils/{board.slug}/topics/new/", body).status_code == 302
    assert api_for(None).post("/api/v1/topics/", {**body, "council": board.slug}, format="json").status_code in (
        401,
        403,
    )
    assert not Topic.objects.exists()


def test_propose_refused_when_the_collection_is_closed(people, tree, client_for, api_for):
    closed = council(tree.community_a1, slug="closed", collecting=False)
    page = client_for(people.resident).get(f"/councils/{closed.slug}/topics/new/")
    assert page.status_code == 403
    opens = timezone.localtime(closed.phases.get().starts_at)
    assert opens.strftime("%Y-%m-%d %H:%M") in page.content.decode()  # when it opens next
    body = {"title": "题目", "body": "内容", "council": closed.slug}
    assert api_for(people.resident).post("/api/v1/topics/", body, format="json").status_code == 403


def test_api_proposes_for_an_eligible_resident(people, board, api_for):
    response = api_for(people.resident).post(
        "/api/v1/topics/", {"council": board.slug, "title": "增设晾衣架", "body": "小区缺少公共晾晒区"}, format="json"
    )
    assert response.status_code == 201 and response.json()["status"] == T.COLLECTING


# --- supporting --------------------------------------------------------------


def test_support_is_counted_once_and_matches_the_rows(people, board, neighbours):
    subject = topic(board, people.resident)
    services.support_topic(by=neighbours[0], topic=subject)
    services.support_topic(by=neighbours[0], topic=subject)
    assert Support.objects.filter(topic=subject).count() == 1 and _supports_match(subject)


def test_support_refused_for_the_proposer_and_outsiders(people, tree, board):
    subject = topic(board, people.resident)
    outsider = grant(UserFactory(), Role.RESIDENT, tree.community_b1)
    for user in (people.resident, outsider, people.plain, people.community_staff):
        with pytest.raises(NotPermitted):
            services.support_topic(by=user, topic=subject)
    assert _supports_match(subject) and subject.support_count == 0


def test_reaching_the_threshold_queues_the_topic_and_tells_the_proposer(people, board, neighbours):
    subject = topic(board, people.resident)
    services.support_topic(by=neighbours[0], topic=subject)
    assert Topic.objects.get(pk=subject.pk).status == T.COLLECTING
    queued = services.support_topic(by=neighbours[1], topic=subject)
    assert queued.status == T.QUEUED and queued.queued_at is not None
    assert TimelineEvent.objects.filter(object_id=subject.pk, to_status=T.QUEUED).exists()
    assert Notification.objects.filter(recipient=people.resident, url=subject.get_absolute_url()).exists()
    assert Notification.objects.filter(recipient=neighbours[0], url=subject.get_absolute_url()).exists()


def test_support_through_the_page_and_the_api(people, board, neighbours, client_for, api_for):
    subject = topic(board, people.resident)
    assert client_for(neighbours[0]).post(f"/topics/{subject.pk}/support/").status_code == 302
    response = api_for(neighbours[1]).post(f"/api/v1/topics/{subject.pk}/support/", {}, format="json")
    assert response.status_code == 200 and response.json()["support_count"] == 2
    assert response.json()["status"] == T.QUEUED
    assert api_for(None).post(f"/api/v1/topics/{subject.pk}/support/", {}, format="json").status_code in (401, 403)


# --- staff: merge, reject, classify ---------------------------------------------------


def test_merge_carries_supporters_over_without_double_counting(people, board, neighbours):
    board.support_threshold = 10
    board.save()
    target = topic(board, people.resident, title="东门充电桩")
    duplicate = topic(board, neighbours[3], title="加装充电桩")
    for user in neighbours[:2]:
        services.support_topic(by=user, topic=target)
    for user in neighbours[1:3]:
        services.support_topic(by=user, topic=duplicate)
    services.support_topic(by=people.resident, topic=duplicate)
    merged = services.merge_topic(by=people.community_staff, topic=duplicate, into=target)
    assert merged.status == T.MERGED and merged.merged_into == target
    supporters = set(Support.objects.filter(topic=target).values_list("user_id", flat=True))
    # neighbours 0-2 once each, the duplicate's proposer (3); never the target's own proposer.
    assert supporters == {n.pk for n in neighbours}
    assert _supports_match(target) and target.support_count == 4


def test_merge_refused_across_councils_and_for_staff_elsewhere(people, tree, board):
    other = council(tree.community_a2, slug="a2")
    one, two = topic(board, people.resident), topic(other, None, title="别处的议题")
    with pytest.raises(DomainError):
        services.merge_topic(by=people.district_staff, topic=one, into=two)
    for user in (people.street_staff_b, people.resident, people.grid_worker):
        with pytest.raises(NotPermitted):
            services.merge_topic(by=user, topic=one, into=topic(board, None, title="另一个"))


def test_reject_needs_a_reason_and_tells_supporters(people, board, neighbours, api_for):
    subject = topic(board, people.resident)
    services.support_topic(by=neighbours[0], topic=subject)
    api = api_for(people.community_staff)
    assert api.post(f"/api/v1/topics/{subject.pk}/reject/", {"reason": ""}, format="json").status_code == 400
    refused = api_for(people.street_staff_b).post(
        f"/api/v1/topics/{subject.pk}/reject/", {"reason": "x"}, format="json"
    )
    assert refused.status_code == 403
    response = api.post(f"/api/v1/topics/{subject.pk}/reject/", {"reason": "属物业职责，已转物业"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == T.REJECTED
    told = Notification.objects.get(recipient=neighbours[0])
    assert "属物业职责" in told.body


def test_classify_by_staff_of_the_region_only(people, board, api_for):
    subject = topic(board, people.resident)
    cat = category("safety", "平安建设")
    assert (
        api_for(people.resident)
        .post(f"/api/v1/topics/{subject.pk}/classify/", {"category": "safety"}, format="json")
        .status_code
        == 403
    )
    response = api_for(people.street_staff).post(
        f"/api/v1/topics/{subject.pk}/classify/", {"category": "safety"}, format="json"
    )
    assert response.status_code == 200 and Topic.objects.get(pk=subject.pk).category == cat


# --- referrals from needs ---------------------------------------------------------


def test_referring_a_need_creates_a_topic_and_the_submitter_hears_of_it(people, tree, board):
    need = needs_services.submit_need(
        by=people.resident,
        title="小区缺少休闲座椅",
        description="老人散步没地方歇脚",
        category=category(),
        region=tree.grid_a1,
    )
    needs_services.refer_need(by=people.community_staff, need=need, note="提交居民议事会")
    made = Topic.objects.get(source_need=need)
    assert made.council == board and made.status == T.COLLECTING and made.proposed_by == people.resident
    services.reject_topic(by=people.community_staff, topic=made, reason="已纳入今年更新改造计划")
    assert Notification.objects.filter(recipient=people.resident, url=made.get_absolute_url()).exists()


def test_referral_asks_staff_to_choose_when_several_councils_are_as_near(people, tree, board):
    council(tree.community_a1, slug="second", name="甲一社区听证会")
    need = needs_services.submit_need(
        by=people.resident, title="垃圾站异味", description="夏天很臭", category=category(), region=tree.grid_a1
    )
    with pytest.raises(DomainError):
        needs_services.refer_need(by=people.community_staff, need=need)
    needs_services.refer_need(by=people.community_staff, need=need, council=board)
    assert Topic.objects.get(source_need=need).council == board


# --- pages and lists ----------------------------------------------------------


def test_topic_list_filters_and_refuses_bad_values(people, tree, board, client, django_assert_max_num_queries):
    for i in range(25):
        topic(board, people.resident, title=f"议题{i}", status=T.QUEUED if i % 2 else T.COLLECTING)
    with django_assert_max_num_queries(12):
        response = client.get("/topics/", {"status": "queued", "council": board.slug})
    assert response.status_code == 200 and response.content.decode().count('class="card"') == 12
    assert client.get("/topics/", {"status": "nonsense"}).status_code == 400
    assert client.get("/topics/", {"category": "no-such"}).status_code == 400
    assert client.get("/api/v1/topics/", {"status": "nonsense"}).status_code == 400
    listed = client.get("/api/v1/topics/", {"council__slug": board.slug}).json()
    assert len(listed["results"]) == 25


def test_the_council_filter_is_chosen_by_name(people, board, client):
    topic(board, people.resident, title="按名称筛选的议题")
    page = client.get("/topics/").content.decode()
    # A select listing councils by name (not a box to type a slug into)
    form = page[page.index('class="filters"') :]
    form = form[: form.index("</form>")]
    assert '<select name="council"' in form and f'value="{board.slug}"' in form and f">{board.name}<" in form
    assert "按名称筛选的议题" in client.get("/topics/", {"council": board.slug}).content.decode()
    assert client.get("/topics/", {"council": "no-such-council"}).status_code == 400


def test_topic_page_shows_timeline_supports_and_comments(people, board, neighbours, client_for):
    subject = topic(board, people.resident)
    services.support_topic(by=neighbours[0], topic=subject)
    page = client_for(neighbours[1]).get(subject.get_absolute_url()).content.decode()
    assert 'id="support-form"' in page and 'id="comments"' in page and 'id="timeline-heading"' in page
    assert client_for(people.community_staff).get(subject.get_absolute_url()).content.decode().count("<details") >= 3


def test_agenda_queue_lists_queued_topics_in_the_staff_area(
    people, tree, board, client_for, django_assert_max_num_queries
):
    queued = topic(board, people.resident, title="等待上会的议题", status=T.QUEUED)
    elsewhere = topic(council(tree.community_b1, slug="b1"), None, title="乙街道的议题", status=T.QUEUED)
    for i in range(15):
        topic(board, people.resident, title=f"排队议题{i}", status=T.QUEUED)
    staff = client_for(people.street_staff)
    staff.get("/topics/agenda-queue/")  # warm the per-process caches
    with django_assert_max_num_queries(12):
        page = staff.get("/topics/agenda-queue/").content.decode()
    assert queued.title in page and elsewhere.title not in page
    assert queued.title not in client_for(people.street_staff_b).get("/topics/agenda-queue/").content.decode()
    assert client_for(people.resident).get("/topics/agenda-queue/").status_code == 403


def test_council_page_and_api_show_members_and_the_window(people, tree, board, client, django_assert_max_num_queries):
    CouncilMember.objects.create(council=board, name="李桂兰", role=MemberRole.CHAIR, term_start="2025-01-01")
    CouncilMember.objects.create(
        council=board, name="已卸任", role=MemberRole.EXPERT, term_start="2020-01-01", term_end="2021-01-01"
    )
    for i in range(20):
        topic(board, people.resident, title=f"议题{i}", status=T.DECIDED if i % 3 == 0 else T.COLLECTING)
    rendered = board.get_absolute_url() + "?nocache=1"  # rendered every time, not the anonymous copy
    client.get(rendered)  # warm the per-process caches
    with django_assert_max_num_queries(14) as counted:
        page = client.get(rendered).content.decode()
    for i in range(20):
        topic(board, people.resident, title=f"更多议题{i}", status=T.DECIDED)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        client.get(rendered)
    assert "李桂兰" in page and "已卸任" not in page and 'id="council-meetings-heading"' in page
    body = client.get(f"/api/v1/councils/{board.pk}/").json()
    assert [m["name"] for m in body["members"]] == ["李桂兰"]
    assert [p["kind"] for p in body["open_phases"]] == ["collect_topics"]
    assert client.get("/councils/").status_code == 200
    assert body["level"] == CouncilLevel.COMMUNITY


def test_the_list_filters_are_kept_markup_that_names_a_council_added_since(people, tree, board, client_for):
    """The filter form is rendered once per choice (deliberation/topics/filter_form.py) and renewed on a new council."""
    client = client_for(people.resident)  # signed in: rendered every time, so only the kept form can be stale
    html = client.get("/topics/", {"status": "collecting"}).content.decode()
    assert board.name in html and '<option value="collecting" selected>' in html
    council(tree.community_b1, slug="yi-yi-council", name="乙一社区居民议事会")
    html = client.get("/topics/", {"status": "collecting"}).content.decode()
    assert "乙一社区居民议事会" in html and '<option value="collecting" selected>' in html
    assert '<option value="collecting" selected>' not in client.get("/topics/").content.decode()
