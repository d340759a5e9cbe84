"""Issue 22: similar needs and the staff queue's search go through the search layer.

Similar needs share a telling word (not 小区, not the place's name) with the text, within the community
and category, open only; the queue's search box narrows the queue to what the staff member's regions hold,
keeping its other filters and order; a need's private fields are in no index, and the staff type is found
by nobody outside the queue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.needs import services
from marketplace.needs.models import Channel, Need, NeedStatus
from marketplace.needs.search_documents import case_document, document
from marketplace.needs.similar import similar_needs, telling_words
from search.models import SearchEntry
from tests.factories import category

pytestmark = pytest.mark.django_db


@pytest.fixture
def env():
    return category()


def _need(people, tree, title, description="", *, region=None, by=None, cat=None):
    return services.submit_need(
        by=by or people.plain,
        title=title,
        description=description or title,
        category=cat or category(),
        region=region or tree.grid_a1,
    )


def _similar(tree, text, **options):
    return [n.title for n in similar_needs(region=tree.grid_a1, category=category(), text=text, **options)]


@pytest.mark.parametrize(
    ("one", "other", "alike"),
    [
        ("小区路灯不亮", "路灯坏了晚上很黑", True),  # jieba cuts the first 小区/路/灯不亮: the full mode finds 路灯
        ("楼道灯坏了很久", "二单元楼道灯不亮", True),
        ("井盖缺失", "井盖丢了很危险", True),
        ("小区路灯不亮", "小区绿化带杂草", False),  # 小区 alone says nothing about the problem
        ("居民反映问题", "希望尽快解决问题", False),
        ("电梯经常停运", "楼道堆放杂物", False),
    ],
)
def test_needs_are_similar_when_they_share_a_telling_word(people, tree, env, one, other, alike):
    _need(people, tree, other)
    assert _similar(tree, one) == ([other] if alike else [])


def test_the_full_mode_finds_every_dictionary_word():
    assert {"小区", "路灯", "灯不亮"} <= set(telling_words("小区路灯不亮"))
    assert all(len(word) > 1 for word in telling_words("路灯坏了，晚上很黑！"))


def test_only_open_needs_of_the_community_and_category_are_similar_best_first(people, tree, env):
    many = _need(people, tree, "路灯坏了晚上很黑", "路灯不亮")
    _need(people, tree, "路灯闪烁")
    _need(people, tree, "路灯坏了", region=tree.community_a2)  # another community
    _need(people, tree, "路灯坏了", cat=category("safety", "安全"))  # another category
    closed = _need(people, tree, "路灯坏了晚上看不见")
    services.reject_need(by=people.community_staff, need=closed, reason="重复")
    assert _similar(tree, "路灯坏了晚上很黑") == ["路灯坏了晚上很黑", "路灯闪烁"]  # sharing most words first
    assert _similar(tree, "路灯坏了晚上很黑", exclude=many) == ["路灯闪烁"]
    assert _similar(tree, "路灯坏了", limit=1) == ["路灯闪烁"]  # sharing as many (路灯): the newest first


def test_similar_needs_cost_a_bounded_number_of_queries(people, tree, env):
    for n in range(12):
        _need(people, tree, f"路灯坏了第{n}处")
    with CaptureQueriesContext(connection) as queries:
        found = similar_needs(region=tree.grid_a1, category=env, text="路灯不亮", limit=5)
        assert [n.region.name for n in found] and [n.category.name for n in found]  # read with the needs
    assert len(found) == 5 and len(queries) <= 3  # the community, the layer, the needs


def test_the_need_page_lists_a_similar_need_worded_differently(client_for, people, tree, env):
    first = _need(people, tree, "小区路灯不亮", "晚上很黑")
    _need(people, tree, "路灯坏了晚上很黑")
    _need(people, tree, "小区绿化带杂草")
    page = client_for(None).get(first.get_absolute_url()).content.decode()
    assert "路灯坏了晚上很黑" in page and "小区绿化带杂草" not in page


# --- what is indexed -------------------------------------------------------------------------------


def test_no_private_field_is_in_either_type(people, tree, env):
    need = services.submit_need(
        by=people.community_staff,
        resident=people.resident,
        channel=Channel.HOTLINE,
        external_ref="RX2026-0042",
        title="楼道堆放杂物",
        description="三楼堆满纸箱，联系13912345678，身份证110101199003071234",
        contact_name="张阿姨",
        contact_phone="13800001111",
        category=env,
        region=tree.grid_a1,
    )
    public, staff = document(need), case_document(need)
    for doc in (public, staff):
        words = f"{doc.title} {doc.summary} {doc.text}"
        for private in ("张阿姨", "13800001111", "13912345678", "110101199003071234"):
            assert private not in words
    assert "纸箱" not in f"{public.summary} {public.text}"  # the description is staff-only
    assert "纸箱" in staff.text and "RX2026-0042" in staff.text and tree.grid_a1.name in staff.text
    assert public.audience == "public" and staff.audience == "staff"
    stored = SearchEntry.objects.get(doc_type="need_case", object_id=need.pk)
    assert stored.audience == "staff" and "13912345678" not in stored.terms and "张阿姨" not in stored.terms


def test_a_staff_type_is_found_by_no_public_search(client, api_for, people, tree, env):
    _need(people, tree, "楼道堆放杂物", "三楼堆满纸箱")
    assert SearchEntry.objects.filter(doc_type="need_case").exists()
    assert "楼道堆放杂物" not in client.get("/search/", {"q": "纸箱"}).content.decode()
    assert "楼道堆放杂物" not in client.get("/search/", {"q": "纸箱", "type": "need_case"}).content.decode()
    api = api_for(people.district_staff)  # staff too: the public search is the public's
    assert api.get("/api/v1/search/", {"q": "纸箱"}).json()["count"] == 0
    assert api.get("/api/v1/search/", {"q": "纸箱", "type": "need_case"}).status_code == 400
    assert api.get("/api/v1/search/", {"q": "杂物", "type": "audit"}).status_code == 400


# --- the work queue's search box -------------------------------------------------------------------


def test_the_queue_search_narrows_to_the_words_keeping_filters_and_order(client_for, people, tree, env):
    older = _need(people, tree, "路灯不亮", "三号楼前的路灯")
    _need(people, tree, "楼道堆放杂物", "三楼堆满纸箱")
    newer = _need(people, tree, "路灯闪烁", "五号楼路灯忽明忽暗", cat=category("safety", "安全"))
    staff = client_for(people.street_staff)
    page = staff.get("/needs/queue/", {"q": "路灯"}).content.decode()
    assert "楼道堆放杂物" not in page
    assert page.index(older.title) < page.index(newer.title)  # the queue's order: oldest first
    by_category = staff.get("/needs/queue/", {"q": "路灯", "category": category("safety").pk}).content.decode()
    assert newer.title in by_category and f"/needs/{older.pk}/" not in by_category
    assert "楼道堆放杂物" in staff.get("/needs/queue/", {"q": "纸箱"}).content.decode()  # a description's word
    assert 'name="q"' in page and 'value="路灯"' in page  # the words stay in the box
    assert 'id="site-search-q" type="search" name="q" placeholder="搜索" value=""' in page  # not the header's


def test_the_queue_search_finds_the_ticket_number_and_the_place(client_for, people, tree, env):
    services.submit_need(
        by=people.community_staff,
        channel=Channel.HOTLINE,
        external_ref="RX2026-0042",
        title="噪音扰民",
        description="夜间施工",
        category=env,
        region=tree.grid_a1,
    )
    staff = client_for(people.street_staff)
    assert "噪音扰民" in staff.get("/needs/queue/", {"q": "RX2026-0042"}).content.decode()
    assert "噪音扰民" in staff.get("/needs/queue/", {"q": tree.grid_a1.name}).content.decode()
    assert "噪音扰民" not in staff.get("/needs/queue/", {"q": "13800001111"}).content.decode()


def test_a_streets_staff_never_finds_a_need_of_another_street(client_for, people, tree, env):
    mine = _need(people, tree, "垃圾站满溢", "垃圾桶没人清")
    theirs = _need(people, tree, "垃圾站满溢", "垃圾桶没人清", region=tree.grid_b1)
    page = client_for(people.street_staff).get("/needs/queue/", {"q": "垃圾站"}).content.decode()
    assert f"/needs/{mine.pk}/" in page and f"/needs/{theirs.pk}/" not in page
    other = client_for(people.street_staff_b).get("/needs/queue/", {"q": "垃圾站"}).content.decode()
    assert f"/needs/{theirs.pk}/" in other and f"/needs/{mine.pk}/" not in other
    # Even where the search layer is asked for another street's words: the staff member's regions bound it.
    from marketplace.needs.search_documents import find_cases

    ids, _partial = find_cases("垃圾站", regions=[tree.street_a])
    assert ids == [mine.pk]


def test_the_queue_search_covers_every_status_the_queue_can_show(client_for, people, tree, env):
    need = _need(people, tree, "违章搭建", "楼顶加盖")
    services.reject_need(by=people.community_staff, need=need, reason="不属于受理范围")
    staff = client_for(people.street_staff)
    assert "违章搭建" not in staff.get("/needs/queue/", {"q": "违章"}).content.decode()  # open ones by default
    chosen = staff.get("/needs/queue/", {"q": "违章", "status": NeedStatus.REJECTED}).content.decode()
    assert "违章搭建" in chosen


def test_a_resident_is_refused_the_queue_with_or_without_words(client_for, people):
    assert client_for(people.resident).get("/needs/queue/", {"q": "路灯"}).status_code == 403


def test_the_queue_says_so_when_search_is_not_answering(client_for, people, tree, env, monkeypatch):
    from search.backends.base import Answer
    from search.backends.database import DatabaseBackend

    _need(people, tree, "路灯不亮")
    monkeypatch.setattr(DatabaseBackend, "search", lambda self, query: Answer(query.text, [], failed=True))
    page = client_for(people.street_staff).get("/needs/queue/", {"q": "路灯"}).content.decode()
    assert "路灯不亮" not in page and 'role="alert"' in page


def test_the_kept_filter_markup_never_holds_someone_elses_words(client_for, people, tree, env):
    staff = client_for(people.street_staff)
    staff.get("/needs/queue/", {"q": "只属于我的搜索"})
    page = staff.get("/needs/queue/", {"q": "别的词"}).content.decode()
    assert "只属于我的搜索" not in page and 'value="别的词"' in page
    assert Need.objects.count() == 0
