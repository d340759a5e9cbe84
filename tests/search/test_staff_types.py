"""Issue 22: the audit log is a staff type of the search layer, found from the log's page by those who may
read the log and by nobody else; comments are in no index, so a hidden comment's words are never found."""

import pytest

from portal.audit.models import AuditEntry
from portal.audit.services import record_action
from portal.comments import services as comments
from search import registry
from search.models import SearchEntry
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db


def test_the_staff_types_are_registered_for_staff_only():
    assert registry.get("audit") is None and registry.get("need_case") is None  # not the public's
    assert registry.get("audit", audience="staff").model is AuditEntry
    assert {"audit", "need_case"}.isdisjoint(t.name for t in registry.types())


def test_the_audit_log_is_searched_by_words(client_for, people, tree):
    record_action(by=people.district_staff, action="role.assign", target=people.resident, note="核实后授予居民身份")
    record_action(by=people.district_staff, action="organisation.create_department", note="新设城管执法队")
    log = client_for(people.district_staff)
    page = log.get("/audit/", {"q": "城管"}).content.decode()
    assert "organisation.create_department" in page and "role.assign" not in page
    assert "role.assign" in log.get("/audit/", {"q": str(people.resident)}).content.decode()  # the target
    assert "role.assign" in log.get("/audit/", {"q": "assign"}).content.decode()  # a word of the action
    assert 'name="q"' in page and 'value="城管"' in page
    both = log.get("/audit/", {"q": "districtstaff", "action": "role."}).content.decode()  # with the old filter
    assert "role.assign" in both and "organisation.create_department" not in both


def test_an_audit_search_hit_leads_to_its_entry(client_for, people):
    entry = record_action(by=people.district_staff, action="role.revoke", target=people.resident, note="搬离")
    stored = SearchEntry.objects.get(doc_type="audit", object_id=entry.pk)
    assert stored.audience == "staff" and stored.url == f"/audit/?entry={entry.pk}"
    record_action(by=people.district_staff, action="role.assign", target=people.plain)
    page = client_for(people.district_staff).get(stored.url).content.decode()
    assert "role.revoke" in page and "role.assign" not in page


def test_the_audit_log_and_its_search_are_refused_to_others(client_for, api_for, people, client):
    record_action(by=people.district_staff, action="role.assign", target=people.resident, note="核实后授予")
    for user in (people.resident, people.street_staff, people.community_staff):
        assert client_for(user).get("/audit/", {"q": "核实"}).status_code == 403
    assert client.get("/search/", {"q": "核实"}).content.decode().count("role.assign") == 0
    assert api_for(None).get("/api/v1/search/", {"q": "核实", "type": "audit"}).status_code == 400
    assert api_for(people.district_staff).get("/api/v1/search/", {"q": "核实"}).json()["count"] == 0


def test_a_hidden_comments_words_are_never_found(client_for, api_for, people, tree):
    project = published_project(tree.community_a1, title="甲一社区长者助餐")
    comment = comments.post_comment(by=people.plain, target=project, body="隔壁赵某欠钱不还")
    comments.hide_comment(by=people.moderator, comment=comment, reason="人身攻击")
    assert not SearchEntry.objects.filter(terms__contains=" 欠钱 ").exists()
    for user in (None, people.moderator, people.district_staff):
        page = client_for(user).get("/search/", {"q": "欠钱"}).content.decode()
        assert "赵某" not in page and "甲一社区长者助餐" not in page
        assert api_for(user).get("/api/v1/search/", {"q": "欠钱"}).json()["count"] == 0
