"""The Elasticsearch backend against a fake node that answers in Elasticsearch's own format: answers read
from its responses, writes and the zero-downtime rebuild as the requests sent, a server that does not
answer, the page and the API on it, the synonyms editors keep, and what is never sent (a draft, a
resident's details, a hidden comment)."""

import logging
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from marketplace.needs.models import NeedStatus
from marketplace.projects.models import ProjectStatus
from portal.comments import services as comments
from search.backends import get_backend
from search.indexing import reindex
from search.models import SearchEntry, SynonymGroup
from search.query import search, similar
from search.registry import Document
from search.synonyms import expand, parse
from tests.factories.accounts import UserFactory
from tests.factories.needs import NeedFactory
from tests.factories.projects import published_project
from tests.search.fake_elasticsearch import search_body

pytestmark = pytest.mark.django_db

FACETS = {
    "type": {"buckets": [{"key": "project", "doc_count": 3}, {"key": "need", "doc_count": 2}]},
    "narrowed": {
        "doc_count": 3,
        "status": {"buckets": [{"key": "published", "doc_count": 2}, {"key": "", "doc_count": 1}]},
        "category": {"buckets": [{"key": 4, "doc_count": 3}]},
        "region": {"buckets": [{"key": "00010001", "doc_count": 3}]},
        "year": {
            "buckets": [
                {"key_as_string": "2025", "key": 1735660800000, "doc_count": 1},
                {"key_as_string": "2026", "key": 1767196800000, "doc_count": 2},
            ]
        },
        "wanted": {"doc_count": 1},
    },
}


def bodies(fake_es, method, path):
    return [body for m, p, _q, body in fake_es.requests if m == method and path in p]


def everything_sent(fake_es):
    return " ".join(str(body) for *_rest, body in fake_es.requests)


# Answers


def test_hits_facets_and_paging_are_read_from_elasticsearchs_response(fake_es):
    dated = "2026-03-01T08:00:00+00:00"
    fake_es.answer(
        search_body(
            [
                (
                    "project",
                    12,
                    {
                        "title": "社区养老食堂",
                        "url": "/projects/12/",
                        "summary": "午餐",
                        "status": "published",
                        "dated": dated,
                        "gap": 5000,
                        "title_en": "",
                    },
                ),
                (
                    "need",
                    3,
                    {
                        "title": "养老护理",
                        "url": "/needs/3/",
                        "summary": "",
                        "status": "accepted",
                        "dated": None,
                        "gap": None,
                        "title_en": "",
                    },
                ),
            ],
            total=23,
            aggregations=FACETS,
        )
    )
    answer = search("养老", doc_type="project", page=2)
    assert not answer.failed and not answer.partial
    assert answer.total == 23 and answer.terms == ["养老"]
    first, second = answer.hits
    assert (first.doc_type, first.object_id, first.title, first.url, first.gap) == (
        "project",
        12,
        "社区养老食堂",
        "/projects/12/",
        5000,
    )
    assert first.dated == datetime(2026, 3, 1, 8, tzinfo=UTC) and first.score == 1.0
    assert (second.doc_type, second.dated, second.gap, second.highlight) == ("need", None, None, None)
    assert answer.facets == {
        "type": {"project": 3, "need": 2},
        "status": {"published": 2},
        "category": {4: 3},
        "region": {"00010001": 3},
        "year": {2025: 1, 2026: 2},
        "wanted": {"yes": 1},
    }
    (sent,) = bodies(fake_es, "POST", "/_search")
    assert (sent["from"], sent["size"]) == (20, 20)


