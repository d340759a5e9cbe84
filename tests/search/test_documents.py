"""What each app puts in the search layer: public records by their public words, nothing else. A record
nobody but its owners (or staff) may read is never found, and a need's personal details never are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation.meetings.models import MeetingStatus
from deliberation.topics.models import TopicStatus
from marketplace.calls.models import CallStatus
from marketplace.needs import services as need_services
from marketplace.needs.models import NeedStatus
from portal.organisations import services as organisation_services
from portal.organisations.models import OrganisationKind, VerificationStatus
from search import registry
from search.models import SearchEntry
from search.query import search
from tests.factories import deliberation, meetings
from tests.factories.accounts import UserFactory
from tests.factories.calls import funding_call
from tests.factories.needs import NeedFactory
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db


def found(query, **filters):
    return [e.doc_type for e in search(query, **filters).hits]


def test_every_type_is_registered_in_its_order():
    names = [t.name for t in registry.types()]
    assert [n for n in names if n in {"need", "organisation", "call", "topic", "meeting"}] == [
        "need",
        "organisation",
        "call",
        "topic",
        "meeting",
    ]
    assert registry.get("need").status_labels()["accepted"] == NeedStatus.ACCEPTED.label


# Needs


def test_a_public_need_is_found_by_its_title_and_a_rejected_one_is_not(tree):
    need = NeedFactory(title="社区养老服务不足", region=tree.community_a1, status=NeedStatus.ACCEPTED)
    NeedFactory(title="养老院夜间噪音", region=tree.community_a1, status=NeedStatus.REJECTED)
    assert found("养老") == ["need"]
    entry = SearchEntry.objects.get(doc_type="need")
    assert (entry.object_id, entry.region_id, entry.category_id) == (need.pk, tree.community_a1.pk, need.category_id)
    assert entry.status == "accepted" and entry.url == need.get_absolute_url()


def test_a_need_rejected_through_its_workflow_leaves_the_index(tree, people):
    need = NeedFactory(title="菜市场门口占道经营", region=tree.community_a1)
    assert found("菜市场") == ["need"]
    need_services.reject_need(by=people.community_staff, need=need, reason="不属于本社区管辖。")
    assert found("菜市场") == []


def test_a_residents_name_phone_and_address_are_never_found(tree):
    resident = UserFactory(username="ouyang", display_name="欧阳秀英")
    NeedFactory(
        title="楼道灯坏了",
        region=tree.community_a1,
        status=NeedStatus.DISPATCHED,
        submitted_by=resident,
        show_name_publicly=True,  # shown on the need's page, still not in the list nor the index
        contact_name="欧阳秀英",
        contact_phone="13912345678",
        external_ref="GD2026000123",
        # Residents write such details into the description too: the public list does not show it.
        description="我是欧阳秀英，住幸福里小区七号楼，电话13912345678。",
        answer="已安排物业维修幸福里的楼道灯。",
    )
    assert found("楼道") == ["need"]
    for query in ("13912345678", "欧阳秀英", "欧阳", "秀英", "幸福里", "GD2026000123", "物业"):
        assert found(query) == [], query
    entry = SearchEntry.objects.get(doc_type="need")
    for private in ("1391234", "欧阳", "幸福里", "GD2026"):
        assert private not in f"{entry.terms} {entry.summary} {entry.title}"


# Organisations


def test_a_verified_organisation_is_found_and_an_unverified_one_is_not(tree):
    OrganisationFactory(
        name="阳光养老服务中心",
        name_en="Sunshine Elderly Care",
        region=tree.street_a,
        description="为独居老人提供助餐服务。",
    )
    OrganisationFactory(name="夕阳养老互助会", region=tree.street_a, verification_status=VerificationStatus.PENDING)
    OrganisationFactory(name="银发养老驿站", region=tree.street_a, verification_status=VerificationStatus.REJECTED)
    assert found("养老") == ["organisation"]
    assert found("助餐") == ["organisation"] and found("elderly") == ["organisation"]
    entry = SearchEntry.objects.get(doc_type="organisation")
    assert entry.title == "阳光养老服务中心" and entry.status == OrganisationKind.NGO
    assert entry.region_id == tree.street_a.pk
    assert found("王老师") == [] and found("88886666") == []  # the contact person is not what one searches by


def test_an_organisation_sent_back_to_verification_by_a_new_name_leaves_the_index(people):
    assert found("社工") == ["organisation"]  # 甲街道社工中心
    organisation_services.update_organisation(by=people.ngo_member, organisation=people.ngo, name="甲街道社工服务社")
    assert found("社工") == [] and found("服务社") == []


# Funding calls


def test_a_published_call_is_found_and_a_draft_or_cancelled_one_is_not(tree):
    funding_call(tree.district, slug="elderly", title="社区养老服务项目征集", title_en="Elderly care call")
    funding_call(tree.district, slug="draft", title="2028年养老项目征集", status=CallStatus.DRAFT)
    funding_call(tree.district, slug="cancelled", title="养老助餐项目征集", status=CallStatus.CANCELLED)
    assert found("养老") == ["call"]
    assert found("助残") == ["call"]  # a word of what the call funds
    entry = SearchEntry.objects.get(doc_type="call")
    assert entry.title_en == "Elderly care call" and entry.region_id == tree.district.pk and entry.status == "open"


# Topics


def test_topics_are_found_in_every_status_as_the_public_list_shows_them(tree, people):
    council = deliberation.council(tree.community_a1)
    deliberation.topic(council, people.resident, title="增设社区养老服务点")
    rejected = deliberation.topic(
        council, title="养老餐补贴翻倍", status=TopicStatus.REJECTED, decision_reason="不属于议事会职权。"
    )
    assert sorted(found("养老")) == ["topic", "topic"]
    assert found("火灾") == ["topic", "topic"]  # words of the body
    entry = SearchEntry.objects.get(doc_type="topic", object_id=rejected.pk)
    assert entry.status == "rejected" and entry.region_id == tree.community_a1.pk


# Meetings


def test_a_public_meeting_is_found_and_a_draft_is_not(tree):
    council = meetings.council(tree.community_a1)
    meetings.meeting(council, title="社区养老服务恳谈会")
    meetings.meeting(council, title="养老驿站选址协调会", status=MeetingStatus.DRAFT)
    meetings.meeting(
        council, title="老旧小区养老设施听证会", status=MeetingStatus.CANCELLED, cancel_reason="场地临时不可用。"
    )
    assert sorted(found("养老")) == ["meeting", "meeting"]  # a cancelled meeting stays public
    assert sorted(found("党群")) == ["meeting", "meeting"]  # the place
    assert not SearchEntry.objects.filter(doc_type="meeting", title="养老驿站选址协调会").exists()
    entry = SearchEntry.objects.get(doc_type="meeting", title="社区养老服务恳谈会")
    assert entry.region_id == tree.community_a1.pk and entry.status == "announced"
    assert entry.dated > timezone.now() + timedelta(days=13)