def test_the_highlight_keeps_only_the_marks_asked_for_and_escapes_the_rest(fake_es):
    fragments = {
        1: "R&amp;D &lt;b&gt;<mark>养老</mark>&lt;/b&gt;",  # as the html encoder sends it
        2: "<script>alert(1)</script><mark>养老</mark>",  # never trusted
        3: "<mark>养老</mark> 服务 <mark>未闭合",
        4: "没有标记的片段",
    }
    rows = [
        ("project", n, {"title": "t", "url": "/", "summary": "s"}, {"highlight": {"summary": [f]}})
        for n, f in fragments.items()
    ]
    fake_es.answer(search_body(rows))
    marked = {hit.object_id: hit.highlight for hit in search("养老").hits}
    assert str(marked[1]) == "R&amp;D &lt;b&gt;<mark>养老</mark>&lt;/b&gt;"
    assert str(marked[2]) == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>养老</mark>"
    assert str(marked[3]) == "<mark>养老</mark> 服务 <mark>未闭合</mark>"
    assert marked[4] is None  # nothing marked: the page marks the summary by the query's words


def test_when_no_record_holds_every_word_those_holding_some_come(fake_es):
    nothing = search_body([], aggregations={"type": {"buckets": []}})
    fake_es.answer(nothing, search_body([("project", 5, {"title": "养老", "url": "/"})]))
    answer = search("养老 火箭")
    assert answer.partial and [h.object_id for h in answer.hits] == [5]
    first, second = bodies(fake_es, "POST", "/_search")
    assert "cross_fields" in str(first["query"]) and "cross_fields" not in str(second["query"])


def test_a_server_that_does_not_answer_gives_a_failed_answer_and_is_logged(fake_es, caplog):
    fake_es.down = True
    with caplog.at_level(logging.ERROR, logger="search.backends.elastic"):
        answer = search("养老")
    assert answer.failed and answer.hits == [] and answer.total == 0
    assert "did not answer" in caplog.text
    assert get_backend().ping() is False
    assert similar("project", 3) == []


def test_similar_records_are_read_from_a_more_like_this_answer(fake_es):
    fake_es.answer(search_body([("need", 9, {"title": "楼道灯不亮", "url": "/needs/9/"})]))
    hits = similar("need", 7, types=("need",), statuses=("accepted",))
    assert [(h.doc_type, h.object_id) for h in hits] == [("need", 9)]
    (sent,) = bodies(fake_es, "POST", "/_search")
    assert sent["query"]["bool"]["must"][0]["more_like_this"]["like"] == [{"_index": "gongzhi-need", "_id": "7"}]


# The page and the API


def test_the_page_and_the_api_answer_from_elasticsearch(fake_es, client, api_for):
    row = (
        "project",
        12,
        {
            "title": "口袋公园改造",
            "url": "/projects/12/",
            "summary": "把空地改造成口袋公园",
            "status": "published",
            "dated": "2026-03-01T08:00:00+00:00",
            "gap": None,
            "title_en": "",
        },
        {"highlight": {"summary": ["把空地改造成<mark>口袋公园</mark>"]}},
    )
    fake_es.answer(search_body([row]), search_body([row]))
    page = client.get("/search/", {"q": "口袋公园"}).content.decode()
    assert "口袋公园改造" in page and "把空地改造成<mark>口袋公园</mark>" in page and "type=project" in page
    answer = api_for(None).get("/api/v1/search/", {"q": "口袋公园"}).json()
    assert answer["count"] == 1 and answer["facets"]["type"] == {"project": 1}
    assert answer["results"][0]["id"] == 12 and answer["results"][0]["url"] == "/projects/12/"
    fake_es.down = True
    assert api_for(None).get("/api/v1/search/", {"q": "口袋公园"}).status_code == 503
    assert 'role="alert"' in client.get("/search/", {"q": "口袋公园"}).content.decode()  # search is not answering


# Writing


def test_a_write_creates_the_types_first_index_behind_its_alias_then_indexes_or_deletes(fake_es, tree):
    backend = get_backend()
    document = Document(
        title="社区养老服务中心",
        url="/projects/7/",
        summary="日间照料",
        text="助餐",
        region_id=tree.community_a1.pk,
        status="published",
        gap=300,
    )
    backend.write("project", 7, document)
    assert [(m, p) for m, p, _q, _b in fake_es.requests] == [
        ("HEAD", "/_alias/gongzhi-project"),
        ("PUT", "/_synonyms/gongzhi-synonyms"),
        ("PUT", "/gongzhi-project-initial"),
        ("PUT", "/gongzhi-project/_doc/7"),
    ]
    created = fake_es.indices["gongzhi-project-initial"]
    assert created["aliases"] == {"gongzhi-project": {}} and created["mappings"]["dynamic"] == "strict"
    sent = fake_es.documents["gongzhi-project-initial"]["7"]
    assert sent["doc_type"] == "project" and sent["object_id"] == 7 and sent["text"] == "助餐"
    assert sent["region_path"] == tree.community_a1.path and sent["region_street"] == tree.street_a.path
    assert " 养老 " in sent["terms"] and "养老" in sent["title_terms"].split()
    backend.write("project", 7, None)
    assert fake_es.requests[-1][:2] == ("DELETE", "/gongzhi-project/_doc/7")
    assert fake_es.documents["gongzhi-project-initial"] == {}
    backend.write("project", 8, None)  # never written: nothing to delete, no error
    assert len(fake_es.sent("HEAD")) == 1  # the alias is checked once


def test_a_rebuild_fills_a_new_index_then_moves_the_alias_at_once_and_drops_the_old_one(fake_es, tree):
    kept = published_project(tree.community_a1, title="四点半课堂")
    draft = published_project(tree.community_a1, title="电梯加装", status=ProjectStatus.DRAFT)
    old = "gongzhi-project-initial"
    assert fake_es.aliases["gongzhi-project"] == old  # the saves above created it
    fake_es.requests.clear()
    assert reindex(["project"]) == 1
    (created,) = [p for m, p, _q, b in fake_es.requests if m == "PUT" and p.startswith("/gongzhi-project-2")]
    new = created.lstrip("/")
    assert "aliases" not in fake_es.indices[new]  # searched only once complete
    (bulk,) = bodies(fake_es, "PUT", "/_bulk")
    assert [(action, (source or {}).get("title")) for action, source in bulk] == [
        ({"index": {"_index": new, "_id": str(kept.pk)}}, "四点半课堂"),
        ({"delete": {"_index": new, "_id": str(draft.pk)}}, None),
    ]
    (moved,) = bodies(fake_es, "POST", "/_aliases")
    assert moved == {
        "actions": [
            {"remove": {"index": old, "alias": "gongzhi-project"}},
            {"add": {"index": new, "alias": "gongzhi-project"}},
        ]
    }
    methods = [(m, p) for m, p, _q, _b in fake_es.requests]
    assert methods.index(("POST", f"/{new}/_refresh")) < methods.index(("POST", "/_aliases"))
    assert methods[-1] == ("DELETE", f"/{old}")
    assert fake_es.aliases["gongzhi-project"] == new and old not in fake_es.indices


def test_a_save_during_a_rebuild_reaches_the_new_index_too(fake_es, tree):
    backend = get_backend()
    backend.write("project", 1, Document(title="旧", url="/p/1/"))
    token = backend.begin_rebuild("project")
    backend.write("project", 2, Document(title="新", url="/p/2/"))
    assert "2" in fake_es.documents[token] and "2" in fake_es.documents["gongzhi-project-initial"]
    backend.end_rebuild(token, "project")
    backend.write("project", 3, Document(title="后", url="/p/3/"))
    assert fake_es.sent("PUT", "/_doc/3")[-1][1] == "/gongzhi-project/_doc/3"
    assert len(fake_es.sent("PUT", "/_doc/3")) == 1


def test_the_drift_check_reads_what_elasticsearch_stores(fake_es, tree, capsys):
    published_project(tree.community_a1, title="独居老人探访")
    published_project(tree.community_a1, title="四点半课堂", target_yuan=1000)
    assert not SearchEntry.objects.exists()  # written to Elasticsearch, not the table
    call_command("search_check")
    assert "matches" in capsys.readouterr().out
    fake_es.documents["gongzhi-project-initial"].popitem()
    with pytest.raises(SystemExit):
        call_command("search_check")
    assert "1 missing" in capsys.readouterr().out


# Never sent


def test_a_draft_a_residents_details_and_a_hidden_comment_are_never_sent(fake_es, tree, people):
    draft = published_project(tree.community_a1, title="草稿项目电梯加装", status=ProjectStatus.DRAFT)
    assert fake_es.sent("DELETE", f"/gongzhi-project/_doc/{draft.pk}")  # a draft is deleted, never written
    resident = UserFactory(username="ouyang", display_name="欧阳秀英")
    NeedFactory(
        title="楼道灯坏了",
        region=tree.community_a1,
        status=NeedStatus.DISPATCHED,
        submitted_by=resident,
        show_name_publicly=True,
        contact_name="欧阳秀英",
        contact_phone="13912345678",
        external_ref="GD2026000123",
        description="我是欧阳秀英，住幸福里小区七号楼，电话13912345678。",
        answer="已请青石公司维修幸福里的楼道灯。",
    )
    project = published_project(tree.community_a1, title="社区花园")
    comment = comments.post_comment(by=people.resident, target=project, body="隐藏评论的独特内容青松")
    comments.hide_comment(by=people.moderator, comment=comment, reason="人身攻击。")
    public = bodies(fake_es, "PUT", "/gongzhi-need/_doc/")
    assert public and {need["title"] for need in public} == {"楼道灯坏了"}
    for private in ("1391234", "欧阳", "秀英", "幸福里", "GD2026", "青石"):
        assert private not in str(public), private
    # Staff read the description in their queue (its own index, which public queries never reach): never
    # the phone number written into it, nor the contact fields, nor the answer. (The moderator's reason is
    # in the audit log's staff index; the hidden comment's words nowhere.)
    sent = everything_sent(fake_es)
    for private in ("草稿项目", "1391234", "青石", "青松"):
        assert private not in sent, private


# Synonyms


def test_the_editors_synonyms_reach_elasticsearch_after_each_change(fake_es):
    group = SynonymGroup(words="口袋公园，街心花园、 小游园,口袋公园")
    group.full_clean()
    group.save()
    assert group.words == "口袋公园, 街心花园, 小游园"
    pushed = fake_es.synonyms["gongzhi-synonyms"]
    assert {"id": f"group-{group.pk}", "synonyms": "口袋公园, 街心花园, 小游园"} in pushed
    assert len(pushed) == SynonymGroup.objects.count()  # the whole set, replaced
    group.delete()
    assert len(fake_es.synonyms["gongzhi-synonyms"]) == len(pushed) - 1
    with pytest.raises(ValidationError):
        SynonymGroup(words="养老, 养老").full_clean()


def test_expand_gives_each_word_its_alternatives():
    SynonymGroup.objects.all().delete()
    SynonymGroup.objects.create(words="养老, 敬老, 为老服务")
    SynonymGroup.objects.create(words="电梯, 升降梯")
    assert expand(["养老", "加装", "升降梯"]) == [["养老", "敬老", "为老服务"], ["加装"], ["升降梯", "电梯"]]
    assert expand([]) == []
    assert parse("Lift；ELEVATOR\n升降梯 ,") == ["lift", "elevator", "升降梯"]


def test_editors_keep_the_synonyms_in_the_cms(client_for, people):
    client = client_for(people.editor)
    assert client.get("/admin/snippets/search/synonymgroup/").status_code == 200
    added = client.post("/admin/snippets/search/synonymgroup/add/", {"words": "加装电梯，老楼电梯"})
    assert added.status_code == 302 and SynonymGroup.objects.filter(words="加装电梯, 老楼电梯").exists()
    assert client_for(people.resident).get("/admin/snippets/search/synonymgroup/").status_code in (302, 403)
